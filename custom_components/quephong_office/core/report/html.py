"""The report as a printable page, laid out as an administrative document (Decree 30/2020).

A4 landscape, Times New Roman 13 pt: the unit and the national title side by side, number,
place and date, the title and period, a paragraph that tells the figures and how they changed
against the previous period, the table by department, the violations with their evidence, then
the recipients and the signature block. Every value is escaped; a link is only made of an
http(s) address or a path of the same server.
"""

from __future__ import annotations

from html import escape

from .columns import SUMMARY_COLUMNS, SUMMARY_FIGURES, VIOLATION_COLUMNS
from .figures import Report, StaffFigures, Totals, ViolationLine
from .narrative import narrative
from .wording import (
    MOTTO,
    NATIONAL_TITLE,
    NOTES,
    RECIPIENTS,
    TITLE,
    capitalised,
    date_line,
    department_name,
    number_text,
    roman,
    signature,
    signed_text,
)

_STYLE = """
@page { size: A4 landscape; margin: 20mm 15mm 20mm 30mm; }
body { font-family: "Times New Roman", "DejaVu Serif", serif; font-size: 13pt;
       line-height: 1.35; margin: 0; color: #000; }
p { margin: 0 0 6pt; }
table.heading, table.signing { width: 100%; border-collapse: collapse; }
table.heading td, table.signing td { vertical-align: top; text-align: center; padding: 0; }
table.heading td.unit { width: 40%; }
.upper { text-transform: uppercase; margin: 0; }
.bold { font-weight: bold; }
.motto { font-weight: bold; text-decoration: underline; margin: 0; }
.date { font-style: italic; margin-top: 8pt; }
.number { white-space: pre; margin-top: 8pt; }
hr.short { width: 30%; border: 0; border-top: 1px solid #000; margin: 2pt auto 6pt; }
h1 { font-size: 14pt; text-align: center; margin: 18pt 0 2pt; }
.period { text-align: center; font-weight: bold; margin-bottom: 12pt; }
.lead p { text-align: justify; text-indent: 1cm; }
h2 { font-size: 13pt; margin: 12pt 0 6pt; }
table.figures { width: 100%; border-collapse: collapse; font-size: 11pt; }
table.figures th, table.figures td { border: 1px solid #000; padding: 2pt 4pt; }
table.figures th { background: #d9e1f2; }
table.figures td.n { text-align: right; }
table.figures td.c { text-align: center; }
table.figures td.name { white-space: nowrap; }
table.figures tr.group td { font-weight: bold; background: #f2f2f2; }
table.figures tr.total td { font-weight: bold; }
table.figures tr.previous td, table.figures tr.change td { font-style: italic; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
.note { font-style: italic; font-size: 11pt; margin-top: 4pt; }
table.signing { margin-top: 18pt; page-break-inside: avoid; }
table.signing td.recipients { text-align: left; font-size: 11pt; width: 45%; }
.recipients p { margin: 0; }
.recipients .first { font-weight: bold; font-style: italic; }
.sign p { margin: 0; }
.space { height: 60pt; }
"""


def _safe_link(link: str | None) -> str | None:
    """A link that may go into href: http(s) or a path on the same server."""
    if link and (link.startswith(("https://", "http://")) or link.startswith("/")):
        return link
    return None


def _cells(figures: StaffFigures | Totals) -> str:
    """The figure cells of a table row."""
    return "".join(
        f'<td class="n">{number_text(getattr(figures, name))}</td>' for name in SUMMARY_FIGURES
    )


