"""Report benchmark: how long the discipline reports of a year take, against a naive baseline.

    benchmarks/report [--staff 60] [--departments 5] [--days 365] [--runs 5] [--quick]

Synthesises an office's records the way the rules keep them: `--staff` people in
`--departments` departments (one of them the public administrative service centre, whose
staff sit at the one-stop desks), a day summary per person and day from a Vietnamese working
calendar (Nghệ An hours, public holidays, Tết), with about 5 % late arrivals, 2 % absences,
1.5 % early departures, leave and business trips in blocks, a few unobserved sessions, unattended
desks, gatherings and after-hours intrusions (about 3,000 violations a year, some dismissed).

Then it times, as the median of `--runs` runs: build_report for the whole period and for its
last month, report_xlsx and report_html of the whole period's report, daily_summary of the last
working day and daily_counts of every day (what the statistics import does on a first start);
and the peak memory of each (tracemalloc, one run apart). The baseline is a plain
implementation of the same figures that scans every violation for every staff member and every
day; it must give the same figures, and its time is set beside build_report's. Exits 1 when
the year's report (build + xlsx + html) takes 2 s or more.
"""

from __future__ import annotations

import argparse
import platform
import random
import shlex
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from datetime import time as clock
from typing import Any
from zoneinfo import ZoneInfo

from devtools.core_import import register_bare_package

register_bare_package()

