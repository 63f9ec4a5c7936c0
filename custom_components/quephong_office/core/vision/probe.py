"""Open a camera stream and take one picture from it, with PyAV (FFmpeg).

Blocking: call it from a worker thread. Used to test a camera before it is saved, to check
that a configured camera is still reachable, and for the camera's still image when it has no
snapshot URL.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from urllib.parse import urlsplit

import av
import av.error

#: Longest edge of a still image taken from a stream.
DEFAULT_MAX_WIDTH = 1280


class ProbeError(Exception):
    """The stream could not give a picture; `code` is the translation key of the reason."""

    code = "cannot_connect"


class SourceUnreachable(ProbeError):
    """Nothing answered, or the answer was not a stream."""

    code = "cannot_connect"


class SourceAuthError(ProbeError):
    """The camera refused the user name or password."""

    code = "invalid_auth"


class SourceNoVideo(ProbeError):
    """The stream opened but holds no decodable video."""

    code = "no_video"


@dataclass(frozen=True, slots=True, kw_only=True)
class Snapshot:
    """One picture from a stream."""

    jpeg: bytes
    width: int
    height: int
    codec: str


def open_options(url: str, timeout: float) -> dict[str, str]:
    """FFmpeg options for opening `url`: RTSP over TCP, and I/O timeouts."""
    scheme = urlsplit(url).scheme.lower()
    micros = str(int(timeout * 1_000_000))
    if scheme in ("rtsp", "rtsps"):
        return {"rtsp_transport": "tcp", "timeout": micros}
    if scheme in ("http", "https"):
        return {"rw_timeout": micros}
    return {}


def is_auth_error(err: Exception) -> bool:
    """True when FFmpeg's error says the camera refused the credentials."""
    if isinstance(err, (av.error.HTTPUnauthorizedError, av.error.HTTPForbiddenError)):
        return True
    if isinstance(err, (av.error.PermissionError,)):
        return True
    return "401" in str(err) or "Unauthorized" in str(err)


def grab_snapshot(
    url: str, *, timeout: float = 10.0, max_width: int = DEFAULT_MAX_WIDTH
) -> Snapshot:
    """Open `url` (credentials already in it), decode one key frame and return it as JPEG."""
    try:
        container = av.open(url, options=open_options(url, timeout), timeout=(timeout, timeout))
    except av.error.FFmpegError as err:
        if is_auth_error(err):
            raise SourceAuthError(str(err)) from err
        raise SourceUnreachable(str(err)) from err
    except OSError as err:  # pragma: no cover - PyAV maps most I/O failures to FFmpegError
        raise SourceUnreachable(str(err)) from err
    try:
        if not container.streams.video:
            raise SourceNoVideo("no video stream")
        stream = container.streams.video[0]
        stream.codec_context.skip_frame = "NONKEY"
        try:
            frame = next(container.decode(stream), None)
        except av.error.FFmpegError as err:
            raise SourceNoVideo(str(err)) from err
        if frame is None:
            raise SourceNoVideo("stream ended before a key frame")
        image = frame.to_image()  # type: ignore[no-untyped-call]
        if image.width > max_width:
            image = image.resize((max_width, round(image.height * max_width / image.width)))
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=80)
        return Snapshot(
            jpeg=buffer.getvalue(),
            width=image.width,
            height=image.height,
            codec=stream.codec_context.name,
        )
    finally:
        container.close()
