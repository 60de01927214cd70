"""Uploaded files are what they say.

``check_uploads`` is the one rule for every file a person uploads (document attachments,
progress-report attachments): the file's *content* must be of the kind its name claims. The
leading bytes are identified with ``puremagic`` (a pure-Python magic-number database); containers
are then opened to confirm what they hold (a DOCX has ``word/document.xml``, an XLSX
``xl/workbook.xml``, an OFD ``OFD.xml``); a text file must decode as text. Executables, web pages
and scripts are refused whatever their name. The detected MIME type is returned so that the file
is later served with that type and never as something a browser would run (``office.http``).

Forms call it to show the refusal beside the field; workflow steps call it again, so a crafted
request that skips the form is refused too. ``UploadLimitMiddleware`` bounds a whole request
(size and number of files) before Django reads it.
"""

from __future__ import annotations

import codecs
import logging
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from office.workflow import WorkflowError

logger = logging.getLogger("office.uploads")

HEAD_BYTES = 8192
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class UploadRefused(WorkflowError):
    """An uploaded file (or the set of files) is refused; ``message`` names the file and why."""

    def __init__(self, message: str):
        super().__init__(message, code="invalid_file")


@dataclass(frozen=True)
class UploadPolicy:
    """What one kind of attachment accepts: file name suffixes (lower case, with the dot) and
    the largest single file in bytes."""

    suffixes: frozenset[str]
    max_bytes: int

    def __post_init__(self):
        unknown = set(self.suffixes) - set(CLAIMS)
        if unknown:
            raise ValueError(f"No content check is defined for {sorted(unknown)}")


@dataclass(frozen=True)
class CheckedFile:
    """An upload whose content matched its name. ``content_type`` is what it is stored and
    served as; ``kind`` is the detected kind (a key of ``KINDS``)."""

    file: object
    name: str
    size: int
    kind: str
    content_type: str


