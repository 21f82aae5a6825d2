"""Control characters in one-line names and titles are refused on the API and the forms alike, and e-mail subjects
built from them stay on one line."""

import pytest
from django.core import mail
from django.forms.models import model_to_dict
from django.urls import reverse

from accounts.models import User
from common.validators.text import control_character_at, header_safe
from enterprises.forms import ProfileForm, SignupForm
from enterprises.models import Enterprise, TechNeed
from patents.forms import PatentEditForm
from patents.services import EDITABLE_FIELDS
from tests.enterprises.factories import TechNeedFactory

pytestmark = pytest.mark.django_db


# --- control characters: one-line names and titles, header-safe e-mail subjects --------------------------------


def _control_message(position: int) -> str:
    return (
        f"不能包含换行或控制字符（第 {position} 个字符）/ "
        f"must not contain line breaks or control characters (character {position})"
    )


def test_docking_about_a_need_whose_title_has_a_newline_mails_a_one_line_subject(
    client_for, enterprise_member, enterprise, officer, django_capture_on_commit_callbacks
):
    # given: a need stored with a line break (written before the input rule, or by an import)
    officer.email = "officer@hust.edu.cn"
    officer.save()
    need = TechNeedFactory(enterprise=enterprise, title="高镍正极\r\n材料\u2028量产")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(enterprise_member).post(
            reverse("enterprises-api:docking-list"),
            {"need": need.pk, "institution": officer.institution_id, "contact_phone": "027-87654321"},
            format="json",
        )
    # then
    assert response.status_code == 201
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["officer@hust.edu.cn"], f"[专利盘活对接平台] 新的对接请求：{enterprise.name} · 高镍正极 材料 量产")
    ]


def test_header_safe_puts_every_control_run_on_one_space():
    assert header_safe("a\r\nb\tc\x00d\x1be\x7ff\x85g\u2028h\u2029i  j\n") == "a b c d e f g h i j"


@pytest.mark.parametrize(
    ("value", "position"),
    [("a\nb", 2), ("a\rb", 2), ("\tab", 1), ("ab\x1b", 3), ("ab\x7f", 3), ("a\x85", 2), ("需求\u2028名称", 3)],
)
def test_control_character_at_finds_the_first_one(value, position):
    assert control_character_at(value) == position


def test_control_character_at_accepts_ordinary_text():
    assert control_character_at("高镍正极材料 (NCM811) 量产工艺，第2代") is None


@pytest.mark.parametrize(("title", "position"), [("需求\n名称", 3), ("需求\u2029名称", 3), ("需\x1b求", 2)])
def test_api_need_create_rejects_control_characters_in_the_title(client_for, enterprise_member, title, position):
    # when
    response = client_for(enterprise_member).post(
        reverse("enterprises-api:techneed-list"), {"title": title}, format="json"
    )
    # then
    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"title": [_control_message(position)]}
    assert TechNeed.objects.count() == 0


def test_api_need_create_keeps_line_breaks_in_the_description(client_for, enterprise_member):
    # when
    response = client_for(enterprise_member).post(
        reverse("enterprises-api:techneed-list"), {"title": "量产工艺", "description": "第一段\n第二段"}, format="json"
    )
    # then
    assert response.status_code == 201
    assert list(TechNeed.objects.values_list("title", "description")) == [("量产工艺", "第一段\n第二段")]


def test_need_form_rejects_a_title_with_a_line_break(client, enterprise_member):
    # given
    client.force_login(enterprise_member)
    # when
    response = client.post(reverse("enterprises:need_create"), {"title": "需求\n名称"})
    # then
    assert response.status_code == 200
    assert response.context["form"].errors == {"title": [_control_message(3)]}
    assert TechNeed.objects.count() == 0


def test_api_registration_rejects_control_characters_in_names(api_client):
    # given
    body = {
        "username": "newcorp",
        "password": "Test-pass-2026",
        "name": "武汉新能源\n科技有限公司",
        "uscc": "91110108795101314G",
        "city": "4201",
        "contact_name": "张\u2028敏",
    }
    # when
    response = api_client.post(reverse("enterprises-api:enterprise-register"), body, format="json")
    # then
    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"name": [_control_message(6)], "contact_name": [_control_message(2)]}
    assert (User.objects.count(), Enterprise.objects.count()) == (0, 0)


def test_signup_form_rejects_control_characters_in_names():
    # given
    form = SignupForm(
        {
            "username": "newcorp",
            "password1": "Test-pass-2026",
            "password2": "Test-pass-2026",
            "name": "武汉新能源\r科技有限公司",
            "uscc": "91110108795101314G",
            "city": "4201",
            "contact_name": "张敏\x7f",
            "contact_phone": "027\n8888",
        }
    )
    # when / then
    assert form.errors == {
        "name": [_control_message(6)],
        "contact_name": [_control_message(3)],
        "contact_phone": [_control_message(4)],
    }


def test_api_profile_update_rejects_a_contact_name_with_a_line_break(client_for, enterprise_member, enterprise):
    # when
    response = client_for(enterprise_member).patch(
        reverse("enterprises-api:enterprise-me"), {"contact_name": "张\n敏"}, format="json"
    )
    # then
    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"contact_name": [_control_message(2)]}
    enterprise.refresh_from_db()
    assert "\n" not in enterprise.contact_name


def test_profile_form_rejects_a_name_with_a_line_break():
    form = ProfileForm({"name": "武汉\n企业"})
    assert form.errors == {"name": [_control_message(3)]}


def test_api_patent_terms_reject_a_contact_with_a_line_break(client_for, officer, pooled_patents):
    # given
    patent = pooled_patents[0]
    before = (patent.contact, patent.contact_phone)
    # when
    response = client_for(officer).put(
        reverse("patents-api:patent-terms", args=[patent.pk]),
        {"transfer_modes": ["licence"], "price_negotiable": True, "contact": "王老师\r\nBcc: x@example.com"},
        format="json",
    )
    # then
    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"contact": [_control_message(4)]}
    patent.refresh_from_db()
    assert (patent.contact, patent.contact_phone) == before


def test_patent_edit_form_rejects_a_title_with_a_line_break(pooled_patents):
    # given
    data = model_to_dict(pooled_patents[0], fields=EDITABLE_FIELDS)
    data["title"] = "一种\n电池"
    # when
    form = PatentEditForm({key: value for key, value in data.items() if value is not None})
    # then
    assert form.errors["title"] == [_control_message(3)]
