"""common.tabular's inputs: bytes, paths and streams, and the size limit checked before reading."""

import io

import pytest

from common.tabular import TableError, read_table
from tests.common.tabular.helpers import (
    CSV_TEXT,
    EXPECTED_ROWS,
    error_code,
)


def test_size_limit_on_bytes():
    # given
    data = CSV_TEXT.encode()

    # when
    with pytest.raises(TableError) as caught:
        read_table(data=data, filename="x.csv", max_bytes=10)

    # then
    assert caught.value.code == "file_too_large"


def test_size_limit_on_a_path_is_checked_before_reading(tmp_path, monkeypatch):
    # given
    path = tmp_path / "big.csv"
    path.write_bytes(CSV_TEXT.encode())
    opened: list[object] = []
    monkeypatch.setattr("builtins.open", lambda *args, **kwargs: opened.append(args))

    # when
    code = error_code(data=path, max_bytes=10)

    # then
    assert code == "file_too_large"
    assert opened == []


def test_size_limit_on_a_stream_reads_at_most_one_byte_more():
    # given
    class Stream(io.BytesIO):
        requested: list[int] = []

        def read(self, size: int | None = -1) -> bytes:
            self.requested.append(size)
            return super().read(size)

    stream = Stream(CSV_TEXT.encode())

    # when
    code = error_code(data=stream, filename="x.csv", max_bytes=10)

    # then
    assert code == "file_too_large"
    assert stream.requested == [11]


def test_declared_stream_size_is_checked_before_any_read():
    # given: like Django's UploadedFile, the stream knows its size
    class Upload(io.BytesIO):
        size = 60 * 1024 * 1024

        def read(self, size: int | None = -1) -> bytes:
            raise AssertionError("must not read")

    # when
    with pytest.raises(TableError) as caught:
        read_table(data=Upload(), filename="x.csv")

    # then
    assert caught.value.message == "文件大小 60.0 MB 超过上限 50.0 MB / The file is 60.0 MB, over the limit of 50.0 MB"


def test_path_input_takes_the_filename_from_the_path(tmp_path):
    # given
    path = tmp_path / "patents.csv"
    path.write_bytes(CSV_TEXT.encode("gbk"))

    # when
    table = read_table(data=path)

    # then
    assert list(table) == EXPECTED_ROWS


def test_str_data_is_refused():
    # given / when / then
    with pytest.raises(TypeError):
        read_table(data="a,b\n1,2\n", filename="x.csv")  # type: ignore[arg-type]
