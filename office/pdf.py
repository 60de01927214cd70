"""HTML to PDF with WeasyPrint, offline.

Fonts are the Fandol faces vendored under ``static/fonts`` (仿宋 FandolFang, 宋 FandolSong,
黑 FandolHei, 楷 FandolKai; each covers the 6,763 GB2312 characters) and declared with
``@font-face`` from local files. The URL fetcher serves only files under the project's static
folders and inline ``data:`` URLs: nothing is fetched from the network at run time.
"""

from __future__ import annotations

import atexit
import threading
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

FONT_FACES = {
    "ZB Fangsong": "FandolFang-Regular.otf",
    "ZB Song": "FandolSong-Regular.otf",
    "ZB Hei": "FandolHei-Regular.otf",
    "ZB Kai": "FandolKai-Regular.otf",
}


def font_face_css() -> str:
    rules = []
    for family, filename in FONT_FACES.items():
        path = Path(settings.FONT_DIR) / filename
        rules.append(f'@font-face {{ font-family: "{family}"; src: url("{path.as_uri()}"); }}')
    return "\n".join(rules)


BASE_CSS = """
@page { size: A4; margin: 25mm 20mm 25mm 20mm;
        @bottom-center { content: "— " counter(page) " —"; font-family: "ZB Song"; font-size: 10.5pt; } }
html { font-family: "ZB Fangsong", "ZB Song", serif; font-size: 12pt; line-height: 1.6; color: #000; }
h1, h2, h3 { font-family: "ZB Hei", sans-serif; font-weight: normal; }
.song { font-family: "ZB Song", serif; }
.hei { font-family: "ZB Hei", sans-serif; }
.kai { font-family: "ZB Kai", serif; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 0.5pt solid #000; padding: 2mm 2.5mm; vertical-align: top; text-align: left; }
"""


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


_fonts = threading.local()
# drop the main thread's configuration before the interpreter tears its modules down (its
# finaliser needs them)
atexit.register(lambda: _fonts.__dict__.clear())


def _font_stylesheet(fetcher):
    """The @font-face stylesheet and its FontConfiguration, loaded once per thread while the
    declared faces stay the same (loading them costs about 0.2 s a render)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    faces = font_face_css()
    cached = getattr(_fonts, "value", None)
    if cached is None or cached[0] != faces:
        config = FontConfiguration()
        cached = (faces, config, CSS(string=faces, font_config=config, url_fetcher=fetcher))
        _fonts.value = cached
    return cached[1], cached[2]


def render_html(html: str, *, extra_css: str = "") -> bytes:
    """Render an HTML string to PDF bytes."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fetcher = _local_fetcher()
    if "@font-face" in extra_css:  # faces of its own: a configuration for this render only
        fonts = FontConfiguration()
        stylesheets = [CSS(string=font_face_css() + BASE_CSS + extra_css, font_config=fonts,
                           url_fetcher=fetcher)]
    else:
        fonts, face_sheet = _font_stylesheet(fetcher)
        stylesheets = [face_sheet, CSS(string=BASE_CSS + extra_css, font_config=fonts, url_fetcher=fetcher)]
    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher).write_pdf(
        stylesheets=stylesheets, font_config=fonts
    )


def render(template_name: str, context: dict | None = None, *, extra_css: str = "") -> bytes:
    """Render a Django template to PDF bytes."""
    return render_html(render_to_string(template_name, context or {}), extra_css=extra_css)
