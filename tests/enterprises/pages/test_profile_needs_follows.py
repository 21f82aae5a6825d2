"""The member's pages: the profile, technology needs, and the follow and docking actions on a patent's page."""

import pytest
from django.urls import reverse

from enterprises.models import Enterprise, PatentFollow, TechNeed
from enterprises.services.follows import patent_follow
from tests.enterprises.pages.helpers import page_html

pytestmark = pytest.mark.django_db


# --- profile and needs -------------------------------------------------------------------------------


def test_profile_page_saves_industry(client, enterprise_member, enterprise):
    # given
    client.force_login(enterprise_member)
    data = {"name": enterprise.name, "city": "4201", "industry_section": "C", "industry_division": "39"}
    # when
    response = client.post(reverse("enterprises:profile"), data, follow=True)
    # then
    assert "企业信息已保存。" in page_html(response)
    enterprise.refresh_from_db()
    assert (enterprise.industry_section, enterprise.industry_division) == ("C", "39")


def test_profile_page_shows_a_division_outside_its_section(client, enterprise_member, enterprise):
    # given
    client.force_login(enterprise_member)
    data = {"name": enterprise.name, "city": "4201", "industry_section": "A", "industry_division": "39"}
    # when
    response = client.post(reverse("enterprises:profile"), data)
    # then
    assert response.context["form"].errors == {
        "industry_division": [
            "行业大类 39 不属于门类 A，应属门类 C / Industry division 39 does not belong to section A; "
            "it belongs to section C"
        ]
    }
    assert Enterprise.objects.get(pk=enterprise.pk).industry_section == ""


def test_need_pages(client, enterprise_member):
    # given
    client.force_login(enterprise_member)
    # when
    client.post(reverse("enterprises:need_create"), {"title": "高镍正极材料量产工艺", "keywords": "正极，烧结"})
    need = TechNeed.objects.get()
    client.post(reverse("enterprises:need_edit", args=[need.pk]), {"title": "高镍三元正极", "keywords": need.keywords})
    client.post(reverse("enterprises:need_close", args=[need.pk]))
    listing = page_html(client.get(reverse("enterprises:need_list")))
    # then
    need.refresh_from_db()
    assert (need.title, need.keywords, need.status) == ("高镍三元正极", "正极、烧结", "closed")
    assert "重新开放" in listing


def test_other_roles_get_403_and_other_enterprises_needs_404(client, officer, other_member, need):
    client.force_login(officer)
    assert client.get(reverse("enterprises:need_list")).status_code == 403
    client.force_login(other_member)
    assert client.get(reverse("enterprises:need_edit", args=[need.pk])).status_code == 404
    assert client.post(reverse("enterprises:need_close", args=[need.pk])).status_code == 404
    assert TechNeed.objects.get(pk=need.pk).status == "open"


# --- patent page hook, follows -----------------------------------------------------------------------


def test_patent_page_offers_follow_and_docking_to_members(client, enterprise_member, pooled_patent):
    # given
    client.force_login(enterprise_member)
    url = reverse("patents:detail", args=[pooled_patent.pk])
    # when
    before = page_html(client.get(url))
    client.post(reverse("enterprises:follow_toggle", args=[pooled_patent.pk]), {"next": url})
    after = page_html(client.get(url))
    # then
    assert 'data-testid="follow-button"' in before
    assert f'href="/enterprises/docking/new/?patent={pooled_patent.pk}"' in before
    assert 'data-testid="unfollow-button"' in after
    assert PatentFollow.objects.count() == 1


def test_patent_page_shows_the_follower_count_to_the_owning_officer(client, officer, enterprise_member, pooled_patent):
    # given
    patent_follow(user=enterprise_member, patent=pooled_patent)
    client.force_login(officer)
    # when
    html = page_html(client.get(reverse("patents:detail", args=[pooled_patent.pk])))
    # then
    assert "1 家企业关注了该专利" in html
    assert 'data-testid="follow-button"' not in html


def test_followers_page_for_officers(client, officer, enterprise_member, pooled_patent):
    # given
    patent_follow(user=enterprise_member, patent=pooled_patent)
    client.force_login(officer)
    # when
    response = client.get(reverse("enterprises:followers"))
    # then
    assert [(f.enterprise.name, f.patent.title) for f in response.context["page"]] == [
        ("武汉瑞诚科技有限公司", "一种高镍正极材料及其制备方法")
    ]
