"""Throughput benchmark: how many cameras one machine analyses with Home Assistant responsive.

    benchmarks/throughput [--max-cameras N] [--step-seconds S] [--quick] [--stream-fps F]

One process shaped like the integration: N `FrameSource` threads (PyAV decode of a 640×360
substream; 2 frames/s scaled to grey), each calling its own `CameraAnalyzer` in that thread and
handing the result to an asyncio event loop in the main thread with `call_soon_threadsafe`, as the
integration hands it to Home Assistant's loop. A task on that loop sleeps 50 ms over and over and
records how late it wakes: the loop lag that Home Assistant would feel.

The "cameras" are synthetic office clips (devtools.scene) served by devtools.streams in a process of
its own (`ffmpeg -re -stream_loop -1 -c copy`: no re-encoding, one ffmpeg per client), so the
servers' CPU is measured apart from the analysing process's.

Per N in a ramp: analysed frames/s against 2×N, the analysing process's CPU (% of the whole
machine, and per camera), RSS, loop lag p50/p99 and the servers' CPU; then the same N streams
decoded only (PyAV, no scaling, no analysis): the floor any pipeline pays. At 32 cameras (or the
last N reached) also decode+scale without analysis, which splits the cost into decoding, scaling
and analysis. Last, the replay speed (iter_frames + CameraAnalyzer.process, as scripts/replay) on
a 768×432 10 fps 60 s clip, with decode-only and decode+scale speeds of the same clip.

Clips are rendered once into $QUEPHONG_BENCH_CACHE (default /tmp/quephong-bench), never into the
repository; all figures go to throughput.json there.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import json
import os
import platform
import pstats
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

import av
import av.error
import numpy as np
import psutil

from devtools.core_import import register_bare_package

register_bare_package()

from custom_components.quephong_office.core.vision.analyzer import (  # noqa: E402
    AnalysisResult,
    AnalyzerSettings,
    CameraAnalyzer,
)
from custom_components.quephong_office.core.vision.probe import open_options  # noqa: E402
from custom_components.quephong_office.core.vision.sources import (  # noqa: E402
    Frame,
    FrameSource,
    iter_frames,
    prefetch,
)
from custom_components.quephong_office.core.vision.zones import (  # noqa: E402
    ZoneKind,
    ZoneLayout,
    rect_zone,
)
from devtools.scene import SceneTruth, render_scene  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CACHE = Path(os.environ.get("QUEPHONG_BENCH_CACHE", "/tmp/quephong-bench"))
CORES = os.cpu_count() or 1

ANALYSED_FPS = AnalyzerSettings().fps
STREAM_SIZE = (640, 360)
STREAM_FPS = 10
STREAM_SECONDS = 20.0
STREAM_KINDS = ("one_stop", "gate", "hall")
REPLAY_SIZE = (768, 432)
REPLAY_FPS = 10
REPLAY_SECONDS = 60.0
RAMP = (1, 8, 16, 24, 32, 40, 48)
QUICK_RAMP = (1, 4)

TARGET_CAMERAS = 32
TARGET_CPU_PCT = 50.0
TARGET_REPLAY_SPEED = 100.0
LAG_LIMIT_MS = 20.0
SUSTAIN_RATIO = 0.95
LAG_INTERVAL = 0.05
# What a 640×360 5 fps substream costs to decode on this machine (0.5 % of a core), per frame.
ANCHOR_DECODE_MS = 1.0
# Other processes' load above which the figures are flagged as disturbed (% of the machine).
OTHER_LOAD_WARN_PCT = 10.0

PIPELINE = "pipeline"
SCALE = "decode+scale"
DECODE = "decode-only"

ZONE_KINDS = {"one_stop": ZoneKind.DESK, "gate": ZoneKind.GATE, "hall": ZoneKind.HALL}

Printer = Callable[[str], None]


# --------------------------------------------------------------------------------------------
# Clips and the stream server
# --------------------------------------------------------------------------------------------


def ensure_clip(
    folder: Path, name: str, *, kind: str, seconds: float, fps: int, size: tuple[int, int]
) -> tuple[Path, SceneTruth]:
    """`folder/name.mp4` (and its truth), rendered unless an identical one is there already."""
    path = folder / f"{name}.mp4"
    if path.is_file() and path.with_suffix(".json").is_file():
        with contextlib.suppress(ValueError, KeyError, OSError):
            truth = SceneTruth.load(path)
            if (truth.kind, truth.fps, truth.seconds, truth.size) == (kind, fps, seconds, size):
                return path, truth
    work = folder.parent / f".render-{os.getpid()}-{threading.get_ident()}"
    work.mkdir(parents=True, exist_ok=True)
    try:
        tmp = work / path.name
        truth = render_scene(tmp, kind=kind, seconds=seconds, fps=fps, size=size)
        folder.mkdir(parents=True, exist_ok=True)
        tmp.with_suffix(".json").replace(path.with_suffix(".json"))
        tmp.replace(path)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return path, truth


def stream_clips(
    cache: Path,
    *,
    size: tuple[int, int] = STREAM_SIZE,
    fps: int = STREAM_FPS,
    seconds: float = STREAM_SECONDS,
    kinds: Sequence[str] = STREAM_KINDS,
) -> tuple[Path, dict[str, SceneTruth]]:
    """A folder holding one looping camera clip per scene kind (what the server serves)."""
    folder = cache / "throughput" / f"streams-{size[0]}x{size[1]}-{fps}fps-{seconds:g}s"
    truths = {
        kind: ensure_clip(folder, kind, kind=kind, seconds=seconds, fps=fps, size=size)[1]
        for kind in kinds
    }
    return folder, truths


def replay_clip(
    cache: Path,
    *,
    size: tuple[int, int] = REPLAY_SIZE,
    fps: int = REPLAY_FPS,
    seconds: float = REPLAY_SECONDS,
    kind: str = "one_stop",
) -> tuple[Path, SceneTruth]:
    """The clip the replay speed is measured on."""
    name = f"{kind}-{size[0]}x{size[1]}-{fps}fps-{seconds:g}s"
    folder = cache / "throughput" / "replay"
    return ensure_clip(folder, name, kind=kind, seconds=seconds, fps=fps, size=size)


def stage(files: Sequence[Path], folder: Path) -> list[Path]:
    """Hard-link (or copy) `files` into `folder`: a cache cleared mid-run then harms nothing."""
    folder.mkdir(parents=True, exist_ok=True)
    staged = []
    for src in files:
        dst = folder / src.name
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)
        staged.append(dst)
    return staged


def layout_for(truth: SceneTruth) -> ZoneLayout:
    """The zones of a rendered scene, as a user would draw them."""
    kind = ZONE_KINDS.get(truth.kind, ZoneKind.OTHER)
    return ZoneLayout(
        zones=tuple(rect_zone(zid, *rect, kind=kind) for zid, rect in sorted(truth.desks.items()))
    )


class StreamServerProcess:
    """`python -m devtools.streams` in a process of its own, so its CPU is not the analyser's."""

    def __init__(self, folder: Path, *, log: Path) -> None:
        """Serve every clip in `folder`; the server's output goes to `log`."""
        self.folder = folder
        self.log = log
        self.port = 0
        self._proc: subprocess.Popen[bytes] | None = None
        self._ps: psutil.Process | None = None
        self._known: dict[int, psutil.Process] = {}

    def start(self, timeout: float = 30.0) -> None:
        """Start the server and wait until it says which port it listens on."""
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
        cmd = [
            sys.executable, "-m", "devtools.streams", "--dir", str(self.folder),
            "--host", "127.0.0.1", "--port", "0",
        ]  # fmt: skip
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("wb") as out:
            self._proc = subprocess.Popen(
                cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        self._ps = psutil.Process(self._proc.pid)
        deadline = time.monotonic() + timeout
        while True:
            text = self.log.read_text("utf-8", "replace")
            match = re.search(r"on port (\d+)", text)
            if match:
                self.port = int(match.group(1))
                return
            if self._proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"stream server did not start: {text.strip()[-500:]}")
            time.sleep(0.05)

    def url(self, name: str) -> str:
        """The MPEG-TS stream of clip `name`."""
        return f"http://127.0.0.1:{self.port}/{name}.ts"

    def processes(self) -> list[psutil.Process]:
        """The server and its live children (one ffmpeg per open stream)."""
        if self._ps is None:
            return []
        try:
            children = self._ps.children(recursive=True)
        except psutil.Error:
            children = []
        for child in children:
            self._known.setdefault(child.pid, child)
        return [self._ps, *children]

    def cpu_snapshot(self) -> dict[int, float]:
        """CPU seconds used so far by the server and by each of its live children."""
        out: dict[int, float] = {}
        for proc in self.processes():
            with contextlib.suppress(psutil.Error):
                times = proc.cpu_times()
                out[proc.pid] = times.user + times.system
        return out

    def streams(self) -> int:
        """Number of ffmpeg children still running."""
        count = 0
        for proc in self.processes()[1:]:
            with contextlib.suppress(psutil.Error):
                count += proc.status() != psutil.STATUS_ZOMBIE
        return count

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Wait until every stream of the previous step is gone; True if they are."""
        deadline = time.monotonic() + timeout
        while self.streams():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.1)
        return True

    def stop(self) -> None:
        """Stop the server (SIGTERM: it kills its ffmpeg children), and any child it left."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        self.processes()  # remember every child, so none outlives the server
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for child in self._known.values():
            with contextlib.suppress(psutil.Error):
                if child.is_running():
                    child.kill()
                    child.wait(5)


