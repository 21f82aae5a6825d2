"""Supply and demand summed from the chunks (matching.runs.chunk_demand): the finalise writes the same rows as the
aggregation over the stored rows, and falls back to that aggregation when the sums cannot be trusted."""

import threading

import numpy as np
import pytest
from django.core.cache import cache
from django.db import connection

from enterprises.models import TechNeed
from matching.models import EnterpriseSupply, MatchRun
from matching.runs import chunks, inline
from matching.runs.artifacts import artifacts_storage
from matching.runs.chunk_demand import chunk_demand_arrays, supply_and_demand_from_chunks
from matching.runs.demand import supply_and_demand_rebuild
from matching.runs.inline import match_run_execute_inline
from matching.runs.rows import RecommendationRows
from patents.models import PatentDemand


def _stored() -> tuple[dict, dict]:
    demand = {d.patent_id: (d.run_id, d.enterprises, d.needs, d.best_score) for d in PatentDemand.objects.all()}
    supply = {s.enterprise_id: (s.run_id, s.best_score, s.best_patent_id) for s in EnterpriseSupply.objects.all()}
    return demand, supply


def _publish_needs(settings, matching_enterprises) -> None:
    """Chunks of two enterprises; two enterprises publish open needs (one also a closed one)."""
    settings.SUPPLY_DEMAND_THRESHOLD = 0.1
    settings.MATCHING_ENTERPRISE_CHUNK = 2
    first, second = matching_enterprises[0], matching_enterprises[2]
    TechNeed.objects.create(enterprise=first, title="锂电池 正极材料", keywords="锂电池", status="open")
    TechNeed.objects.create(enterprise=first, title="电池 隔膜", keywords="隔膜", status="open")
    TechNeed.objects.create(enterprise=second, title="已关闭的需求", status="closed")
    TechNeed.objects.create(enterprise=second, title="图像 识别", keywords="图像", status="open")
    cache.clear()


@pytest.fixture
def needs_run(settings, pooled_patents, matching_enterprises) -> MatchRun:
    """A run over the shared patents in chunks of two enterprises, after two enterprises published open needs."""
    _publish_needs(settings, matching_enterprises)
    return match_run_execute_inline(run=MatchRun.objects.create())


@pytest.mark.django_db
def test_the_chunks_sums_equal_the_aggregation_over_the_stored_rows(needs_run):
    # given a finished run (its finalise wrote the chunks' sums)
    from_chunks = _stored()
    # when the stored rows are aggregated instead
    patents = supply_and_demand_rebuild(run_id=needs_run.pk)
    # then every patent's and enterprise's figures are the same, bit for bit, and some patents count open needs
    assert needs_run.chunks_total >= 3
    assert _stored() == from_chunks
    assert needs_run.counts["patents_in_demand"] == patents == len(from_chunks[0]) > 0
    assert any(needs > 0 for _, _, needs, _ in from_chunks[0].values())
    assert len(from_chunks[1]) > 0


@pytest.mark.django_db(transaction=True)
def test_a_run_outside_a_transaction_takes_each_share_in_its_ranking_thread(
    settings, pooled_patents, matching_enterprises, monkeypatch
):
    # given a run outside any transaction: on PostgreSQL its chunks are ranked in this thread while a writer thread
    # stores the previous chunk's rows (matching.runs.inline._chunks_overlapped)
    _publish_needs(settings, matching_enterprises)
    threads: list[str] = []
    for module in (inline, chunks):
        real = module.chunk_demand_save

        def spy(*, real=real, **kwargs) -> None:  # noqa: ANN001
            threads.append(threading.current_thread().name)
            real(**kwargs)

        monkeypatch.setattr(module, "chunk_demand_save", spy)
    # when it runs
    run = match_run_execute_inline(run=MatchRun.objects.create())
    # then every chunk kept its share once; with a writer thread (PostgreSQL), never in it: Python there waits on
    # the ranking's kernels (they hold the GIL) and delays the COPY the next chunk waits on
    assert run.status == MatchRun.Status.DONE
    assert len(threads) == run.chunks_total >= 3
    if connection.vendor == "postgresql":
        assert set(threads) == {threading.main_thread().name}
    # and the sums equal the aggregation over the stored rows
    from_chunks = _stored()
    assert supply_and_demand_rebuild(run_id=run.pk) == len(from_chunks[0]) > 0
    assert _stored() == from_chunks


@pytest.mark.django_db
def test_the_finalise_uses_the_chunks_files_and_falls_back_when_one_is_missing(needs_run):
    # given a finished run: each chunk kept its share
    expected = _stored()
    directory = needs_run.index_path.rsplit("/", 1)[0]
    _, files = artifacts_storage().listdir(directory)
    shares = sorted(name for name in files if name.startswith("demand-"))
    assert shares == [f"demand-{n}.npz" for n in sorted(needs_run.chunks.values_list("number", flat=True))]
    assert supply_and_demand_from_chunks(run=needs_run) == len(expected[0])
    assert _stored() == expected
    # when one chunk's file is gone (a chunk written before the chunks kept their shares)
    artifacts_storage().delete(f"{directory}/{shares[0]}")
    # then the sums are refused and nothing is written
    PatentDemand.objects.all().delete()
    assert supply_and_demand_from_chunks(run=needs_run) is None
    assert not PatentDemand.objects.exists()


