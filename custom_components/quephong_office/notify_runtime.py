"""Reminders: who gets what for each violation, a persisted queue, retries and quiet hours.

The router listens to the office's `quephong_office_violation` events (fired once evidence is
stored) and, while the office's automatic sending is on, queues a message per channel and
recipient:
- a staff member's own violation goes to them from the first time (escalation level 1), and
  to the leaders as well from the second (levels 2 and 3);
- a violation without a staff member (a desk nobody is assigned to, a gathering, an intrusion)
  goes to the leaders.
The queue lives in Home Assistant's Store: a pending message survives a restart. A message is
sent at most once per violation, recipient and channel; the key is saved right after the
server accepts the message, so only a crash in that instant could send it twice. Reminders
wait for 06:00–21:00; intrusion alerts never wait. A failed send is retried after 1, 5, 15
and 60 minutes, then given up, with a repair issue naming the channel and the error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, Event, HassJob, HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import async_track_point_in_time
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .channel_flow import smtp_settings
from .const import (
    CONF_LEADER_EMAILS,
    DOMAIN,
    EVENT_VIOLATION,
    ISSUE_CHANNEL_FAILING,
    LOGGER,
    RETRY_DELAYS,
    SEND_FROM_HOUR,
    SEND_UNTIL_HOUR,
    SUBENTRY_CHANNEL,
)
from .core.evidence import EvidenceError
from .core.notify.email import ChannelError, SmtpSettings, build_message, send
from .core.notify.templates import render
from .evidence_runtime import EvidenceKeeper
from .listeners import Listeners, shutting_down
from .rules_runtime import StaffInfo


@dataclass(frozen=True, slots=True, kw_only=True)
class EmailChannel:
    """An email channel of the office."""

    subentry_id: str
    name: str
    settings: SmtpSettings
    leaders: tuple[str, ...]


def channels_of(entry: ConfigEntry[Any]) -> dict[str, EmailChannel]:
    """The office's email channels by subentry id."""
    return {
        key: EmailChannel(
            subentry_id=key,
            name=sub.title,
            settings=smtp_settings(sub.data),
            leaders=tuple(
                a.strip() for a in sub.data.get(CONF_LEADER_EMAILS, "").split(",") if a.strip()
            ),
        )
        for key, sub in entry.subentries.items()
        if sub.subentry_type == SUBENTRY_CHANNEL
    }


@dataclass(slots=True, kw_only=True)
class Pending:
    """A message waiting to be sent."""

    id: str
    key: str  # violation:recipient:channel, or a unique key for a manual reminder
    channel: str
    to: list[str]
    subject: str
    body: str
    evidence_id: str | None
    not_before: str
    urgent: bool = False
    attempts: int = 0
    last_error: str | None = None


