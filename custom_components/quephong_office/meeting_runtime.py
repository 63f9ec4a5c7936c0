"""Meeting rooms inside Home Assistant: follow the calendar, prepare, check, tell, restore.

Each room reads its calendar (any calendar entity, through `calendar.get_events`) every five
minutes and whenever the calendar changes. When the next counting event's window opens
(lead time before the start), the room saves its devices' states, applies the targets,
checks them 20 s later (retrying once what is not there, checked again 20 s after), checks
the conference link and each participating commune's endpoint, and publishes its readiness:
the `ready` binary sensor, the problems sensor, and, when MQTT is set up, a retained
message under `quephong/<unit code>/meeting/<room>/readiness` for the parent unit. Readiness
is checked again every two minutes until the window closes (the end plus the grace), when
the devices go back to what they were. Participants are told once per meeting, with the
join link. The room's state (saved device states, whom it told) is kept in a Store: a
restart neither loses the states to restore nor tells anyone twice.

A parent unit's office listens to its communes' readiness over MQTT (`CommuneWatch`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from homeassistant.components import persistent_notification
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, Event, HassJob, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.event import (
    async_track_point_in_time,
    async_track_state_change_event,
    async_track_time_interval,
)
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import (
    CONF_CALENDAR,
    CONF_COMMUNES,
    CONF_GRACE,
    CONF_KEYWORD,
    CONF_LEAD,
    CONF_PARTICIPANTS,
    DOMAIN,
    LOGGER,
    SUBENTRY_MEETING_ROOM,
)
from .core.meeting.communes import Commune, parse_communes
from .core.meeting.devices import DeviceTarget, ServiceCall, plan, restore_plan
from .core.meeting.endpoints import Endpoint, check_all, parse_endpoint
from .core.meeting.errors import MeetingError
from .core.meeting.events import Window, conference_link, counts, window
from .core.meeting.readiness import (
    DEFAULT_PREFIX,
    Problem,
    ProblemKind,
    Readiness,
    device_problem,
    encode,
    endpoint_problem,
    link_problem,
    readiness_topic,
)
from .core.meeting.text import slug
from .listeners import Listeners, shutting_down
from .meeting_flow import room_targets
from .notify_runtime import Reminders
from .rules_runtime import StaffInfo

#: How far ahead the calendar is read, and how often.
LOOKAHEAD = timedelta(days=1)
REFRESH = timedelta(minutes=5)
#: A device gets this long to reach its target before it is checked (and retried once).
VERIFY_DELAY = timedelta(seconds=20)
#: Readiness is checked again this often while the window is open.
RECHECK = timedelta(minutes=2)
#: An endpoint check gives up after this many seconds.
CHECK_TIMEOUT = 5.0
#: A meeting started by hand runs until it is ended, or this long at most.
MANUAL_LENGTH = timedelta(hours=8)


@dataclass(frozen=True, slots=True, kw_only=True)
class RoomConfig:
    """A meeting room, as configured in its subentry."""

    subentry_id: str
    name: str
    calendar: str
    keyword: str | None
    lead: timedelta
    grace: timedelta
    targets: list[DeviceTarget]
    participants: list[str]
    communes: list[Commune]

    @classmethod
    def from_subentry(cls, subentry_id: str, title: str, data: Mapping[str, Any]) -> RoomConfig:
        """The room of a subentry (its data was validated by the flow)."""
        return cls(
            subentry_id=subentry_id,
            name=title,
            calendar=data[CONF_CALENDAR],
            keyword=data.get(CONF_KEYWORD) or None,
            lead=timedelta(minutes=int(data.get(CONF_LEAD, 15))),
            grace=timedelta(minutes=int(data.get(CONF_GRACE, 10))),
            targets=room_targets(data),
            participants=list(data.get(CONF_PARTICIPANTS, [])),
            communes=parse_communes(data.get(CONF_COMMUNES, "")),
        )


def rooms_of(entry: ConfigEntry[Any]) -> dict[str, RoomConfig]:
    """The office's meeting rooms by subentry id."""
    return {
        key: RoomConfig.from_subentry(key, sub.title, sub.data)
        for key, sub in entry.subentries.items()
        if sub.subentry_type == SUBENTRY_MEETING_ROOM
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class Meeting:
    """The current or next meeting of a room."""

    key: str
    title: str
    window: Window
    link: str | None
    manual: bool = False


@dataclass(slots=True)
class _Saved:
    """What a room keeps across restarts."""

    active: str | None = None  # the key of the meeting the room is prepared for
    states: dict[str, list[Any]] = field(default_factory=dict)  # entity -> [state, attributes]
    told: list[str] = field(default_factory=list)  # meetings whose participants were told
    ended: list[str] = field(default_factory=list)  # meetings ended by hand
    manual: dict[str, Any] | None = None  # a meeting started by hand


class MeetingRoom(Listeners):
    """One room following its calendar."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry[Any],
        config: RoomConfig,
        site: str,
        staff: Mapping[str, StaffInfo],
        reminders: Reminders | None,
    ) -> None:
        """Nothing runs until `async_start`."""
        super().__init__()
        self.hass = hass
        self.entry = entry
        self.config = config
        self.site = site
        self.staff = staff
        self.reminders = reminders
        self.meeting: Meeting | None = None
        self.readiness: Readiness | None = None
        self._saved = _Saved()
        self._store: Store[dict[str, Any]] = Store(
            hass, 1, f"{DOMAIN}.{entry.entry_id}.meeting_{config.subentry_id}"
        )
        self._unsubs: list[CALLBACK_TYPE] = []
        self._timer: CALLBACK_TYPE | None = None
        self._verify_at: datetime | None = None
        self._retried = False
        self._lock = asyncio.Lock()

    @property
    def prepared(self) -> bool:
        """True while the room is set up for a meeting."""
        return self._saved.active is not None

    # --- lifecycle ---------------------------------------------------------------------------

    async def async_start(self) -> None:
        """Restore what was saved, read the calendar, and follow it."""
        saved = await self._store.async_load() or {}
        self._saved = _Saved(**{k: v for k, v in saved.items() if k in _Saved.__slots__})
        self._unsubs.append(
            async_track_time_interval(
                self.hass, self._async_interval, REFRESH, cancel_on_shutdown=True
            )
        )
        self._unsubs.append(
            async_track_state_change_event(
                self.hass, [self.config.calendar], self._async_calendar_changed
            )
        )
        await self.async_refresh()

    async def async_stop(self) -> None:
        """Stop following the calendar; what the room saved stays saved."""
        for unsub in self._unsubs:
            unsub()
        self._unsubs.clear()
        self._cancel_timer()

    async def _async_save(self) -> None:
        await self._store.async_save(
            {
                "active": self._saved.active,
                "states": self._saved.states,
                "told": self._saved.told[-50:],
                "ended": self._saved.ended[-50:],
                "manual": self._saved.manual,
            }
        )

    async def _async_interval(self, _now: datetime) -> None:
        await self.async_refresh()

    async def _async_calendar_changed(self, _event: Event[Any]) -> None:
        await self.async_refresh()

    # --- the calendar ------------------------------------------------------------------------

    async def _async_events(self, now: datetime) -> list[dict[str, Any]]:
        """The calendar's events from a grace ago to a day ahead (none if it cannot answer)."""
        try:
            response = await self.hass.services.async_call(
                "calendar",
                "get_events",
                {
                    "entity_id": self.config.calendar,
                    "start_date_time": (now - self.config.grace).isoformat(),
                    "end_date_time": (now + LOOKAHEAD).isoformat(),
                },
                blocking=True,
                return_response=True,
            )
        except HomeAssistantError as err:
            LOGGER.warning("Meeting room %s cannot read its calendar: %s", self.config.name, err)
            return []
        events = (response or {}).get(self.config.calendar, {})
        found = events.get("events", []) if isinstance(events, dict) else []
        return [e for e in found if isinstance(e, dict)] if isinstance(found, list) else []

    def _next_meeting(self, events: list[dict[str, Any]], now: datetime) -> Meeting | None:
        found = []
        for event in events:
            start, end = str(event.get("start", "")), str(event.get("end", ""))
            if "T" not in start or not counts(str(event.get("summary", "")), self.config.keyword):
                continue  # all-day events are not meetings
            key = f"{start}|{event.get('summary', '')}"
            if key in self._saved.ended:
                continue
            span = window(
                dt_util.as_local(datetime.fromisoformat(start)),
                dt_util.as_local(datetime.fromisoformat(end)),
                lead=self.config.lead,
                grace=self.config.grace,
            )
            if span.restore_at > now:
                link = conference_link(event.get("location"), event.get("description"))
                found.append(Meeting(key=key, title=str(event["summary"]), window=span, link=link))
        return min(found, key=lambda m: m.window.start, default=None)

    async def async_refresh(self) -> None:
        """Read the calendar and do what the moment calls for."""
        now = dt_util.now()
        if self._saved.manual is not None:
            manual = self._saved.manual
            self.meeting = Meeting(
                key=manual["key"],
                title=manual["title"],
                window=window(
                    datetime.fromisoformat(manual["start"]),
                    datetime.fromisoformat(manual["end"]),
                    lead=timedelta(0),
                    grace=timedelta(0),
                ),
                link=manual.get("link"),
                manual=True,
            )
        else:
            self.meeting = self._next_meeting(await self._async_events(now), now)
        await self._async_step()

    # --- what happens when -------------------------------------------------------------------

    async def _async_step(self) -> None:
        """Prepare, check or restore as the window says; schedule the next moment."""
        async with self._lock:  # the clock is read once the lock is held
            await self._async_step_locked(dt_util.now())

    async def _async_step_locked(self, now: datetime) -> None:
        """Prepare, check or restore as the window says (one step at a time)."""
        meeting = self.meeting
        if meeting is not None and meeting.window.active(now):
            if self._saved.active != meeting.key:
                if self.prepared:  # a different meeting was prepared: put it back first
                    await self._async_restore()
                await self._async_prepare(meeting)
            elif self._verify_at is not None and now >= self._verify_at:
                await self._async_verify()
            elif self.readiness is None or now - self.readiness.checked_at >= RECHECK:
                await self.async_check()
        elif self.prepared:
            await self._async_restore()
        self._schedule(now)
        self._notify()

    @callback
    def _schedule(self, now: datetime) -> None:
        self._cancel_timer()
        meeting = self.meeting
        if meeting is None or shutting_down(self.hass):
            return
        if meeting.window.active(now):
            moments = [meeting.window.restore_at, now + RECHECK]
            if self._verify_at is not None:
                moments.append(self._verify_at)
        else:
            moments = [meeting.window.prepare_at]
        moment = max(min(moments), now + timedelta(seconds=1))
        self._timer = async_track_point_in_time(
            self.hass, HassJob(self._async_timer, "meeting room", cancel_on_shutdown=True), moment
        )

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer()
            self._timer = None

    async def _async_timer(self, now: datetime) -> None:
        self._timer = None
        await self._async_step()

    # --- preparing and restoring -------------------------------------------------------------

    async def _async_prepare(self, meeting: Meeting) -> None:
        """Save the devices' states, apply the targets, tell the participants (once)."""
        LOGGER.info("Meeting room %s prepares for %s", self.config.name, meeting.title)
        for target in self.config.targets:
            state = self.hass.states.get(target.entity_id)
            if state is not None and target.entity_id not in self._saved.states:
                self._saved.states[target.entity_id] = [state.state, dict(state.attributes)]
        self._saved.active = meeting.key
        await self._async_save()
        await self._async_apply(self.config.targets)
        self._retried = False
        self._verify_at = dt_util.now() + VERIFY_DELAY
        await self.async_check()
        await self._async_tell(meeting)

    async def _async_apply(self, targets: list[DeviceTarget]) -> None:
        for target in targets:
            await self._async_calls(plan(target))

    async def _async_calls(self, calls: list[ServiceCall]) -> None:
        for call in calls:
            try:
                await self.hass.services.async_call(
                    call.domain, call.service, call.data, blocking=True
                )
            except (HomeAssistantError, ValueError) as err:  # the check will report it
                LOGGER.warning(
                    "Meeting room %s: %s.%s failed: %s",
                    self.config.name,
                    call.domain,
                    call.service,
                    err,
                )

    async def _async_verify(self) -> None:
        """Retry once what has not reached its target; check again after the delay."""
        self._verify_at = None
        missed = [t for t in self.config.targets if self._device_problem(t) is not None]
        if missed and not self._retried:
            self._retried = True
            await self._async_apply(missed)
            self._verify_at = dt_util.now() + VERIFY_DELAY
        await self.async_check()

    async def _async_restore(self) -> None:
        """Put every device back as it was before the meeting."""
        LOGGER.info("Meeting room %s restores its devices", self.config.name)
        for target in self.config.targets:
            saved = self._saved.states.get(target.entity_id)
            await self._async_calls(
                restore_plan(target, saved[0] if saved else None, saved[1] if saved else None)
            )
        if self._saved.manual is not None:
            self._saved.manual = None
        self._saved.active = None
        self._saved.states = {}
        self._verify_at = None
        self.readiness = None
        await self._async_save()

    # --- readiness ---------------------------------------------------------------------------

    def _device_problem(self, target: DeviceTarget) -> Problem | None:
        state = self.hass.states.get(target.entity_id)
        if state is None:
            return device_problem(target.entity_id, target, None, {})
        return device_problem(state.name, target, state.state, state.attributes)

    async def async_check(self) -> Readiness:
        """Check devices, the conference link and the communes; publish the readiness."""
        meeting = self.meeting
        problems = [p for t in self.config.targets if (p := self._device_problem(t)) is not None]
        endpoints: dict[str, Endpoint] = {}
        conference = ""
        if meeting is not None:
            if (missing := link_problem(meeting.title, meeting.link)) is not None:
                problems.append(missing)
            elif meeting.link is not None:
                try:
                    endpoint = parse_endpoint(meeting.link)
                except MeetingError:
                    problems.append(
                        Problem(
                            kind=ProblemKind.ENDPOINT_DOWN, subject=meeting.link, detail="error"
                        )
                    )
                else:
                    conference = endpoint.text
                    endpoints[conference] = endpoint
        communes = {c.name: c.endpoint for c in self.config.communes if c.endpoint is not None}
        results = await check_all(
            {**endpoints, **communes},
            timeout=CHECK_TIMEOUT,
            session=async_get_clientsession(self.hass),
        )
        for name, result in results.items():
            problem = endpoint_problem(name, result, commune=name != conference)
            if problem is not None:
                problems.append(problem)
        self.readiness = Readiness(
            room=self.config.name,
            checked_at=dt_util.now(),
            problems=tuple(problems),
            site=self.site,
        )
        await self._async_publish(self.readiness)
        self._notify()
        return self.readiness

    async def _async_publish(self, readiness: Readiness) -> None:
        """A retained MQTT message for the parent unit (when MQTT is set up)."""
        if "mqtt" not in self.hass.config.components:
            return
        from homeassistant.components import mqtt  # noqa: PLC0415 - only when MQTT is set up

        topic = readiness_topic(DEFAULT_PREFIX, self.site, slug(self.config.name))
        try:
            await mqtt.async_publish(self.hass, topic, encode(readiness), qos=1, retain=True)
        except HomeAssistantError as err:
            LOGGER.warning("Readiness of %s not published: %s", self.config.name, err)

    async def _async_tell(self, meeting: Meeting) -> None:
        """Tell the participants once, with the join link."""
        if meeting.key in self._saved.told:
            return
        self._saved.told.append(meeting.key)
        await self._async_save()
        start = meeting.window.start
        subject = f"Họp trực tuyến: {meeting.title}"
        body = (
            f"Cuộc họp «{meeting.title}» bắt đầu lúc {start:%H:%M} ngày {start:%d/%m/%Y} "
            f"tại {self.config.name}."
            + (f"\nĐường dẫn tham gia: {meeting.link}" if meeting.link else "")
        )
        staff = [self.staff[s] for s in self.config.participants if s in self.staff]
        queued = 0
        if self.reminders is not None and staff:
            queued = await self.reminders.async_send_reminder(
                staff=staff, leaders=False, subject=subject, body=body, evidence_id=None
            )
        if staff and not queued:  # no channel reaches them: tell the office in Home Assistant
            names = ", ".join(s.name for s in staff)
            persistent_notification.async_create(
                self.hass,
                f"{body}\n\nNgười tham dự: {names}",
                title=subject,
                notification_id=f"{DOMAIN}_{self.config.subentry_id}_{slug(meeting.key)}",
            )

    # --- by hand -----------------------------------------------------------------------------

    async def async_start_meeting(self, link: str | None) -> None:
        """Prepare the room now for a meeting that is not on the calendar."""
        now = dt_util.now()
        self._saved.manual = {
            "key": f"manual|{now.isoformat()}",
            "title": "Họp trực tuyến",
            "start": now.isoformat(),
            "end": (now + MANUAL_LENGTH).isoformat(),
            "link": link,
        }
        await self._async_save()
        await self.async_refresh()

    async def async_end_meeting(self) -> None:
        """End the current meeting now: restore the devices."""
        if self.meeting is not None and not self.meeting.manual:
            self._saved.ended.append(self.meeting.key)
        self._saved.manual = None
        if self.prepared:
            await self._async_restore()
        await self._async_save()
        await self.async_refresh()
