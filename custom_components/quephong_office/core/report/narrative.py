"""The report's figures in words.

The paragraphs the printable page opens with, and the remarks the workbook notes under its
table: the comparison with the period before and what no staff member's row shows.
"""

from __future__ import annotations

from collections.abc import Sequence

from .figures import Report
from .period import dmy
from .wording import change_text, compared_with, during, number_text


def _joined(parts: Sequence[str]) -> str:
    """Words listed the Vietnamese way: "a, b và c"."""
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} và {parts[-1]}"


def narrative(report: Report) -> list[str]:
    """The report's paragraphs in words: the figures and how they changed."""
    office = report.office
    when = during(report.period)
    today, period = report.generated.date(), report.period
    if period.start < period.end and today <= period.end:  # the period so far
        when += f" (tính đến ngày {dmy(today)})"
    paragraphs = [
        f"{when}, {report.office_name} theo dõi việc chấp hành thời giờ làm "
        f"việc của {number_text(office.staff)} cán bộ, công chức, với tổng số "
        f"{number_text(office.working_days)} ngày công chuẩn; số ngày công thực tế là "
        f"{number_text(office.days_worked)} ngày (kể cả ngày đi công tác)."
    ]
    breaches = [
        f"{number_text(getattr(office, name))} lượt {words}"
        for name, words in (
            ("late", "đi muộn"),
            ("early", "về sớm"),
            ("absent", "vắng mặt không lý do"),
        )
        if getattr(office, name)
    ]
    parts = [
        "Có " + _joined(breaches)
        if breaches
        else "Không có lượt đi muộn, về sớm hay vắng mặt không lý do nào"
    ]
    if office.absent_excused:
        parts.append(
            f"{number_text(office.absent_excused)} lượt vắng mặt có lý do được lãnh đạo chấp nhận"
        )
    away = [
        f"{words} {number_text(getattr(office, name))} ngày"
        for name, words in (("leave_days", "nghỉ phép"), ("business_trip_days", "đi công tác"))
        if getattr(office, name)
    ]
    if away:
        parts.append(", ".join(away))
    facts = "; ".join(parts) + "."
    if office.unattended_minutes:
        facts += (
            f" Quầy giao dịch bị bỏ trống tổng cộng {number_text(office.unattended_minutes)} phút."
        )
    paragraphs.append(facts)
    return paragraphs + remarks(report)


def remarks(report: Report) -> list[str]:
    """The comparison with the period before, and what the table does not show."""
    sentences = [trend_sentence(report)]
    if report.other_violations:
        minutes = report.other_unattended_minutes
        sentences.append(
            f"Ngoài ra có {number_text(report.other_violations)} vi phạm không thuộc cán bộ nào "
            "trong danh sách (quầy chưa phân công người trực, tụ tập, xâm nhập ngoài giờ)"
            + (f", trong đó bỏ trống quầy {number_text(minutes)} phút." if minutes else ".")
        )
    if report.office.unobserved_sessions:
        sentences.append(
            f"Có {number_text(report.office.unobserved_sessions)} buổi làm việc không có dữ "
            "liệu giám sát; các buổi này không tính là vắng mặt."
        )
    return sentences


def trend_sentence(report: Report) -> str:
    """The total of violations and its change against the previous period."""
    total = report.office.violations
    before = compared_with(report.previous)
    opening = (
        f"Tổng số vi phạm được tính: {number_text(total)} lượt"
        if total
        else "Trong kỳ không có vi phạm nào được tính"
    )
    change = report.trend.get("violations")
    if change is None:
        return f"{opening}; chưa có số liệu của {before} để so sánh."
    details = [
        f"{words} {change_text(report.trend.get(name) or 0, 'lượt')}"
        for name, words in (
            ("late", "đi muộn"),
            ("early", "về sớm"),
            ("absent", "vắng không lý do"),
        )
    ]
    if change == 0:
        return f"{opening}, không thay đổi so với {before} ({_joined(details)})."
    return f"{opening}, {change_text(change, 'lượt')} so với {before} ({_joined(details)})."