# what each detected kind is called in a message, and the MIME type it is served as
KINDS: dict[str, tuple[Promise, str]] = {
    "pdf": (gettext_lazy("a PDF file"), "application/pdf"),
    "ofd": (gettext_lazy("an OFD file"), "application/ofd"),
    "docx": (gettext_lazy("a Word document (DOCX)"),
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": (gettext_lazy("an Excel workbook (XLSX)"),
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ole2": (gettext_lazy("an Office 97–2003 file (DOC, XLS or WPS)"), "application/x-ole-storage"),
    "rtf": (gettext_lazy("an RTF document"), "application/rtf"),
    "jpeg": (gettext_lazy("a JPEG image"), "image/jpeg"),
    "png": (gettext_lazy("a PNG image"), "image/png"),
    "tiff": (gettext_lazy("a TIFF image"), "image/tiff"),
    "text": (gettext_lazy("plain text"), "text/plain"),
    # never accepted; named in refusals
    "executable": (gettext_lazy("an executable program"), ""),
    "markup": (gettext_lazy("a web page or script (HTML, XML or SVG)"), ""),
    "script": (gettext_lazy("a script"), ""),
    "zip": (gettext_lazy("a ZIP archive"), ""),
    "archive": (gettext_lazy("a compressed archive"), ""),
    "damaged": (gettext_lazy("a damaged archive"), ""),
    "binary": (gettext_lazy("binary data of an unknown kind"), ""),
}

# the name's suffix -> (what it claims to be, the detected kinds that may carry that name).
# Word and WPS accept the three formats Word itself saves under .doc; images any image format
# (phones and chat programs often save a PNG as .jpg); everything else exactly its own kind.
_IMAGE = frozenset({"jpeg", "png", "tiff"})
_LEGACY_WORD = frozenset({"ole2", "docx", "rtf"})
CLAIMS: dict[str, tuple[Promise, frozenset[str]]] = {
    ".pdf": (gettext_lazy("a PDF file"), frozenset({"pdf"})),
    ".ofd": (gettext_lazy("an OFD file"), frozenset({"ofd"})),
    ".docx": (gettext_lazy("a Word document"), frozenset({"docx"})),
    ".doc": (gettext_lazy("a Word document"), _LEGACY_WORD),
    ".wps": (gettext_lazy("a WPS document"), _LEGACY_WORD),
    ".xlsx": (gettext_lazy("an Excel workbook"), frozenset({"xlsx"})),
    ".xls": (gettext_lazy("an Excel workbook"), frozenset({"ole2", "xlsx"})),
    ".jpg": (gettext_lazy("an image"), _IMAGE),
    ".jpeg": (gettext_lazy("an image"), _IMAGE),
    ".png": (gettext_lazy("an image"), _IMAGE),
    ".tif": (gettext_lazy("an image"), _IMAGE),
    ".tiff": (gettext_lazy("an image"), _IMAGE),
    ".txt": (gettext_lazy("a text file"), frozenset({"text"})),
}
# an Office 97–2003 compound file is served under the type its name gives
OLE2_TYPES = {".doc": "application/msword", ".wps": "application/vnd.ms-works",
              ".xls": "application/vnd.ms-excel"}

# the magic library's findings that we map to a kind (by MIME type, then by extension)
_LIBRARY_MIME = {"application/pdf": "pdf", "image/jpeg": "jpeg", "image/png": "png",
                 "image/tiff": "tiff", "application/rtf": "rtf", "text/rtf": "rtf",
                 "text/html": "markup", "application/xhtml+xml": "markup", "image/svg+xml": "markup",
                 "application/xml": "markup", "text/xml": "markup", "application/javascript": "markup",
                 "text/javascript": "markup"}
_LIBRARY_EXT = {".zip": "zip", ".docx": "zip", ".xlsx": "zip", ".pptx": "zip", ".jar": "zip",
                ".apk": "zip", ".doc": "ole2", ".xls": "ole2", ".ppt": "ole2", ".msi": "ole2",
                ".rar": "archive", ".7z": "archive", ".gz": "archive", ".bz2": "archive",
                ".xz": "archive", ".cab": "archive", ".tar": "archive",
                ".html": "markup", ".htm": "markup", ".svg": "markup", ".xml": "markup",
                ".js": "markup", ".hta": "markup"}
_EXECUTABLE_EXT = {".exe", ".dll", ".com", ".scr", ".sys", ".ocx", ".cpl", ".drv", ".efi",
                   ".elf", ".so", ".dylib", ".bin", ".class", ".dex", ".pyc"}
_EXECUTABLE_WORDS = ("executable", "mach-o")
# WHATWG MIME sniffing, "rules for identifying an unknown MIME type": the tags that make a
# browser treat bytes as HTML, plus XML (and with it SVG) and a bare <svg
_MARKUP_TAGS = (b"<!doctype html", b"<html", b"<head", b"<script", b"<iframe", b"<h1", b"<div",
                b"<font", b"<table", b"<a", b"<style", b"<title", b"<b", b"<body", b"<br", b"<p",
                b"<!--", b"<svg", b"<object", b"<embed", b"<img", b"<meta", b"<link", b"<form")
_TAG_ENDS = (b" ", b">", b"\t", b"\n", b"\r", b"\x0c", b"/")
# C0 control characters other than tab, line feed, vertical tab, form feed, carriage return and
# the DOS end-of-file mark
_TEXT_CONTROLS = re.compile("[\x01-\x08\x0e-\x19\x1b-\x1f]")


# --- identification -----------------------------------------------------------------------

def _head(f, n: int = HEAD_BYTES) -> bytes:
    f.seek(0)
    data = f.read(n)
    f.seek(0)
    return data


def _library(head: bytes) -> list:
    """The magic library's candidates for these leading bytes, best first."""
    import puremagic

    try:
        return list(puremagic.magic_string(head))
    except puremagic.PureError:  # nothing in its database matches
        return []
    except Exception:  # a library failure must not let a file through or break the page
        logger.exception("puremagic could not identify the upload")
        return []


def _is_executable(head: bytes, candidates: Sequence) -> bool:
    if head.startswith((b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe",
                        b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xca\xfe\xba\xbe")):
        return True
    for c in candidates:
        # two-byte signatures (confidence 0.2) are too weak: a GBK text may begin with one
        if getattr(c, "confidence", 1) < 0.4:
            continue
        name = (c.name or "").lower()
        if (c.extension or "").lower() in _EXECUTABLE_EXT or any(w in name for w in _EXECUTABLE_WORDS):
            return True
    return False


def looks_like_markup(head: bytes | str) -> bool:
    """True when a browser sniffing these leading bytes (or characters) would take them for a
    web page, XML or SVG: after white space, a tag such as ``<html``, ``<script``, ``<svg``
    or ``<?xml`` (case-insensitive)."""
    if isinstance(head, str):
        head = head[:1024].encode("utf-8", errors="replace")
    start = head.removeprefix(codecs.BOM_UTF8).lstrip(b" \t\n\r\x0c")[:64].lower()
    if start.startswith(b"<?xml"):
        return True
    return any(start.startswith(tag) and start[len(tag):len(tag) + 1] in _TAG_ENDS
               for tag in _MARKUP_TAGS)


def _zip_kind(f) -> str:
    """What a ZIP container holds, from its central directory (nothing is decompressed)."""
    try:
        f.seek(0)
        with zipfile.ZipFile(f) as archive:
            names = {name.lower() for name in archive.namelist()}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return "damaged"
    finally:
        f.seek(0)
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "ofd.xml" in names:
        return "ofd"
    return "zip"


def sniff_text(f) -> tuple[str, str] | None:
    """("text", encoding) when the whole file decodes as text (UTF-16 with a byte-order mark,
    UTF-8, or GB18030) without NUL characters and with at most one control character in a
    thousand; ("markup", "") or ("script", "") when that text is a web page, XML or a script;
    None when it is not text."""
    head = _head(f, 4)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8-sig", "gb18030"]
    for encoding in candidates:
        first = _decode_as_text(f, encoding)
        if first is None:
            continue
        if looks_like_markup(first):
            return "markup", ""
        if first.startswith("#!"):
            return "script", ""
        return "text", encoding
    return None


def _decode_as_text(f, encoding: str) -> str | None:
    """The first characters when the whole file decodes as text in ``encoding``, else None."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    characters = controls = 0
    first = ""
    f.seek(0)
    try:
        while True:
            chunk = f.read(1024 * 1024)
            text = decoder.decode(chunk or b"", final=not chunk)
            if "\x00" in text:
                return None
            if len(first) < 1024:
                first += text[:1024]
            characters += len(text)
            controls += len(_TEXT_CONTROLS.findall(text))
            if not chunk:
                break
    except UnicodeDecodeError:
        return None
    finally:
        f.seek(0)
    return first if controls * 1000 <= characters else None


def identify(f) -> tuple[str, str]:
    """(kind, detail) of the uploaded file ``f``, by content only. The kind is a key of
    ``KINDS``, "empty", or "other"; the detail is the text encoding of "text" and the magic
    library's name for "other"."""
    head = _head(f)
    if not head:
        return "empty", ""
    candidates = _library(head)
    if _is_executable(head, candidates):
        return "executable", ""
    if looks_like_markup(head):
        return "markup", ""
    if head.startswith(b"#!"):
        return "script", ""
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(f), ""
    for c in candidates:
        kind = _LIBRARY_MIME.get((c.mime_type or "").lower()) or _LIBRARY_EXT.get((c.extension or "").lower())
        if kind == "ole2" and not head.startswith(OLE2_MAGIC):
            continue
        if kind == "zip":  # an archive the library knows by a signature further in
            return _zip_kind(f), ""
        if kind:
            return kind, ""
    text = sniff_text(f)
    if text is not None:
        return text
    if candidates:
        return "other", candidates[0].name or candidates[0].extension
    return "binary", ""


# --- the rule -----------------------------------------------------------------------------

def _suffix(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).suffix.lower()


def _accepted_list(policy: UploadPolicy) -> str:
    return "、".join(sorted({s.lstrip(".").upper() for s in policy.suffixes}))


def _megabytes(n: int) -> str:
    value = n / (1024 * 1024)
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


def check_upload(f, policy: UploadPolicy) -> CheckedFile:
    """The uploaded file ``f`` checked against ``policy``: its suffix is accepted, its size
    within the limit and its content of the kind its name claims. Raises ``UploadRefused``
    with a message that names the file; reads only the leading bytes (and a ZIP's directory,
    or a text file's text) and leaves the file at position 0."""
    name = f.name or ""
    suffix = _suffix(name)
    if suffix not in policy.suffixes:
        raise UploadRefused(_("“%(name)s”: files of this type are not accepted here. Accepted: "
                              "%(accepted)s.") % {"name": name, "accepted": _accepted_list(policy)})
    if f.size > policy.max_bytes:
        raise UploadRefused(_("“%(name)s” is larger than %(limit)s MB.")
                            % {"name": name, "limit": _megabytes(policy.max_bytes)})
    claimed, accepted = CLAIMS[suffix]
    kind, detail = identify(f)
    if kind == "empty":
        raise UploadRefused(_("“%(name)s” is empty.") % {"name": name})
    if kind not in accepted:
        if kind == "other":
            actual = _("a file of another kind (%(name)s)") % {"name": detail}
        else:
            actual = KINDS[kind][0]
        raise UploadRefused(_("“%(name)s” is not %(claimed)s: its content is %(actual)s.")
                            % {"name": name, "claimed": claimed, "actual": actual})
    content_type = KINDS[kind][1]
    if kind == "ole2":
        content_type = OLE2_TYPES.get(suffix, content_type)
    elif kind == "text":
        content_type = f"text/plain; charset={detail.removesuffix('-sig')}"
    return CheckedFile(file=f, name=name[:200], size=f.size, kind=kind, content_type=content_type)


def check_uploads(files: Iterable, policy: UploadPolicy) -> list[CheckedFile]:
    """Every file of one submission checked (``check_upload``), after the submission as a
    whole: at most ``UPLOAD_MAX_FILES`` files adding up to at most ``UPLOAD_MAX_REQUEST_BYTES``."""
    files = [f for f in files or () if f]
    check_request_totals(len(files), sum(f.size or 0 for f in files))
    return [check_upload(f, policy) for f in files]


def check_request_totals(count: int, total: int) -> None:
    if count > settings.UPLOAD_MAX_FILES:
        raise UploadRefused(_("At most %(limit)d files can be sent at once (%(count)d were sent).")
                            % {"limit": settings.UPLOAD_MAX_FILES, "count": count})
    if total > settings.UPLOAD_MAX_REQUEST_BYTES:
        raise UploadRefused(_("The files add up to %(size)s MB: at most %(limit)s MB can be sent "
                              "at once.") % {"size": _megabytes(total),
                                             "limit": _megabytes(settings.UPLOAD_MAX_REQUEST_BYTES)})


# --- the whole request --------------------------------------------------------------------

class UploadLimitMiddleware:
    """Bounds every form submission before a view sees it: a declared body larger than
    ``UPLOAD_MAX_REQUEST_BYTES`` (plus room for the form's text) is refused unread, and the
    parser's own refusals (too many files or fields, text fields too large, a malformed body)
    become the same clear 400 page instead of Django's bare "Bad Request"."""

    FORM_TEXT_ALLOWANCE = 1024 * 1024
    FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("POST", "PUT", "PATCH") and request.content_type in self.FORM_TYPES:
            refusal = self._refusal(request)
            if refusal is not None:
                logger.warning("Upload refused for %s: %s", request.path, refusal)
                return render(request, "office/upload_refused.html", {
                    "message": refusal, "back": _back_url(request),
                    "limit_mb": _megabytes(settings.UPLOAD_MAX_REQUEST_BYTES),
                    "limit_files": settings.UPLOAD_MAX_FILES}, status=400)
        return self.get_response(request)

    def _refusal(self, request) -> str | None:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        limit = settings.UPLOAD_MAX_REQUEST_BYTES
        if declared > limit + self.FORM_TEXT_ALLOWANCE:
            return _("The files add up to %(size)s MB: at most %(limit)s MB can be sent at once.") % {
                "size": _megabytes(declared), "limit": _megabytes(limit)}
        try:
            request.POST  # noqa: B018 - parse now, where the parser's refusals can be answered
            files = [f for name in request.FILES for f in request.FILES.getlist(name)]
        except TooManyFilesSent:
            return _("At most %(limit)d files can be sent at once.") % {"limit": settings.UPLOAD_MAX_FILES}
        except (RequestDataTooBig, TooManyFieldsSent):
            return _("The form is too large to be received. Shorten the text or send fewer items.")
        except MultiPartParserError:
            return _("The upload arrived incomplete or damaged. Please send it again.")
        try:
            check_request_totals(len(files), sum(f.size or 0 for f in files))
        except UploadRefused as exc:
            return exc.message
        return None


def _back_url(request) -> str:
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()},
                                                     require_https=request.is_secure()):
        return referer
    return reverse("office:desk")
