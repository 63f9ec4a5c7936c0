"""Load test of the vision worker: cameras per worker, end-to-end latency, failures.

    benchmarks/worker_load [--quick] [--ramp1 8,24,48,60,72] [--ramp2 48,72,96] [--window S]

Everything is real and on loopback: a Mosquitto broker (devtools.broker), N simulated cameras
(devtools.streams in a process of its own: each stream one `ffmpeg -re -stream_loop -1 -c copy`
of a 640×360 10 fps H.264 office clip), 1 then 2 worker processes (`python -m quephong_worker`,
the command the add-on runs), and this process in the role of Home Assistant: it publishes the
cameras' retained config topics and subscribes to everything the workers publish.

Per step (N cameras, 1 or 2 workers), over a measurement window after a warm-up:
- analysed frames/s of every camera (the `fps` of its state messages: frames over the last 30 s),
- state lag: arrival of a state message at the subscriber minus its `t` (when its frame was
  analysed): the publish → broker → subscriber part,
- end-to-end latency from a change in the picture to the state message at the subscriber (below),
- messages and bytes per second through the broker (everything the workers publish),
- CPU, as % of one core: the worker processes; apart from them the stream servers (Python and
  their ffmpeg children), the latency probe's encoders, Mosquitto; and worker memory per camera.
A step is *sustained* when every camera is analysed at ≥ 90 % of 2 frames/s and the state lag
p99 is under 0.5 s. The ramp stops at the first step that is not.

End-to-end latency (method): two of the N cameras are "probe" cameras served by this process: it
encodes a picture live (ffmpeg libx264, ultrafast/zerolatency, 10 fps) and every ~2.75 s switches
it between an empty desk and a dark figure covering the desk zone (at a random phase of the
worker's sampling), noting the wall time at which
the first switched frame enters the encoder. The latency of a switch is the arrival time of the
first state message for that camera with motion in the zone after the switch. It includes
encoding, HTTP, the worker's decoder (PyAV, frame threads), the wait for the next analysed frame
(2 per second: up to 0.5 s), the analysis, and MQTT to the subscriber. Switches with no such
message within 5 s count as missed.

Robustness (2 workers): Mosquitto is stopped for a few seconds and started again on the same port
(no persistence: every retained message is gone) — each worker must reconnect within 10 s and
every camera's retained state must be back; one worker is frozen (SIGSTOP: alive but silent, so
only the MQTT keepalive, 15 s, can tell) — its "offline" Last Will must come within 30 s and the
other worker takes its cameras over; then it is thawed, and last killed with SIGKILL and started
again — "offline" at once, its cameras taken over, then "online" and its cameras back.

Figures go to $QUEPHONG_BENCH_CACHE (default /tmp/quephong-bench)/worker_load.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import numpy as np
import paho.mqtt.client as mqtt
import psutil
import yaml
from paho.mqtt.enums import CallbackAPIVersion

from devtools.broker import MosquittoBroker
from devtools.core_import import register_bare_package

register_bare_package()

from benchmarks.throughput import (  # noqa: E402
    CORES,
    DEFAULT_CACHE,
    ROOT,
    StreamServerProcess,
    environment,
    layout_for,
    stage,
    stream_clips,
)
from custom_components.quephong_office.core.vision import wire  # noqa: E402
from custom_components.quephong_office.core.vision.zones import (  # noqa: E402
    ZoneKind,
    ZoneLayout,
    rect_zone,
)
from quephong_worker.assignment import owner  # noqa: E402

SITE = "17011"
TARGET_FPS = 2.0
SUSTAIN_RATIO = 0.9
STATE_LAG_LIMIT = 0.5
PROBES = 2
PROBE_SIZE = (640, 360)
PROBE_FPS = 10
PROBE_PERIOD = 2.5
PROBE_ZONE = (0.3, 0.2, 0.7, 0.9)
LATENCY_LIMIT = 5.0
KEEPALIVE = 15
OFFLINE_LIMIT = 30.0
RECONNECT_LIMIT = 10.0
RAMP1 = (8, 24, 48, 60, 72)
RAMP2 = (48, 72, 96)
QUICK_RAMP1 = (2, 6)
QUICK_RAMP2 = (6,)
ROBUST_CAMERAS = 32

Printer = Callable[[str], None]


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (linear), None without values."""
    if not values:
        return None
    return float(np.percentile(np.asarray(values, dtype=np.float64), q))


def fmt(value: float | None, unit: str = "", digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}{unit}"


# --------------------------------------------------------------------------------------------
# The latency probe: cameras whose picture this process switches at known times
# --------------------------------------------------------------------------------------------


