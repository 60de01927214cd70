"""Vendoring time only: build the fallback fonts and the character lists from Debian packages.

    .venv/bin/python static/fonts/build_fonts.py                # apt-get download the packages
    .venv/bin/python static/fonts/build_fonts.py --debs DIR     # or use the .deb files in DIR

Nothing here runs at run time or in the tests: its outputs are committed (see README.md here).
It writes

- ``office/charsets/gbk.txt`` from Python's ``gb18030`` codec (two-byte codes, no private use),
- ``office/charsets/tongyong_guifan_hanzi.txt`` from Unihan's ``kTGH`` field (``unicode-data``),
- ``office/charsets/emoji_extended_pictographic.txt`` from ``emoji-data.txt`` (``unicode-data``),
- the fallback fonts of ``office.fonts.FONTS`` (the Fandol primaries are vendored as they are):
  each one is a fontTools subset of its source to exactly the required characters
  (``office.fonts.required_characters()``) that the fonts before it in some face's stack do
  not draw, renamed (the OFL's Reserved Font Names "Source", "LXGW" and "霞鹜" are not used).

It then checks that every face draws every required character and prints the numbers.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")

PACKAGES = ["fonts-noto-cjk", "fonts-lxgw-wenkai", "fonts-dejavu-core", "unicode-data"]


@dataclass(frozen=True)
class Source:
    package: str
    path: str  # inside the package
    family: str  # the family name inside the file (picks the face of a .ttc)
    licence_file: str  # the copyright file vendored next to the fonts


NOTO_COPYRIGHT = "COPYING-NotoCJK.txt"
# The fallbacks in build order: a fallback is built after every font before it in a face's stack.
FALLBACKS = {
    "ZB Kai Ext": Source("fonts-lxgw-wenkai", "usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf",
                         "LXGW WenKai", "COPYING-LXGWWenKai.txt"),
    "ZB Serif Ext": Source("fonts-noto-cjk", "usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
                           "Noto Serif CJK SC", NOTO_COPYRIGHT),
    "ZB Sans Ext": Source("fonts-noto-cjk", "usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                          "Noto Sans CJK SC", NOTO_COPYRIGHT),
    "ZB Symbols": Source("fonts-dejavu-core", "usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                         "DejaVu Sans", "COPYING-DejaVu.txt"),
}


def fetch(debs: Path | None, work: Path) -> dict[str, tuple[str, Path]]:
    """Each package's version and the folder it was extracted to."""
    if debs is None:
        debs = work / "debs"
        debs.mkdir()
        subprocess.run(["apt-get", "download", *PACKAGES], cwd=debs, check=True)
    found = {}
    for package in PACKAGES:
        deb = next(iter(sorted(debs.glob(f"{package}_*.deb"))), None)
        if deb is None:
            sys.exit(f"no {package}_*.deb in {debs}")
        version = subprocess.run(["dpkg-deb", "-f", str(deb), "Version"], check=True, capture_output=True,
                                 text=True).stdout.strip()
        root = work / package
        subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
        found[package] = (version, root)
    return found