def _figures_table(report: Report) -> str:
    """The table by department, with subtotals, the office total and the change."""
    head = "".join(f"<th>{escape(text)}</th>" for text, _w, _n in SUMMARY_COLUMNS)
    body: list[str] = []
    for number, (department, totals, rows) in enumerate(report.groups(), start=1):
        body.append(
            f'<tr class="group"><td class="c">{roman(number)}</td>'
            f'<td colspan="3">{escape(department_name(department))}</td>{_cells(totals)}</tr>'
        )
        body.extend(
            f'<tr><td class="c">{position}</td><td class="name">{escape(row.staff.name)}</td>'
            f"<td>{escape(row.staff.position)}</td><td>{escape(row.staff.department)}</td>"
            f"{_cells(row)}</tr>"
            for position, row in enumerate(rows, start=1)
        )
    previous = f"Kỳ trước ({report.previous.label})"
    body.append(
        f'<tr class="total"><td colspan="4">TỔNG CỘNG TOÀN CƠ QUAN</td>{_cells(report.office)}</tr>'
    )
    body.append(
        f'<tr class="previous"><td colspan="4">{escape(previous)}</td>'
        f"{_cells(report.office_previous)}</tr>"
    )
    changes = []
    for name in SUMMARY_FIGURES:
        change = report.trend.get(name)
        text = "—" if change is None else signed_text(change)
        changes.append(f'<td class="n">{text}</td>')
    body.append(f'<tr class="change"><td colspan="4">Tăng/giảm</td>{"".join(changes)}</tr>')
    return (
        f'<table class="figures"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _violation_row(position: int, line: ViolationLine) -> str:
    """One violation: when, what, who, how long, whether it counts, and the evidence."""
    link = _safe_link(line.link)
    evidence = f'<a href="{escape(link)}">Xem</a>' if link else ""
    return (
        f'<tr><td class="c">{position}</td><td class="c">{line.start:%d/%m/%Y %H:%M}</td>'
        f"<td>{escape(line.type_label)}</td><td>{escape(line.who_where)}</td>"
        f'<td class="n">{number_text(line.minutes)}</td><td>{escape(line.status)}</td>'
        f'<td class="c">{evidence}</td></tr>'
    )


def _violations_table(report: Report) -> str:
    """Every violation of the period, dismissed ones included."""
    if not report.violations:
        return '<p class="note">Không có vi phạm nào trong kỳ.</p>'
    head = "".join(f"<th>{escape(text)}</th>" for text, _width in VIOLATION_COLUMNS)
    rows = "".join(
        _violation_row(position, line) for position, line in enumerate(report.violations, 1)
    )
    return f'<table class="figures"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def _heading(report: Report) -> str:
    """Unit and number on the left; national title, motto, place and date on the right."""
    parent = f'<p class="upper">{escape(report.parent_unit)}</p>' if report.parent_unit else ""
    place = date_line(report.place, report.generated.date())
    return (
        '<table class="heading"><tr><td class="unit">'
        f'{parent}<p class="upper bold">{escape(report.office_name)}</p><hr class="short">'
        f'<p class="number">Số: {escape(report.number)}</p></td>'
        f'<td><p class="bold">{NATIONAL_TITLE}</p><p class="motto">{MOTTO}</p>'
        f'<p class="date">{escape(place)}</p></td></tr></table>'
    )


def _signing(report: Report) -> str:
    """Recipients on the left, the signature block on the right."""
    recipients = "".join(
        f'<p class="{"first" if i == 0 else ""}">{escape(text)}</p>'
        for i, text in enumerate(RECIPIENTS)
    )
    lines: list[str] = []
    for text, heading in signature(report.signing, report.signer):
        if not text:
            lines.append('<p class="space"></p>')
        elif heading:
            lines.append(f"<p><b>{escape(text)}</b></p>")
        else:
            lines.append(f"<p><i>{escape(text)}</i></p>")
    return (
        '<table class="signing"><tr>'
        f'<td class="recipients">{recipients}</td>'
        f'<td class="sign">{"".join(lines)}</td></tr></table>'
    )


def report_html(report: Report) -> str:
    """The report as a self-contained HTML page for printing."""
    paragraphs = "".join(f"<p>{escape(text)}</p>" for text in narrative(report))
    notes = "".join(f'<p class="note">{escape(text)}</p>' for text in NOTES)
    title = f"{TITLE} {report.period.label} – {report.office_name}"
    return (
        '<!doctype html>\n<html lang="vi"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>"
        f"{_heading(report)}<h1>{TITLE}</h1>"
        f'<p class="period">{escape(capitalised(report.period.label))}</p>'
        f'<div class="lead">{paragraphs}</div>'
        f"<h2>I. Tổng hợp theo phòng ban và cán bộ</h2>{_figures_table(report)}{notes}"
        f"<h2>II. Danh sách vi phạm</h2>{_violations_table(report)}"
        f"{_signing(report)}</body></html>\n"
    )
