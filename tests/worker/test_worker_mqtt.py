"""The worker process against a real Mosquitto and a simulated camera, watched over MQTT."""

from __future__ import annotations

import json
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from custom_components.quephong_office.core.vision import wire
from devtools.broker import MosquittoBroker
from devtools.scene import SceneTruth
from devtools.streams import StreamServer
from quephong_worker.assignment import owner

from .conftest import SITE, Watcher, WorkerProcess, fresh_retained, job_for

Clip = tuple[Path, SceneTruth]
MakeWorker = Callable[..., WorkerProcess]


def is_state(payload: bytes) -> bool:
    return bool(payload) and wire.decode_state(payload) is not None


def health(up: bool) -> Callable[[bytes], bool]:
    return lambda payload: bool(payload) and wire.decode_health(payload).up is up


def state_by(worker: str) -> Callable[[bytes], bool]:
    return lambda payload: bool(payload) and wire.decode_state(payload)[2] == worker


def publish_job(watcher: Watcher, camera: str, streams: StreamServer, clip: Clip) -> None:
    job = job_for(camera, streams.stream_url("cam"), clip[1])
    watcher.publish(wire.topic_config(SITE, camera), wire.encode_job(job))


def test_worker_publishes_the_contract(
    make_worker: MakeWorker,
    watcher: Watcher,
    streams: StreamServer,
    clip: Clip,
    broker: MosquittoBroker,
) -> None:
    publish_job(watcher, "cam01", streams, clip)
    worker = make_worker("w1")
    watcher.wait_for(wire.topic_availability(SITE, "w1"), lambda p: p == b"online")
    watcher.wait_for(wire.topic_health(SITE, "cam01"), health(True))
    state = watcher.wait_for(wire.topic_state(SITE, "cam01"), is_state)
    result, _fps, who = wire.decode_state(state.payload)
    assert who == "w1"
    assert set(result.zones) == {"quay-1", "quay-2"}
    assert abs(result.t - time.time()) < 30
    # quầy 1 is staffed from 2.1 s to 15.8 s of every loop of the clip
    presence = wire.topic_zone(SITE, "cam01", "quay-1", "presence")
    watcher.wait_for(presence, lambda p: p == b"ON")
    snapshot = watcher.wait_for(wire.topic_snapshot(SITE, "cam01"))
    assert snapshot.payload[:2] == b"\xff\xd8"  # JPEG
    # everything is retained: a subscriber arriving now gets it at once
    for topic in (
        wire.topic_state(SITE, "cam01"),
        wire.topic_health(SITE, "cam01"),
        wire.topic_snapshot(SITE, "cam01"),
        presence,
        wire.topic_zone(SITE, "cam01", "quay-1", "people"),
        wire.topic_availability(SITE, "w1"),
    ):
        assert fresh_retained(broker.port, topic), topic
    # a calibration request reaches the camera
    watcher.publish(wire.topic_calibrate(SITE, "cam01"), b"1", retain=False)
    deadline = time.monotonic() + 10
    while "calibrating" not in worker.output():
        assert time.monotonic() < deadline, worker.output()
        time.sleep(0.1)
    # a graceful stop says offline itself
    stopping = time.monotonic()
    assert worker.terminate() == 0
    watcher.wait_for(wire.topic_availability(SITE, "w1"), lambda p: p == b"offline", since=stopping)


def test_state_heartbeat_and_fps(
    make_worker: MakeWorker, watcher: Watcher, streams: StreamServer, clip: Clip
) -> None:
    publish_job(watcher, "cam01", streams, clip)
    make_worker("w1")
    topic = wire.topic_state(SITE, "cam01")
    first = watcher.wait_for(topic, is_state, timeout=30)
    # states come on every change and at least every 10 s: over 12 s there are at least two
    later = watcher.wait(
        lambda m: m.topic == topic and m.at > first.at + 1.0 and is_state(m.payload),
        timeout=wire.HEARTBEAT + 2,
    )
    _result, fps, _who = wire.decode_state(later.payload)
    assert fps is not None


def test_withdrawn_camera_stops_and_is_cleared(
    make_worker: MakeWorker,
    watcher: Watcher,
    streams: StreamServer,
    clip: Clip,
    broker: MosquittoBroker,
) -> None:
    publish_job(watcher, "cam01", streams, clip)
    worker = make_worker("w1")
    state_topic = wire.topic_state(SITE, "cam01")
    watcher.wait_for(state_topic, is_state)
    withdrawn = time.monotonic()
    watcher.publish(wire.topic_config(SITE, "cam01"), b"")
    watcher.wait_for(state_topic, lambda p: p == b"", since=withdrawn)
    watcher.wait_for(wire.topic_health(SITE, "cam01"), lambda p: p == b"", since=withdrawn)
    cleared = time.monotonic()
    time.sleep(1.5)  # three analysed frames' worth: nothing may follow
    assert not [m for m in watcher.messages if m.topic == state_topic and m.at > cleared]
    assert fresh_retained(broker.port, state_topic) is None
    assert "cam01: stopping (withdrawn)" in worker.output()
    assert streams.active_streams == 0


def test_stream_drop_out_and_recovery(
    make_worker: MakeWorker, watcher: Watcher, streams: StreamServer, clip: Clip
) -> None:
    publish_job(watcher, "cam01", streams, clip)
    make_worker("w1")
    health_topic = wire.topic_health(SITE, "cam01")
    watcher.wait_for(health_topic, health(True))
    cut = time.monotonic()
    streams.set_available(False)
    down = watcher.wait_for(health_topic, health(False), since=cut, timeout=20)
    assert wire.decode_health(down.payload).error
    back = time.monotonic()
    streams.set_available(True)
    watcher.wait_for(health_topic, health(True), since=back, timeout=30)
    watcher.wait_for(wire.topic_state(SITE, "cam01"), is_state, since=back, timeout=10)