def write_charsets(unicode_root: Path, unicode_version: str) -> None:
    import bz2

    out = BASE_DIR / "office" / "charsets"
    out.mkdir(exist_ok=True)

    gbk = set()
    for high in range(0x81, 0xFF):
        for low in [*range(0x40, 0x7F), *range(0x80, 0xFF)]:
            try:
                char = bytes([high, low]).decode("gb18030")
            except UnicodeDecodeError:
                continue
            if not 0xE000 <= ord(char) <= 0xF8FF:
                gbk.add(char)
    lines = ["# GBK: every character two-byte GB 18030 encodes, private-use code points left out.",
             f"# Derived with Python {sys.version.split()[0]}'s gb18030 codec by static/fonts/build_fonts.py.",
             f"# {len(gbk)} characters. Columns: code point, character."]
    lines += [f"U+{ord(c):04X}\t{c}" for c in sorted(gbk)]
    (out / "gbk.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")

    unihan = unicode_root / "usr/share/unicode/Unihan_OtherMappings.txt.bz2"
    table = []
    for line in bz2.open(unihan, "rt", encoding="utf-8"):
        if "\tkTGH\t" in line:
            code, _, value = line.rstrip("\n").split("\t")
            for entry in value.split():
                year, number = entry.split(":")
                if year == "2013":
                    table.append((int(number), code, chr(int(code[2:], 16))))
    table.sort()
    if [n for n, _, _ in table] != list(range(1, 8106)):
        sys.exit("kTGH does not number 1..8105")
    lines = ["# 通用规范汉字表 (国务院 2013): 8,105 characters in the table's order",
             "# (1-3500 一级字表, 3501-6500 二级字表, 6501-8105 三级字表).",
             f"# Source: Unicode {unicode_version} Unihan database, field kTGH (Unihan_OtherMappings.txt),",
             "# as shipped by Debian's unicode-data package; extracted by static/fonts/build_fonts.py.",
             "# Columns: code point, character, number in the table."]
    lines += [f"{code}\t{char}\t{number}" for number, code, char in table]
    (out / "tongyong_guifan_hanzi.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")

    data = (unicode_root / "usr/share/unicode/emoji/emoji-data.txt").read_text(encoding="utf-8")
    lines = ["# Extended_Pictographic code points (emoji and pictographs), one range a line.",
             f"# Source: Unicode {unicode_version} emoji-data.txt (Debian's unicode-data package),",
             "# extracted by static/fonts/build_fonts.py."]
    for line in data.splitlines():
        fields = line.split("#")[0].split(";")
        if len(fields) == 2 and fields[1].strip() == "Extended_Pictographic":
            lines.append(fields[0].strip())
    (out / "emoji_extended_pictographic.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def open_source(path: Path, family: str):
    from fontTools.ttLib import TTCollection, TTFont

    if path.suffix == ".ttc":
        for index, font in enumerate(TTCollection(path, lazy=True).fonts):
            if font["name"].getDebugName(1) == family:
                return TTFont(path, fontNumber=index)
        sys.exit(f"{family} not in {path}")
    font = TTFont(path)
    if font["name"].getDebugName(1) != family:
        sys.exit(f"{path} is {font['name'].getDebugName(1)}, not {family}")
    return font


def rename(font, family: str, origin: str) -> None:
    """Give the subset its own names (keeping copyright, version, licence and vendor records)."""
    name = font["name"]
    postscript = family.replace(" ", "") + "-Regular"
    keep = {0, 5, 7, 8, 9, 10, 11, 12, 13, 14}
    name.names = [record for record in name.names if record.nameID in keep]
    for name_id, value in {1: family, 2: "Regular", 3: f"{postscript};{origin}", 4: f"{family} Regular",
                           6: postscript}.items():
        name.setName(value, name_id, 3, 1, 0x409)
    if "CFF " in font:
        cff = font["CFF "].cff
        top = cff[cff.fontNames[0]]
        cff.fontNames = [postscript]
        for attribute, value in (("FullName", f"{family} Regular"), ("FamilyName", family)):
            if hasattr(top, attribute):
                setattr(top, attribute, value)


def subset(source_font, chars: set[str]):
    from fontTools import subset as ft_subset

    options = ft_subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in chars])
    subsetter.subset(source_font)
    return source_font


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--debs", type=Path, help="folder with the .deb files (default: apt-get download)")
    args = parser.parse_args()

    import django

    django.setup()
    from office import fonts

    with tempfile.TemporaryDirectory() as tmp:
        packages = fetch(args.debs, Path(tmp))
        for package, (version, _) in packages.items():
            print(f"{package} {version}")
        write_charsets(packages["unicode-data"][1], packages["unicode-data"][0].split("-")[0])
        for cached in (fonts.gbk, fonts.tongyong_guifan, fonts.required_characters, fonts._emoji_ranges):
            cached.cache_clear()
        required = fonts.required_characters()
        print(f"required characters: {len(required)} (GBK {len(fonts.gbk())}, "
              f"通规 {len(fonts.tongyong_guifan())}, Ext A {len(fonts.cjk_extension_a())})")

        built: dict[str, set[str]] = {}  # what each fallback draws, as built

        def covered_before(face, family):
            drawn = set()
            for before in face.families[:face.families.index(family)]:
                if before in FALLBACKS:
                    if before not in built:
                        sys.exit(f"{before} must be built before {family}")
                    drawn |= built[before]
                else:
                    drawn |= {chr(c) for c in fonts._codepoints(fonts.FONTS[before].filename)}
            return drawn

        for family, source in FALLBACKS.items():
            version, root = packages[source.package]
            wanted = set()
            for face in fonts.FACES.values():
                if family in face.families:
                    wanted |= required - covered_before(face, family)
            font = open_source(root / source.path, source.family)
            has = {chr(c) for c in font.getBestCmap()}
            # Pango keeps a run's font across the spaces inside it: a fallback needs its own spaces.
            spaces = {c for c in has if unicodedata.category(c) == "Zs"}
            chars = (wanted | spaces) & has
            origin = f"subset of {source.family} ({source.package} {version})"
            subset(font, chars)
            rename(font, family, origin)
            target = fonts.FONTS[family].path
            font.save(target)
            built[family] = chars
            copyright_file = root / "usr/share/doc" / source.package / "copyright"
            shutil.copyfile(copyright_file, target.parent / source.licence_file)
            print(f"{target.name}: {len(chars)} characters from {source.family} ({source.package} {version}), "
                  f"{target.stat().st_size // 1024} KB")

        fonts._codepoints.cache_clear()
        fonts._font_for.cache_clear()
        failed = False
        for face in fonts.FACES.values():
            share: dict[str, int] = {}
            for char in required:
                font = fonts.font_for(char, face)
                share[font.family if font else "MISSING"] = share.get(font.family if font else "MISSING", 0) + 1
            missing = sorted(c for c in required if fonts.font_for(c, face) is None)
            print(f"{face.label} {face.key}: {share}")
            if missing:
                failed = True
                print(f"  MISSING {len(missing)}: {''.join(missing[:80])}")
        sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
