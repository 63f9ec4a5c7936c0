"""Staff contact fields and the bulk import of a staff list from CSV or XLSX."""

from __future__ import annotations

import pytest

from custom_components.quephong_office.core.staff import (
    MAX_IMPORT_BYTES,
    StaffError,
    normalize_email,
    normalize_phone,
    normalize_zalo_user_id,
    parse_staff,
    read_table,
)
from devtools.xlsx import xlsx_bytes

HEADER = ["STT", "Họ và tên", "Chức vụ", "Phòng, ban", "Quầy", "Số điện thoại", "Email", "Zalo"]
ROWS = [
    HEADER,
    [
        1,
        "Nguyễn Văn An",
        "Công chức Tư pháp – Hộ tịch",
        "Bộ phận một cửa",
        "Quầy 1",
        912345678,
        "an@quephong.gov.vn",
        "",
    ],
    [
        2,
        "Trần  Thị Bình",
        "Công chức Văn hoá – Xã hội",
        "Văn phòng",
        "",
        "0987 654 321",
        "",
        "8472615530912",
    ],
    [3, "", "Bảo vệ", "", "", "", "", ""],
    [4, "Lê Văn Cường", "Chánh Văn phòng", "", "Quầy 9", "12345", "cuong@", ""],
    [5, "nguyễn văn an", "", "", "", "", "", ""],
]
DESKS = {"Quầy 1": "desk-1", "Quầy 2": "desk-2"}


def test_contact_fields() -> None:
    assert normalize_phone("(+84) 912.345.678") == "+84912345678"
    assert normalize_phone("0912 345 678") == "0912345678"
    for bad in ("0912", "84912345678", "09123456789"):
        with pytest.raises(StaffError) as err:
            normalize_phone(bad)
        assert err.value.code == "invalid_phone"
    assert normalize_email(" an@quephong.gov.vn ") == "an@quephong.gov.vn"
    with pytest.raises(StaffError):
        normalize_email("an@quephong")
    assert normalize_zalo_user_id("8472615530912") == "8472615530912"
    with pytest.raises(StaffError):
        normalize_zalo_user_id("abc")


def _expected(result) -> None:
    assert result.staff == [
        {
            "name": "Nguyễn Văn An",
            "position": "Công chức Tư pháp – Hộ tịch",
            "department": "Bộ phận một cửa",
            "desk": "desk-1",
            "phone": "0912345678",
            "email": "an@quephong.gov.vn",
        },
        {
            "name": "Trần Thị Bình",
            "position": "Công chức Văn hoá – Xã hội",
            "department": "Văn phòng",
            "phone": "0987654321",
            "zalo_user_id": "8472615530912",
        },
    ]
    assert result.errors == [
        (4, "empty_name"),
        (5, "desk_not_found"),
        (5, "invalid_phone"),
        (5, "invalid_email"),
        (6, "duplicate_staff"),
    ]


def test_xlsx_as_excel_writes_it() -> None:
    rows = read_table("Danh sach can bo.XLSX", xlsx_bytes(ROWS))
    assert rows[0] == HEADER
    assert rows[1][5] == "912345678"  # a number in Excel: the leading zero is gone
    _expected(parse_staff(rows, DESKS))


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_with_bom_and_either_delimiter(delimiter: str) -> None:
    lines = [delimiter.join(f'"{c}"' for c in map(str, row)) for row in ROWS]
    content = ("\ufeff" + "\r\n".join(lines) + "\r\n\r\n").encode("utf-8")
    _expected(parse_staff(read_table("ds.csv", content), DESKS))


def test_existing_names_are_skipped_and_headers_fold() -> None:
    rows = [["HO TEN", "Dien thoai"], ["Nguyễn Văn An", ""], ["Phạm Thị Dung", "0912000111"]]
    result = parse_staff(rows, {}, existing=["NGUYỄN VĂN AN"])
    assert result.staff == [{"name": "Phạm Thị Dung", "phone": "0912000111"}]
    assert result.errors == [(2, "duplicate_staff")]


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("ds.pdf", b"%PDF", "unsupported_file"),
        ("ds.csv", "Họ tên".encode("utf-16"), "not_utf8"),
        ("ds.xlsx", b"not a zip", "unreadable_file"),
        ("ds.csv", b"x" * (MAX_IMPORT_BYTES + 1), "file_too_large"),
    ],
)
def test_bad_files(name: str, content: bytes, code: str) -> None:
    with pytest.raises(StaffError) as err:
        read_table(name, content)
    assert err.value.code == code


def test_tables_without_names() -> None:
    with pytest.raises(StaffError) as err:
        parse_staff([], {})
    assert err.value.code == "empty_file"
    with pytest.raises(StaffError) as err:
        parse_staff([["Chức vụ"], ["Bảo vệ"]], {})
    assert err.value.code == "no_name_column"
