"""Frame sources against a real local stream: frames, drop-outs, reconnection, files."""

from __future__ import annotations

import contextlib
import io
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from custom_components.quephong_office.core.vision.sources import (
    Frame,
    FrameRate,
    FrameSource,
    SteadyTime,
    gray_from_jpeg,
    is_file,
    iter_frames,
    prefetch,
)
from devtools.scene import SceneTruth
from devtools.streams import StreamServer


@pytest.fixture
def server(one_stop: tuple[Path, SceneTruth], request: pytest.FixtureRequest):
    with contextlib.suppress(pytest.FixtureLookupError):  # the HA test plugin blocks sockets
        request.getfixturevalue("socket_enabled")
    srv = StreamServer({"cam": one_stop[0]})
    srv.start()
    yield srv
    srv.stop()


def size(width: int, height: int) -> tuple[int, int]:
    return 160, 90


def wait_for(predicate: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.05)


def test_iter_frames_samples_at_the_rate(one_stop: tuple[Path, SceneTruth]) -> None:
    path, truth = one_stop
    frames = list(iter_frames(str(path), fps=2, size=size))
    assert len(frames) == pytest.approx(truth.seconds * 2, abs=2)
    assert frames[0].gray.shape == (90, 160)
    assert frames[0].gray.dtype == np.uint8
    assert (frames[0].source_width, frames[0].source_height) == (320, 180)
    gaps = np.diff([f.t for f in frames])
    assert np.allclose(gaps, 0.5, atol=0.11)
    stop = threading.Event()
    stop.set()
    assert list(iter_frames(str(path), fps=2, size=size, stop=stop)) == []


def test_source_reports_up_down_and_reconnects(server: StreamServer) -> None:
    frames: list[Frame] = []
    states: list[tuple[bool, str | None]] = []
    source = FrameSource(
        server.stream_url("cam"),
        fps=4,
        size=size,
        on_frame=frames.append,
        on_state=lambda up, err: states.append((up, err)),
        name="test",
        timeout=3,
    )
    source.start()
    source.start()  # idempotent
    try:
        wait_for(lambda: len(frames) >= 3)
        assert states[0] == (True, None)
        assert source.running
        server.set_available(False)
        wait_for(lambda: any(not up for up, _ in states))
        server.set_available(True)
        wait_for(lambda: states[-1][0] is True)
        count = len(frames)
        wait_for(lambda: len(frames) > count)
    finally:
        source.stop()
    assert not source.running


def test_file_source_loops_at_its_own_speed(tmp_path: Path) -> None:
    from devtools.scene import render_scene  # noqa: PLC0415

    clip = tmp_path / "short.mp4"
    render_scene(clip, kind="one_stop", seconds=1.0, fps=10, size=(160, 90))
    assert is_file(str(clip))
    assert not is_file("rtsp://10.0.0.1/stream")
    frames: list[Frame] = []
    source = FrameSource(
        str(clip), fps=4, size=size, on_frame=frames.append, on_state=lambda *_: None
    )
    source.start()
    try:
        wait_for(lambda: bool(frames) and frames[-1].t > 1.2, timeout=10)
    finally:
        source.stop()
    times = [f.t for f in frames]
    assert times == sorted(times)  # time keeps going forward over the loop


def test_unreachable_source_reports_down() -> None:
    states: list[tuple[bool, str | None]] = []
    source = FrameSource(
        "http://127.0.0.1:9/none.ts",
        fps=2,
        size=size,
        on_frame=lambda _f: None,
        on_state=lambda up, err: states.append((up, err)),
        timeout=2,
    )
    source.start()
    try:
        wait_for(lambda: bool(states))
    finally:
        source.stop()
    assert states[0][0] is False
    assert states[0][1]


def test_gray_from_jpeg() -> None:
    image = Image.new("RGB", (64, 48), (200, 100, 50))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG")
    gray = gray_from_jpeg(buffer.getvalue(), lambda w, h: (w // 2, h // 2))
    assert gray.shape == (24, 32)
    assert 100 < int(gray.mean()) < 140


def test_prefetch_keeps_order_raises_errors_and_stops_early() -> None:
    def frames(n: int, fail_at: int | None = None) -> Iterator[Frame]:
        for i in range(n):
            if i == fail_at:
                raise OSError("stream broke")
            yield Frame(
                t=float(i), gray=np.zeros((2, 2), np.uint8), source_width=2, source_height=2
            )

    assert [f.t for f in prefetch(frames(50), depth=3)] == [float(i) for i in range(50)]
    got: list[float] = []

    def consume() -> None:
        got.extend(frame.t for frame in prefetch(frames(10, fail_at=4)))

    with pytest.raises(OSError, match="stream broke"):
        consume()
    assert got == [0.0, 1.0, 2.0, 3.0]
    stream = prefetch(frames(1000), depth=2)
    assert next(stream).t == 0.0
    stream.close()  # the decoder thread stops instead of filling the queue forever
    assert not any(t.name == "prefetch" and t.is_alive() for t in threading.enumerate())


def test_steady_time_keeps_counting_when_a_stream_restarts() -> None:
    steady = SteadyTime(0.5)
    assert [steady(t) for t in (0.0, 0.5, 1.0)] == [0.0, 0.5, 1.0]
    # the stream was reopened: its clock starts again at 0
    assert [steady(t) for t in (0.0, 0.5)] == [1.5, 2.0]
    # a stamp repeated by the stream moves on by one step too
    assert steady(0.5) == 2.5
    assert steady(3.0) == 5.0


def test_frame_rate_over_the_last_30_seconds() -> None:
    rate = FrameRate()
    assert rate.rate(100.0) is None
    rate.tick(100.0)
    assert rate.rate(100.0) == 0.0  # one frame is no rate yet
    for i in range(1, 11):
        rate.tick(100.0 + i * 0.5)
    assert rate.rate(105.0) == 2.0
    assert rate.rate(200.0) == 0.0  # nothing in the last 30 s
