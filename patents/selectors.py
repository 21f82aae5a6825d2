"""Reads for institutions and patents, scoped to what the user may see: the scoped querysets of patents and
institutions (the rule of accounts.access, applied to this app's models) and the reads built on them."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Max, Q, QuerySet
from django.db.models.functions import Coalesce

from accounts.access import (
    is_city_staff,
    is_college_admin,
    is_enterprise_member,
    is_inventor,
    is_officer,
    is_province_staff,
)
from accounts.models import User
from core.supply import demand_threshold
from patents.models import (
    College,
    Institution,
    InventoryStatus,
    LegalStatus,
    OpenLicencePayment,
    Patent,
    PatentDemand,
    PatentInventor,
    PatentLegalStatusChange,
    PatentStatusChange,
    TransferMode,
)

# --- scoped querysets (`user`: a User or an AnonymousUser, as request.user is) -------------------------------------


def patents_visible_q(*, user: Any, via: str = "") -> Q:
    """The rule of patents_visible_to as a condition on the patent reached through `via` (e.g. "patent__" from a
    recommendation): a read that joins the patent anyway filters the joined row instead of matching its id against
    a subquery of every visible patent."""
    if is_province_staff(user):
        return Q()
    if is_city_staff(user):
        return Q(**{f"{via}institution__city_id": user.city_id})
    if is_officer(user):
        return Q(**{f"{via}institution_id": user.institution_id})
    if is_college_admin(user):
        return Q(**{f"{via}institution_id": user.institution_id, f"{via}college_id": user.college_id})
    if is_inventor(user):
        linked = PatentInventor.objects.filter(user_id=user.pk).values("patent_id")
        return Q(**{f"{via}pk__in": linked, f"{via}institution_id": user.institution_id})
    if is_enterprise_member(user):
        return Q(**{f"{via}inventory_status": InventoryStatus.POOLED})
    return Q(**{f"{via}pk__in": []})


def patents_pooled_q(*, user: Any, via: str = "") -> Q:
    """The pool as `user` sees it (patents_pooled_visible_to) as a condition on the patent reached through `via`."""
    return patents_visible_q(user=user, via=via) & Q(**{f"{via}inventory_status": InventoryStatus.POOLED})


def sees_whole_pool(*, user: Any) -> bool:
    """Whether the pool as `user` sees it (patents_pooled_q) is every pooled patent: their rule adds nothing to
    "pooled" (province staff, enterprise members). Read from the rule itself, so it follows any change to it; a
    search then needs no visibility check on the pooled patents it ranks (matching.reading.search)."""
    return patents_visible_q(user=user) in (Q(), Q(inventory_status=InventoryStatus.POOLED))


def patents_visible_to(*, user: Any) -> QuerySet[Patent]:
    """Patents `user` may see: province all, city staff their city's institutions', officers their institution's,
    college admins their college's, inventors those linked to them, enterprise members the pooled ones."""
    return Patent.objects.filter(patents_visible_q(user=user))


def patents_pooled_visible_to(*, user: Any) -> QuerySet[Patent]:
    """The pool as `user` sees it: visible and pooled now (search and recommendations both read through this)."""
    return Patent.objects.filter(patents_pooled_q(user=user))


def institutions_in_statistics_of(*, user: Any) -> QuerySet[Institution]:
    """Institutions whose figures (response times) `user` sees: province all, city staff their city's, officers their
    own; nobody else any."""
    qs = Institution.objects.all()
    if is_province_staff(user):
        return qs
    if is_city_staff(user):
        return qs.filter(city_id=user.city_id)
    if is_officer(user):
        return qs.filter(pk=user.institution_id)
    return qs.none()


# --- reads ---------------------------------------------------------------------------------------------------------


def patent_list(*, user: User) -> QuerySet[Patent]:
    """Patents visible to `user` (the rule is `patents_visible_to`), with institution and city."""
    return patents_visible_to(user=user).select_related("institution", "institution__city")


def patents_with_demand(patents: QuerySet[Patent]) -> QuerySet[Patent]:
    """`patents` annotated with their demand (PatentDemand; 0 and None without): demand_enterprises, demand_needs,
    demand_best."""
    return patents.annotate(
        demand_enterprises=Coalesce(F("demand__enterprises"), 0),
        demand_needs=Coalesce(F("demand__needs"), 0),
        demand_best=F("demand__best_score"),
    )


