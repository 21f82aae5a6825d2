"""Bilingual messages ("中文 / English", built and stored Chinese first) read English first in the English UI: the
reordering itself, the single-line rule's message on forms and the API, and the API's errors."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from common.bilingual import english_first
from enterprises.forms import ProfileForm
from enterprises.models import TechNeed


@pytest.mark.parametrize(
    ("stored", "english_first_text"),
    [
        (
            "第4行 申请号: 校验位错误，应为 6 / Row 4, application number: wrong check digit, expected 6",
            "Row 4, application number: wrong check digit, expected 6 / 第4行 申请号: 校验位错误，应为 6",
        ),
        (  # no space before the slash after a full-width bracket; the English half is capitalised when first
            "不能包含换行或控制字符（第 3 个字符）/ must not contain line breaks or control characters (character 3)",
            "Must not contain line breaks or control characters (character 3) / 不能包含换行或控制字符（第 3 个字符）",
        ),
        (  # a Chinese name inside the English half
            "该专利已由“华中科技大学”登记，不能覆盖 / already registered by 华中科技大学; it cannot be overwritten",
            "Already registered by 华中科技大学; it cannot be overwritten / 该专利已由“华中科技大学”登记，不能覆盖",
        ),
        (  # a " / " inside the English half
            "第2行 专利类型: 无法确定专利类型，请填写 发明 / 实用新型 / 外观设计 / "
            "Row 2, patent type: cannot tell the patent type; fill in invention / utility model / design",
            "Row 2, patent type: cannot tell the patent type; fill in invention / utility model / design / "
            "第2行 专利类型: 无法确定专利类型，请填写 发明 / 实用新型 / 外观设计",
        ),
        ("只有中文", "只有中文"),
        ("English only / nothing to swap", "English only / nothing to swap"),
        ("", ""),
    ],
)
def test_english_first_swaps_the_halves_of_a_bilingual_message(stored, english_first_text):
    assert english_first(stored) == english_first_text


def test_the_single_line_rule_speaks_the_readers_order_on_a_form(db):
    # given
    data = {"name": "武汉某某\n科技有限公司"}
    # when
    with translation.override("zh-hans"):
        chinese = ProfileForm(data=data).errors["name"]
    with translation.override("en"):
        english = ProfileForm(data=data).errors["name"]
    # then
    assert chinese == [
        "不能包含换行或控制字符（第 5 个字符）/ must not contain line breaks or control characters (character 5)"
    ]
    assert english == [
        "Must not contain line breaks or control characters (character 5) / 不能包含换行或控制字符（第 5 个字符）"
    ]


@pytest.mark.django_db
def test_api_errors_read_english_first_in_the_english_ui_and_write_nothing(client_for, enterprise_member):
    # given: a need title with a line break, sent twice: from the Chinese UI, then from the English one
    api = client_for(enterprise_member)
    body = {"title": "高镍正极\n材料", "description": "量产工艺"}
    # when
    chinese = api.post(reverse("enterprises-api:techneed-list"), body, format="json")
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = api.post(reverse("enterprises-api:techneed-list"), body, format="json")
    # then
    assert (chinese.status_code, english.status_code) == (400, 400)
    assert chinese.json()["error"]["message"] == "输入有误 / Invalid input"
    assert english.json()["error"]["message"] == "Invalid input / 输入有误"
    assert chinese.json()["error"]["details"]["title"] == [
        "不能包含换行或控制字符（第 5 个字符）/ must not contain line breaks or control characters (character 5)"
    ]
    assert english.json()["error"]["details"]["title"] == [
        "Must not contain line breaks or control characters (character 5) / 不能包含换行或控制字符（第 5 个字符）"
    ]
    assert TechNeed.objects.count() == 0
