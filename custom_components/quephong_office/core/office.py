"""An office (trụ sở): its administrative level and unit code.

Since 1/7/2025 Vietnam has two levels of local government, province and commune or ward; the
district level remains only as a legacy choice for offices that still keep its records.
"""

from __future__ import annotations

import re
from enum import StrEnum

from .errors import CodedError


class OfficeLevel(StrEnum):
    """Administrative level of the unit the office belongs to."""

    PROVINCE = "province"
    COMMUNE = "commune"
    WARD = "ward"
    DISTRICT_LEGACY = "district_legacy"


class OfficeError(CodedError):
    """Bad office data; `code` is the translation key, `field` the form field."""


def normalize_unit_code(code: str) -> str:
    """A unit code as digits only: 2 (province), 3 (legacy district) or 5 (commune, ward)."""
    digits = code.strip()
    if not digits.isdigit() or len(digits) not in (2, 3, 5):
        raise OfficeError("invalid_unit_code", "unit_code")
    return digits


def normalize_name(name: str, field_name: str = "name") -> str:
    """A display name with blanks folded; empty names are refused."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise OfficeError("empty_name", field_name)
    return cleaned


_UNIT_PREFIX = re.compile(
    r"^(ubnd|ủy ban nhân dân|uỷ ban nhân dân)?\s*(tỉnh|thành phố|xã|phường|đặc khu|huyện|thị xã|"
    r"thị trấn)?\s*",
    re.IGNORECASE,
)


def place_of(office_name: str) -> str:
    """The place name for the date line: "UBND xã Quế Phong" → "Quế Phong"."""
    place = _UNIT_PREFIX.sub("", office_name.strip(), count=1).strip()
    return place or office_name.strip()
