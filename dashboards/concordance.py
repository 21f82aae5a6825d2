"""The IPC → strategic-emerging-industry concordance: a patent's derived category, per patent and in SQL."""

from typing import Any

from django.db.models import CharField, Count, Q, QuerySet, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce, NullIf, Replace, Upper
from django.utils.translation import gettext

from dashboards.models import UNCLASSIFIED, IndustryCategory, IpcIndustryMapping, ipc_normalize
from patents.models import Patent


def concordance_table() -> dict[str, str]:
    """The concordance as {normalized IPC prefix: category code}."""
    return {ipc_normalize(p): c for p, c in IpcIndustryMapping.objects.values_list("ipc_prefix", "category")}


def industry_for_code(*, code: str, table: dict[str, str]) -> str:
    """The category of one IPC code by the longest matching prefix; UNCLASSIFIED when none matches."""
    normalized = ipc_normalize(code)
    for length in range(len(normalized), 0, -1):
        if normalized[:length] in table:
            return table[normalized[:length]]
    return UNCLASSIFIED


def patent_industry(*, patent: Patent, table: dict[str, str] | None = None) -> str:
    """A patent's derived category: from its main IPC code, or the first of its codes when the main one is empty."""
    code = patent.ipc_main or next(iter(patent.ipc_codes or []), "")
    return industry_for_code(code=code, table=concordance_table() if table is None else table)


def ipc_key_expression() -> Any:
    """SQL: the code that decides a patent's category, upper case without spaces (as `patent_industry`)."""
    code = Coalesce(NullIf("ipc_main", Value("")), KT("ipc_codes__0"), Value(""), output_field=CharField())
    return Upper(Replace(code, Value(" "), Value("")))


def industry_label(code: str) -> str:
    """The category's name, or 未分类."""
    return str(IndustryCategory(code).label) if code in IndustryCategory.values else gettext("未分类")


def patents_in_industry(*, patents: QuerySet[Patent], category: str) -> QuerySet[Patent]:
    """Those of `patents` whose derived category is `category` (longest-prefix rule, evaluated in SQL)."""
    table = concordance_table()
    own = [p for p, c in table.items() if c == category]
    condition = Q()
    for prefix in own:
        longer_elsewhere = [
            p for p, c in table.items() if c != category and len(p) > len(prefix) and p.startswith(prefix)
        ]
        branch = Q(ipc_key__startswith=prefix)
        for other in longer_elsewhere:
            branch &= ~Q(ipc_key__startswith=other)
        condition |= branch
    annotated = patents.annotate(ipc_key=ipc_key_expression())
    if category == UNCLASSIFIED:
        matched = Q()
        for prefix in table:
            matched |= Q(ipc_key__startswith=prefix)
        return annotated.exclude(matched) if table else annotated
    return annotated.filter(condition) if own else annotated.none()


def industry_counts(patents: QuerySet[Patent]) -> dict[str, int]:
    """Patents per derived category: grouped by main IPC code in SQL (a few hundred groups), mapped in Python."""
    table = concordance_table()
    counts = dict.fromkeys([*IndustryCategory.values, UNCLASSIFIED], 0)
    by_main = patents.exclude(ipc_main="").values_list("ipc_main").annotate(n=Count("pk")).order_by()
    by_first_code = (
        patents.filter(ipc_main="")
        .annotate(code=Coalesce(KT("ipc_codes__0"), Value(""), output_field=CharField()))
        .values_list("code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for code, n in [*by_main, *by_first_code]:
        counts[industry_for_code(code=code or "", table=table)] += n
    return counts
