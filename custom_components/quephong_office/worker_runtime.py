"""A camera analysed by a vision worker on another machine, through MQTT.

The integration publishes the camera's job (stream URL, zones, settings) retained on
`quephong/<unit code>/vision/<camera>/config`; any worker of the site picks it up and publishes
the analysis back (contract: `core/vision/wire.py`). `WorkerAnalysis` offers the same face as
`CameraAnalysis` (`result`, `frames_per_second`, `request_calibration`, listeners, the camera's
monitor), so zones, desks, rules and entities behave exactly as with the embedded engine.

The camera counts as down while the worker says its stream is down, while no worker that
analyses it is online, and when no state arrived for WORKER_STALE_AFTER seconds (a worker
publishes at least every 10 s). Withdrawing the camera (unload, back to embedded analysis)
clears the retained job.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

from homeassistant.components import mqtt
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.helpers.storage import Store

from .camera_runtime import CameraMonitor
from .const import DOMAIN, LOGGER, WORKER_STALE_AFTER
from .core.vision.analyzer import AnalysisResult, AnalyzerSettings
from .core.vision.wire import (
    OFFLINE,
    ONLINE,
    CameraJob,
    WireError,
    decode_health,
    decode_state_message,
    encode_job,
    topic_availability,
    topic_calibrate,
    topic_config,
    topic_health,
    topic_state,
)
from .core.vision.zones import ZoneLayout
from .listeners import Listeners

#: How often a worker's camera is checked for a silent worker.
STALE_CHECK = timedelta(seconds=5)


class WorkerAnalysis(Listeners):
    """A camera's analysis done by a vision worker; results arrive over MQTT."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry[Any],
        monitor: CameraMonitor,
        layout: ZoneLayout,
        site: str,
        settings: AnalyzerSettings | None = None,
    ) -> None:
        """Prepare the job; `async_start` publishes it and follows the worker."""
        super().__init__()
        self.hass = hass
        self.entry = entry
        self.monitor = monitor
        self.layout = layout
        self.site = site
        self.settings = settings or AnalyzerSettings()
        self.camera = monitor.subentry_id
        self.result: AnalysisResult | None = None
        self.last_frame: float | None = None
        self.worker: str | None = None
        self.detector_counts: dict[str, int] = {}
        self._fps: float | None = None
        self._workers: dict[str, bool] = {}
        self._unsubs: list[CALLBACK_TYPE] = []
        self._started = time.monotonic()

    @property
    def frames_per_second(self) -> float | None:
        """The analysed frames per second the worker reports (None before any state)."""
        return self._fps

    def job(self) -> CameraJob:
        """What the worker is asked to analyse."""
        config = self.monitor.config
        url = config.probe_url
        assert url is not None  # the config flow refuses workers for entity cameras
        return CameraJob(
            camera=self.camera,
            name=config.name,
            url=url,
            still_url=config.authed(config.still_image_url),
            layout=self.layout,
            fps=self.settings.fps,
            analysis_width=self.settings.analysis_width,
        )

    async def async_start(self) -> None:
        """Publish the job (retained), then follow state, health and the workers."""
        self.monitor.drive_from_source()
        subscriptions = (
            (topic_state(self.site, self.camera), self._on_state),
            (topic_health(self.site, self.camera), self._on_health),
            (topic_availability(self.site, "+"), self._on_availability),
        )
        for topic, handler in subscriptions:
            self._unsubs.append(await mqtt.async_subscribe(self.hass, topic, handler, qos=1))
        self._unsubs.append(
            async_track_time_interval(
                self.hass, self._async_check_stale, STALE_CHECK, cancel_on_shutdown=True
            )
        )
        self._unsubs.append(mqtt.async_subscribe_connection_status(self.hass, self._on_connection))
        await self._async_publish_job()

    async def _async_publish_job(self) -> None:
        await mqtt.async_publish(
            self.hass,
            topic_config(self.site, self.camera),
            encode_job(self.job()),
            qos=1,
            retain=True,
        )

    @callback
    def _on_connection(self, connected: bool) -> None:
        """Back on the broker: publish the job again (a broker without persistence forgot it)."""
        if connected:
            self.entry.async_create_background_task(
                self.hass, self._async_republish_job(), f"republish job of {self.camera}"
            )

    async def _async_republish_job(self) -> None:
        try:
            await self._async_publish_job()
        except HomeAssistantError as err:  # gone again: the next connection publishes it
            LOGGER.debug("Job of camera %s not published again: %s", self.camera, err)

    async def async_stop(self, *, withdraw: bool = False) -> None:
        """Stop following; `withdraw` also clears the retained job (the camera is removed)."""
        for unsub in self._unsubs:
            unsub()
        self._unsubs.clear()
        if withdraw and "mqtt" in self.hass.config.components:
            await mqtt.async_publish(
                self.hass, topic_config(self.site, self.camera), b"", qos=1, retain=True
            )

    @callback
    def request_calibration(self) -> None:
        """Ask the worker to take its next frame as every zone's empty picture."""
        self.hass.async_create_task(
            mqtt.async_publish(self.hass, topic_calibrate(self.site, self.camera), b"1", qos=1)
        )

    # --- messages --------------------------------------------------------------------------

    @callback
    def _on_state(self, message: mqtt.ReceiveMessage) -> None:
        if not message.payload:
            return  # cleared by a worker whose job was withdrawn
        try:
            state = decode_state_message(message.payload)
        except WireError as err:
            LOGGER.warning(
                "Bad state of camera %s from a worker: %s", self.monitor.config.name, err
            )
            return
        self.result = state.result
        self.worker = state.worker
        self.detector_counts = state.detector_counts
        self._fps = state.fps
        self.last_frame = time.monotonic()
        if self._workers.get(state.worker) is False:
            return  # a retained state of a worker that is gone
        if not self.monitor.available:
            self.monitor.report_source(True, None)
        self._notify()

    @callback
    def _on_health(self, message: mqtt.ReceiveMessage) -> None:
        if not message.payload:
            return
        try:
            health = decode_health(message.payload)
        except WireError as err:
            LOGGER.warning("Bad health of camera %s: %s", self.monitor.config.name, err)
            return
        self.worker = health.worker
        if self._workers.get(health.worker) is False:
            return
        self.monitor.report_source(health.up, health.error)
        self._notify()

    @callback
    def _on_availability(self, message: mqtt.ReceiveMessage) -> None:
        worker = message.topic.rsplit("/", 2)[-2]
        payload = message.payload
        text = payload.decode() if isinstance(payload, bytes) else str(payload)
        if text not in (ONLINE, OFFLINE):
            return
        self._workers[worker] = text == ONLINE
        if worker == self.worker and text == OFFLINE:
            self.monitor.report_source(False, f"vision worker {worker} offline")
            self._notify()

    @callback
    def _async_check_stale(self, _now: datetime) -> None:
        """No state for a while: no worker took the camera, or it (or the broker) is gone."""
        if self.monitor.health.up is False:
            return
        since = self.last_frame if self.last_frame is not None else self._started
        if time.monotonic() - since > WORKER_STALE_AFTER:
            self.monitor.report_source(False, "no analysis from a vision worker")
            self._notify()


