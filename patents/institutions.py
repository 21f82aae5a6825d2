"""Loading the institutions that take part, on a new database or when the lists change: the province's universities
from the MOE list the platform ships (patents/data/moe_universities.csv), research institutes from an office's file.

A service module (it writes). Both loads are idempotent — a second run changes nothing — and all-or-nothing: one bad
row and nothing is written, every bad row reported in Chinese and English.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from django.db import transaction
from django.utils import timezone

from common.headers import map_headers
from common.tabular import TableError, read_table
from common.validators.dates import PATENT_LAW_EFFECTIVE
from core.errors import ApplicationError
from core.models import City
from core.selectors import city_for_region
from core.services import audit_log_record
from patents.models import College, Institution

MOE_LIST = Path(__file__).resolve().parent / "data" / "moe_universities.csv"
MOE_LEVELS = ("本科", "专科")

INSTITUTE_HEADER_ALIASES: dict[str, list[str]] = {
    "name": ["名称", "单位名称", "机构名称", "院所名称", "name", "institution"],
    "city": ["城市", "所在地", "所在城市", "地区", "city", "location"],
    "authority": ["主管部门", "上级主管部门", "上级单位", "authority"],
    "english_name": ["英文名称", "英文名", "english name"],
}

NAME_MAX = Institution._meta.get_field("name").max_length or 100
ENGLISH_MAX = Institution._meta.get_field("english_name").max_length or 200
AUTHORITY_MAX = Institution._meta.get_field("authority").max_length or 64


@dataclass(frozen=True)
class _Candidate:
    line: int
    name: str
    city_text: str
    authority: str | None = None  # None: the file has no such column, so the field stays as it is
    english_name: str | None = None
    moe_code: str | None = None


@dataclass
class InstitutionLoad:
    """What a load did (or, with errors, would have done: nothing is written then)."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def written(self) -> bool:
        return not self.errors and bool(self.created or self.updated)


def moe_rows(*, province_code: str, levels: Collection[str] = MOE_LEVELS) -> Iterator[dict[str, str]]:
    """The MOE list's rows of one province (学校标识码 digits 3–4) at the given levels, in the list's order."""
    with MOE_LIST.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["code"][2:4] == province_code and row["level"] in levels:
                yield row


def institutions_load_moe(
    *, province_code: str, levels: Collection[str] = MOE_LEVELS, dry_run: bool = False
) -> InstitutionLoad:
    """The province's universities from the MOE list: created, or brought in line with the list (name, English
    name, city, authority) when their 学校标识码 is known; a university an administrator typed in by name only
    gets its code."""
    candidates = [
        _Candidate(
            line=line,
            name=row["cn_name"].strip(),
            city_text=row["location"].strip(),
            authority=row["authority"].strip(),
            english_name=row["en_name"].strip(),
            moe_code=row["code"].strip(),
        )
        for line, row in enumerate(moe_rows(province_code=province_code, levels=levels), start=2)
    ]
    return _load(candidates, kind=Institution.Kind.UNIVERSITY, province_code=province_code, dry_run=dry_run)


def institutes_load_file(
    *, data: bytes | os.PathLike[str] | BinaryIO, filename: str | None, province_code: str, dry_run: bool = False
) -> InstitutionLoad:
    """Research institutes (科研院所) from a CSV/.xlsx file with the columns 名称, 城市 and optionally 主管部门 and
    英文名称 (UTF-8 or GBK). An institute is known by its name: a second run updates the other columns."""
    try:
        table = read_table(data=data, filename=filename, max_rows=10_000)
    except TableError as error:
        return InstitutionLoad(errors=[error.message])
    headers = map_headers(table.headers, INSTITUTE_HEADER_ALIASES, required=("name", "city"))
    if headers.missing_required:
        missing = "、".join({"name": "名称", "city": "城市"}[name] for name in headers.missing_required)
        missing_en = ", ".join(headers.missing_required)
        return InstitutionLoad(errors=[f"缺少必填列：{missing} / required columns missing: {missing_en}"])
    columns = headers.mapping

    def cell(values: dict[str, str], name: str) -> str:
        return values.get(columns[name], "").strip()

    def optional(values: dict[str, str], name: str) -> str | None:
        return cell(values, name) if name in columns else None

    candidates = [
        _Candidate(
            line=line,
            name=cell(values, "name"),
            city_text=cell(values, "city"),
            authority=optional(values, "authority"),
            english_name=optional(values, "english_name"),
        )
        for line, values in table
    ]
    if not candidates:
        return InstitutionLoad(errors=["文件没有数据行 / the file has no data rows"])
    return _load(candidates, kind=Institution.Kind.INSTITUTE, province_code=province_code, dry_run=dry_run)