# --------------------------------------------------------------------------------------------
# One step of the ramp
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Camera:
    """One simulated camera: its stream and its zones."""

    name: str
    url: str
    layout: ZoneLayout


def make_cameras(
    server: StreamServerProcess, truths: dict[str, SceneTruth], count: int
) -> list[Camera]:
    """`count` cameras taking the scene kinds in turn (each its own connection and ffmpeg)."""
    kinds = sorted(truths)
    cameras = []
    for index in range(count):
        kind = kinds[index % len(kinds)]
        name = f"cam{index + 1:02d}-{kind}"
        cameras.append(Camera(name, server.url(kind), layout_for(truths[kind])))
    return cameras


class _Counters:
    """What a step counts; every list item has one writer (the loop or one camera's thread)."""

    def __init__(self, cameras: int) -> None:
        self.delivered = [0] * cameras  # results handled on the event loop (loop thread)
        self.decoded = [0] * cameras  # decode-only frames (each camera's thread)
        self.analysis_cpu = [0.0] * cameras  # CPU s in CameraAnalyzer.process (camera thread)
        self.occupied: list[dict[str, bool]] = [{} for _ in range(cameras)]
        self.changes = 0
        self.errors: list[str] = []

    def deliver(self, index: int, result: AnalysisResult | None) -> None:
        """On the event loop: what the integration does with a result (state on change)."""
        self.delivered[index] += 1
        if result is None:
            return
        last = self.occupied[index]
        for zone, reading in result.zones.items():
            if last.get(zone) is not reading.occupied:
                last[zone] = reading.occupied
                self.changes += 1


class _Worker(Protocol):
    def start(self) -> None: ...
    def stop(self) -> None: ...


class _AnalysedCamera:
    """A camera as the integration runs it: FrameSource thread → analyzer → event loop."""

    def __init__(
        self,
        index: int,
        camera: Camera,
        loop: asyncio.AbstractEventLoop,
        counters: _Counters,
        *,
        analyse: bool,
        timeout: float,
    ) -> None:
        self.index = index
        self.name = camera.name
        self.loop = loop
        self.counters = counters
        analyzer = CameraAnalyzer(camera.layout, AnalyzerSettings())
        self.analyzer = analyzer if analyse else None
        self.source = FrameSource(
            camera.url,
            fps=ANALYSED_FPS,
            size=analyzer.analysis_size,
            on_frame=self._on_frame,
            on_state=self._on_state,
            name=camera.name,
            timeout=timeout,
        )

    def _on_frame(self, frame: Frame) -> None:
        result = None
        if self.analyzer is not None:
            started = time.thread_time()
            result = self.analyzer.process(frame.t, frame.gray)
            self.counters.analysis_cpu[self.index] += time.thread_time() - started
        self.loop.call_soon_threadsafe(self.counters.deliver, self.index, result)

    def _on_state(self, up: bool, error: str | None) -> None:
        if not up:
            self.counters.errors.append(f"{self.name}: {error}")

    def start(self) -> None:
        self.source.start()

    def stop(self) -> None:
        self.source.stop()


