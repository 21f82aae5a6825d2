"""How the platform ranks with the engine, by its settings: the pseudo-relevance feedback of needs (a run, a
re-ranked enterprise, one need alone) and the push list's rules (generic business-scope words). Reads settings only."""

from __future__ import annotations

from django.conf import settings

from matching.engine import DEFAULT_PSEUDO_FEEDBACK, PseudoFeedback, PushConfig


def need_feedback() -> PseudoFeedback | None:
    """The pseudo-relevance feedback every need ranking uses (matching.engine.prf) when MATCHING_NEED_FEEDBACK is on;
    None (off, the default) otherwise. A run, a re-rank and one need alone use the same, so an enterprise's list does
    not change with the way it was ranked."""
    return DEFAULT_PSEUDO_FEEDBACK if settings.MATCHING_NEED_FEEDBACK else None


def push_rules() -> PushConfig | None:
    """The push list's rules (matching.engine.push); None (the served score) when MATCHING_PUSH_GENERIC_RULES is
    off."""
    return PushConfig() if settings.MATCHING_PUSH_GENERIC_RULES else None
