"""The worker's configuration file (YAML): read, validate, explain what is wrong.

    broker:
      host: 192.168.1.10        # required
      port: 1883                # 8883 is usual with tls
      username: null
      password: null
      tls: false
      ca_certs: null            # a CA file for tls (default: the system's)
      client_id: null           # default: quephong-vision-<worker_id>
      protocol: 311             # 311 (MQTT 3.1.1) or 5
      keepalive: 15             # seconds; the broker declares the worker gone after 1.5×
    site: "17011"               # the office's unit code (digits)
    worker_id: null             # default: the host name
    max_cameras: 16
    snapshot_interval: 10       # seconds between snapshots (≥ 1)
    accept_assigned: true       # take the cameras Home Assistant publishes
    detector: none              # none or hog (needs OpenCV)
    state_dir: null             # where learned empty pictures are kept across restarts
    log_level: info
    cameras: []                 # static cameras, each in the shape of the config JSON

Every problem is reported with its place in the file, in English and Vietnamese.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from custom_components.quephong_office.core.vision import wire

DETECTORS = ("none", "hog")
PROTOCOLS = (311, 5)
LOG_LEVELS = ("debug", "info", "warning", "error")


class ConfigError(Exception):
    """The configuration cannot be used; `problems` lists every reason."""

    def __init__(self, problems: list[str]) -> None:
        """Keep the problems; the message has one per line."""
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True, kw_only=True)
class BrokerConfig:
    """Where and how to reach the MQTT broker."""

    host: str
    port: int = 1883
    username: str | None = None
    password: str | None = None
    tls: bool = False
    ca_certs: str | None = None
    client_id: str | None = None
    protocol: int = 311
    keepalive: int = 15


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkerConfig:
    """Everything the worker needs."""

    broker: BrokerConfig
    site: str
    worker_id: str
    max_cameras: int = 16
    snapshot_interval: float = wire.SNAPSHOT_INTERVAL
    accept_assigned: bool = True
    detector: str = "none"
    state_dir: Path | None = None
    log_level: str = "info"
    cameras: tuple[wire.CameraJob, ...] = field(default=())

    @property
    def client_id(self) -> str:
        """The MQTT client id."""
        return self.broker.client_id or f"quephong-vision-{self.worker_id}"


class _Reader:
    """Reads fields of a mapping and collects the problems instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, where: str, english: str, vietnamese: str) -> None:
        self.problems.append(f"{where}: {english} / {vietnamese}")

    def text(self, data: Mapping[str, Any], key: str, where: str, *, required: bool = False) -> Any:
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.fail(where, "is required", "bắt buộc phải có")
            return None
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            self.fail(where, "must be text", "phải là chuỗi ký tự")
            return None
        return str(value)

    def integer(
        self, data: Mapping[str, Any], key: str, where: str, default: int, low: int, high: int
    ) -> int:
        value = data.get(key, default)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(
                where,
                f"must be a whole number from {low} to {high}",
                f"phải là số nguyên từ {low} đến {high}",
            )
            return default
        return int(value)

    def number(
        self, data: Mapping[str, Any], key: str, where: str, default: float, low: float
    ) -> float:
        value = data.get(key, default)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < low:
            self.fail(where, f"must be a number ≥ {low:g}", f"phải là số ≥ {low:g}")
            return default
        return float(value)

    def flag(self, data: Mapping[str, Any], key: str, where: str, default: bool) -> bool:
        value = data.get(key, default)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.fail(where, "must be true or false", "phải là true hoặc false")
            return default
        return value

    def choice(
        self, data: Mapping[str, Any], key: str, where: str, default: Any, options: tuple[Any, ...]
    ) -> Any:
        value = data.get(key, default)
        if value is None:
            return default
        if isinstance(value, str):
            value = value.lower()
        if value not in options:
            listed = ", ".join(str(option) for option in options)
            self.fail(where, f"must be one of {listed}", f"phải là một trong {listed}")
            return default
        return value


