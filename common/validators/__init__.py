"""Pure-Python field validators for the patent and enterprise imports (no Django imports).

Each validator takes the raw cell text and returns a result with a value and bilingual
:class:`~common.validators.issues.Issue` objects; none of them raises on bad input.
"""

from common.validators.application_number import (
    AppNumberResult,
    AppNumberVerdict,
    compute_check_digit,
    normalize_application_number,
)
from common.validators.dates import (
    PATENT_LAW_EFFECTIVE,
    check_grant_not_before_application,
    excel_serial_to_date,
    parse_date,
)
from common.validators.ipc import IpcCode, normalize_ipc, parse_ipc_list
from common.validators.issues import FieldResult, Issue, Severity
from common.validators.legal_status import LegalStatus, parse_legal_status
from common.validators.patent_type import PatentType, parse_patent_type
from common.validators.price import PriceRange, parse_price
from common.validators.transfer_modes import TransferMode, parse_transfer_modes
from common.validators.uscc import UsccCheck, UsccResult, UsccVerdict, validate_uscc

__all__ = [
    "PATENT_LAW_EFFECTIVE",
    "AppNumberResult",
    "AppNumberVerdict",
    "FieldResult",
    "IpcCode",
    "Issue",
    "LegalStatus",
    "PatentType",
    "PriceRange",
    "Severity",
    "TransferMode",
    "UsccCheck",
    "UsccResult",
    "UsccVerdict",
    "check_grant_not_before_application",
    "compute_check_digit",
    "excel_serial_to_date",
    "normalize_application_number",
    "normalize_ipc",
    "parse_date",
    "parse_ipc_list",
    "parse_legal_status",
    "parse_patent_type",
    "parse_price",
    "parse_transfer_modes",
    "validate_uscc",
]