def _load(
    candidates: list[_Candidate], *, kind: Institution.Kind, province_code: str, dry_run: bool
) -> InstitutionLoad:
    cities = list(City.objects.filter(province_id=province_code).order_by("code"))
    result = InstitutionLoad()
    if not cities:
        result.errors.append(f"省份代码 {province_code} 下没有城市 / no cities under province code {province_code}")
        return result
    seen_names: dict[str, int] = {}
    with transaction.atomic():
        for candidate in candidates:
            city = _check(candidate, cities=cities, seen_names=seen_names, errors=result.errors)
            if city is not None and not result.errors:
                _upsert(candidate, city=city, kind=kind, result=result)
        if result.errors or dry_run:
            transaction.set_rollback(True)
    if result.errors:
        result.created, result.updated, result.unchanged = [], [], 0
    return result


def _check(candidate: _Candidate, *, cities: list[City], seen_names: dict[str, int], errors: list[str]) -> City | None:
    line, name = candidate.line, candidate.name
    problems: list[str] = []
    if not name:
        problems.append(f"第{line}行 名称: 不能为空 / Row {line}, name: required")
    elif len(name) > NAME_MAX:
        problems.append(f"第{line}行 名称: 超过 {NAME_MAX} 字 / Row {line}, name: longer than {NAME_MAX} characters")
    elif name in seen_names:
        problems.append(
            f"第{line}行 名称: 「{name}」与第{seen_names[name]}行重复 / Row {line}, name: “{name}” repeats row "
            f"{seen_names[name]}"
        )
    else:
        seen_names[name] = line
    for label, label_en, value, limit in (
        ("主管部门", "authority", candidate.authority, AUTHORITY_MAX),
        ("英文名称", "English name", candidate.english_name, ENGLISH_MAX),
    ):
        if value is not None and len(value) > limit:
            problems.append(f"第{line}行 {label}: 超过 {limit} 字 / Row {line}, {label_en}: longer than {limit}")
    city = city_for_region(candidate.city_text, cities) if candidate.city_text else None
    if not candidate.city_text:
        problems.append(f"第{line}行 城市: 不能为空 / Row {line}, city: required")
    elif city is None:
        problems.append(
            f"第{line}行 城市: 「{candidate.city_text}」不是本省的城市 / Row {line}, city: “{candidate.city_text}” is "
            "not a city of this province"
        )
    errors.extend(problems)
    return None if problems else city


def _upsert(candidate: _Candidate, *, city: City, kind: Institution.Kind, result: InstitutionLoad) -> None:
    by_code = (
        Institution.objects.filter(moe_code=candidate.moe_code).first() if candidate.moe_code is not None else None
    )
    by_name = Institution.objects.filter(name=candidate.name).first()
    line = candidate.line
    if by_code is not None and by_name is not None and by_code.pk != by_name.pk:
        result.errors.append(
            f"第{line}行 名称: 「{candidate.name}」已属于另一家单位（{by_name.moe_code or '无标识码'}）/ Row {line}, "
            f"name: “{candidate.name}” already belongs to another institution ({by_name.moe_code or 'no code'})"
        )
        return
    if by_name is not None and by_code is None and candidate.moe_code and by_name.moe_code:
        result.errors.append(
            f"第{line}行 名称: 「{candidate.name}」的标识码是 {by_name.moe_code}，名单中为 {candidate.moe_code} / Row "
            f"{line}, name: “{candidate.name}” has code {by_name.moe_code}, the list says {candidate.moe_code}"
        )
        return
    institution = by_code or by_name
    if institution is not None and kind == Institution.Kind.INSTITUTE and institution.kind != kind:
        result.errors.append(
            f"第{line}行 名称: 「{candidate.name}」已登记为高校，不能作为科研院所更新 / Row {line}, name: "
            f"“{candidate.name}” is registered as a university and cannot be updated as an institute"
        )
        return
    wanted: dict[str, str] = {"name": candidate.name, "city_id": city.pk, "kind": kind}
    for name in ("authority", "english_name", "moe_code"):
        if (value := getattr(candidate, name)) is not None:
            wanted[name] = value
    if institution is None:
        Institution.objects.create(**wanted)
        result.created.append(candidate.name)
        return
    changed = [name for name, value in wanted.items() if getattr(institution, name) != value]
    if not changed:
        result.unchanged += 1
        return
    for name in changed:
        setattr(institution, name, wanted[name])
    institution.save(update_fields=[name.removesuffix("_id") for name in changed])
    result.updated.append(candidate.name)