from custom_components.quephong_office.core.calendar import (  # noqa: E402
    NGHE_AN,
    DayInfo,
    WorkingCalendar,
)
from custom_components.quephong_office.core.report.daily import daily_summary  # noqa: E402
from custom_components.quephong_office.core.report.figures import (  # noqa: E402
    FIGURE_FIELDS,
    ReportSource,
    StaffLine,
    build_report,
    daily_counts,
)
from custom_components.quephong_office.core.report.html import report_html  # noqa: E402
from custom_components.quephong_office.core.report.period import Period, PeriodKind  # noqa: E402
from custom_components.quephong_office.core.report.xlsx import report_xlsx  # noqa: E402
from custom_components.quephong_office.core.rules.attendance import (  # noqa: E402
    LeaveKind,
    SessionRecord,
    StaffRule,
    StaffSpec,
)
from custom_components.quephong_office.core.rules.settings import RuleSettings  # noqa: E402
from custom_components.quephong_office.core.rules.violations import (  # noqa: E402
    Dismissal,
    Violation,
    ViolationType,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
SETTINGS = RuleSettings()
#: The year's report must take less than this (build + xlsx + html), in seconds.
LIMIT_SECONDS = 2.0
FIRST_DAY = date(2026, 1, 1)

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vi", "Lô", "Lương", "Hà", "Sầm", "Đặng")
MIDDLE = ("Văn", "Thị", "Đức", "Thanh", "Minh", "Hữu", "Ngọc", "Thu", "Quang", "Thị Thu")
GIVEN = (
    "An", "Bình", "Cường", "Dung", "Đạt", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Hương",
    "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Ngân", "Phong", "Phương", "Quân", "Sơn",
    "Tâm", "Thảo", "Thắng", "Trang", "Tuấn", "Vân", "Xuân", "Yến", "Ánh", "Ân",
)  # fmt: skip
DEPARTMENTS = (
    "Văn phòng HĐND và UBND",
    "Phòng Kinh tế",
    "Phòng Văn hóa - Xã hội",
    "Trung tâm Phục vụ hành chính công",
    "Ban Chỉ huy Quân sự",
)
#: The department whose staff sit at the one-stop desks.
CENTRE = "Trung tâm Phục vụ hành chính công"
POSITIONS = ("Chuyên viên", "Công chức", "Nhân viên", "Phó Trưởng phòng", "Trưởng phòng")

LATE_SHARE = 0.05
ABSENT_SHARE = 0.02
EARLY_SHARE = 0.015
UNOBSERVED_SHARE = 0.004
DESK_EPISODE_SHARE = 0.1  # per attended session of a desk's staff member
FREE_DESK_EPISODE_SHARE = 0.2  # per working session, the desk without a person
GATHERING_SHARE = 0.2  # per working session
INTRUSION_SHARE = 0.1  # per night
DISMISSED_SHARE = 0.04


class _Ids:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> str:
        self.count += 1
        return f"v{self.count:05d}"


def _at(day: date, moment: clock) -> datetime:
    return datetime.combine(day, moment, VN)


def _blocks(rng: random.Random, days: list[date], count: int, longest: int) -> set[date]:
    """`count` runs of 1..`longest` working days, at random."""
    chosen: set[date] = set()
    for _ in range(count):
        start = rng.randrange(len(days))
        chosen.update(days[start : start + rng.randint(1, longest)])
    return chosen


def _violation(
    ids: _Ids, kind: ViolationType, start: datetime, seconds: float, **where: Any
) -> Violation:
    return Violation(
        id=ids(),
        type=kind,
        start=start,
        detected=start + timedelta(seconds=seconds),
        duration=seconds,
        **where,
    )


def synthesize(
    *,
    staff: int = 60,
    departments: int = 5,
    first: date = FIRST_DAY,
    days: int = 365,
    seed: int = 2026,
) -> tuple[ReportSource, datetime]:
    """An office's records over `days` days from `first`, and the moment just after them."""
    rng = random.Random(seed)
    ids = _Ids()
    calendar = WorkingCalendar(schedule=NGHE_AN)
    dates = [first + timedelta(days=i) for i in range(days)]
    infos = [calendar.day_info(day) for day in dates]
    working = [info.day for info in infos if info.working]
    names = DEPARTMENTS[:departments] if departments <= len(DEPARTMENTS) else DEPARTMENTS
    lines: list[StaffLine] = []
    for number in range(staff):
        name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        department = names[number % len(names)] if names else ""
        position = rng.choice(POSITIONS)
        lines.append(
            StaffLine(id=f"s{number:03d}", name=name, position=position, department=department)
        )
    centre = [line.id for line in lines if line.department == CENTRE] or [lines[0].id]
    desks = {f"desk-{i + 1}": f"Quầy {i + 1}" for i in range(len(centre))}
    desk_of = {person: f"desk-{i + 1}" for i, person in enumerate(centre)}
    desks["desk-free"] = "Quầy hướng dẫn"
    zones = {"hallway": "Hành lang tầng 1", "gate": "Cổng chính"}
    leave = {line.id: _blocks(rng, working, 5, 3) for line in lines}
    trips = {line.id: _blocks(rng, working, 3, 2) - leave[line.id] for line in lines}
    history: dict[str, dict[str, dict[str, Any]]] = {line.id: {} for line in lines}
    violations: list[Violation] = []
    for info in infos:
        if not info.working:
            if rng.random() < INTRUSION_SHARE:
                start = _at(info.day, clock(rng.randint(0, 4), rng.randint(0, 59)))
                violations.append(
                    _violation(
                        ids, ViolationType.INTRUSION, start, rng.randint(60, 900), zone="gate"
                    )
                )
            continue
        for line in lines:
            spec = StaffSpec(id=line.id, name=line.name, desk=desk_of.get(line.id))
            history[line.id][info.day.isoformat()] = _day(
                rng, ids, info, spec, leave, trips, violations
            )
        for session in info.sessions:
            start, end = _at(info.day, session.start), _at(info.day, session.end)
            length = int((end - start).total_seconds())
            if rng.random() < FREE_DESK_EPISODE_SHARE:
                at = start + timedelta(seconds=rng.randint(0, length - 3600))
                violations.append(
                    _violation(
                        ids, ViolationType.UNATTENDED_DESK, at, rng.randint(600, 3000),
                        desk="desk-free", session=session.key.value,
                    )
                )  # fmt: skip
            if rng.random() < GATHERING_SHARE:
                at = start + timedelta(seconds=rng.randint(0, length - 1800))
                violations.append(
                    _violation(
                        ids, ViolationType.GATHERING, at, rng.randint(300, 1500), zone="hallway"
                    )
                )
        if rng.random() < INTRUSION_SHARE / 3:
            start = _at(info.day, clock(22, rng.randint(0, 59)))
            violations.append(
                _violation(ids, ViolationType.INTRUSION, start, rng.randint(60, 600), zone="gate")
            )
    for violation in violations:
        if rng.random() < DISMISSED_SHARE:
            reason = (
                "Ốm đột xuất, có giấy xác nhận"
                if violation.type is ViolationType.ABSENCE
                else "Camera nhận nhầm"
            )
            violation.dismissal = Dismissal(
                at=violation.detected + timedelta(hours=2), reason=reason, by="lanh-dao"
            )
    source = ReportSource(
        office="UBND xã Quế Phong",
        parent_unit="UBND tỉnh Nghệ An",
        place="Quế Phong",
        unit_code="17011",
        staff=lines,
        days=history,
        violations=violations,
        calendar=calendar,
        desks=desks,
        zones=zones,
    )
    return source, _at(dates[-1], clock(18, 0))


def _day(
    rng: random.Random,
    ids: _Ids,
    info: DayInfo,
    person: StaffSpec,
    leave: dict[str, set[date]],
    trips: dict[str, set[date]],
    violations: list[Violation],
) -> dict[str, Any]:
    """One person's day as the rules record it (StaffRule.day_summary()), and its violations."""
    rule = StaffRule(person, SETTINGS, day=info.day)
    where: dict[str, Any] = {"staff": person.id, "desk": person.desk}
    for session in info.sessions:
        key = session.key.value
        start, end = _at(info.day, session.start), _at(info.day, session.end)
        record = rule.sessions[key] = SessionRecord(closed=True)
        if info.day in leave[person.id]:
            record.excused = LeaveKind.LEAVE
            continue
        if info.day in trips[person.id]:
            record.excused = LeaveKind.BUSINESS_TRIP
            continue
        roll = rng.random()
        if roll < UNOBSERVED_SHARE:
            record.judged = False
            continue
        if roll < UNOBSERVED_SHARE + ABSENT_SHARE:
            seconds = (end - start).total_seconds()
            absence = _violation(ids, ViolationType.ABSENCE, start, seconds, session=key, **where)
            violations.append(absence)
            record.absent = absence.id
            continue
        record.arrival = start - timedelta(seconds=rng.randint(0, 1200))
        if roll < UNOBSERVED_SHARE + ABSENT_SHARE + LATE_SHARE:
            record.arrival = start + timedelta(seconds=rng.randint(360, 2700))
            seconds = (record.arrival - start).total_seconds()
            late = _violation(ids, ViolationType.LATE_ARRIVAL, start, seconds, session=key, **where)
            violations.append(late)
            record.late = late.id
        record.departure = end + timedelta(seconds=rng.randint(0, 1200))
        if rng.random() < EARLY_SHARE:
            record.departure = end - timedelta(seconds=rng.randint(600, 3600))
            seconds = (end - record.departure).total_seconds()
            early = _violation(
                ids, ViolationType.EARLY_DEPARTURE, record.departure, seconds, session=key, **where
            )
            violations.append(early)
            record.early = early.id
        if person.desk is not None and rng.random() < DESK_EPISODE_SHARE:
            at = max(record.arrival, start) + timedelta(seconds=rng.randint(600, 5400))
            seconds = rng.randint(600, 2400)
            violations.append(
                _violation(ids, ViolationType.UNATTENDED_DESK, at, seconds, session=key, **where)
            )
    return rule.day_summary()


# --------------------------------------------------------------------------------------------
# The baseline: the same figures, the plain way
# --------------------------------------------------------------------------------------------


def naive_rows(
    source: ReportSource, period: Period, now: datetime
) -> list[tuple[str, dict[str, float]]]:
    """Each staff member's figures, scanning every violation for every person and day."""
    rows: list[tuple[str, dict[str, float]]] = []
    for line in sorted(source.staff, key=lambda s: (s.department, s.name)):
        figures: dict[str, float] = dict.fromkeys(FIGURE_FIELDS, 0)
        for day in period.days():
            info = source.calendar.day_info(day)
            summary = source.days.get(line.id, {}).get(day.isoformat())
            sessions = summary["sessions"] if summary else {}
            ended_sessions = 0
            for session in info.sessions:
                ended = day < now.date() or (
                    day == now.date() and session.end <= now.time().replace(tzinfo=None)
                )
                ended_sessions += ended
                if session.key.value not in sessions and ended:
                    figures["unobserved_sessions"] += 1
            figures["working_days"] += min(ended_sessions, 2) / 2  # the working days so far
            for record in sessions.values():
                share = 0.5  # a session is half a working day
                if record["arrival"] or record["excused"] == "business_trip":
                    figures["days_worked"] += share
                if record["excused"] == "business_trip":
                    figures["business_trip_days"] += share
                if record["excused"] == "leave" and not record["arrival"]:
                    figures["leave_days"] += share
                if not record["judged"] and not record["arrival"] and not record["excused"]:
                    figures["unobserved_sessions"] += 1
            for violation in source.violations:
                if violation.staff != line.id or violation.start.date() != day:
                    continue
                if violation.dismissal is not None:
                    if violation.type is ViolationType.ABSENCE:
                        figures["absent_excused"] += 1
                    continue
                figures["violations"] += 1
                if violation.type is ViolationType.LATE_ARRIVAL:
                    figures["late"] += 1
                elif violation.type is ViolationType.EARLY_DEPARTURE:
                    figures["early"] += 1
                elif violation.type is ViolationType.ABSENCE:
                    figures["absent"] += 1
                elif violation.type is ViolationType.UNATTENDED_DESK:
                    figures["unattended_minutes"] += int(violation.duration / 60 + 0.5)
        rows.append((line.id, {k: round(v, 2) for k, v in figures.items()}))
    return rows


def same_figures(source: ReportSource, period: Period, now: datetime) -> bool:
    """Whether build_report and the baseline give every staff member the same figures."""
    report = build_report(source, period, generated=now)
    fast = {row.staff.id: {k: getattr(row, k) for k in FIGURE_FIELDS} for row in report.rows}
    return fast == dict(naive_rows(source, period, now))


# --------------------------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------------------------


def median_seconds(action: Callable[[], object], runs: int) -> float:
    """The median wall time of `runs` calls."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def peak_mib(action: Callable[[], object]) -> float:
    """The peak memory one call allocates (tracemalloc), in MiB."""
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """Options of the command line."""
    parser = argparse.ArgumentParser(
        prog="benchmarks/report", description=(__doc__ or "").split("\n\n")[0]
    )
    parser.add_argument("--staff", type=int, default=60)
    parser.add_argument("--departments", type=int, default=5)
    parser.add_argument("--days", type=int, default=365, help="days from 1/1/2026")
    parser.add_argument("--runs", type=int, default=5, help="runs per timing (median)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--quick", action="store_true", help="no baseline over the whole period (slow)"
    )
    args = parser.parse_args(argv)
    for name in ("staff", "days", "runs"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    if args.days > 366:
        parser.error("--days must be at most 366 (one report)")
    return args


def measure(args: argparse.Namespace, out: Callable[[str], None]) -> dict[str, Any]:
    """Synthesise the records, time every operation and the baseline; the figures."""
    source, now = synthesize(
        staff=args.staff, departments=args.departments, days=args.days, seed=args.seed
    )
    last = now.date()
    whole = Period(PeriodKind.RANGE, FIRST_DAY, last)
    month = Period(PeriodKind.MONTH, last.replace(day=1), last)
    working = [d for d in whole.days() if source.calendar.day_info(d).working]
    summaries = sum(len(days) for days in source.days.values())
    dismissed = sum(1 for v in source.violations if v.dismissal is not None)
    out(
        f"Records: {len(source.staff)} staff in {args.departments} departments, "
        f"{args.days} days ({len(working)} working), {summaries:,} day summaries, "
        f"{len(source.violations):,} violations ({dismissed} dismissed)."
    )
    year = build_report(source, whole, generated=now, link_for=_link)
    xlsx, html = report_xlsx(year), report_html(year)
    out(
        f"Year report: {len(year.rows)} rows, {len(year.violations):,} violation lines; "
        f"xlsx {len(xlsx) / 1024:,.0f} KiB, html {len(html.encode()) / 1024:,.0f} KiB."
    )
    runs = args.runs
    day = working[-1]
    operations: list[tuple[str, Callable[[], object]]] = [
        ("build_report, whole period", lambda: build_report(source, whole, generated=now)),
        ("build_report, last month", lambda: build_report(source, month, generated=now)),
        ("report_xlsx, whole period", lambda: report_xlsx(year)),
        ("report_html, whole period", lambda: report_html(year)),
        ("daily_summary, last working day", lambda: daily_summary(source, day, generated=now)),
        ("daily_counts, every day", lambda: [daily_counts(source, d) for d in whole.days()]),
    ]
    rows: list[dict[str, Any]] = []
    for name, action in operations:
        seconds = median_seconds(action, runs)
        rows.append({"name": name, "ms": seconds * 1000, "peak_mib": peak_mib(action)})
    baseline_month = median_seconds(lambda: naive_rows(source, month, now), runs)
    rows[1]["naive_ms"] = baseline_month * 1000
    if not args.quick:
        rows[0]["naive_ms"] = median_seconds(lambda: naive_rows(source, whole, now), 1) * 1000
    total = sum(row["ms"] for row in rows[:1] + rows[2:4])
    return {
        "rows": rows,
        "year_total_ms": total,
        "same_month": same_figures(source, month, now),
        "same_whole": None if args.quick else same_figures(source, whole, now),
    }


def _link(violation: Violation) -> str | None:
    return (
        f"https://ha.local/media/{violation.id}"
        if violation.type is not ViolationType.ABSENCE
        else None
    )


def format_table(figures: dict[str, Any], runs: int) -> list[str]:
    """The figures as a small table."""
    lines = [
        f"{'operation':<34}{'median ms':>11}{'peak MiB':>10}{'naive ms':>11}{'speed-up':>10}",
        "-" * 76,
    ]
    for row in figures["rows"]:
        naive = row.get("naive_ms")
        baseline = f"{naive:>11,.0f}" if naive is not None else f"{'':>11}"
        ratio = f"{naive / row['ms']:>9,.0f}×" if naive is not None else ""
        lines.append(
            f"{row['name']:<34}{row['ms']:>11,.1f}{row['peak_mib']:>10,.1f}{baseline}{ratio}"
        )
    lines.append("-" * 76)
    verdict = "OK" if figures["year_total_ms"] < LIMIT_SECONDS * 1000 else "TOO SLOW"
    lines.append(
        f"{'whole-period report (build+xlsx+html)':<34}{figures['year_total_ms']:>11,.1f}"
        f"   limit {LIMIT_SECONDS * 1000:,.0f} ms: {verdict}"
    )
    same = {True: "yes", False: "NO", None: "not checked (--quick)"}
    lines.append(
        f"Same figures as the baseline: last month {same[figures['same_month']]}, "
        f"whole period {same[figures['same_whole']]}. Median of {runs} runs; the baseline over "
        "the whole period runs once."
    )
    return lines


def main(argv: Sequence[str] | None = None, out: Callable[[str], None] = print) -> int:
    """Command line entry point; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    out(
        f"Report benchmark: Python {platform.python_version()} on {platform.machine()}, "
        f"{args.runs} runs per timing."
    )
    figures = measure(args, out)
    for line in format_table(figures, args.runs):
        out(line)
    out(f"Rerun: {shlex.join(['benchmarks/report', *argv])}")
    if figures["same_month"] is False or figures["same_whole"] is False:
        out("The report's figures differ from the baseline's.")
        return 2
    return 0 if figures["year_total_ms"] < LIMIT_SECONDS * 1000 else 1


if __name__ == "__main__":
    sys.exit(main())
