"""Benchmark: a run sharded by patents on two one-core workers vs one (python bench/shard_hosts.py).

The stand-in for two machines: worker processes pinned with `taskset` to one core each (numba and BLAS on one
thread), every worker doing what a chunk task of a sharded run does (matching.runs.chunks._shard_candidates): load
one shard's index from its file (matching.engine.index_shard, MatchIndex.to_bytes), rank a block of enterprises
against it (rank_index, the best 2 × top-k with the fused score) and explain the pairs (explain_pairs), then write
the block's candidates. Baseline, in the same sitting and interleaved with the change: ONE worker pinned to one core
doing every (block, shard) task; change: TWO workers, one per core, each doing half the tasks (shards split between
them, as the matching queue spreads a sharded run's tasks over the workers). Reported per round: the wall time until
the last task is done, and per worker its tasks' seconds and peak memory (VmHWM); per shard: load, rank and memory.
The merged best of a sample of enterprises (matching.engine.top_k_merge) is checked equal to the unsharded ranking.

Corpus: SYNTHETIC patents from real sentences (bench/_common.py), --base of them tokenized and repeated to --patents
(the same per-patent statistics, as bench/match.py's scaling points), fitted once like a run (TF-IDF + LSA). The
enterprises are synthetic needs with real Hubei business scopes. Defaults: 450,000 patents × 26,000 enterprises,
4 shards, 4 blocks. `--enterprises 2600` keeps a shared machine's rounds short (say so when you quote it).
Reports uptime's load beside every figure; the last line is one JSON object.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _common as C  # also puts the project root on sys.path
import numpy as np
import scipy.sparse as sp

from matching.engine import (
    MatchIndex,
    PatentText,
    Tokenizer,
    TopK,
    enterprise_query_tokens,
    explain_pairs,
    fit_index,
    index_shard,
    patent_tokens_many,
    rank_index,
    top_k_merge,
)

TOP_K = 50  # settings.MATCHING_TOP_K: a shard keeps the best 2 × TOP_K of each enterprise
TERMS = 8  # settings.MATCHING_TERMS_SHOWN
ONE_THREAD = {"NUMBA_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--patents", type=int, default=450_000)
    parser.add_argument("--enterprises", type=int, default=26_000)
    parser.add_argument("--base", type=int, default=30_000, help="patents tokenized (repeated up to --patents)")
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument("--blocks", type=int, default=4, help="blocks (chunks) of enterprises")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of (1 worker, 2 workers), interleaved")
    parser.add_argument("--worker", help=argparse.SUPPRESS)  # internal: run as one worker on a task list
    args = parser.parse_args()
    if args.worker:
        _worker(json.loads(args.worker))
        return
    started = time.perf_counter()
    out: dict[str, object] = {"bench": "shard_hosts", "synthetic_text": True, "cores": os.cpu_count()}
    print(f"sharded run on pinned workers: {args.patents:,} patents × {args.enterprises:,} enterprises, "
          f"{args.shards} shards × {args.blocks} blocks (SYNTHETIC text from real sentences)")  # fmt: skip
    print(C.load_note())
    out.update(patents=args.patents, enterprises=args.enterprises, shards=args.shards, blocks=args.blocks)
    work = Path(tempfile.mkdtemp(prefix="shard-hosts-"))
    try:
        prepared = _prepare(args=args, work=work)
        out.update(prepared)
        rounds = []
        for r in range(args.rounds):
            for workers in (1, 2):
                result = _round(work=work, workers=workers, shards=args.shards, blocks=args.blocks)
                rounds.append({"round": r + 1, **result})
                print(f"  round {r + 1}, {workers} worker(s): {result['wall_s']} s ({result['load']})", flush=True)
        out["rounds"] = rounds
        out.update(_summary(rounds))
        out["merge_equals_unsharded"] = _merge_check(work=work, shards=args.shards)
        out["shards_figures"] = _shard_figures(rounds)
        _print(out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out["seconds"] = round(time.perf_counter() - started, 1)
    print(f"\ntotal {out['seconds']} s; this process's peak RSS {C.peak_rss_mb():.0f} MB")
    print(json.dumps(out, ensure_ascii=False))


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f}/{five:.1f}"


# ------------------------------------------------------------------------------------------------ preparation
def _prepare(*, args: argparse.Namespace, work: Path) -> dict[str, object]:
    """Fit the index like a run, cut it into shards and the enterprises into blocks, all into files."""
    tokenizer = Tokenizer()
    base = min(args.base, args.patents)
    patents = C.synthetic_patents(n=base)
    t = time.perf_counter()
    docs = patent_tokens_many(
        patents=[PatentText(t_, a, c) for _, t_, a, c in patents], tokenizer=tokenizer, processes=2
    )
    tokenize_s = time.perf_counter() - t
    corpus = [docs[i % len(docs)] for i in range(args.patents)]
    t = time.perf_counter()
    index = fit_index(documents=corpus, patent_ids=[str(i) for i in range(args.patents)])
    fit_s = time.perf_counter() - t
    del corpus, docs
    needs = C.synthetic_needs(n=args.enterprises)
    queries = index.transform_queries(
        [" ".join(enterprise_query_tokens(needs=n, business_scope=s, tokenizer=tokenizer)) for _, n, s in needs]
    )
    size = -(-args.patents // args.shards)
    shard_mb = []
    for s in range(args.shards):
        payload = index_shard(index, start=s * size, stop=min((s + 1) * size, args.patents)).to_bytes()
        (work / f"shard-{s}.npz").write_bytes(payload)
        shard_mb.append(round(len(payload) / 1e6, 1))
    rows = -(-queries.shape[0] // args.blocks)
    for b in range(args.blocks):
        block = queries[b * rows : (b + 1) * rows]
        buffer = io.BytesIO()
        sp.save_npz(buffer, block)
        (work / f"block-{b}.npz").write_bytes(buffer.getvalue())
    # the sample the merge is checked on: its unsharded ranking, by this process on the whole index
    sample = queries[: min(200, rows)]
    whole = rank_index(index=index, queries=sample, k=TOP_K * 2)
    np.savez(work / "whole.npz", indices=whole.indices, scores=whole.scores)
    figures = {
        "tokenize_base_s": round(tokenize_s, 1),
        "fit_s": round(fit_s, 1),
        "index_mb": round(index.nbytes / 1e6, 1),
        "shard_file_mb": shard_mb,
        "prepare_rss_mb": round(C.peak_rss_mb(), 0),
        "prepare_load": _load(),
    }
    print(f"  prepared: tokenize {tokenize_s:.1f} s ({base:,} patents), fit {fit_s:.1f} s, index "
          f"{figures['index_mb']} MB, shard files {shard_mb} MB ({_load()})", flush=True)  # fmt: skip
    return figures


# ---------------------------------------------------------------------------------------------------- rounds
def _round(*, work: Path, workers: int, shards: int, blocks: int) -> dict[str, object]:
    """All (block, shard) tasks on `workers` processes pinned to cores 0 .. workers-1; wall time to the last."""
    cores = sorted(os.sched_getaffinity(0))
    tasks = [(b, s) for s in range(shards) for b in range(blocks)]  # shard by shard: a worker loads each once
    procs = []
    for w in range(workers):
        mine = [task for task in tasks if task[1] % workers == w]
        spec = json.dumps({"dir": str(work), "tasks": mine})
        command = ["taskset", "-c", str(cores[w % len(cores)]), sys.executable, __file__, "--worker", spec]
        procs.append(
            subprocess.Popen(
                command, env={**os.environ, **ONE_THREAD}, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
            )
        )
    for proc in procs:  # started and warm, as a running worker is: the clock starts when every one is ready
        if proc.stdout is None or proc.stdout.readline().strip() != "ready":
            raise SystemExit("a worker did not start")
    load_before = _load()
    go = time.time()  # wall clock: the workers report when their last task ended, on the same clock
    for proc in procs:
        assert proc.stdin is not None  # noqa: S101 - opened above
        proc.stdin.write("go\n")
        proc.stdin.flush()
    reports = []
    for proc in procs:
        stdout, _ = proc.communicate()
        if proc.returncode != 0:
            raise SystemExit(f"a worker failed ({proc.returncode})")
        reports.append(json.loads(stdout.strip().splitlines()[-1]))
    wall = max(report["ended"] for report in reports) - go
    return {"workers": workers, "wall_s": round(wall, 1), "load": f"{load_before} → {_load()}", "per_worker": reports}


def _worker(spec: dict) -> None:
    """One pinned worker: its tasks in order, one shard in memory at a time, candidates written per task."""
    from matching.engine import kernels_warm_up

    kernels_warm_up()  # as each Celery pool process does at start (patent_platform/celery.py)
    print("ready", flush=True)
    sys.stdin.readline()
    work = Path(spec["dir"])
    tasks = []
    loaded: tuple[int, MatchIndex] | None = None
    started, cpu = time.perf_counter(), time.process_time()
    for block, shard in spec["tasks"]:
        t = time.perf_counter()
        if loaded is None or loaded[0] != shard:
            loaded = None  # the previous shard is released before the next is read
            loaded = (shard, MatchIndex.from_bytes((work / f"shard-{shard}.npz").read_bytes()))
        load_s = time.perf_counter() - t
        index = loaded[1]
        queries = sp.load_npz(work / f"block-{block}.npz").tocsr()
        t = time.perf_counter()
        top = rank_index(index=index, queries=queries, k=TOP_K * 2)
        rank_s = time.perf_counter() - t
        t = time.perf_counter()
        valid = (top.indices >= 0) & (top.scores > 0)
        pair_query, pair_candidate = np.nonzero(valid)
        explain_pairs(
            matrix=index.matrix,
            queries=queries,
            query_rows=pair_query,
            patent_rows=top.indices[pair_query, pair_candidate],
            n_terms=TERMS,
        )
        explain_s = time.perf_counter() - t
        np.savez(work / f"candidates-{block}-{shard}.npz", indices=top.indices, scores=top.scores)
        tasks.append({"block": block, "shard": shard, "load_s": round(load_s, 2), "rank_s": round(rank_s, 2),
                      "explain_s": round(explain_s, 2)})  # fmt: skip
    status = Path("/proc/self/status").read_text()
    peak_mb = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))) / 1024
    seconds = round(time.perf_counter() - started, 1)
    cpu_s = round(time.process_time() - cpu, 1)  # its own CPU seconds: the work, whatever else runs on its core
    report = {"tasks": tasks, "seconds": seconds, "cpu_s": cpu_s, "peak_mb": round(peak_mb), "ended": time.time()}
    print(json.dumps(report))


# ------------------------------------------------------------------------------------------------ the results
def _merge_check(*, work: Path, shards: int) -> bool:
    """Block 0's sample merged from the shards' candidates (rows shifted to the whole index) equals the unsharded."""
    whole = np.load(work / "whole.npz")
    n = whole["indices"].shape[0]
    sizes = [MatchIndex.from_bytes((work / f"shard-{s}.npz").read_bytes()).matrix.shape[0] for s in range(shards)]
    offsets = np.cumsum([0, *sizes[:-1]])
    parts = []
    for s in range(shards):
        part = np.load(work / f"candidates-0-{s}.npz")
        indices = part["indices"][:n].astype(np.int64)
        parts.append(TopK(indices=np.where(indices >= 0, indices + offsets[s], -1), scores=part["scores"][:n]))
    merged, _ = top_k_merge(parts=parts, k=TOP_K * 2)
    same = bool(np.array_equal(merged.indices, whole["indices"]) and np.array_equal(merged.scores, whole["scores"]))
    print(f"  merged best of {n} enterprises over {shards} shards equals the unsharded ranking: {same}")
    return same


def _summary(rounds: list[dict]) -> dict[str, object]:
    one = [r["wall_s"] for r in rounds if r["workers"] == 1]
    two = [r["wall_s"] for r in rounds if r["workers"] == 2]
    return {
        "one_worker_wall_s": one,
        "two_workers_wall_s": two,
        "speedup_best": round(min(one) / min(two), 2),
        "speedup_median": round(float(np.median(one)) / float(np.median(two)), 2),
    }


def _shard_figures(rounds: list[dict]) -> list[dict[str, float]]:
    """Per shard over the one-worker rounds: seconds to load it, to rank + explain every block, and peak memory."""
    figures: dict[int, dict[str, list[float]]] = {}
    for r in rounds:
        if r["workers"] != 1:
            continue
        for task in r["per_worker"][0]["tasks"]:
            f = figures.setdefault(task["shard"], {"load_s": [], "rank_s": [], "explain_s": []})
            f["load_s"].append(task["load_s"])
            f["rank_s"].append(task["rank_s"])
            f["explain_s"].append(task["explain_s"])
    rounds_1 = sum(1 for r in rounds if r["workers"] == 1)
    return [
        {
            "shard": s,
            "load_s": round(sum(f["load_s"]) / rounds_1, 2),
            "rank_s": round(sum(f["rank_s"]) / rounds_1, 2),
            "explain_s": round(sum(f["explain_s"]) / rounds_1, 2),
        }  # fmt: skip
        for s, f in sorted(figures.items())
    ]


def _print(out: dict) -> None:
    C.print_table(
        title="Rounds (wall time until the last (block, shard) task is done; workers pinned one core each)",
        headers=["round", "workers", "wall s", "worker s", "worker CPU s", "worker peak MB", "load before → after"],
        rows=[
            [
                r["round"],
                r["workers"],
                r["wall_s"],
                " / ".join(str(w["seconds"]) for w in r["per_worker"]),
                " / ".join(str(w["cpu_s"]) for w in r["per_worker"]),
                " / ".join(str(w["peak_mb"]) for w in r["per_worker"]),
                r["load"],
            ]
            for r in out["rounds"]  # type: ignore[attr-defined]
        ],
    )
    C.print_table(
        title="Per shard, one worker (seconds per round: load its file once, rank + explain every block)",
        headers=["shard", "file MB", "load s", "rank s", "explain s"],
        rows=[
            [f["shard"], out["shard_file_mb"][f["shard"]], f["load_s"], f["rank_s"], f["explain_s"]]  # type: ignore[index]
            for f in out["shards_figures"]  # type: ignore[attr-defined]
        ],
    )
    print(
        f"\nspeed-up of two one-core workers over one: best {out['speedup_best']}×, median "
        f"{out['speedup_median']}× (2.0× is perfect halving); merge equals unsharded: {out['merge_equals_unsharded']}"
    )


if __name__ == "__main__":
    main()
