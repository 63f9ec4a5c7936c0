"""A real broker, a simulated camera and the worker as a process, with a subscriber to watch."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
import pytest
import yaml
from paho.mqtt.enums import CallbackAPIVersion

from custom_components.quephong_office.core.vision import wire
from custom_components.quephong_office.core.vision.zones import ZoneLayout, rect_zone
from devtools.broker import MosquittoBroker
from devtools.scene import SceneTruth, render_scene
from devtools.streams import StreamServer

ROOT = Path(__file__).resolve().parents[2]
SITE = "17011"


@pytest.fixture(scope="session")
def clip(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SceneTruth]:
    """A 20 s one-stop scene at 320×180, 10 fps: quầy 1 busy from 2.1 s, quầy 2 from 8.1 s."""
    path = tmp_path_factory.mktemp("worker-clips") / "one_stop.mp4"
    return path, render_scene(path, kind="one_stop", seconds=20, fps=10, size=(320, 180))


def layout_of(truth: SceneTruth) -> ZoneLayout:
    """The scene's desks as zones."""
    return ZoneLayout(zones=tuple(rect_zone(z, *rect) for z, rect in sorted(truth.desks.items())))


def job_for(camera: str, url: str, truth: SceneTruth) -> wire.CameraJob:
    """A camera job as Home Assistant publishes it."""
    return wire.CameraJob(
        camera=camera, name=f"Camera {camera}", url=url, still_url=None, layout=layout_of(truth)
    )


@pytest.fixture
def sockets(request: pytest.FixtureRequest) -> None:
    """Allow sockets where the Home Assistant test plugin blocks them."""
    with contextlib.suppress(pytest.FixtureLookupError):
        request.getfixturevalue("socket_enabled")


@pytest.fixture
def broker(sockets: None) -> Iterator[MosquittoBroker]:
    """A real Mosquitto on loopback."""
    if not MosquittoBroker.available():
        pytest.skip("mosquitto is not installed")
    with MosquittoBroker() as running:
        yield running


@pytest.fixture
def streams(clip: tuple[Path, SceneTruth], sockets: None) -> Iterator[StreamServer]:
    """The clip served as a looping camera stream (`cam`)."""
    with StreamServer({"cam": clip[0]}) as server:
        yield server


@dataclass(frozen=True, slots=True)
class Message:
    """A message the watcher received."""

    at: float
    topic: str
    payload: bytes
    retained: bool


class Watcher:
    """A paho subscriber to everything of the site, with waits on what arrived."""

    def __init__(self, port: int) -> None:
        self.messages: list[Message] = []
        self._cond = threading.Condition()
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2)
        self.client.on_message = self._on_message
        self.client.on_connect = lambda c, *_: c.subscribe(wire.subscription_all(SITE), qos=1)
        self.client.reconnect_delay_set(1, 2)
        self.client.connect("127.0.0.1", port, keepalive=10)
        self.client.loop_start()

    def _on_message(self, client: mqtt.Client, userdata: Any, msg: mqtt.MQTTMessage) -> None:
        with self._cond:
            self.messages.append(Message(time.monotonic(), msg.topic, msg.payload, msg.retain))
            self._cond.notify_all()

    def wait(
        self, predicate: Callable[[Message], bool], timeout: float = 30.0, since: float = 0.0
    ) -> Message:
        """The first message at or after `since` (monotonic) that satisfies `predicate`."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for message in self.messages:
                    if message.at >= since and predicate(message):
                        return message
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = sorted({m.topic for m in self.messages if m.at >= since})
                    raise AssertionError(f"no such message in {timeout:g} s; topics: {seen}")
                self._cond.wait(left)

    def wait_for(self, topic: str, check: Callable[[bytes], bool] = bool, **kwargs: Any) -> Message:
        """The first message on `topic` whose payload passes `check`."""
        return self.wait(lambda m: m.topic == topic and check(m.payload), **kwargs)

    def publish(self, topic: str, payload: bytes, *, retain: bool = True) -> None:
        self.client.publish(topic, payload, qos=1, retain=retain).wait_for_publish(5)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


@pytest.fixture
def watcher(broker: MosquittoBroker) -> Iterator[Watcher]:
    """A subscriber to `quephong/<site>/vision/#`."""
    watching = Watcher(broker.port)
    yield watching
    watching.close()


def fresh_retained(port: int, topic: str, timeout: float = 10.0) -> bytes | None:
    """What a new subscriber gets as the retained message of `topic` (None: nothing)."""
    got: list[bytes] = []
    done = threading.Event()
    subscribed = threading.Event()
    client = mqtt.Client(CallbackAPIVersion.VERSION2)

    def _on_message(c: mqtt.Client, userdata: Any, msg: mqtt.MQTTMessage) -> None:
        if msg.retain:
            got.append(msg.payload)
            done.set()

    client.on_message = _on_message
    client.on_subscribe = lambda *_: subscribed.set()
    client.on_connect = lambda c, *_: c.subscribe(topic, qos=1)
    client.connect("127.0.0.1", port)
    client.loop_start()
    try:
        # retained messages follow the subscription's acknowledgement at once
        if subscribed.wait(timeout):
            done.wait(0.5)
    finally:
        client.disconnect()
        client.loop_stop()
    return got[0] if got else None


class WorkerProcess:
    """`python -m quephong_worker --config …` as a child process."""

    def __init__(self, config: dict[str, Any], folder: Path) -> None:
        self.config = config
        self.path = folder / f"{config['worker_id']}.yaml"
        self.path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        self.log = folder / f"{config['worker_id']}.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "quephong_worker", "--config", str(self.path)],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def terminate(self, timeout: float = 30.0) -> int:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout)

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait(10)

    def output(self) -> str:
        return self.log.read_text("utf-8", "replace")


@pytest.fixture
def make_worker(broker: MosquittoBroker, tmp_path: Path) -> Generator[Callable[..., WorkerProcess]]:
    """Start worker processes on the broker; all are killed at the end of the test."""
    started: list[WorkerProcess] = []

    def _make(worker_id: str = "w1", **options: Any) -> WorkerProcess:
        config: dict[str, Any] = {
            "broker": {"host": "127.0.0.1", "port": broker.port, "keepalive": 5},
            "site": SITE,
            "worker_id": worker_id,
            "snapshot_interval": 2,
            "state_dir": str(tmp_path / "state"),
            **options,
        }
        worker = WorkerProcess(config, tmp_path)
        worker.start()
        started.append(worker)
        return worker

    yield _make
    for worker in started:
        if worker.proc is not None and worker.proc.poll() is None:
            worker.kill()
