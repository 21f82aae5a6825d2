"""The supply-and-demand settings (docs/supply_demand.md; defined in patent_platform/settings/matching.py):

- SUPPLY_DEMAND_THRESHOLD (PLATFORM_SUPPLY_DEMAND_THRESHOLD, 0.2): a patent is "matched" to an enterprise when it is
  in the enterprise's top MATCHING_TOP_K at this score or more (chosen by bench/threshold.py);
- SUPPLY_COLD_DAYS (PLATFORM_SUPPLY_COLD_DAYS, 30): a pooled patent with no demand this many days after pooling is 冷门;
- SUPPLY_SUGGEST_MAX (PLATFORM_SUPPLY_SUGGEST_MAX, 300): 建议入库 scores at most this many of an institution's
  patents that are not pooled (the most recently changed)."""

from django.conf import settings


def demand_threshold() -> float:
    return float(settings.SUPPLY_DEMAND_THRESHOLD)


def cold_days() -> int:
    return int(settings.SUPPLY_COLD_DAYS)


def suggest_max() -> int:
    return int(settings.SUPPLY_SUGGEST_MAX)
