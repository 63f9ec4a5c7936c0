"""Folding and slugs."""

from __future__ import annotations

import pytest

from custom_components.quephong_office.core.meeting.text import fold, slug


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Họp TRỰC-TUYẾN!", "hop truc tuyen"),
        ("  Đường   dây nóng ", "duong day nong"),
        ("Phường Đội Cung", "phuong doi cung"),
        ("[Online] giao ban", "online giao ban"),
        ("", ""),
        ("!!!", ""),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Xã Châu Kim", "xa_chau_kim"),
        ("Phòng họp 1 / Tầng 2", "phong_hop_1_tang_2"),
        ("ĐẶC KHU Cồn Cỏ", "dac_khu_con_co"),
        ("xa_chau_kim", "xa_chau_kim"),  # a slug stays a slug
        ("#+/", ""),
    ],
)
def test_slug(text: str, expected: str) -> None:
    result = slug(text)
    assert result == expected
    assert result.isascii()
    assert not set(result) & set("/+# ")
