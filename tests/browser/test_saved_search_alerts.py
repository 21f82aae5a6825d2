"""In headless Chromium: an enterprise saves a search on the search page, the officer pools a matching patent (the
existing pooling service), `alerts_send` delivers one alert — a notification the member reads in the browser and one
e-mail in the outbox — and a second call delivers none; the home shows the patent as new since the last visit."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from enterprises.models import SavedSearch, SentAlert
from matching.live.index import live_index_forget
from matching.models import MatchRun
from matching.runs.inline import match_run_execute_inline
from patents.models import Patent
from patents.services import patents_pool

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_saved_search_is_alerted_once_of_a_newly_pooled_patent(
    page, login, live_server, officer, enterprise_member, pooled_patents, matching_enterprises
):
    # given: tonight's run, a member with an address, and an inventoried twin of a pooled patent
    enterprise_member.email = "member@example.com"
    enterprise_member.save(update_fields=["email"])
    match_run_execute_inline(run=MatchRun.objects.create())
    live_index_forget()
    source = pooled_patents[0]
    twin = Patent.objects.create(
        application_number="2023108516489",
        title=source.title,
        abstract=source.abstract,
        claims=source.claims,
        patent_type="invention",
        institution=source.institution,
        inventory_status="inventoried",
        legal_status="valid",
        transfer_modes=["licence"],
    )
    login("member")

    # when: the member saves the search with a filter in force
    page.goto(f"{live_server.url}{reverse('matching:search')}?q={source.title}&patent_type=invention")
    page.get_by_test_id("save-search").click()
    page.wait_for_load_state("networkidle")

    # then
    saved = SavedSearch.objects.get()
    assert (saved.user_id, saved.text, saved.filters) == (
        enterprise_member.pk,
        source.title,
        {"patent_type": "invention"},
    )
    page.goto(f"{live_server.url}{reverse('enterprises:saved_searches')}")
    assert page.get_by_test_id("saved-search-row").count() == 1

    # when: the officer pools the twin, and the daily alerts run twice
    patents_pool(patents=[twin], user=officer)
    mail.outbox.clear()
    call_command("alerts_send")
    sent_first = len(mail.outbox)
    call_command("alerts_send")

    # then: one alert, one e-mail, nothing the second time
    assert sent_first == 1
    assert len(mail.outbox) == 1
    assert list(SentAlert.objects.values_list("patent_id", flat=True)) == [twin.pk]
    assert f"/patents/{twin.pk}/" in mail.outbox[0].body
    page.goto(f"{live_server.url}{reverse('enterprises:notifications')}")
    notifications = page.get_by_test_id("notification")
    assert notifications.count() == 1
    assert f"订阅提醒：「{saved.name}」有 1 件新入库专利" in notifications.first.inner_text()
    assert twin.application_number in notifications.first.get_by_test_id("notification-body").inner_text()
    page.goto(f"{live_server.url}/")
    assert page.get_by_test_id("home-new-alert").count() == 1
    assert page.get_by_test_id("home-new-alert").first.get_by_role("link").get_attribute("href") == (
        reverse("patents:detail", args=[twin.pk])
    )
