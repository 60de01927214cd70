"""HTML to PDF with WeasyPrint, offline, every character printed in its own face.

Fonts: the faces of ``office.fonts`` (仿宋, 宋体, 黑体, 楷体), each a font-family stack of fonts
vendored under ``static/fonts`` (a Fandol primary, then declared fallbacks), declared with
``@font-face`` from local files. Each face's stack is the CSS custom property
``--zb-<face>`` (``font-family: var(--zb-hei)``); the classes ``.fangsong .song .hei .kai`` use
them. WeasyPrint gets a fontconfig configuration with no font directories
(``office/pdf-fonts.conf``): it sees the bundled fonts and nothing the host has installed.

Missing glyphs: after layout, every printed piece of text is checked against its computed
font-family with ``office.fonts.undrawn``. A character that no font of its stack draws is
printed as 〓 (``office.fonts.PLACEHOLDER``) and reported: emoji at WARNING (policy: documents
print no emoji); any other character at ERROR, or ``MissingGlyphError`` is raised when
``settings.PDF_MISSING_GLYPH`` is ``"raise"`` (the tests set it). WeasyPrint's own warnings
about fonts (a @font-face that cannot be loaded, a .notdef box drawn) are reported the same way.

The URL fetcher serves only files under the project's static folders and inline ``data:`` URLs:
nothing is fetched from the network at run time.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from office import fonts
from office.fonts import FACES

logger = logging.getLogger(__name__)

FONTCONFIG_FILE = Path(__file__).resolve().with_name("pdf-fonts.conf")

def font_face_css() -> str:
    rules = [f'@font-face {{ font-family: "{font.family}"; src: url("{font.path.as_uri()}"); }}'
             for font in fonts.FONTS.values()]
    variables = " ".join(f"{face.variable}: {face.css};" for face in FACES.values())
    rules.append(f":root {{ {variables} }}")
    return "\n".join(rules)


BASE_CSS = f"""
@page {{ size: A4; margin: 25mm 20mm 25mm 20mm;
        @bottom-center {{ content: "— " counter(page) " —"; font-family: {FACES["song"].css};
                          font-size: 10.5pt; }} }}
