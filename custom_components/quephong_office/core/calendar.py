"""Working calendar of a People's Committee office.

Pure Python: no Home Assistant, time is always passed in. A schedule has two seasons
(summer and winter hours, as Nghệ An announces them each year), each with a morning and an
afternoon session; weekends and Vietnamese public holidays are days off; per-year overrides
mark make-up working days and extra days off.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any

import holidays

from .errors import CodedError


class SessionState(StrEnum):
    """What part of the working day a moment falls in."""

    MORNING = "morning"
    AFTERNOON = "afternoon"
    BREAK = "break"
    OFF = "off"
    HOLIDAY = "holiday"


class ScheduleError(CodedError):
    """A schedule that cannot work; `code` names the problem, `field` the offending field."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Session:
    """One working session of a day, e.g. the morning 07:00–11:30."""

    key: SessionState
    start: time
    end: time


@dataclass(frozen=True, slots=True, kw_only=True)
class SeasonHours:
    """Morning and afternoon hours of a season."""

    morning_start: time
    morning_end: time
    afternoon_start: time
    afternoon_end: time

    def sessions(self) -> tuple[Session, Session]:
        """The two sessions of a working day in this season."""
        return (
            Session(key=SessionState.MORNING, start=self.morning_start, end=self.morning_end),
            Session(key=SessionState.AFTERNOON, start=self.afternoon_start, end=self.afternoon_end),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkingSchedule:
    """The office's hours: summer from `summer_start` (month, day), winter from `winter_start`."""

    summer: SeasonHours
    winter: SeasonHours
    summer_start: tuple[int, int] = (4, 16)
    winter_start: tuple[int, int] = (10, 16)
    workdays: frozenset[int] = frozenset(range(5))  # Monday=0 … Friday=4

    def season_of(self, day: date) -> SeasonHours:
        """Summer between summer_start and the day before winter_start, winter otherwise."""
        key = (day.month, day.day)
        if self.summer_start <= key < self.winter_start:
            return self.summer
        return self.winter

    def validate(self) -> None:
        """Raise ScheduleError when a session ends before it starts or sessions overlap."""
        for prefix, season in (("summer", self.summer), ("winter", self.winter)):
            if season.morning_end <= season.morning_start:
                raise ScheduleError("end_before_start", f"{prefix}_morning_end")
            if season.afternoon_end <= season.afternoon_start:
                raise ScheduleError("end_before_start", f"{prefix}_afternoon_end")
            if season.afternoon_start < season.morning_end:
                raise ScheduleError("sessions_overlap", f"{prefix}_afternoon_start")
        for name, (month, day) in (
            ("summer_start", self.summer_start),
            ("winter_start", self.winter_start),
        ):
            try:
                date(2024, month, day)  # a leap year accepts 29/2
            except ValueError as err:
                raise ScheduleError("invalid_date", name) from err
        if self.winter_start <= self.summer_start:
            raise ScheduleError("season_order", "winter_start")


def _t(value: str) -> time:
    return time.fromisoformat(value)


#: Nghệ An: summer 16/4–15/10 07:00–11:30, 13:30–17:00; winter 07:30–12:00, 13:30–17:00.
NGHE_AN = WorkingSchedule(
    summer=SeasonHours(
        morning_start=_t("07:00"),
        morning_end=_t("11:30"),
        afternoon_start=_t("13:30"),
        afternoon_end=_t("17:00"),
    ),
    winter=SeasonHours(
        morning_start=_t("07:30"),
        morning_end=_t("12:00"),
        afternoon_start=_t("13:30"),
        afternoon_end=_t("17:00"),
    ),
)

#: The same hours all year (08:00–12:00, 13:00–17:00), for units that do not change seasonally.
YEAR_ROUND = WorkingSchedule(
    summer=SeasonHours(
        morning_start=_t("08:00"),
        morning_end=_t("12:00"),
        afternoon_start=_t("13:00"),
        afternoon_end=_t("17:00"),
    ),
    winter=SeasonHours(
        morning_start=_t("08:00"),
        morning_end=_t("12:00"),
        afternoon_start=_t("13:00"),
        afternoon_end=_t("17:00"),
    ),
)

PRESETS: Mapping[str, WorkingSchedule] = {"nghe_an": NGHE_AN, "year_round": YEAR_ROUND}

#: Keys under which a schedule is stored in a config entry (times as "HH:MM", dates as "MM-DD").
SCHEDULE_FIELDS = (
    "summer_start",
    "winter_start",
    "summer_morning_start",
    "summer_morning_end",
    "summer_afternoon_start",
    "summer_afternoon_end",
    "winter_morning_start",
    "winter_morning_end",
    "winter_afternoon_start",
    "winter_afternoon_end",
)


def schedule_to_dict(schedule: WorkingSchedule) -> dict[str, str]:
    """Flatten a schedule into the string fields stored in a config entry."""
    out: dict[str, str] = {
        "summer_start": f"{schedule.summer_start[0]:02d}-{schedule.summer_start[1]:02d}",
        "winter_start": f"{schedule.winter_start[0]:02d}-{schedule.winter_start[1]:02d}",
    }
    for prefix, season in (("summer", schedule.summer), ("winter", schedule.winter)):
        for part in ("morning_start", "morning_end", "afternoon_start", "afternoon_end"):
            out[f"{prefix}_{part}"] = getattr(season, part).strftime("%H:%M")
    return out


def _parse_time(data: Mapping[str, Any], key: str) -> time:
    try:
        return time.fromisoformat(str(data[key]))
    except (KeyError, ValueError) as err:
        raise ScheduleError("invalid_time", key) from err


def _parse_month_day(data: Mapping[str, Any], key: str) -> tuple[int, int]:
    text = str(data.get(key, ""))
    try:
        month, day = (int(part) for part in text.split("-"))
    except ValueError as err:
        raise ScheduleError("invalid_date", key) from err
    return month, day


def schedule_from_dict(data: Mapping[str, Any]) -> WorkingSchedule:
    """Build and validate a schedule from stored fields; raise ScheduleError on bad input."""
    seasons = {
        prefix: SeasonHours(
            morning_start=_parse_time(data, f"{prefix}_morning_start"),
            morning_end=_parse_time(data, f"{prefix}_morning_end"),
            afternoon_start=_parse_time(data, f"{prefix}_afternoon_start"),
            afternoon_end=_parse_time(data, f"{prefix}_afternoon_end"),
        )
        for prefix in ("summer", "winter")
    }
    schedule = WorkingSchedule(
        summer=seasons["summer"],
        winter=seasons["winter"],
        summer_start=_parse_month_day(data, "summer_start"),
        winter_start=_parse_month_day(data, "winter_start"),
    )
    schedule.validate()
    return schedule


@lru_cache(maxsize=16)
def vietnam_public_holidays(year: int) -> Mapping[date, str]:
    """Vietnamese public holidays of a year with their Vietnamese names (lunar dates included)."""
    return dict(holidays.country_holidays("VN", years=year, language="vi").items())


@dataclass(frozen=True, slots=True, kw_only=True)
class DayInfo:
    """What kind of day a date is for the office."""

    day: date
    working: bool
    holiday_name: str | None
    sessions: tuple[Session, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class CalendarState:
    """Where a moment falls: the session state and, in a session, which session."""

    state: SessionState
    session: Session | None
    day: DayInfo

    @property
    def is_working_time(self) -> bool:
        """True inside a morning or afternoon session of a working day."""
        return self.session is not None


@dataclass(slots=True, kw_only=True)
class WorkingCalendar:
    """Answers 'is the office working now?' for a schedule, holidays and overrides."""

    schedule: WorkingSchedule
    extra_workdays: frozenset[date] = frozenset()
    extra_days_off: Mapping[date, str] = field(default_factory=dict)
    holiday_source: Callable[[int], Mapping[date, str]] = vietnam_public_holidays

    def with_overrides(
        self,
        *,
        extra_workdays: Iterable[date] = (),
        extra_days_off: Mapping[date, str] | None = None,
    ) -> WorkingCalendar:
        """A copy with make-up working days and extra days off added."""
        return replace(
            self,
            extra_workdays=self.extra_workdays | frozenset(extra_workdays),
            extra_days_off={**self.extra_days_off, **(extra_days_off or {})},
        )

    def day_info(self, day: date) -> DayInfo:
        """Classify a date: public holiday, extra day off, make-up working day, weekend."""
        holiday_name = self.holiday_source(day.year).get(day)
        if holiday_name is None:
            holiday_name = self.extra_days_off.get(day)
        if day in self.extra_workdays and day not in self.extra_days_off:
            working = True
        elif holiday_name is not None:
            working = False
        else:
            working = day.weekday() in self.schedule.workdays
        sessions = self.schedule.season_of(day).sessions() if working else ()
        return DayInfo(day=day, working=working, holiday_name=holiday_name, sessions=sessions)

    def state_at(self, moment: datetime) -> CalendarState:
        """The session state at an aware local datetime."""
        info = self.day_info(moment.date())
        if not info.working:
            state = SessionState.HOLIDAY if info.holiday_name else SessionState.OFF
            return CalendarState(state=state, session=None, day=info)
        now = moment.timetz().replace(tzinfo=None)
        for session in info.sessions:
            if session.start <= now < session.end:
                return CalendarState(state=session.key, session=session, day=info)
        first, last = info.sessions[0], info.sessions[-1]
        state = SessionState.BREAK if first.start <= now < last.end else SessionState.OFF
        return CalendarState(state=state, session=None, day=info)

    def next_change(self, moment: datetime) -> datetime:
        """The next moment after `moment` at which `state_at` may change (boundary or midnight)."""
        info = self.day_info(moment.date())
        now = moment.timetz().replace(tzinfo=None)
        for session in info.sessions:
            for boundary in (session.start, session.end):
                if boundary > now:
                    return moment.replace(
                        hour=boundary.hour,
                        minute=boundary.minute,
                        second=0,
                        microsecond=0,
                    )
        midnight = datetime.combine(moment.date() + timedelta(days=1), time(0), moment.tzinfo)
        return midnight
