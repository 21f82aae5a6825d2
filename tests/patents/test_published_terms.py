"""What the officer published reaches the enterprise: the patent page and the API show transfer modes, price range,
open-licence terms and contact — the contact only while pooled, the internal notes never."""

from decimal import Decimal

import pytest
from django.urls import reverse

from patents.models import Patent
from patents.selectors import patent_published_terms

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(institution) -> Patent:
    return Patent.objects.create(
        application_number="2021100000001.0",
        title="一种磷酸铁锂正极材料",
        patent_type="invention",
        institution=institution,
        inventory_status="pooled",
        transfer_modes=["licence", "open_licence"],
        price_min=Decimal("100000.00"),
        price_max=Decimal("1250000.00"),
        open_licence_payment="entry_royalty",
        open_licence_entry_fee=Decimal("20000.00"),
        open_licence_royalty_rate=Decimal("2.50"),
        open_licence_years=5,
        contact="李老师",
        contact_phone="027-87540000",
        internal_notes="底价 8 万，勿外传",
    )


def test_patent_page_shows_the_published_terms_to_an_enterprise(client, enterprise_member, published):
    # given
    client.force_login(enterprise_member)
    # when
    body = client.get(reverse("patents:detail", args=[published.pk])).content.decode()
    # then
    assert '<span class="tag">许可</span> <span class="tag">开放许可</span>' in body
    assert "100,000 – 1,250,000 元" in body
    # (the open-licence line as displayed: the template puts each optional term on its own source line)
    assert "已声明开放许可 · 入门费加提成 · 入门费 20,000 元 · 提成 2.50% · 期限 5 年" in " ".join(body.split())
    assert "李老师 · 027-87540000" in body
    assert "勿外传" not in body


def test_contact_is_not_published_for_a_patent_outside_the_pool(published):
    # given
    published.inventory_status = "inventoried"
    # when
    terms = patent_published_terms(patent=published)
    # then
    assert (terms.contact, terms.contact_phone) == ("", "")
    assert [value for value, _ in terms.transfer_modes] == ["licence", "open_licence"]


def test_open_licence_terms_only_when_an_open_licence_is_declared(published):
    # given
    published.transfer_modes = ["assignment"]
    published.price_min = published.price_max = None
    published.price_negotiable = True
    # when
    terms = patent_published_terms(patent=published)
    # then
    assert terms.open_licence is None
    assert terms.as_dict() == {
        "transfer_modes": ["assignment"],
        "price_min": None,
        "price_max": None,
        "price_negotiable": True,
        "open_licence": None,
        "contact": "李老师",
        "contact_phone": "027-87540000",
    }


def test_patent_api_detail_carries_the_published_terms(client_for, enterprise_member, published):
    # when
    body = client_for(enterprise_member).get(reverse("patents-api:patent-detail", args=[published.pk])).json()
    # then
    assert body["published_terms"] == {
        "transfer_modes": ["licence", "open_licence"],
        "price_min": "100000.00",
        "price_max": "1250000.00",
        "price_negotiable": False,
        "open_licence": {
            "payment": "entry_royalty",
            "lump_sum": None,
            "royalty_rate": "2.50",
            "entry_fee": "20000.00",
            "years": 5,
        },
        "contact": "李老师",
        "contact_phone": "027-87540000",
    }
    assert "internal_notes" not in body
    assert "勿外传" not in str(body)
