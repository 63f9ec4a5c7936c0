"""The standard-library XLSX writer: values, styles, merges, widths, links and page setup."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from custom_components.quephong_office.core.report.workbook import (
    LINK_COLOR,
    CellStyle,
    Workbook,
    cell_ref,
    clean_text,
    column_letters,
    restyle,
)
from custom_components.quephong_office.core.staff import read_table

from .conftest import VN
from .workbook_reader import read_workbook


@pytest.mark.parametrize(
    ("column", "letters"), [(1, "A"), (14, "N"), (26, "Z"), (27, "AA"), (702, "ZZ"), (703, "AAA")]
)
def test_column_letters(column: int, letters: str) -> None:
    assert column_letters(column) == letters
    assert cell_ref(7, column) == f"{letters}7"


def _book() -> bytes:
    book = Workbook(font="Times New Roman", size=12, title="Báo cáo <thử> & kiểm tra")
    first = book.sheet("Tổng hợp", [5, 24.5])
    first.merge(1, 1, 4, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", CellStyle(bold=True, size=14))
    first.put(2, 1, "   /BC-UBND")
    first.put_row(3, ["Họ và tên", 12, 20.5], [CellStyle(border=True)] * 3, first=2)
    first.put(4, 1, date(2026, 11, 23))
    first.put(4, 2, datetime(2026, 11, 23, 7, 42, tzinfo=VN))
    first.put(4, 3, 3, CellStyle(number_format="+#,##0;-#,##0;0"))
    first.put(5, 1, "a\x00b\x1fc & <d>")
    first.put(5, 2, None, CellStyle(border=True))
    first.put(5, 3, "")
    first.link(6, 1, "https://ha.example/media?a=1&b=2", "Xem")
    first.merge(7, 1, 2, "hai dòng", CellStyle(italic=True), last_row=8)
    first.merge(9, 1, 1, "một ô", CellStyle(fill="FFD9E1F2", horizontal="center", wrap=True))
    first.height(1, 22)
    second = book.sheet("Vi phạm 'A'", [6, 17])
    second.put(1, 1, "Họ và tên")
    second.frozen_rows = 4
    second.repeat_rows = (4, 4)
    return book.to_bytes()


def test_values_come_back_as_written() -> None:
    view = read_workbook(_book())
    assert list(view.sheets) == ["Tổng hợp", "Vi phạm 'A'"]
    sheet = view.sheets["Tổng hợp"]
    assert sheet.values["A1"] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert sheet.values["A2"] == "   /BC-UBND"  # leading spaces kept
    assert sheet.row(3) == [None, "Họ và tên", 12.0, 20.5]
    assert sheet.values["A4"] == 46349.0  # 23/11/2026 as a spreadsheet date
    assert sheet.values["B4"] == pytest.approx(46349 + (7 * 60 + 42) / 1440)
    assert sheet.values["A5"] == "abc & <d>"  # characters XML cannot hold are dropped
    assert "B5" not in sheet.values
    assert "C5" not in sheet.values
    assert view.title == "Báo cáo <thử> & kiểm tra"


def test_styles_merges_and_layout() -> None:
    view = read_workbook(_book())
    sheet = view.sheets["Tổng hợp"]
    title = sheet.looks["A1"]
    assert (title.bold, title.size) == (True, 14.0)
    assert sheet.looks["D1"].bold  # every cell of a merge carries the style
    assert "A1:D1" in sheet.merges
    assert "A7:B8" in sheet.merges
    assert sheet.values["A7"] == "hai dòng"
    assert sheet.looks["B8"].italic
    assert "A9:A9" not in sheet.merges  # a single cell is not a merge
    assert (sheet.looks["A9"].fill, sheet.looks["A9"].horizontal, sheet.looks["A9"].wrap) == (
        "FFD9E1F2",
        "center",
        True,
    )
    assert sheet.looks["B3"].border
    assert not sheet.looks["A2"].border
    assert sheet.looks["A4"].number_format == "dd/mm/yyyy"
    assert sheet.looks["B4"].number_format == "dd/mm/yyyy hh:mm"
    assert sheet.looks["C4"].number_format == "+#,##0;-#,##0;0"
    assert sheet.looks["A2"].number_format == "General"
    assert sheet.widths == {1: 5.0, 2: 24.5}
    assert sheet.heights == {1: 22.0}
    assert sheet.landscape
    assert sheet.frozen_rows == 0
    other = view.sheets["Vi phạm 'A'"]
    assert other.frozen_rows == 4
    assert view.defined_names[("_xlnm.Print_Titles", "1")] == "'Vi phạm ''A'''!$4:$4"


def test_links_open_their_address() -> None:
    view = read_workbook(_book())
    sheet = view.sheets["Tổng hợp"]
    assert sheet.links == {"A6": "https://ha.example/media?a=1&b=2"}
    look = sheet.looks["A6"]
    assert (look.color, look.underline) == (LINK_COLOR, True)
    assert "xl/worksheets/_rels/sheet2.xml.rels" not in view.parts


def test_the_first_sheet_reads_as_a_table() -> None:
    rows = read_table("bao-cao.xlsx", _book())
    assert rows[0] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "", "", ""]
    assert ["", "Họ và tên", "12", "20.5"] in rows


def test_restyle_and_clean_text() -> None:
    base = CellStyle(border=True)
    assert restyle(base, bold=True) == CellStyle(border=True, bold=True)
    assert restyle(base, bold=True) is restyle(base, bold=True)
    assert clean_text("a\x07b\tc\n") == "ab\tc\n"


def test_an_empty_sheet_is_still_a_sheet() -> None:
    book = Workbook()
    book.sheet("Trống", [])
    view = read_workbook(book.to_bytes())
    assert view.sheets["Trống"].values == {}
