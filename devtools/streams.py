"""A local camera simulator for the demo and the tests.

:class:`StreamServer` serves MP4 files as endless MPEG-TS streams over HTTP,
the way a cheap IP camera or an NVR re-streamer would:

* ``GET /<name>.ts``: the file looped forever at its native frame rate, copied
  without re-encoding (``ffmpeg -re -stream_loop -1 -i FILE -c copy -f mpegts``).
* ``GET /<name>.jpg``: a JPEG snapshot: once a stream of the file is playing, the frame the
  first stream shows now (as a live camera's snapshot would); before that, a key frame from
  the middle of the file.
* ``GET /``: a JSON index of the names.

Optional HTTP Basic auth (``401`` with ``WWW-Authenticate: Basic
realm="camera"``), a switch that makes the "camera" drop out (``503`` and open
streams cut) and come back, and ``404`` for unknown names.

CLI::

    python -m devtools.streams --dir DIR --port 8554
"""

from __future__ import annotations

import argparse
import base64
import binascii
import contextlib
import hmac
import io
import json
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any
from urllib.parse import quote, unquote, urlsplit

__all__ = ["StreamServer", "main"]

_CHUNK = 64 * 1024
_JOIN_TIMEOUT = 10.0


class _HTTPServer(ThreadingHTTPServer):
    """ThreadingHTTPServer whose request threads are tracked by the owner."""

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], owner: StreamServer) -> None:
        self.owner = owner
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(
            target=self.process_request_thread,
            args=(request, client_address),
            name=f"StreamServer-request-{client_address[1]}",
            daemon=True,
        )
        self.owner._track(thread, request)
        thread.start()

    def handle_error(self, request: Any, client_address: Any) -> None:
        if self.owner.verbose or not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.owner._untrack(threading.current_thread(), request)


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    protocol_version = "HTTP/1.0"
    server_version = "QuePhongCamSim/1.0"
    timeout = 30.0

    def do_GET(self) -> None:
        self.server.owner._handle(self, head=False)

    def do_HEAD(self) -> None:
        self.server.owner._handle(self, head=True)

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.owner.verbose:
            super().log_message(format, *args)


