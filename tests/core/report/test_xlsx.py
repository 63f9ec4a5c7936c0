"""The report as a workbook: read back cell by cell against the report's figures."""

from __future__ import annotations

import csv
import dataclasses
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest

from custom_components.quephong_office.core.report.columns import (
    DAY_COLUMNS,
    SUMMARY_COLUMNS,
    SUMMARY_FIGURES,
    VIOLATION_COLUMNS,
)
from custom_components.quephong_office.core.report.figures import (
    Report,
    StaffFigures,
    StaffLine,
    Totals,
    build_report,
)
from custom_components.quephong_office.core.report.period import period_for
from custom_components.quephong_office.core.report.xlsx import report_xlsx
from custom_components.quephong_office.core.staff import read_table

from .conftest import MONDAY, at, make_source
from .workbook_reader import BookView, SheetView, read_workbook

EPOCH = date(1899, 12, 30)
HEADER_ROW = 8


@pytest.fixture
def report(month_report: Report) -> Report:
    return dataclasses.replace(month_report, number="125/BC-UBND")


@pytest.fixture
def book(report: Report) -> BookView:
    return read_workbook(report_xlsx(report))


def _figures(sheet: SheetView, row: int) -> list[float | str | None]:
    return sheet.row(row)[4 : 4 + len(SUMMARY_FIGURES)]


def _expected(figures: StaffFigures | Totals) -> list[float]:
    return [float(getattr(figures, name)) for name in SUMMARY_FIGURES]


def test_three_sheets(book: BookView) -> None:
    assert list(book.sheets) == ["Tổng hợp", "Vi phạm", "Theo ngày"]
    assert book.title.startswith("BÁO CÁO TÌNH HÌNH CHẤP HÀNH KỶ LUẬT")
    assert all(sheet.landscape for sheet in book.sheets.values())


def test_the_heading_of_an_administrative_document(book: BookView) -> None:
    sheet = book.sheets["Tổng hợp"]
    assert sheet.row(1) == [
        "UBND TỈNH NGHỆ AN",
        None,
        None,
        None,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    ]
    assert sheet.row(2) == ["UBND XÃ QUẾ PHONG", None, None, None, "Độc lập - Tự do - Hạnh phúc"]
    assert sheet.row(3) == [
        "Số: 125/BC-UBND",
        None,
        None,
        None,
        "Quế Phong, ngày 23 tháng 11 năm 2026",
    ]
    assert sheet.values["A5"] == "BÁO CÁO TÌNH HÌNH CHẤP HÀNH KỶ LUẬT, KỶ CƯƠNG HÀNH CHÍNH"
    assert sheet.values["A6"] == "Tháng 11 năm 2026"
    assert not sheet.looks["A1"].bold
    assert sheet.looks["A2"].bold
    assert sheet.looks["E1"].bold
    assert sheet.looks["E2"].bold and sheet.looks["E2"].underline
    assert sheet.looks["E3"].italic
    assert (sheet.looks["A5"].bold, sheet.looks["A5"].size) == (True, 14.0)
    for merged in ("A1:D1", "E1:N1", "A2:D2", "E2:N2", "A3:D3", "E3:N3", "A5:N5", "A6:N6"):
        assert merged in sheet.merges


def test_the_table_by_department(report: Report, book: BookView) -> None:
    sheet = book.sheets["Tổng hợp"]
    assert sheet.row(HEADER_ROW) == [text for text, _w, _n in SUMMARY_COLUMNS]
    assert all(sheet.looks[f"{c}{HEADER_ROW}"].bold for c in "ABCDEFGHIJKLMN")
    row = HEADER_ROW + 1
    for number, (department, totals, members) in enumerate(report.groups(), start=1):
        assert sheet.row(row)[:2] == [
            ["I", "II", "III"][number - 1],
            department or "Chưa phân phòng ban",
        ]
        assert _figures(sheet, row) == _expected(totals)
        assert sheet.looks[f"G{row}"].bold
        assert f"B{row}:D{row}" in sheet.merges
        row += 1
        for position, figures in enumerate(members, start=1):
            line = figures.staff
            assert sheet.row(row)[:4] == [
                float(position),
                line.name,
                line.position or None,
                line.department or None,
            ]
            assert _figures(sheet, row) == _expected(figures)
            assert not sheet.looks[f"G{row}"].bold
            assert sheet.looks[f"G{row}"].border
            row += 1
    assert sheet.row(row)[0] == "TỔNG CỘNG TOÀN CƠ QUAN"
    assert _figures(sheet, row) == _expected(report.office)
    assert sheet.row(row + 1)[0] == "Kỳ trước (tháng 10 năm 2026)"
    assert _figures(sheet, row + 1) == _expected(report.office_previous)
    assert sheet.row(row + 2)[0] == "Tăng/giảm"
    assert _figures(sheet, row + 2) == [report.trend[name] for name in SUMMARY_FIGURES]
    assert report.trend["violations"] == 2
    assert sheet.looks[f"N{row + 2}"].number_format == "+#,##0;-#,##0;0"
    assert sheet.looks[f"F{row + 2}"].number_format == "+#,##0.0;-#,##0.0;0"
    assert sheet.looks[f"F{row}"].number_format == "#,##0.0"
    assert sheet.looks[f"G{row}"].number_format == "#,##0"


