"""Calendars: the office's working calendar, and its leave and business-trip calendar.

The working calendar shows every session (marked when it is a make-up day or has changed
hours), public holidays and announced days off. The leave calendar shows registered leave
and business trips; adding an event to it registers leave for the staff member named in its
title ("công tác" or "business trip" in the title makes it a business trip), deleting one
withdraws it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from homeassistant.components.calendar import CalendarEntity, CalendarEvent
from homeassistant.components.calendar.const import CalendarEntityFeature
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .core.calendar import AgendaItem, OverrideKind, vietnam_public_holidays
from .core.rules.attendance import Leave, LeaveKind
from .core.rules.violations import RuleError
from .entity import OfficeRulesEntity
from .runtime import QuephongConfigEntry

PARALLEL_UPDATES = 0

#: Labels of calendar items, by language ("vi" first; anything else gets English).
LABELS: dict[str, dict[str, str]] = {
    "vi": {
        "morning": "Buổi sáng",
        "afternoon": "Buổi chiều",
        OverrideKind.WORKDAY: "làm bù",
        OverrideKind.HOURS: "đổi giờ",
        OverrideKind.DAY_OFF: "nghỉ theo thông báo",
        LeaveKind.LEAVE: "Nghỉ phép",
        LeaveKind.BUSINESS_TRIP: "Công tác",
    },
    "en": {
        "morning": "Morning session",
        "afternoon": "Afternoon session",
        OverrideKind.WORKDAY: "make-up day",
        OverrideKind.HOURS: "changed hours",
        OverrideKind.DAY_OFF: "announced day off",
        LeaveKind.LEAVE: "Leave",
        LeaveKind.BUSINESS_TRIP: "Business trip",
    },
}
TRIP_WORDS = ("công tác", "cong tac", "business trip")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: QuephongConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """The office's two calendars."""
    async_add_entities([WorkingCalendarEntity(entry), LeaveCalendarEntity(entry)])


def _labels(hass: HomeAssistant) -> dict[str, str]:
    return LABELS["vi" if hass.config.language.startswith("vi") else "en"]


class WorkingCalendarEntity(OfficeRulesEntity, CalendarEntity):
    """Sessions, holidays and announced days of the office."""

    def __init__(self, entry: QuephongConfigEntry) -> None:
        """The office's working calendar."""
        super().__init__(entry, "working_calendar")

    def _event(self, item: AgendaItem) -> CalendarEvent:
        labels = _labels(self.hass)
        if item.session is None:
            name = item.name or ""
            if not self.hass.config.language.startswith("vi"):
                name = vietnam_public_holidays(item.day.year, "en_US").get(item.day, name)
            if item.note is not None:
                name = f"{name} ({labels[item.note]})"
            return CalendarEvent(
                start=item.day, end=item.day + timedelta(days=1), summary=name, uid=str(item.day)
            )
        tz = dt_util.get_default_time_zone()
        summary = labels[item.session.key.value]
        if item.note is not None:
            summary = f"{summary} ({labels[item.note]})"
        return CalendarEvent(
            start=datetime.combine(item.day, item.session.start, tz),
            end=datetime.combine(item.day, item.session.end, tz),
            summary=summary,
            uid=f"{item.day}-{item.session.key.value}",
        )

    @property
    def event(self) -> CalendarEvent | None:
        """The current session or day off, else the next one within two weeks."""
        now = dt_util.now()
        for item in self.rules.rules.calendar.agenda(now.date(), now.date() + timedelta(days=14)):
            event = self._event(item)
            if event.end_datetime_local > now:
                return event
        return None

    async def async_get_events(
        self, hass: HomeAssistant, start_date: datetime, end_date: datetime
    ) -> list[CalendarEvent]:
        """Items overlapping [start_date, end_date)."""
        items = await hass.async_add_executor_job(
            self.rules.rules.calendar.agenda, start_date.date(), end_date.date()
        )
        events = [self._event(item) for item in items]
        return [
            e
            for e in events
            if e.start_datetime_local < end_date and e.end_datetime_local > start_date
        ]


class LeaveCalendarEntity(OfficeRulesEntity, CalendarEntity):
    """Registered leave and business trips."""

    _attr_supported_features = (
        CalendarEntityFeature.CREATE_EVENT | CalendarEntityFeature.DELETE_EVENT
    )

    def __init__(self, entry: QuephongConfigEntry) -> None:
        """The office's leave calendar."""
        super().__init__(entry, "leave_calendar")

    def _event(self, leave: Leave) -> CalendarEvent:
        staff = self.rules.staff.get(leave.staff)
        name = staff.name if staff else leave.staff
        return CalendarEvent(
            start=dt_util.as_local(leave.start),
            end=dt_util.as_local(leave.end),
            summary=f"{_labels(self.hass)[leave.kind]}: {name}",
            description=leave.reason or None,
            uid=leave.id,
        )

    @property
    def event(self) -> CalendarEvent | None:
        """The leave in progress or starting next."""
        now = dt_util.now()
        upcoming = sorted(
            (lv for lv in self.rules.rules.leaves.values() if lv.end > now), key=lambda lv: lv.start
        )
        return self._event(upcoming[0]) if upcoming else None

    async def async_get_events(
        self, hass: HomeAssistant, start_date: datetime, end_date: datetime
    ) -> list[CalendarEvent]:
        """Leaves overlapping [start_date, end_date)."""
        return [
            self._event(lv)
            for lv in sorted(self.rules.rules.leaves.values(), key=lambda lv: lv.start)
            if lv.covers(start_date, end_date)
        ]

    async def async_create_event(self, **kwargs: Any) -> None:
        """Register leave for the staff member named in the title."""
        summary = str(kwargs.get("summary", ""))
        staff_id = self._staff_named(summary)
        start, end = _bounds(kwargs["dtstart"], kwargs["dtend"])
        kind = (
            LeaveKind.BUSINESS_TRIP
            if any(word in summary.casefold() for word in TRIP_WORDS)
            else LeaveKind.LEAVE
        )
        try:
            _leave, events = self.rules.rules.add_leave(
                dt_util.now(), staff_id, start, end, kind, str(kwargs.get("description") or "")
            )
        except RuleError as err:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key=err.code
            ) from err
        self.rules.async_apply(events)

    async def async_delete_event(
        self, uid: str, recurrence_id: str | None = None, recurrence_range: str | None = None
    ) -> None:
        """Withdraw a registered leave."""
        try:
            events = self.rules.rules.remove_leave(dt_util.now(), uid)
        except RuleError as err:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key=err.code
            ) from err
        self.rules.async_apply(events)

    def _staff_named(self, summary: str) -> str:
        """The staff member whose name appears in the title (the longest match wins)."""
        text = summary.casefold()
        matches = [s for s in self.rules.staff.values() if s.name.casefold() in text]
        if not matches:
            raise ServiceValidationError(translation_domain=DOMAIN, translation_key="unknown_staff")
        return max(matches, key=lambda s: len(s.name)).subentry_id


def _bounds(start: date | datetime, end: date | datetime) -> tuple[datetime, datetime]:
    """Aware local datetimes for an event's bounds (all-day events start and end at midnight)."""

    def _local(value: date | datetime) -> datetime:
        if isinstance(value, datetime):
            return (
                dt_util.as_local(value)
                if value.tzinfo
                else value.replace(tzinfo=dt_util.get_default_time_zone())
            )
        return datetime.combine(value, datetime.min.time(), dt_util.get_default_time_zone())

    return _local(start), _local(end)
