"""core.compiled_query makes a page's model instances without Model.__init__ (its fast makers): the same objects as
the ORM's, attribute for attribute, and through from_db wherever that sameness is not given by construction."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Count, Window
from django.db.models.signals import post_init

from core.compiled_query import SENTINEL, SENTINEL_2, _fast_maker, compile_query
from imports.models import ImportJob
from matching.models import Recommendation
from matching.reading.recommendations import PATENT_BRIEF_FIELDS
from patents.models import Patent

pytestmark = pytest.mark.django_db


def _state(obj: Any, depth: int = 0) -> dict:
    """Everything an instance holds: its attributes, its state, the related objects select_related cached."""
    attributes = {k: v for k, v in obj.__dict__.items() if k != "_state"}
    cached = obj._state.fields_cache
    return {
        "class": type(obj),
        "attributes": attributes,
        "deferred": sorted(obj.get_deferred_fields()),
        "db": obj._state.db,
        "adding": obj._state.adding,
        "related": {name: _state(value, depth + 1) if value is not None else None for name, value in cached.items()},
    }


def _recommendation_page(run_id: int, enterprise_id: int):
    return (
        Recommendation.objects.filter(run_id=run_id, enterprise_id=enterprise_id)
        .select_related("patent", "patent__institution", "patent__institution__city")
        .only("rank", "score", "final_score", "terms", *(f"patent__{name}" for name in PATENT_BRIEF_FIELDS))
        .annotate(total=Window(Count("*")))
        .order_by("-final_score", "rank")[:20]
    )


def test_fast_instances_equal_the_orms_for_a_four_table_page(run):
    # given: an enterprise's recommendations (three select_related levels, deferred fields, JSON and decimal
    # columns, an annotation), one of its patents with licence terms
    enterprise_id = Recommendation.objects.filter(run=run).values_list("enterprise_id", flat=True).first()
    assert enterprise_id is not None
    patent_id = Recommendation.objects.filter(run=run, enterprise_id=enterprise_id).values_list("patent_id")[:1]
    Patent.objects.filter(pk__in=patent_id).update(
        transfer_modes=["open_licence", "pledge"], open_licence_royalty_rate="3.50", price_min=120000
    )
    template = compile_query(
        _recommendation_page(SENTINEL, SENTINEL_2), {"run": (SENTINEL,), "enterprise": (SENTINEL_2,)}
    )
    assert template is not None
    assert template.makers is not None

    # when: the page read through the template and through the ORM
    fast = template.read({"run": lambda _: run.pk, "enterprise": lambda _: enterprise_id})
    orm = list(_recommendation_page(run.pk, enterprise_id))

    # then: the same instances, level by level, and the page is not trivial
    assert [_state(obj) for obj in fast] == [_state(obj) for obj in orm]
    assert len(fast) >= 2
    assert all(obj.patent.institution.city.name for obj in fast)
    licensed = [obj.patent for obj in fast if obj.patent.transfer_modes == ["open_licence", "pledge"]]
    assert len(licensed) == 1
    assert str(licensed[0].open_licence_royalty_rate) == "3.50"
    # instances behave as the ORM's: a deferred field loads on access, a save updates
    recommendation = fast[0]
    assert "semantic" in recommendation.get_deferred_fields()
    assert recommendation.semantic == Recommendation.objects.get(pk=recommendation.pk).semantic
    recommendation.rank = 999
    recommendation.save(update_fields=["rank"])
    assert Recommendation.objects.get(pk=recommendation.pk).rank == 999


def test_a_post_init_receiver_makes_the_read_go_through_from_db(run):
    # given: a receiver of post_init (as an ImageField's dimensions or an audit library would connect)
    enterprise_id = Recommendation.objects.filter(run=run).values_list("enterprise_id", flat=True).first()
    template = compile_query(
        _recommendation_page(SENTINEL, SENTINEL_2), {"run": (SENTINEL,), "enterprise": (SENTINEL_2,)}
    )
    assert template is not None
    seen: list[type] = []

    def receiver(sender, instance, **kwargs):
        seen.append(sender)

    post_init.connect(receiver)
    try:
        # when: the page is read
        page = template.read({"run": lambda _: run.pk, "enterprise": lambda _: enterprise_id})
    finally:
        post_init.disconnect(receiver)

    # then: every instance was made by Model.__init__ (the receiver saw each), and the objects are the ORM's
    assert len(seen) == 4 * len(page)
    assert len(page) >= 2
    assert [_state(obj) for obj in page] == [_state(obj) for obj in _recommendation_page(run.pk, enterprise_id)]


def test_a_field_with_its_own_descriptor_is_made_through_from_db():
    # a FileField's attribute wraps its value on access (FileDescriptor): not a plain attribute, so no fast maker
    assert _fast_maker(ImportJob, ["id", "file"], "default") is None
    assert _fast_maker(ImportJob, ["id"], "default") is not None