def test_notes_and_signature(book: BookView) -> None:
    sheet = book.sheets["Tổng hợp"]
    texts = [value for value in sheet.values.values() if isinstance(value, str)]
    assert any(t.startswith("Ghi chú: ngày công tính theo buổi") for t in texts)
    assert any(t.startswith("Ngoài ra có 2 vi phạm không thuộc cán bộ nào") for t in texts)
    assert any(t.startswith("Tổng số vi phạm được tính: 5 lượt, tăng 2 lượt") for t in texts)
    assert (
        "Có 113 buổi làm việc không có dữ liệu giám sát; các buổi này không tính là vắng mặt."
        in texts
    )
    for text in ("Nơi nhận:", "- Như trên;", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH",
                 "(Ký, ghi rõ họ tên)"):  # fmt: skip
        assert text in texts
    assert sheet.looks[sheet.find("(Ký, ghi rõ họ tên)")].italic
    assert sheet.looks[sheet.find("TM. ỦY BAN NHÂN DÂN")].bold


def test_the_signer_named_under_room_to_sign(report: Report) -> None:
    signed = dataclasses.replace(report, signing="vice_chairman", signer="Hoàng Minh Đức")
    sheet = read_workbook(report_xlsx(signed)).sheets["Tổng hợp"]
    heads = [sheet.find(text) for text in ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")]
    name = sheet.find("Hoàng Minh Đức")
    rows = [int(ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) for ref in (*heads, name)]
    assert rows[1:3] == [rows[0] + 1, rows[0] + 2]
    assert rows[3] == rows[2] + 4  # three empty rows to sign in
    assert sheet.looks[name].bold
    assert "(Ký, ghi rõ họ tên)" not in sheet.values.values()


def test_the_first_sheet_as_an_import_reads_it(report: Report) -> None:
    """What the integration's own reader (and a person filtering the table) sees."""
    rows = read_table("bao-cao.xlsx", report_xlsx(report))
    header = next(r for r in rows if "Đi muộn" in r)
    an = next(r for r in rows if "Nguyễn Văn An" in r)
    late, absent = header.index("Đi muộn"), header.index("Vắng không lý do")
    assert (float(an[late]), float(an[absent])) == (1.0, 0.0)
    binh = next(r for r in rows if "Trần Thị Bình" in r)
    assert float(binh[absent]) == 1.0
    assert float(binh[header.index("Vắng có lý do")]) == 1.0
    assert float(binh[header.index("Ngày công")]) == 0.5


def test_the_violations_sheet(report: Report, book: BookView) -> None:
    sheet = book.sheets["Vi phạm"]
    assert sheet.row(4) == [text for text, _w in VIOLATION_COLUMNS]
    assert sheet.frozen_rows == 4
    assert book.defined_names[("_xlnm.Print_Titles", "1")] == "'Vi phạm'!$4:$4"
    assert len(report.violations) == 9
    for row, line in enumerate(report.violations, start=5):
        values = sheet.row(row)
        moment = line.start.replace(tzinfo=None)
        serial = (moment.date() - EPOCH).days + (moment.hour * 60 + moment.minute) / 1440
        assert values[0] == row - 4
        assert values[1] == pytest.approx(serial)
        assert values[2:6] == [line.type_label, line.who_where, float(line.minutes), line.status]
        assert sheet.looks[f"B{row}"].number_format == "dd/mm/yyyy hh:mm"
        if line.link:
            assert values[6] == "Xem"
            assert sheet.links[f"G{row}"] == line.link
        else:
            assert f"G{row}" not in sheet.links
        assert sheet.looks[f"F{row}"].italic == line.dismissed
    assert len(sheet.links) == sum(1 for line in report.violations if line.link)
    dismissed = sheet.find("Đã bỏ qua: Họp giao ban đột xuất")
    assert sheet.values[f"C{dismissed[1:]}"] == "Tụ tập"


def test_the_days_sheet(report: Report, book: BookView) -> None:
    sheet = book.sheets["Theo ngày"]
    assert sheet.row(4) == [text for text, _w, _n in DAY_COLUMNS]
    figures = [name for _h, _w, name in DAY_COLUMNS if name]
    for row, day in enumerate(report.by_day, start=5):
        values = sheet.row(row)
        assert values[0] == (day.day - EPOCH).days
        assert sheet.looks[f"A{row}"].number_format == "dd/mm/yyyy"
        assert values[3:] == [float(getattr(day, name)) for name in figures]
        assert (sheet.looks[f"A{row}"].fill is None) == day.info.working
    holiday = 5 + 23
    assert sheet.row(holiday)[1:3] == ["Thứ Ba", "Ngày Văn hóa Việt Nam"]
    assert sheet.row(5)[1:3] == ["Chủ nhật", "Nghỉ cuối tuần"]
    assert sheet.row(5 + 22)[1:3] == ["Thứ Hai", "Làm việc"]
    total = 5 + len(report.by_day)
    assert sheet.row(total)[0] == "Cộng"
    assert sheet.row(total)[3:] == [
        float(sum(getattr(day, name) for day in report.by_day)) for name in figures
    ]
    assert sheet.row(total)[-1] == report.office.violations + report.other_violations


def test_a_day_without_a_period_before_and_a_unit_without_a_parent() -> None:
    source = make_source(parent_unit=None, violations=[])
    report = build_report(source, period_for("day", MONDAY), generated=at(MONDAY, "18:00"))
    sheet = read_workbook(report_xlsx(report)).sheets["Tổng hợp"]
    assert sheet.row(1)[0] == "UBND XÃ QUẾ PHONG"
    assert sheet.looks["A1"].bold
    assert sheet.row(2) == [None, None, None, None, "Độc lập - Tự do - Hạnh phúc"]
    assert sheet.row(3)[0] == "Số:    /BC-UBND"
    change = int(sheet.find("Tăng/giảm")[1:])
    assert sheet.row(change)[4:] == ["—"] * len(SUMMARY_FIGURES)
    texts = [v for v in sheet.values.values() if isinstance(v, str)]
    assert (
        "Trong kỳ không có vi phạm nào được tính; chưa có số liệu của ngày 22/11/2026 để so sánh."
        in texts
    )
    assert not any(t.startswith("Ngoài ra") for t in texts)
    violations = read_workbook(report_xlsx(report)).sheets["Vi phạm"]
    assert violations.values["A5"] == "Không có vi phạm nào trong kỳ."


def test_user_text_is_kept_as_text() -> None:
    staff = [StaffLine(id="an", name='=HYPERLINK("x") & <b>', department="Tư pháp")]
    tricky = build_report(
        make_source(staff=staff), period_for("day", MONDAY), generated=at(MONDAY, "18:00")
    )
    sheet = read_workbook(report_xlsx(tricky)).sheets["Tổng hợp"]
    assert sheet.find('=HYPERLINK("x") & <b>').startswith("B")


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice is not on PATH (Debian: apt-get install libreoffice-calc-nogui); "
    "the workbook is still checked by reading it back",
)
def test_libreoffice_opens_the_workbook(report: Report, tmp_path: Path) -> None:
    path = tmp_path / "bao-cao.xlsx"
    path.write_bytes(report_xlsx(report))
    filter_options = "44,34,76,1,,0,false,true,false,false,false,-1"  # UTF-8, every sheet
    result = subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            f"csv:Text - txt - csv (StarCalc):{filter_options}",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr

    def sheet(name: str) -> list[list[str]]:
        with (tmp_path / f"bao-cao-{name}.csv").open(encoding="utf-8") as handle:
            return list(csv.reader(handle))

    summary = sheet("Tổng hợp")
    assert summary[0][4] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    header = next(r for r in summary if "Đi muộn" in r)
    rows = {r[1]: r for r in summary if len(r) > 1}
    for figures in report.rows:
        values = rows[figures.staff.name][4:14]
        assert [float(v) for v in values] == _expected(figures)
    total = next(r for r in summary if r[0] == "TỔNG CỘNG TOÀN CƠ QUAN")
    assert float(total[header.index("Số vi phạm")]) == report.office.violations
    violations = sheet("Vi phạm")
    assert len([r for r in violations if r and r[0].isdigit()]) == len(report.violations)
    first = next(r for r in violations if r and r[0] == "1")
    assert datetime.strptime(first[1], "%m/%d/%Y %H:%M:%S") == report.violations[0].start.replace(
        tzinfo=None
    )
    days = sheet("Theo ngày")
    assert len([r for r in days if r and r[0].count("/") == 2]) == len(report.by_day)
