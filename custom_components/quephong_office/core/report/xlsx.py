"""The report as an Excel workbook: the summary, the violations and the days.

"Tổng hợp" carries the heading of an administrative document (Decree 30/2020/NĐ-CP: the
unit on the left, the national title on the right, number, place and date, title), then the
table by department with a subtotal per department, the office total, the previous period's
total and the change. "Vi phạm" lists every violation with its status and evidence link;
"Theo ngày" gives the office's figures day by day.
"""

from __future__ import annotations

from functools import lru_cache

from .columns import (
    DAY_COLUMNS,
    SUMMARY_COLUMNS,
    SUMMARY_FIGURES,
    VIOLATION_COLUMNS,
)
from .figures import DAY_FIELDS, Report, StaffFigures, Totals
from .narrative import remarks
from .wording import (
    MOTTO,
    NATIONAL_TITLE,
    NOTES,
    RECIPIENTS,
    TITLE,
    WEEKDAYS,
    capitalised,
    date_line,
    day_kind,
    department_name,
    roman,
    signature,
)
from .workbook import CellStyle, Sheet, Workbook, restyle

#: The first column that holds a figure in the summary table.
_FIRST_FIGURE = next(i for i, (_h, _w, name) in enumerate(SUMMARY_COLUMNS, 1) if name)
#: Column and figure of the day-by-day sheet's figures.
_DAY_FIGURE_COLUMNS = tuple(
    (column, name) for column, (_h, _w, name) in enumerate(DAY_COLUMNS, 1) if name is not None
)
_TEXT = CellStyle(border=True, wrap=True)
_CENTRE = CellStyle(border=True, horizontal="center")
_HEADER = CellStyle(bold=True, border=True, wrap=True, horizontal="center", fill="FFD9E1F2")
_TITLE = CellStyle(bold=True, size=14, horizontal="center")
_HEADING = CellStyle(horizontal="center")
_GROUP = "FFF2F2F2"
_DAY_OFF = "FFF2F2F2"
_COUNT = "#,##0"
_DAYS = "#,##0.0"
#: Empty rows left to sign in.
_SIGNING_ROOM = 3
_SIGNED_COUNT = "+#,##0;-#,##0;0"
_SIGNED_DAYS = "+#,##0.0;-#,##0.0;0"


@lru_cache(maxsize=64)
def _figure_style(name: str, *, bold: bool = False, signed: bool = False) -> CellStyle:
    """A figure cell: days with one decimal, counts whole; signed for changes."""
    days = name in DAY_FIELDS
    codes = (_SIGNED_DAYS, _SIGNED_COUNT) if signed else (_DAYS, _COUNT)
    code = codes[0] if days else codes[1]
    return CellStyle(border=True, bold=bold, horizontal="right", number_format=code)


def _heading(sheet: Sheet, report: Report) -> int:
    """The document heading of Decree 30 and the title; returns the next free row."""
    left, right = (1, 4), (5, len(SUMMARY_COLUMNS))
    units = [(report.office_name.upper(), True)]
    if report.parent_unit:
        units.insert(0, (report.parent_unit.upper(), False))
    for row, (text, bold) in enumerate(units, start=1):
        sheet.merge(row, *left, text, restyle(_HEADING, bold=bold))
    sheet.merge(1, *right, NATIONAL_TITLE, restyle(_HEADING, bold=True))
    sheet.merge(2, *right, MOTTO, restyle(_HEADING, bold=True, underline=True))
    row = 3
    sheet.merge(row, *left, f"Số: {report.number}", _HEADING)
    place = date_line(report.place, report.generated.date())
    sheet.merge(row, *right, place, restyle(_HEADING, italic=True))
    sheet.merge(row + 2, 1, right[1], TITLE, _TITLE)
    sheet.height(row + 2, 22)
    period = capitalised(report.period.label)
    sheet.merge(row + 3, 1, right[1], period, restyle(_HEADING, bold=True))
    return row + 5


def _figures_row(
    sheet: Sheet,
    row: int,
    figures: StaffFigures | Totals,
    *,
    bold: bool = False,
    fill: str | None = None,
) -> None:
    """The figure columns of a row, from a staff member's figures or a total."""
    for column, name in enumerate(SUMMARY_FIGURES, start=_FIRST_FIGURE):
        style = restyle(_figure_style(name, bold=bold), fill=fill)
        sheet.put(row, column, getattr(figures, name), style)


def _summary(book: Workbook, report: Report) -> None:
    """The summary sheet: heading, the table by department, totals and the signature."""
    sheet = book.sheet("Tổng hợp", [width for _h, width, _n in SUMMARY_COLUMNS])
    row = _heading(sheet, report)
    header = [text for text, _w, _n in SUMMARY_COLUMNS]
    sheet.put_row(row, header, [_HEADER] * len(header))
    sheet.height(row, 48)
    sheet.repeat_rows = (row, row)
    row += 1
    for number, (department, totals, members) in enumerate(report.groups(), start=1):
        sheet.put(row, 1, roman(number), restyle(_CENTRE, bold=True, fill=_GROUP))
        name = department_name(department)
        sheet.merge(row, 2, 4, name, restyle(_TEXT, bold=True, fill=_GROUP))
        _figures_row(sheet, row, totals, bold=True, fill=_GROUP)
        row += 1
        for position, figures in enumerate(members, start=1):
            line = figures.staff
            texts = (position, line.name, line.position, line.department)
            sheet.put_row(row, texts, (_CENTRE, _TEXT, _TEXT, _TEXT))
            _figures_row(sheet, row, figures)
            row += 1
    row = _total_rows(sheet, row, report)
    row = _notes(sheet, row + 1, report)
    _signature(sheet, row + 1, report)