class StreamServer:
    """Serve MP4 files as looping MPEG-TS camera streams and JPEG snapshots.

    ``files`` maps a camera name to an MP4 file.  The server listens on
    ``host:port`` (``port=0`` picks a free port, see :attr:`port`) once
    :meth:`start` is called, or when used as a context manager.  If
    ``username`` and ``password`` are given every request needs HTTP Basic
    auth.  :meth:`stop` kills every ffmpeg child and joins every thread the
    server started.
    """

    def __init__(
        self,
        files: Mapping[str, Path],
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        username: str | None = None,
        password: str | None = None,
    ) -> None:
        """Prepare the server; nothing listens until :meth:`start`."""
        self._files = {str(name): Path(path) for name, path in files.items()}
        self._host = host
        self._port = port
        self._username = username
        self._password = password
        self.verbose = False
        self._lock = threading.Lock()
        self._available = True
        self._stopping = False
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._threads: set[threading.Thread] = set()
        self._conns: set[socket.socket] = set()
        self._streams: dict[subprocess.Popen[bytes], socket.socket] = {}
        self._snapshots: dict[str, bytes] = {}
        self._snapshot_lock = threading.Lock()
        #: when the first stream of each file started playing (monotonic seconds)
        self._live_since: dict[str, float] = {}
        self._ffmpeg = shutil.which("ffmpeg")

    # ------------------------------------------------------------------
    # Public API
    # ------------------------------------------------------------------

    @property
    def port(self) -> int:
        """The bound TCP port (the requested one before :meth:`start`)."""
        if self._httpd is not None:
            return int(self._httpd.server_address[1])
        return self._port

    @property
    def names(self) -> list[str]:
        """Names of the served cameras."""
        return sorted(self._files)

    @property
    def available(self) -> bool:
        """Whether the simulated camera answers requests."""
        return self._available

    @property
    def active_streams(self) -> int:
        """Number of ``.ts`` connections currently streaming."""
        with self._lock:
            return len(self._streams)

    def start(self) -> None:
        """Bind the socket and start serving in a background thread."""
        if self._ffmpeg is None:
            raise FileNotFoundError("ffmpeg not found on PATH")
        with self._lock:
            if self._httpd is not None or self._stopping:
                raise RuntimeError("StreamServer can only be started once")
            self._httpd = _HTTPServer((self._host, self._port), self)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.2},
            name="StreamServer",
            daemon=False,
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop serving, kill all ffmpeg children, close sockets, join threads."""
        with self._lock:
            if self._stopping:
                return
            self._stopping = True
            httpd = self._httpd
        if httpd is not None:
            httpd.shutdown()
            httpd.server_close()
        if self._thread is not None:
            self._thread.join()
        self._cut_streams()
        with self._lock:
            conns = list(self._conns)
        for conn in conns:
            _shutdown_socket(conn)
        while True:
            with self._lock:
                threads = list(self._threads)
            if not threads:
                break
            for thread in threads:
                thread.join(_JOIN_TIMEOUT)
                if thread.is_alive():
                    raise RuntimeError(f"{thread.name} did not stop")
                with self._lock:
                    self._threads.discard(thread)
        self._cut_streams()

    def set_available(self, available: bool) -> None:
        """Simulate the camera dropping out (``False``) or coming back.

        While unavailable every new request gets ``503`` and open ``.ts``
        connections are cut (their ffmpeg is killed).
        """
        with self._lock:
            self._available = bool(available)
        if not available:
            self._cut_streams()

    def stream_url(self, name: str, *, auth: bool = False) -> str:
        """URL of the MPEG-TS stream of ``name`` (credentials in it if ``auth``)."""
        return f"{self._base_url(auth)}/{quote(name)}.ts"

    def snapshot_url(self, name: str, *, auth: bool = False) -> str:
        """URL of the JPEG snapshot of ``name`` (credentials in it if ``auth``)."""
        return f"{self._base_url(auth)}/{quote(name)}.jpg"

    def __enter__(self) -> StreamServer:
        """Start the server."""
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop the server."""
        self.stop()

    # ------------------------------------------------------------------
    # Internals
    # ------------------------------------------------------------------

    def _base_url(self, auth: bool) -> str:
        host = self._host
        if host in ("", "0.0.0.0", "::"):
            host = "127.0.0.1"
        if ":" in host:
            host = f"[{host}]"
        cred = ""
        if auth and self._username is not None:
            cred = f"{quote(self._username, safe='')}:"
            cred += f"{quote(self._password or '', safe='')}@"
        return f"http://{cred}{host}:{self.port}"

    def _track(self, thread: threading.Thread, conn: socket.socket) -> None:
        with self._lock:
            self._threads.add(thread)
            self._conns.add(conn)

    def _untrack(self, thread: threading.Thread, conn: socket.socket) -> None:
        with self._lock:
            self._threads.discard(thread)
            self._conns.discard(conn)

    def _cut_streams(self) -> None:
        with self._lock:
            streams = list(self._streams.items())
        for proc, conn in streams:
            _kill(proc)
            _shutdown_socket(conn)

    def _authorized(self, handler: _Handler) -> bool:
        if self._username is None and self._password is None:
            return True
        scheme, _, value = handler.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            given = base64.b64decode(value.strip(), validate=True)
        except (binascii.Error, ValueError):
            return False
        expected = f"{self._username or ''}:{self._password or ''}"
        # Clients encode non-ASCII credentials as UTF-8 (ffmpeg, httpx) or Latin-1.
        candidates = [expected.encode("utf-8")]
        with contextlib.suppress(UnicodeEncodeError):
            candidates.append(expected.encode("latin-1"))
        return any(hmac.compare_digest(given, c) for c in candidates)

    def _handle(self, handler: _Handler, *, head: bool) -> None:
        if not self._available or self._stopping:
            _reply(handler, 503, b"camera unavailable\n", head=head)
            return
        if not self._authorized(handler):
            _reply(
                handler,
                401,
                b"authentication required\n",
                head=head,
                headers={"WWW-Authenticate": 'Basic realm="camera"'},
            )
            return
        path = unquote(urlsplit(handler.path).path)
        if path in ("", "/"):
            index = {
                name: {
                    "stream": self.stream_url(name),
                    "snapshot": self.snapshot_url(name),
                }
                for name in self.names
            }
            body = json.dumps(index, indent=2).encode() + b"\n"
            _reply(handler, 200, body, head=head, content_type="application/json")
            return
        stem, _, ext = path.lstrip("/").rpartition(".")
        file = self._files.get(stem)
        if file is None or ext not in ("ts", "jpg", "jpeg"):
            _reply(handler, 404, b"not found\n", head=head)
            return
        if ext == "ts":
            if not head:
                with self._snapshot_lock:
                    self._live_since.setdefault(stem, time.monotonic())
            self._stream(handler, file, head=head)
            return
        try:
            data = self._snapshot(stem, file)
        except Exception as err:
            _reply(handler, 500, f"snapshot failed: {err}\n".encode(), head=head)
            return
        _reply(handler, 200, data, head=head, content_type="image/jpeg")

    def _snapshot(self, name: str, file: Path) -> bytes:
        with self._snapshot_lock:
            since = self._live_since.get(name)
            if since is not None:
                return _frame_jpeg(file, time.monotonic() - since)
            cached = self._snapshots.get(name)
            if cached is None:
                cached = _key_frame_jpeg(file)
                self._snapshots[name] = cached
            return cached

    def _stream(self, handler: _Handler, file: Path, *, head: bool) -> None:
        if head:
            _send_stream_headers(handler)
            return
        assert self._ffmpeg is not None
        cmd = [
            self._ffmpeg, "-hide_banner", "-loglevel", "error", "-re",
            "-stream_loop", "-1", "-i", str(file), "-c", "copy", "-f", "mpegts",
            "pipe:1",
        ]  # fmt: skip
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=None if self.verbose else subprocess.DEVNULL,
            bufsize=0,
        )
        conn = handler.connection
        with self._lock:
            self._streams[proc] = conn
            abort = self._stopping or not self._available
        try:
            if abort:
                _kill(proc)
                return
            _send_stream_headers(handler)
            stdout = proc.stdout
            assert stdout is not None
            while True:
                chunk = stdout.read(_CHUNK)
                if not chunk:
                    break
                handler.wfile.write(chunk)
        except OSError:
            pass  # client went away, or the stream was cut
        finally:
            with self._lock:
                self._streams.pop(proc, None)
            _kill(proc)
            if proc.stdout is not None:
                proc.stdout.close()
            handler.close_connection = True