class _DecodeOnlyCamera:
    """The same stream opened as FrameSource opens it, every frame decoded, nothing else."""

    def __init__(self, index: int, camera: Camera, counters: _Counters, *, timeout: float) -> None:
        self.index = index
        self.camera = camera
        self.counters = counters
        self.timeout = timeout
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"decode {camera.name}", daemon=True)

    def _run(self) -> None:
        url = self.camera.url
        try:
            container = av.open(
                url, options=open_options(url, self.timeout), timeout=(self.timeout, self.timeout)
            )
        except (av.error.FFmpegError, OSError) as err:
            self.counters.errors.append(f"{self.camera.name}: {err}")
            return
        try:
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            for _frame in container.decode(stream):
                self.counters.decoded[self.index] += 1
                if self._stop.is_set():
                    return
        except (av.error.FFmpegError, OSError) as err:
            if not self._stop.is_set():
                self.counters.errors.append(f"{self.camera.name}: {err}")
        finally:
            container.close()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(self.timeout + 2)


def _stop_all(workers: Sequence[_Worker]) -> None:
    """Stop every worker at once (each stop waits for its thread's next frame)."""
    if not workers:
        return
    with ThreadPoolExecutor(max_workers=min(len(workers), 64)) as pool:
        list(pool.map(lambda worker: worker.stop(), workers))