def load_config(path: Path) -> WorkerConfig:
    """Read and validate the YAML file at `path`; ConfigError lists every problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise ConfigError(
            [f"{path}: cannot be read ({err.strerror}) / không đọc được tệp cấu hình"]
        ) from err
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise ConfigError([f"{path}: not valid YAML / không phải YAML hợp lệ: {err}"]) from err
    return parse_config(data if data is not None else {})


def parse_config(data: Any) -> WorkerConfig:
    """Validate configuration data (the parsed YAML); ConfigError lists every problem."""
    read = _Reader()
    if not isinstance(data, dict):
        read.fail("(top)", "must be a mapping of settings", "phải là danh sách các thiết lập")
        raise ConfigError(read.problems)
    known = {
        "broker", "site", "worker_id", "max_cameras", "snapshot_interval", "accept_assigned",
        "detector", "state_dir", "log_level", "cameras",
    }  # fmt: skip
    for key in sorted(set(data) - known, key=str):
        read.fail(str(key), "unknown setting", "thiết lập không có")
    broker = _broker(read, data.get("broker"))
    site = read.text(data, "site", "site", required=True)
    if site is not None and not site.isdigit():
        read.fail("site", "must be the unit code (digits)", "phải là mã đơn vị (chữ số)")
    worker_id = read.text(data, "worker_id", "worker_id") or socket.gethostname()
    try:
        wire.check_segment(worker_id, "worker")
    except wire.WireError:
        read.fail("worker_id", "must not contain / + #", "không được chứa / + #")
    state_dir = read.text(data, "state_dir", "state_dir")
    config = WorkerConfig(
        broker=broker or BrokerConfig(host=""),
        site=site or "",
        worker_id=worker_id,
        max_cameras=read.integer(data, "max_cameras", "max_cameras", 16, 1, 256),
        snapshot_interval=read.number(
            data, "snapshot_interval", "snapshot_interval", wire.SNAPSHOT_INTERVAL, 1.0
        ),
        accept_assigned=read.flag(data, "accept_assigned", "accept_assigned", True),
        detector=read.choice(data, "detector", "detector", "none", DETECTORS),
        state_dir=Path(state_dir).expanduser() if state_dir else None,
        log_level=read.choice(data, "log_level", "log_level", "info", LOG_LEVELS),
        cameras=_cameras(read, data.get("cameras")),
    )
    if read.problems:
        raise ConfigError(read.problems)
    return config


def _broker(read: _Reader, data: Any) -> BrokerConfig | None:
    if not isinstance(data, dict):
        read.fail("broker", "is required (host, port, …)", "bắt buộc phải có (host, port, …)")
        return None
    known = {
        "host", "port", "username", "password", "tls", "ca_certs", "client_id", "protocol",
        "keepalive",
    }  # fmt: skip
    for key in sorted(set(data) - known, key=str):
        read.fail(f"broker.{key}", "unknown setting", "thiết lập không có")
    tls = read.flag(data, "tls", "broker.tls", False)
    return BrokerConfig(
        host=read.text(data, "host", "broker.host", required=True) or "",
        port=read.integer(data, "port", "broker.port", 8883 if tls else 1883, 1, 65535),
        username=read.text(data, "username", "broker.username"),
        password=read.text(data, "password", "broker.password"),
        tls=tls,
        ca_certs=read.text(data, "ca_certs", "broker.ca_certs"),
        client_id=read.text(data, "client_id", "broker.client_id"),
        protocol=read.choice(data, "protocol", "broker.protocol", 311, PROTOCOLS),
        keepalive=read.integer(data, "keepalive", "broker.keepalive", 15, 5, 600),
    )


def _cameras(read: _Reader, data: Any) -> tuple[wire.CameraJob, ...]:
    if data is None:
        return ()
    if not isinstance(data, list):
        read.fail("cameras", "must be a list", "phải là một danh sách")
        return ()
    jobs: list[wire.CameraJob] = []
    for index, raw in enumerate(data):
        where = f"cameras[{index}]"
        if not isinstance(raw, dict):
            read.fail(where, "must be a mapping", "phải là một bảng thiết lập")
            continue
        entry = {"v": wire.VERSION, "still_url": None, **raw}
        entry.setdefault("name", entry.get("camera"))
        settings = entry.get("settings")
        if settings is None or isinstance(settings, dict):
            entry["settings"] = {"fps": 2.0, "analysis_width": 320, **(settings or {})}
        try:
            job = wire.decode_job(json.dumps(entry, default=str).encode())
        except wire.WireError as err:
            read.fail(
                f"{where}.{err.field or 'camera'}",
                f"refused ({err.code})",
                f"không hợp lệ ({err.code})",
            )
            continue
        assert job is not None
        if any(other.camera == job.camera for other in jobs):
            read.fail(f"{where}.camera", "appears twice", "bị lặp lại")
            continue
        jobs.append(job)
    return tuple(jobs)
