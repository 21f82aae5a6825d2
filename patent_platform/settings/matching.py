"""The matching settings (runs, search, push lists, saved-search alerts, supply and demand), imported by base.py:
every value from the environment (PLATFORM_…), read after base.py has read its .env file."""

import os
import tempfile
from pathlib import Path

import environ

env = environ.Env()

MATCHING_ENTERPRISE_CHUNK = env.int("PLATFORM_MATCHING_ENTERPRISE_CHUNK", default=2000)
# patents per shard of a full run (0: one shard, every chunk task ranks against the whole index): a run of n patents
# is cut into ceil(n / this) shards, each chunk task ranks one chunk of enterprises against one shard and the chunk's
# last task merges the shards' best (matching.runs.chunks), so a worker holds one shard, not the whole index
MATCHING_SHARD_PATENTS = env.int("PLATFORM_MATCHING_SHARD_PATENTS", default=0)
# how long a web process trusts the current run it read, and a search ranking stays cached (live checks: see
# matching.runs.current.current_run and matching.reading.search.patent_search)
MATCHING_CURRENT_RUN_SECONDS = env.float("PLATFORM_MATCHING_CURRENT_RUN_SECONDS", default=2.0)
MATCHING_SEARCH_CACHE_SECONDS = env.int("PLATFORM_MATCHING_SEARCH_CACHE_SECONDS", default=60)
# ranking numbers: patents stored per enterprise, explaining terms kept per recommendation and shown per search hit,
# search hits counted (total and facets; pages walk through them), values per facet, page sizes of the pages
# numba's compiled matching kernels are cached here (numba reads the variable when first imported, after the
# settings); it must be writable, which the code directory of a container image often is not
NUMBA_CACHE_DIR = env("NUMBA_CACHE_DIR", default=str(Path(tempfile.gettempdir()) / "patent-platform-numba"))
os.environ.setdefault("NUMBA_CACHE_DIR", NUMBA_CACHE_DIR)
MATCHING_TOP_K = env.int("PLATFORM_MATCHING_TOP_K", default=50)
MATCHING_TERMS_SHOWN = env.int("PLATFORM_MATCHING_TERMS_SHOWN", default=8)
MATCHING_NEED_FEEDBACK = env.bool("PLATFORM_MATCHING_NEED_FEEDBACK", default=False)
MATCHING_PUSH_GENERIC_RULES = env.bool("PLATFORM_MATCHING_PUSH_GENERIC_RULES", default=True)
MATCHING_SEARCH_TERMS_SHOWN = env.int("PLATFORM_MATCHING_SEARCH_TERMS_SHOWN", default=5)
MATCHING_SEARCH_HITS = env.int("PLATFORM_MATCHING_SEARCH_HITS", default=500)
MATCHING_SEARCH_FACET_VALUES = env.int("PLATFORM_MATCHING_SEARCH_FACET_VALUES", default=12)
MATCHING_SEARCH_PAGE_SIZE = env.int("PLATFORM_MATCHING_SEARCH_PAGE_SIZE", default=20)
MATCHING_RECOMMENDATIONS_PAGE_SIZE = env.int("PLATFORM_MATCHING_RECOMMENDATIONS_PAGE_SIZE", default=10)
MATCHING_PUSH_LIST_PAGE_SIZE = env.int("PLATFORM_MATCHING_PUSH_LIST_PAGE_SIZE", default=20)
# pushing a patent to an enterprise again within this many hours notifies nobody (reported as already pushed)
PATENT_PUSH_REPEAT_HOURS = env.int("PLATFORM_PATENT_PUSH_REPEAT_HOURS", default=24)
# saved searches and alerts (docs/alerts.md): a newly pooled patent is news for a subscription when it is among the
# best ALERTS_TOP_N hits of its search (or need); a member keeps at most ALERTS_MAX_PER_USER subscriptions
ALERTS_TOP_N = env.int("PLATFORM_ALERTS_TOP_N", default=20)
ALERTS_MAX_PER_USER = env.int("PLATFORM_ALERTS_MAX_PER_USER", default=50)
# supply and demand (docs/supply_demand.md): a patent is "matched" to an enterprise when it is in the enterprise's top
# MATCHING_TOP_K at SUPPLY_DEMAND_THRESHOLD or more (chosen by bench/threshold.py); a pooled patent with no demand
# SUPPLY_COLD_DAYS after pooling is 冷门; 建议入库 scores at most SUPPLY_SUGGEST_MAX of an institution's unpooled
# patents (the most recently changed)
SUPPLY_DEMAND_THRESHOLD = env.float("PLATFORM_SUPPLY_DEMAND_THRESHOLD", default=0.2)
SUPPLY_COLD_DAYS = env.int("PLATFORM_SUPPLY_COLD_DAYS", default=30)
SUPPLY_SUGGEST_MAX = env.int("PLATFORM_SUPPLY_SUGGEST_MAX", default=300)
