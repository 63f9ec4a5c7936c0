"""Tests of the developer tools: synthetic scenes and the camera simulator."""

from __future__ import annotations

import base64
import contextlib
import itertools
import os
import shutil
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

pytestmark = pytest.mark.skipif(
    shutil.which("ffmpeg") is None,
    reason="ffmpeg is not on PATH (Debian: apt-get install ffmpeg); "
    "the devtools render and stream through it",
)

av = pytest.importorskip("av", reason="PyAV is needed to decode the test videos")
pytest.importorskip("PIL", reason="Pillow is needed for the JPEG snapshots")

from devtools.scene import SceneTruth, render_scene  # noqa: E402
from devtools.streams import StreamServer  # noqa: E402

SIZE = (192, 108)
SECONDS = 4.0
FPS = 10
# Let PyAV open a live stream after a short probe instead of 5 s of analysis.
FAST_OPEN = {"analyzeduration": "500000", "probesize": "65536"}


@pytest.fixture(autouse=True)
def _real_sockets(request: pytest.FixtureRequest) -> None:
    """Allow 127.0.0.1 sockets where Home Assistant's test plugin blocks them (pytest-socket)."""
    with contextlib.suppress(pytest.FixtureLookupError):  # plain pytest: not blocked
        request.getfixturevalue("socket_enabled")


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SceneTruth]:
    """A short one_stop clip shared by the tests of this module."""
    path = tmp_path_factory.mktemp("scene") / "one_stop.mp4"
    truth = render_scene(path, kind="one_stop", seconds=SECONDS, fps=FPS, size=SIZE)
    return path, truth


def _decode_all(path: Path) -> list[np.ndarray[Any, Any]]:
    with av.open(str(path)) as container:
        return [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]


def _ffmpeg_children() -> list[int]:
    """PIDs of live ffmpeg processes whose parent is this process (Linux)."""
    proc = Path("/proc")
    if not proc.is_dir():
        return []
    me = os.getpid()
    found = []
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        state, ppid = fields[0], int(fields[1])
        if ppid == me and comm == "ffmpeg" and state != "Z":
            found.append(int(entry.name))
    return found


