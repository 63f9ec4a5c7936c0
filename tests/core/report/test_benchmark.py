"""The report benchmark at toy scale: its synthetic records, its baseline and its table.

The baseline is a plain implementation of the same figures, so it also serves as an oracle: on
generated records of several offices, build_report must agree with it person by person.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

import pytest

from benchmarks import report as bench
from custom_components.quephong_office.core.report.figures import build_report
from custom_components.quephong_office.core.report.period import Period, PeriodKind
from custom_components.quephong_office.core.rules.violations import ViolationType


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_reports_agree_with_the_plain_baseline(seed: int) -> None:
    source, now = bench.synthesize(staff=9, departments=3, days=75, seed=seed)
    whole = Period(PeriodKind.RANGE, bench.FIRST_DAY, now.date())
    assert bench.same_figures(source, whole, now)
    february = Period(PeriodKind.MONTH, date(2026, 2, 1), date(2026, 2, 28))
    assert bench.same_figures(source, february, now)
    # a report made in the middle of the last day: its afternoon is not due yet
    morning = now.replace(hour=12, minute=30)
    assert bench.same_figures(source, whole, morning)
    fast = build_report(source, whole, generated=morning)
    assert fast.office.violations > 0


def test_the_baseline_catches_a_difference() -> None:
    source, now = bench.synthesize(staff=3, departments=1, days=20, seed=5)
    whole = Period(PeriodKind.RANGE, bench.FIRST_DAY, now.date())
    late = next(v for v in source.violations if v.type is ViolationType.LATE_ARRIVAL)
    before = dict(bench.naive_rows(source, whole, now))[late.staff or ""]["late"]
    late.start -= timedelta(days=400)  # out of the period: the baseline sees one fewer
    after = dict(bench.naive_rows(source, whole, now))[late.staff or ""]["late"]
    assert after == before - 1


def test_the_synthetic_year_looks_like_an_office() -> None:
    source, now = bench.synthesize()
    assert now == datetime(2026, 12, 31, 18, 0, tzinfo=bench.VN)
    assert len(source.staff) == 60
    assert len({line.department for line in source.staff}) == 5
    kinds = Counter(v.type for v in source.violations)
    assert 2500 <= len(source.violations) <= 3500
    sessions = sum(len(day["sessions"]) for days in source.days.values() for day in days.values())
    assert 0.04 <= kinds[ViolationType.LATE_ARRIVAL] / sessions <= 0.06
    assert 0.015 <= kinds[ViolationType.ABSENCE] / sessions <= 0.025
    assert kinds[ViolationType.UNATTENDED_DESK] > 300
    assert kinds[ViolationType.GATHERING] and kinds[ViolationType.INTRUSION]
    assert any(v.dismissal for v in source.violations)
    excused = Counter(
        record["excused"]
        for days in source.days.values()
        for day in days.values()
        for record in day["sessions"].values()
    )
    assert excused["leave"] > 0
    assert excused["business_trip"] > 0
    tet = date(2026, 2, 17)
    assert all(tet.isoformat() not in days for days in source.days.values())


def test_the_command_prints_its_table_and_passes() -> None:
    lines: list[str] = []
    code = bench.main(["--staff", "6", "--departments", "2", "--days", "40", "--runs", "1"],
                      out=lines.append)  # fmt: skip
    assert code == 0
    text = "\n".join(lines)
    assert "build_report, whole period" in text
    assert "report_xlsx, whole period" in text
    assert "daily_counts, every day" in text
    assert "limit 2,000 ms: OK" in text
    assert "Same figures as the baseline: last month yes, whole period yes." in text
    assert lines[-1] == "Rerun: benchmarks/report --staff 6 --departments 2 --days 40 --runs 1"


def test_quick_leaves_out_the_slow_baseline() -> None:
    lines: list[str] = []
    assert bench.main(["--staff", "4", "--days", "10", "--runs", "1", "--quick"],
                      out=lines.append) == 0  # fmt: skip
    assert any("whole period not checked (--quick)" in line for line in lines)


def test_a_slow_report_fails_the_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bench, "LIMIT_SECONDS", 1e-9)
    lines: list[str] = []
    assert bench.main(["--staff", "3", "--days", "5", "--runs", "1", "--quick"],
                      out=lines.append) == 1  # fmt: skip
    assert any("TOO SLOW" in line for line in lines)


@pytest.mark.parametrize(
    "argv", [["--staff", "0"], ["--days", "400"], ["--runs", "0"]], ids=["staff", "days", "runs"]
)
def test_bad_options_are_refused(argv: list[str]) -> None:
    with pytest.raises(SystemExit):
        bench.parse_args(argv)
