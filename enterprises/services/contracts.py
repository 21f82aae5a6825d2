"""Checks of uploaded contract files: size limit and type by magic bytes (the name and MIME type are the uploader's)."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

# (leading bytes, extension); WebP is "RIFF" + size + "WEBP", checked separately.
_SIGNATURES = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpg"),
)


def contract_max_bytes() -> int:
    """Largest contract accepted: setting DOCKING_CONTRACT_MAX_BYTES, never above the platform's upload limit."""
    return min(int(settings.DOCKING_CONTRACT_MAX_BYTES), int(settings.UPLOAD_MAX_BYTES))


def contract_file_kind(*, head: bytes) -> str | None:
    """The extension matching the file's first bytes (pdf, png, jpg, webp), or None for anything else."""
    for signature, extension in _SIGNATURES:
        if head.startswith(signature):
            return extension
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def contract_file_check(*, upload: UploadedFile) -> str:
    """Raise a ValidationError unless the upload is a PDF or image within the size limit; return a safe file name."""
    limit = contract_max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            {
                "contract_file": [
                    f"合同文件不能超过 {limit // (1024 * 1024)} MB / The contract file must not exceed "
                    f"{limit // (1024 * 1024)} MB"
                ]
            }
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = contract_file_kind(head=head)
    if kind is None:
        raise ValidationError(
            {
                "contract_file": [
                    "合同文件须为 PDF 或图片（PNG、JPEG、WebP），按文件内容判断 / "
                    "The contract must be a PDF or an image (PNG, JPEG, WebP), judged by its content"
                ]
            }
        )
    return f"contract-{uuid.uuid4().hex}.{kind}"
