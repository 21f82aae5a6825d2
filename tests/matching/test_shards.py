"""A run sharded by patents writes exactly the rows of the same run unsharded: ids, ranks, scores, semantic parts,
scores after feedback and explaining terms, bit for bit — with 2 and 4 shards, ties across shards, feedback on
patents in other shards, inline and through the (eager) chunk tasks, and after a worker died merging a chunk."""

from datetime import timedelta

import pytest
from django.utils import timezone

from enterprises.models import DockingRequest, Enterprise, PatentFollow
from matching.models import EnterpriseSupply, MatchChunk, MatchRun, Recommendation
from matching.runs import chunks
from matching.runs.artifacts import artifacts_storage
from matching.runs.inline import match_run_execute_inline
from matching.runs.prepare import match_run_prepare
from matching.runs.recover import match_runs_redispatch
from matching.runs.tasks import match_chunks_dispatch, match_run_prepare_task
from patents.models import Patent, PatentDemand

pytestmark = pytest.mark.django_db

COLUMNS = ("enterprise_id", "patent_id", "rank", "score", "semantic", "final_score", "terms")
COPIED = (0, 5, 10, 0, 5, 10)  # patents copied at the end of the pool: the same scores as the originals, other shards


@pytest.fixture
def pool(pooled_patents, matching_enterprises, wuhan, settings) -> dict:
    """46 pooled patents (IPC codes on two thirds, so the class prior is on; six exact copies at the end) and 8
    enterprises in chunks of 3, each keeping its best 3 of 6 candidates; feedback on patents in several shards."""
    settings.MATCHING_TOP_K = 3
    settings.MATCHING_ENTERPRISE_CHUNK = 3
    for i, patent in enumerate(pooled_patents):
        patent.ipc_main = ("H01M 4/00", "G06F 17/00", "")[i % 3]
        patent.save(update_fields=["ipc_main"])
    copies = []
    for n, i in enumerate(COPIED):
        original = pooled_patents[i]
        copies.append(
            Patent.objects.create(
                application_number=f"2021101{n:05d}.{n}",
                title=original.title,
                abstract=original.abstract,
                claims=original.claims,
                ipc_main=original.ipc_main,
                patent_type="invention",
                institution=original.institution,
                inventory_status="pooled",
                legal_status="valid",
                transfer_modes=["licence"],
            )
        )
    enterprises = list(matching_enterprises)
    for i, source in enumerate((25, 30, 35)):
        enterprises.append(
            Enterprise.objects.create(
                name=f"湖北分片企业{i}有限公司",
                uscc=f"91420100MA4M{i:05d}X"[:18],
                city=wuhan,
                business_scope=f"{pooled_patents[source].title}；{pooled_patents[source].abstract[:60]}",
            )
        )
    expires = timezone.now() + timedelta(days=60)
    for enterprise, patent, status in (
        (enterprises[0], copies[0], "declined"),  # a copy of its best patent, in the last shard
        (enterprises[1], pooled_patents[5], "signed"),
        (enterprises[3], pooled_patents[20], "withdrawn"),
    ):
        DockingRequest.objects.create(
            enterprise=enterprise, patent=patent, institution=patent.institution, status=status, expires_at=expires
        )
    for enterprise, patent in ((enterprises[2], pooled_patents[10]), (enterprises[2], pooled_patents[31])):
        PatentFollow.objects.create(enterprise=enterprise, patent=patent)
    return {"patents": [*pooled_patents, *copies], "enterprises": enterprises}


def _rows(run: MatchRun) -> list[tuple]:
    return list(Recommendation.objects.filter(run=run).order_by("enterprise_id", "rank").values_list(*COLUMNS))


