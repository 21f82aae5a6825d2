"""The one exception the table reader raises, and the bilingual messages it carries."""

from __future__ import annotations


class TableError(Exception):
    """The uploaded file cannot be read as a table.

    ``code`` is stable for programs and tests; ``message`` is bilingual (Chinese / English)
    and can be shown to the user as is.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


def _error(code: str, message_zh: str, message_en: str) -> TableError:
    return TableError(code, f"{message_zh} / {message_en[:1].upper()}{message_en[1:]}")


def _bytes_zh(size: int) -> str:
    return f"{size / 1048576:,.1f} MB" if size >= 1048576 else f"{size:,} 字节"


def _bytes_en(size: int) -> str:
    return f"{size / 1048576:,.1f} MB" if size >= 1048576 else f"{size:,} bytes"


def _too_large(size: int | None, max_bytes: int) -> TableError:
    limit = f"{max_bytes / 1048576:.1f} MB"
    if size is None:  # a stream without a declared size: only "more than the limit" is known
        return _error("file_too_large", f"文件超过大小上限 {limit}", f"the file is over the size limit of {limit}")
    return _error(
        "file_too_large",
        f"文件大小 {size / 1048576:.1f} MB 超过上限 {limit}",
        f"the file is {size / 1048576:.1f} MB, over the limit of {limit}",
    )


def _old_xls() -> TableError:
    return _error(
        "old_xls",
        "不支持旧版 .xls 文件，请在 Excel 中“另存为” .xlsx 后上传",
        "old .xls files are not supported; 'Save As' .xlsx in Excel and upload that",
    )


def _executable() -> TableError:
    return _error("executable", "文件是可执行程序，不是表格", "the file is an executable program, not a table")


def _binary() -> TableError:
    return _error(
        "binary_file",
        "文件不是文本表格（含二进制内容），请上传 .xlsx 或 .csv",
        "the file is not a text table (binary content); upload an .xlsx or .csv file",
    )


def _undecodable(where_zh: str, where_en: str) -> TableError:
    return _error(
        "unknown_encoding",
        f"无法识别文件编码（解码失败：{where_zh}）；请在 Excel 中另存为“CSV UTF-8”或 .xlsx",
        f"cannot determine the file's encoding (decoding failed: {where_en}); save it as 'CSV UTF-8' or .xlsx",
    )


def _zip_bomb(detail_zh: str, detail_en: str) -> TableError:
    return _error(
        "xlsx_too_large_unpacked",
        f"工作簿解压后过大或结构异常（{detail_zh}），已拒绝",
        f"the workbook is too large when unpacked or abnormally structured ({detail_en}); refused",
    )


def _corrupt_xlsx(exc: BaseException) -> TableError:
    return _error(
        "corrupt_xlsx",
        f"工作簿已损坏或不完整，无法读取（{type(exc).__name__}）；请在 Excel 中重新保存后上传",
        f"the workbook is damaged or truncated and cannot be read ({type(exc).__name__}); re-save it in Excel",
    )
