"""Office identity: unit codes and names."""

from __future__ import annotations

import pytest

from custom_components.quephong_office.core.office import (
    OfficeError,
    normalize_name,
    normalize_unit_code,
)


@pytest.mark.parametrize("code", ["40", "412", "17011"])
def test_valid_unit_codes(code: str) -> None:
    assert normalize_unit_code(f" {code} ") == code


@pytest.mark.parametrize("code", ["", "4", "1701", "170111", "17O11", "17 011"])
def test_invalid_unit_codes(code: str) -> None:
    with pytest.raises(OfficeError) as err:
        normalize_unit_code(code)
    assert (err.value.code, err.value.field) == ("invalid_unit_code", "unit_code")


def test_names() -> None:
    assert normalize_name("  UBND   xã  Quế Phong ") == "UBND xã Quế Phong"
    with pytest.raises(OfficeError) as err:
        normalize_name("   ", "camera_name")
    assert (err.value.code, err.value.field) == ("empty_name", "camera_name")
