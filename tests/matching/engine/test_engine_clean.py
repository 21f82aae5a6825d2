"""Text normalisation before segmentation."""

import csv
import re
from pathlib import Path

from matching.engine import clean_text
from matching.engine.clean import _NUMBER


def test_claim_boilerplate_and_reference_signs_are_removed():
    # given
    text = "根据权利要求1所述的装置，其特征在于，所述底座(6)上设有连接杆（12a）"

    # when
    cleaned = clean_text(text)

    # then
    assert cleaned.split() == ["装置", "所述底座", "上设有连接杆"]


def test_claim_ranges_are_removed():
    # given
    text = "如权利要求1-3任一项所述的方法"

    # when
    cleaned = clean_text(text)

    # then
    assert cleaned.split() == ["方法"]


def test_numbers_are_removed_but_names_with_digits_survive():
    # given
    text = "加入10g水和5wt%的CO2，在25℃下，采用5G通信和3D打印"

    # when
    cleaned = clean_text(text)

    # then
    assert cleaned.split() == ["加入", "g水和", "wt", "的co2", "在", "下", "采用5g通信和3d打印"]


def test_emoji_control_and_full_width_characters():
    # given
    text = "😀\x00abc\u200b一种\x07 ＰＬＣ（３）"

    # when
    cleaned = clean_text(text)

    # then
    assert cleaned.split() == ["abc", "一种", "plc"]


def test_business_scope_boilerplate_is_removed():
    # given
    text = "卷烟零售（不含婴幼儿配方乳粉）；依法须经批准的项目，经相关部门批准后方可开展经营活动"

    # when
    cleaned = clean_text(text)

    # then
    assert cleaned.split() == ["卷烟零售"]


def test_empty_text():
    # given / when / then
    assert clean_text("") == ""


# The number pattern before it was rewritten to start with the digit (matching/engine/clean.py): the rewrite must
# remove exactly the same spans.
_NUMBER_BEFORE = r"(?=\d)(?<![a-z0-9.])(?!\d[dg](?![a-z0-9]))\d+(?:\.\d+)?"


def test_the_number_pattern_removes_what_the_previous_one_did_on_real_patents_and_edge_cases():
    # given: the demo's real patents (titles, abstracts and claims) and the edge cases of the pattern
    corpus = Path(__file__).resolve().parents[3] / "demo_data" / "kppatent-zh" / "patents_full.csv"
    with corpus.open(encoding="utf-8-sig", newline="") as handle:
        texts = [" ".join(row.values()).lower() for row in csv.DictReader(handle)]
    texts += ["co2 h2o 3d 5g 3dg 7g。 12.5mm 3.14 x1.5 ab12 1d 2gx 9d9 9g- a.5 .5 1.2.3 v2.0 ٣4 3d打印", "1", "5g", ""]
    before = re.compile(_NUMBER_BEFORE)
    # when / then
    assert len(texts) > 500
    for text in texts:
        assert _NUMBER.sub(" ", text) == before.sub(" ", text), text[:80]
