"""Batch matching from CSV files (pure core of the match_file command)."""

import csv

import pytest
from engine_corpus import NEEDS, PATENTS

from matching.engine import BatchInputError, match_files, match_records, read_needs_csv, read_patents_csv


def _write(path, header, rows, *, bom=False):
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_match_files_writes_ranked_explained_rows(tmp_path):
    # given
    patents = _write(tmp_path / "P.csv", ["id", "title", "abstract", "claims"], PATENTS, bom=True)
    needs = _write(tmp_path / "N.csv", ["id", "text"], NEEDS)
    out = tmp_path / "R.csv"

    # when
    written = match_files(patents_csv=patents, needs_csv=needs, out_csv=out, top=2)

    # then
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert written == len(rows) == 5  # N4 shares no word with any patent: no lexical and no semantic part
    assert list(rows[0]) == ["need_id", "patent_id", "rank", "score", "terms"]
    assert [(r["need_id"], r["patent_id"], r["rank"], r["terms"]) for r in rows] == [
        ("N1", "P5", "1", "锂电;锂电池;电池"),
        ("N1", "P1", "2", "材料;正极;电池"),
        ("N2", "P3", "1", "处理;污水;污水处理;过滤"),
        ("N2", "P5", "2", ""),  # semantic part only: close in the latent space, no shared term
        ("N3", "P2", "1", "图像;识别;图像识别;学习;深度"),
    ]
    assert [r["score"] for r in rows] == ["0.468351", "0.433832", "0.735523", "0.012002", "0.707359"]


def test_match_records_terms_explain_each_hit():
    # given
    patents = read_patents_csv("id,title,abstract\nA,污水处理装置,沉淀池和过滤器\nB,图像识别方法,卷积神经网络\n")
    needs = read_needs_csv("id,text\nX,过滤器\n")

    # when
    rows = match_records(patents=patents, needs=needs, top=5)

    # then
    assert [(r.patent_id, r.rank, r.terms) for r in rows] == [("A", 1, ("滤器", "过滤", "过滤器"))]


def test_claims_column_is_optional_and_bom_is_accepted():
    # given
    text = "\ufeffid,title,abstract\n1,锂电池,正极材料\n"

    # when
    patents = read_patents_csv(text)

    # then
    assert [(p.id, p.title, p.abstract, p.claims) for p in patents] == [("1", "锂电池", "正极材料", "")]


@pytest.mark.parametrize(
    ("text", "zh", "en"),
    [
        ("", "patents 是空文件", "patents is empty"),
        ("  \n", "patents 是空文件", "patents is empty"),
        ("id,title,abstract\n", "patents 没有数据行", "patents has a header but no data rows"),
        (
            "id,abstract\n1,x\n",
            "patents 缺少列: title（需要 id,title,abstract）",
            "patents is missing column(s): title (expected id,title,abstract)",
        ),
        ("id,title,abstract\n1,a,b\n1,c,d\n", "patents 中 id 重复: 1", "patents has a duplicate id: 1"),
        ("id,title,abstract\n,a,b\n", "patents 第 2 行缺少 id", "patents row 2 has an empty id"),
    ],
)
def test_bad_patent_files_give_bilingual_errors(text, zh, en):
    # given / when
    with pytest.raises(BatchInputError) as caught:
        read_patents_csv(text)

    # then
    assert caught.value.zh == zh
    assert caught.value.en == en
    assert str(caught.value) == f"{zh} / {en}"


def test_missing_needs_column_names_the_file(tmp_path):
    # given
    needs = _write(tmp_path / "N.csv", ["id", "need"], [["1", "污水"]])
    patents = _write(tmp_path / "P.csv", ["id", "title", "abstract"], [["1", "污水处理", ""]])

    # when / then
    with pytest.raises(BatchInputError, match=r"N.csv 缺少列: text.* / N.csv is missing column\(s\): text"):
        match_files(patents_csv=patents, needs_csv=needs, out_csv=tmp_path / "R.csv")


def test_non_utf8_file_is_rejected(tmp_path):
    # given
    path = tmp_path / "P.csv"
    path.write_bytes("id,title,abstract\n1,污水,处理\n".encode("gbk"))

    # when / then
    with pytest.raises(BatchInputError, match="P.csv 不是 UTF-8 编码 / P.csv is not UTF-8 encoded"):
        read_patents_csv(path, label="P.csv")
