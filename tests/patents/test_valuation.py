"""The value self-assessment's rules (patents.valuation, pure): points per indicator, the grade floors, the gates."""

from datetime import date

import pytest

from patents.valuation import Indicators, PatentFacts, claim_count, grade_patent, remaining_years

TODAY = date(2026, 12, 5)
CLAIMS_12 = "".join(f"{n}. 如权利要求1所述的装置，其特征在于……。" for n in range(1, 13))


def _facts(**overrides) -> PatentFacts:
    values = {"patent_type": "invention", "legal_status": "valid", "application_date": date(2020, 3, 1), "claims": ""}
    return PatentFacts(**{**values, **overrides})


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ("", 0),
        ("一种装置，其特征在于……", 1),
        ("1.一种装置。2.根据权利要求1所述的装置。3、根据权利要求2所述的装置。", 3),
        (CLAIMS_12, 12),
        ("1．一种方法；2．如权利要求1所述的方法，温度为25.5℃。", 2),
    ],
)
def test_claims_are_counted_by_their_highest_number(claims, expected):
    assert claim_count(claims) == expected


@pytest.mark.parametrize(
    ("patent_type", "filed", "expected"),
    [
        ("invention", date(2020, 3, 1), 13.2),
        ("utility_model", date(2020, 3, 1), 3.2),
        ("design", date(2020, 3, 1), 3.2),  # filed before 2021-06-01: 10 years
        ("design", date(2021, 6, 1), 9.5),  # from 2021-06-01: 15 years
        ("invention", date(2000, 2, 29), 0.0),
    ],
)
def test_remaining_term_follows_the_type_and_the_design_amendment(patent_type, filed, expected):
    assert remaining_years(_facts(patent_type=patent_type, application_date=filed), today=TODAY) == expected


def test_a_mature_implemented_broad_patent_is_a_with_every_reason():
    # given
    indicators = Indicators(
        trl=8, implemented=True, has_family=True, application_fields="新能源汽车", industry="新能源"
    )
    # when
    grading = grade_patent(indicators, _facts(claims=CLAIMS_12), today=TODAY)
    # then: 3 (TRL) + 2 (implemented) + 2 (13.2 years) + 2 (12 claims) + 1 (family) + 1 + 1 (market) = 12
    assert (grading.grade, grading.points) == ("A", 12)
    assert [r.code for r in grading.reasons] == [
        "trl_high", "implemented", "term_long", "claims_many", "family", "fields", "industry",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("indicators", "facts", "grade", "points"),
    [
        (Indicators(trl=5), {"claims": "1.一种。2.如。3.如。4.如。5.如。"}, "C", 5),  # 2 + 2 + 1
        (Indicators(trl=5, implemented=True), {"claims": "1.一种。2.如。3.如。4.如。5.如。"}, "B", 7),
        (Indicators(trl=2), {"claims": "一种装置", "application_date": date(2007, 1, 1)}, "D", -1),  # 0 − 1 + 0
        (Indicators(), {}, "D", 2),  # only the remaining term
    ],
)
def test_the_floors_decide_the_grade(indicators, facts, grade, points):
    grading = grade_patent(indicators, _facts(**facts), today=TODAY)
    assert (grading.grade, grading.points) == (grade, points)


def test_a_lapsed_patent_is_d_whatever_it_scores():
    indicators = Indicators(trl=9, implemented=True, has_family=True, application_fields="x", industry="y")
    grading = grade_patent(indicators, _facts(legal_status="invalid", claims=CLAIMS_12), today=TODAY)
    assert grading.grade == "D"
    assert grading.reasons[-1].code == "lapsed"


@pytest.mark.parametrize(
    ("facts", "consent", "codes"),
    [
        ({"legal_status": "pending"}, True, ["pending"]),
        ({}, False, ["no_consent"]),
        ({"legal_status": "pending"}, False, ["pending", "no_consent"]),
    ],
)
def test_a_pending_application_or_no_consent_caps_the_grade_at_c(facts, consent, codes):
    indicators = Indicators(trl=9, implemented=True, has_family=True, application_fields="x", inventor_consent=consent)
    grading = grade_patent(indicators, _facts(claims=CLAIMS_12, **facts), today=TODAY)
    assert grading.grade == "C"
    assert [r.code for r in grading.reasons if r.code in ("pending", "no_consent")] == codes


def test_the_same_indicators_always_give_the_same_grading():
    indicators = Indicators(trl=6, implemented=False, application_fields="水处理")
    first = grade_patent(indicators, _facts(claims=CLAIMS_12), today=TODAY)
    assert all(grade_patent(indicators, _facts(claims=CLAIMS_12), today=TODAY) == first for _ in range(5))