@pytest.mark.django_db
def test_a_patent_leaving_the_pool_during_the_run_makes_the_finalise_read_the_stored_rows(needs_run):
    # given a finished run, and the best-matched patent of an enterprise that has since left the pool
    supply = EnterpriseSupply.objects.exclude(best_patent=None).first()
    assert supply is not None
    supply.best_patent.inventory_status = "inventoried"
    supply.best_patent.save(update_fields=["inventory_status"])
    # when the chunks' sums are offered
    refused = supply_and_demand_from_chunks(run=needs_run)
    # then they are refused, and the stored rows' aggregation gives the enterprise its best patent still pooled
    assert refused is None
    supply_and_demand_rebuild(run_id=needs_run.pk)
    assert not PatentDemand.objects.filter(patent_id=supply.best_patent_id).exists()
    assert EnterpriseSupply.objects.get(pk=supply.pk).best_patent_id != supply.best_patent_id


def test_a_chunks_share_counts_enterprises_needs_and_breaks_a_supply_tie_by_the_smallest_patent(monkeypatch):
    # given four rows of two enterprises: enterprise 1 holds patents 30 and 20 at the same best score, enterprise 2
    # holds patent 30 above the threshold and patent 40 below it; enterprise 1 has two open needs, enterprise 2 one
    monkeypatch.setattr("matching.runs.chunk_demand.demand_threshold", lambda: 0.2)
    monkeypatch.setattr(
        "matching.runs.chunk_demand._open_needs", lambda ids: np.array([{1: 2, 2: 1}[e] for e in ids.tolist()])
    )
    rows = RecommendationRows(
        run_id=7,
        enterprise_ids=np.array([1, 1, 2, 2]),
        patent_ids=np.array([30, 20, 30, 40]),
        ranks=np.array([1, 2, 1, 2]),
        scores=np.array([0.5, 0.5, 0.25, 0.125]),
        semantic=np.zeros(4),
        final_scores=np.array([0.5, 0.5, 0.25, 0.125]),
        terms=["[]"] * 4,
    )
    # when the chunk's share is taken
    share = chunk_demand_arrays(rows)
    # then patent 30 has both enterprises and their three needs, 20 one; 40 (below the threshold) none; and
    # enterprise 1's closest supply is patent 20, the smaller of its two tied patents
    assert share["patent_ids"].tolist() == [20, 30]
    assert share["enterprises"].tolist() == [1, 2]
    assert share["needs"].tolist() == [2, 3]
    assert share["best"].tolist() == [0.5, 0.5]
    assert share["supply_enterprise_ids"].tolist() == [1, 2]
    assert share["supply_patent_ids"].tolist() == [20, 30]
    assert share["supply_scores"].tolist() == [0.5, 0.25]


def test_a_share_is_the_same_whether_an_enterprises_rows_are_together_or_apart(monkeypatch):
    # given a chunk's rows (three enterprises, consecutive as a chunk writes them, with a tie on enterprise 5's best
    # score) and the same rows shuffled so that each enterprise's rows are apart
    monkeypatch.setattr("matching.runs.chunk_demand.demand_threshold", lambda: 0.2)
    monkeypatch.setattr(
        "matching.runs.chunk_demand._open_needs", lambda ids: np.array([{5: 1, 3: 0, 9: 4}[e] for e in ids.tolist()])
    )
    owners = np.array([5, 5, 5, 3, 3, 9, 9, 9])
    patents = np.array([70, 60, 80, 60, 90, 80, 70, 10])
    scores = np.array([0.75, 0.75, 0.3, 0.1, 0.05, 0.5, 0.25, 0.125])

    def rows(order: np.ndarray) -> RecommendationRows:
        return RecommendationRows(
            run_id=1, enterprise_ids=owners[order], patent_ids=patents[order], ranks=np.ones(len(order)),
            scores=scores[order], semantic=np.zeros(len(order)), final_scores=scores[order],
            terms=["[]"] * len(order),
        )  # fmt: skip

    together = chunk_demand_arrays(rows(np.arange(8)))
    apart = chunk_demand_arrays(rows(np.array([7, 0, 3, 5, 1, 4, 6, 2])))
    # then both give the same figures: patents 60, 70 and 80 pass the threshold; enterprise 5 (one need) holds
    # 60, 70 and 80, enterprise 9 (four needs) holds 70 and 80; each enterprise's best row, the smaller patent on a tie
    assert together["patent_ids"].tolist() == [60, 70, 80]
    assert together["enterprises"].tolist() == [1, 2, 2]
    assert together["needs"].tolist() == [1, 5, 5]
    assert together["best"].tolist() == [0.75, 0.75, 0.5]

    def best_of(share: dict, name: str) -> dict:
        return dict(zip(share["supply_enterprise_ids"].tolist(), share[name].tolist(), strict=True))

    assert best_of(together, "supply_patent_ids") == {5: 60, 3: 60, 9: 80}
    by_owner = {name: best_of(apart, name) for name in ("supply_patent_ids", "supply_scores")}
    assert by_owner["supply_patent_ids"] == {5: 60, 3: 60, 9: 80}
    assert by_owner["supply_scores"] == {5: 0.75, 3: 0.1, 9: 0.5}
    for name in ("patent_ids", "enterprises", "needs", "best"):
        assert together[name].tolist() == apart[name].tolist()
