"""Frame sources: a camera stream or a video file, decoded with PyAV in a thread of its own.

H.264 has to decode every frame it receives, so the cost is set by the stream: use the
camera's substream (640×360 or similar) for analysis. Only the frames that are analysed
(default 2 per second) are scaled down and turned grey, which is the other half of the cost.

A source runs until stopped. When the stream fails it reports the error, waits (2 s doubling
to 60 s) and opens it again. Frames and state changes are handed to callbacks in the source's
thread: the caller moves them wherever it needs them (Home Assistant: onto its event loop).
"""

from __future__ import annotations

import io
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from queue import Full, Queue
from urllib.parse import urlsplit

import av
import av.error
import numpy as np
from numpy.typing import NDArray
from PIL import Image

from custom_components.quephong_office.core.health import SourceHealth

from .probe import is_auth_error, open_options

Gray = NDArray[np.uint8]


@dataclass(frozen=True, slots=True, kw_only=True)
class Frame:
    """One analysed frame: time in seconds, the grey picture, and the source's full size."""

    t: float
    gray: Gray
    source_width: int
    source_height: int


class FrameRate:
    """Analysed frames per second over the last 30 seconds (monotonic clock)."""

    WINDOW = 30.0

    def __init__(self) -> None:
        """No frame yet."""
        self._times: deque[float] = deque(maxlen=64)

    def tick(self, t: float) -> None:
        """A frame was analysed at monotonic time `t`."""
        self._times.append(t)

    def rate(self, now: float) -> float | None:
        """Frames per second at `now` (None before any frame, 0 when too few are recent)."""
        if not self._times:
            return None
        recent = [t for t in self._times if now - t <= self.WINDOW]
        if len(recent) < 2:
            return 0.0
        return round((len(recent) - 1) / max(recent[-1] - recent[0], 1e-6), 2)


class SteadyTime:
    """Frame times that never go back.

    A live stream's clock starts again at 0 when the source reopens it; analysing with such
    times would make presence timers see time go backwards. This keeps counting instead: a
    time at or before the last one is shifted to one frame step after it.
    """

    def __init__(self, step: float) -> None:
        """`step`: the expected time between two frames (1 / fps)."""
        self.step = step
        self._base = 0.0
        self._last: float | None = None

    def __call__(self, t: float) -> float:
        """The steady time of a frame stamped `t` by its stream."""
        steady = t + self._base
        if self._last is not None and steady <= self._last:
            self._base += self._last - steady + self.step
            steady = t + self._base
        self._last = steady
        return steady


FrameCallback = Callable[[Frame], None]
StateCallback = Callable[[bool, str | None], None]
SizeFunction = Callable[[int, int], tuple[int, int]]


def is_file(url: str) -> bool:
    """True for a local video file (a path or file:// URL) rather than a network stream."""
    scheme = urlsplit(url).scheme.lower()
    return scheme in ("", "file") or Path(url).exists()


def iter_frames(
    url: str,
    *,
    fps: float,
    size: SizeFunction,
    timeout: float = 10.0,
    stop: threading.Event | None = None,
) -> Iterator[Frame]:
    """Yield analysed frames of one opening of `url`, `fps` per second of stream time.

    Time comes from the stream's timestamps, so a file is analysed as fast as it decodes
    (the replay tool) and a live stream at its own pace. Raises av.error.FFmpegError or
    OSError when the stream fails.
    """
    path = url.removeprefix("file://")
    container = av.open(path, options=open_options(url, timeout), timeout=(timeout, timeout))
    try:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        codec = stream.codec_context
        interval = 1.0 / fps
        next_t: float | None = None
        first_pts: float | None = None
        out_size: tuple[int, int] | None = None
        for frame in container.decode(stream):
            if stop is not None and stop.is_set():
                return
            if frame.pts is None or frame.time_base is None:
                continue
            pts = float(frame.pts * frame.time_base)
            if first_pts is None:
                first_pts = pts
            t = pts - first_pts
            if next_t is not None and t + 1e-6 < next_t:
                continue
            next_t = (next_t if next_t is not None else t) + interval
            if next_t <= t:  # the stream jumped ahead: realign
                next_t = t + interval
            if out_size is None:
                out_size = size(frame.width, frame.height)
            small = frame.reformat(width=out_size[0], height=out_size[1], format="gray")
            gray: Gray = np.asarray(small.to_ndarray(), dtype=np.uint8)
            yield Frame(
                t=t,
                gray=gray,
                source_width=codec.width or frame.width,
                source_height=codec.height or frame.height,
            )
    finally:
        container.close()


