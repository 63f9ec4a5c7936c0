"""A camera at run time: availability, still images, and (with zones) its analysis.

Blocking work (opening and decoding streams, analysing frames) runs in worker threads; only
results come back to the event loop.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from functools import partial
from typing import Any

import httpx
from homeassistant.components.camera import async_get_image
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import CALLBACK_TYPE, HassJob, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.httpx_client import get_async_client
from homeassistant.util import dt as dt_util

from .const import (
    CONNECT_TIMEOUT,
    DOMAIN,
    ISSUE_CAMERA_DOWN,
    LOGGER,
    MAX_STILL_IMAGE,
    SNAPSHOT_MAX_AGE,
)
from .core.cameras import CameraConfig, SourceKind, redact_url
from .core.health import SourceHealth, Transition
from .core.vision.probe import ProbeError, grab_snapshot
from .listeners import Listeners


class CameraMonitor(Listeners):
    """Keeps one camera's availability and latest still image.

    While the camera answers it is checked every minute; after a failure it is retried with
    exponential backoff (2 s doubling to 60 s). Going down and coming back are logged once
    each; a camera down for 10 minutes raises a repair issue, cleared when it returns.
    """

    def __init__(
        self, hass: HomeAssistant, entry: ConfigEntry[Any], subentry_id: str, config: CameraConfig
    ) -> None:
        """Prepare the monitor; call `async_start` to begin checking."""
        super().__init__()
        self.hass = hass
        self.entry = entry
        self.subentry_id = subentry_id
        self.config = config
        self.health = SourceHealth()
        self._image: bytes | None = None
        self._image_time = 0.0
        self._lock = asyncio.Lock()
        self._unsub_timer: CALLBACK_TYPE | None = None
        self._stopped = False

    @property
    def available(self) -> bool:
        """True once a check has succeeded and no later check failed."""
        return self.health.up is True

    @property
    def issue_id(self) -> str:
        """The repair issue raised when this camera stays down."""
        return f"{ISSUE_CAMERA_DOWN}_{self.subentry_id}"

    @callback
    def async_start(self) -> None:
        """Run the first check now, in the background."""
        self._async_run_check()

    @callback
    def async_stop(self) -> None:
        """Stop checking (the entry is unloading)."""
        self._stopped = True
        if self._unsub_timer:
            self._unsub_timer()
            self._unsub_timer = None

    @callback
    def _schedule(self, delay: float) -> None:
        if self._stopped or self.hass.is_stopping:
            return

        @callback
        def _run(_now: datetime) -> None:
            self._unsub_timer = None
            self._async_run_check()

        self._unsub_timer = async_call_later(
            self.hass, delay, HassJob(_run, "camera check", cancel_on_shutdown=True)
        )

    @callback
    def _async_run_check(self) -> None:
        self.entry.async_create_background_task(
            self.hass, self.async_check(), f"{DOMAIN} check {self.config.name}"
        )

    async def async_check(self) -> None:
        """Check the camera once, update availability and schedule the next check."""
        try:
            await self._async_fetch(force=True)
        except (ProbeError, HomeAssistantError, httpx.HTTPError) as err:
            self._record_failure(str(err) or type(err).__name__)
        except Exception as err:  # a check must never die: the camera would stay unknown
            LOGGER.exception("Unexpected error checking camera %s", self.config.name)
            self._record_failure(repr(err))
        else:
            self._record_success()
        self._schedule(self.health.next_check_in())

    async def async_image(self) -> bytes | None:
        """The latest still image, taken anew when the cached one is older than 5 s."""
        try:
            return await self._async_fetch(force=False)
        except (ProbeError, HomeAssistantError, httpx.HTTPError) as err:
            self._record_failure(str(err) or type(err).__name__)
            return None

    async def _async_fetch(self, *, force: bool) -> bytes:
        async with self._lock:
            now = dt_util.utcnow().timestamp()
            if not force and self._image is not None and now - self._image_time < SNAPSHOT_MAX_AGE:
                return self._image
            image = await self._async_take_picture()
            self._image, self._image_time = image, dt_util.utcnow().timestamp()
            return image

    async def _async_take_picture(self) -> bytes:
        config = self.config
        if config.source is SourceKind.ENTITY:
            assert config.camera_entity is not None
            state = self.hass.states.get(config.camera_entity)
            if state is None or state.state in (STATE_UNAVAILABLE, STATE_UNKNOWN):
                raise HomeAssistantError(f"{config.camera_entity} is unavailable")
            return (await async_get_image(self.hass, config.camera_entity)).content
        if config.still_image_url:
            return await async_fetch_still_image(
                self.hass, config.still_image_url, config.username, config.password
            )
        url = config.probe_url
        assert url is not None
        snapshot = await self.hass.async_add_executor_job(
            partial(grab_snapshot, url, timeout=CONNECT_TIMEOUT)
        )
        return snapshot.jpeg

    @callback
    def _record_success(self) -> None:
        if self.health.success() is Transition.CAME_BACK:
            LOGGER.info("Camera %s is reachable again", self.config.name)
            ir.async_delete_issue(self.hass, DOMAIN, self.issue_id)
        self._notify()

    @callback
    def _record_failure(self, error: str) -> None:
        now = dt_util.utcnow().timestamp()
        if self.health.failure(now, error) is Transition.WENT_DOWN:
            LOGGER.warning("Camera %s is unreachable: %s", self.config.name, error)
        if self.health.needs_repair(now):
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                self.issue_id,
                is_fixable=False,
                severity=ir.IssueSeverity.ERROR,
                translation_key=ISSUE_CAMERA_DOWN,
                translation_placeholders={
                    "camera": self.config.name,
                    "url": redact_url(
                        self.config.stream_url
                        or self.config.still_image_url
                        or self.config.camera_entity
                        or ""
                    ),
                    "error": error,
                },
            )
        self._notify()


async def async_fetch_still_image(
    hass: HomeAssistant, url: str, username: str | None, password: str | None
) -> bytes:
    """GET a camera's snapshot URL; answer a Basic or Digest challenge with the credentials.

    The body is read only when the camera says it is an image, and at most 10 MB of it, so a
    wrong URL that points at an endless stream cannot hang the caller.
    """
    client = get_async_client(hass, verify_ssl=False)
    auth: httpx.Auth | None = None
    for _attempt in range(2):
        async with client.stream("GET", url, auth=auth, timeout=CONNECT_TIMEOUT) as response:
            if response.status_code == 401 and username and auth is None:
                challenge = response.headers.get("www-authenticate", "").lower()
                auth = (
                    httpx.DigestAuth(username, password or "")
                    if challenge.startswith("digest")
                    else httpx.BasicAuth(username, password or "")
                )
                continue
            if response.status_code in (401, 403):
                raise StillImageAuthError(f"HTTP {response.status_code}")
            response.raise_for_status()
            content_type = response.headers.get("content-type", "")
            if not content_type.startswith("image/"):
                raise httpx.HTTPError(f"not an image: {content_type}")
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) > MAX_STILL_IMAGE:
                    raise httpx.HTTPError("snapshot larger than 10 MB")
            return bytes(body)
    raise StillImageAuthError("HTTP 401")  # pragma: no cover - the loop always returns or raises


class StillImageAuthError(HomeAssistantError):
    """The snapshot URL refused the credentials."""
