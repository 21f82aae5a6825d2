"""Pooling terms of the demo's patents, built through the officer's own validation (PatentTermsForm, then
patents.services.patent_terms_clean): a demo patent shows terms the terms form would accept, an open licence with
its payment (Patent Law art. 50) and never a bare "已声明开放许可"."""

from decimal import Decimal
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError

from patents.forms import PatentTermsForm
from patents.models import OpenLicencePayment, TransferMode
from patents.services import patent_terms_clean

TERMS_MODES = [
    (TransferMode.ASSIGNMENT, TransferMode.LICENCE),
    (TransferMode.LICENCE,),
    (TransferMode.OPEN_LICENCE,),
    (TransferMode.ASSIGNMENT,),
    (TransferMode.LICENCE, TransferMode.EQUITY),
    (TransferMode.LICENCE, TransferMode.OPEN_LICENCE),
]
PAYMENTS = list(OpenLicencePayment)
LICENCE_YEARS = (3, 5, 5, 8, 10)


def demo_terms(*, h: int, contact: str, contact_phone: str) -> dict[str, Any]:
    """The terms of the pooled patent whose hash is `h`: modes, an asking price (one in seven negotiable), and for an
    open licence its payment — a lump sum, a royalty, or an entry fee plus a royalty, well inside the caps."""
    modes = TERMS_MODES[(h >> 52) % len(TERMS_MODES)]
    price = Decimal(5 + (h >> 44) % 96) * 10_000
    negotiable = (h >> 36) % 7 == 0
    open_only = modes == (TransferMode.OPEN_LICENCE,)
    terms: dict[str, Any] = {
        "transfer_modes": [str(m) for m in modes],
        "price_min": None if negotiable or open_only else price,
        "price_max": None if negotiable or open_only else price * 2,
        "price_negotiable": negotiable and not open_only,
        "contact": contact,
        "contact_phone": contact_phone,
    }
    if TransferMode.OPEN_LICENCE in modes:
        payment = PAYMENTS[(h >> 30) % len(PAYMENTS)]
        rate = Decimal(2 + (h >> 24) % 13) / 2  # 1.0 % to 7.0 %, by halves
        terms.update(
            open_licence_payment=str(payment),
            open_licence_lump_sum=Decimal(3 + (h >> 18) % 48) * 10_000 if payment == "lump_sum" else None,
            open_licence_royalty_rate=rate if payment != "lump_sum" else None,
            open_licence_entry_fee=Decimal(1 + (h >> 12) % 20) * 10_000 if payment == "entry_royalty" else None,
            open_licence_years=LICENCE_YEARS[(h >> 8) % len(LICENCE_YEARS)],
        )
    return terms_checked(terms)


def terms_checked(terms: dict[str, Any]) -> dict[str, Any]:
    """`terms` as the officer's terms form and service would store them; ValidationError when either refuses."""
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in terms.items()))
    return {key: list(value) if isinstance(value, tuple) else value for key, value in _checked(frozen)}


@cache
def _checked(frozen: tuple[tuple[str, Any], ...]) -> tuple[tuple[str, Any], ...]:
    # a few hundred distinct terms: each is validated once per process
    data = {key: list(value) if isinstance(value, tuple) else value for key, value in frozen}
    form = PatentTermsForm(data=data)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    cleaned = patent_terms_clean(**form.cleaned_data)
    return tuple((key, tuple(v) if isinstance(v, list) else v) for key, v in cleaned.items())
