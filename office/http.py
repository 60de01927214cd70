from urllib.parse import quote

from django.http import FileResponse, HttpResponse

# types a browser would render or run if it were allowed to show the file itself
_ACTIVE_TYPES = ("text/html", "application/xhtml", "image/svg", "text/xml", "application/xml",
                 "text/javascript", "application/javascript", "application/ecmascript",
                 "text/ecmascript", "application/x-javascript", "text/css")


def _as_download(response: HttpResponse) -> HttpResponse:
    """Headers every file download carries: never shown inline, never sniffed into another
    type, and sandboxed (no script, no same-origin access) should a browser render it anyway."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def safe_content_type(content_type: str) -> str:
    """The stored type, or ``application/octet-stream`` when it is unknown or a type that a
    browser would render as a page or run as a script."""
    value = (content_type or "").strip().lower()
    if not value or "/" not in value or value.startswith(_ACTIVE_TYPES) or "+xml" in value.split(";")[0]:
        return "application/octet-stream"
    return value


def download(data: bytes, filename: str, content_type: str) -> HttpResponse:
    """A file download with a UTF-8 (Chinese) file name."""
    response = HttpResponse(data, content_type=safe_content_type(content_type))
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return _as_download(response)


def serve_stored_file(field_file, *, filename: str, content_type: str) -> FileResponse:
    """A stored upload (a ``FieldFile``) streamed as an attachment named ``filename``, with the
    type detected at upload (``office.uploads``): always a download, never inline."""
    response = FileResponse(field_file.open("rb"), as_attachment=True, filename=filename,
                            content_type=safe_content_type(content_type))
    return _as_download(response)


def only_for(allowed):
    """A view decorator: the page answers 403 (audited by the middleware) unless
    ``allowed(user)`` — the one way an app keeps its pages to the people who take part in it
    (administrators never do, 三员分立)."""
    import functools

    from django.core.exceptions import PermissionDenied

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not allowed(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
