"""A local Mosquitto broker for tests and benchmarks (never shipped).

Starts `mosquitto` on a free loopback port with anonymous access and no persistence, and
stops it on exit. Needs the `mosquitto` binary (Debian: `apt-get install mosquitto`).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType


def free_port() -> int:
    """A TCP port on loopback nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class MosquittoBroker:
    """`with MosquittoBroker() as broker:` gives a running broker at broker.host:broker.port."""

    host = "127.0.0.1"

    def __init__(self, port: int | None = None) -> None:
        """Choose a port (a free one by default); `start` runs the broker."""
        self.port = port or free_port()
        self._dir = Path(tempfile.mkdtemp(prefix="mosquitto-"))
        self._process: subprocess.Popen[bytes] | None = None

    @staticmethod
    def available() -> bool:
        """True when the mosquitto binary is installed."""
        return shutil.which("mosquitto") is not None or Path("/usr/sbin/mosquitto").exists()

    def start(self, timeout: float = 10.0) -> None:
        """Start the broker and wait until it accepts connections."""
        binary = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
        self._dir.mkdir(parents=True, exist_ok=True)  # again after a stop (a restart)
        config = self._dir / "mosquitto.conf"
        config.write_text(
            f"listener {self.port} {self.host}\nallow_anonymous true\npersistence false\n",
            encoding="utf-8",
        )
        self._process = subprocess.Popen(
            [binary, "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with socket.create_connection((self.host, self.port), timeout=0.5):
                    return
            except OSError:
                if self._process.poll() is not None:
                    break
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"mosquitto did not start on port {self.port}")

    def stop(self) -> None:
        """Stop the broker."""
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
            self._process = None
        shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self) -> MosquittoBroker:
        """Start on entry."""
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop on exit."""
        self.stop()
