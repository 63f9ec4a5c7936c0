"""Evidence inside Home Assistant: capture on every violation, who may see it, retention.

Each violation gets a captioned snapshot from the camera that sees its desk or zone (a plain
card when there is none or it is down). The files live under `<config>/quephong_office/
evidence/<entry id>/`, a folder Home Assistant does not serve. They are shown only through
this integration's view and media source, to administrators and the office's leaders, and
every view and export is logged.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from homeassistant.auth.models import User
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HassJob, HomeAssistant, callback
from homeassistant.helpers.event import async_track_point_in_time
from homeassistant.helpers.network import NoURLAvailableError, get_url
from homeassistant.util import dt as dt_util

from .const import CONF_LEADERS, CONF_RETENTION_DAYS, DEFAULT_RETENTION_DAYS, DOMAIN, LOGGER
from .core.evidence import EvidenceRecord, EvidenceStore
from .core.rules.violations import Violation
from .listeners import shutting_down

if TYPE_CHECKING:
    from .runtime import QuephongData

#: Old evidence is purged every night at this hour (local time).
PURGE_HOUR = 3
#: A snapshot for evidence may take this long before a card without a picture is kept.
CAPTURE_TIMEOUT = 10.0
#: A shared link (fetched by the Zalo Bot's servers right away) works this long.
SHARED_LINK_LIFETIME = timedelta(hours=1)
#: Who the access log names for a fetch through a shared link.
SHARED_LINK_VIEWER = "liên kết chia sẻ (Zalo Bot)"


def evidence_root(hass: HomeAssistant, entry_id: str) -> Path:
    """The office's evidence folder (not one Home Assistant serves)."""
    return Path(hass.config.path(DOMAIN, "evidence", entry_id))


class EvidenceKeeper:
    """Captures, keeps and purges an office's evidence."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry[Any], store: EvidenceStore) -> None:
        """Use `async_create` to build one (the store reads files)."""
        self.hass = hass
        self.entry = entry
        self.store = store
        self._unsub: CALLBACK_TYPE | None = None

    @classmethod
    async def async_create(cls, hass: HomeAssistant, entry: ConfigEntry[Any]) -> EvidenceKeeper:
        """The keeper of an office, with its store opened off the event loop."""
        root = evidence_root(hass, entry.entry_id)
        store = await hass.async_add_executor_job(EvidenceStore, root)
        return cls(hass, entry, store)

    @property
    def retention_days(self) -> int:
        """Days evidence is kept (the office's own rule)."""
        return int(self.entry.options.get(CONF_RETENTION_DAYS, DEFAULT_RETENTION_DAYS))

    def may_see(self, user: User | None) -> bool:
        """Administrators and the office's listed leaders see evidence; nobody else."""
        if user is None or not user.is_active:
            return False
        return user.is_admin or user.id in self.entry.options.get(CONF_LEADERS, [])

    @callback
    def async_start(self) -> None:
        """Purge old evidence every night at 03:00 (local time)."""
        if shutting_down(self.hass):
            return
        now = dt_util.now()
        at = now.replace(hour=PURGE_HOUR, minute=0, second=0, microsecond=0)
        if at <= now:
            at += timedelta(days=1)
        self._unsub = async_track_point_in_time(
            self.hass, HassJob(self._async_purge, "evidence purge", cancel_on_shutdown=True), at
        )

    @callback
    def async_stop(self) -> None:
        """Stop the nightly purge."""
        if self._unsub:
            self._unsub()
            self._unsub = None

    async def _async_purge(self, _now: datetime) -> None:
        self._unsub = None
        self.async_start()  # the next night first: a failing purge must not stop them
        removed = await self.hass.async_add_executor_job(
            self.store.purge, dt_util.now(), self.retention_days
        )
        if removed:
            LOGGER.info(
                "Purged %s evidence records older than %s days", len(removed), self.retention_days
            )

    async def async_capture(self, data: QuephongData, violation: Violation) -> str | None:
        """Store the evidence of a violation; return its id (None if it could not be stored)."""
        zone_id = violation.desk or violation.zone
        staff = data.staff.get(violation.staff) if violation.staff else None
        if zone_id is None and staff is not None:
            zone_id = staff.desk
        zone = data.zones.get(zone_id) if zone_id else None
        monitor = data.cameras.get(zone.camera_id) if zone else None
        image = None
        if monitor is not None and monitor.available:
            try:
                async with asyncio.timeout(CAPTURE_TIMEOUT):
                    image = await monitor.async_image()
            except TimeoutError:
                image = None
        subject = staff.name if staff else (zone.name if zone else data.office.name)
        try:
            record: EvidenceRecord = await self.hass.async_add_executor_job(
                lambda: self.store.add(
                    violation_id=violation.id,
                    rule=violation.type.value,
                    office=data.office.name,
                    at=dt_util.now(),
                    subject=subject,
                    camera=monitor.config.name if monitor and image else None,
                    image=image,
                )
            )
        except OSError as err:
            LOGGER.error("Could not store the evidence of %s: %s", violation.id, err)
            return None
        return record.id

    def shared_url(self, evidence_id: str) -> str | None:
        """A signed, short-lived link to an image on Home Assistant's external URL.

        None when no external URL is configured (nothing outside could fetch it).
        """
        try:
            base = get_url(self.hass, allow_internal=False, allow_ip=True, prefer_external=True)
        except NoURLAvailableError:
            return None
        expires = int((dt_util.utcnow() + SHARED_LINK_LIFETIME).timestamp())
        token = self.store.share_token(evidence_id, expires)
        return (
            f"{base}/api/{DOMAIN}/shared/{self.entry.entry_id}/{evidence_id}/{expires}/{token}.jpg"
        )

    def browse_url(self) -> str | None:
        """Where a leader signs in to see evidence (the media browser), if HA has a URL."""
        try:
            return f"{get_url(self.hass, allow_ip=True)}/media-browser/browser"
        except NoURLAvailableError:
            return None

    async def async_log(self, user: User | str | None, action: str, what: str) -> None:
        """Write a view or an export to the access log (`user` may name a non-user)."""
        who = user if isinstance(user, str) else (user.name or user.id if user else "?")
        await self.hass.async_add_executor_job(
            self.store.log_access, dt_util.now(), str(who), action, what
        )
