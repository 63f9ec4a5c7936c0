"""Report periods: a day, a Monday-to-Sunday week, a calendar month or a range of dates.

A period knows the one before it (for the comparison every report makes), its days, its
Vietnamese label and the slug its files are named with.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from custom_components.quephong_office.core.errors import CodedError

#: The longest range a report may cover (days, both ends included).
MAX_RANGE_DAYS = 366


class ReportError(CodedError):
    """A report that cannot be made (no dates for a range, …); `code` says why."""


class PeriodKind(StrEnum):
    """How a report period is chosen."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    RANGE = "range"


def dmy(day: date) -> str:
    """A date as Vietnamese documents write it in figures: "23/11/2026"."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


@dataclass(frozen=True, slots=True)
class Period:
    """The dates a report covers, `start` to `end` inclusive."""

    kind: PeriodKind
    start: date
    end: date

    def __post_init__(self) -> None:
        """Refuse a period that ends before it starts."""
        if self.end < self.start:
            raise ReportError("end_before_start", "end")

    def previous(self) -> Period:
        """The period just before: the day, week or month before, or as many days before."""
        if self.kind is PeriodKind.MONTH:
            end = self.start.replace(day=1) - timedelta(days=1)
            return Period(self.kind, end.replace(day=1), end)
        length = (self.end - self.start).days + 1
        if self.kind is PeriodKind.WEEK:
            length = 7
        start = self.start - timedelta(days=length)
        return Period(self.kind, start, start + timedelta(days=length - 1))

    def days(self) -> list[date]:
        """Every date of the period, in order."""
        count = (self.end - self.start).days + 1
        return [self.start + timedelta(days=i) for i in range(count)]

    @property
    def label(self) -> str:
        """The period in words, e.g. "tháng 11 năm 2026" or "ngày 23/11/2026"."""
        if self.kind is PeriodKind.DAY:
            return f"ngày {dmy(self.start)}"
        if self.kind is PeriodKind.MONTH:
            return f"tháng {self.start.month} năm {self.start.year}"
        span = f"từ ngày {dmy(self.start)} đến ngày {dmy(self.end)}"
        return f"tuần {span}" if self.kind is PeriodKind.WEEK else span

    @property
    def slug(self) -> str:
        """For file names: "2026-11-23", "2026-W47", "2026-11", "2026-11-01_2026-11-15"."""
        if self.kind is PeriodKind.DAY:
            return self.start.isoformat()
        if self.kind is PeriodKind.WEEK:
            week = self.start.isocalendar()
            return f"{week.year}-W{week.week:02d}"
        if self.kind is PeriodKind.MONTH:
            return f"{self.start.year}-{self.start.month:02d}"
        return f"{self.start.isoformat()}_{self.end.isoformat()}"


def period_for(
    kind: PeriodKind | str, day: date, start: date | None = None, end: date | None = None
) -> Period:
    """The day, week or month holding `day`, or the range `start`–`end` (`day` unused).

    Raises ReportError: "unknown_period", "range_needs_dates", "end_before_start" or
    "range_too_long" (more than MAX_RANGE_DAYS days).
    """
    try:
        kind = PeriodKind(kind)
    except ValueError as err:
        raise ReportError("unknown_period", "period") from err
    if kind is PeriodKind.DAY:
        return Period(kind, day, day)
    if kind is PeriodKind.WEEK:
        monday = day - timedelta(days=day.weekday())
        return Period(kind, monday, monday + timedelta(days=6))
    if kind is PeriodKind.MONTH:
        first = day.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        return Period(kind, first, following - timedelta(days=1))
    if start is None or end is None:
        raise ReportError("range_needs_dates", "start" if start is None else "end")
    if end < start:
        raise ReportError("end_before_start", "end")
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        raise ReportError("range_too_long", "end")
    return Period(kind, start, end)