def _send_stream_headers(handler: _Handler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "video/mp2t")
    handler.send_header("Cache-Control", "no-cache, no-store")
    handler.send_header("Connection", "close")
    handler.end_headers()


def _reply(
    handler: _Handler,
    code: int,
    body: bytes,
    *,
    head: bool,
    content_type: str = "text/plain; charset=utf-8",
    headers: Mapping[str, str] | None = None,
) -> None:
    try:
        handler.send_response(code)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.send_header("Connection", "close")
        for key, value in (headers or {}).items():
            handler.send_header(key, value)
        handler.end_headers()
        if not head:
            handler.wfile.write(body)
    except OSError:
        pass
    handler.close_connection = True


def _kill(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        with contextlib.suppress(OSError):
            proc.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=_JOIN_TIMEOUT)


def _shutdown_socket(conn: socket.socket) -> None:
    with contextlib.suppress(OSError):
        conn.shutdown(socket.SHUT_RDWR)


def _key_frame_jpeg(file: Path, quality: int = 85) -> bytes:
    """Decode a key frame from the middle of ``file`` and encode it as JPEG."""
    import av  # noqa: PLC0415 - optional heavy dependency, only for snapshots
    from PIL import Image  # noqa: PLC0415

    with av.open(str(file)) as container:
        stream = container.streams.video[0]
        if container.duration and container.duration > 0:
            # Seek (backwards) to the key frame before the middle of the file.
            container.seek(container.duration // 2)
        image = None
        for frame in container.decode(stream):
            image = Image.fromarray(frame.to_ndarray(format="rgb24"))
            break
        if image is None:
            raise ValueError(f"no video frame in {file}")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality)
    return out.getvalue()


def _frame_jpeg(file: Path, played: float, quality: int = 85) -> bytes:
    """The frame shown after ``played`` seconds of looping ``file``, as JPEG."""
    import av  # noqa: PLC0415 - optional heavy dependency, only for snapshots
    from PIL import Image  # noqa: PLC0415

    with av.open(str(file)) as container:
        stream = container.streams.video[0]
        duration = float(container.duration or 0) / 1_000_000
        at = played % duration if duration > 0 else 0.0
        container.seek(int(at * 1_000_000))  # the key frame before it
        image = None
        for frame in container.decode(stream):
            image = frame
            if frame.time is not None and frame.time >= at:
                break
        if image is None:
            raise ValueError(f"no video frame in {file}")
    out = io.BytesIO()
    Image.fromarray(image.to_ndarray(format="rgb24")).save(out, format="JPEG", quality=quality)
    return out.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point: serve every ``*.mp4`` in a folder."""
    parser = argparse.ArgumentParser(
        prog="python -m devtools.streams",
        description="Serve MP4 files as looping MPEG-TS camera streams.",
    )
    parser.add_argument("--dir", type=Path, required=True, help="folder of .mp4")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8554)
    parser.add_argument("--username")
    parser.add_argument("--password")
    parser.add_argument("--verbose", action="store_true", help="log requests")
    args = parser.parse_args(argv)
    files = {path.stem: path for path in sorted(args.dir.glob("*.mp4"))}
    if not files:
        parser.error(f"no .mp4 files in {args.dir}")
    done = threading.Event()

    def _on_signal(signum: int, frame: FrameType | None) -> None:
        done.set()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    server = StreamServer(
        files,
        host=args.host,
        port=args.port,
        username=args.username,
        password=args.password,
    )
    server.verbose = args.verbose
    with server:
        print(f"Serving {len(files)} camera(s) on port {server.port}:", flush=True)
        for name in server.names:
            print(f"  {name}: {server.stream_url(name)}", flush=True)
            print(f"  {' ' * len(name)}  {server.snapshot_url(name)}", flush=True)
        print("Press Ctrl-C to stop.", flush=True)
        while not done.wait(0.5):
            pass
    print("Stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