class Reminders(Listeners):
    """The office's reminder router and its persisted queue."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry[Any],
        staff: Mapping[str, StaffInfo],
        channels: dict[str, EmailChannel],
        evidence: EvidenceKeeper | None,
    ) -> None:
        """Nothing runs until `async_start`."""
        super().__init__()
        self.hass = hass
        self.entry = entry
        self.staff = staff
        self.channels = channels
        self.evidence = evidence
        self.auto_send = True
        self.queue: list[Pending] = []
        self.sent: dict[str, str] = {}
        self.failed = 0
        self._store: Store[dict[str, Any]] = Store(hass, 1, f"{DOMAIN}.{entry.entry_id}.reminders")
        self._unsubs: list[CALLBACK_TYPE] = []
        self._timer: CALLBACK_TYPE | None = None
        self._busy = False

    async def async_start(self) -> None:
        """Load the queue, listen for violations, send what is due."""
        saved = await self._store.async_load() or {}
        self.auto_send = bool(saved.get("auto_send", True))
        self.queue = [Pending(**item) for item in saved.get("queue", [])]
        self.sent = dict(saved.get("sent", {}))
        self._unsubs.append(self.hass.bus.async_listen(EVENT_VIOLATION, self._async_on_violation))
        await self.async_process()

    async def async_stop(self) -> None:
        """Stop listening; the queue is already saved."""
        for unsub in self._unsubs:
            unsub()
        self._unsubs.clear()
        if self._timer:
            self._timer()
            self._timer = None

    async def _async_save(self) -> None:
        cutoff = (dt_util.now() - timedelta(days=60)).isoformat()
        self.sent = {k: v for k, v in self.sent.items() if v >= cutoff}
        await self._store.async_save(
            {
                "auto_send": self.auto_send,
                "queue": [asdict(p) for p in self.queue],
                "sent": self.sent,
            }
        )

    async def async_set_auto_send(self, on: bool) -> None:
        """The office's switch: off leaves sending to blueprints and automations."""
        self.auto_send = on
        await self._async_save()
        self._notify()

    # --- routing ------------------------------------------------------------------------------

    async def _async_on_violation(self, event: Event) -> None:
        data = dict(event.data)
        if data.get("config_entry_id") != self.entry.entry_id or not self.auto_send:
            return
        staff = self.staff.get(data.get("staff_id") or "")
        level = int(data.get("escalation") or 0)
        subject, body = render(data["type"], data, "vi")  # staff are reminded in Vietnamese
        urgent = data["type"] == "intrusion"
        for channel in self.channels.values():
            recipients: list[str] = []
            if staff is not None and staff.email:
                recipients.append(staff.email)
            if staff is None or level >= 2:
                recipients.extend(channel.leaders)
            for recipient in dict.fromkeys(recipients):
                self._enqueue(
                    key=f"{data['id']}:{recipient}:{channel.subentry_id}",
                    channel=channel.subentry_id,
                    to=[recipient],
                    subject=subject,
                    body=body,
                    evidence_id=data.get("evidence_id"),
                    urgent=urgent,
                )
        await self._async_save()
        await self.async_process()

    def _enqueue(self, **fields: Any) -> bool:
        key = fields["key"]
        if key in self.sent or any(p.key == key for p in self.queue):
            return False
        self.queue.append(
            Pending(id=uuid4().hex[:12], not_before=dt_util.now().isoformat(), **fields)
        )
        return True

    async def async_send_reminder(
        self,
        *,
        to: list[str],
        subject: str,
        body: str,
        evidence_id: str | None,
        channel: str | None,
    ) -> int:
        """Queue a reminder from the service (sent now if the hour allows); return how many."""
        chosen = [c for c in self.channels.values() if channel in (None, c.subentry_id)]
        count = 0
        for item in chosen:
            for recipient in to:
                count += self._enqueue(
                    key=f"manual:{uuid4().hex}:{recipient}:{item.subentry_id}",
                    channel=item.subentry_id,
                    to=[recipient],
                    subject=subject,
                    body=body,
                    evidence_id=evidence_id,
                    urgent=False,
                )
        await self._async_save()
        await self.async_process()
        return count

    # --- sending ------------------------------------------------------------------------------

    @staticmethod
    def _allowed_at(now: datetime) -> datetime:
        """Now, or the next 06:00 when it is quiet hours."""
        if SEND_FROM_HOUR <= now.hour < SEND_UNTIL_HOUR:
            return now
        day = now.date() if now.hour < SEND_FROM_HOUR else now.date() + timedelta(days=1)
        return datetime.combine(day, datetime.min.time(), now.tzinfo).replace(hour=SEND_FROM_HOUR)

    async def async_process(self) -> None:
        """Send every message that is due; reschedule for the next one."""
        if self._busy:
            return
        self._busy = True
        try:
            now = dt_util.now()
            for item in list(self.queue):
                due = datetime.fromisoformat(item.not_before)
                if not item.urgent:
                    due = max(due, self._allowed_at(now))
                if due > now:
                    continue
                await self._async_send(item)
        finally:
            self._busy = False
        self._schedule()
        self._notify()

    async def _async_send(self, item: Pending) -> None:
        channel = self.channels.get(item.channel)
        if channel is None:  # the channel was removed
            self.queue.remove(item)
            await self._async_save()
            return
        image = None
        if item.evidence_id and self.evidence is not None:
            try:
                image = await self.hass.async_add_executor_job(
                    self.evidence.store.image, item.evidence_id
                )
            except (EvidenceError, OSError):
                image = None
        message = build_message(channel.settings, item.to, item.subject, item.body, image)
        try:
            await self.hass.async_add_executor_job(send, channel.settings, message)
        except ChannelError as err:
            await self._async_failed(item, channel, err.code)
            return
        self.queue.remove(item)
        self.sent[item.key] = dt_util.now().isoformat()
        await self._async_save()
        ir.async_delete_issue(self.hass, DOMAIN, self._issue_id(channel))

    async def _async_failed(self, item: Pending, channel: EmailChannel, error: str) -> None:
        item.attempts += 1
        item.last_error = error
        self.failed += 1
        LOGGER.warning("Reminder by %s failed (%s), attempt %s", channel.name, error, item.attempts)
        if item.attempts > len(RETRY_DELAYS):
            self.queue.remove(item)
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                self._issue_id(channel),
                is_fixable=False,
                severity=ir.IssueSeverity.ERROR,
                translation_key=ISSUE_CHANNEL_FAILING,
                translation_placeholders={"channel": channel.name, "error": error},
            )
        else:
            delay = RETRY_DELAYS[item.attempts - 1]
            item.not_before = (dt_util.now() + timedelta(seconds=delay)).isoformat()
        await self._async_save()

    def _issue_id(self, channel: EmailChannel) -> str:
        return f"{ISSUE_CHANNEL_FAILING}_{channel.subentry_id}"

    @callback
    def _schedule(self) -> None:
        if self._timer:
            self._timer()
            self._timer = None
        if not self.queue or shutting_down(self.hass):
            return
        now = dt_util.now()
        moments = []
        for item in self.queue:
            due = datetime.fromisoformat(item.not_before)
            moments.append(due if item.urgent else max(due, self._allowed_at(now)))
        self._timer = async_track_point_in_time(
            self.hass,
            HassJob(self._async_timer, "reminders", cancel_on_shutdown=True),
            max(min(moments), now + timedelta(seconds=1)),
        )

    async def _async_timer(self, _now: datetime) -> None:
        self._timer = None
        await self.async_process()
