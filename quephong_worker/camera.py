"""One camera in the worker: frames in, the contract's messages out.

Runs like the integration's CameraAnalysis: a FrameSource thread decodes the stream and calls the
camera's own CameraAnalyzer in that same thread for each sampled frame (2 per second by
default); learned state is restored at start and saved every 5 minutes and at stop. What comes
out is published from that thread (paho's publish is thread-safe): the state on every change of
a zone's occupied/count/motion and at least every heartbeat, zone topics on change, health when
the stream comes or goes, a snapshot at most every `snapshot_interval` and right after an
occupancy change.

The stream's clock starts again at 0 when FrameSource reopens a live stream; the analyzer is
fed a clock that keeps running instead, so the presence timers do not see time go backwards.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from custom_components.quephong_office.core.vision import wire
from custom_components.quephong_office.core.vision.analyzer import (
    AnalysisResult,
    AnalyzerSettings,
    CameraAnalyzer,
)
from custom_components.quephong_office.core.vision.sources import (
    Frame,
    FrameRate,
    FrameSource,
    SteadyTime,
)

from .detector import Detector
from .snapshot import encode_jpeg

LOGGER = logging.getLogger(__name__)

#: How often what was learned is saved (seconds), as the integration does.
STATE_SAVE_INTERVAL = 300.0
#: Opening a stream and each read give up after this long (seconds).
STREAM_TIMEOUT = 10.0

#: publish(topic, payload, retain)
Publish = Callable[[str, bytes, bool], None]


class CameraRunner:
    """Analyses one camera job and publishes the results."""

    def __init__(
        self,
        job: wire.CameraJob,
        *,
        site: str,
        worker: str,
        publish: Publish,
        snapshot_interval: float = wire.SNAPSHOT_INTERVAL,
        detector: Detector | None = None,
        state_dir: Path | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """Prepare the analyzer (restoring what was learned); `start` opens the stream."""
        self.job = job
        self.site = site
        self.worker = worker
        self._publish = publish
        self.snapshot_interval = snapshot_interval
        self.detector = detector
        self.clock = clock
        self.analyzer = CameraAnalyzer(
            job.layout, AnalyzerSettings(fps=job.fps, analysis_width=job.analysis_width)
        )
        self._state_file = (
            state_dir / f"{site}-{job.camera}.json" if state_dir is not None else None
        )
        saved = self._load_state()
        if saved:
            self.analyzer.restore_state(saved)
        self.frames = 0
        self.result: AnalysisResult | None = None
        self._rate = FrameRate()
        self._calibrate = threading.Event()
        self._steady = SteadyTime(1.0 / self.job.fps)
        self._published: dict[str, tuple[bool, int, bool]] | None = None
        self._zone_sent: dict[str, tuple[bool, int]] = {}
        self._last_state = 0.0
        self._last_snapshot = -1e9
        self._last_save = time.monotonic()
        self._detector_counts: dict[str, int] = {}
        self._source = FrameSource(
            job.url,
            fps=job.fps,
            size=self.analyzer.analysis_size,
            on_frame=self._on_frame,
            on_state=self._on_state,
            name=job.camera,
            timeout=STREAM_TIMEOUT,
        )

    # --- life ---------------------------------------------------------------------------------

    def start(self) -> None:
        """Open the stream and analyse in a thread of its own."""
        self._source.start()

    def stop(self) -> None:
        """Stop the stream (joining its thread) and save what was learned."""
        self._source.stop()
        self._save_state()

    def request_calibration(self) -> None:
        """Take the next frame as every zone's empty picture."""
        self._calibrate.set()

    def topics(self) -> list[str]:
        """Every retained topic this camera publishes (to clear them when it is withdrawn)."""
        site, camera = self.site, self.job.camera
        topics = [
            wire.topic_state(site, camera),
            wire.topic_health(site, camera),
            wire.topic_snapshot(site, camera),
        ]
        for zone in self.job.layout.zones:
            topics += [wire.topic_zone(site, camera, zone.id, what) for what in wire.ZONE_TOPICS]
        return topics

    @property
    def frames_per_second(self) -> float | None:
        """Analysed frames per second over the last 30 s (None before any frame)."""
        return self._rate.rate(time.monotonic())

    # --- the decoder thread -----------------------------------------------------------------

    def _on_frame(self, frame: Frame) -> None:
        t = self._steady(frame.t)
        if self._calibrate.is_set():
            self._calibrate.clear()
            self.analyzer.calibrate(t, frame.gray)
        result = self.analyzer.process(t, frame.gray)
        now = self.clock()
        self.frames += 1
        self._rate.tick(time.monotonic())
        self.result = replace(result, t=now)
        self._publish_result(self.result, frame, now)
        if time.monotonic() - self._last_save >= STATE_SAVE_INTERVAL:
            self._save_state()

    def _publish_result(self, result: AnalysisResult, frame: Frame, now: float) -> None:
        site, camera = self.site, self.job.camera
        summary = {
            zone: (reading.occupied, reading.count, reading.motion)
            for zone, reading in result.zones.items()
        }
        occupancy_changed = self._published is None or any(
            self._published.get(zone, (None,))[0] != values[0] for zone, values in summary.items()
        )
        snapshot = occupancy_changed or now - self._last_snapshot >= self.snapshot_interval
        if snapshot and self.detector is not None:
            occupied = [z for z in self.job.layout.zones if result.zones[z.id].occupied]
            try:
                self._detector_counts = self.detector.count(frame.gray, occupied)
            except Exception:  # an optional confirmation must never stop the analysis
                LOGGER.exception("Person detector failed on %s", camera)
                self._detector_counts = {}
        if summary != self._published or now - self._last_state >= wire.HEARTBEAT:
            payload = wire.encode_state(
                result,
                fps=self.frames_per_second,
                worker=self.worker,
                detector_counts=self._detector_counts if self.detector is not None else None,
            )
            self._publish(wire.topic_state(site, camera), payload, True)
            self._published = summary
            self._last_state = now
        for zone, reading in result.zones.items():
            before = self._zone_sent.get(zone)
            if before is None or before[0] != reading.occupied:
                self._publish(
                    wire.topic_zone(site, camera, zone, "presence"),
                    wire.encode_presence(reading.occupied),
                    True,
                )
            if before is None or before[1] != reading.count:
                self._publish(
                    wire.topic_zone(site, camera, zone, "people"),
                    wire.encode_people(reading.count),
                    True,
                )
            self._zone_sent[zone] = (reading.occupied, reading.count)
        if snapshot:
            self._publish(wire.topic_snapshot(site, camera), encode_jpeg(frame.gray), True)
            self._last_snapshot = now

    def _on_state(self, up: bool, error: str | None) -> None:
        if up:
            LOGGER.info("Camera %s: stream up", self.job.camera)
        else:
            LOGGER.warning("Camera %s: stream down: %s", self.job.camera, error)
        self.publish_health(up, error)

    def publish_health(self, up: bool, error: str | None) -> None:
        """Publish the camera's health now."""
        self._publish(
            wire.topic_health(self.site, self.job.camera),
            wire.encode_health(up, error, self.clock(), self.worker),
            True,
        )

    # --- what was learned -------------------------------------------------------------------

    def _load_state(self) -> dict[str, Any] | None:
        if self._state_file is None:
            return None
        try:
            data = json.loads(self._state_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def _save_state(self) -> None:
        self._last_save = time.monotonic()
        state = self.analyzer.export_state()
        if self._state_file is None or state is None:
            return
        tmp = self._state_file.with_suffix(f".{os.getpid()}.tmp")
        try:
            self._state_file.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(state), encoding="utf-8")
            tmp.replace(self._state_file)
        except OSError as err:
            LOGGER.warning("Cannot save what camera %s learned: %s", self.job.camera, err)
            with contextlib.suppress(OSError):
                tmp.unlink()
