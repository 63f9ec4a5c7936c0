"""Report periods: which dates, the period before, labels, slugs and refusals."""

from __future__ import annotations

from datetime import date

import pytest

from custom_components.quephong_office.core.errors import CodedError
from custom_components.quephong_office.core.report.period import (
    Period,
    PeriodKind,
    ReportError,
    period_for,
)


@pytest.mark.parametrize(
    ("kind", "day", "start", "end", "label", "slug"),
    [
        ("day", date(2026, 11, 23), date(2026, 11, 23), date(2026, 11, 23),
         "ngày 23/11/2026", "2026-11-23"),
        ("week", date(2026, 11, 19), date(2026, 11, 16), date(2026, 11, 22),
         "tuần từ ngày 16/11/2026 đến ngày 22/11/2026", "2026-W47"),
        ("week", date(2026, 11, 22), date(2026, 11, 16), date(2026, 11, 22),
         "tuần từ ngày 16/11/2026 đến ngày 22/11/2026", "2026-W47"),
        ("month", date(2026, 11, 23), date(2026, 11, 1), date(2026, 11, 30),
         "tháng 11 năm 2026", "2026-11"),
        ("month", date(2028, 2, 10), date(2028, 2, 1), date(2028, 2, 29),
         "tháng 2 năm 2028", "2028-02"),
        ("month", date(2026, 12, 31), date(2026, 12, 1), date(2026, 12, 31),
         "tháng 12 năm 2026", "2026-12"),
    ],
)  # fmt: skip
def test_the_period_holding_a_day(
    kind: str, day: date, start: date, end: date, label: str, slug: str
) -> None:
    period = period_for(kind, day)
    assert (period.kind, period.start, period.end) == (PeriodKind(kind), start, end)
    assert period.label == label
    assert period.slug == slug
    assert period.days()[0] == start
    assert period.days()[-1] == end
    assert len(period.days()) == (end - start).days + 1


def test_a_range_ignores_the_day_and_names_both_ends() -> None:
    period = period_for(PeriodKind.RANGE, date(2020, 1, 1), date(2026, 11, 1), date(2026, 11, 15))
    assert (period.start, period.end) == (date(2026, 11, 1), date(2026, 11, 15))
    assert period.label == "từ ngày 01/11/2026 đến ngày 15/11/2026"
    assert period.slug == "2026-11-01_2026-11-15"
    assert len(period.days()) == 15


def test_the_week_of_new_year_takes_its_iso_year() -> None:
    assert period_for("week", date(2027, 1, 1)).slug == "2026-W53"
    assert period_for("week", date(2026, 1, 1)).slug == "2026-W01"
    assert period_for("week", date(2026, 1, 1)).start == date(2025, 12, 29)


@pytest.mark.parametrize(
    ("period", "previous"),
    [
        (Period(PeriodKind.DAY, date(2026, 11, 1), date(2026, 11, 1)),
         Period(PeriodKind.DAY, date(2026, 10, 31), date(2026, 10, 31))),
        (Period(PeriodKind.WEEK, date(2026, 11, 16), date(2026, 11, 22)),
         Period(PeriodKind.WEEK, date(2026, 11, 9), date(2026, 11, 15))),
        (Period(PeriodKind.MONTH, date(2026, 3, 1), date(2026, 3, 31)),
         Period(PeriodKind.MONTH, date(2026, 2, 1), date(2026, 2, 28))),
        (Period(PeriodKind.MONTH, date(2026, 1, 1), date(2026, 1, 31)),
         Period(PeriodKind.MONTH, date(2025, 12, 1), date(2025, 12, 31))),
        (Period(PeriodKind.MONTH, date(2028, 3, 1), date(2028, 3, 31)),
         Period(PeriodKind.MONTH, date(2028, 2, 1), date(2028, 2, 29))),
        (Period(PeriodKind.RANGE, date(2026, 11, 1), date(2026, 11, 15)),
         Period(PeriodKind.RANGE, date(2026, 10, 17), date(2026, 10, 31))),
        (Period(PeriodKind.RANGE, date(2026, 3, 1), date(2026, 3, 1)),
         Period(PeriodKind.RANGE, date(2026, 2, 28), date(2026, 2, 28))),
    ],
)  # fmt: skip
def test_the_period_before(period: Period, previous: Period) -> None:
    assert period.previous() == previous


@pytest.mark.parametrize(
    ("args", "code", "field"),
    [
        (("range", date(2026, 1, 1)), "range_needs_dates", "start"),
        (("range", date(2026, 1, 1), date(2026, 1, 1)), "range_needs_dates", "end"),
        (("range", date(2026, 1, 1), date(2026, 6, 10), date(2026, 6, 1)), "end_before_start",
         "end"),
        (("range", date(2026, 1, 1), date(2025, 1, 1), date(2026, 6, 1)), "range_too_long", "end"),
        (("year", date(2026, 1, 1)), "unknown_period", "period"),
    ],
)  # fmt: skip
def test_refusals_name_the_field(args: tuple[object, ...], code: str, field: str) -> None:
    with pytest.raises(ReportError) as caught:
        period_for(*args)  # type: ignore[arg-type]
    assert isinstance(caught.value, CodedError)
    assert (caught.value.code, caught.value.field) == (code, field)


def test_a_range_of_366_days_is_the_longest() -> None:
    period = period_for("range", date(2026, 1, 1), date(2027, 1, 1), date(2028, 1, 1))
    assert len(period.days()) == 366
    with pytest.raises(ReportError):
        period_for("range", date(2026, 1, 1), date(2027, 1, 1), date(2028, 1, 2))


def test_a_period_cannot_end_before_it_starts() -> None:
    with pytest.raises(ReportError) as caught:
        Period(PeriodKind.DAY, date(2026, 1, 2), date(2026, 1, 1))
    assert caught.value.code == "end_before_start"
