"""Loading an upload and checking its container before parsing: size, magic bytes, encoding, the xlsx zip."""

from __future__ import annotations

import io
import os
import re
import zipfile
import zlib
from typing import BinaryIO

from common.tabular.errors import (
    TableError,
    _binary,
    _bytes_en,
    _bytes_zh,
    _corrupt_xlsx,
    _error,
    _executable,
    _old_xls,
    _too_large,
    _undecodable,
    _zip_bomb,
)
from common.tabular.limits import (
    _BINARY_SNIFF_BYTES,
    _RATIO_CHECK_MIN_BYTES,
    DEFAULT_MAX_SHARED_STRINGS,
    DEFAULT_MAX_XML_PART_BYTES,
)
from common.validators._text import excerpt

# An <si> start tag, with or without a namespace prefix: one shared string each. Text content cannot hold a
# literal "<", so only comments or CDATA could make this overcount (and then the file is refused, never let through).
_SHARED_STRING_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")
_SCAN_CHUNK = 1024 * 1024
_OVERRIDE_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?Override\b[^>]*>")
_PART_NAME = re.compile(rb"""PartName\s*=\s*["']([^"']*)["']""")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")


def _load_bytes(data: bytes | os.PathLike[str] | BinaryIO, max_bytes: int) -> bytes:
    """Return the content, refusing anything over ``max_bytes`` before reading it all."""
    if isinstance(data, bytes | bytearray | memoryview):
        content = bytes(data)
        size = len(content)
    elif isinstance(data, os.PathLike):
        size = os.stat(data).st_size
        if size > max_bytes:
            raise _too_large(size, max_bytes)
        with open(data, "rb") as handle:
            content = handle.read(max_bytes + 1)  # the file may grow between stat and read
        size = len(content)
    else:
        declared = getattr(data, "size", None)  # Django's UploadedFile knows its size before any read
        if isinstance(declared, int) and declared > max_bytes:
            raise _too_large(declared, max_bytes)
        content = data.read(max_bytes + 1)
        if len(content) > max_bytes:
            raise _too_large(None, max_bytes)
        return content
    if size > max_bytes:
        raise _too_large(size, max_bytes)
    return content


