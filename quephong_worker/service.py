"""The worker: which cameras to run, started and stopped as jobs and workers come and go.

MQTT messages arrive on paho's network thread and are queued; one control thread (the caller
of `run`) acts on them, so starting and stopping cameras (which joins decoder threads) never
holds up the connection. Cameras come from the worker's own configuration (always run) and,
with `accept_assigned`, from the retained config topics Home Assistant publishes, shared among
the site's online workers by rendezvous hashing (assignment.py). A camera is stopped only when
its job is withdrawn (empty config) or moves to another worker, never because the broker went
away: the analysis goes on and its last messages are published again on reconnection.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from custom_components.quephong_office.core.vision import wire

from .assignment import Peers, owner
from .camera import CameraRunner
from .config import WorkerConfig
from .detector import Detector
from .mqtt import MqttLink

LOGGER = logging.getLogger(__name__)

#: After a (re)connection, wait this long for the retained jobs and peers before deciding.
SETTLE = 1.0
#: Changes arriving close together are acted on together.
DEBOUNCE = 0.3
#: The control loop looks at the time at least this often (seconds).
TICK = 0.25


@dataclass(frozen=True, slots=True)
class _Message:
    topic: str
    payload: bytes
    retained: bool


@dataclass(frozen=True, slots=True)
class _Connected:
    first: bool


@dataclass(frozen=True, slots=True)
class _Disconnected:
    pass


class Worker:
    """Runs the cameras of one worker process."""

    def __init__(
        self,
        config: WorkerConfig,
        *,
        detector: Detector | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        """Prepare; `run` connects and works until `stop`."""
        self.config = config
        self.detector = detector
        self.monotonic = monotonic
        self.site = config.site
        self.me = config.worker_id
        self.peers = Peers(self.me)
        self.static = {job.camera: job for job in config.cameras}
        self.jobs: dict[str, wire.CameraJob] = {}
        self.runners: dict[str, CameraRunner] = {}
        self._over: set[str] = set()
        self._events: queue.Queue[_Message | _Connected | _Disconnected | None] = queue.Queue()
        self._stop = threading.Event()
        self._reconcile_at: float | None = None
        self._not_before = 0.0
        subscriptions = [wire.subscription_calibrate(self.site)]
        if config.accept_assigned:
            subscriptions += [
                wire.subscription_configs(self.site),
                wire.subscription_availability(self.site),
            ]
        self.link = MqttLink(
            config.broker,
            client_id=config.client_id,
            availability_topic=wire.topic_availability(self.site, self.me),
            subscriptions=subscriptions,
            on_message=lambda topic, payload, retained: self._events.put(
                _Message(topic, payload, retained)
            ),
            on_connect=lambda first: self._events.put(_Connected(first)),
            on_disconnect=lambda: self._events.put(_Disconnected()),
        )

    # --- control ------------------------------------------------------------------------------

    def run(self) -> None:
        """Connect and work until `stop` is called; then stop every camera and say offline."""
        self.link.start()
        self._schedule(0.0)  # the static cameras do not wait for the broker
        try:
            while not self._stop.is_set():
                now = self.monotonic()
                wait = (
                    TICK
                    if self._reconcile_at is None
                    else max(self._reconcile_at, self._not_before) - now
                )
                try:
                    event = self._events.get(timeout=min(max(wait, 0.0), TICK))
                except queue.Empty:
                    event = None
                if isinstance(event, _Message):
                    self._on_message(event)
                elif isinstance(event, _Connected):
                    self.peers.reconnected(self.monotonic())
                    self._not_before = self.monotonic() + SETTLE  # the retained messages first
                    self._schedule(SETTLE)
                elif isinstance(event, _Disconnected):
                    self.peers.disconnected()
                if self.peers.expire(self.monotonic()):
                    LOGGER.info("Workers online: %s", ", ".join(sorted(self.peers.online)))
                    self._schedule(DEBOUNCE)
                due = self._reconcile_at is not None and self.monotonic() >= max(
                    self._reconcile_at, self._not_before
                )
                if due:
                    self._reconcile_at = None
                    self._reconcile()
        finally:
            self._stop_runners(list(self.runners), clear=False)
            self.link.stop()

    def stop(self) -> None:
        """Ask `run` to finish (from any thread or a signal handler)."""
        self._stop.set()
        self._events.put(None)

    def _schedule(self, delay: float) -> None:
        at = self.monotonic() + delay
        if self._reconcile_at is None or at < self._reconcile_at:
            self._reconcile_at = at

    # --- messages -----------------------------------------------------------------------------

    def _on_message(self, message: _Message) -> None:
        parsed = wire.parse_topic(message.topic)
        if parsed is None or parsed.site != self.site:
            return
        if parsed.kind == wire.KIND_AVAILABILITY:
            online = message.payload == wire.ONLINE.encode()
            if parsed.camera != self.me:
                LOGGER.info("Worker %s says: %s", parsed.camera, "online" if online else "offline")
            if self.peers.announce(parsed.camera, online, self.monotonic()):
                self._schedule(DEBOUNCE)
        elif parsed.kind == wire.KIND_CONFIG:
            self._on_config(parsed.camera, message.payload)
        elif parsed.kind == wire.KIND_CALIBRATE:
            runner = self.runners.get(parsed.camera)
            if runner is not None:
                LOGGER.info("Camera %s: calibrating on the next frame", parsed.camera)
                runner.request_calibration()

    def _on_config(self, camera: str, payload: bytes) -> None:
        if camera in self.static:
            LOGGER.warning("Camera %s is configured here; its config topic is ignored", camera)
            return
        try:
            job = wire.decode_job(payload)
            if job is not None and job.camera != camera:
                raise wire.WireError("invalid_camera", job.camera)
        except wire.WireError as err:
            LOGGER.warning("Camera %s: config refused: %s", camera, err)
            if owner(camera, self.peers.online) == self.me:
                self.link.publish(
                    wire.topic_health(self.site, camera),
                    wire.encode_health(False, f"config refused: {err}", time.time(), self.me),
                )
            return
        if job is None:
            if self.jobs.pop(camera, None) is not None:
                LOGGER.info("Camera %s withdrawn", camera)
        elif self.jobs.get(camera) != job:
            self.jobs[camera] = job
        else:
            return
        self._schedule(DEBOUNCE)

    # --- which cameras run here -------------------------------------------------------------

    def _reconcile(self) -> None:
        limit = max(self.config.max_cameras - len(self.static), 0)
        assigned, over = self.peers.mine(self.jobs, limit)
        desired = dict(self.static) | {camera: self.jobs[camera] for camera in assigned}
        leaving = [
            camera for camera, runner in self.runners.items() if desired.get(camera) != runner.job
        ]
        withdrawn = [camera for camera in leaving if camera not in self.jobs]
        self._stop_runners(withdrawn, clear=True)
        self._stop_runners([c for c in leaving if c not in withdrawn], clear=False)
        for camera, job in sorted(desired.items()):
            if camera in self.runners:
                continue
            runner = CameraRunner(
                job,
                site=self.site,
                worker=self.me,
                publish=self._publish,
                snapshot_interval=self.config.snapshot_interval,
                detector=self.detector,
                state_dir=self.config.state_dir,
            )
            self.runners[camera] = runner
            self._over.discard(camera)
            LOGGER.info("Camera %s (%s): starting", camera, job.name)
            runner.start()
        for camera in over:
            if camera not in self._over:
                self._over.add(camera)
                LOGGER.warning("Camera %s: not run, max_cameras reached", camera)
                self.link.publish(
                    wire.topic_health(self.site, camera),
                    wire.encode_health(
                        False,
                        f"worker {self.me} runs its maximum of {self.config.max_cameras} cameras",
                        time.time(),
                        self.me,
                    ),
                )
        for camera in self._over - set(over):
            if camera not in self.jobs and camera not in self.runners:  # withdrawn meanwhile
                self.link.clear([wire.topic_health(self.site, camera)])
        self._over &= set(over)

    def _publish(self, topic: str, payload: bytes, retain: bool) -> None:
        health = topic.endswith(f"/{wire.KIND_HEALTH}")
        self.link.publish(topic, payload, retain=retain, qos=1 if health else 0)

    def _stop_runners(self, cameras: list[str], *, clear: bool) -> None:
        """Stop cameras (in parallel: each may wait for its stream to time out)."""
        runners = [self.runners.pop(camera) for camera in cameras]
        if not runners:
            return
        for runner in runners:
            LOGGER.info("Camera %s: stopping%s", runner.job.camera, " (withdrawn)" if clear else "")
        with ThreadPoolExecutor(max_workers=min(len(runners), 16)) as pool:
            list(pool.map(CameraRunner.stop, runners))
        for runner in runners:
            if clear:
                self.link.clear(runner.topics())
            else:
                self.link.forget(runner.topics())