class WorkerJobs:
    """Which cameras of an office have a retained job on the broker, kept across restarts.

    A camera removed from the office, or moved back to embedded analysis, gets its retained
    job cleared at the next start, so no worker keeps analysing it.
    """

    def __init__(self, hass: HomeAssistant, entry_id: str, site: str) -> None:
        """A store file per office."""
        self.hass = hass
        self.site = site
        self._store: Store[list[str]] = Store(hass, 1, f"{DOMAIN}.{entry_id}.worker_jobs")

    async def async_sync(self, current: set[str]) -> None:
        """Withdraw the jobs of cameras no longer analysed by a worker; remember `current`."""
        published = set(await self._store.async_load() or [])
        stale = published - current
        if stale and "mqtt" in self.hass.config.components:
            for camera in sorted(stale):
                await mqtt.async_publish(
                    self.hass, topic_config(self.site, camera), b"", qos=1, retain=True
                )
        elif stale:
            current |= stale  # no broker now: try again next time
        if current != published:
            await self._store.async_save(sorted(current))


async def async_mqtt_ready(hass: HomeAssistant) -> bool:
    """True once Home Assistant's MQTT client is set up (workers need it)."""
    if "mqtt" not in hass.config.components:
        return False
    return await mqtt.async_wait_for_mqtt_client(hass)
