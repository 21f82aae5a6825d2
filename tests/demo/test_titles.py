"""The rule that keeps junk titles out of the demo, and the title derived from an abstract."""

import pytest

from demo.titles import title_from_abstract, title_junk_reason


@pytest.mark.parametrize(
    ("title", "reason"),
    [
        ("权利要求书2页说明书9页附图5页一种洗衣机控制方法", "page header"),
        ("权利要求书1页说明书3页一种水分散性短切碳纤维及其制备方法", "page header"),
        ("一种洗衣机领域", "a field, not an invention"),
        ("一种属于显示技术领域", "a field, not an invention"),
        ("一种涉及石油化工的方法", "a field, not an invention"),
        ("", "empty"),
        ("   ", "empty"),
        ("一种1", "too short"),
        ("本发明公开了一种干衣机", "abstract text"),
        ("一种电机，所述电机包括定子。", "abstract text"),
        ("一种会话开始消息(400)", "abstract text"),
        ("的目的在于提供能简便地制作复杂图案的方法", "abstract text"),
        (
            "一种由具有芴骨架的高折射率二醇和在聚合物化时具有低玻璃化转变温度的芳香族二醇形成的聚缩甲醛树脂共聚物"
            "及其制造方法、以及由该共聚物制造的光学成形体",
            "too long",
        ),
        ("一种基于肽核酸探针的检测试剂(含", "cut off"),
        ("、一种连接器", "cut off"),
    ],
)
def test_junk_titles_are_named_with_their_reason(title, reason):
    # when
    found = title_junk_reason(title)

    # then
    assert found == reason


@pytest.mark.parametrize(
    "title",
    [
        "一种水电站高压输电线路驱鸟保护装置",
        "空调装置",
        "口罩",
        "基于神经网络的自学习视频编解码技术",
        "与油烟机配合使用的室内空气净化装置",
        "一种应用于医用领域的插页式卷袋",
        "页面主题定制方法、装置、电子设备及存储介质",
        "一种Sb 2 (S 1-x Se x ) 3 薄膜太阳电池吸收层及其制备方法与应用",
    ],
)
def test_real_titles_pass_the_rule(title):
    # when
    found = title_junk_reason(title)

    # then
    assert found == ""


@pytest.mark.parametrize(
    ("abstract", "title"),
    [
        # the invention, not the field the abstract starts with
        (
            "本发明涉及洗衣干衣技术领域，尤其涉及一种洗干一体机。其包括外壳、外筒、冷凝器。",
            "一种洗干一体机",
        ),
        (
            "本发明属于烘干设备技术领域，旨在解决现有的干衣机热能利用率较低的问题。为此，本发明提供了一种干衣机，该干衣机包括滚筒。",
            "一种干衣机",
        ),
        ("本发明公开了用于等离子体组件的表面涂层，所述表面涂层的益处是稳固性。", "用于等离子体组件的表面涂层"),
        # no title in it: nothing rather than a sentence
        ("将包括采用正弦信号调制的过程信号的输入信号从模拟形式转换成数字形式。通过滤波器提取信号。", ""),
        ("本发明涉及一种洗衣机领域。", ""),
    ],
)
def test_a_title_is_derived_from_an_abstract_or_none_is(abstract, title):
    # when
    derived = title_from_abstract(abstract)

    # then
    assert derived == title
