"""Text normalisation before segmentation."""

from matching.engine import clean_text


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