def _machine_times() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far."""
    t = psutil.cpu_times()
    busy = t.user + t.nice + t.system + getattr(t, "irq", 0.0) + getattr(t, "softirq", 0.0)
    idle = t.idle + getattr(t, "iowait", 0.0) + getattr(t, "steal", 0.0)
    return busy, busy + idle


def _cpu_delta(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(max(0.0, value - before.get(pid, 0.0)) for pid, value in after.items())


@dataclass(slots=True)
class Step:
    """The figures of one step: one mode, N cameras, one measurement window."""

    mode: str
    cameras: int
    seconds: float
    cameras_up: int
    frames: int  # analysed frames handled on the loop; decode-only: frames decoded
    fps: float
    target_fps: float
    slowest_camera_fps: float
    cpu_pct: float  # the analysing process, % of the whole machine (all cores)
    cpu_pct_per_camera: float
    rss_mb: float
    rss_per_camera_mb: float  # (RSS − RSS before any camera ran) / cameras
    lag_p50_ms: float
    lag_p99_ms: float
    lag_max_ms: float
    lag_samples: int
    server_cpu_pct: float  # devtools.streams and its ffmpeg children, % of the machine
    machine_busy_pct: float  # everything on the machine, other people's work included
    other_pct: float  # what neither this process nor the servers used: other processes
    analysis_pct: float  # CameraAnalyzer.process alone, % of the machine
    analysis_ms_per_frame: float
    cpu_ms_per_decoded_frame: float  # decode-only: the process's CPU per decoded frame
    state_changes: int
    settle_s: float  # waited after the warm-up for the opening backlog to be worked off
    sustained: bool
    errors: list[str] = field(default_factory=list)


async def _lag_monitor(lags: list[float], rss: list[int]) -> None:
    """Sleep LAG_INTERVAL over and over; record how late each wake-up is (and RSS each second)."""
    me = psutil.Process()
    tick = 0
    while True:
        started = time.perf_counter()
        await asyncio.sleep(LAG_INTERVAL)
        lags.append(time.perf_counter() - started - LAG_INTERVAL)
        if tick % 20 == 0:
            rss.append(me.memory_info().rss)
        tick += 1


async def _wait_up(counters: _Counters, cameras: int, limit: float) -> int:
    """Wait (at most `limit` s) until every camera has produced a frame; the number that did."""
    deadline = time.monotonic() + limit
    while True:
        up = sum(1 for d, f in zip(counters.delivered, counters.decoded, strict=True) if d or f)
        if up == cameras or time.monotonic() > deadline:
            return up
        await asyncio.sleep(0.1)


async def _settle(counts: list[int], target: float, limit: float) -> float:
    """Wait (at most `limit` s) until the opening backlog is worked off; the seconds waited.

    Opening many streams at once saturates the machine, and the frames queued meanwhile are
    caught up later: a window that includes that catch-up overstates frames/s and CPU.
    """
    started = time.monotonic()
    while time.monotonic() - started < limit:
        before = sum(counts)
        await asyncio.sleep(2.0)
        if (sum(counts) - before) / 2.0 <= 1.1 * target + 0.5:
            break
    return time.monotonic() - started


@dataclass(slots=True)
class _Window:
    wall: float
    cpu: float
    server_cpu: float
    machine_busy: float
    machine_total: float
    delivered: list[int]
    decoded: list[int]
    analysis_cpu: float
    lags: list[float]
    rss: list[int]


async def _measure_window(
    counters: _Counters, seconds: float, server: StreamServerProcess | None
) -> _Window:
    lags: list[float] = []
    rss: list[int] = []
    server0 = server.cpu_snapshot() if server else {}
    busy0, total0 = _machine_times()
    delivered0, decoded0 = list(counters.delivered), list(counters.decoded)
    analysis0 = sum(counters.analysis_cpu)
    wall0, cpu0 = time.perf_counter(), time.process_time()
    monitor = asyncio.create_task(_lag_monitor(lags, rss))
    await asyncio.sleep(seconds)
    monitor.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await monitor
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    busy1, total1 = _machine_times()
    server1 = server.cpu_snapshot() if server else {}
    rss.append(psutil.Process().memory_info().rss)
    return _Window(
        wall=wall,
        cpu=cpu,
        server_cpu=_cpu_delta(server0, server1),
        machine_busy=busy1 - busy0,
        machine_total=total1 - total0,
        delivered=[b - a for a, b in zip(delivered0, counters.delivered, strict=True)],
        decoded=[b - a for a, b in zip(decoded0, counters.decoded, strict=True)],
        analysis_cpu=sum(counters.analysis_cpu) - analysis0,
        lags=lags,
        rss=rss,
    )


def _step(
    mode: str,
    n: int,
    up: int,
    window: _Window,
    counters: _Counters,
    *,
    stream_fps: float,
    baseline_rss: int,
    settle_s: float,
) -> Step:
    per_camera = window.decoded if mode == DECODE else window.delivered
    frames = sum(per_camera)
    target = n * (stream_fps if mode == DECODE else ANALYSED_FPS)
    machine = window.wall * CORES
    lags = np.asarray(window.lags or [float("nan")]) * 1000.0
    rss = max(window.rss)
    cpu_pct = 100.0 * window.cpu / machine
    busy_pct = 100.0 * window.machine_busy / max(window.machine_total, 1e-9)
    fps = frames / window.wall
    lag_p99 = float(np.percentile(lags, 99))
    analysed = sum(window.delivered) if mode == PIPELINE else 0
    return Step(
        mode=mode,
        cameras=n,
        seconds=round(window.wall, 2),
        cameras_up=up,
        frames=frames,
        fps=fps,
        target_fps=target,
        slowest_camera_fps=min(per_camera) / window.wall,
        cpu_pct=cpu_pct,
        cpu_pct_per_camera=cpu_pct / n,
        rss_mb=rss / 2**20,
        rss_per_camera_mb=(rss - baseline_rss) / 2**20 / n,
        lag_p50_ms=float(np.percentile(lags, 50)),
        lag_p99_ms=lag_p99,
        lag_max_ms=float(lags.max()),
        lag_samples=len(window.lags),
        server_cpu_pct=100.0 * window.server_cpu / machine,
        machine_busy_pct=busy_pct,
        other_pct=max(0.0, busy_pct - cpu_pct - 100.0 * window.server_cpu / machine),
        analysis_pct=100.0 * window.analysis_cpu / machine,
        analysis_ms_per_frame=1000.0 * window.analysis_cpu / analysed if analysed else 0.0,
        cpu_ms_per_decoded_frame=1000.0 * window.cpu / frames if mode == DECODE and frames else 0.0,
        state_changes=counters.changes,
        settle_s=round(settle_s, 1),
        sustained=fps >= SUSTAIN_RATIO * target and lag_p99 < LAG_LIMIT_MS,
        errors=counters.errors[:10],
    )


async def measure_step(
    cameras: Sequence[Camera],
    *,
    mode: str,
    seconds: float,
    warmup: float = 3.0,
    server: StreamServerProcess | None = None,
    stream_fps: float = STREAM_FPS,
    baseline_rss: int | None = None,
    open_wait: float = 20.0,
    settle_limit: float = 15.0,
    io_timeout: float = 10.0,
) -> Step:
    """Run `cameras` in `mode` (PIPELINE, SCALE or DECODE) and measure a `seconds` window.

    The window starts `warmup` s after every camera has produced its first frame (opening a
    live stream probes ~2 s of it, which is then decoded in a burst), and once the frame rate is
    back near the target (at most `settle_limit` s more). Call on the event loop
    whose lag is measured; every thread started here is stopped before it returns.
    """
    if mode not in (PIPELINE, SCALE, DECODE):
        raise ValueError(f"unknown mode {mode!r}")
    loop = asyncio.get_running_loop()
    if baseline_rss is None:
        baseline_rss = psutil.Process().memory_info().rss
    counters = _Counters(len(cameras))
    workers: list[_Worker] = [
        _DecodeOnlyCamera(i, cam, counters, timeout=io_timeout)
        if mode == DECODE
        else _AnalysedCamera(i, cam, loop, counters, analyse=mode == PIPELINE, timeout=io_timeout)
        for i, cam in enumerate(cameras)
    ]
    try:
        for worker in workers:
            worker.start()
        up = await _wait_up(counters, len(cameras), open_wait)
        await asyncio.sleep(warmup)
        counts = counters.decoded if mode == DECODE else counters.delivered
        rate = stream_fps if mode == DECODE else ANALYSED_FPS
        settle_s = await _settle(counts, rate * len(cameras), settle_limit)
        window = await _measure_window(counters, seconds, server)
    finally:
        _stop_all(workers)
        await asyncio.sleep(0)  # let the last results posted by the threads run
    if server is not None:
        server.wait_idle()
    return _step(
        mode,
        len(cameras),
        up,
        window,
        counters,
        stream_fps=stream_fps,
        baseline_rss=baseline_rss,
        settle_s=settle_s,
    )


# --------------------------------------------------------------------------------------------
# The ramp
# --------------------------------------------------------------------------------------------

COLUMNS = (
    f"{'mode':<13}{'cams':>5}{'frames/s':>10}{'target':>8}{'CPU %':>8}{'/cam':>7}"
    f"{'RSS MB':>8}{'/cam':>6}{'lag p50':>9}{'p99':>7}{'servers %':>11}{'other %':>9}  ok"
)


def format_step(step: Step) -> str:
    """One table row (CPU in % of the whole machine, lag in ms)."""
    ok = "yes" if step.sustained else "NO"
    if step.cameras_up < step.cameras:
        ok += f" ({step.cameras_up}/{step.cameras} up)"
    return (
        f"{step.mode:<13}{step.cameras:>5}{step.fps:>10.1f}{step.target_fps:>8.0f}"
        f"{step.cpu_pct:>8.1f}{step.cpu_pct_per_camera:>7.2f}{step.rss_mb:>8.0f}"
        f"{step.rss_per_camera_mb:>6.1f}{step.lag_p50_ms:>9.1f}{step.lag_p99_ms:>7.1f}"
        f"{step.server_cpu_pct:>11.1f}{step.other_pct:>9.1f}  {ok}"
    )


@dataclass(slots=True)
class RampResult:
    """Every step of the ramp, and the decode+scale step used to split the cost."""

    steps: list[Step]
    scale: Step | None
    stopped_at: int | None  # N at which the pipeline fell behind (the ramp stopped there)


async def wait_quiet(limit: float, out: Printer) -> float:
    """Wait (at most `limit` s) until other processes leave the machine quiet; their load in %.

    Called between steps, when nothing of the benchmark runs: what is busy is somebody else's.
    """
    deadline = time.monotonic() + limit
    waited = False
    while True:
        busy0, total0 = _machine_times()
        await asyncio.sleep(1.0)
        busy1, total1 = _machine_times()
        load = 100.0 * (busy1 - busy0) / max(total1 - total0, 1e-9)
        if load < OTHER_LOAD_WARN_PCT or time.monotonic() >= deadline:
            if waited:
                out(f"   (other processes: {load:.0f} % busy now, going on)")
            return load
        if not waited:
            out(f"   (other processes keep the machine {load:.0f} % busy: waiting ≤ {limit:.0f} s)")
            waited = True


async def _step_quietly(
    cameras: Sequence[Camera],
    mode: str,
    seconds: float,
    common: dict[str, Any],
    *,
    quiet_wait: float,
    out: Printer,
) -> Step:
    """A step measured on a quiet machine if possible; once more if other processes spoiled it."""
    for attempt in (1, 2):
        await wait_quiet(quiet_wait, out)
        step = await measure_step(cameras, mode=mode, seconds=seconds, **common)
        if step.sustained or step.other_pct <= OTHER_LOAD_WARN_PCT or attempt == 2:
            break
        out(f"{format_step(step)}   other processes used {step.other_pct:.0f} %: again")
    out(format_step(step))
    return step


async def run_ramp(
    cameras: Sequence[Camera],
    ramp: Sequence[int],
    *,
    step_seconds: float,
    decode_seconds: float,
    warmup: float,
    server: StreamServerProcess,
    stream_fps: float,
    baseline_rss: int,
    quiet_wait: float = 0.0,
    out: Printer = print,
) -> RampResult:
    """Pipeline then decode-only at each N; stop after the first N the pipeline cannot hold."""
    steps: list[Step] = []
    stopped_at = None
    common: dict[str, Any] = {
        "warmup": warmup,
        "server": server,
        "stream_fps": stream_fps,
        "baseline_rss": baseline_rss,
    }
    kw: dict[str, Any] = {"quiet_wait": quiet_wait, "out": out}
    out(COLUMNS)
    for n in ramp:
        pipe = await _step_quietly(cameras[:n], PIPELINE, step_seconds, common, **kw)
        dec = await _step_quietly(cameras[:n], DECODE, decode_seconds, common, **kw)
        steps += [pipe, dec]
        if not pipe.sustained:
            stopped_at = n
            out(f"-- the pipeline falls behind at {n} cameras: ramp stopped")
            break
    reached = [s.cameras for s in steps if s.mode == PIPELINE]
    scale = None
    if reached:
        n = TARGET_CAMERAS if TARGET_CAMERAS in reached else reached[-1]
        out(f"-- decode+scale without analysis at {n} cameras (splits the cost):")
        scale = await _step_quietly(cameras[:n], SCALE, decode_seconds, common, **kw)
    return RampResult(steps=steps, scale=scale, stopped_at=stopped_at)


# --------------------------------------------------------------------------------------------
# Replay speed
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class ReplayResult:
    """Replay (scripts/replay) speed on one clip, with decode-only and decode+scale speeds."""

    clip: str
    width: int
    height: int
    fps: int
    seconds: float
    frames_decoded: int
    frames_analysed: int
    decode_s: float  # wall seconds, best of the repeats
    decode_scale_s: float
    full_s: float
    decode_cpu_s: float
    decode_scale_cpu_s: float
    full_cpu_s: float
    analysis_ms_per_frame: float
    speed: float  # × real time, decode + scale + analysis (what scripts/replay does)
    decode_speed: float
    decode_scale_speed: float
    hot_spots: list[dict[str, Any]] = field(default_factory=list)


def _timed(run: Callable[[], tuple[int, float]]) -> tuple[float, float, int, float]:
    wall0, cpu0 = time.perf_counter(), time.process_time()
    frames, extra = run()
    return time.perf_counter() - wall0, time.process_time() - cpu0, frames, extra


def _decode_clip(path: Path) -> tuple[int, float]:
    frames = 0
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        for _frame in container.decode(stream):
            frames += 1
    return frames, 0.0


def _scale_clip(path: Path, layout: ZoneLayout) -> tuple[int, float]:
    size = CameraAnalyzer(layout, AnalyzerSettings()).analysis_size
    frames = sum(1 for _frame in iter_frames(str(path), fps=ANALYSED_FPS, size=size))
    return frames, 0.0


def _replay_clip(path: Path, layout: ZoneLayout) -> tuple[int, float]:
    analyzer = CameraAnalyzer(layout, AnalyzerSettings())
    frames, analysis = 0, 0.0
    decoded = iter_frames(str(path), fps=ANALYSED_FPS, size=analyzer.analysis_size)
    for frame in prefetch(decoded):  # as scripts/replay: decoding overlaps analysis
        started = time.thread_time()
        analyzer.process(frame.t, frame.gray)
        analysis += time.thread_time() - started
        frames += 1
    return frames, analysis


def analysis_hot_spots(path: Path, layout: ZoneLayout, top: int = 8) -> list[dict[str, Any]]:
    """cProfile of CameraAnalyzer.process over the clip's frames: own time per function."""
    analyzer = CameraAnalyzer(layout, AnalyzerSettings())
    frames = list(iter_frames(str(path), fps=ANALYSED_FPS, size=analyzer.analysis_size))
    profiler = cProfile.Profile()
    profiler.enable()
    for frame in frames:
        analyzer.process(frame.t, frame.gray)
    profiler.disable()
    stats: dict[Any, Any] = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    rows = []
    for (filename, line, func), (_cc, calls, own, _cum, _callers) in stats.items():
        where = f"{Path(filename).name}:{line}:{func}" if line else func
        rows.append({"function": where, "calls": calls, "own_s": own})
    total = sum(r["own_s"] for r in rows) or 1.0
    rows.sort(key=lambda r: r["own_s"], reverse=True)
    for row in rows:
        row["share_pct"] = 100.0 * row["own_s"] / total
        row["ms_per_frame"] = 1000.0 * row["own_s"] / max(len(frames), 1)
    return rows[:top]