def _total_rows(sheet: Sheet, row: int, report: Report) -> int:
    """The office total, the previous period's total and the change; returns the next row."""
    previous = f"Kỳ trước ({report.previous.label})"
    totals: list[tuple[str, Totals, bool]] = [
        ("TỔNG CỘNG TOÀN CƠ QUAN", report.office, True),
        (previous, report.office_previous, False),
    ]
    for label, figures, bold in totals:
        sheet.merge(row, 1, 4, label, restyle(_TEXT, bold=bold, italic=not bold))
        _figures_row(sheet, row, figures, bold=bold)
        row += 1
    sheet.merge(row, 1, 4, "Tăng/giảm", restyle(_TEXT, italic=True))
    for column, name in enumerate(SUMMARY_FIGURES, start=_FIRST_FIGURE):
        change = report.trend.get(name)
        if change is None:
            sheet.put(row, column, "—", _CENTRE)
        else:
            sheet.put(row, column, change, _figure_style(name, signed=True))
    return row + 1


def _notes(sheet: Sheet, row: int, report: Report) -> int:
    """Notes under the table: how figures are counted, the comparison and what no row holds."""
    for text in (*NOTES, *remarks(report)):
        sheet.merge(row, 1, len(SUMMARY_COLUMNS), text, CellStyle(italic=True, wrap=True))
        row += 1
    return row


def _signature(sheet: Sheet, row: int, report: Report) -> None:
    """The recipients ("Nơi nhận") on the left, the signature block on the right."""
    for offset, text in enumerate(RECIPIENTS):
        style = CellStyle(bold=offset == 0, italic=offset == 0, size=11)
        sheet.merge(row + offset, 1, 4, text, style)
    right = (9, len(SUMMARY_COLUMNS))
    for text, heading in signature(report.signing, report.signer):
        if not text:  # room to sign
            row += _SIGNING_ROOM
            continue
        style = CellStyle(bold=heading, italic=not heading, horizontal="center")
        sheet.merge(row, *right, text, style)
        row += 1


def _violations(book: Workbook, report: Report) -> None:
    """The violations sheet, with evidence links."""
    sheet = book.sheet("Vi phạm", [width for _h, width in VIOLATION_COLUMNS])
    last = len(VIOLATION_COLUMNS)
    sheet.merge(1, 1, last, "DANH SÁCH VI PHẠM", _TITLE)
    sheet.merge(2, 1, last, f"{report.office_name}, {report.period.label}", _HEADING)
    header = [text for text, _w in VIOLATION_COLUMNS]
    sheet.put_row(4, header, [_HEADER] * last)
    sheet.frozen_rows = 4
    sheet.repeat_rows = (4, 4)
    for row, line in enumerate(report.violations, start=5):
        values = (row - 4, line.start.replace(tzinfo=None), line.type_label, line.who_where)
        sheet.put_row(row, values, (_CENTRE, _CENTRE, _TEXT, _TEXT))
        sheet.put(row, 5, line.minutes, _figure_style("minutes"))
        sheet.put(row, 6, line.status, restyle(_TEXT, italic=line.dismissed))
        if line.link:
            sheet.link(row, 7, line.link, "Xem", _CENTRE)
        else:
            sheet.put(row, 7, None, _CENTRE)
    if not report.violations:
        sheet.merge(5, 1, last, "Không có vi phạm nào trong kỳ.", restyle(_TEXT, italic=True))


def _days(book: Workbook, report: Report) -> None:
    """The day-by-day sheet, with a total row."""
    sheet = book.sheet("Theo ngày", [width for _h, width, _n in DAY_COLUMNS])
    last = len(DAY_COLUMNS)
    sheet.merge(1, 1, last, "SỐ LIỆU THEO NGÀY", _TITLE)
    sheet.merge(2, 1, last, f"{report.office_name}, {report.period.label}", _HEADING)
    header = [text for text, _w, _n in DAY_COLUMNS]
    sheet.put_row(4, header, [_HEADER] * last)
    sheet.frozen_rows = 4
    sheet.repeat_rows = (4, 4)
    row = 5
    for day in report.by_day:
        fill = None if day.info.working else _DAY_OFF
        texts = (day.day, WEEKDAYS[day.day.weekday()], day_kind(day.info))
        styles = (restyle(_CENTRE, fill=fill), restyle(_TEXT, fill=fill), restyle(_TEXT, fill=fill))
        sheet.put_row(row, texts, styles)
        for column, name in _DAY_FIGURE_COLUMNS:
            sheet.put(row, column, getattr(day, name), restyle(_figure_style(name), fill=fill))
        row += 1
    sheet.merge(row, 1, 3, "Cộng", restyle(_TEXT, bold=True))
    for column, name in _DAY_FIGURE_COLUMNS:
        total = sum(getattr(day, name) for day in report.by_day)
        sheet.put(row, column, total, _figure_style(name, bold=True))


def report_xlsx(report: Report) -> bytes:
    """The report as an .xlsx file (sheets "Tổng hợp", "Vi phạm", "Theo ngày")."""
    title = f"{TITLE} {report.period.label} – {report.office_name}"
    book = Workbook(font="Times New Roman", size=12, title=title)
    _summary(book, report)
    _violations(book, report)
    _days(book, report)
    return book.to_bytes()