def _probe_pictures() -> tuple[bytes, bytes]:
    """An office-like grey picture, and the same with a dark figure over the desk zone."""
    width, height = PROBE_SIZE
    rng = np.random.default_rng(7)
    coarse = rng.integers(60, 200, (height // 20 + 1, width // 20 + 1)).astype(np.float32)
    base = np.kron(coarse, np.ones((20, 20), np.float32))[:height, :width]
    ys, xs = np.mgrid[0:height, 0:width]
    base += 20 * np.sin(xs / 13.0) * np.cos(ys / 17.0)
    empty = np.clip(base, 0, 255).astype(np.uint8)
    busy = empty.copy()
    x1, y1, x2, y2 = PROBE_ZONE
    figure = (slice(int((y1 + 0.1) * height), int((y2 - 0.05) * height)),
              slice(int((x1 + 0.08) * width), int((x2 - 0.08) * width)))  # fmt: skip
    busy[figure] = (busy[figure] * 0.25 + 15).astype(np.uint8)
    return empty.tobytes(), busy.tobytes()


class ProbeServer:
    """Serves `/probe-<k>.ts`: live H.264 (an encoder per client) whose picture it switches."""

    def __init__(self) -> None:
        self.pictures = _probe_pictures()
        self.phase = False
        self.switches: dict[str, list[float]] = defaultdict(list)
        self.encoders: dict[int, psutil.Process] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        probe = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def do_GET(self) -> None:
                probe._serve(self)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = int(self.httpd.server_address[1])

    def start(self) -> None:
        for target in (self.httpd.serve_forever, self._toggle):
            thread = threading.Thread(target=target, daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/{name}.ts"

    def cpu_seconds(self) -> dict[int, float]:
        out: dict[int, float] = {}
        with self._lock:
            encoders = list(self.encoders.values())
        for proc in encoders:
            with contextlib.suppress(psutil.Error):
                times = proc.cpu_times()
                out[proc.pid] = times.user + times.system
        return out

    def _toggle(self) -> None:
        """Switch every PROBE_PERIOD s plus a random part of a frame interval and of a sample
        interval, so switches fall at every phase of the worker's 2-per-second sampling."""
        rng = np.random.default_rng(11)
        while not self._stop.wait(PROBE_PERIOD + float(rng.uniform(0.0, 1.0 / TARGET_FPS))):
            self.phase = not self.phase

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        name = handler.path.strip("/").removesuffix(".ts")
        width, height = PROBE_SIZE
        cmd = [
            "ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "gray",
            "-video_size", f"{width}x{height}", "-framerate", str(PROBE_FPS), "-i", "pipe:0",
            "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency",
            "-g", str(PROBE_FPS), "-pix_fmt", "yuv420p", "-f", "mpegts", "-flush_packets", "1",
            "pipe:1",
        ]  # fmt: skip
        proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0
        )
        with self._lock, contextlib.suppress(psutil.Error):
            self.encoders[proc.pid] = psutil.Process(proc.pid)
        done = threading.Event()
        feeder = threading.Thread(target=self._feed, args=(name, proc, done), daemon=True)
        try:
            handler.send_response(200)
            handler.send_header("Content-Type", "video/mp2t")
            handler.end_headers()
            feeder.start()
            assert proc.stdout is not None
            while not self._stop.is_set():
                chunk = proc.stdout.read(65536)
                if not chunk:
                    break
                handler.wfile.write(chunk)
        except OSError:
            pass
        finally:
            done.set()
            proc.kill()
            proc.wait(5)
            with self._lock:
                self.encoders.pop(proc.pid, None)

    def _feed(self, name: str, proc: subprocess.Popen[bytes], done: threading.Event) -> None:
        """Write the current picture at the stream's rate; note when a switched one goes in."""
        assert proc.stdin is not None
        started = time.monotonic()
        written: bool | None = None
        frame = 0
        try:
            while not done.is_set() and not self._stop.is_set():
                phase = self.phase
                if written is not None and phase != written:
                    with self._lock:
                        self.switches[name].append(time.time())
                proc.stdin.write(self.pictures[phase])
                written = phase
                frame += 1
                delay = started + frame / PROBE_FPS - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
        except OSError:
            pass


# --------------------------------------------------------------------------------------------
# The subscriber (Home Assistant's role)
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class CameraSeen:
    """The latest state of a camera at the subscriber."""

    at: float = 0.0
    fps: float | None = None
    worker: str = ""
    t: float = 0.0


class Watcher:
    """Subscribes to the site; keeps per-camera states, lags, probe events, availability."""

    def __init__(self, port: int, probes: Sequence[str]) -> None:
        self.port = port
        self.probes = set(probes)
        self.lock = threading.Lock()
        self.messages = 0
        self.bytes = 0
        self.cameras: dict[str, CameraSeen] = {}
        self.lags: list[tuple[float, float]] = []  # (arrival, lag)
        self.probe_events: dict[str, list[tuple[float, bool]]] = defaultdict(list)
        self.availability: list[tuple[float, str, str]] = []
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="bench-watcher")
        self.client.on_connect = lambda c, *_: c.subscribe(wire.subscription_all(SITE), qos=1)
        self.client.on_message = self._on_message
        self.client.reconnect_delay_set(1, 2)
        self.client.connect("127.0.0.1", port, keepalive=10)
        self.client.loop_start()

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()

    def publish(self, topic: str, payload: bytes) -> None:
        self.client.publish(topic, payload, qos=1, retain=True).wait_for_publish(10)

    def _on_message(self, client: mqtt.Client, userdata: Any, msg: mqtt.MQTTMessage) -> None:
        now = time.time()
        parsed = wire.parse_topic(msg.topic)
        with self.lock:
            self.messages += 1
            self.bytes += len(msg.payload)
            if parsed is None or not msg.payload:
                return
            if parsed.kind == wire.KIND_AVAILABILITY:
                self.availability.append((now, parsed.camera, msg.payload.decode()))
            elif parsed.kind == wire.KIND_STATE:
                message = wire.decode_state_message(msg.payload)
                seen = self.cameras.setdefault(parsed.camera, CameraSeen())
                seen.at, seen.fps, seen.worker = now, message.fps, message.worker
                seen.t = message.result.t
                if not msg.retain:
                    self.lags.append((now, now - message.result.t))
                if parsed.camera in self.probes:
                    moved = any(r.motion for r in message.result.zones.values())
                    self.probe_events[parsed.camera].append((now, moved))

    def snapshot(self) -> dict[str, CameraSeen]:
        with self.lock:
            return {k: CameraSeen(v.at, v.fps, v.worker, v.t) for k, v in self.cameras.items()}

    def wait(self, predicate: Callable[[], bool], timeout: float, step: float = 0.1) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if predicate():
                    return True
            time.sleep(step)
        with self.lock:
            return predicate()

    def availability_since(self, worker: str, value: str, since: float) -> float | None:
        with self.lock:
            for at, who, what in self.availability:
                if at >= since and who == worker and what == value:
                    return at
        return None


def retained(port: int, topics: Sequence[str], settle: float = 0.5) -> dict[str, bytes]:
    """What a new subscriber gets as retained messages on `topics` (wildcards allowed)."""
    got: dict[str, bytes] = {}
    subscribed = threading.Event()
    client = mqtt.Client(CallbackAPIVersion.VERSION2)

    def _on_message(c: mqtt.Client, userdata: Any, msg: mqtt.MQTTMessage) -> None:
        if msg.retain and msg.payload:
            got[msg.topic] = bytes(msg.payload)

    client.on_message = _on_message
    client.on_subscribe = lambda *_: subscribed.set()
    try:
        client.connect("127.0.0.1", port, keepalive=10)
    except OSError:
        return {}
    client.subscribe([(topic, 1) for topic in topics])
    client.loop_start()
    try:
        if subscribed.wait(5):
            time.sleep(settle)
    finally:
        client.disconnect()
        client.loop_stop()
    return dict(got)


# --------------------------------------------------------------------------------------------
# Workers and the rest of the cast
# --------------------------------------------------------------------------------------------


class WorkerProcess:
    """`python -m quephong_worker --config …`, restartable under the same id."""

    def __init__(self, worker_id: str, broker_port: int, folder: Path) -> None:
        self.id = worker_id
        self.config = folder / f"{worker_id}.yaml"
        self.log = folder / f"{worker_id}.log"
        config = {
            "broker": {"host": "127.0.0.1", "port": broker_port, "keepalive": KEEPALIVE},
            "site": SITE,
            "worker_id": worker_id,
            "max_cameras": 256,
            "log_level": "info",
        }
        self.config.write_text(yaml.safe_dump(config), encoding="utf-8")
        self.proc: subprocess.Popen[bytes] | None = None
        self.ps: psutil.Process | None = None

    def start(self) -> None:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "quephong_worker", "--config", str(self.config)],
                cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        self.ps = psutil.Process(self.proc.pid)

    def signal(self, signum: int) -> None:
        assert self.proc is not None
        self.proc.send_signal(signum)

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            self.proc.send_signal(signal.SIGCONT)
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.kill()

    def cpu_seconds(self) -> float:
        if self.ps is None:
            return 0.0
        with contextlib.suppress(psutil.Error):
            times = self.ps.cpu_times()
            return float(times.user + times.system)
        return 0.0

    def rss_mb(self) -> float:
        if self.ps is None:
            return 0.0
        with contextlib.suppress(psutil.Error):
            return float(self.ps.memory_info().rss) / 2**20
        return 0.0