COLLEGE_HEADER_ALIASES: dict[str, list[str]] = {
    "name": ["学院名称", "学院", "院系", "院系名称", "二级单位", "名称", "college", "name"],
    "code": ["学院代码", "院系代码", "代码", "编号", "code"],
}
COLLEGE_NAME_MAX = College._meta.get_field("name").max_length or 64
COLLEGE_CODE_MAX = College._meta.get_field("code").max_length or 32


def colleges_load_file(
    *, data: bytes | os.PathLike[str] | BinaryIO, filename: str | None, institution: Institution, dry_run: bool = False
) -> InstitutionLoad:
    """An institution's colleges (学院/院系) from a CSV/.xlsx file with the columns 学院名称 and optionally 学院代码.
    A college is known by its name within the institution: a second run updates codes, and never deletes a college
    the file leaves out (its patents keep it)."""
    try:
        table = read_table(data=data, filename=filename, max_rows=2_000)
    except TableError as error:
        return InstitutionLoad(errors=[error.message])
    headers = map_headers(table.headers, COLLEGE_HEADER_ALIASES, required=("name",))
    if headers.missing_required:
        return InstitutionLoad(errors=["缺少必填列：学院名称 / required column missing: college name"])
    columns = headers.mapping
    result = InstitutionLoad()
    seen: dict[str, int] = {}
    rows: list[tuple[int, str, str | None]] = []
    for line, values in table:
        name = values.get(columns["name"], "").strip()
        code = values.get(columns["code"], "").strip() if "code" in columns else None
        if not name:
            result.errors.append(f"第{line}行 学院名称: 不能为空 / Row {line}, college name: required")
        elif len(name) > COLLEGE_NAME_MAX:
            result.errors.append(
                f"第{line}行 学院名称: 超过 {COLLEGE_NAME_MAX} 字 / Row {line}, college name: longer than "
                f"{COLLEGE_NAME_MAX} characters"
            )
        elif name in seen:
            result.errors.append(
                f"第{line}行 学院名称: 「{name}」与第{seen[name]}行重复 / Row {line}, college name: “{name}” repeats "
                f"row {seen[name]}"
            )
        else:
            seen[name] = line
        if code is not None and len(code) > COLLEGE_CODE_MAX:
            result.errors.append(
                f"第{line}行 学院代码: 超过 {COLLEGE_CODE_MAX} 字 / Row {line}, college code: longer than "
                f"{COLLEGE_CODE_MAX} characters"
            )
        rows.append((line, name, code))
    if not rows:
        result.errors.append("文件没有数据行 / the file has no data rows")
    if result.errors:
        return result
    existing = {college.name: college for college in College.objects.filter(institution=institution)}
    with transaction.atomic():
        for _line, name, code in rows:
            college = existing.get(name)
            if college is None:
                College.objects.create(institution=institution, name=name, code=code or "")
                result.created.append(name)
            elif code is not None and college.code != code:
                college.code = code
                college.save(update_fields=["code"])
                result.updated.append(name)
            else:
                result.unchanged += 1
        if dry_run:
            transaction.set_rollback(True)
    return result


PATENTS_HELD_MAX = 1_000_000  # the largest university holds tens of thousands; a typo of three zeros is refused


@transaction.atomic
def institution_stock_set(*, user: Any, institution: Institution, held: int, as_of: date) -> Institution:
    """Record how many valid patents the institution holds (the 盘点率's denominator) as of a date; audit-logged."""
    if not (0 <= held <= PATENTS_HELD_MAX):
        raise ApplicationError(
            f"持有有效专利数须在 0 至 {PATENTS_HELD_MAX:,} 之间 / the number of valid patents held must be between "
            f"0 and {PATENTS_HELD_MAX:,}"
        )
    today = timezone.localdate()
    if not (PATENT_LAW_EFFECTIVE <= as_of <= today):
        raise ApplicationError(
            f"统计日期须在 {PATENT_LAW_EFFECTIVE.isoformat()} 至今天（{today.isoformat()}）之间 / the date must lie "
            f"between {PATENT_LAW_EFFECTIVE.isoformat()} and today ({today.isoformat()})"
        )
    before = {"held": institution.patents_held, "as_of": str(institution.patents_held_on or "")}
    institution.patents_held, institution.patents_held_on = held, as_of
    institution.save(update_fields=["patents_held", "patents_held_on"])
    audit_log_record(
        actor=user,
        action="institution.patents_held_set",
        target=institution,
        detail={"before": before, "after": {"held": held, "as_of": as_of.isoformat()}},
    )
    return institution
