"""`manage.py warm_kernels` fills numba's cache, so that a fresh process — the next worker, the first run —
loads the matching kernels instead of compiling them (numba's own cache counters say which)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from matching.engine import available_rank_backend

ROOT = Path(__file__).resolve().parents[2]

RANK_AND_REPORT = """
import json
import numpy as np
from matching import engine as me
from matching.engine import _kernels
index = me.fit_index(
    documents=["锂电池 正极 材料", "锂电池 回收", "污水 处理 过滤器", "图像 识别", "污水 沉淀 回收", "正极 材料 涂层"],
    patent_ids=[str(i) for i in range(6)],
    labels=[["H01M"], ["H01M"], ["C02F"], ["G06K"], ["C02F"], []],
)
queries = index.transform_queries(["锂电池 材料", "污水 回收", "图像"])
top = me.rank_index(index=index, queries=queries, k=3, patent_mask=np.ones(6, dtype=bool))
me.top_k_both(queries=queries, patents=index.matrix, k=2)
me.explain_pairs(matrix=index.matrix, queries=queries, query_rows=np.repeat(np.arange(3), 3),
                 patent_rows=top.indices.ravel(), n_terms=3)
print(json.dumps({name: [sum(getattr(_kernels, name).stats.cache_hits.values()),
                         sum(getattr(_kernels, name).stats.cache_misses.values())]
                  for name in ("top_k_both", "top_k_rows_fused", "explain_pairs")}))
"""


@pytest.mark.skipif(available_rank_backend() != "numba", reason="numba is not installed: nothing is compiled")
def test_after_the_warm_up_a_fresh_process_loads_every_kernel_from_the_cache(tmp_path):
    # given: an empty cache directory
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "patent_platform.settings.test"}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False)

    # when: the warm-up, then its check, then a ranking as a run makes it, each in a fresh process
    warm = run("manage.py", "warm_kernels")
    check = run("manage.py", "warm_kernels", "--check")
    ranking = run("-c", RANK_AND_REPORT)
    # then
    assert warm.returncode == 0, warm.stderr[-2000:]
    assert warm.stdout.count("已编译 / compiled") == 3  # the first process compiled the three kernels
    assert check.returncode == 0, check.stderr[-2000:]
    assert check.stdout.count("从缓存加载 / loaded from the cache") == 3
    assert ranking.returncode == 0, ranking.stderr[-2000:]
    counters = __import__("json").loads(ranking.stdout.strip().splitlines()[-1])
    assert counters == {name: [1, 0] for name in ("top_k_both", "top_k_rows_fused", "explain_pairs")}


def test_the_check_fails_when_a_kernel_had_to_be_compiled(monkeypatch, capsys):
    # given: a cache that did not hold one kernel
    monkeypatch.setattr(
        "matching.management.commands.warm_kernels.kernels_warm_up",
        lambda: {"top_k_both": "cache", "top_k_rows_fused": "compiled", "explain_pairs": "cache"},
    )
    # when / then
    with pytest.raises(CommandError, match="kernels not loaded from the cache: top_k_rows_fused"):
        call_command("warm_kernels", "--check")
    call_command("warm_kernels")  # without --check the same report is only printed
    assert "top_k_rows_fused: 已编译 / compiled" in capsys.readouterr().out