def measure_replay(
    path: Path, layout: ZoneLayout, seconds: float, *, repeats: int = 3, profile: bool = True
) -> ReplayResult:
    """Replay `path` (`seconds` long) as fast as possible; best of `repeats` for each variant."""
    runs: dict[str, list[tuple[float, float, int, float]]] = {"decode": [], "scale": [], "full": []}
    for _ in range(max(1, repeats)):
        runs["decode"].append(_timed(lambda: _decode_clip(path)))
        runs["scale"].append(_timed(lambda: _scale_clip(path, layout)))
        runs["full"].append(_timed(lambda: _replay_clip(path, layout)))
    best = {name: min(results) for name, results in runs.items()}
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        width, height = stream.codec_context.width, stream.codec_context.height
        rate = stream.average_rate
    full = best["full"]
    return ReplayResult(
        clip=str(path),
        width=width,
        height=height,
        fps=round(float(rate)) if rate else 0,
        seconds=seconds,
        frames_decoded=best["decode"][2],
        frames_analysed=full[2],
        decode_s=best["decode"][0],
        decode_scale_s=best["scale"][0],
        full_s=full[0],
        decode_cpu_s=best["decode"][1],
        decode_scale_cpu_s=best["scale"][1],
        full_cpu_s=full[1],
        analysis_ms_per_frame=1000.0 * full[3] / max(full[2], 1),
        speed=seconds / full[0],
        decode_speed=seconds / best["decode"][0],
        decode_scale_speed=seconds / best["scale"][0],
        hot_spots=analysis_hot_spots(path, layout) if profile else [],
    )


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def _pipeline(steps: Sequence[Step], n: int, mode: str = PIPELINE) -> Step | None:
    return next((s for s in steps if s.cameras == n and s.mode == mode), None)


