"""Profile, industry classification, technology needs, follows and notifications (services)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.errors import ConflictError
from core.models import AuditLog
from enterprises.errors import NotFoundError
from enterprises.hooks import need_changed
from enterprises.industry import industry_division_sections, industry_sections
from enterprises.models import Enterprise, Notification, PatentFollow, TechNeed
from enterprises.services.follows import patent_follow, patent_unfollow
from enterprises.services.needs import (
    keywords_normalize,
    tech_need_close,
    tech_need_create,
    tech_need_delete,
    tech_need_reopen,
    tech_need_update,
)
from enterprises.services.notifications import (
    notification_emails_send,
    notification_mark_read,
    notification_send,
    notifications_mark_all_read,
)
from enterprises.services.profile import enterprise_profile_update
from patents.models import InventoryStatus
from tests.enterprises.factories import DockingRequestFactory, PatentFactory

pytestmark = pytest.mark.django_db


# --- industry ----------------------------------------------------------------------------------------


def test_the_classification_table_has_20_sections_and_97_divisions():
    # when
    sections = industry_sections()
    divisions = industry_division_sections()
    # then
    assert [s.code for s in sections] == list("ABCDEFGHIJKLMNOPQRST")
    assert sorted(divisions) == [f"{n:02d}" for n in range(1, 98)]
    assert {code: len(s.divisions) for code, s in ((s.code, s) for s in sections)} == {
        "A": 5, "B": 7, "C": 31, "D": 3, "E": 4, "F": 2, "G": 8, "H": 2, "I": 3, "J": 4,
        "K": 1, "L": 2, "M": 3, "N": 4, "O": 3, "P": 1, "Q": 2, "R": 5, "S": 6, "T": 1,
    }  # fmt: skip
    assert (sections[2].name, dict(sections[2].divisions)["39"]) == ("制造业", "计算机、通信和其他电子设备制造业")
    assert (sections[8].name, dict(sections[8].divisions)["65"]) == (
        "信息传输、软件和信息技术服务业",
        "软件和信息技术服务业",
    )


# --- profile -----------------------------------------------------------------------------------------


def test_profile_update_writes_the_fields_and_audits_which_changed(enterprise_member, enterprise):
    # when
    enterprise_profile_update(
        enterprise=enterprise,
        actor=enterprise_member,
        data={
            "city": "4205",
            "industry_section": "C",
            "industry_division": "38",
            "size": "small",
            "business_scope": "锂离子电池及材料的研发、生产",
            "products": "动力电池正极材料",
            "website": "https://www.ruicheng.example.cn",
            "contact_name": "李强",
        },
    )
    # then
    enterprise.refresh_from_db()
    assert (enterprise.city_id, enterprise.industry_section, enterprise.industry_division, enterprise.size) == (
        "4205",
        "C",
        "38",
        "small",
    )
    assert (enterprise.products, enterprise.website, enterprise.contact_name) == (
        "动力电池正极材料",
        "https://www.ruicheng.example.cn",
        "李强",
    )
    audit = AuditLog.objects.get()
    assert (audit.action, audit.detail) == (
        "enterprise.profile.update",
        {
            "fields": [
                "city",
                "industry_section",
                "industry_division",
                "size",
                "business_scope",
                "products",
                "website",
                "contact_name",
            ]
        },
    )


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"industry_section": "C", "industry_division": "65"},
            {
                "industry_division": [
                    "行业大类 65 不属于门类 C，应属门类 I / Industry division 65 does not belong to section C; "
                    "it belongs to section I"
                ]
            },
        ),
        (
            {"industry_section": "", "industry_division": "13"},
            {
                "industry_division": [
                    "行业大类 13 不属于门类 （未选），应属门类 C / Industry division 13 does not belong to section "
                    "(none); it belongs to section C"
                ]
            },
        ),
        ({"industry_section": "Z"}, {"industry_section": ["行业门类 Z 不存在 / Unknown industry section Z"]}),
        (
            {"industry_section": "T", "industry_division": "98"},
            {"industry_division": ["行业大类 98 不存在 / Unknown industry division 98"]},
        ),
        ({"city": "1101"}, {"city": ["请选择本省的城市 / Choose a city of the province"]}),
        ({"city": "9999"}, {"city": ["请选择本省的城市 / Choose a city of the province"]}),
        ({"uscc": "91110108795101314G"}, {"uscc": ["不可修改 / Not editable"]}),
        (
            {"website": "not a url"},
            {"website": ["请输入以 http:// 或 https:// 开头的网址 / Enter a URL starting with http:// or https://"]},
        ),
        ({"contact_email": "a@"}, {"contact_email": ["请输入有效的邮箱地址 / Enter a valid e-mail address"]}),
    ],
    ids=["division-of-another-section", "division-without-section", "no-such-section", "no-such-division",
         "city-outside-province", "no-such-city", "uscc-is-fixed", "bad-website", "bad-email"],
)  # fmt: skip
def test_invalid_profile_writes_nothing(enterprise_member, enterprise, data, errors):
    # when
    with pytest.raises(ValidationError) as raised:
        enterprise_profile_update(enterprise=enterprise, actor=enterprise_member, data=data)
    # then
    assert raised.value.message_dict == errors
    stored = Enterprise.objects.get(pk=enterprise.pk)
    assert (stored.industry_section, stored.industry_division, stored.city_id, stored.website) == ("", "", "4201", "")
    assert AuditLog.objects.count() == 0


def test_another_enterprises_profile_is_not_found(other_member, enterprise):
    with pytest.raises(NotFoundError):
        enterprise_profile_update(enterprise=enterprise, actor=other_member, data={"products": "x"})
    assert Enterprise.objects.get(pk=enterprise.pk).products == ""


# --- needs -------------------------------------------------------------------------------------------


def test_keywords_are_split_on_any_separator_and_deduplicated():
    assert keywords_normalize(raw=" 锂电池，正极材料、 锂电池;;  量产 工艺,") == "锂电池、正极材料、量产、工艺"


def test_need_lifecycle(enterprise_member, enterprise):
    # given
    deadline = timezone.localdate() + timedelta(days=30)
    # when
    need = tech_need_create(
        enterprise=enterprise,
        actor=enterprise_member,
        data={
            "title": "高镍正极材料量产工艺",
            "description": "需要稳定的烧结工艺",
            "keywords": "正极材料，烧结",
            "budget_min": Decimal("100000"),
            "budget_max": Decimal("500000"),
            "preferred_mode": "licence",
            "deadline": deadline,
        },
    )
    tech_need_update(need=need, actor=enterprise_member, data={"budget_max": Decimal("800000"), "title": "高镍正极"})
    tech_need_close(need=need, actor=enterprise_member)
    tech_need_close(need=need, actor=enterprise_member)  # idempotent
    tech_need_reopen(need=need, actor=enterprise_member)
    # then
    need.refresh_from_db()
    assert (need.title, need.keywords, need.budget_min, need.budget_max, need.preferred_mode, need.deadline) == (
        "高镍正极",
        "正极材料、烧结",
        Decimal("100000.00"),
        Decimal("800000.00"),
        "licence",
        deadline,
    )
    assert need.status == "open"
    assert list(AuditLog.objects.order_by("pk").values_list("action", "detail")) == [
        ("need.create", {"title": "高镍正极材料量产工艺"}),
        ("need.update", {"fields": ["title", "budget_max"]}),
        ("need.closed", {}),
        ("need.open", {}),
    ]


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"title": " "}, {"title": ["请填写需求名称 / Title is required"]}),
        (
            {"title": "x", "budget_min": Decimal("9"), "budget_max": Decimal("1")},
            {"budget_max": ["预算上限不能低于下限 / The budget maximum is below the minimum"]},
        ),
        ({"title": "x", "budget_min": Decimal("-1")}, {"budget_min": ["金额不能为负 / The amount cannot be negative"]}),
        ({"title": "x", "preferred_mode": "gift"}, {"preferred_mode": ["未知的转化方式 gift / Unknown transfer mode"]}),
        (
            {"title": "x", "deadline": date(2020, 1, 1)},
            {"deadline": ["截止日期不能早于今天 / The deadline cannot be in the past"]},
        ),
        ({"title": "x", "status": "closed"}, {"status": ["不可修改 / Not editable"]}),
    ],
    ids=["no-title", "budget-reversed", "negative-budget", "unknown-mode", "past-deadline", "status-not-editable"],
)
def test_invalid_need_writes_nothing(enterprise_member, enterprise, data, errors):
    # when
    with pytest.raises(ValidationError) as raised:
        tech_need_create(enterprise=enterprise, actor=enterprise_member, data=data)
    # then
    assert raised.value.message_dict == errors
    assert TechNeed.objects.count() == 0
    assert AuditLog.objects.count() == 0


def test_someone_elses_need_cannot_be_touched(other_member, need):
    # then
    for call in (
        lambda: tech_need_update(need=need, actor=other_member, data={"title": "改"}),
        lambda: tech_need_close(need=need, actor=other_member),
        lambda: tech_need_delete(need=need, actor=other_member),
    ):
        with pytest.raises(NotFoundError):
            call()
    stored = TechNeed.objects.get(pk=need.pk)
    assert (stored.title, stored.status) == ("高镍正极材料量产工艺", "open")


def test_a_need_with_docking_requests_can_be_closed_but_not_deleted(enterprise_member, need, pooled_patent):
    # given
    DockingRequestFactory(enterprise=need.enterprise, patent=pooled_patent, need=need)
    # when
    with pytest.raises(ConflictError) as raised:
        tech_need_delete(need=need, actor=enterprise_member)
    # then
    assert raised.value.message == (
        "该需求已有对接记录，不能删除，请改为关闭 / This need has docking requests and cannot be deleted; close it"
    )
    assert TechNeed.objects.filter(pk=need.pk).exists()
    assert AuditLog.objects.count() == 0


def test_a_need_without_requests_is_deleted(enterprise_member, need):
    # given
    pk = need.pk
    # when
    tech_need_delete(need=need, actor=enterprise_member)
    # then
    assert not TechNeed.objects.filter(pk=pk).exists()
    assert list(AuditLog.objects.values_list("action", "detail")) == [
        ("need.delete", {"pk": pk, "title": "高镍正极材料量产工艺"})
    ]


# --- follows -----------------------------------------------------------------------------------------


def test_follow_is_idempotent_and_unfollow_removes_it(enterprise_member, pooled_patent):
    # when
    first = patent_follow(user=enterprise_member, patent=pooled_patent)
    second = patent_follow(user=enterprise_member, patent=pooled_patent)
    # then
    assert first.pk == second.pk
    assert list(PatentFollow.objects.values_list("enterprise__name", "patent__title", "created_by__username")) == [
        ("武汉瑞诚科技有限公司", "一种高镍正极材料及其制备方法", "member")
    ]
    assert patent_unfollow(user=enterprise_member, patent=pooled_patent) is True
    assert patent_unfollow(user=enterprise_member, patent=pooled_patent) is False
    assert PatentFollow.objects.count() == 0


def test_only_members_follow_and_only_pooled_patents(enterprise_member, officer, institution, pooled_patent):
    # given
    draft = PatentFactory(institution=institution, inventory_status=InventoryStatus.INVENTORIED)
    # then
    with pytest.raises(NotFoundError):
        patent_follow(user=enterprise_member, patent=draft)
    with pytest.raises(NotFoundError):
        patent_follow(user=officer, patent=pooled_patent)
    assert PatentFollow.objects.count() == 0


# --- notifications -----------------------------------------------------------------------------------


def test_notifications_are_deduplicated_emailed_once_and_marked_read(
    enterprise_member, officer, django_capture_on_commit_callbacks
):
    # given
    enterprise_member.email = "member@ruicheng.example.cn"
    enterprise_member.save()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        created = notification_send(
            recipients=[enterprise_member, enterprise_member, officer],
            kind="docking",
            title="对接请求已受理",
            body="请查看",
        )
    # then: one per person; the officer has no address, so only the member gets mail
    assert [n.recipient for n in created] == [enterprise_member, officer]
    assert [(m.to, m.subject, m.body) for m in mail.outbox] == [
        (["member@ruicheng.example.cn"], "[专利盘活对接平台] 对接请求已受理", "请查看")
    ]
    assert notification_emails_send(notification_pks=[n.pk for n in created]) == 0  # a retry sends nothing twice
    # when
    notification_mark_read(notification=created[0], user=enterprise_member)
    # then
    assert Notification.objects.filter(read_at__isnull=True).count() == 1
    assert notifications_mark_all_read(user=officer) == 1
    with pytest.raises(NotFoundError):
        notification_mark_read(notification=created[1], user=enterprise_member)


def test_notification_emails_carry_absolute_links(enterprise_member, django_capture_on_commit_callbacks):
    # the in-app list keeps the path; a mail reader needs the whole address (settings.SITE_URL)
    enterprise_member.email = "member@ruicheng.example.cn"
    enterprise_member.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        linked = notification_send(
            recipients=[enterprise_member], kind="docking", title="新消息", url="/enterprises/x/"
        )
    assert linked[0].url == "/enterprises/x/"
    assert mail.outbox[-1].body == f"{settings.SITE_URL}/enterprises/x/"
    assert mail.outbox[-1].body.startswith(("http://", "https://"))


class _FakeTask:
    name = "fake_rerank_task"
    sent: list[int] = []

    def delay(self, enterprise_id: int) -> None:
        self.sent.append(enterprise_id)


FAKE_RERANK_TASK = _FakeTask()


def test_a_changed_need_queues_the_rerank_task_registered_on_its_hook(
    monkeypatch, django_capture_on_commit_callbacks, enterprise_member, enterprise
):
    # given: the task enterprises queues is the one registered on enterprises.hooks.need_changed (matching registers
    # its own; matching sits above enterprises)
    monkeypatch.setattr(need_changed, "task", FAKE_RERANK_TASK)
    FAKE_RERANK_TASK.sent.clear()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        tech_need_create(
            enterprise=enterprise,
            actor=enterprise_member,
            data={"title": "高镍正极材料量产工艺", "description": "需要稳定的烧结工艺", "keywords": "正极材料"},
        )
    # then
    assert FAKE_RERANK_TASK.sent == [enterprise.pk]
