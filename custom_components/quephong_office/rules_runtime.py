"""Runs the office's rules inside Home Assistant.

Feeds the pure `OfficeRules` with what Home Assistant knows (zone readings from the camera
analyses, staff members' presence entities, Frigate face matches, check-ins), wakes it at
its next deadline, publishes what it reports (bus events, event entities, sensors) and keeps
its state in Home Assistant's Store so that a restart loses nothing and fires nothing twice.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import STATE_HOME, STATE_ON, STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import (
    CALLBACK_TYPE,
    Event,
    EventStateChangedData,
    HassJob,
    HomeAssistant,
    State,
    callback,
)
from homeassistant.helpers.event import (
    async_track_point_in_time,
    async_track_state_change_event,
    async_track_time_interval,
)
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import (
    CONF_DEPARTMENT,
    CONF_DESK,
    CONF_EMAIL,
    CONF_FRIGATE_CAMERA,
    CONF_FRIGATE_NAME,
    CONF_PHONE,
    CONF_POSITION,
    CONF_PRESENCE_ENTITIES,
    CONF_ZALO_USER_ID,
    DOMAIN,
    EVENT_VIOLATION,
    EVENT_VIOLATION_DISMISSED,
    FRIGATE_EVENTS_TOPIC,
    FRIGATE_TRACKED_TOPIC,
    LOGGER,
    NO_DESK,
    RULES_REFRESH_INTERVAL,
    RULES_SAVE_DELAY,
    SUBENTRY_STAFF,
)
from .core.calendar import WorkingCalendar
from .core.rules.attendance import StaffSpec
from .core.rules.desks import DeskSpec
from .core.rules.engine import OfficeRules
from .core.rules.settings import RuleSettings
from .core.rules.violations import EventKind, RuleEvent, Violation
from .core.rules.zones import ZoneWatchSpec
from .listeners import Listeners, shutting_down
from .runtime import Analysis, OfficeInfo, ZoneInfo

#: Entity states that mean "present" for a staff member's presence entity.
PRESENT_STATES = frozenset({STATE_ON, STATE_HOME})


@dataclass(frozen=True, slots=True, kw_only=True)
class StaffInfo:
    """A staff member, as configured in a staff subentry."""

    subentry_id: str
    name: str
    position: str = ""
    department: str = ""
    desk: str | None = None
    zalo_user_id: str | None = None
    phone: str | None = None
    email: str | None = None
    entities: tuple[str, ...] = ()
    frigate_name: str | None = None
    frigate_camera: str | None = None


def staff_of(entry: ConfigEntry[Any], zones: Mapping[str, ZoneInfo]) -> dict[str, StaffInfo]:
    """The office's staff members by subentry id (a desk that no longer exists is dropped)."""
    staff: dict[str, StaffInfo] = {}
    for subentry_id, subentry in entry.subentries.items():
        if subentry.subentry_type != SUBENTRY_STAFF:
            continue
        data = subentry.data
        desk = data.get(CONF_DESK)
        staff[subentry_id] = StaffInfo(
            subentry_id=subentry_id,
            name=subentry.title,
            position=data.get(CONF_POSITION, ""),
            department=data.get(CONF_DEPARTMENT, ""),
            desk=desk if desk and desk != NO_DESK and desk in zones else None,
            zalo_user_id=data.get(CONF_ZALO_USER_ID) or None,
            phone=data.get(CONF_PHONE) or None,
            email=data.get(CONF_EMAIL) or None,
            entities=tuple(data.get(CONF_PRESENCE_ENTITIES, ())),
            frigate_name=data.get(CONF_FRIGATE_NAME) or None,
            frigate_camera=data.get(CONF_FRIGATE_CAMERA) or None,
        )
    return staff


def presence_of(state: State | None) -> bool | None:
    """What a presence entity's state says: present, away, or unknown."""
    if state is None or state.state in (STATE_UNAVAILABLE, STATE_UNKNOWN):
        return None
    return state.state in PRESENT_STATES


