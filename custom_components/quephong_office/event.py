"""Event entities: what the rules report, per desk, per staff member and for the office.

Automations trigger on these (or on the `quephong_office_violation` bus event). Each event
carries the violation's documented payload when it is about one.
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.event import EventEntity
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .core.rules.violations import EventKind, RuleEvent, ViolationType
from .entity import DeskRulesEntity, OfficeRulesEntity, StaffEntity
from .rules_runtime import RulesRuntime, StaffInfo
from .runtime import QuephongConfigEntry, ZoneInfo

PARALLEL_UPDATES = 0

DESK_EVENTS = ["unattended", "staffed"]
STAFF_EVENTS = [
    "arrival",
    "departure",
    ViolationType.LATE_ARRIVAL.value,
    ViolationType.EARLY_DEPARTURE.value,
    ViolationType.ABSENCE.value,
]
OFFICE_EVENTS = [
    *(t.value for t in ViolationType),
    EventKind.GATHERING_ENDED.value,
    EventKind.INTRUSION_ENDED.value,
    EventKind.VIOLATION_DISMISSED.value,
]


async def async_setup_entry(
    hass: HomeAssistant,
    entry: QuephongConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """An event entity for the office, each desk and each staff member."""
    runtime = entry.runtime_data
    rules = runtime.rules
    assert rules is not None
    async_add_entities([OfficeEvents(entry)])
    for desk_id in rules.rules.desks:
        zone = runtime.zones[desk_id]
        async_add_entities([DeskEvents(entry, zone)], config_subentry_id=desk_id)
    for staff in runtime.staff.values():
        async_add_entities([StaffEvents(entry, staff)], config_subentry_id=staff.subentry_id)


def event_type(event: RuleEvent) -> str:
    """The event type an entity shows for a rule event."""
    if event.kind is EventKind.VIOLATION and event.violation is not None:
        return event.violation.type.value
    return event.kind.value


def event_attributes(rules: RulesRuntime, event: RuleEvent) -> dict[str, Any]:
    """The violation's payload, or the plain facts of an arrival or departure."""
    if event.violation is not None:
        return {**rules.payload(event.violation), **event.data}
    return {"at": event.at.isoformat(), **event.data}


class _RuleEventEntity(EventEntity):
    rules: RulesRuntime

    @callback
    def _wanted(self, event: RuleEvent) -> str | None:
        raise NotImplementedError

    @callback
    def _async_on_event(self, event: RuleEvent) -> None:
        kind = self._wanted(event)
        if kind is not None:
            self._trigger_event(kind, event_attributes(self.rules, event))
            self.async_write_ha_state()

    async def async_added_to_hass(self) -> None:
        """Hear the rules' events."""
        await super().async_added_to_hass()
        self.async_on_remove(self.rules.async_add_event_listener(self._async_on_event))


class OfficeEvents(_RuleEventEntity, OfficeRulesEntity):
    """Every violation of the office, its end and its dismissal."""

    _attr_event_types = OFFICE_EVENTS

    def __init__(self, entry: QuephongConfigEntry) -> None:
        """The office's violations."""
        super().__init__(entry, "violations")

    @callback
    def _wanted(self, event: RuleEvent) -> str | None:
        kind = event_type(event)
        return kind if kind in OFFICE_EVENTS else None


class DeskEvents(_RuleEventEntity, DeskRulesEntity):
    """A desk became unattended, or was staffed again."""

    _attr_event_types = DESK_EVENTS

    def __init__(self, entry: QuephongConfigEntry, zone: ZoneInfo) -> None:
        """The desk's events."""
        super().__init__(entry, zone, "desk_events")

    @property
    def available(self) -> bool:
        """Events stay available while the camera is down (the last one still stands)."""
        return True

    @callback
    def _wanted(self, event: RuleEvent) -> str | None:
        if event.desk != self.zone.subentry_id:
            return None
        if event.kind is EventKind.DESK_STAFFED:
            return "staffed"
        if event.violation is not None and event.violation.type is ViolationType.UNATTENDED_DESK:
            return "unattended" if event.kind is EventKind.VIOLATION else None
        return None


class StaffEvents(_RuleEventEntity, StaffEntity):
    """A staff member arrived, left, was late, left early or was absent."""

    _attr_event_types = STAFF_EVENTS

    def __init__(self, entry: QuephongConfigEntry, staff: StaffInfo) -> None:
        """The staff member's attendance events."""
        super().__init__(entry, staff, "attendance")

    @callback
    def _wanted(self, event: RuleEvent) -> str | None:
        if event.staff != self.staff.subentry_id or event.desk is not None:
            return None
        kind = event_type(event)
        return kind if kind in STAFF_EVENTS else None