def prefetch(frames: Iterator[Frame], depth: int = 8) -> Iterator[Frame]:
    """Decode ahead in a thread while the caller analyses the previous frames.

    For a file read as fast as possible (the replay tool): FFmpeg decodes without holding
    the GIL, so decoding and analysis overlap on two cores. An error in the decoder is
    raised to the caller; leaving the loop early stops the decoder.
    """
    queue: Queue[Frame | BaseException | None] = Queue(depth)
    stop = threading.Event()

    def _decode() -> None:
        try:
            for frame in frames:
                while not stop.is_set():
                    try:
                        queue.put(frame, timeout=0.1)
                        break
                    except Full:
                        continue
                if stop.is_set():
                    return
            queue.put(None)
        except BaseException as err:
            queue.put(err)

    worker = threading.Thread(target=_decode, name="prefetch", daemon=True)
    worker.start()
    try:
        while (item := queue.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        worker.join(timeout=5)


def gray_from_jpeg(data: bytes, size: SizeFunction) -> Gray:
    """Decode a JPEG snapshot to a grey frame at the analysis size (for polled sources)."""
    with Image.open(io.BytesIO(data)) as image:
        width, height = size(image.width, image.height)
        small = image.convert("L").resize((width, height), Image.Resampling.BILINEAR)
        return np.asarray(small, dtype=np.uint8)


class FrameSource:
    """Keeps one stream open in a thread and hands on its analysed frames."""

    def __init__(
        self,
        url: str,
        *,
        fps: float,
        size: SizeFunction,
        on_frame: FrameCallback,
        on_state: StateCallback,
        name: str = "camera",
        loop_file: bool = True,
        timeout: float = 10.0,
    ) -> None:
        """Prepare; `start` opens the stream."""
        self.url = url
        self.fps = fps
        self.size = size
        self.on_frame = on_frame
        self.on_state = on_state
        self.name = name
        self.loop_file = loop_file
        self.timeout = timeout
        self.health = SourceHealth()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the decoding thread."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=f"frames {self.name}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float | None = None) -> None:
        """Stop and wait for the thread (at most `timeout` seconds, default open timeout + 2)."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(self.timeout + 2 if timeout is None else timeout)

    @property
    def running(self) -> bool:
        """True while the thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        file = is_file(self.url)
        offset = 0.0
        while not self._stop.is_set():
            started = time.monotonic()
            last_t = 0.0
            try:
                for frame in iter_frames(
                    self.url, fps=self.fps, size=self.size, timeout=self.timeout, stop=self._stop
                ):
                    if self.health.up is not True:
                        self.health.success()
                        self.on_state(True, None)
                    if file:  # play files at their own speed, looping on
                        delay = frame.t - (time.monotonic() - started)
                        if delay > 0 and self._stop.wait(delay):
                            return
                    last_t = frame.t
                    self.on_frame(
                        Frame(
                            t=frame.t + offset,
                            gray=frame.gray,
                            source_width=frame.source_width,
                            source_height=frame.source_height,
                        )
                    )
                if file and self.loop_file and last_t > 0:
                    offset += last_t + 1.0 / self.fps
                    continue
                error = "stream ended"
            except (av.error.FFmpegError, OSError, IndexError) as err:
                error = ("authentication failed: " if is_auth_error(err) else "") + str(err)
            if self._stop.is_set():
                return
            self.health.failure(time.monotonic(), error)
            self.on_state(False, error)
            if self._stop.wait(self.health.next_check_in()):
                return