class RulesRuntime(Listeners):
    """The office's rules, fed and published; entities listen for changes and events."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry[Any],
        office: OfficeInfo,
        calendar: WorkingCalendar,
        settings: RuleSettings,
        staff: dict[str, StaffInfo],
        zones: dict[str, ZoneInfo],
        analyses: dict[str, Analysis],
    ) -> None:
        """Build the rules for the office's desks, staff and analysed zones."""
        super().__init__()
        self.hass = hass
        self.entry = entry
        self.office = office
        self.staff = staff
        self.zones = {k: z for k, z in zones.items() if not z.is_mask}
        self.analyses = analyses
        desk_staff = {s.desk: s.subentry_id for s in staff.values() if s.desk}
        self.rules = OfficeRules(
            calendar,
            settings,
            desks=[
                DeskSpec(id=z.subentry_id, name=z.name, staff=desk_staff.get(z.subentry_id))
                for z in self.zones.values()
                if z.kind == "desk"
            ],
            staff=[StaffSpec(id=s.subentry_id, name=s.name, desk=s.desk) for s in staff.values()],
            zones=[
                ZoneWatchSpec(
                    id=z.subentry_id,
                    name=z.name,
                    gatherings=z.gatherings,
                    after_hours=z.after_hours,
                )
                for z in self.zones.values()
            ],
        )
        self._store: Store[dict[str, Any]] = Store(hass, 1, f"{DOMAIN}.{entry.entry_id}.rules")
        self._event_listeners: list[Callable[[RuleEvent], None]] = []
        self._fed: dict[str, tuple[bool | None, int | None]] = {}
        self._unsubs: list[CALLBACK_TYPE] = []
        self._deadline_unsub: CALLBACK_TYPE | None = None
        self._stopped = False
        #: Stores a violation's evidence and returns its id; the bus event waits for it.
        self.capture: Callable[[Violation], Awaitable[str | None]] | None = None

    # --- lifecycle -------------------------------------------------------------------------

    async def async_start(self) -> None:
        """Restore what was saved, catch up to now, then follow readings and the clock."""
        now = dt_util.now()
        saved = await self._store.async_load()
        if saved:
            self.rules.restore(saved, now)
        self._handle(self.rules.advance(now))
        for camera_id, analysis in self.analyses.items():
            listener = partial(self._async_on_analysis, camera_id)
            self._unsubs.append(analysis.async_add_listener(listener))
            self._unsubs.append(analysis.monitor.async_add_listener(listener))
        entities = {e: s.subentry_id for s in self.staff.values() for e in s.entities}
        if entities:
            self._unsubs.append(
                async_track_state_change_event(
                    self.hass, list(entities), partial(self._async_on_entity, entities)
                )
            )
            for entity_id, staff_id in entities.items():
                self._feed_entity(staff_id, entity_id, self.hass.states.get(entity_id))
        self._unsubs.append(
            async_track_time_interval(
                self.hass,
                self._async_refresh,
                timedelta(seconds=RULES_REFRESH_INTERVAL),
                cancel_on_shutdown=True,
            )
        )
        await self._async_follow_frigate()
        self._schedule()

    async def async_stop(self) -> None:
        """Stop listening and save now."""
        if self._stopped:
            return
        self._stopped = True
        for unsub in self._unsubs:
            unsub()
        self._unsubs.clear()
        if self._deadline_unsub:
            self._deadline_unsub()
            self._deadline_unsub = None
        self.rules.advance(dt_util.now())
        await self._store.async_save(self.rules.to_dict())

    # --- readings --------------------------------------------------------------------------

    @callback
    def _async_on_analysis(self, camera_id: str) -> None:
        analysis = self.analyses[camera_id]
        result = analysis.result if analysis.monitor.available else None
        now = dt_util.now()
        events: list[RuleEvent] = []
        for zone in self.zones.values():
            if zone.camera_id != camera_id:
                continue
            reading = result.zones.get(zone.subentry_id) if result else None
            value = (reading.occupied, reading.count) if reading else (None, None)
            if self._fed.get(zone.subentry_id) == value:
                continue
            self._fed[zone.subentry_id] = value
            occupied, count = value
            if zone.subentry_id in self.rules.desks:
                events += self.rules.desk_reading(now, zone.subentry_id, occupied)
                staff_id = self.rules.desks[zone.subentry_id].spec.staff
                if staff_id is not None:
                    events += self.rules.staff_source(now, staff_id, "desk", occupied)
            events += self.rules.zone_reading(now, zone.subentry_id, count, occupied)
        if events:
            self._handle(events)

    @callback
    def _async_on_entity(
        self, entities: dict[str, str], event: Event[EventStateChangedData]
    ) -> None:
        entity_id = event.data["entity_id"]
        self._feed_entity(entities[entity_id], entity_id, event.data["new_state"])

    @callback
    def _feed_entity(self, staff_id: str, entity_id: str, state: State | None) -> None:
        self._handle(
            self.rules.staff_source(dt_util.now(), staff_id, entity_id, presence_of(state))
        )

    async def _async_follow_frigate(self) -> None:
        """Face matches from Frigate (through Home Assistant's MQTT) count as arrivals."""
        names = {s.frigate_name.casefold(): s for s in self.staff.values() if s.frigate_name}
        if not names or "mqtt" not in self.hass.config.components:
            return
        from homeassistant.components import mqtt  # noqa: PLC0415 - only when MQTT is set up

        @callback
        def _on_message(message: Any) -> None:
            for name, camera in frigate_matches(message.payload):
                staff = names.get(name.casefold())
                if staff is None or (staff.frigate_camera and staff.frigate_camera != camera):
                    continue
                self._handle(self.rules.check_in(dt_util.now(), staff.subentry_id, "frigate"))

        for topic in (FRIGATE_EVENTS_TOPIC, FRIGATE_TRACKED_TOPIC):
            self._unsubs.append(await mqtt.async_subscribe(self.hass, topic, _on_message))

    # --- services --------------------------------------------------------------------------

    @callback
    def async_apply(self, events: list[RuleEvent]) -> None:
        """Save and publish what a service call or a switch changed in the rules."""
        self._store.async_delay_save(self.rules.to_dict, RULES_SAVE_DELAY)
        self._handle(events)

    # --- publishing ------------------------------------------------------------------------

    @callback
    def async_add_event_listener(self, listener: Callable[[RuleEvent], None]) -> CALLBACK_TYPE:
        """Hear every event the rules report (event entities)."""
        self._event_listeners.append(listener)

        @callback
        def remove() -> None:
            self._event_listeners.remove(listener)

        return remove

    @callback
    def _handle(self, events: list[RuleEvent]) -> None:
        for event in events:
            violation = event.violation
            if event.kind is EventKind.VIOLATION and violation is not None:
                LOGGER.debug("Violation %s: %s", violation.type, violation.id)
                if self.capture is None:
                    self.hass.bus.async_fire(EVENT_VIOLATION, self.payload(violation))
                else:
                    self.hass.async_create_task(
                        self._async_fire_with_evidence(violation), eager_start=True
                    )
            elif event.kind is EventKind.VIOLATION_DISMISSED and violation is not None:
                self.hass.bus.async_fire(EVENT_VIOLATION_DISMISSED, self.payload(violation))
            for listener in list(self._event_listeners):
                listener(event)
        if events:
            self._store.async_delay_save(self.rules.to_dict, RULES_SAVE_DELAY)
        self._notify()
        self._schedule()

    async def _async_fire_with_evidence(self, violation: Violation) -> None:
        """Store the evidence first, so that the event carries its id."""
        assert self.capture is not None
        evidence_id = await self.capture(violation)
        if evidence_id is not None:
            violation.evidence_id = evidence_id
            self._store.async_delay_save(self.rules.to_dict, RULES_SAVE_DELAY)
        self.hass.bus.async_fire(EVENT_VIOLATION, self.payload(violation))

    def payload(self, violation: Violation) -> dict[str, Any]:
        """The documented payload of `quephong_office_violation` (and of its dismissal)."""
        staff = self.staff.get(violation.staff) if violation.staff else None
        desk = self.zones.get(violation.desk) if violation.desk else None
        zone = self.zones.get(violation.zone) if violation.zone else None
        dismissal = violation.dismissal
        return {
            "id": violation.id,
            "type": violation.type.value,
            "config_entry_id": self.entry.entry_id,
            "office": self.office.name,
            "unit_code": self.office.unit_code,
            "staff_id": violation.staff,
            "staff": staff.name if staff else None,
            "desk_id": violation.desk,
            "desk": desk.name if desk else None,
            "zone_id": violation.zone,
            "zone": zone.name if zone else None,
            "session": violation.session,
            "start": violation.start.isoformat(),
            "duration": round(violation.duration),
            "ongoing": violation.ongoing,
            "escalation": violation.escalation,
            "evidence_id": violation.evidence_id,
            "details": violation.details,
            "dismissed": dismissal is not None,
            "dismissal_reason": dismissal.reason if dismissal else None,
        }

    @callback
    def _async_refresh(self, _now: datetime) -> None:
        self._handle(self.rules.advance(dt_util.now()))

    @callback
    def _schedule(self) -> None:
        if self._stopped or shutting_down(self.hass):
            return
        if self._deadline_unsub:
            self._deadline_unsub()
        self._deadline_unsub = async_track_point_in_time(
            self.hass,
            HassJob(self._async_on_deadline, "rules deadline", cancel_on_shutdown=True),
            self.rules.next_deadline(dt_util.now()),
        )

    @callback
    def _async_on_deadline(self, _now: datetime) -> None:
        self._deadline_unsub = None
        self._handle(self.rules.advance(dt_util.now()))


def frigate_matches(payload: str | bytes) -> list[tuple[str, str | None]]:
    """(recognised name, camera) pairs in a Frigate event or tracked-object update.

    `frigate/events` carries {"after": {"camera", "sub_label": [name, score] | name}};
    `frigate/tracked_object_update` carries {"type": "face", "name", "camera"}.
    """
    try:
        message = json.loads(payload)
    except ValueError:
        return []
    if not isinstance(message, dict):
        return []
    if message.get("type") == "face" and isinstance(message.get("name"), str):
        return [(message["name"], message.get("camera"))]
    after = message.get("after")
    if not isinstance(after, dict):
        return []
    label = after.get("sub_label")
    if isinstance(label, list) and label:
        label = label[0]
    if isinstance(label, str) and label:
        return [(label, after.get("camera"))]
    return []