html {{ font-family: var(--zb-fangsong); font-size: 12pt; line-height: 1.6; color: #000; }}
h1, h2, h3 {{ font-family: var(--zb-hei); font-weight: normal; }}
.fangsong {{ font-family: var(--zb-fangsong); }}
.song {{ font-family: var(--zb-song); }}
.hei {{ font-family: var(--zb-hei); }}
.kai {{ font-family: var(--zb-kai); }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 0.5pt solid #000; padding: 2mm 2.5mm; vertical-align: top; text-align: left; }}
"""


class MissingGlyphError(Exception):
    """The PDF would print a character that no bundled font of its face draws, or WeasyPrint
    warned about a font (raised when settings.PDF_MISSING_GLYPH is "raise")."""


class PdfFetchRefused(Exception):
    pass


def _local_fetcher():
    """A WeasyPrint URL fetcher that reads only the project's static files from disk."""
    from weasyprint.urls import URLFetcher

    roots = [Path(settings.BASE_DIR / "static").resolve(), Path(settings.FONT_DIR).resolve()]

    class LocalOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):  # inline bytes (e.g. a seal image): nothing is fetched
                return super().fetch(url, headers)
            if url.startswith("/static/"):
                found = finders.find(url[len("/static/"):])
                if found:
                    url = Path(found).resolve().as_uri()
            if url.startswith("file://"):
                path = Path(url[len("file://"):].split("?")[0]).resolve()
                if any(path.is_relative_to(root) for root in roots):
                    return super().fetch(path.as_uri(), headers)
            raise PdfFetchRefused(f"PDF rendering fetches no remote resources: {url}")

    return LocalOnlyFetcher()


_fontconfig_lock = threading.Lock()
_per_thread = threading.local()


def _font_configuration():
    """The WeasyPrint FontConfiguration of this thread, whose fontconfig knows no host font (see
    the module doc). It is kept for the thread's next documents: WeasyPrint copies every
    @font-face file into it once, not at every render."""
    from weasyprint.text.fonts import FontConfiguration

    font_config = getattr(_per_thread, "font_config", None)
    if font_config is not None:
        return font_config
    # fontconfig reads FONTCONFIG_FILE when the configuration is created; set it for that moment
    # only, so that other programs started by this process (a browser in tests) keep the host's.
    with _fontconfig_lock:
        previous = os.environ.get("FONTCONFIG_FILE")
        os.environ["FONTCONFIG_FILE"] = str(FONTCONFIG_FILE)
        try:
            font_config = FontConfiguration()
        finally:
            if previous is None:
                del os.environ["FONTCONFIG_FILE"]
            else:
                os.environ["FONTCONFIG_FILE"] = previous
    _per_thread.font_config = font_config
    return font_config


class _FontWarnings(logging.Handler):
    """Collects WeasyPrint's warnings about fonts while this thread renders: its font loading and
    embedding modules (a @font-face that cannot be loaded, a font it cannot subset) and a
    .notdef glyph drawn (a character printed as a box)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.messages: list[str] = []

    def emit(self, record):
        if record.thread != self.thread:
            return
        message = record.getMessage()
        if Path(record.pathname).parts[-2:] in {("text", "fonts.py"), ("pdf", "fonts.py")} or ".notdef" in message:
            self.messages.append(message)

    def __enter__(self):
        logging.getLogger("weasyprint").addHandler(self)
        return self

    def __exit__(self, *exc_info):
        logging.getLogger("weasyprint").removeHandler(self)


def _layout(html: str, extra_css: str):
    """Lay the document out with the bundled fonts (a weasyprint Document)."""
    from weasyprint import CSS, HTML

    font_config = _font_configuration()
    fetcher = _local_fetcher()
    stylesheets = [CSS(string=font_face_css() + BASE_CSS + extra_css, font_config=font_config,
                       url_fetcher=fetcher)]
    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher).render(
        stylesheets=stylesheets, font_config=font_config)


def undrawn_characters(document) -> dict[str, set[tuple[str, ...]]]:
    """Every printed character of a laid-out document that no font of its font-family draws,
    with the font-family stacks it appeared in."""
    from weasyprint.formatting_structure.boxes import TextBox

    missing = defaultdict(set)
    for page in document.pages:
        for box in page._page_box.descendants():
            if isinstance(box, TextBox):
                families = tuple(box.style["font_family"])
                for char in fonts.undrawn(box.text, families):
                    missing[char].add(families)
    return dict(missing)


_CHARACTER_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));")


def _replace(source: str, missing) -> str:
    def unescape(match):
        char = chr(int(match.group(1), 16) if match.group(1) else int(match.group(2)))
        return char if char in missing else match.group(0)

    return fonts.replace_undrawn(_CHARACTER_REFERENCE.sub(unescape, source), missing)


def _describe(chars) -> str:
    return ", ".join(f"{char} U+{ord(char):04X}" for char in sorted(chars))


def render_html(html: str, *, extra_css: str = "") -> bytes:
    """Render an HTML string to PDF bytes (see the module doc for fonts and missing glyphs)."""
    strict = getattr(settings, "PDF_MISSING_GLYPH", "log") == "raise"
    with _FontWarnings() as weasyprint_said:
        document = _layout(html, extra_css)
        missing = undrawn_characters(document)
        if missing:
            _report(missing, strict)
            document = _layout(_replace(html, missing), _replace(extra_css, missing))
        data = document.write_pdf()
    if weasyprint_said.messages:
        message = "WeasyPrint: " + "; ".join(dict.fromkeys(weasyprint_said.messages))
        if strict:
            raise MissingGlyphError(message)
        logger.error("PDF font problem: %s", message)
    return data


def _report(missing: dict[str, set[tuple[str, ...]]], strict: bool) -> None:
    emoji = {char for char in missing if fonts.is_emoji(char)}
    others = set(missing) - emoji
    if others:
        stacks = sorted({", ".join(stack) for char in others for stack in missing[char]})
        message = (f"no bundled font draws {_describe(others)} in font-family {' / '.join(stacks)}; "
                   f"printed as {fonts.PLACEHOLDER}")
        if strict:
            raise MissingGlyphError(message)
        logger.error("PDF: %s", message)
    if emoji:
        logger.warning("PDF: emoji %s printed as %s (documents print no emoji)", _describe(emoji),
                       fonts.PLACEHOLDER)


def render(template_name: str, context: dict | None = None, *, extra_css: str = "") -> bytes:
    """Render a Django template to PDF bytes."""
    return render_html(render_to_string(template_name, context or {}), extra_css=extra_css)
