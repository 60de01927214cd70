from urllib.parse import quote

from django.http import HttpResponse


def download(data: bytes, filename: str, content_type: str) -> HttpResponse:
    """A file download with a UTF-8 (Chinese) file name."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