def patent_demand(*, patent: Patent) -> dict[str, int | float | None]:
    """A patent's demand as the API and the patent page show it: {enterprises, needs, best_score}."""
    row = PatentDemand.objects.filter(patent_id=patent.pk).values("enterprises", "needs", "best_score").first()
    if row is None:
        return {"enterprises": 0, "needs": 0, "best_score": None}
    return {"enterprises": row["enterprises"], "needs": row["needs"], "best_score": round(row["best_score"], 4)}


def supply_context() -> dict[str, object]:
    """What the sentence saying what "matched" means shows: the top k and the threshold in force."""
    return {"supply_top_k": settings.MATCHING_TOP_K, "supply_threshold": demand_threshold()}


def patent_get(*, user: User, pk: int) -> Patent | None:
    """One patent if `user` may see it, else None (callers answer 404, never 403, to hide existence)."""
    return patent_list(user=user).filter(pk=pk).first()


def institution_list() -> QuerySet[Institution]:
    """Institutions taking part, with their city."""
    return Institution.objects.select_related("city").filter(is_active=True)


def patent_counts_for_institution(*, institution: Institution) -> dict[str, int]:
    """How many of an institution's patents are in each inventory status (for the officer's home page)."""
    counts = dict.fromkeys(InventoryStatus.values, 0)
    counts.update(  # one GROUP BY instead of fetching every status row
        Patent.objects.filter(institution=institution)
        .values_list("inventory_status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts["total"] = sum(counts.values())
    return counts


@dataclass(frozen=True)
class OpenLicenceTerms:
    """The terms of an open-licence declaration (开放许可声明) as the officer published them."""

    payment: str
    payment_display: str
    lump_sum: Decimal | None
    royalty_rate: Decimal | None
    entry_fee: Decimal | None
    years: int | None


@dataclass(frozen=True)
class PublishedTerms:
    """What the officer published for enterprises about a patent: transfer modes, price, open licence, contact.
    Never the internal notes; the contact only while the patent is pooled (it is meant for docking)."""

    transfer_modes: list[tuple[str, str]]
    price_min: Decimal | None
    price_max: Decimal | None
    price_negotiable: bool
    open_licence: OpenLicenceTerms | None
    contact: str
    contact_phone: str

    def as_dict(self) -> dict[str, Any]:
        """JSON form for the API (amounts as strings, like DRF's DecimalField)."""

        def amount(value: Decimal | None) -> str | None:
            return None if value is None else str(value)

        licence = self.open_licence
        return {
            "transfer_modes": [value for value, _ in self.transfer_modes],
            "price_min": amount(self.price_min),
            "price_max": amount(self.price_max),
            "price_negotiable": self.price_negotiable,
            "open_licence": None
            if licence is None
            else {
                "payment": licence.payment,
                "lump_sum": amount(licence.lump_sum),
                "royalty_rate": amount(licence.royalty_rate),
                "entry_fee": amount(licence.entry_fee),
                "years": licence.years,
            },
            "contact": self.contact,
            "contact_phone": self.contact_phone,
        }


MODE_LABELS = dict(TransferMode.choices)
PAYMENT_LABELS = dict(OpenLicencePayment.choices)
# the Patent fields patent_published_terms reads (for .only() on card lists)
PUBLISHED_TERMS_FIELDS = (
    "inventory_status",
    "transfer_modes",
    "price_min",
    "price_max",
    "price_negotiable",
    "open_licence_payment",
    "open_licence_lump_sum",
    "open_licence_royalty_rate",
    "open_licence_entry_fee",
    "open_licence_years",
    "contact",
    "contact_phone",
)


def patent_published_terms(*, patent: Patent) -> PublishedTerms:
    """The terms of `patent` shown to enterprises on its page, recommendation and search cards, and in the API."""
    modes = [str(mode) for mode in patent.transfer_modes or []]
    licence = None
    if TransferMode.OPEN_LICENCE in modes:
        licence = OpenLicenceTerms(
            payment=patent.open_licence_payment,
            payment_display=str(PAYMENT_LABELS.get(patent.open_licence_payment, "")),
            lump_sum=patent.open_licence_lump_sum,
            royalty_rate=patent.open_licence_royalty_rate,
            entry_fee=patent.open_licence_entry_fee,
            years=patent.open_licence_years,
        )
    pooled = patent.inventory_status == InventoryStatus.POOLED
    return PublishedTerms(
        transfer_modes=[(mode, str(MODE_LABELS.get(mode, mode))) for mode in modes],
        price_min=patent.price_min,
        price_max=patent.price_max,
        price_negotiable=patent.price_negotiable,
        open_licence=licence,
        contact=patent.contact if pooled else "",
        contact_phone=patent.contact_phone if pooled else "",
    )


# --- 盘点率: the share of an institution's valid patents that it has inventoried on the platform ------------------

# What the rate counts as inventoried: the institution's patents on the platform in force, or of unknown status (a
# file without 法律状态 leaves them 未知, and an office inventories what it holds); lapsed patents and pending
# applications are not among the valid patents it holds, so they count on neither side.
RATE_LEGAL_STATUSES = (LegalStatus.VALID, LegalStatus.UNKNOWN)


@dataclass(frozen=True)
class InventoryRate:
    """One institution's (or college's) 盘点 progress: valid patents held, inventoried and pooled."""

    pk: int | None
    name: str
    city: str
    held: int | None
    held_on: date | None
    inventoried: int
    pooled: int

    @property
    def rate(self) -> float | None:
        """Inventoried ÷ held; None until the institution reports what it holds (or when it holds none)."""
        return self.inventoried / self.held if self.held else None

    @property
    def pooled_share(self) -> float | None:
        return self.pooled / self.inventoried if self.inventoried else None

    @property
    def exceeds_held(self) -> bool:
        """More inventoried than reported held: the reported figure is out of date."""
        return self.held is not None and self.inventoried > self.held


def _rate_counts(patents: QuerySet[Patent], key: str) -> dict[Any, dict[str, int]]:
    counts: dict[Any, dict[str, int]] = {}
    rows = (
        patents.filter(legal_status__in=RATE_LEGAL_STATUSES)
        .values_list(key, "inventory_status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for owner, status, n in rows:
        entry = counts.setdefault(owner, {"inventoried": 0, "pooled": 0})
        entry["inventoried"] += n
        if status == InventoryStatus.POOLED:
            entry["pooled"] += n
    return counts


def inventory_rates(*, institutions: QuerySet[Institution]) -> list[InventoryRate]:
    """The 盘点率 of each institution, lagging first: the lowest rate first, then those that have not reported what
    they hold (by name)."""
    counts = _rate_counts(Patent.objects.filter(institution__in=institutions), "institution_id")
    rates = [
        InventoryRate(
            pk=institution.pk,
            name=institution.name,
            city=institution.city.name,
            held=institution.patents_held,
            held_on=institution.patents_held_on,
            inventoried=counts.get(institution.pk, {}).get("inventoried", 0),
            pooled=counts.get(institution.pk, {}).get("pooled", 0),
        )
        for institution in institutions.select_related("city").order_by("name")
    ]
    return sorted(rates, key=lambda r: (r.rate is None, r.rate if r.rate is not None else 0.0, r.name))


def institution_inventory_rate(*, institution: Institution) -> InventoryRate:
    return inventory_rates(institutions=Institution.objects.filter(pk=institution.pk))[0]


def college_inventory_rates(*, institution_pk: int) -> list[InventoryRate]:
    """Per college of the institution: inventoried and pooled valid patents (a college reports no holdings, so it has
    no rate); patents filed under no college come last as one row with pk None."""
    counts = _rate_counts(Patent.objects.filter(institution_id=institution_pk), "college_id")
    rows = [
        InventoryRate(
            pk=college.pk,
            name=college.name,
            city="",
            held=None,
            held_on=None,
            inventoried=counts.get(college.pk, {}).get("inventoried", 0),
            pooled=counts.get(college.pk, {}).get("pooled", 0),
        )
        for college in College.objects.filter(institution_id=institution_pk).order_by("code", "name")
    ]
    if None in counts:
        rows.append(InventoryRate(None, "", "", None, None, counts[None]["inventoried"], counts[None]["pooled"]))
    return rows


def patent_legal_history(*, patent: Patent) -> list[PatentLegalStatusChange]:
    """The patent's legal-status changes (import or edit), newest first (its page's legal history)."""
    return list(patent.legal_status_changes.order_by("-created_at", "-pk"))


def patent_inventor_consent(*, patent: Patent) -> bool | None:
    """Whether the inventor agreed to the transfer (the assessment's answer, kept on the patent; None: no assessment
    or no answer)."""
    return patent.inventor_consent


# --- newly pooled patents (the saved-search alerts read these) ------------------------------------------------------


def patents_pooled_since(*, since: Any) -> dict[int, Any]:
    """{patent id: when it was last pooled} of the patents pooled now whose last pooling is after `since` (from the
    status history: a patent pooled, withdrawn and pooled again counts from its latest pooling)."""
    rows = (
        PatentStatusChange.objects.filter(
            to_status=InventoryStatus.POOLED,
            created_at__gt=since,
            patent__inventory_status=InventoryStatus.POOLED,
        )
        .values("patent_id")
        .annotate(at=Max("created_at"))
        .values_list("patent_id", "at")
    )
    return dict(rows)
