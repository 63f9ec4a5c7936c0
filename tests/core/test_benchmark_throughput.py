"""The throughput benchmark's measurement functions at toy scale (benchmarks/throughput).

One camera served by the real stream server process, a 2–3 s window per mode, a tiny clip for
the replay: checks that every figure of the report is measured and sane, and that nothing that
was started (threads, the server, its ffmpeg children) outlives the test.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import threading
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    shutil.which("ffmpeg") is None,
    reason="ffmpeg is not on PATH (Debian: apt-get install ffmpeg); the benchmark streams with it",
)

pytest.importorskip("av", reason="PyAV decodes the streams")
psutil = pytest.importorskip("psutil", reason="the benchmark measures CPU and memory with psutil")

from benchmarks import throughput  # noqa: E402

SIZE = (160, 90)
FPS = 25  # a live stream opens after ~20 frames of probing: faster at 25 fps
SECONDS = 3.0


@pytest.fixture(autouse=True)
def _real_sockets(request: pytest.FixtureRequest) -> None:
    """Allow 127.0.0.1 sockets where Home Assistant's test plugin blocks them (pytest-socket)."""
    with contextlib.suppress(pytest.FixtureLookupError):  # plain pytest: not blocked
        request.getfixturevalue("socket_enabled")


def _run_steps(
    folder: Path, truths: dict[str, throughput.SceneTruth], log: Path
) -> tuple[throughput.Step, throughput.Step]:
    """One camera: the pipeline for 2.5 s, then decode-only for 2 s, on a loop of our own."""
    server = throughput.StreamServerProcess(folder, log=log)
    server.start()
    loop = asyncio.new_event_loop()
    try:
        cameras = throughput.make_cameras(server, truths, 1)
        common = {"warmup": 0.5, "server": server, "stream_fps": FPS, "open_wait": 10.0}
        pipe = loop.run_until_complete(
            throughput.measure_step(
                cameras, mode=throughput.PIPELINE, seconds=2.5, settle_limit=2.0, **common
            )
        )
        dec = loop.run_until_complete(
            throughput.measure_step(
                cameras, mode=throughput.DECODE, seconds=2.0, settle_limit=0.0, **common
            )
        )
    finally:
        loop.close()
        server.stop()
    return pipe, dec


def test_toy_scale_run(tmp_path: Path) -> None:
    threads_before = set(threading.enumerate())
    folder, truths = throughput.stream_clips(
        tmp_path, size=SIZE, fps=FPS, seconds=SECONDS, kinds=("one_stop",)
    )
    pipe, dec = _run_steps(folder, truths, tmp_path / "server.log")

    # nothing outlives the steps: no camera thread, no server, no ffmpeg
    assert set(threading.enumerate()) <= threads_before
    assert psutil.Process().children(recursive=True) == []

    assert pipe.mode == throughput.PIPELINE
    assert pipe.cameras == pipe.cameras_up == 1
    assert pipe.errors == []
    assert pipe.frames > 0
    assert pipe.target_fps == throughput.ANALYSED_FPS
    assert 1.0 <= pipe.fps <= 3.5
    assert pipe.lag_samples >= 20
    assert -1.0 < pipe.lag_p50_ms <= pipe.lag_p99_ms <= pipe.lag_max_ms < 1000.0
    assert 0.0 < pipe.cpu_pct <= 100.0
    assert pipe.cpu_pct_per_camera == pytest.approx(pipe.cpu_pct)
    assert pipe.rss_mb > 10
    assert pipe.server_cpu_pct >= 0.0
    assert 0.0 <= pipe.machine_busy_pct <= 100.0
    assert pipe.analysis_ms_per_frame > 0.0
    assert pipe.analysis_pct > 0.0
    assert 2.0 <= pipe.settle_s < 4.0  # one 2 s look at the rate: the backlog of one camera is gone

    assert dec.mode == throughput.DECODE
    assert dec.cameras_up == 1
    assert dec.frames > 0
    assert dec.target_fps == FPS
    assert 0.5 * FPS <= dec.fps <= 1.5 * FPS
    assert dec.cpu_ms_per_decoded_frame > 0.0
    assert dec.analysis_ms_per_frame == 0.0
    assert dec.lag_samples >= 20

    clip = folder / "one_stop.mp4"
    replay = throughput.measure_replay(
        clip, throughput.layout_for(truths["one_stop"]), SECONDS, repeats=1
    )
    assert replay.frames_decoded == SECONDS * FPS
    assert replay.frames_analysed == pytest.approx(SECONDS * throughput.ANALYSED_FPS, abs=1)
    assert (replay.width, replay.height, replay.fps) == (*SIZE, FPS)
    assert replay.speed > 1.0
    assert replay.decode_speed > 1.0
    assert replay.analysis_ms_per_frame > 0.0
    assert replay.hot_spots
    assert sum(spot["share_pct"] for spot in replay.hot_spots) <= 100.0 + 1e-6

    ramp = throughput.RampResult(steps=[pipe, dec], scale=None, stopped_at=None)
    report = throughput.build_report(
        ramp, replay, settings={"max_cameras": 1}, environment={}, baseline_rss=0
    )
    assert {"steps", "pipeline_vs_decode", "replay", "targets", "split"} <= set(report)
    (row,) = report["pipeline_vs_decode"]
    assert row["cameras"] == 1
    assert row["ratio"] == pytest.approx(pipe.cpu_pct / dec.cpu_pct)
    assert report["targets"]["cameras"]["status"] == "NOT MEASURED"  # 32 cameras never ran
    assert report["targets"]["replay"]["status"] in ("MET", "NOT MET")
    text = "\n".join(
        [
            throughput.format_step(pipe),
            throughput.format_step(dec),
            *throughput.format_summary(report),
        ]
    )
    assert "replay ≥ 100× real time: " in text
    assert "≥ 32 cameras under 50 % of the machine: NOT MEASURED" in text


def test_options() -> None:
    quick = throughput.parse_args(["--quick"])
    assert quick.ramp == [1, 4]
    assert quick.step_seconds == 10.0
    full = throughput.parse_args(["--max-cameras", "20", "--step-seconds", "12"])
    assert full.ramp == [1, 8, 16, 20]
    assert full.step_seconds == 12.0
    assert throughput.parse_args([]).ramp == list(throughput.RAMP)
