"""Measuring a PDF the way a ruler would: text boxes (poppler's ``pdftotext -bbox``: each word's
character box, from the font's ascent and descent), fonts (pypdf) and ink (``pdftoppm`` pixels).
All lengths in millimetres from the paper's top-left corner."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
from dataclasses import dataclass
from html import unescape
from pathlib import Path

from PIL import Image, ImageChops
from pypdf import PdfReader

PT = 25.4 / 72


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def words(data: bytes) -> list[list[Word]]:
    """The words of every page (pdftotext splits words at spaces only: a line of Chinese is one)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(data)
        out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True,
                             check=True).stdout
    pages = []
    for page in out.split("<page ")[1:]:
        pages.append([Word(unescape(m[4]), float(m[0]) * PT, float(m[1]) * PT, float(m[2]) * PT, float(m[3]) * PT)
                      for m in _WORD.findall(page)])
    return pages


def find(page: list[Word], text: str) -> Word:
    matches = [w for w in page if w.text == text]
    assert len(matches) == 1, (text, [w.text for w in page])
    return matches[0]


def containing(page: list[Word], text: str) -> list[Word]:
    return [w for w in page if text in w.text]


def raster(data: bytes, page: int, dpi: int = 300) -> Image.Image:
    """Page ``page`` (1-based) as an RGB image."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(data)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png", "-singlefile",
                        str(path), str(Path(tmp) / "page")], check=True)
        return Image.open(Path(tmp) / "page.png").convert("RGB")


def _mask(image: Image.Image, kind: str) -> Image.Image:
    """An "L" image, 255 where the pixel is red ink (kind "red") or dark ink ("dark")."""
    r, g, b = image.split()
    if kind == "red":
        parts = [r.point(lambda v: 255 if v > 170 else 0), g.point(lambda v: 255 if v < 110 else 0),
                 b.point(lambda v: 255 if v < 110 else 0)]
    else:
        parts = [c.point(lambda v: 255 if v < 110 else 0) for c in (r, g, b)]
    return ImageChops.multiply(ImageChops.multiply(parts[0], parts[1]), parts[2])


class Pixels:
    """A rendered page measured in mm: where its red and its dark ink are."""

    def __init__(self, image: Image.Image, dpi: int = 300):
        self.image = image
        self.scale = dpi / 25.4  # px per mm
        self.w, self.h = image.size
        self.masks = {kind: _mask(image, kind) for kind in ("red", "dark")}

    def mm(self, px: float) -> float:
        return px / self.scale

    def _crop(self, kind: str, region):
        x0, y0, x1, y1 = region or (0, 0, self.mm(self.w), self.mm(self.h))
        left, top = max(0, round(x0 * self.scale)), max(0, round(y0 * self.scale))
        right, bottom = min(self.w, round(x1 * self.scale)), min(self.h, round(y1 * self.scale))
        return self.masks[kind].crop((left, top, right, bottom)), left, top

    def box(self, kind: str, region=None):
        """(x0, y0, x1, y1) in mm of the ``kind`` ink inside ``region`` (mm), or None."""
        crop, left, top = self._crop(kind, region)
        bbox = crop.getbbox()
        if bbox is None:
            return None
        return tuple(self.mm(v) for v in (bbox[0] + left, bbox[1] + top, bbox[2] + left, bbox[3] + top))

    def horizontal_lines(self, kind: str, *, min_length: float, region=None):
        """Horizontal strokes (x0, y0, x1, y1) of ``kind`` ink at least ``min_length`` mm long:
        runs of pixel rows with that much ink."""
        crop, left, top = self._crop(kind, region)
        width, height = crop.size
        means = list(crop.resize((1, height), Image.BOX).tobytes())
        rows = [y for y, mean in enumerate(means) if mean / 255 * width >= min_length * self.scale * 0.97]
        groups: list[list[int]] = []
        for y in rows:
            if groups and y == groups[-1][-1] + 1:
                groups[-1].append(y)
            else:
                groups.append([y])
        lines = []
        for group in groups:
            bbox = crop.crop((0, group[0], width, group[-1] + 1)).getbbox()
            lines.append((self.mm(bbox[0] + left), self.mm(group[0] + top), self.mm(bbox[2] + left),
                          self.mm(group[-1] + 1 + top)))
        return lines

    def colour(self, kind: str, region) -> tuple[int, int, int]:
        """The median colour of the ``kind`` ink in ``region``."""
        crop, left, top = self._crop(kind, region)
        pixels = self.image.crop((left, top, left + crop.size[0], top + crop.size[1]))
        rgb, mask = pixels.tobytes(), crop.tobytes()
        hits = sorted((tuple(rgb[3 * k:3 * k + 3]) for k, hit in enumerate(mask) if hit), key=sum)
        return hits[len(hits) // 2]


def text_fonts(data: bytes, page: int) -> list[tuple[str, str]]:
    """(text, font family) of every text run on page ``page`` (1-based), in drawing order."""
    reader = PdfReader(io.BytesIO(data))
    runs: list[tuple[str, str]] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip() and font_dict is not None:
            runs.append((text.strip(), str(font_dict.get("/BaseFont", "")).split("+")[-1]))

    reader.pages[page - 1].extract_text(visitor_text=visit)
    return runs


def font_of(data: bytes, page: int, text: str) -> str:
    found = {font for run, font in text_fonts(data, page) if text in run}
    assert len(found) == 1, (text, found, text_fonts(data, page))
    return found.pop()


def embedded_fonts(data: bytes) -> dict[str, bool]:
    """Every font used in the PDF -> whether its file is embedded."""
    reader = PdfReader(io.BytesIO(data))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            name = str(font["/BaseFont"]).split("+")[-1]
            fonts[name] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return fonts


def page_sizes(data: bytes) -> list[tuple[float, float]]:
    reader = PdfReader(io.BytesIO(data))
    return [(float(p.mediabox.width) * PT, float(p.mediabox.height) * PT) for p in reader.pages]