def _split(ramp: RampResult) -> dict[str, Any] | None:
    """Where the pipeline's CPU goes, at the N of the decode+scale step (% of the machine)."""
    scale = ramp.scale
    if scale is None:
        return None
    pipe = _pipeline(ramp.steps, scale.cameras)
    dec = _pipeline(ramp.steps, scale.cameras, DECODE)
    if pipe is None or dec is None:
        return None
    parts = {
        "decode": dec.cpu_pct,
        "scale": scale.cpu_pct - dec.cpu_pct,
        "analysis": pipe.analysis_pct,
        "other": pipe.cpu_pct - scale.cpu_pct - pipe.analysis_pct,
    }
    return {
        "cameras": scale.cameras,
        "pipeline_pct": pipe.cpu_pct,
        "parts_pct": parts,
        "shares_pct": {k: 100.0 * v / pipe.cpu_pct for k, v in parts.items()},
        "analysis_ms_per_frame": pipe.analysis_ms_per_frame,
    }


def _camera_target(ramp: RampResult, max_cameras: int) -> dict[str, Any]:
    pipes = [s for s in ramp.steps if s.mode == PIPELINE]
    good = [s for s in pipes if s.sustained and s.cpu_pct < TARGET_CPU_PCT]
    best = max(good, key=lambda s: s.cameras, default=None)
    sustained = [s for s in pipes if s.sustained]
    ref = max(sustained, key=lambda s: s.cameras, default=pipes[-1] if pipes else None)
    estimate = int(TARGET_CPU_PCT / ref.cpu_pct_per_camera) if ref and ref.cpu_pct else 0
    at = _pipeline(ramp.steps, TARGET_CAMERAS)
    result: dict[str, Any] = {
        "max_sustained_under_50pct": best.cameras if best else 0,
        "estimate_under_50pct": estimate,
        "stopped_at": ramp.stopped_at,
    }
    tail = (
        f"largest measured N sustained under {TARGET_CPU_PCT:.0f} %: "
        f"{best.cameras if best else 0}; per-camera cost suggests ≈ {estimate}"
    )
    if at is None:
        why = (
            f"the pipeline fell behind at {ramp.stopped_at} cameras"
            if ramp.stopped_at
            else f"ramp went to {max_cameras} cameras only"
        )
        result["status"] = "NOT MET" if ramp.stopped_at else "NOT MEASURED"
        result["text"] = f"{result['status']} ({why}; {tail})"
        return result
    problems = []
    if at.fps < SUSTAIN_RATIO * at.target_fps:
        problems.append(f"{at.fps:.1f} of {at.target_fps:.0f} frames/s")
    if at.lag_p99_ms >= LAG_LIMIT_MS:
        problems.append(f"loop lag p99 {at.lag_p99_ms:.1f} ms ≥ {LAG_LIMIT_MS:.0f} ms")
    if at.cpu_pct >= TARGET_CPU_PCT:
        over = at.cpu_pct - TARGET_CPU_PCT
        problems.append(f"CPU {at.cpu_pct:.1f} % of the machine, {over:.1f} points over")
    facts = (
        f"{TARGET_CAMERAS} cameras: {at.fps:.1f}/{at.target_fps:.0f} frames/s, "
        f"CPU {at.cpu_pct:.1f} % of the machine ({at.cpu_pct_per_camera:.2f} %/camera), "
        f"loop lag p99 {at.lag_p99_ms:.1f} ms"
    )
    result["status"] = "NOT MET" if problems else "MET"
    result["text"] = (
        f"{result['status']} ({facts}"
        + (f"; short: {', '.join(problems)}" if problems else "")
        + f"; {tail})"
    )
    return result


def _replay_target(replay: ReplayResult | None) -> dict[str, Any]:
    if replay is None:
        return {"status": "NOT MEASURED", "text": "NOT MEASURED"}
    met = replay.speed >= TARGET_REPLAY_SPEED
    clip = f"{replay.width}×{replay.height} {replay.fps} fps {replay.seconds:g} s"
    text = f"{replay.speed:.0f}× real time on {clip}"
    if not met:
        short = 100.0 * (1 - replay.speed / TARGET_REPLAY_SPEED)
        text += f", {short:.0f} % short of {TARGET_REPLAY_SPEED:.0f}×"
    text += f"; decoding alone {replay.decode_speed:.0f}×"
    status = "MET" if met else "NOT MET"
    return {"status": status, "text": f"{status} ({text})"}