def test_last_will_on_kill(make_worker: MakeWorker, watcher: Watcher) -> None:
    worker = make_worker("w1")
    topic = wire.topic_availability(SITE, "w1")
    watcher.wait_for(topic, lambda p: p == b"online")
    killed = time.monotonic()
    worker.kill()
    offline = watcher.wait_for(topic, lambda p: p == b"offline", since=killed, timeout=15)
    assert offline.at - killed < 5 * 1.5 + 2  # keepalive 5 s


def test_last_will_when_frozen_then_back(make_worker: MakeWorker, watcher: Watcher) -> None:
    worker = make_worker("w1")
    topic = wire.topic_availability(SITE, "w1")
    watcher.wait_for(topic, lambda p: p == b"online")
    assert worker.proc is not None
    frozen = time.monotonic()
    worker.proc.send_signal(signal.SIGSTOP)  # alive but silent: only the keepalive tells
    try:
        offline = watcher.wait_for(topic, lambda p: p == b"offline", since=frozen, timeout=15)
        # keepalive 5 s: 1.5 × 5 s, and Mosquitto checks keepalives every few seconds
        assert 5 <= offline.at - frozen < 14
    finally:
        worker.proc.send_signal(signal.SIGCONT)
    watcher.wait_for(topic, lambda p: p == b"online", since=offline.at, timeout=15)


def test_broker_restart_brings_retained_state_back(
    make_worker: MakeWorker,
    watcher: Watcher,
    streams: StreamServer,
    clip: Clip,
    broker: MosquittoBroker,
) -> None:
    publish_job(watcher, "cam01", streams, clip)
    make_worker("w1")
    state_topic = wire.topic_state(SITE, "cam01")
    watcher.wait_for(state_topic, is_state)
    broker.stop()  # no persistence: every retained message is lost
    restarted = MosquittoBroker(port=broker.port)
    restarted.start()
    try:
        again = time.monotonic()
        watcher.wait_for(wire.topic_availability(SITE, "w1"), lambda p: p == b"online", since=again)
        assert fresh_retained(restarted.port, state_topic)
        assert fresh_retained(restarted.port, wire.topic_health(SITE, "cam01"))
        # the camera went on without its (lost) retained job
        watcher.wait_for(state_topic, is_state, since=time.monotonic(), timeout=15)
    finally:
        restarted.stop()


def test_two_workers_share_cameras_and_take_over(
    make_worker: MakeWorker, watcher: Watcher, streams: StreamServer, clip: Clip
) -> None:
    cameras = [f"cam{i}" for i in range(1, 5)]
    owners = {camera: owner(camera, {"w1", "w2"}) or "" for camera in cameras}
    assert set(owners.values()) == {"w1", "w2"}  # the names split between the two
    for camera in cameras:
        publish_job(watcher, camera, streams, clip)
    make_worker("w1")
    w2 = make_worker("w2")
    for camera in cameras:
        watcher.wait_for(wire.topic_state(SITE, camera), state_by(owners[camera]), timeout=40)
    killed = time.monotonic()
    w2.kill()
    watcher.wait_for(
        wire.topic_availability(SITE, "w2"), lambda p: p == b"offline", since=killed, timeout=15
    )
    for camera in [c for c, w in owners.items() if w == "w2"]:
        watcher.wait_for(wire.topic_state(SITE, camera), state_by("w1"), since=killed)


def test_refused_config_is_reported_in_health(
    make_worker: MakeWorker, watcher: Watcher, streams: StreamServer, clip: Clip
) -> None:
    bad = json.loads(wire.encode_job(job_for("cam01", streams.stream_url("cam"), clip[1])))
    bad["v"] = 9
    watcher.publish(wire.topic_config(SITE, "cam01"), json.dumps(bad).encode())
    make_worker("w1")
    message = watcher.wait_for(wire.topic_health(SITE, "cam01"), health(False))
    assert "unsupported_version" in (wire.decode_health(message.payload).error or "")


def test_static_cameras_without_assigned_jobs(
    make_worker: MakeWorker, watcher: Watcher, streams: StreamServer, clip: Clip
) -> None:
    job = json.loads(wire.encode_job(job_for("gate", streams.stream_url("cam"), clip[1])))
    del job["v"]
    publish_job(watcher, "cam01", streams, clip)  # ignored: accept_assigned is off
    worker = make_worker("w1", accept_assigned=False, cameras=[job])
    watcher.wait_for(wire.topic_state(SITE, "gate"), state_by("w1"))
    assert "cam01" not in worker.output()
    assert not [m for m in watcher.messages if m.topic == wire.topic_state(SITE, "cam01")]


def test_hog_detector_confirms_occupied_zones(
    make_worker: MakeWorker, watcher: Watcher, streams: StreamServer, clip: Clip
) -> None:
    pytest.importorskip(
        "cv2", reason="OpenCV is not installed here (only scripts/worker-env installs it)"
    )
    publish_job(watcher, "cam01", streams, clip)
    make_worker("w1", detector="hog")

    def counted(payload: bytes) -> bool:
        if not payload:
            return False
        message = wire.decode_state_message(payload)
        occupied = {z for z, r in message.result.zones.items() if r.occupied}
        return bool(occupied) and set(message.detector_counts) == occupied

    watcher.wait_for(wire.topic_state(SITE, "cam01"), counted)
