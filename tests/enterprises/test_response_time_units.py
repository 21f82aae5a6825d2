"""Response times read in one unit with thousands separators on the docking inbox and the response-time page."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from enterprises.services.docking import docking_transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def slow_answer(officer, make_docking):
    """A request the institution accepted 1,234.5 hours after it was submitted."""
    docking = make_docking()
    docking_transition(
        docking=docking, action="accept", actor=officer, now=docking.submitted_at + timedelta(hours=1234.5)
    )
    return docking


def test_inbox_median_in_hours_with_separators(client, officer, slow_answer):
    # given
    client.force_login(officer)

    # when
    html = client.get(reverse("enterprises:docking_inbox")).content.decode()

    # then
    assert '<strong data-testid="median-response">1,234.5 小时</strong>' in html
    assert '<strong data-testid="waiting-count">0</strong>' in html


def test_inbox_median_in_english_reads_h(client, officer, slow_answer):
    # given
    client.force_login(officer)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    # when
    html = client.get(reverse("enterprises:docking_inbox")).content.decode()

    # then
    assert '<strong data-testid="median-response">1,234.5 h</strong>' in html


def test_response_time_page_in_hours_with_separators(client, bureau, slow_answer):
    # given
    client.force_login(bureau)

    # when
    html = client.get(reverse("enterprises:response_times")).content.decode()

    # then (the row's cells, each on its own line in the template)
    assert (
        '<tr><td>华中科技大学</td><td class="num">1</td><td class="num">1,234.5 小时</td>'
        '<td class="num">0</td><td class="num">0</td></tr>'
    ) in re.sub(r">\s+<", "><", html)