def build_report(
    ramp: RampResult,
    replay: ReplayResult | None,
    *,
    settings: dict[str, Any],
    environment: dict[str, Any],
    baseline_rss: int,
) -> dict[str, Any]:
    """Every figure of the run, JSON-safe, with the verdict on each target."""
    comparison = []
    for pipe in (s for s in ramp.steps if s.mode == PIPELINE):
        dec = _pipeline(ramp.steps, pipe.cameras, DECODE)
        if dec is None or dec.cpu_pct <= 0:
            continue
        comparison.append(
            {
                "cameras": pipe.cameras,
                "pipeline_pct": pipe.cpu_pct,
                "decode_pct": dec.cpu_pct,
                "ratio": pipe.cpu_pct / dec.cpu_pct,
                "extra_pct": 100.0 * (pipe.cpu_pct / dec.cpu_pct - 1),
                "decode_ms_per_frame": dec.cpu_ms_per_decoded_frame,
            }
        )
    return {
        "environment": environment,
        "settings": settings,
        "baseline_rss_mb": baseline_rss / 2**20,
        "steps": [asdict(s) for s in ramp.steps],
        "scale_step": asdict(ramp.scale) if ramp.scale else None,
        "pipeline_vs_decode": comparison,
        "split": _split(ramp),
        "replay": asdict(replay) if replay else None,
        "targets": {
            "cameras": _camera_target(ramp, settings.get("max_cameras", 0)),
            "replay": _replay_target(replay),
        },
    }


def _summary_ramp(report: dict[str, Any]) -> list[str]:
    lines = ["", "Pipeline against decoding alone (analysing process, % of the machine)"]
    lines.append(
        f"{'cams':>5}{'pipeline %':>12}{'decode %':>10}{'× decode':>10}{'more':>8}"
        f"{'decode ms/frame':>17}"
    )
    for row in report["pipeline_vs_decode"]:
        lines.append(
            f"{row['cameras']:>5}{row['pipeline_pct']:>12.1f}{row['decode_pct']:>10.1f}"
            f"{row['ratio']:>10.2f}{row['extra_pct']:>7.0f}%{row['decode_ms_per_frame']:>17.2f}"
        )
    if report["pipeline_vs_decode"]:
        last = report["pipeline_vs_decode"][-1]
        lines.append(
            f"At {last['cameras']} cameras the pipeline costs {last['extra_pct']:.0f} % more than "
            f"decoding the same streams alone ({last['ratio']:.2f}×). Decoding costs "
            f"{last['decode_ms_per_frame']:.2f} ms of CPU per 640×360 frame "
            f"(anchor ≈ {ANCHOR_DECODE_MS:.1f} ms: 0.5 % of a core at 5 fps)."
        )
    split = report["split"]
    if split:
        p, s = split["parts_pct"], split["shares_pct"]
        lines.append(
            f"Where the time goes at {split['cameras']} cameras ({split['pipeline_pct']:.1f} % of "
            f"the machine): decoding {p['decode']:.1f} ({s['decode']:.0f} %), scaling to grey "
            f"{p['scale']:.1f} ({s['scale']:.0f} %), analysis {p['analysis']:.1f} "
            f"({s['analysis']:.0f} %, {split['analysis_ms_per_frame']:.1f} ms/frame), "
            f"other: threads, GIL, loop {p['other']:.1f} ({s['other']:.0f} %)."
        )
        if p["other"] < 0:
            lines.append(
                "  ('other' below 0 is noise: decode-only and decode+scale are separate steps.)"
            )
    return lines


def _summary_replay(replay: dict[str, Any] | None) -> list[str]:
    if not replay:
        return []
    r = replay
    secs = r["seconds"]
    lines = [
        "",
        f"Replay: {r['width']}×{r['height']} {r['fps']} fps, {secs:g} s clip "
        f"({r['frames_decoded']} frames decoded, {r['frames_analysed']} analysed), best of runs",
        f"  decode only        {r['decode_s']:6.2f} s wall {r['decode_cpu_s']:6.2f} s CPU  "
        f"{r['decode_speed']:6.0f}× real time",
        f"  decode + scale     {r['decode_scale_s']:6.2f} s wall "
        f"{r['decode_scale_cpu_s']:6.2f} s CPU  {r['decode_scale_speed']:6.0f}× real time",
        f"  replay (+analysis) {r['full_s']:6.2f} s wall {r['full_cpu_s']:6.2f} s CPU  "
        f"{r['speed']:6.0f}× real time",
    ]
    full = r["full_s"]
    scale = r["decode_scale_s"] - r["decode_s"]
    analysis = full - r["decode_scale_s"]
    lines.append(
        f"  wall time split: decoding {100 * r['decode_s'] / full:.0f} %, scaling "
        f"{100 * scale / full:.0f} %, analysis {100 * analysis / full:.0f} % "
        f"({r['analysis_ms_per_frame']:.1f} ms CPU per analysed frame)"
    )
    if r["hot_spots"]:
        lines.append("  analysis hot spots (cProfile, own time):")
        for spot in r["hot_spots"]:
            lines.append(
                f"    {spot['share_pct']:5.1f} %  {spot['ms_per_frame']:6.2f} ms/frame  "
                f"{spot['function']}"
            )
    return lines


def _summary_analysis(report: dict[str, Any]) -> list[str]:
    """Analysis CPU per frame alone (replay, one thread) against live among N camera threads."""
    replay, split = report["replay"], report["split"]
    if not replay or not split or not replay["analysis_ms_per_frame"]:
        return []
    live, alone = split["analysis_ms_per_frame"], replay["analysis_ms_per_frame"]
    return [
        "",
        f"Analysis CPU per frame: {alone:.1f} ms alone (replay, one thread), {live:.1f} ms live "
        f"among {split['cameras']} camera threads on {CORES} cores ({live / alone:.1f}×).",
    ]


def format_summary(report: dict[str, Any]) -> list[str]:
    """The closing lines: pipeline against decode, the cost split, replay, the targets."""
    lines = _summary_ramp(report) + _summary_replay(report["replay"]) + _summary_analysis(report)
    targets = report["targets"]
    disturbed = [s for s in report["steps"] if s["other_pct"] > OTHER_LOAD_WARN_PCT]
    if disturbed:
        worst = max(s["other_pct"] for s in disturbed)
        lines += [
            "",
            f"WARNING: other processes used up to {worst:.0f} % of the machine during "
            f"{len(disturbed)} of {len(report['steps'])} steps: rerun on a quiet machine.",
        ]
    lines += [
        "",
        "Targets",
        f"  ≥ {TARGET_CAMERAS} cameras under {TARGET_CPU_PCT:.0f} % of the machine: "
        f"{targets['cameras']['text']}",
        f"  replay ≥ {TARGET_REPLAY_SPEED:.0f}× real time: {targets['replay']['text']}",
    ]
    return lines


