"""Notifications read in the reader's language: each stores its kind and parameters and is rendered when read (page,
API) in the active language, and e-mailed in the recipient's (zh-hans); rows older than kinds show their stored text."""

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import translation

from enterprises.models import Notification
from enterprises.notification_texts import notification_text
from enterprises.services.docking import docking_transition
from enterprises.services.notifications import notification_send
from enterprises.services.push import patent_push
from enterprises.services.registration import enterprise_register

pytestmark = pytest.mark.django_db
SUBJECT = "一种高镍正极材料及其制备方法"


def _english(client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _listed(client) -> str:
    return client.get(reverse("enterprises:notifications")).content.decode()


def test_a_pushed_patent_reads_in_chinese_or_english_on_the_page_and_the_api(
    client, client_for, officer, enterprise_member, pooled_patent
):
    # given: the officer pushes the patent with a message (附言) written in Chinese
    patent_push(
        patent=pooled_patent, enterprise_ids=[enterprise_member.enterprise_id], user=officer, message="欢迎洽谈"
    )
    client.force_login(enterprise_member)
    api = client_for(enterprise_member)
    sender = officer.institution.name
    # when
    chinese = _listed(client)
    chinese_api = api.get(reverse("enterprises-api:notification-list")).json()["results"][0]
    _english(client)
    english = _listed(client)
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english_api = api.get(reverse("enterprises-api:notification-list")).json()["results"][0]
    # then
    assert f"专利推送：{SUBJECT}" in chinese
    assert f"{sender} 向贵企业推送了专利「{SUBJECT}」（201910209152.5）。<br>附言：欢迎洽谈" in chinese
    assert f"Patent pushed to you: {SUBJECT}" in english
    assert (
        f"{sender} pushed the patent “{SUBJECT}” (201910209152.5) to your enterprise.<br>Message: 欢迎洽谈" in english
    )
    assert "专利推送：" not in english
    assert "附言：" not in english
    assert (chinese_api["title"], chinese_api["body"]) == (
        f"专利推送：{SUBJECT}",
        f"{sender} 向贵企业推送了专利「{SUBJECT}」（201910209152.5）。\n附言：欢迎洽谈",
    )
    assert (english_api["title"], english_api["body"]) == (
        f"Patent pushed to you: {SUBJECT}",
        f"{sender} pushed the patent “{SUBJECT}” (201910209152.5) to your enterprise.\nMessage: 欢迎洽谈",
    )
    assert (english_api["message_kind"], english_api["params"]) == (
        "push",
        {"title": SUBJECT, "number": "201910209152.5", "sender": sender, "note": "欢迎洽谈"},
    )


def test_a_declined_request_reads_in_the_readers_language_and_keeps_the_officers_words(
    client, officer, enterprise_member, make_docking
):
    # given
    docking = make_docking()
    docking_transition(docking=docking, action="decline", actor=officer, decline_reason="price", note="价格差距较大")
    client.force_login(enterprise_member)
    # when
    chinese = _listed(client)
    _english(client)
    english = _listed(client)
    # then
    assert f"对接请求已婉拒：{SUBJECT}" in chinese
    assert f"Docking request declined: {SUBJECT}" in english
    assert "对接请求已婉拒" not in english
    assert english.count("价格差距较大") == 1  # the officer's own words, as written
    stored = Notification.objects.get()
    assert (stored.message_kind, stored.params) == (
        "docking.declined",
        {"status": "declined", "subject": SUBJECT, "note": "价格差距较大"},
    )
    assert (stored.title, stored.body) == (f"对接请求已婉拒：{SUBJECT}", "价格差距较大")  # the Chinese text is kept


def test_a_new_request_and_the_other_states_have_english_titles(officer, enterprise_member, make_docking):
    # given: a request accepted, then negotiating (the officer is told of nothing here: the enterprise is)
    docking = make_docking()
    docking_transition(docking=docking, action="accept", actor=officer)
    docking_transition(docking=docking, action="negotiate", actor=officer)
    # when
    with translation.override("en"):
        titles = [
            notification_text(message_kind=n.message_kind, params=n.params)[0]
            for n in Notification.objects.order_by("pk")
        ]
    # then
    assert titles == [f"Docking request accepted: {SUBJECT}", f"Docking request in negotiation: {SUBJECT}"]


def test_the_e_mail_is_written_in_the_recipients_language_whatever_the_sender_reads(
    officer, enterprise_member, pooled_patent, django_capture_on_commit_callbacks
):
    # given: the recipient has an address; the officer pushes from the English UI
    enterprise_member.email = "member@ruicheng.example.cn"
    enterprise_member.save(update_fields=["email"])
    # when
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        patent_push(patent=pooled_patent, enterprise_ids=[enterprise_member.enterprise_id], user=officer, message="")
    # then: users carry no language preference, so the mail is in zh-hans
    assert [m.subject for m in mail.outbox] == [f"[专利盘活对接平台] 专利推送：{SUBJECT}"]
    assert mail.outbox[0].body.startswith(f"{officer.institution.name} 向贵企业推送了专利「{SUBJECT}」")
    assert "pushed" not in mail.outbox[0].body


def test_the_bureau_reads_a_registration_to_review_with_its_note_english_first(client, bureau):
    # given: a sign-up the registry does not know goes to the bureau's review queue with the platform's own note
    enterprise_register(
        password="Test-pass-2026",
        name="武汉新能源科技有限公司",
        uscc="914403001922038216",
        city_code="4201",
        contact_name="张敏",
        contact_phone="027-87654321",
        contact_email="zhangmin@example.cn",
    )
    client.force_login(bureau)
    # when
    chinese = _listed(client)
    _english(client)
    english = _listed(client)
    # then
    assert "企业注册待审核：武汉新能源科技有限公司" in chinese
    assert (
        "统一社会信用代码 914403001922038216：新注册企业，待知识产权局核实 / New registration: waiting for the "
        "bureau&#x27;s check"
    ) in chinese
    assert "Enterprise registration to review: 武汉新能源科技有限公司" in english
    assert (
        "Unified social credit code 914403001922038216: New registration: waiting for the bureau&#x27;s check / "
        "新注册企业，待知识产权局核实"
    ) in english


def test_a_notification_without_a_kind_or_with_unfit_params_shows_its_stored_text(client, enterprise_member):
    # given: one written before kinds existed, one whose parameters lack a placeholder of its kind
    notification_send(recipients=[enterprise_member], kind="docking", title="对接请求已受理：旧标题", body="旧内容")
    notification_send(
        recipients=[enterprise_member],
        kind="push",
        message_kind="push",
        params={"title": "缺编号"},
        title="专利推送：缺编号",
        body="保存的内容",
    )
    client.force_login(enterprise_member)
    _english(client)
    # when
    english = _listed(client)
    # then
    assert "对接请求已受理：旧标题" in english
    assert "旧内容" in english
    assert "专利推送：缺编号" in english
    assert "保存的内容" in english


@pytest.fixture
def _schema_restored():
    """Back to the latest migrations afterwards: a later migration of the app (past `after` below) stays applied
    for the tests that follow."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_schema_restored")
def test_rows_from_before_the_migration_keep_their_stored_text(client, enterprise_member):
    # given: a notification written before kinds and parameters existed
    before, after = [("enterprises", "0003_patent_push")], [("enterprises", "0004_notification_message_kind_params")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    old_apps.get_model("enterprises", "Notification").objects.create(
        recipient_id=enterprise_member.pk, kind="docking", title="对接请求已婉拒：一种高镍正极材料", body="价格差距较大"
    )
    # when
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    # then: unchanged, and shown as stored in both languages
    migrated = Notification.objects.get()
    assert (migrated.message_kind, migrated.params, migrated.title, migrated.body) == (
        "",
        {},
        "对接请求已婉拒：一种高镍正极材料",
        "价格差距较大",
    )
    client.force_login(enterprise_member)
    assert "对接请求已婉拒：一种高镍正极材料" in _listed(client)
    _english(client)
    assert "对接请求已婉拒：一种高镍正极材料" in _listed(client)
