"""GB/T 4754-2017 industry classification: 20 sections (门类 A–T) and 97 divisions (大类 01–97).

The table ships as `enterprises/data/gbt4754_2017.csv` (see its PROVENANCE file).
"""

import csv
from functools import cache
from pathlib import Path
from typing import NamedTuple

DATA_FILE = Path(__file__).resolve().parent / "data" / "gbt4754_2017.csv"


class IndustrySection(NamedTuple):
    """One section and its divisions as (code, name) pairs."""

    code: str
    name: str
    divisions: tuple[tuple[str, str], ...]


@cache
def industry_sections() -> tuple[IndustrySection, ...]:
    """All sections in code order, each with its divisions."""
    names: dict[str, str] = {}
    divisions: dict[str, list[tuple[str, str]]] = {}
    with DATA_FILE.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["division"]:
                divisions.setdefault(row["section"], []).append((row["division"], row["name"]))
            else:
                names[row["section"]] = row["name"]
    return tuple(IndustrySection(code, names[code], tuple(divisions.get(code, ()))) for code in sorted(names))


@cache
def industry_division_sections() -> dict[str, str]:
    """Division code → the section it belongs to."""
    return {division: section.code for section in industry_sections() for division, _name in section.divisions}


def industry_section_choices() -> list[tuple[str, str]]:
    """Form choices for sections: ("C", "C 制造业")."""
    return [(section.code, f"{section.code} {section.name}") for section in industry_sections()]


def industry_division_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Form choices for divisions, grouped by section (rendered as <optgroup>)."""
    return [
        (f"{section.code} {section.name}", [(code, f"{code} {name}") for code, name in section.divisions])
        for section in industry_sections()
    ]
