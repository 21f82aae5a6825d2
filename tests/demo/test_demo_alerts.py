"""The demo's saved searches: the demo enterprise user's search and its need marked 提醒我, made once."""

import pytest

from accounts.models import Role
from demo.alerts import DEMO_SEARCH, alerts_demo_load
from enterprises.models import SavedSearch, TechNeed

pytestmark = pytest.mark.django_db


def test_the_demo_subscriptions_are_made_once(make_user, enterprise):
    # given
    user = make_user("enterprise", Role.ENTERPRISE, enterprise=enterprise)
    need = TechNeed.objects.create(enterprise=enterprise, title="视觉检测设备升级")
    # when
    first = alerts_demo_load()
    second = alerts_demo_load()
    # then
    assert (first, second) == (2, 0)
    assert sorted(SavedSearch.objects.filter(user=user).values_list("text", "need_id")) == [
        ("", need.pk),
        (DEMO_SEARCH, None),
    ]


def test_no_demo_enterprise_user_no_subscriptions(db):
    assert alerts_demo_load() == 0
    assert SavedSearch.objects.count() == 0