def _check_csv_magic(content: bytes) -> None:
    head = content[:1024]
    if head.startswith(_ZIP):
        raise _error(
            "wrong_extension",
            "这是一个 Excel (.xlsx) 或 zip 文件，却以 .csv 命名；请直接上传 .xlsx 文件",
            "this is an Excel (.xlsx) or zip file named .csv; upload it as .xlsx",
        )
    if head.startswith(_OLE2):
        raise _old_xls()
    # "MZ" alone could begin a header cell; a DOS/PE executable also has NULs right after it.
    if (head.startswith(b"MZ") and b"\x00" in head) or head.startswith(b"\x7fELF"):
        raise _executable()
    if head.startswith((b"%PDF", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        raise _binary()
    if not head.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" in content[:_BINARY_SNIFF_BYTES]:
        # Text tables have no NUL near the start (UTF-16 has a BOM, checked above). Only the head is
        # checked, as git does: real exports carry stray NUL runs deep inside (the Hubei file has 1,411),
        # and those are removed from the cells instead.
        raise _binary()


def decode_text(content: bytes) -> tuple[str, str]:
    """Decode CSV bytes strictly; return ``(text, encoding)``.

    Order: UTF-16 with BOM, UTF-8 with BOM, UTF-8, GB18030 (a superset of GBK and
    GB2312, so GBK files are reported as "gb18030"). Raises TableError naming the
    byte offset where each attempt failed.
    """
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise _undecodable(f"UTF-16 在第 {exc.start} 字节", f"UTF-16 at byte {exc.start}") from exc
    if content.startswith(b"\xef\xbb\xbf"):
        try:
            return content[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            # The BOM states the intent; guessing another encoding would only produce mojibake.
            offset = exc.start + 3
            raise _undecodable(f"UTF-8（有 BOM）在第 {offset} 字节", f"UTF-8 (with BOM) at byte {offset}") from exc
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            return content.decode("gb18030"), "gb18030"
        except UnicodeDecodeError as gb_error:
            raise _undecodable(
                f"UTF-8 在第 {utf8_error.start} 字节、GB18030 在第 {gb_error.start} 字节",
                f"UTF-8 at byte {utf8_error.start}, GB18030 at byte {gb_error.start}",
            ) from gb_error


def _check_xlsx_container(
    content: bytes,
    *,
    max_uncompressed_bytes: int,
    max_compression_ratio: float,
    max_zip_entries: int,
    max_shared_strings: int = DEFAULT_MAX_SHARED_STRINGS,
    max_xml_part_bytes: int = DEFAULT_MAX_XML_PART_BYTES,
) -> None:
    _check_xlsx_magic(content[:1024])
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
            _check_zip_directory(
                entries,
                max_uncompressed_bytes=max_uncompressed_bytes,
                max_compression_ratio=max_compression_ratio,
                max_zip_entries=max_zip_entries,
                max_xml_part_bytes=max_xml_part_bytes,
            )
            count = sum(_count_shared_strings(archive, entry) for entry in _shared_string_parts(archive, entries))
            if count > max_shared_strings:
                raise _error(
                    "too_many_shared_strings",
                    f"工作簿含有 {count:,} 个不同的文本（共享字符串），超过上限 {max_shared_strings:,}；"
                    "请删除不需要的列和行、拆分文件，或另存为 CSV 后上传",
                    f"the workbook holds {count:,} distinct texts (shared strings), over the limit of "
                    f"{max_shared_strings:,}; delete unused columns and rows, split the file, or save it as CSV",
                )
    except TableError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, ValueError, EOFError, RuntimeError) as exc:
        raise _corrupt_xlsx(exc) from exc


def _shared_string_parts(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo]) -> list[zipfile.ZipInfo]:
    """The shared-strings parts openpyxl would load: declared in [Content_Types].xml (any name), or the usual one."""
    names = {"xl/sharedstrings.xml"}
    types = next((entry for entry in entries if entry.filename == "[Content_Types].xml"), None)
    if types is not None:  # its size is capped like every part
        for override in _OVERRIDE_TAG.findall(archive.read(types)):
            if b"sharedStrings" in override:
                part = _PART_NAME.search(override)
                if part:
                    names.add(part.group(1).decode("utf-8", "replace").lstrip("/").lower())
    return [entry for entry in entries if entry.filename.lower() in names]


def _count_shared_strings(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> int:
    """Count the <si> elements of sharedStrings.xml in a streaming scan (its size is already capped)."""
    count = 0
    tail = b""
    with archive.open(entry) as stream:
        while chunk := stream.read(_SCAN_CHUNK):
            data = tail + chunk
            # a match cannot hold a "<", so every tag that starts before the last "<" is complete in this chunk
            last = data.rfind(b"<")
            if last < 0:
                tail = b""
                continue
            count += len(_SHARED_STRING_TAG.findall(data, 0, last))
            tail = data[last:]
    return count + len(_SHARED_STRING_TAG.findall(tail))


def _check_xlsx_magic(head: bytes) -> None:
    head = head[:1024]
    if head.startswith(_OLE2):
        raise _error(
            "xlsx_ole2",
            "这是旧版 .xls 文件或带密码的工作簿；请去掉密码并在 Excel 中“另存为” .xlsx 后上传",
            "this is an old .xls file or a password-protected workbook; remove the password and "
            "'Save As' .xlsx in Excel",
        )
    if head.startswith(b"MZ") or head.startswith(b"\x7fELF"):
        raise _executable()
    if not head.startswith(_ZIP):
        raise _error(
            "not_xlsx",
            "文件不是 .xlsx 格式（扩展名与内容不符）",
            "the file is not an .xlsx workbook (extension and content differ)",
        )


def _check_zip_directory(
    entries: list[zipfile.ZipInfo],
    *,
    max_uncompressed_bytes: int,
    max_compression_ratio: float,
    max_zip_entries: int,
    max_xml_part_bytes: int,
) -> None:
    if len(entries) > max_zip_entries:
        raise _zip_bomb(f"包含 {len(entries)} 个条目", f"it holds {len(entries)} entries")
    total = sum(entry.file_size for entry in entries)
    if total > max_uncompressed_bytes:
        raise _zip_bomb(
            f"解压后共 {total:,} 字节，超过上限 {max_uncompressed_bytes:,}",
            f"it unpacks to {total:,} bytes, over the limit of {max_uncompressed_bytes:,}",
        )
    for entry in entries:
        if entry.file_size < _RATIO_CHECK_MIN_BYTES:
            continue
        ratio = entry.file_size / max(entry.compress_size, 1)
        if ratio > max_compression_ratio:
            raise _zip_bomb(
                f"条目 {entry.filename} 的压缩比为 {ratio:,.0f}:1",
                f"entry {entry.filename} has a compression ratio of {ratio:,.0f}:1",
            )
    for entry in entries:  # every part, whatever its name: the sheet and shared-strings parts can be called anything
        if entry.file_size > max_xml_part_bytes:
            name = excerpt(entry.filename)
            raise _error(
                "xlsx_part_too_large",
                f"工作簿中的 {name} 解压后有 {_bytes_zh(entry.file_size)}，超过上限 {_bytes_zh(max_xml_part_bytes)}；"
                "请删除不需要的列和行、拆分文件，或另存为 CSV 后上传",
                f"the workbook's {name} unpacks to {_bytes_en(entry.file_size)}, over the limit of "
                f"{_bytes_en(max_xml_part_bytes)}; delete unused columns and rows, split the file, or save it as CSV",
            )
    if "[Content_Types].xml" not in {entry.filename for entry in entries}:
        raise _error(
            "not_xlsx",
            "文件是 zip 压缩包但不是 .xlsx 工作簿（缺少 [Content_Types].xml）",
            "the file is a zip archive but not an .xlsx workbook ([Content_Types].xml is missing)",
        )