def environment() -> dict[str, Any]:
    """The machine and the library versions."""
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    ffmpeg = ""
    with contextlib.suppress(OSError, subprocess.SubprocessError, IndexError):
        ffmpeg = subprocess.run(
            ["ffmpeg", "-version"], capture_output=True, text=True, timeout=10, check=False
        ).stdout.splitlines()[0]
    return {
        "cpu": model,
        "cores": CORES,
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "av": av.__version__,
        "libavcodec": ".".join(str(v) for v in av.library_versions.get("libavcodec", ())),
        "numpy": np.__version__,
        "ffmpeg": ffmpeg,
        "switch_interval_ms": sys.getswitchinterval() * 1000,
    }


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """Options of the command line."""
    parser = argparse.ArgumentParser(
        prog="benchmarks/throughput", description=(__doc__ or "").split("\n\n")[0]
    )
    parser.add_argument("--max-cameras", type=int, default=RAMP[-1], help="top of the ramp")
    parser.add_argument("--step-seconds", type=float, help="measured seconds per step (25)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 1 and 4 cameras, 10 s")
    parser.add_argument("--stream-fps", type=int, default=STREAM_FPS, help="substream frame rate")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds before each window")
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=120.0,
        help="before each step, wait up to this many s for other processes to calm down",
    )
    parser.add_argument("--replay-repeats", type=int, default=3)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="clips and JSON")
    args = parser.parse_args(argv)
    if args.max_cameras < 1:
        parser.error("--max-cameras must be at least 1")
    if args.step_seconds is None:
        args.step_seconds = 10.0 if args.quick else 25.0
    if args.step_seconds <= 0:
        parser.error("--step-seconds must be positive")
    if args.quick:
        args.ramp = sorted({min(n, args.max_cameras) for n in QUICK_RAMP})
    else:
        args.ramp = [n for n in RAMP if n < args.max_cameras] + [args.max_cameras]
    return args


def _header(args: argparse.Namespace, env: dict[str, Any], out: Printer) -> None:
    out(
        f"Throughput benchmark: {env['cores']} cores ({env['cpu']}), {env['memory_gb']} GB, "
        f"Python {env['python']}, PyAV {env['av']} (libavcodec {env['libavcodec']}), "
        f"numpy {env['numpy']}"
    )
    out(
        f"Each camera: {STREAM_SIZE[0]}×{STREAM_SIZE[1]} H.264 substream at {args.stream_fps} fps "
        f"over HTTP (ffmpeg -re -c copy), {ANALYSED_FPS:g} analysed frames/s. Ramp: "
        f"{', '.join(map(str, args.ramp))} cameras, {args.step_seconds:g} s per step "
        f"({_decode_seconds(args):g} s decode-only). CPU % = of the whole {CORES}-core machine."
    )
    out(
        f"Sustained = ≥ {SUSTAIN_RATIO:.0%} of target frames/s and loop lag p99 < "
        f"{LAG_LIMIT_MS:.0f} ms. 'servers %' is the stream servers' CPU, not counted in CPU %."
    )


def _decode_seconds(args: argparse.Namespace) -> float:
    return round(max(3.0, 0.4 * float(args.step_seconds)), 1)


def machine_load(seconds: float = 2.0) -> float:
    """How busy the whole machine is over `seconds` (% of all cores)."""
    busy0, total0 = _machine_times()
    time.sleep(seconds)
    busy1, total1 = _machine_times()
    return 100.0 * (busy1 - busy0) / max(total1 - total0, 1e-9)


def _measure(args: argparse.Namespace, cache: Path, run_dir: Path, out: Printer) -> dict[str, Any]:
    """Clips, the ramp (stream server running), then the replay; the report."""
    started = time.monotonic()
    out(f"Clips (rendered once, cached in {cache / 'throughput'}) ...")
    folder, truths = stream_clips(cache, fps=args.stream_fps)
    replay_path, replay_truth = replay_clip(cache)
    stage([folder / f"{kind}.mp4" for kind in truths], run_dir / "streams")
    (replay_path,) = stage([replay_path], run_dir / "replay")
    out(f"  ready after {time.monotonic() - started:.0f} s")
    load = machine_load()
    out(f"Machine load before the ramp (other processes): {load:.1f} %")
    if load > OTHER_LOAD_WARN_PCT:
        out("  WARNING: the machine is not quiet; the figures below will be disturbed")
    server = StreamServerProcess(run_dir / "streams", log=run_dir / "server.log")
    server.start()
    baseline_rss = psutil.Process().memory_info().rss
    try:
        ramp = asyncio.run(
            run_ramp(
                make_cameras(server, truths, max(args.ramp)),
                args.ramp,
                step_seconds=args.step_seconds,
                decode_seconds=_decode_seconds(args),
                warmup=args.warmup,
                server=server,
                stream_fps=args.stream_fps,
                baseline_rss=baseline_rss,
                quiet_wait=args.quiet_wait,
                out=out,
            )
        )
    finally:
        server.stop()
    out("Replay speed ...")
    replay = measure_replay(
        replay_path, layout_for(replay_truth), replay_truth.seconds, repeats=args.replay_repeats
    )
    settings = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}
    settings |= {"stream_size": list(STREAM_SIZE), "analysed_fps": ANALYSED_FPS}
    report = build_report(
        ramp, replay, settings=settings, environment=environment(), baseline_rss=baseline_rss
    )
    report["load_before_pct"] = load
    report["elapsed_s"] = round(time.monotonic() - started, 1)
    return report


def main(argv: Sequence[str] | None = None, out: Printer = print) -> int:
    """Command line entry point; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    if shutil.which("ffmpeg") is None:
        out("benchmarks/throughput: ffmpeg is not on PATH (Debian: apt-get install ffmpeg)")
        return 2
    _header(args, environment(), out)
    cache: Path = args.cache
    cache.mkdir(parents=True, exist_ok=True)
    run_dir = Path(tempfile.mkdtemp(prefix="quephong-throughput-"))
    try:
        report = _measure(args, cache, run_dir, out)
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)
    for line in format_summary(report):
        out(line)
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / "throughput.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    out("")
    out(f"Figures: {path} (whole run {report['elapsed_s']:.0f} s)")
    out(f"Rerun: {shlex.join(['benchmarks/throughput', *argv])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
