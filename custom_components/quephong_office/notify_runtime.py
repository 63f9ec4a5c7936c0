"""Reminders: who gets what for each violation, a persisted queue, retries and quiet hours.

The router listens to the office's `quephong_office_violation` events (fired once evidence is
stored) and, while the office's automatic sending is on, queues a message per recipient with
a route: a staff member with a Zalo id is tried on the office's Zalo OA first and falls back
to email when Zalo refuses them (outside the 7-day window, not a follower); leaders get email:
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

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, Event, HassJob, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError, ServiceNotFound
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.event import async_track_point_in_time
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util
from homeassistant.util import slugify

from .channel_flow import smtp_settings, split_ids
from .const import (
    CHANNEL_EMAIL,
    CHANNEL_HA_NOTIFY,
    CHANNEL_ZALO_BOT,
    CHANNEL_ZALO_OA,
    CHANNEL_ZNS,
    CONF_APP_ID,
    CONF_BOT_BASE,
    CONF_BOT_CHATS,
    CONF_BOT_TOKEN,
    CONF_BUSINESS_BASE,
    CONF_CHANNEL_KIND,
    CONF_LEADER_EMAILS,
    CONF_LEADERS,
    CONF_OAUTH_BASE,
    CONF_OPENAPI_BASE,
    CONF_SECRET_KEY,
    CONF_SERVICE,
    CONF_TEMPLATES,
    CONF_TOKEN_KEY,
    CONF_ZNS_MAPPING,
    CONF_ZNS_TEMPLATE,
    DOMAIN,
    EVENT_VIOLATION,
    ISSUE_CHANNEL_FAILING,
    ISSUE_ZALO_REAUTH,
    ISSUE_ZALO_RECIPIENT,
    LOGGER,
    PUSH,
    RETRY_DELAYS,
    SEND_FROM_HOUR,
    SEND_UNTIL_HOUR,
    SUBENTRY_CHANNEL,
    ZNS_SUFFIX,
)
from .core.evidence import EvidenceError
from .core.notify.email import ChannelError, SmtpSettings, build_message, send
from .core.notify.templates import parse_zns_mapping, placeholders, render, zns_data
from .core.notify.zalo import BUSINESS_BASE, ZaloError, ZaloOAClient, ZaloTokens
from .core.notify.zalo_bot import ZaloBotClient
from .evidence_runtime import EvidenceKeeper
from .evidence_view import IMAGE_URL
from .listeners import Listeners, shutting_down
from .rules_runtime import StaffInfo
from .zalo_tokens import token_store


@dataclass(frozen=True, slots=True, kw_only=True)
class _ChannelBase:
    """What every channel has: its key (the subentry's id) and the name shown to people."""

    subentry_id: str
    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class EmailChannel(_ChannelBase):
    """An email channel of the office."""

    settings: SmtpSettings
    leaders: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ZaloChannel(_ChannelBase):
    """A Zalo Official Account channel of the office."""

    client: ZaloOAClient


@dataclass(frozen=True, slots=True, kw_only=True)
class ZnsChannel(_ChannelBase):
    """ZNS template messages by phone, sent by an OA channel's client (a paid fallback)."""

    client: ZaloOAClient
    template_id: str
    mapping: dict[str, str]


@dataclass(frozen=True, slots=True, kw_only=True)
class BotChannel(_ChannelBase):
    """A Zalo Bot posting to its chats (the leaders' group)."""

    client: ZaloBotClient
    chats: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ServiceChannel(_ChannelBase):
    """A notify service Home Assistant already has, for the leaders."""

    service: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PushChannel(_ChannelBase):
    """Push notifications to the leaders' phones through the Home Assistant Companion app."""

    subentry_id: str = PUSH
    name: str = "Home Assistant Companion"


type Channel = EmailChannel | ZaloChannel | ZnsChannel | BotChannel | ServiceChannel | PushChannel
#: Which channels are tried for a staff member, in turn, unless a reminder says otherwise.
STAFF_ORDER = (CHANNEL_ZALO_OA, CHANNEL_ZNS, CHANNEL_EMAIL)


def leader_phones(hass: HomeAssistant, leaders: list[str]) -> list[str]:
    """The Companion app notify services (`mobile_app_…`) of the office's leader users."""
    return sorted(
        f"mobile_app_{slugify(phone.data.get('device_name', ''))}"
        for phone in hass.config_entries.async_entries("mobile_app")
        if phone.data.get("user_id") in leaders and phone.data.get("device_name")
    )


async def async_channels_of(hass: HomeAssistant, entry: ConfigEntry[Any]) -> dict[str, Channel]:
    """The office's channels by key (a Zalo OA channel whose pair is lost is left out)."""
    channels: dict[str, Channel] = {PUSH: PushChannel()}
    session = async_get_clientsession(hass)
    for key, sub in entry.subentries.items():
        if sub.subentry_type != SUBENTRY_CHANNEL:
            continue
        data = sub.data
        kind = data.get(CONF_CHANNEL_KIND, CHANNEL_EMAIL)
        if kind == CHANNEL_EMAIL:
            leaders = tuple(a.strip() for a in data.get(CONF_LEADER_EMAILS, "").split(",") if a)
            channels[key] = EmailChannel(
                subentry_id=key, name=sub.title, settings=smtp_settings(data), leaders=leaders
            )
        elif kind == CHANNEL_ZALO_BOT:
            channels[key] = BotChannel(
                subentry_id=key,
                name=sub.title,
                client=ZaloBotClient(session, token=data[CONF_BOT_TOKEN], base=data[CONF_BOT_BASE]),
                chats=tuple(split_ids(data[CONF_BOT_CHATS])),
            )
        elif kind == CHANNEL_HA_NOTIFY:
            channels[key] = ServiceChannel(
                subentry_id=key, name=sub.title, service=data[CONF_SERVICE]
            )
        elif (client := await _async_oa_client(hass, data)) is not None:
            channels[key] = ZaloChannel(subentry_id=key, name=sub.title, client=client)
            if data.get(CONF_ZNS_TEMPLATE):
                channels[key + ZNS_SUFFIX] = ZnsChannel(
                    subentry_id=key + ZNS_SUFFIX,
                    name=f"{sub.title} (ZNS)",
                    client=client,
                    template_id=data[CONF_ZNS_TEMPLATE],
                    mapping=parse_zns_mapping(data[CONF_ZNS_MAPPING]),
                )
    return channels


async def _async_oa_client(hass: HomeAssistant, data: Mapping[str, Any]) -> ZaloOAClient | None:
    """The OA client of a channel, with its stored token pair (None when the pair is lost)."""
    store = token_store(hass)
    token_key = data[CONF_TOKEN_KEY]
    tokens = await store.async_get(token_key)
    if tokens is None:
        return None

    async def save(new: ZaloTokens) -> None:
        await store.async_set(token_key, new)

    return ZaloOAClient(
        async_get_clientsession(hass),
        app_id=data[CONF_APP_ID],
        secret_key=data[CONF_SECRET_KEY],
        tokens=tokens,
        save_tokens=save,
        now=dt_util.now,
        oauth_base=data[CONF_OAUTH_BASE],
        openapi_base=data[CONF_OPENAPI_BASE],
        business_base=data.get(CONF_BUSINESS_BASE, BUSINESS_BASE),
    )


@dataclass(slots=True, kw_only=True)
class Pending:
    """A message waiting to be sent."""

    id: str
    key: str  # the violation (or a unique key for a manual reminder) and the recipient
    routes: list[list[str]]  # [channel id, address] to try in turn; the first is current
    subject: str
    body: str
    evidence_id: str | None
    not_before: str
    urgent: bool = False
    attempts: int = 0
    last_error: str | None = None
    #: placeholder values for a ZNS template (the violation's, the staff member, the subject)
    values: dict[str, Any] | None = None


class Reminders(Listeners):
    """The office's reminder router and its persisted queue."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry[Any],
        staff: Mapping[str, StaffInfo],
        channels: dict[str, Channel],
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
        #: failed attempts, messages given up, and the latest failure (kept across restarts)
        self.failed = 0
        self.undelivered = 0
        self.last_failure: dict[str, str] = {}
        self._store: Store[dict[str, Any]] = Store(hass, 1, f"{DOMAIN}.{entry.entry_id}.reminders")
        self._unsubs: list[CALLBACK_TYPE] = []
        self._timer: CALLBACK_TYPE | None = None
        self._busy = False
        self._again = False

    async def async_start(self) -> None:
        """Load the queue, listen for violations, send what is due."""
        saved = await self._store.async_load() or {}
        self.auto_send = bool(saved.get("auto_send", True))
        self.queue = [Pending(**item) for item in saved.get("queue", [])]
        self.sent = dict(saved.get("sent", {}))
        self.failed = int(saved.get("failed", 0))
        self.undelivered = int(saved.get("undelivered", 0))
        self.last_failure = dict(saved.get("last_failure", {}))
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
                "failed": self.failed,
                "undelivered": self.undelivered,
                "last_failure": self.last_failure,
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
        subject, body = self.render(data)
        recipients: list[tuple[str, list[list[str]]]] = []
        if staff is not None:
            recipients.append((staff.subentry_id, self.staff_routes(staff)))
        if staff is None or level >= 2:
            recipients.extend(self.leader_routes())
        for who, routes in recipients:
            if routes:
                self._enqueue(
                    key=f"{data['id']}:{who}",
                    routes=routes,
                    subject=subject,
                    body=body,
                    evidence_id=data.get("evidence_id"),
                    urgent=data["type"] == "intrusion",
                    values=placeholders(data),
                )
        await self._async_save()
        await self.async_process()

    def render(self, payload: Mapping[str, Any]) -> tuple[str, str]:
        """Subject and message for a violation, in the office's words (always Vietnamese)."""
        custom = {
            rule: (subject, body)
            for rule, (subject, body) in self.entry.options.get(CONF_TEMPLATES, {}).items()
        }
        return render(str(payload["type"]), payload, "vi", custom)

    def staff_routes(self, staff: StaffInfo, order: Sequence[str] = STAFF_ORDER) -> list[list[str]]:
        """The channels to try for a staff member, in the given order of kinds.

        By default: the Zalo OA (with a Zalo id, within Zalo's 7-day window), then a ZNS
        template (with a phone), then email.
        """
        address = {
            CHANNEL_ZALO_OA: (ZaloChannel, staff.zalo_user_id),
            CHANNEL_ZNS: (ZnsChannel, staff.phone),
            CHANNEL_EMAIL: (EmailChannel, staff.email),
        }
        routes: list[list[str]] = []
        for kind in order:
            channel_type, to = address.get(kind, (None, None))
            for key, channel in self.channels.items():
                if to and channel_type is not None and isinstance(channel, channel_type):
                    routes.append([key, to])
        return routes

    def leader_routes(self) -> list[tuple[str, list[list[str]]]]:
        """Everyone who hears about the office's violations, each by their own channel.

        Each leader address of each email channel, each Zalo Bot chat and notify service,
        and each leader's Companion app.
        """
        routes = [
            (address, [[key, address]])
            for key, channel in self.channels.items()
            if isinstance(channel, EmailChannel)
            for address in channel.leaders
        ]
        for key, channel in self.channels.items():
            if isinstance(channel, BotChannel):
                routes.extend((f"{key}:{chat}", [[key, chat]]) for chat in channel.chats)
            elif isinstance(channel, ServiceChannel):
                routes.append((key, [[key, channel.service]]))
        for service in leader_phones(self.hass, self.entry.options.get(CONF_LEADERS, [])):
            routes.append((f"{PUSH}:{service}", [[PUSH, service]]))
        return routes

    def _enqueue(self, **fields: Any) -> bool:
        key = fields["key"]
        if any(k.startswith(f"{key}|") for k in self.sent) or any(p.key == key for p in self.queue):
            return False
        self.queue.append(
            Pending(id=uuid4().hex[:12], not_before=dt_util.now().isoformat(), **fields)
        )
        return True

    async def async_send_reminder(
        self,
        *,
        staff: list[StaffInfo],
        leaders: bool,
        subject: str,
        body: str,
        evidence_id: str | None,
        payload: Mapping[str, Any] | None = None,
        order: Sequence[str] = STAFF_ORDER,
    ) -> int:
        """Queue a reminder from the service (sent now if the hour allows); return how many.

        `payload` is the violation's, when the reminder is about one (for ZNS parameters);
        `order` the kinds of channel to try for each staff member, in turn.
        """
        base = placeholders(payload) if payload else {"office": self.entry.title}
        recipients = [
            (s.subentry_id, self.staff_routes(s, order), {**base, "staff": s.name}) for s in staff
        ]
        if leaders:
            recipients.extend((who, routes, base) for who, routes in self.leader_routes())
        return await self._async_queue_manual("manual", recipients, subject, body, evidence_id)

    async def async_broadcast(self, channel_id: str, subject: str, body: str) -> int:
        """A message to the default recipients of one channel (leaders' addresses or chats)."""
        recipients = [
            (who, routes, None)
            for who, routes in self.leader_routes()
            if routes[0][0] == channel_id
        ]
        return await self._async_queue_manual("broadcast", recipients, subject, body, None)

    async def _async_queue_manual(
        self,
        kind: str,
        recipients: Sequence[tuple[str, list[list[str]], dict[str, Any] | None]],
        subject: str,
        body: str,
        evidence_id: str | None,
    ) -> int:
        """Queue one message per reachable recipient under a fresh key; send what is due."""
        batch = uuid4().hex
        count = 0
        for who, routes, values in recipients:
            if routes:
                count += self._enqueue(
                    key=f"{kind}-{batch}:{who}",
                    routes=routes,
                    subject=subject,
                    body=body,
                    evidence_id=evidence_id,
                    urgent=False,
                    values=values,
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
        """Send every message that is due; reschedule for the next one.

        One pass runs at a time; a message queued during a pass is picked up by another pass.
        """
        if self._busy:
            self._again = True
            return
        self._busy = True
        try:
            self._again = True
            while self._again:
                self._again = False
                now = dt_util.now()
                for item in list(self.queue):
                    due = datetime.fromisoformat(item.not_before)
                    if not item.urgent:
                        due = max(due, self._allowed_at(now))
                    if due <= now and item in self.queue:
                        await self._async_send(item)
        finally:
            self._busy = False
        self._schedule()
        self._notify()

    async def _async_send(self, item: Pending) -> None:
        channel_id, address = item.routes[0]
        channel = self.channels.get(channel_id)
        if channel is None:  # the channel was removed: try the next route
            await self._async_next_route(item, None, "channel_removed")
            return
        try:
            await self._async_deliver(channel, address, item)
        except ZaloError as err:
            if err.code == "refresh_rejected":
                self._raise_issue(ISSUE_ZALO_REAUTH, channel, err.code, fixable=True)
            if err.permanent:
                await self._async_next_route(item, channel, err.code)
            else:
                await self._async_failed(item, channel, err.code)
            return
        except ServiceNotFound:  # the phone was removed from Home Assistant
            await self._async_next_route(item, channel, "phone_removed")
            return
        except HomeAssistantError as err:
            await self._async_failed(item, channel, str(err) or type(err).__name__)
            return
        except ChannelError as err:
            if err.code == "rejected":
                await self._async_next_route(item, channel, err.code)
            else:
                await self._async_failed(item, channel, err.code)
            return
        self.queue.remove(item)
        self.sent[f"{item.key}|{address}|{channel_id}"] = dt_util.now().isoformat()
        await self._async_save()
        for kind in (ISSUE_CHANNEL_FAILING, ISSUE_ZALO_REAUTH):
            ir.async_delete_issue(self.hass, DOMAIN, self._issue_id(kind, channel))

    async def _async_image(self, item: Pending) -> bytes | None:
        """The evidence image to attach, if the message has one that still exists."""
        if not item.evidence_id or self.evidence is None:
            return None
        try:
            return await self.hass.async_add_executor_job(
                self.evidence.store.image, item.evidence_id
            )
        except (EvidenceError, OSError):
            return None

    async def _async_deliver(self, channel: Channel, address: str, item: Pending) -> None:
        """Send one message by one channel; raise the channel's error when it fails."""
        text = item.body if item.body.startswith(item.subject) else f"{item.subject}\n\n{item.body}"
        if isinstance(channel, PushChannel):
            await self._async_push(address, item)
        elif isinstance(channel, ServiceChannel):
            link = self._evidence_link(item)
            await self.hass.services.async_call(
                "notify",
                channel.service,
                {"title": item.subject, "message": item.body + link},
                blocking=True,
            )
        elif isinstance(channel, ZaloChannel):
            await channel.client.send(address, text, await self._async_image(item))
        elif isinstance(channel, ZnsChannel):
            values = {**(item.values or {}), "subject": item.subject}
            await channel.client.send_template(
                address, channel.template_id, zns_data(channel.mapping, values), item.id
            )
        elif isinstance(channel, BotChannel):
            photo = (
                self.evidence.shared_url(item.evidence_id)
                if item.evidence_id and self.evidence is not None
                else None
            )
            if photo is not None:
                await channel.client.send_photo(address, photo, text)
            else:  # Zalo cannot reach Home Assistant: say where to see the picture
                await channel.client.send_message(address, text + self._evidence_link(item))
        else:
            image = await self._async_image(item)
            message = build_message(channel.settings, [address], item.subject, item.body, image)
            await self.hass.async_add_executor_job(send, channel.settings, message)

    def _evidence_link(self, item: Pending) -> str:
        """A line telling where to see the snapshot, when there is one and HA has a URL."""
        if not item.evidence_id or self.evidence is None:
            return ""
        url = self.evidence.browse_url()
        return f"\n\nẢnh bằng chứng: {url} (mục Bằng chứng vi phạm)" if url else ""

    async def _async_push(self, service: str, item: Pending) -> None:
        """A push with the snapshot (the app fetches it with the leader's own sign-in)."""
        data: dict[str, Any] = {"tag": item.key, "url": "/media-browser/browser"}
        data["clickAction"] = data["url"]
        if item.evidence_id:
            data["image"] = IMAGE_URL.format(
                entry_id=self.entry.entry_id, evidence_id=item.evidence_id
            )
        if item.urgent:  # an intrusion alert rings even when the phone is set to silent
            data["push"] = {"interruption-level": "time-sensitive"}
            data["priority"] = "high"
        await self.hass.services.async_call(
            "notify",
            service,
            {"title": item.subject, "message": item.body, "data": data},
            blocking=True,
        )

    async def _async_next_route(self, item: Pending, channel: Channel | None, error: str) -> None:
        """Go on with the next route now: this one can never work for this recipient."""
        channel_id, address = item.routes.pop(0)
        item.last_error = error
        if isinstance(channel, ZaloChannel) and error != "refresh_rejected":
            who = next((s.name for s in self.staff.values() if s.zalo_user_id == address), address)
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                f"{ISSUE_ZALO_RECIPIENT}_{channel.subentry_id}_{address}",
                is_fixable=False,
                severity=ir.IssueSeverity.WARNING,
                translation_key=ISSUE_ZALO_RECIPIENT,
                translation_placeholders={"staff": who, "channel": channel.name, "error": error},
            )
        if not item.routes:
            self.queue.remove(item)
            self._record_failure(channel.name if channel else channel_id, address, error, True)
            LOGGER.warning("Reminder %s could not be delivered: %s", item.key, error)
        await self._async_save()
        if item.routes:
            await self._async_send(item)

    async def _async_failed(self, item: Pending, channel: Channel, error: str) -> None:
        """A send that may work later: retry with backoff, give up after the last delay."""
        item.attempts += 1
        item.last_error = error
        given_up = item.attempts > len(RETRY_DELAYS)
        self._record_failure(channel.name, item.routes[0][1], error, given_up)
        LOGGER.warning("Reminder by %s failed (%s), attempt %s", channel.name, error, item.attempts)
        if given_up:
            self.queue.remove(item)
            self._raise_issue(ISSUE_CHANNEL_FAILING, channel, error)
        else:
            delay = RETRY_DELAYS[item.attempts - 1]
            item.not_before = (dt_util.now() + timedelta(seconds=delay)).isoformat()
        await self._async_save()

    def _record_failure(self, channel: str, recipient: str, error: str, given_up: bool) -> None:
        """Count a failed attempt (and a message given up) for the failed-sends sensor."""
        self.failed += 1
        self.undelivered += given_up
        self.last_failure = {
            "at": dt_util.now().isoformat(),
            "channel": channel,
            "recipient": recipient,
            "error": error,
        }

    @staticmethod
    def _issue_id(kind: str, channel: Channel) -> str:
        return f"{kind}_{channel.subentry_id}"

    def _raise_issue(
        self, kind: str, channel: Channel, error: str, *, fixable: bool = False
    ) -> None:
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            self._issue_id(kind, channel),
            is_fixable=fixable,
            data={
                "entry_id": self.entry.entry_id,
                "subentry_id": channel.subentry_id.removesuffix(ZNS_SUFFIX),
            },
            severity=ir.IssueSeverity.ERROR,
            translation_key=kind,
            translation_placeholders={"channel": channel.name, "error": error},
        )

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
