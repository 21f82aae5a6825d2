"""The supply-and-demand settings (docs/supply_demand.md), read here because settings/base.py is at its size limit:
a Django setting of the same name wins (tests, a deployment's settings module), then the environment, then the
default.

- SUPPLY_DEMAND_THRESHOLD (PLATFORM_SUPPLY_DEMAND_THRESHOLD, 0.2): a patent is "matched" to an enterprise when it is
  in the enterprise's top MATCHING_TOP_K at this score or more (chosen by bench/threshold.py);
- SUPPLY_COLD_DAYS (PLATFORM_SUPPLY_COLD_DAYS, 30): a pooled patent with no demand this many days after pooling is 冷门;
- SUPPLY_SUGGEST_MAX (PLATFORM_SUPPLY_SUGGEST_MAX, 300): 建议入库 scores at most this many of an institution's
  patents that are not pooled (the most recently changed)."""

import os

from django.conf import settings


def _setting(name: str, default: str) -> str:
    return str(getattr(settings, name, os.environ.get(f"PLATFORM_{name}", default)))


def demand_threshold() -> float:
    return float(_setting("SUPPLY_DEMAND_THRESHOLD", "0.2"))


def cold_days() -> int:
    return int(_setting("SUPPLY_COLD_DAYS", "30"))


def suggest_max() -> int:
    return int(_setting("SUPPLY_SUGGEST_MAX", "300"))
