"""Stored files (uploads, rejected rows, contracts) leave the server only through owner-checking views, as attachments.

There is no public /media/ route, not even in DEBUG: a view first checks that the caller may see the owning row
(an import job, a docking request) and then answers with `protected_file_response`. Stored names carry a random
component (`unguessable_name`), so a name seen once says nothing about the next one.
"""

import secrets
from pathlib import PurePath

from django.db.models.fields.files import FieldFile
from django.http import FileResponse

# The only content types a stored file is ever served with; anything else (html, svg, js…) goes out as bytes.
SAFE_CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xls": "application/vnd.ms-excel",
}
FALLBACK_CONTENT_TYPE = "application/octet-stream"


def safe_content_type(*, filename: str) -> str:
    """The content type a download named `filename` is served with: from a short allow-list, else octet-stream."""
    return SAFE_CONTENT_TYPES.get(PurePath(filename).suffix.lower().lstrip("."), FALLBACK_CONTENT_TYPE)


def unguessable_name(*, original: str, prefix: str = "") -> str:
    """A stored file name: `prefix`, 128 random bits, and the original's extension when it is a safe one (csv, xlsx,
    pdf…; an .html or .svg upload is stored without its extension)."""
    suffix = PurePath(original).suffix.lower()
    if suffix.lstrip(".") not in SAFE_CONTENT_TYPES:
        suffix = ""
    return f"{prefix}{secrets.token_urlsafe(16)}{suffix}"


def protected_file_response(*, file: FieldFile, filename: str) -> FileResponse:
    """`file` as a download named `filename`: always an attachment, never sniffed, never text/html.

    Call only after checking that the caller may see the row that owns the file.
    """
    response = FileResponse(
        file.open("rb"), as_attachment=True, filename=filename, content_type=safe_content_type(filename=filename)
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
