"""One camera in the worker: what it publishes for each analysed frame (no stream, no broker)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from custom_components.quephong_office.core.vision import wire
from custom_components.quephong_office.core.vision.analyzer import AnalysisResult, ZoneReading
from custom_components.quephong_office.core.vision.sources import Frame
from custom_components.quephong_office.core.vision.zones import Zone, ZoneLayout, rect_zone
from quephong_worker.camera import CameraRunner

SITE = "17011"
LAYOUT = ZoneLayout(
    zones=(rect_zone("q1", 0.1, 0.1, 0.5, 0.9), rect_zone("q2", 0.5, 0.1, 0.9, 0.9))
)
JOB = wire.CameraJob(camera="cam", name="Cam", url="http://127.0.0.1:9/cam.ts", still_url=None,
                     layout=LAYOUT)  # fmt: skip
GRAY = np.full((90, 160), 100, np.uint8)


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


class Recorder:
    def __init__(self) -> None:
        self.sent: list[tuple[str, bytes, bool]] = []

    def __call__(self, topic: str, payload: bytes, retain: bool) -> None:
        self.sent.append((topic, payload, retain))

    def topics(self) -> list[str]:
        return [topic.removeprefix(f"quephong/{SITE}/vision/cam/") for topic, _, _ in self.sent]

    def take(self) -> list[str]:
        topics = self.topics()
        self.sent.clear()
        return topics

    def last(self, suffix: str) -> bytes:
        return next(p for t, p, _ in reversed(self.sent) if t.endswith(suffix))


class ScriptedAnalyzer:
    """Stands in for CameraAnalyzer: returns the readings it is told to."""

    def __init__(self) -> None:
        self.zones = {"q1": (False, 0, False), "q2": (False, 0, False)}
        self.times: list[float] = []
        self.calibrated: list[float] = []

    def process(self, t: float, gray: NDArray[np.uint8]) -> AnalysisResult:
        self.times.append(t)
        zones = {
            z: ZoneReading(occupied=o, count=c, motion=m, foreground=0.2 if o else 0.0)
            for z, (o, c, m) in self.zones.items()
        }
        return AnalysisResult(t=t, motion=False, zones=zones)

    def calibrate(self, t: float, gray: NDArray[np.uint8] | None = None) -> None:
        self.calibrated.append(t)

    def export_state(self) -> dict[str, Any] | None:
        return {"learned": True}


class FakeDetector:
    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def count(self, gray: NDArray[np.uint8], zones: Iterable[Zone]) -> dict[str, int]:
        ids = [zone.id for zone in zones]
        self.calls.append(ids)
        if "boom" in ids:
            raise RuntimeError("detector failed")
        return dict.fromkeys(ids, 2)


def runner(**kwargs: Any) -> tuple[CameraRunner, Recorder, Clock, ScriptedAnalyzer]:
    sent, clock, analyzer = Recorder(), Clock(), ScriptedAnalyzer()
    camera = CameraRunner(
        JOB, site=SITE, worker="w1", publish=sent, clock=clock, snapshot_interval=5, **kwargs
    )
    camera.analyzer = analyzer  # type: ignore[assignment]
    return camera, sent, clock, analyzer


def feed(camera: CameraRunner, t: float) -> None:
    camera._on_frame(Frame(t=t, gray=GRAY, source_width=320, source_height=180))


def test_first_frame_publishes_everything() -> None:
    camera, sent, _clock, _analyzer = runner()
    feed(camera, 0.0)
    assert sent.topics() == [
        "state", "zone/q1/presence", "zone/q1/people", "zone/q2/presence", "zone/q2/people",
        "snapshot",
    ]  # fmt: skip
    assert all(retain for _, _, retain in sent.sent)


def test_state_on_change_and_heartbeat() -> None:
    camera, sent, clock, analyzer = runner()
    feed(camera, 0.0)
    sent.take()
    clock.now += 0.5
    feed(camera, 0.5)
    assert sent.take() == []  # nothing changed
    analyzer.zones["q2"] = (False, 0, True)  # motion only
    clock.now += 0.5
    feed(camera, 1.0)
    assert sent.take() == ["state"]
    analyzer.zones["q1"] = (True, 1, True)  # occupancy: zone topics and a snapshot at once
    clock.now += 0.5
    feed(camera, 1.5)
    result, _fps, _worker = wire.decode_state(sent.last("/state"))
    assert result.zones["q1"].occupied is True
    assert wire.decode_presence(sent.last("q1/presence")) is True
    assert sent.take() == ["state", "zone/q1/presence", "zone/q1/people", "snapshot"]
    analyzer.zones["q1"] = (True, 2, True)  # count only
    clock.now += 0.5
    feed(camera, 2.0)
    assert sent.take() == ["state", "zone/q1/people"]
    clock.now += wire.HEARTBEAT  # quiet for a heartbeat (and past the snapshot interval)
    feed(camera, 12.0)
    assert sent.take() == ["state", "snapshot"]


def test_state_payload_carries_unix_time_and_fps() -> None:
    camera, sent, clock, _analyzer = runner()
    feed(camera, 0.0)
    result, fps, _worker = wire.decode_state(sent.last("/state"))
    assert result.t == clock.now
    assert fps == 0.0  # one frame so far
    assert camera.frames_per_second == 0.0
    assert camera.frames == 1


def test_clock_keeps_running_when_the_stream_is_reopened() -> None:
    camera, _sent, _clock, analyzer = runner()
    for t in (0.0, 0.5, 1.0, 0.0, 0.5):  # reopened after 1.0 s: the stream's clock restarts
        feed(camera, t)
    assert analyzer.times == [0.0, 0.5, 1.0, 1.5, 2.0]


def test_calibration_on_the_next_frame() -> None:
    camera, _sent, _clock, analyzer = runner()
    camera.request_calibration()
    feed(camera, 3.0)
    feed(camera, 3.5)
    assert analyzer.calibrated == [3.0]


def test_detector_counts_on_snapshot_frames() -> None:
    detector = FakeDetector()
    camera, sent, clock, analyzer = runner(detector=detector)
    feed(camera, 0.0)
    assert detector.calls == [[]]
    assert wire.decode_state_message(sent.last("/state")).detector_counts == {}
    analyzer.zones["q1"] = (True, 1, True)
    clock.now += 0.5
    feed(camera, 0.5)
    assert detector.calls[-1] == ["q1"]
    assert wire.decode_state_message(sent.last("/state")).detector_counts == {"q1": 2}


def test_a_failing_detector_does_not_stop_the_analysis() -> None:
    detector = FakeDetector()
    camera, sent, _clock, analyzer = runner(detector=detector)
    camera.job = JOB.__class__(
        camera="cam", name="Cam", url=JOB.url, still_url=None,
        layout=ZoneLayout(zones=(rect_zone("boom", 0.1, 0.1, 0.5, 0.9),)),
    )  # fmt: skip
    analyzer.zones = {"boom": (True, 1, True)}
    feed(camera, 0.0)
    assert wire.decode_state_message(sent.last("/state")).detector_counts == {}


def test_health_and_topics() -> None:
    camera, sent, clock, _analyzer = runner()
    camera._on_state(False, "HTTP 503")
    camera._on_state(True, None)
    down, up = (wire.decode_health(p) for _, p, _ in sent.sent)
    assert (down.up, down.error, down.t, down.worker) == (False, "HTTP 503", clock.now, "w1")
    assert up.up is True
    assert camera.topics() == [
        f"quephong/{SITE}/vision/cam/{suffix}"
        for suffix in (
            "state", "health", "snapshot", "zone/q1/presence", "zone/q1/people",
            "zone/q2/presence", "zone/q2/people",
        )
    ]  # fmt: skip


def test_learned_state_is_saved_and_restored(tmp_path: Path) -> None:
    camera = CameraRunner(JOB, site=SITE, worker="w1", publish=Recorder(), state_dir=tmp_path)
    rng = np.random.default_rng(1)
    picture = rng.integers(40, 200, (90, 160), dtype=np.uint8)
    for i in range(4):
        camera._on_frame(Frame(t=i * 0.5, gray=picture, source_width=160, source_height=90))
    camera.stop()  # never started: saves what was learned
    saved = json.loads((tmp_path / f"{SITE}-cam.json").read_text())
    assert saved["layout"] == LAYOUT.to_dict()
    again = CameraRunner(JOB, site=SITE, worker="w1", publish=Recorder(), state_dir=tmp_path)
    assert again.analyzer._pending_state is not None
    (tmp_path / f"{SITE}-cam.json").write_text("[]")
    assert CameraRunner(JOB, site=SITE, worker="w1", publish=Recorder(), state_dir=tmp_path)


def test_saving_to_an_unwritable_place_is_only_logged(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    camera, _sent, _clock, _analyzer = runner(state_dir=blocker / "sub")
    camera._save_state()  # the folder cannot be made: logged, nothing raised
