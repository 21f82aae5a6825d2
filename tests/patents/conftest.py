import csv
import io
from pathlib import Path

import pytest

SAMPLE = Path(__file__).parent / "data" / "patent_record_sample.csv"


def sample_rows() -> list[dict[str, str]]:
    """The 10 real rows of a tech-transfer database export (see data/PROVENANCE-patent-record-sample.md)."""
    with SAMPLE.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def to_csv(rows: list[dict[str, str]], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


@pytest.fixture
def rows() -> list[dict[str, str]]:
    return sample_rows()
