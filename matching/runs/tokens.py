"""Token caches of matching: the weighted documents of patents and the weighted queries of enterprises, kept per row
with a hash of the text they came from, so that a run tokenizes only what changed since the last one."""

from __future__ import annotations

import hashlib
import re

from django.db import transaction
from django.db.models import F, OuterRef, Q, QuerySet, Subquery, TextField, Value
from django.db.models.functions import MD5, Concat

from enterprises.models import Enterprise, TechNeed
from matching.engine import FieldWeights, PatentText, enterprise_query_tokens, patent_tokens_many
from matching.models import EnterpriseTokens, PatentTokens
from patents.models import Patent

WEIGHTS = FieldWeights()

_SEP = "\x1f"


def _patent_text_hash() -> MD5:
    # computed by the database: a warm run reads 32 characters per patent instead of its whole text
    parts: list = [Value(str(WEIGHTS))]
    for name in ("title", "abstract", "claims"):
        parts += [Value(_SEP), F(name)]
    return MD5(Concat(*parts, output_field=TextField()))


# Stale patents are read, tokenized and cached this many at a time, so that a cold run's memory is bounded by the
# batch, not by every text, token document and cache row of the province at once.
TOKENIZE_BATCH = 20_000
# Cache rows are written this many per transaction, after tokenizing (never during it): on SQLite, where one writer
# at a time holds the database, a request then waits a moment for a cold run, not for its whole tokenizing.
CACHE_ROWS_PER_TRANSACTION = 2000


def _cache_replace(model: type[PatentTokens] | type[EnterpriseTokens], key: str, rows: list) -> None:
    """Replace the cache rows of `rows` (model instances keyed by `key`), CACHE_ROWS_PER_TRANSACTION at a time."""
    for start in range(0, len(rows), CACHE_ROWS_PER_TRANSACTION):
        part = rows[start : start + CACHE_ROWS_PER_TRANSACTION]
        with transaction.atomic():
            model.objects.filter(**{f"{key}__in": [getattr(row, key) for row in part]}).delete()
            model.objects.bulk_create(part)


def patent_documents(*, patents: QuerySet[Patent]) -> tuple[list[int], list[str]]:
    """Primary keys (ascending) and weighted token documents of `patents`; only patents whose text changed since
    they were cached are tokenized (their cache rows are replaced), TOKENIZE_BATCH at a time."""
    cached = PatentTokens.objects.filter(patent_id=OuterRef("pk"))
    hashed = patents.annotate(current_hash=_patent_text_hash(), cached_hash=Subquery(cached.values("text_hash")))
    stale = hashed.filter(Q(cached_hash__isnull=True) | ~Q(cached_hash=F("current_hash")))
    stale_ids = list(stale.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(stale_ids), TOKENIZE_BATCH):
        part = stale_ids[start : start + TOKENIZE_BATCH]
        _patent_tokens_cache(
            list(
                stale.filter(pk__gte=part[0], pk__lte=part[-1])
                .order_by("pk")
                .values_list("pk", "current_hash", "title", "abstract", "claims")
            )
        )
    rows = patents.order_by("pk").annotate(doc=Subquery(cached.values("tokens"))).values_list("pk", "doc")
    pairs = list(rows.iterator(chunk_size=5000))
    return [pk for pk, _ in pairs], [doc for _, doc in pairs]


def _patent_tokens_cache(stale: list[tuple[int, str, str, str, str]]) -> None:
    """Tokenize `stale` (pk, text hash, title, abstract, claims) and replace their cache rows."""
    tokens = patent_tokens_many(
        patents=[PatentText(title=t, abstract=a, claims=c) for _, _, t, a, c in stale], weights=WEIGHTS
    )
    _cache_replace(
        PatentTokens,
        "patent_id",
        [PatentTokens(patent_id=row[0], text_hash=row[1], tokens=doc) for row, doc in zip(stale, tokens, strict=True)],
    )


def _enterprise_text(needs: str, business_scope: str, products: str) -> tuple[str, str]:
    """The text an enterprise is matched on, and its hash (the cache key of its tokens)."""
    payload = f"{needs}{_SEP}{business_scope}{_SEP}{products}"
    return payload, hashlib.blake2b(payload.encode(), digest_size=16).hexdigest()


def _enterprise_tokens(needs: str, business_scope: str, products: str) -> str:
    return " ".join(enterprise_query_tokens(needs=needs, business_scope=business_scope, products=products))


def enterprise_query(enterprise: Enterprise) -> str:
    """The enterprise's weighted query: its open needs first, then business scope and products."""
    needs = " ".join(
        f"{n.title} {n.keywords} {n.description}" for n in enterprise.needs.all() if n.status == TechNeed.Status.OPEN
    )
    return _enterprise_tokens(needs, enterprise.business_scope, enterprise.products)


def enterprise_queries(*, enterprises: QuerySet[Enterprise]) -> tuple[list[int], list[str]]:
    """Primary keys (ascending) and weighted queries of `enterprises`, as enterprise_query gives them; only the
    enterprises whose text changed since they were cached are tokenized."""
    needs: dict[int, list[str]] = {}
    for enterprise_id, title, keywords, description in (
        TechNeed.objects.filter(status=TechNeed.Status.OPEN)
        .order_by("-created_at", "pk")
        .values_list("enterprise_id", "title", "keywords", "description")
    ):
        needs.setdefault(enterprise_id, []).append(f"{title} {keywords} {description}")
    cache = dict(EnterpriseTokens.objects.values_list("enterprise_id", "text_hash"))
    rows = []
    for pk, scope, products in enterprises.order_by("pk").values_list("pk", "business_scope", "products"):
        parts = (" ".join(needs.get(pk, [])), scope, products)
        rows.append((pk, parts, _enterprise_text(*parts)[1]))
    stale = [(pk, parts, text_hash) for pk, parts, text_hash in rows if cache.get(pk) != text_hash]
    _cache_replace(
        EnterpriseTokens,
        "enterprise_id",
        [EnterpriseTokens(enterprise_id=pk, text_hash=h, tokens=_enterprise_tokens(*parts)) for pk, parts, h in stale],
    )
    tokens = dict(EnterpriseTokens.objects.values_list("enterprise_id", "tokens"))
    return [pk for pk, _, _ in rows], [tokens[pk] for pk, _, _ in rows]


_SUBCLASS = re.compile(r"[A-H][0-9]{2}[A-Z]")


def patent_ipc_subclasses(*, patents: QuerySet[Patent], patent_ids: list[int]) -> list[list[str]]:
    """Each patent's IPC subclasses (H01M, …) in `patent_ids` order: what the index's class prior learns from
    (matching.engine.classes); a patent without a valid code gets [] and is predicted from its text."""
    codes = {pk: [main, *(extra or [])] for pk, main, extra in patents.values_list("pk", "ipc_main", "ipc_codes")}
    labels = []
    for pk in patent_ids:
        found = {
            m.group(0) for code in codes.get(pk, []) if (m := _SUBCLASS.match(str(code or "").replace(" ", "").upper()))
        }
        labels.append(sorted(found))
    return labels
