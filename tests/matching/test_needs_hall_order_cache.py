"""Ordering the needs hall by best match keeps each need's best score per pool and live version (matching.reading
.needs_hall._best): paging through the order ranks no need again, an edited need is ranked again alone, and a
patent pooled or withdrawn (the live version moves) ranks them all against the new pool."""

import gc
import weakref

import pytest
from django.utils import timezone

from enterprises.models import TechNeed
from matching.live.index import live_index
from matching.reading import needs_hall
from matching.reading.needs_hall import hall_matches, hall_needs, hall_order_by_best
from patents.models import Patent

pytestmark = pytest.mark.django_db


@pytest.fixture
def ranked_needs(monkeypatch) -> list[list[int]]:
    """The needs each ranking pass of the hall scored, by pk, in call order."""
    calls: list[list[int]] = []
    original = needs_hall._ranked_on

    def spy(pool, *, needs, k, explain):
        calls.append([need.pk for need in needs])
        return original(pool, needs=needs, k=k, explain=explain)

    monkeypatch.setattr(needs_hall, "_ranked_on", spy)
    return calls


def _expected(user) -> list[int]:
    """The order as the page's own ranking of every need gives it (best first, newest first among equals)."""
    listed = list(hall_needs(user=user))
    best = {row.need.pk: row.best for row in hall_matches(user=user, needs=listed)}
    return [need.pk for need in sorted(listed, key=lambda need: -best[need.pk])]


def test_the_order_is_kept_and_only_what_changed_is_ranked_again(
    bureau, hall_run, hall_needs_made, split_pool, matching_enterprises, ranked_needs
):
    # given: the province's order by best match, asked once
    first = [n.pk for n in hall_order_by_best(user=bureau, needs=hall_needs(user=bureau))]
    assert first == _expected(bureau)
    assert len(ranked_needs[0]) == len(first) >= 2
    ranked_needs.clear()

    # when: asked again (the next page, or coming back)
    again = [n.pk for n in hall_order_by_best(user=bureau, needs=hall_needs(user=bureau))]

    # then: the same order, and no need ranked again
    assert again == first
    assert ranked_needs == []

    # when: one need is rewritten after a patent it now matches word for word, and a new need is published
    edited = hall_needs_made["own"]
    edited.title, edited.keywords = split_pool[30].title, ""
    edited.save()
    added = TechNeed.objects.create(enterprise=matching_enterprises[3], title=split_pool[12].title, description="")
    ordered = [n.pk for n in hall_order_by_best(user=bureau, needs=hall_needs(user=bureau))]

    # then: those two alone were ranked, and the order is the one ranking every need afresh gives
    assert sorted(pk for call in ranked_needs for pk in call) == sorted([edited.pk, added.pk])
    ranked_needs.clear()
    assert ordered == _expected(bureau)


def test_a_patent_withdrawn_ranks_every_need_against_the_new_pool(
    bureau, hall_run, hall_needs_made, split_pool, ranked_needs
):
    # given: the order asked once
    hall_order_by_best(user=bureau, needs=hall_needs(user=bureau))
    ranked_needs.clear()
    # when: the patent the "other" need was written from leaves the pool (its updated_at moves, as every change does)
    Patent.objects.filter(pk=split_pool[25].pk).update(inventory_status="inventoried", updated_at=timezone.now())
    ordered = [n.pk for n in hall_order_by_best(user=bureau, needs=hall_needs(user=bureau))]
    # then: every need was ranked again, against the new pool, and the order is the fresh one
    assert sorted(ranked_needs[0]) == sorted(n.pk for n in hall_needs(user=bureau))
    assert ordered == _expected(bureau)


def test_the_kept_pools_hold_no_replaced_live_index(officer, hall_run, hall_needs_made, split_pool):
    # given: the officer's hall after a patent of the province changed (a live index folded from the run's), then
    # after another change (that live index replaced by the next)
    Patent.objects.filter(pk=split_pool[30].pk).update(title="一种全新的测试装置", updated_at=timezone.now())
    hall_order_by_best(user=officer, needs=hall_needs(user=officer))
    replaced = weakref.ref(live_index(hall_run))
    Patent.objects.filter(pk=split_pool[31].pk).update(title="另一种测试方法", updated_at=timezone.now())
    ordered = [n.pk for n in hall_order_by_best(user=officer, needs=hall_needs(user=officer))]

    # then: the kept pools are the officer's pool only (20 patents, not the province's 40), one per live version,
    # and the replaced live index is not kept alive by them
    kept = list(needs_hall._pools.values())
    assert len(kept) == 2
    assert all(len(pool.patent_ids) == 20 for pool in kept)
    gc.collect()
    assert replaced() is None
    assert ordered == _expected(officer)
