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


@lru_cache(maxsize=32)
def vietnam_public_holidays(year: int, language: str = "vi") -> Mapping[date, str]:
    """Vietnamese public holidays of a year with their names (lunar dates included).

    `language` is "vi" (default) or "en_US", as the holidays package names its translations.
    """
    return dict(holidays.country_holidays("VN", years=year, language=language).items())


class OverrideKind(StrEnum):
    """How a per-year override changes a date."""

    WORKDAY = "workday"  # a make-up working day (usually a Saturday)
    DAY_OFF = "day_off"  # an extra day off (a swapped day, a local holiday)
    HOURS = "hours"  # a working day with changed hours


@dataclass(frozen=True, slots=True, kw_only=True)
class CalendarOverride:
    """One date the office announced differently from its usual schedule."""

    day: date
    kind: OverrideKind
    name: str = ""
    hours: SeasonHours | None = None

    def to_dict(self) -> dict[str, str]:
        """The stored form: ISO date, kind, name and, for changed hours, four HH:MM fields."""
        out = {"date": self.day.isoformat(), "kind": self.kind.value, "name": self.name}
        if self.hours is not None:
            for part in ("morning_start", "morning_end", "afternoon_start", "afternoon_end"):
                out[part] = getattr(self.hours, part).strftime("%H:%M")
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CalendarOverride:
        """Parse and validate the stored form; raise ScheduleError naming the bad field."""
        try:
            day = date.fromisoformat(str(data.get("date", "")))
        except ValueError as err:
            raise ScheduleError("invalid_date", "date") from err
        try:
            kind = OverrideKind(str(data.get("kind", "")))
        except ValueError as err:
            raise ScheduleError("invalid_kind", "kind") from err
        hours = None
        if kind is OverrideKind.HOURS:
            hours = SeasonHours(
                morning_start=_parse_time(data, "morning_start"),
                morning_end=_parse_time(data, "morning_end"),
                afternoon_start=_parse_time(data, "afternoon_start"),
                afternoon_end=_parse_time(data, "afternoon_end"),
            )
            if hours.morning_end <= hours.morning_start:
                raise ScheduleError("end_before_start", "morning_end")
            if hours.afternoon_end <= hours.afternoon_start:
                raise ScheduleError("end_before_start", "afternoon_end")
            if hours.afternoon_start < hours.morning_end:
                raise ScheduleError("sessions_overlap", "afternoon_start")
        return cls(day=day, kind=kind, name=str(data.get("name", "")).strip(), hours=hours)


def overrides_from_list(items: Iterable[Mapping[str, Any]]) -> list[CalendarOverride]:
    """Parse stored overrides; raise ScheduleError("duplicate_date", "date") on a repeated date."""
    overrides = [CalendarOverride.from_dict(item) for item in items]
    days = [o.day for o in overrides]
    if len(days) != len(set(days)):
        raise ScheduleError("duplicate_date", "date")
    return sorted(overrides, key=lambda o: o.day)


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


@dataclass(frozen=True, slots=True, kw_only=True)
class AgendaItem:
    """A calendar item: a working session, or (session None) a named day off."""

    day: date
    session: Session | None
    name: str | None
    note: OverrideKind | None


@dataclass(slots=True, kw_only=True)
class WorkingCalendar:
    """Answers 'is the office working now?' for a schedule, holidays and overrides."""

    schedule: WorkingSchedule
    extra_workdays: frozenset[date] = frozenset()
    extra_days_off: Mapping[date, str] = field(default_factory=dict)
    special_hours: Mapping[date, SeasonHours] = field(default_factory=dict)
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

    def with_override_list(self, overrides: Iterable[CalendarOverride]) -> WorkingCalendar:
        """A copy with the office's announced overrides applied (one override per date)."""
        workdays: set[date] = set()
        days_off: dict[date, str] = {}
        hours: dict[date, SeasonHours] = {}
        for item in overrides:
            if item.kind is OverrideKind.WORKDAY:
                workdays.add(item.day)
            elif item.kind is OverrideKind.DAY_OFF:
                days_off[item.day] = item.name or "Nghỉ"
            elif item.hours is not None:
                hours[item.day] = item.hours
        return replace(
            self,
            extra_workdays=self.extra_workdays | frozenset(workdays),
            extra_days_off={**self.extra_days_off, **days_off},
            special_hours={**self.special_hours, **hours},
        )

    def day_info(self, day: date) -> DayInfo:
        """Classify a date: public holiday, extra day off, make-up working day, weekend."""
        holiday_name = self.holiday_source(day.year).get(day)
        if holiday_name is None:
            holiday_name = self.extra_days_off.get(day)
        special = self.special_hours.get(day)
        if day in self.extra_days_off:
            working = False
        elif day in self.extra_workdays or special is not None:
            working = True
        elif holiday_name is not None:
            working = False
        else:
            working = day.weekday() in self.schedule.workdays
        hours = special or self.schedule.season_of(day)
        sessions = hours.sessions() if working else ()
        return DayInfo(day=day, working=working, holiday_name=holiday_name, sessions=sessions)

    def agenda(self, first: date, last: date) -> list[AgendaItem]:
        """What happens each day from `first` to `last` inclusive: sessions and days off.

        A working day gives one item per session (an announced make-up day or changed hours
        says so in `note`); a public holiday or an announced day off gives one all-day item.
        Ordinary weekends give nothing.
        """
        items: list[AgendaItem] = []
        day = first
        while day <= last:
            info = self.day_info(day)
            if info.working:
                note = None
                if day in self.special_hours:
                    note = OverrideKind.HOURS
                elif day in self.extra_workdays:
                    note = OverrideKind.WORKDAY
                items.extend(
                    AgendaItem(day=day, session=session, name=None, note=note)
                    for session in info.sessions
                )
            elif info.holiday_name is not None:
                note = OverrideKind.DAY_OFF if day in self.extra_days_off else None
                items.append(AgendaItem(day=day, session=None, name=info.holiday_name, note=note))
            day += timedelta(days=1)
        return items

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
