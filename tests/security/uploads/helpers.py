"""What the hostile upload tests share: the upload URLs, the refused files of the corpus with their error codes, an
upload that runs its job, and the check that a message is Chinese then English."""

import re
from functools import cache

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.security import corpus

PATENT_URL = reverse("patents-api:patent-import")
ENTERPRISE_URL = "/api/v1/enterprises/imports/"
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")

# case -> (builder, error code, a fragment of the English half of the message)
REFUSED = {
    "truncated_xlsx": (corpus.truncated_xlsx, "corrupt_xlsx", "damaged or truncated"),
    "corrupt_xlsx": (corpus.corrupt_xlsx, "corrupt_xlsx", "damaged or truncated"),
    "zip_bomb_ratio": (corpus.zip_bomb_ratio_xlsx, "xlsx_too_large_unpacked", "compression ratio"),
    "zip_bomb_declared_size": (corpus.zip_bomb_declared_xlsx, "xlsx_too_large_unpacked", "unpacks to"),
    "zip_bomb_entry_count": (corpus.zip_many_entries_xlsx, "xlsx_too_large_unpacked", "1501 entries"),
    "pe_as_csv": (lambda: corpus.executables()[0], "executable", "executable"),
    "pe_as_xlsx": (lambda: corpus.executables()[1], "executable", "executable"),
    "elf_as_csv": (lambda: corpus.executables()[2], "executable", "executable"),
    "elf_as_xlsx": (lambda: corpus.executables()[3], "executable", "executable"),
    "utf16_without_bom": (corpus.utf16_without_bom, "binary_file", ""),
    "latin1_bytes": (corpus.latin1_bytes, "unknown_encoding", "UTF-8"),
    "mixed_encodings": (corpus.mixed_encodings, "unknown_encoding", "UTF-8"),
    "ten_megabyte_cell": (corpus.ten_megabyte_cell, "cell_too_long", "over the limit of 100,000"),
}

# refused at the door by the one upload check (extension against first bytes): 400, no job, no file stored
REFUSED_AT_UPLOAD = {"pe_as_csv", "pe_as_xlsx", "elf_as_csv", "elf_as_xlsx", "utf16_without_bom"}


@cache
def refused_file(name: str) -> tuple[str, bytes]:
    return REFUSED[name][0]()


def upload_job(client, url: str, filename: str, content: bytes, capture, **extra) -> dict:
    with capture(execute=True):
        response = client.post(url, {"file": SimpleUploadedFile(filename, content), **extra}, format="multipart")
    assert response.status_code == 202, response.content[:500]
    return client.get(f"/api/v1/imports/{response.json()['pk']}/").json()


def assert_bilingual(message: str) -> None:
    assert " / " in message, message
    chinese, english = message.rsplit(" / ", 1)
    assert CJK.search(chinese), message
    assert LATIN_WORD.search(english), message