def _tree_cpu(proc: psutil.Process | None) -> float:
    if proc is None:
        return 0.0
    total = 0.0
    with contextlib.suppress(psutil.Error):
        for p in [proc, *proc.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                times = p.cpu_times()
                total += times.user + times.system
    return total


def _own_cpu() -> float:
    """CPU seconds of this process alone (not its children: workers, servers, broker)."""
    times = psutil.Process().cpu_times()
    return float(times.user + times.system)


def _cpu_delta(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(max(0.0, value - before.get(pid, 0.0)) for pid, value in after.items())


class Bench:
    """The broker, the camera servers, the probe, the watcher and the workers of one run."""

    def __init__(self, run_dir: Path, cache: Path, out: Printer) -> None:
        self.run_dir = run_dir
        self.out = out
        folder, truths = stream_clips(cache)
        staged = run_dir / "streams"
        stage([folder / f"{kind}.mp4" for kind in truths], staged)
        self.truths = truths
        self.broker = MosquittoBroker()
        self.broker.start()
        self.server = StreamServerProcess(staged, log=run_dir / "server.log")
        self.server.start()
        self.probe = ProbeServer()
        self.probe.start()
        self.probe_names = [f"probe-{k + 1}" for k in range(PROBES)]
        self.watcher = Watcher(self.broker.port, self.probe_names)
        self.workers: dict[str, WorkerProcess] = {}
        self.published: dict[str, bytes] = {}

    def close(self) -> None:
        for worker in self.workers.values():
            worker.stop()
        self.watcher.close()
        self.probe.stop()
        self.server.stop()
        self.broker.stop()

    def mosquitto(self) -> psutil.Process | None:
        process = self.broker._process
        return psutil.Process(process.pid) if process is not None else None

    # --- cameras ---------------------------------------------------------------------------

    def camera_names(self, n: int) -> list[str]:
        kinds = sorted(self.truths)
        load = [f"cam{i + 1:03d}-{kinds[i % len(kinds)]}" for i in range(max(n - PROBES, 0))]
        return self.probe_names[: min(n, PROBES)] + load

    def job(self, camera: str) -> wire.CameraJob:
        if camera.startswith("probe-"):
            layout = ZoneLayout(zones=(rect_zone("ban", *PROBE_ZONE, kind=ZoneKind.DESK),))
            url = self.probe.url(camera)
        else:
            kind = camera.split("-", 1)[1]
            layout, url = layout_for(self.truths[kind]), self.server.url(kind)
        return wire.CameraJob(camera=camera, name=camera, url=url, still_url=None, layout=layout)

    def set_cameras(self, n: int) -> list[str]:
        """Publish the retained jobs of the first n cameras; withdraw the others."""
        names = self.camera_names(n)
        for camera in names:
            if camera not in self.published:
                payload = wire.encode_job(self.job(camera))
                self.watcher.publish(wire.topic_config(SITE, camera), payload)
                self.published[camera] = payload
        for camera in [c for c in self.published if c not in names]:
            self.watcher.publish(wire.topic_config(SITE, camera), b"")
            del self.published[camera]
            with self.watcher.lock:
                self.watcher.cameras.pop(camera, None)
        return names

    def republish_jobs(self) -> None:
        for camera, payload in self.published.items():
            self.watcher.publish(wire.topic_config(SITE, camera), payload)

    def start_worker(self, worker_id: str) -> WorkerProcess:
        worker = self.workers.get(worker_id) or WorkerProcess(
            worker_id, self.broker.port, self.run_dir
        )
        self.workers[worker_id] = worker
        worker.start()
        return worker

    def all_fresh(self, names: Sequence[str], since: float, by: set[str] | None = None) -> bool:
        """Called with the watcher's lock held: every camera has a state since `since`, from
        a worker in `by`, or (without `by`) from the worker that owns it by the assignment."""
        running = {w.id for w in self.workers.values() if w.proc and w.proc.poll() is None}
        for camera in names:
            seen = self.watcher.cameras.get(camera)
            expected = by if by is not None else {owner(camera, running) or ""}
            if seen is None or seen.at < since or seen.worker not in expected:
                return False
        return True


# --------------------------------------------------------------------------------------------
# One step of a ramp
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Step:
    """The figures of N cameras on W workers."""

    workers: int
    cameras: int
    up: int
    up_after_s: float
    window_s: float
    fps_min: float
    fps_median: float
    slow_cameras: list[str]
    state_lag_p50_ms: float | None
    state_lag_p99_ms: float | None
    latency_p50_ms: float | None
    latency_p99_ms: float | None
    latency_max_ms: float | None
    latency_samples: int
    latency_missed: int
    messages_per_s: float
    kbytes_per_s: float
    worker_cpu_pct_core: float  # all worker processes, % of one core
    worker_cpu_per_camera_pct: float
    cameras_per_worker_core: float  # N / cores the workers used
    per_worker: dict[str, dict[str, float]]
    server_cpu_pct_core: float  # devtools.streams and its ffmpeg -c copy children
    probe_encoder_cpu_pct_core: float
    mosquitto_cpu_pct_core: float
    harness_cpu_pct_core: float  # this process: subscriber, probe feeders
    other_cpu_pct_core: float  # what nobody above used: other processes on the machine
    machine_busy_pct: float
    worker_rss_per_camera_mb: float
    sustained: bool
    notes: list[str] = field(default_factory=list)


def _machine_busy() -> tuple[float, float]:
    t = psutil.cpu_times()
    busy = t.user + t.nice + t.system + getattr(t, "irq", 0.0) + getattr(t, "softirq", 0.0)
    return busy, busy + t.idle + getattr(t, "iowait", 0.0)


def _latencies(bench: Bench, start: float, end: float) -> tuple[list[float], int]:
    """Switch → first state with zone motion, for switches inside [start, end − limit]."""
    found: list[float] = []
    missed = 0
    with bench.watcher.lock:
        events = {k: list(v) for k, v in bench.watcher.probe_events.items()}
    with bench.probe._lock:
        switches = {k: list(v) for k, v in bench.probe.switches.items()}
    for camera, times in switches.items():
        for at in times:
            if not start <= at <= end - LATENCY_LIMIT:
                continue
            hit = next((t for t, moved in events.get(camera, []) if t > at and moved), None)
            if hit is None or hit - at > LATENCY_LIMIT:
                missed += 1
            else:
                found.append(hit - at)
    return found, missed


def measure_step(
    bench: Bench, n: int, *, warmup: float, window: float, up_limit: float = 90.0
) -> Step:
    names = bench.set_cameras(n)
    workers = list(bench.workers.values())
    begun = time.time()
    ok = bench.watcher.wait(lambda: bench.all_fresh(names, begun), up_limit, step=0.25)
    up_after = time.time() - begun
    time.sleep(warmup)
    cpu0 = {w.id: w.cpu_seconds() for w in workers}
    server0, probe0 = bench.server.cpu_snapshot(), bench.probe.cpu_seconds()
    mosq = bench.mosquitto()
    mosq0 = _tree_cpu(mosq)
    busy0, total0 = _machine_busy()
    me0 = _own_cpu()
    with bench.watcher.lock:
        msgs0, bytes0 = bench.watcher.messages, bench.watcher.bytes
    start = time.time()
    time.sleep(window + LATENCY_LIMIT)  # the last switches need time to be answered
    end = time.time()
    wall = end - start
    busy1, total1 = _machine_busy()
    probe1 = bench.probe.cpu_seconds()
    harness = (_own_cpu() - me0) / wall
    with bench.watcher.lock:
        msgs1, bytes1 = bench.watcher.messages, bench.watcher.bytes
        lags = [lag for at, lag in bench.watcher.lags if start <= at <= end]
    seen = bench.watcher.snapshot()
    cpu = {w.id: (w.cpu_seconds() - cpu0[w.id]) / wall for w in workers}
    owned: dict[str, int] = defaultdict(int)
    fps: dict[str, float] = {}
    for camera in names:
        state = seen.get(camera)
        fresh = state is not None and state.at >= end - (wire.HEARTBEAT + 2.0)
        fps[camera] = (state.fps or 0.0) if fresh and state is not None else 0.0
        if state is not None:
            owned[state.worker] += 1
    latencies, missed = _latencies(bench, start, end)
    worker_cpu = sum(cpu.values())
    server_cpu = _cpu_delta(server0, bench.server.cpu_snapshot()) / wall
    probe_cpu = _cpu_delta(probe0, probe1) / wall
    mosq_cpu = (_tree_cpu(mosq) - mosq0) / wall
    machine = (busy1 - busy0) / max(total1 - total0, 1e-9)
    other = machine * CORES - worker_cpu - server_cpu - probe_cpu - mosq_cpu - harness
    rss = sum(w.rss_mb() for w in workers)
    fps_values = list(fps.values())
    lag_p99 = percentile(lags, 99)
    slow = sorted(c for c, f in fps.items() if f < SUSTAIN_RATIO * TARGET_FPS)
    sustained = ok and not slow and lag_p99 is not None and lag_p99 < STATE_LAG_LIMIT
    return Step(
        workers=len(workers),
        cameras=n,
        up=sum(1 for c in names if seen.get(c) and seen[c].at >= begun),
        up_after_s=round(up_after, 1),
        window_s=round(wall, 1),
        fps_min=min(fps_values),
        fps_median=statistics.median(fps_values),
        slow_cameras=slow[:10],
        state_lag_p50_ms=_ms(percentile(lags, 50)),
        state_lag_p99_ms=_ms(lag_p99),
        latency_p50_ms=_ms(percentile(latencies, 50)),
        latency_p99_ms=_ms(percentile(latencies, 99)),
        latency_max_ms=_ms(max(latencies) if latencies else None),
        latency_samples=len(latencies),
        latency_missed=missed,
        messages_per_s=(msgs1 - msgs0) / wall,
        kbytes_per_s=(bytes1 - bytes0) / wall / 1024,
        worker_cpu_pct_core=100 * worker_cpu,
        worker_cpu_per_camera_pct=100 * worker_cpu / n,
        cameras_per_worker_core=n / worker_cpu if worker_cpu > 0 else 0.0,
        per_worker={
            w.id: {
                "cameras": owned.get(w.id, 0),
                "cpu_pct_core": 100 * cpu[w.id],
                "rss_mb": w.rss_mb(),
            }
            for w in workers
        },
        server_cpu_pct_core=100 * server_cpu,
        probe_encoder_cpu_pct_core=100 * probe_cpu,
        mosquitto_cpu_pct_core=100 * mosq_cpu,
        harness_cpu_pct_core=100 * harness,
        other_cpu_pct_core=100 * max(other, 0.0),
        machine_busy_pct=100 * machine,
        worker_rss_per_camera_mb=rss / n,
        sustained=sustained,
        notes=[] if ok else [f"not every camera published a state within {up_limit:g} s"],
    )


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


STEP_HEADER = (
    f"{'wk':>2} {'N':>3} {'up s':>5} {'fps min/med':>11} {'lag p99':>8} "
    f"{'e2e p50/p99 ms (n)':>22} {'msg/s':>6} {'worker %core':>12} {'%/cam':>6} "
    f"{'cam/core':>8} {'servers':>7} {'probe':>6} {'mosq':>5} {'bench':>6} {'other':>6} "
    f"{'MB/cam':>6}  ok"
)


def format_step(s: Step) -> str:
    e2e = (
        f"{fmt(s.latency_p50_ms, digits=0)}/{fmt(s.latency_p99_ms, digits=0)} ({s.latency_samples})"
    )
    if s.latency_missed:
        e2e += f" {s.latency_missed}✗"
    return (
        f"{s.workers:>2} {s.cameras:>3} {s.up_after_s:>5.1f} "
        f"{s.fps_min:>5.2f}/{s.fps_median:<5.2f} {fmt(s.state_lag_p99_ms, digits=0):>6}ms "
        f"{e2e:>22} {s.messages_per_s:>6.1f} {s.worker_cpu_pct_core:>11.1f}% "
        f"{s.worker_cpu_per_camera_pct:>5.2f}% {s.cameras_per_worker_core:>8.1f} "
        f"{s.server_cpu_pct_core:>6.1f}% {s.probe_encoder_cpu_pct_core:>5.1f}% "
        f"{s.mosquitto_cpu_pct_core:>4.1f}% {s.harness_cpu_pct_core:>5.1f}% "
        f"{s.other_cpu_pct_core:>5.0f}% "
        f"{s.worker_rss_per_camera_mb:>6.1f}  "
        f"{'yes' if s.sustained else 'NO'}"
    )


def run_ramp(bench: Bench, ramp: Sequence[int], args: argparse.Namespace) -> list[Step]:
    steps: list[Step] = []
    for n in ramp:
        step = measure_step(bench, n, warmup=args.warmup, window=args.window)
        steps.append(step)
        bench.out(format_step(step))
        if not step.sustained:
            why = step.notes + (
                [f"slow: {', '.join(step.slow_cameras)}"] if step.slow_cameras else []
            )
            bench.out(f"   not sustained at N={n} ({'; '.join(why) or 'state lag'}): ramp stops")
            break
    return steps


# --------------------------------------------------------------------------------------------
# Robustness
# --------------------------------------------------------------------------------------------


def _owned_by(bench: Bench, worker: str, names: Sequence[str]) -> list[str]:
    seen = bench.watcher.snapshot()
    return [c for c in names if seen.get(c) and seen[c].worker == worker]


def broker_restart(bench: Bench, names: Sequence[str], outage: float) -> dict[str, Any]:
    """Stop Mosquitto, wait `outage` s, start it on the same port; what comes back, and when."""
    port = bench.broker.port
    stopped = time.time()
    bench.broker.stop()
    time.sleep(outage)
    bench.broker = MosquittoBroker(port=port)
    bench.broker.start()
    up = time.time()
    workers = list(bench.workers)
    state_topics = [wire.topic_state(SITE, c) for c in names]
    online_at = state_at = None
    deadline = up + 30
    while time.time() < deadline and (online_at is None or state_at is None):
        got = retained(port, [wire.subscription_availability(SITE), f"{wire.prefix(SITE)}/+/state"])
        now = time.time()
        if online_at is None and all(
            got.get(wire.topic_availability(SITE, w)) == b"online" for w in workers
        ):
            online_at = now
        if state_at is None and all(t in got for t in state_topics):
            state_at = now
        time.sleep(0.2)
    bench.republish_jobs()  # as Home Assistant does when it reconnects (the broker lost them)
    live = bench.watcher.wait(lambda: bench.all_fresh(names, up), 20)
    return {
        "outage_s": round(up - stopped, 1),
        "workers_online_after_s": None if online_at is None else round(online_at - up, 1),
        "retained_state_back_after_s": None if state_at is None else round(state_at - up, 1),
        "cameras": len(names),
        "every_camera_live_again": live,
        "ok": online_at is not None
        and online_at - up <= RECONNECT_LIMIT
        and state_at is not None
        and live,
        "method": "a new subscriber polls the retained availability and state topics every "
        "~0.7 s; times are from Mosquitto accepting connections again",
    }


def _wait_availability(
    bench: Bench, worker: str, value: str, since: float, limit: float
) -> float | None:
    """When the subscriber got `value` from `worker` after `since` (None: not within `limit`)."""
    deadline = time.time() + limit
    while time.time() < deadline:
        at = bench.watcher.availability_since(worker, value, since)
        if at is not None:
            return at
        time.sleep(0.1)
    return None


def _takeover(bench: Bench, cameras: Sequence[str], by: str, since: float) -> float | None:
    if not cameras:
        return 0.0
    if bench.watcher.wait(lambda: bench.all_fresh(cameras, since, {by}), 60, step=0.2):
        return round(time.time() - since, 1)
    return None


def freeze_and_thaw(bench: Bench, names: Sequence[str], victim: str, other: str) -> dict[str, Any]:
    """SIGSTOP a worker: only the keepalive tells; its cameras move; SIGCONT: it comes back."""
    theirs = _owned_by(bench, victim, names)
    frozen = time.time()
    bench.workers[victim].signal(signal.SIGSTOP)
    offline = _wait_availability(bench, victim, wire.OFFLINE, frozen, OFFLINE_LIMIT + 15)
    taken = _takeover(bench, theirs, other, offline) if offline else None
    thawed = time.time()
    bench.workers[victim].signal(signal.SIGCONT)
    online = _wait_availability(bench, victim, wire.ONLINE, thawed, 30)
    back = _takeover(bench, theirs, victim, online) if online else None
    return {
        "cameras_on_victim": len(theirs),
        "keepalive_s": KEEPALIVE,
        "offline_after_s": None if offline is None else round(offline - frozen, 1),
        "taken_over_after_offline_s": taken,
        "online_after_thaw_s": None if online is None else round(online - thawed, 1),
        "given_back_after_online_s": back,
        "ok": offline is not None and offline - frozen <= OFFLINE_LIMIT and taken is not None,
    }


def kill_and_restart(bench: Bench, names: Sequence[str], victim: str, other: str) -> dict[str, Any]:
    """SIGKILL a worker (its connection closes: the Last Will at once), then start it again."""
    theirs = _owned_by(bench, victim, names)
    killed = time.time()
    bench.workers[victim].kill()
    offline = _wait_availability(bench, victim, wire.OFFLINE, killed, OFFLINE_LIMIT + 15)
    taken = _takeover(bench, theirs, other, offline) if offline else None
    restarted = time.time()
    bench.start_worker(victim)
    online = _wait_availability(bench, victim, wire.ONLINE, restarted, 30)
    back = _takeover(bench, theirs, victim, online) if online else None
    return {
        "cameras_on_victim": len(theirs),
        "offline_after_s": None if offline is None else round(offline - killed, 1),
        "taken_over_after_offline_s": taken,
        "online_after_restart_s": None if online is None else round(online - restarted, 1),
        "state_again_after_online_s": back,
        "ok": offline is not None
        and offline - killed <= OFFLINE_LIMIT
        and online is not None
        and back is not None,
    }


def robustness(bench: Bench, n: int, outage: float) -> dict[str, Any]:
    names = bench.set_cameras(n)
    since = time.time()
    bench.watcher.wait(lambda: bench.all_fresh(names, since), 60)
    result: dict[str, Any] = {"cameras": n}
    result["broker_restart"] = broker_restart(bench, names, outage)
    bench.out(
        "  broker restart: "
        + _describe(
            result["broker_restart"], "workers_online_after_s", "retained_state_back_after_s"
        )
    )
    result["freeze"] = freeze_and_thaw(bench, names, "w2", "w1")
    bench.out(
        "  SIGSTOP w2: "
        + _describe(
            result["freeze"], "offline_after_s", "taken_over_after_offline_s",
            "online_after_thaw_s", "given_back_after_online_s",
        )
    )  # fmt: skip
    result["kill"] = kill_and_restart(bench, names, "w2", "w1")
    bench.out(
        "  SIGKILL w2: "
        + _describe(
            result["kill"], "offline_after_s", "taken_over_after_offline_s",
            "online_after_restart_s", "state_again_after_online_s",
        )
    )  # fmt: skip
    return result


def _describe(data: dict[str, Any], *keys: str) -> str:
    parts = [
        f"{key.removesuffix('_s').replace('_', ' ')} {fmt(data.get(key), ' s', 1)}" for key in keys
    ]
    extra = f" ({data['cameras_on_victim']} cameras)" if "cameras_on_victim" in data else ""
    return ", ".join(parts) + extra + ("  ok" if data.get("ok") else "  FAILED")


# --------------------------------------------------------------------------------------------
# Report and command line
# --------------------------------------------------------------------------------------------


def summary(report: dict[str, Any]) -> list[str]:
    lines = ["", "Summary"]
    for key, label in (("ramp_1_worker", "1 worker"), ("ramp_2_workers", "2 workers")):
        steps = [Step(**s) for s in report[key]]
        good = [s for s in steps if s.sustained]
        if not good:
            lines.append(f"  {label}: no step sustained")
            continue
        best = max(good, key=lambda s: s.cameras)
        stopped = next((s.cameras for s in steps if not s.sustained), None)
        lines.append(
            f"  {label}: {best.cameras} cameras sustained ("
            + (f"fell behind at {stopped}" if stopped else "the ramp did not reach a limit")
            + f"), {best.cameras / best.workers:.0f} per worker process; the workers used "
            f"{best.worker_cpu_pct_core:.0f} % of a core ({best.worker_cpu_per_camera_pct:.2f} % "
            f"per camera) → ≈ {best.cameras_per_worker_core:.0f} cameras per worker core; "
            f"e2e latency p50 {fmt(best.latency_p50_ms, ' ms', 0)}, "
            f"p99 {fmt(best.latency_p99_ms, ' ms', 0)}; {best.messages_per_s:.0f} messages/s"
        )
    rob = report.get("robustness")
    if rob:
        ok = all(rob[k]["ok"] for k in ("broker_restart", "freeze", "kill"))
        lines.append(
            f"  robustness at {rob['cameras']} cameras: {'all passed' if ok else 'FAILED'}"
        )
    return lines


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="benchmarks/worker_load", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="few cameras, short windows (~2 min)")
    parser.add_argument("--ramp1", help="camera counts with 1 worker (default 8,24,48,60,72)")
    parser.add_argument("--ramp2", help="camera counts with 2 workers (default 48,72,96)")
    parser.add_argument("--window", type=float, help="measurement window per step (s)")
    parser.add_argument("--warmup", type=float, help="wait after every camera is up (s)")
    parser.add_argument("--robust-cameras", type=int, help="cameras during the failure tests")
    parser.add_argument("--outage", type=float, default=3.0, help="broker down time (s)")
    parser.add_argument("--skip-robustness", action="store_true")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--keep", action="store_true", help="keep the run folder (worker logs)")
    args = parser.parse_args(argv)

    def ramp(text: str | None, default: Sequence[int]) -> list[int]:
        values = [int(v) for v in text.split(",")] if text else list(default)
        if any(v < 1 for v in values):
            parser.error("camera counts must be positive")
        return values

    args.ramp1 = ramp(args.ramp1, QUICK_RAMP1 if args.quick else RAMP1)
    args.ramp2 = ramp(args.ramp2, QUICK_RAMP2 if args.quick else RAMP2)
    args.window = args.window or (12.0 if args.quick else 25.0)
    args.warmup = args.warmup if args.warmup is not None else (4.0 if args.quick else 8.0)
    args.robust_cameras = args.robust_cameras or (6 if args.quick else ROBUST_CAMERAS)
    return args


def run(args: argparse.Namespace, run_dir: Path, out: Printer) -> dict[str, Any]:
    started = time.monotonic()
    out("Clips (rendered once, cached in the bench cache) and the cast: Mosquitto, stream server, "
        "latency probe, subscriber ...")  # fmt: skip
    bench = Bench(run_dir, args.cache, out)
    report: dict[str, Any] = {"environment": environment(), "settings": {
        k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()}}  # fmt: skip
    try:
        bench.start_worker("w1")
        out("")
        out("1 worker")
        out(STEP_HEADER)
        report["ramp_1_worker"] = [asdict(s) for s in run_ramp(bench, args.ramp1, args)]
        bench.start_worker("w2")
        out("")
        out("2 workers (the cameras are shared by rendezvous hashing; about half move to w2)")
        out(STEP_HEADER)
        report["ramp_2_workers"] = [asdict(s) for s in run_ramp(bench, args.ramp2, args)]
        if not args.skip_robustness:
            out("")
            out(f"Robustness with 2 workers and {args.robust_cameras} cameras "
                f"(keepalive {KEEPALIVE} s)")  # fmt: skip
            report["robustness"] = robustness(bench, args.robust_cameras, args.outage)
    finally:
        bench.close()
        for worker in bench.workers.values():
            with contextlib.suppress(OSError):
                text = worker.log.read_text("utf-8", "replace")
                errors = [
                    line for line in text.splitlines() if "Traceback" in line or " ERROR " in line
                ]
                if errors:
                    out(f"  {worker.id} logged {len(errors)} error(s); first: {errors[0]}")
    report["elapsed_s"] = round(time.monotonic() - started, 1)
    return report


def main(argv: Sequence[str] | None = None, out: Printer = print) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    for tool in ("ffmpeg", "mosquitto"):
        if shutil.which(tool) is None and not (tool == "mosquitto" and MosquittoBroker.available()):
            out(f"benchmarks/worker_load: {tool} is not installed")
            return 2
    env = environment()
    out(f"Worker load test: {env['cores']} cores ({env['cpu']}), Python {env['python']}, "
        f"PyAV {env['av']}, numpy {env['numpy']}")  # fmt: skip
    out(__doc__.split("\n\n", 2)[2].split("\n\nFigures")[0])
    out("")
    out("Columns: wk workers, N cameras (2 are latency probes), up s = until every camera "
        "published, fps = analysed frames/s (min/median over cameras), lag = state lag, e2e = "
        "picture change → state at the subscriber (samples; ✗ missed), %core = % of one core "
        f"(the machine has {CORES}), servers = stream servers with their ffmpeg, probe = probe "
        "encoders, mosq = Mosquitto, bench = this process (subscriber, probe feeders), other = "
        "other processes on the machine (disturbance), "
        "MB/cam = worker RSS per camera")  # fmt: skip
    args.cache.mkdir(parents=True, exist_ok=True)
    run_dir = Path(tempfile.mkdtemp(prefix="quephong-worker-load-"))
    try:
        report = run(args, run_dir, out)
    finally:
        if args.keep:
            out(f"Run folder kept: {run_dir}")
        else:
            shutil.rmtree(run_dir, ignore_errors=True)
    for line in summary(report):
        out(line)
    path = args.cache / "worker_load.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    out("")
    out(f"Figures: {path} (whole run {report['elapsed_s']:.0f} s)")
    out(f"Rerun: {shlex.join(['benchmarks/worker_load', *argv])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
