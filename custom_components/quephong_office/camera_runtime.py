"""A camera at run time: availability, still images, and (with zones) its analysis.

Blocking work (opening and decoding streams, analysing frames) runs in worker threads; only
results come back to the event loop.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

import httpx
from homeassistant.components.camera import async_get_image
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import CALLBACK_TYPE, HassJob, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import async_call_later, async_track_time_interval
from homeassistant.helpers.httpx_client import get_async_client
from homeassistant.util import dt as dt_util

from .const import (
    CONNECT_TIMEOUT,
    DOMAIN,
    ISSUE_CAMERA_DOWN,
    LOGGER,
    MAX_STILL_IMAGE,
    SNAPSHOT_MAX_AGE,
    STATE_SAVE_INTERVAL,
)
from .core.cameras import CameraConfig, SourceKind, redact_url
from .core.health import SourceHealth, Transition
from .core.vision.analyzer import AnalysisResult, AnalyzerSettings, CameraAnalyzer
from .core.vision.probe import ProbeError, grab_snapshot
from .core.vision.sources import (
    Frame,
    FrameRate,
    FrameSource,
    Gray,
    SteadyTime,
    gray_from_jpeg,
)
from .core.vision.zones import ZoneLayout
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
        self._driven = False

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
    def drive_from_source(self) -> None:
        """Availability now comes from a running frame source: stop the periodic checks."""
        self._driven = True
        if self._unsub_timer:
            self._unsub_timer()
            self._unsub_timer = None

    @callback
    def report_source(self, up: bool, error: str | None) -> None:
        """A frame source's news: frames are flowing (up) or the stream failed."""
        if up:
            self._record_success()
        else:
            self._record_failure(error or "stream failed")

    @callback
    def _schedule(self, delay: float) -> None:
        if self._stopped or self._driven or self.hass.is_stopping:
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


class CameraAnalysis(Listeners):
    """Runs a camera's zones through the analyzer, off the event loop.

    Stream cameras: a FrameSource thread decodes the substream (or the main stream) and
    analyses each sampled frame in that same thread; only the result is handed to the event
    loop. Cameras taken from another Home Assistant camera entity are polled for snapshots.
    What was learned is saved every 5 minutes and when the office unloads.
    """

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry[Any],
        monitor: CameraMonitor,
        layout: ZoneLayout,
        on_state_export: Callable[[str, dict[str, Any]], None],
        saved: dict[str, Any] | None = None,
        settings: AnalyzerSettings | None = None,
    ) -> None:
        """Prepare the analyzer (restoring what was learned); `async_start` starts frames."""
        super().__init__()
        self.hass = hass
        self.entry = entry
        self.monitor = monitor
        self.layout = layout
        self.analyzer = CameraAnalyzer(layout, settings)
        if saved:
            self.analyzer.restore_state(saved)
        self._export = on_state_export
        self.result: AnalysisResult | None = None
        self.last_frame: float | None = None
        self._rate = FrameRate()
        self._calibrate = threading.Event()
        #: A reopened live stream starts its clock again: the analyzer must not see that.
        self._steady = SteadyTime(1.0 / self.analyzer.settings.fps)
        self._last_export = time.monotonic()
        self._source: FrameSource | None = None
        self._poll_unsub: CALLBACK_TYPE | None = None
        self._polling = False

    @property
    def frames_per_second(self) -> float | None:
        """Analysed frames per second over the last 30 s (None before any frame)."""
        return self._rate.rate(time.monotonic())

    @callback
    def async_start(self) -> None:
        """Start analysing."""
        config = self.monitor.config
        self.monitor.drive_from_source()
        fps = self.analyzer.settings.fps
        if config.source is SourceKind.ENTITY:
            self._poll_unsub = async_track_time_interval(
                self.hass,
                self._async_poll,
                timedelta(seconds=1.0 / fps),
                cancel_on_shutdown=True,
            )
            return
        url = config.probe_url
        assert url is not None
        self._source = FrameSource(
            url,
            fps=fps,
            size=self.analyzer.analysis_size,
            on_frame=self._on_frame,
            on_state=self._on_state,
            name=config.name,
            timeout=CONNECT_TIMEOUT,
        )
        self._source.start()

    async def async_stop(self) -> None:
        """Stop the frames (joining the decoder thread off the loop) and save what was learned."""
        if self._poll_unsub:
            self._poll_unsub()
            self._poll_unsub = None
        source, self._source = self._source, None
        if source is not None:
            await self.hass.async_add_executor_job(source.stop)
        state = self.analyzer.export_state()
        if state is not None:
            self._export(self.monitor.subentry_id, state)

    @callback
    def request_calibration(self) -> None:
        """Take the next frame as every zone's empty picture."""
        self._calibrate.set()

    def _analyse(self, t: float, gray: Gray) -> AnalysisResult:
        """Runs in a worker thread: one frame through the analyzer."""
        if self._calibrate.is_set():
            self._calibrate.clear()
            self.analyzer.calibrate(t, gray)
        return self.analyzer.process(t, gray)

    def _on_frame(self, frame: Frame) -> None:
        """Decoder thread: analyse, then hand the result to the event loop."""
        result = self._analyse(self._steady(frame.t), frame.gray)
        state = None
        if time.monotonic() - self._last_export >= STATE_SAVE_INTERVAL:
            self._last_export = time.monotonic()
            state = self.analyzer.export_state()
        self.hass.loop.call_soon_threadsafe(self._publish, result, state)

    def _on_state(self, up: bool, error: str | None) -> None:
        """Decoder thread: the stream came up or failed."""
        self.hass.loop.call_soon_threadsafe(self.monitor.report_source, up, error)

    @callback
    def _publish(self, result: AnalysisResult, state: dict[str, Any] | None) -> None:
        self.result = result
        self.last_frame = time.monotonic()
        self._rate.tick(self.last_frame)
        if state is not None:
            self._export(self.monitor.subentry_id, state)
        self._notify()

    async def _async_poll(self, _now: datetime) -> None:
        """Entity cameras: one snapshot, decoded and analysed in the executor.

        A poll that is still running when the next one is due makes that one skip: the
        analyzer takes one frame at a time.
        """
        if self._polling:
            return
        self._polling = True
        try:
            await self._async_poll_once()
        finally:
            self._polling = False

    async def _async_poll_once(self) -> None:
        config = self.monitor.config
        assert config.camera_entity is not None
        try:
            image = await async_get_image(self.hass, config.camera_entity)
        except HomeAssistantError as err:
            self.monitor.report_source(False, str(err))
            return
        t = time.monotonic()
        gray = await self.hass.async_add_executor_job(
            gray_from_jpeg, image.content, self.analyzer.analysis_size
        )
        result = await self.hass.async_add_executor_job(self._analyse, t, gray)
        self.monitor.report_source(True, None)
        self._publish(result, None)
