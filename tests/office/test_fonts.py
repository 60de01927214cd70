"""Every character prints in its own face: bundled fonts only, GBK ∪ 通规 ∪ Ext A in all four
faces, a missing glyph detected, emoji printed as 〓 (office.fonts, office.pdf)."""

import io
import logging
import re
import unicodedata
from pathlib import Path

import pytest
from django.conf import settings
from pypdf import PdfReader

from office import fonts, pdf
from office.fonts import FACES, PLACEHOLDER, font_for

NAME_CHARACTERS = "喆堃镕珺昇"  # the issue's examples: outside GB2312, missing from every Fandol face
# more rare name characters: GBK beyond GB2312, Ext A in 通规 (䶮, 刘䶮), and 通规 beyond the BMP
MORE_NAMES = "赟玥垚犇淼焱鑫昊琰婧䶮𫖯𬌗𬘭𬍤"
FALLBACK = {"fangsong": "ZB Serif Ext", "song": "ZB Serif Ext", "hei": "ZB Sans Ext", "kai": "ZB Kai Ext"}
BUNDLED_PDF_NAMES = {font.family.replace(" ", "-") for font in fonts.FONTS.values()}


def embedded_fonts(data: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


# --- the face table -------------------------------------------------------------------------------

def test_four_faces_each_a_fandol_primary_then_declared_bundled_fallbacks():
    assert {key: face.label for key, face in FACES.items()} == {
        "fangsong": "仿宋", "song": "宋体", "hei": "黑体", "kai": "楷体"}
    assert FACES["fangsong"].families == ("ZB Fangsong", "ZB Serif Ext", "ZB Symbols")
    assert FACES["kai"].families == ("ZB Kai", "ZB Kai Ext", "ZB Serif Ext", "ZB Symbols")
    assert FACES["hei"].css == '"ZB Hei", "ZB Sans Ext", "ZB Symbols"'
    for face in FACES.values():
        assert face.fonts[0].filename.startswith("Fandol")
        assert all(font.path.is_file() for font in face.fonts)


def test_the_font_folder_holds_exactly_the_declared_fonts():
    on_disk = {p.name for p in Path(settings.FONT_DIR).iterdir() if p.suffix in {".otf", ".ttf", ".ttc", ".woff2"}}
    assert on_disk == {font.filename for font in fonts.FONTS.values()}


def test_font_face_css_declares_every_bundled_font_and_each_face_stack():
    css = pdf.font_face_css()
    for font in fonts.FONTS.values():
        assert f'font-family: "{font.family}"; src: url("{font.path.as_uri()}")' in css
    assert '--zb-kai: "ZB Kai", "ZB Kai Ext", "ZB Serif Ext", "ZB Symbols";' in css


# --- the one function: which bundled font draws this character in this face ---------------------

@pytest.mark.parametrize("face", FACES)
@pytest.mark.parametrize("char", NAME_CHARACTERS)
def test_the_issue_name_characters_are_drawn_by_the_face_fallback(face, char):
    assert not FACES[face].fonts[0].draws(char)  # Fandol (GB2312) lacks them
    assert font_for(char, face).family == FALLBACK[face]


@pytest.mark.parametrize("face", FACES)
def test_more_rare_name_characters_are_drawn_in_every_face(face):
    assert {char: font_for(char, face) is not None for char in MORE_NAMES} == dict.fromkeys(MORE_NAMES, True)


def test_common_characters_stay_in_the_primary_font():
    for face in FACES.values():
        assert {font_for(char, face).family for char in "张正文一二〇。，A1"} == {face.families[0]}


def test_where_the_fallbacks_differ_per_face():
    assert font_for("≒", "fangsong").family == "ZB Symbols"  # in GBK, in no Fandol or Noto CJK face
    assert font_for("≒", "kai").family == "ZB Kai Ext"
    assert font_for("㐀", "kai").family == "ZB Serif Ext"  # Ext A: LXGW WenKai lacks most of it
    assert font_for("ñ", "hei").family == "ZB Sans Ext"  # Latin-1 beyond Fandol


def test_outside_the_rule_nothing_draws_it():
    for char in ["𠮷", "한", "😀", "\U00031350"]:  # Ext B outside 通规, Hangul, emoji, Ext G
        assert [font_for(char, face) for face in FACES] == [None] * 4


def test_font_for_takes_a_face_key_a_face_or_a_css_font_family_list():
    assert font_for("喆", FACES["song"]) == font_for("喆", "song") == font_for("喆", ["ZB Song", "ZB Serif Ext"])
    assert font_for("喆", ("ZB Hei", "sans-serif")) is None  # a stack without its fallback
    assert font_for("张", ("serif",)) is None  # generic families draw nothing: none is bundled
    with pytest.raises(ValueError, match="unknown face 'ZB Song'"):
        font_for("张", "ZB Song")


def test_the_placeholder_is_drawn_by_every_primary():
    assert all(font_for(PLACEHOLDER, face) is face.fonts[0] for face in FACES.values())


# --- the rule: every face covers GBK, 通用规范汉字表, CJK Ext A and Latin-1 ------------------------

def test_the_character_sets():
    gbk = fonts.gbk()
    assert len(gbk) == 21872
    assert sum(1 for c in gbk if 0x4E00 <= ord(c) <= 0x9FA5) == 20902
    assert not any(0xE000 <= ord(c) <= 0xF8FF for c in gbk)
    table = fonts.tongyong_guifan()
    assert len(table) == len(set(table)) == 8105
    assert (table[0], table[3499], table[3500], table[6499], table[6500], table[8104]) == tuple("一矗乂齉亍蠼")
    assert {char: table.index(char) + 1 for char in NAME_CHARACTERS + "䶮"} == {
        "喆": 7294, "堃": 7226, "镕": 7790, "珺": 7105, "昇": 6674, "䶮": 6814}
    assert "䶮" in gbk and "䶮".encode("gb18030") == b"\xfe\x9f"  # GBK's 0xFE9F, Ext A in Unicode
    assert sum(1 for c in table if ord(c) > 0xFFFF) == 196
    assert len(fonts.cjk_extension_a()) == 6582
    assert len(fonts.required_characters()) == 28772


@pytest.mark.parametrize("face", FACES)
@pytest.mark.parametrize("charset", ["gbk", "tongyong_guifan", "cjk_extension_a", "latin_1"])
def test_every_face_draws_every_required_character(face, charset):
    chars = getattr(fonts, charset)()
    missing = [c for c in chars if font_for(c, face) is None]
    assert missing == []


# --- finding and replacing what a face cannot draw ------------------------------------------------

def test_undrawn_characters_of_a_text():
    assert fonts.undrawn("张喆同志，José。", "fangsong") == set()
    assert fonts.undrawn("吉𠮷家 😀", "kai") == {"𠮷", "😀"}
    # invisible characters print nothing of their own: spaces, ZWJ, variation selectors, soft hyphen
    assert fonts.undrawn("a\u3000b\u00a0c\u200dd\ufe0fe\u00adf\u2003g", "hei") == set()
    # a combining mark that composes with its base into a drawn character is drawn
    assert fonts.undrawn("Jose\u0301", "song") == set()
    assert fonts.undrawn("q\u0301", "song") == {"\u0301"}


def test_replace_undrawn_one_placeholder_per_character_or_emoji_sequence():
    assert fonts.replace_undrawn("吉𠮷家", {"𠮷"}) == "吉〓家"
    assert fonts.replace_undrawn("收到👍👍", {"👍"}) == "收到〓〓"
    family, flag, keycap, thumbs = "👨\u200d👩\u200d👧", "🇨🇳", "1\ufe0f\u20e3", "👍\U0001F3FD"
    text = f"全家{family}，国旗{flag}，第{keycap}，好{thumbs}。"
    missing = fonts.undrawn(text, "fangsong")
    assert fonts.replace_undrawn(text, missing) == "全家〓，国旗〓，第〓，好〓。"
    assert fonts.replace_undrawn("★☆、①②", set()) == "★☆、①②"  # drawn symbols are printed


def test_emoji_are_recognised_by_unicode_data():
    assert all(fonts.is_emoji(c) for c in "😀👍🚀☕\U0001F3FD🇨")
    assert not any(fonts.is_emoji(c) for c in "喆A〓①")


# --- rendering: only bundled fonts, a missing glyph detected, the emoji policy --------------------

SAMPLE = """<h1>关于张喆同志任职的通知</h1>
<p>仿宋：{chars}</p><p class="song">宋体：{chars}</p>
<p class="hei">黑体：{chars}</p><p class="kai">楷体：{chars}</p>"""


def test_a_pdf_with_rare_name_characters_in_all_four_faces_uses_only_bundled_fonts(caplog):
    # spaced out: a fallback run keeps its font across a space (the fallbacks carry their spaces)
    chars = " ".join(NAME_CHARACTERS + MORE_NAMES + "≒ñ")
    with caplog.at_level(logging.WARNING):
        data = pdf.render_html(SAMPLE.format(chars=chars))  # PDF_MISSING_GLYPH = "raise" in tests
    assert [r.getMessage() for r in caplog.records] == []
    names = embedded_fonts(data)
    assert names <= BUNDLED_PDF_NAMES
    assert {"ZB-Serif-Ext", "ZB-Sans-Ext", "ZB-Kai-Ext", "ZB-Symbols"} <= names
    text = pdf_text(data)
    for label in ("仿宋", "宋体", "黑体", "楷体"):
        assert f"{label}：{chars}" in text


def test_the_host_fonts_are_invisible_to_pdf_rendering():
    from weasyprint.text.ffi import fontconfig
    from weasyprint.text.fonts import FontConfiguration

    system_fonts = fontconfig.FcSetSystem
    assert fontconfig.FcConfigGetFonts(FontConfiguration()._config, system_fonts).nfont > 0  # the host's
    assert fontconfig.FcConfigGetFonts(pdf._font_configuration()._config, system_fonts).nfont == 0


def test_a_character_no_bundled_font_draws_never_reaches_for_a_host_font():
    # Hangul and Ext B: Debian's Noto CJK (installed on CI) draws both; no bundled font does. Laid
    # out without the check, WeasyPrint draws a .notdef box of a bundled font, and says so.
    with pdf._FontWarnings() as weasyprint_said:
        data = pdf._layout("<p>한국 𠮷</p><p class='hei'>한국</p>", "").write_pdf()
    assert embedded_fonts(data) <= BUNDLED_PDF_NAMES
    assert any("U+D55C" in message and ".notdef" in message for message in weasyprint_said.messages)


def test_a_missing_glyph_fails_in_tests():
    with pytest.raises(pdf.MissingGlyphError, match=r"𠮷 U\+20BB7 in font-family ZB Song, ZB Serif Ext, ZB Symbols"):
        pdf.render_html('<p class="song">吉𠮷</p>')


def test_a_stack_without_its_fallback_is_caught_where_the_text_is():
    with pytest.raises(pdf.MissingGlyphError, match=r"喆 U\+5586 in font-family ZB Hei"):
        pdf.render_html('<p style="font-family: \'ZB Hei\', sans-serif">张喆</p>')


def test_in_production_a_missing_glyph_is_logged_and_printed_as_the_placeholder(settings, caplog):
    settings.PDF_MISSING_GLYPH = "log"
    with caplog.at_level(logging.WARNING, logger="office.pdf"):
        data = pdf.render_html("<p>吉𠮷家，&#x20BB7;，&#134071;</p><p class='kai'>张喆</p>")
    assert "吉〓家，〓，〓" in pdf_text(data)
    assert "张喆" in pdf_text(data)
    [record] = caplog.records
    assert record.levelno == logging.ERROR and "𠮷 U+20BB7" in record.getMessage()


def test_emoji_policy_printed_as_the_placeholder_and_logged_never_raised(caplog):
    with caplog.at_level(logging.WARNING, logger="office.pdf"):
        data = pdf.render_html("<p>收到👍，全家👨\u200d👩\u200d👧好，国旗🇨🇳。</p><p class='hei'>★满意😀</p>")
    text = pdf_text(data)
    assert "收到〓，全家〓好，国旗〓。" in text and "★满意〓" in text
    assert not re.search("[\U0001F000-\U0001FAFF]", text)
    [record] = caplog.records
    assert record.levelno == logging.WARNING and "😀 U+1F600" in record.getMessage()
    assert embedded_fonts(data) <= BUNDLED_PDF_NAMES


def test_weasyprint_font_warnings_fail_in_tests_and_are_logged_in_production(settings, caplog):
    missing_file = (Path(settings.FONT_DIR) / "missing.otf").as_uri()
    broken = f'@font-face {{ font-family: "ZB Broken"; src: url("{missing_file}"); }}'
    with pytest.raises(pdf.MissingGlyphError, match="Font-face 'ZB Broken' cannot be loaded"):
        pdf.render_html("<p>正文</p>", extra_css=broken)
    settings.PDF_MISSING_GLYPH = "log"
    with caplog.at_level(logging.ERROR, logger="office.pdf"):
        assert pdf.render_html("<p>正文</p>", extra_css=broken).startswith(b"%PDF")
    assert any("ZB Broken" in r.getMessage() for r in caplog.records if r.name == "office.pdf")


def test_pdf_templates_and_css_name_faces_through_their_stacks_only():
    """A template that writes font-family: "ZB Hei" would lose the fallback: use var(--zb-hei)."""
    base = Path(settings.BASE_DIR)
    sources = [*base.glob("*/templates/**/pdf/*.html"), *base.glob("templates/**/pdf/*.html"),
               *(p for app in ("office", "documents", "supervision", "meetings") for p in (base / app).glob("*.py")
                 if p.name not in {"pdf.py", "fonts.py"})]  # office.pdf and office.fonts define the stacks
    declarations = []
    for path in sources:
        declarations += re.findall(r"font-family:\s*([^;}\"]+)", path.read_text(encoding="utf-8"))
    assert len(declarations) >= 5
    assert [d for d in declarations if not re.fullmatch(r"var\(--zb-(fangsong|song|hei|kai)\)\s*", d)] == []


def test_unicode_normalisation_is_not_applied_to_the_printed_text():
    # compatibility ideographs of GBK print as themselves (NFC would turn 郎 U+F92C into 郎 U+90CE)
    assert unicodedata.normalize("NFC", "\uf92c") == "\u90ce"
    assert fonts.replace_undrawn("\uf92c𠮷", {"𠮷"}) == "\uf92c〓"
    assert font_for("\uf92c", "fangsong") is not None


def test_the_font_configuration_is_kept_per_thread_and_leaves_the_environment_as_it_was(monkeypatch):
    import os
    import threading

    monkeypatch.setenv("FONTCONFIG_FILE", "/etc/fonts/fonts.conf")
    seen = []
    thread = threading.Thread(target=lambda: seen.extend([pdf._font_configuration(), pdf._font_configuration()]))
    thread.start()
    thread.join()
    assert seen[0] is seen[1]  # WeasyPrint copies the @font-face files once per thread, not per PDF
    assert seen[0] is not pdf._font_configuration()
    assert os.environ["FONTCONFIG_FILE"] == "/etc/fonts/fonts.conf"  # a browser started later keeps the host's