def _status(url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
            return response.status, response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("WWW-Authenticate", "")


def _wait_for(predicate: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_render_scene_video_and_truth(clip: tuple[Path, SceneTruth]) -> None:
    """The MP4 decodes to the right size and frame count; the truth is sane."""
    path, truth = clip
    frames = _decode_all(path)
    assert len(frames) == round(SECONDS * FPS) == truth.frame_count
    assert frames[0].shape == (SIZE[1], SIZE[0], 3)

    json_path = path.with_suffix(".json")
    assert json_path.is_file()
    assert SceneTruth.load(path) == truth
    assert truth.kind == "one_stop"
    assert truth.size == SIZE
    assert truth.fps == FPS
    assert set(truth.desks) == {"quay-1", "quay-2"} == set(truth.occupied)
    for x1, y1, x2, y2 in truth.desks.values():
        assert 0.0 <= x1 < x2 <= 1.0
        assert 0.0 <= y1 < y2 <= 1.0
    for intervals in truth.occupied.values():
        assert intervals, "every desk is visited at least once"
        for start, end in intervals:
            assert 0.0 <= start < end <= SECONDS
        for (_, end), (start, _) in itertools.pairwise(intervals):
            assert end <= start

    # A seated person visibly changes the desk zone compared with an empty desk.
    width, height = SIZE
    x1, y1, x2, y2 = truth.desks["quay-1"]
    zone = (slice(int(y1 * height), int(y2 * height)), slice(int(x1 * width), int(x2 * width)))
    start, end = truth.occupied["quay-1"][0]
    busy = frames[int((start + end) / 2 * FPS)][zone].astype(np.float32)
    empty = frames[0][zone].astype(np.float32)
    assert not truth.is_occupied("quay-1", 0.0)
    assert float(np.abs(busy - empty).mean()) > 8.0


def test_render_scene_is_deterministic_and_validates(tmp_path: Path) -> None:
    """Same seed, same truth; bad arguments are rejected."""
    a = render_scene(tmp_path / "a.mp4", kind="gate", seconds=2, fps=5, size=(128, 72))
    b = render_scene(tmp_path / "b.mp4", kind="gate", seconds=2, fps=5, size=(128, 72))
    assert a == b
    assert SceneTruth.from_json(a.to_json()) == a
    with pytest.raises(ValueError, match="kind"):
        render_scene(tmp_path / "c.mp4", kind="nope", seconds=1)
    with pytest.raises(ValueError, match="even"):
        render_scene(tmp_path / "c.mp4", seconds=1, size=(129, 72))


@pytest.fixture
def no_leaks() -> Iterator[None]:
    """Fail if the test leaves threads or ffmpeg children behind."""
    before = set(threading.enumerate())
    yield
    leftover = set(threading.enumerate()) - before
    assert not leftover, f"threads left running: {leftover}"
    assert not _ffmpeg_children(), "ffmpeg children left running"


def test_stream_server_serves_ts_and_stops_cleanly(
    clip: tuple[Path, SceneTruth], no_leaks: None
) -> None:
    """PyAV decodes the .ts URL; stop() kills ffmpeg and joins all threads."""
    path, _ = clip
    server = StreamServer({"quay": path})
    server.start()
    try:
        assert server.port > 0
        assert server.stream_url("quay") == f"http://127.0.0.1:{server.port}/quay.ts"
        assert server.snapshot_url("quay").endswith("/quay.jpg")
        with av.open(server.stream_url("quay"), timeout=(5, 5), options=FAST_OPEN) as container:
            frame = next(container.decode(video=0))
            assert (frame.width, frame.height) == SIZE
            assert server.active_streams == 1
            assert len(_ffmpeg_children()) == 1
        # the client went away: the server notices and kills its ffmpeg
        assert _wait_for(lambda: server.active_streams == 0)

        assert _status(server.snapshot_url("quay")) == (200, "image/jpeg")
        assert _status(server.stream_url("missing"))[0] == 404

        # stop() with a stream still open must not hang or leak
        sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
        sock.sendall(b"GET /quay.ts HTTP/1.0\r\n\r\n")
        assert sock.recv(12).startswith(b"HTTP/1.0 200")
        assert _wait_for(lambda: server.active_streams == 1)
        idle = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    finally:
        started = time.monotonic()
        server.stop()
        assert time.monotonic() - started < 5.0
    assert server.active_streams == 0
    sock.close()
    idle.close()


def test_stream_server_auth_and_availability(clip: tuple[Path, SceneTruth], no_leaks: None) -> None:
    """401 without credentials, 503 while unavailable, open streams cut."""
    path, _ = clip
    good = {"Authorization": "Basic " + base64.b64encode("admin:mật-khẩu".encode()).decode()}
    bad = {"Authorization": "Basic " + base64.b64encode(b"admin:wrong").decode()}
    with StreamServer({"quay": path}, username="admin", password="mật-khẩu") as server:
        url = server.snapshot_url("quay")
        assert _status(url) == (401, 'Basic realm="camera"')
        assert _status(url, bad)[0] == 401
        assert _status(url, good) == (200, "image/jpeg")

        request = urllib.request.Request(server.stream_url("quay"), headers=good)
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.headers["Content-Type"] == "video/mp2t"
            assert len(response.read(1024)) == 1024
            server.set_available(False)
            assert _status(url, good)[0] == 503
            assert _wait_for(lambda: server.active_streams == 0)
            ended = False
            deadline = time.monotonic() + 10
            try:
                while not ended and time.monotonic() < deadline:
                    ended = not response.read(65536)
            except OSError:
                ended = True
            assert ended, "the open stream was not cut"
        server.set_available(True)
        assert _status(url, good)[0] == 200
        # credentials in the URL work for ffmpeg/PyAV clients
        with av.open(
            server.stream_url("quay", auth=True), timeout=(5, 5), options=FAST_OPEN
        ) as container:
            frame = next(container.decode(video=0))
            assert frame.width == SIZE[0]


def test_live_snapshot_follows_the_playing_stream(clip: tuple[Path, SceneTruth]) -> None:
    """Once a stream plays, a snapshot is the frame it shows now; the file loops."""
    import io  # noqa: PLC0415

    from PIL import Image  # noqa: PLC0415

    from devtools.streams import _frame_jpeg  # noqa: PLC0415

    path, _ = clip

    def pixels(played: float) -> np.ndarray[Any, Any]:
        return np.asarray(Image.open(io.BytesIO(_frame_jpeg(path, played))), dtype=np.int16)

    first, later, looped = pixels(0.2), pixels(SECONDS * 0.6), pixels(SECONDS + 0.2)
    assert np.abs(first - looped).mean() < 2.0  # the same frame, a loop later
    assert np.abs(first - later).mean() > np.abs(first - looped).mean()
