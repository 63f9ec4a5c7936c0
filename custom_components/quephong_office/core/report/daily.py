"""The end-of-day summary for the leaders.

Who was late, absent or away, each desk's unattended minutes, the day's violations with their
evidence, and the month's count so far. It is made from the day's report and the month-to-date
report (`build_report`), so its figures are the reports' figures.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from custom_components.quephong_office.core.rules.violations import Violation, ViolationType

from .figures import Report, ReportSource, ViolationLine, build_report
from .period import Period, PeriodKind, dmy
from .wording import WEEKDAYS, number_text, session_name


def _clock(moment: datetime) -> str:
    return f"{moment:%H:%M}"


def _people(lines: list[ViolationLine], kind: ViolationType) -> list[dict[str, Any]]:
    """The counted violations of one kind: who and when."""
    return [
        {"name": line.who, "time": _clock(line.at), "minutes": line.minutes}
        for line in lines
        if line.type is kind
    ]


def _absent(lines: list[ViolationLine]) -> list[dict[str, Any]]:
    """People absent without reason, with the sessions they missed."""
    sessions: dict[str, list[str]] = {}
    for line in lines:
        if line.type is ViolationType.ABSENCE:
            missed = sessions.setdefault(line.who, [])
            missed.append(session_name(line.session))
    return [
        {"name": name, "sessions": "cả ngày" if len(missed) > 1 else missed[0]}
        for name, missed in sessions.items()
    ]


def _away(report: Report, field: str) -> list[dict[str, Any]]:
    """Staff members on leave or on a business trip, and for how much of the day."""
    return [
        {"name": row.staff.name, "days": getattr(row, field)}
        for row in report.rows
        if getattr(row, field)
    ]


def _desks(lines: list[ViolationLine]) -> list[dict[str, Any]]:
    """Unattended minutes per desk."""
    minutes: dict[str, int] = {}
    for line in lines:
        if line.type is ViolationType.UNATTENDED_DESK:
            desk = line.where or line.who
            minutes[desk] = minutes.get(desk, 0) + line.minutes
    return [{"name": name, "minutes": total} for name, total in minutes.items()]


def _names(items: list[dict[str, Any]], detail: Callable[[dict[str, Any]], str]) -> str:
    return ", ".join(f"{item['name']} ({detail(item)})" for item in items)


def _attendance_lines(summary: dict[str, Any], staff: int) -> list[str]:
    """The attendance part of the text."""
    lines = [f"Có mặt: {number_text(summary['figures']['present'])}/{staff} người."]
    late, early, absent = summary["late"], summary["early"], summary["absent"]
    if late:
        text = _names(late, lambda p: f"đến {p['time']}, muộn {p['minutes']} phút")
        lines.append(f"Đi muộn ({len(late)}): {text}.")
    if early:
        text = _names(early, lambda p: f"về {p['time']}, sớm {p['minutes']} phút")
        lines.append(f"Về sớm ({len(early)}): {text}.")
    if absent:
        lines.append(
            f"Vắng không lý do ({len(absent)}): {_names(absent, lambda p: p['sessions'])}."
        )
    if not (late or early or absent):
        lines.append("Không có ai đi muộn, về sớm hay vắng mặt không lý do.")
    for key, words in (("on_leave", "Nghỉ phép"), ("business_trip", "Đi công tác")):
        people = summary[key]
        if people:
            text = ", ".join(p["name"] + ("" if p["days"] >= 1 else " (nửa ngày)") for p in people)
            lines.append(f"{words} ({len(people)}): {text}.")
    return lines


def _violation_lines(day_lines: list[ViolationLine]) -> list[str]:
    """The day's violations by the time of day, one a line, with their evidence links."""
    if not day_lines:
        return ["Không có vi phạm nào trong ngày."]
    lines = [f"Vi phạm trong ngày ({len(day_lines)}):"]
    for line in day_lines:
        text = f"- {_clock(line.at)} {line.type_label} – {line.who_where}"
        if line.type is ViolationType.ABSENCE:
            text += f" ({session_name(line.session)})"
        elif line.minutes:
            text += f" ({line.minutes} phút)"
        if line.dismissed:
            text += f" [đã bỏ qua: {line.reason}]" if line.reason else " [đã bỏ qua]"
        if line.link:
            text += f". Bằng chứng: {line.link}"
        lines.append(text)
    return lines


def daily_summary(
    source: ReportSource,
    day: date,
    *,
    generated: datetime,
    link_for: Callable[[Violation], str | None] = lambda v: None,
) -> dict[str, Any]:
    """The day's summary: a title, a plain-text message and the same facts as data.

    Keys: day (ISO), title, text, figures (`daily_counts` of the day), late and early
    ({name, time, minutes}), absent ({name, sessions}), on_leave and business_trip
    ({name, days}), desks ({name, minutes} of unattended desks), violations ({id, type, label,
    who, time, minutes, dismissed, link}, by the time of day) and month_violations (counted
    from the first of the month to the day).
    """
    report = build_report(
        source, Period(PeriodKind.DAY, day, day), generated=generated, link_for=link_for
    )
    month = build_report(
        source, Period(PeriodKind.RANGE, day.replace(day=1), day), generated=generated
    )
    figures = report.by_day[0]
    day_lines = sorted(report.violations, key=lambda line: line.at)
    counted = [line for line in day_lines if not line.dismissed]
    summary: dict[str, Any] = {
        "day": day.isoformat(),
        "working": figures.info.working,
        "title": f"Tổng hợp kỷ luật ngày {dmy(day)} – {source.office}",
        "figures": figures.counts(),
        "late": _people(counted, ViolationType.LATE_ARRIVAL),
        "early": _people(counted, ViolationType.EARLY_DEPARTURE),
        "absent": _absent(counted),
        "on_leave": _away(report, "leave_days"),
        "business_trip": _away(report, "business_trip_days"),
        "desks": _desks(counted),
        "violations": [
            {
                "id": line.id,
                "type": line.type.value,
                "label": line.type_label,
                "who": line.who_where,
                "time": _clock(line.at),
                "minutes": line.minutes,
                "dismissed": line.dismissed,
                "link": line.link,
            }
            for line in day_lines
        ],
        "month_violations": month.office.violations + month.other_violations,
    }
    lines = [summary["title"]]
    info = figures.info
    when = "Hôm nay" if day == generated.date() else f"Ngày {dmy(day)}"
    if not info.working:
        name = info.holiday_name or WEEKDAYS[day.weekday()]
        if not report.violations and not figures.present:
            lines.append(f"{when} là ngày nghỉ ({name}), không có số liệu chấm công.")
            summary["text"] = "\n".join(lines)
            return summary
        lines.append(f"{when} là ngày nghỉ ({name}).")
    else:
        lines.extend(_attendance_lines(summary, len(report.rows)))
    if summary["desks"]:
        desks = "; ".join(f"{d['name']} – {d['minutes']} phút" for d in summary["desks"])
        lines.append(f"Bỏ trống quầy: {desks}.")
    lines.extend(_violation_lines(day_lines))
    until = "nay" if day == generated.date() else f"hết ngày {dmy(day)}"
    lines.append(
        f"Từ đầu tháng {day.month} đến {until}: {number_text(summary['month_violations'])} lượt "
        "vi phạm được tính."
    )
    summary["text"] = "\n".join(lines)
    return summary