def _run(settings, shards: int, n_patents: int) -> MatchRun:
    settings.MATCHING_SHARD_PATENTS = 0 if shards == 1 else -(-n_patents // shards)
    return match_run_execute_inline(run=MatchRun.objects.create())


def _demand() -> tuple[dict, dict]:
    """Every patent's demand and every enterprise's closest supply, without the run's number."""
    demand = {d.patent_id: (d.enterprises, d.needs, d.best_score) for d in PatentDemand.objects.all()}
    supply = {s.enterprise_id: (s.best_score, s.best_patent_id) for s in EnterpriseSupply.objects.all()}
    return demand, supply


@pytest.mark.parametrize("shards", [2, 4])
def test_a_sharded_run_writes_the_rows_of_the_unsharded_run(pool, settings, monkeypatch, shards):
    # given: the run unsharded
    n = len(pool["patents"])
    whole = _run(settings, 1, n)
    expected = _rows(whole)
    expected_demand = _demand()

    # when: sharded, its chunk tasks never loading the whole index
    def whole_index(run):
        raise AssertionError("a chunk task of a sharded run loaded the whole index")

    monkeypatch.setattr(chunks, "run_artifacts", whole_index)
    sharded = _run(settings, shards, n)
    # then
    assert (whole.status, sharded.status) == ("done", "done")
    assert sharded.counts["shards"] == shards
    got = _rows(sharded)
    assert len(got) == len(expected) >= 20  # up to 3 rows for each of 8 enterprises
    assert got == expected  # every column, floats compared exactly
    # the case is the one claimed: ties across shards, feedback that moved scores, terms on every row
    by_enterprise: dict[int, list[tuple]] = {}
    for row in got:
        by_enterprise.setdefault(row[0], []).append(row)
    ties = [rows for rows in by_enterprise.values() if len({r[3] for r in rows}) < len(rows)]
    assert ties, "no two kept patents share a score"
    for rows in ties:
        for a, b in zip(rows, rows[1:], strict=False):
            if a[3] == b[3] and a[5] == b[5]:
                assert a[1] < b[1]  # a tie keeps the lower patent (the lower row of the whole index) first
    assert any(r[5] != r[3] for r in got)  # feedback moved some scores
    assert all(r[6] != "[]" for r in got)
    assert {c.number: c.shards_ranked for c in MatchChunk.objects.filter(run=sharded)} == {
        n: list(range(shards)) for n in range(3)
    }
    # the chunks' candidates are gone once merged; each shard's index and chunk's files remain for the run
    directory = sharded.index_path.rsplit("/", 1)[0]
    files = set(artifacts_storage().listdir(directory)[1])
    assert not {f for f in files if f.startswith("candidates-")}
    assert {f"shard-{s}.npz" for s in range(shards)} | {"queries-0.npz", "feedback-2.npz"} <= files
    # and the supply and demand summed from its chunks' shares are the unsharded run's
    assert {f"demand-{n}.npz" for n in range(3)} <= files
    assert _demand() == expected_demand
    assert expected_demand[0]
    assert expected_demand[1]


def test_the_chunk_tasks_of_a_sharded_run_and_a_merge_redone_after_a_crash(pool, settings, monkeypatch):
    # given: the rows unsharded, then a 2-shard run whose chunk 1 merge dies once (a killed worker)
    n = len(pool["patents"])
    expected = _rows(_run(settings, 1, n))
    settings.MATCHING_SHARD_PATENTS = -(-n // 2)
    run = MatchRun.objects.create()
    store = chunks.match_chunk_store
    crashed: list[int] = []

    def crash_once(*, run, number, rows, owners, started):
        if number == 1 and not crashed:
            crashed.append(number)
            raise SystemExit("worker killed while merging")
        return store(run=run, number=number, rows=rows, owners=owners, started=started)

    monkeypatch.setattr(chunks, "match_chunk_store", crash_once)
    # when: the preparation task sends the chunk tasks (eager), one per chunk and shard
    with pytest.raises(SystemExit):
        match_run_prepare_task(run.pk)
    run.refresh_from_db()
    chunk = MatchChunk.objects.get(run=run, number=1)
    assert (run.status, chunk.done, chunk.shards_ranked) == ("running", False, [0, 1])
    # the recovery sends what is left: the unranked shards of chunk 2, and chunk 1 to merge again
    assert match_runs_redispatch(stalled_for=None) > 0
    # then
    run.refresh_from_db()
    assert run.status == "done"
    assert _rows(run) == expected
    assert crashed == [1]


def test_the_dispatch_sends_each_shard_once_shard_by_shard(pool, settings, monkeypatch):
    # given: a prepared 2-shard run in which chunk 0 has been ranked against shard 0
    settings.MATCHING_SHARD_PATENTS = -(-len(pool["patents"]) // 2)
    run = MatchRun.objects.create()
    numbers = match_run_prepare(run=run)
    MatchChunk.objects.filter(run=run, number=0).update(shards_ranked=[0])
    sent: list[tuple] = []
    monkeypatch.setattr("matching.tasks.match_chunk_task.delay", lambda *args: sent.append(args))
    # when
    count = match_chunks_dispatch(run_pk=run.pk, numbers=numbers)
    # then
    assert numbers == [0, 1, 2]
    assert sent == [(run.pk, 1, 0), (run.pk, 2, 0), (run.pk, 0, 1), (run.pk, 1, 1), (run.pk, 2, 1)]
    assert count == 5
