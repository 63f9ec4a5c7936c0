"""The MQTT contract between Home Assistant and vision workers (pure: stdlib + vision modules).

A vision worker runs the same engine as the integration (frame source, CameraAnalyzer) as a
process of its own and talks to Home Assistant through an MQTT broker. Every topic lives under

    quephong/<site>/vision

where `<site>` is the office's unit code (digits only). Camera, zone and worker ids are topic
segments: not empty, without `/`, `+`, `#` or NUL; the camera id `worker` is reserved. Every
JSON payload is UTF-8 and carries `"v": 1`; a payload with another version is refused.

| topic (after the prefix)        | retained | by     | payload                              |
|---------------------------------|----------|--------|--------------------------------------|
| `<camera>/config`               | yes      | HA     | the job, JSON; empty = withdrawn     |
| `<camera>/state`                | yes      | worker | the analysis, JSON                   |
| `<camera>/zone/<zone>/presence` | yes      | worker | `ON` / `OFF`, only on change         |
| `<camera>/zone/<zone>/people`   | yes      | worker | the count as text, only on change    |
| `<camera>/health`               | yes      | worker | stream health, JSON                  |
| `<camera>/snapshot`             | yes      | worker | JPEG bytes of the latest frame       |
| `<camera>/calibrate`            | no       | HA     | any: learn the next frame as empty   |
| `worker/<worker>/availability`  | yes      | worker | `online` / `offline` (its Last Will) |

config (`encode_job` / `decode_job`):

    {"v": 1, "camera": "<id>", "name": "Quầy 1", "url": "rtsp://…", "still_url": null,
     "layout": <ZoneLayout.to_dict()>, "settings": {"fps": 2.0, "analysis_width": 320}}

state (`encode_state` / `decode_state`), published on every change of any zone's
occupied/count/motion and at least every HEARTBEAT (10 s), so a silent worker shows as stale:

    {"v": 1, "t": <unix time of the frame>, "motion": false,
     "zones": {"<zone>": {"occupied": true, "count": 1, "motion": false, "foreground": 0.31}},
     "fps": 2.0, "worker": "<worker id>"}

A worker with a person detector adds `"detector_count": <int>` to the zones it checked.

health (`encode_health` / `decode_health`): `{"v": 1, "up": true, "error": null, "t": <unix
time>, "worker": "<worker id>"}`; `up` false with the error while the stream is down.

snapshot: JPEG of the latest analysed frame, at most every SNAPSHOT_INTERVAL (10 s) and right
after an occupancy change.

When a camera is withdrawn, the worker that ran it clears (empty retained payload) its state,
health, snapshot and zone topics. Several workers of one site share the cameras: each camera
goes to one of the workers that are online (rendezvous hashing over the availability topics),
and a worker that goes offline has its cameras taken over by the others.

Subscribers using wildcards (`quephong/<site>/vision/#`) sort messages with `parse_topic`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple, cast

from custom_components.quephong_office.core.errors import CodedError

from .analyzer import AnalysisResult, ZoneReading
from .zones import ZoneError, ZoneLayout, layout_from_dict

VERSION = 1
ROOT = "quephong"
#: The reserved camera id under which workers announce themselves.
WORKER_SEGMENT = "worker"
#: A worker publishes the state at least this often (seconds), changed or not.
HEARTBEAT = 10.0
#: A snapshot at most this often (seconds), besides the one right after an occupancy change.
SNAPSHOT_INTERVAL = 10.0
ONLINE = "online"
OFFLINE = "offline"
PRESENCE_ON = "ON"
PRESENCE_OFF = "OFF"

KIND_CONFIG = "config"
KIND_STATE = "state"
KIND_HEALTH = "health"
KIND_SNAPSHOT = "snapshot"
KIND_CALIBRATE = "calibrate"
KIND_AVAILABILITY = "availability"
#: Zone topics: `zone/<zone>/presence` and `zone/<zone>/people`.
ZONE_TOPICS = ("presence", "people")
CAMERA_KINDS = (KIND_CONFIG, KIND_STATE, KIND_HEALTH, KIND_SNAPSHOT, KIND_CALIBRATE)

#: Bounds of a job's analysis settings.
MAX_FPS = 30.0
MIN_WIDTH = 32
MAX_WIDTH = 3840

_SITE = re.compile(r"^[0-9]+$")
_FORBIDDEN = re.compile(r"[/+#\x00]")


#: What a payload may arrive as (paho gives bytes, Home Assistant's MQTT also str or bytearray).
Payload = bytes | bytearray | str


class WireError(CodedError):
    """A payload or topic that breaks the contract; `code` says how, `field` where."""


class Topic(NamedTuple):
    """A parsed topic: the site, the camera (the worker for `availability`) and the kind.

    `kind` is the rest of the topic after the camera: `config`, `state`, `health`, `snapshot`,
    `calibrate`, `zone/<zone>/presence`, `zone/<zone>/people`; or `availability` (then
    `camera` is the worker id).
    """

    site: str
    camera: str
    kind: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CameraJob:
    """What Home Assistant asks a worker to analyse: one camera with its zones."""

    camera: str
    name: str
    url: str
    still_url: str | None
    layout: ZoneLayout
    fps: float = 2.0
    analysis_width: int = 320


@dataclass(frozen=True, slots=True, kw_only=True)
class Health:
    """A camera's stream health as a worker sees it."""

    up: bool
    error: str | None
    t: float
    worker: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StateMessage:
    """A decoded state message, detector counts included (zones a detector checked)."""

    result: AnalysisResult
    fps: float | None
    worker: str
    detector_counts: dict[str, int]


# --- topics ------------------------------------------------------------------------------------


def check_site(site: str) -> str:
    """The site (unit code) if it is digits only; WireError otherwise."""
    if not _SITE.match(site):
        raise WireError("invalid_site", site)
    return site


def check_segment(value: str, what: str = "id") -> str:
    """An id usable as one topic segment; WireError (code `invalid_<what>`) otherwise."""
    if not value or _FORBIDDEN.search(value):
        raise WireError(f"invalid_{what}", value)
    return value


def _camera(camera: str) -> str:
    check_segment(camera, "camera")
    if camera == WORKER_SEGMENT:
        raise WireError("invalid_camera", camera)
    return camera


def prefix(site: str) -> str:
    """`quephong/<site>/vision`."""
    return f"{ROOT}/{check_site(site)}/vision"


def topic_config(site: str, camera: str) -> str:
    """The retained job of a camera, published by Home Assistant."""
    return f"{prefix(site)}/{_camera(camera)}/{KIND_CONFIG}"


def topic_state(site: str, camera: str) -> str:
    """The retained analysis state of a camera."""
    return f"{prefix(site)}/{_camera(camera)}/{KIND_STATE}"


def topic_health(site: str, camera: str) -> str:
    """The retained stream health of a camera."""
    return f"{prefix(site)}/{_camera(camera)}/{KIND_HEALTH}"


def topic_snapshot(site: str, camera: str) -> str:
    """The retained latest JPEG of a camera."""
    return f"{prefix(site)}/{_camera(camera)}/{KIND_SNAPSHOT}"


def topic_calibrate(site: str, camera: str) -> str:
    """Not retained, from Home Assistant: take the camera's next frame as every zone's empty one."""
    return f"{prefix(site)}/{_camera(camera)}/{KIND_CALIBRATE}"


def topic_zone(site: str, camera: str, zone: str, what: str) -> str:
    """A zone's retained `presence` (ON/OFF) or `people` (count) topic."""
    if what not in ZONE_TOPICS:
        raise WireError("invalid_zone_topic", what)
    return f"{prefix(site)}/{_camera(camera)}/zone/{check_segment(zone, 'zone')}/{what}"


def topic_availability(site: str, worker: str) -> str:
    """A worker's retained availability (`online`/`offline`, its Last Will); `+`: every worker."""
    if worker == "+":
        return subscription_availability(site)
    return f"{prefix(site)}/{WORKER_SEGMENT}/{check_segment(worker, 'worker')}/{KIND_AVAILABILITY}"


def subscription_configs(site: str) -> str:
    """The wildcard a worker subscribes to for the jobs of a site."""
    return f"{prefix(site)}/+/{KIND_CONFIG}"


def subscription_calibrate(site: str) -> str:
    """The wildcard a worker subscribes to for calibration requests."""
    return f"{prefix(site)}/+/{KIND_CALIBRATE}"


def subscription_availability(site: str) -> str:
    """The wildcard for every worker's availability."""
    return f"{prefix(site)}/{WORKER_SEGMENT}/+/{KIND_AVAILABILITY}"


def subscription_all(site: str) -> str:
    """The wildcard for everything of a site (what Home Assistant subscribes to)."""
    return f"{prefix(site)}/#"


def parse_topic(topic: str) -> Topic | None:
    """Sort a topic of the contract into (site, camera, kind); None for any other topic."""
    parts = topic.split("/")
    if len(parts) < 5 or parts[0] != ROOT or parts[2] != "vision" or not _SITE.match(parts[1]):
        return None
    site, camera, rest = parts[1], parts[3], parts[4:]
    if not camera:
        return None
    if camera == WORKER_SEGMENT:
        if len(rest) == 2 and rest[0] and rest[1] == KIND_AVAILABILITY:
            return Topic(site, rest[0], KIND_AVAILABILITY)
        return None
    if len(rest) == 1 and rest[0] in CAMERA_KINDS:
        return Topic(site, camera, rest[0])
    if len(rest) == 3 and rest[0] == "zone" and rest[1] and rest[2] in ZONE_TOPICS:
        return Topic(site, camera, "/".join(rest))
    return None


def zone_of(kind: str) -> tuple[str, str] | None:
    """(zone, `presence`|`people`) of a zone topic's kind; None for the other kinds."""
    parts = kind.split("/")
    if len(parts) == 3 and parts[0] == "zone":
        return parts[1], parts[2]
    return None


# --- payloads ----------------------------------------------------------------------------------


def _dump(data: Mapping[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


def _load(payload: Payload) -> dict[str, Any]:
    """The JSON object of a payload of the current version."""
    try:
        data = json.loads(payload)
    except (ValueError, UnicodeDecodeError) as err:
        raise WireError("invalid_json") from err
    if not isinstance(data, dict):
        raise WireError("invalid_json")
    if "v" not in data:
        raise WireError("missing_field", "v")
    if data["v"] != VERSION or isinstance(data["v"], bool):
        raise WireError("unsupported_version", str(data["v"]))
    return data


def _field[T](data: Mapping[str, Any], key: str, kind: type[T] | tuple[type, ...]) -> T:
    if key not in data:
        raise WireError("missing_field", key)
    value = data[key]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise WireError("invalid_field", key)
    return cast("T", value)


def _number(data: Mapping[str, Any], key: str) -> float:
    value = float(_field(data, key, (int, float)))
    if not math.isfinite(value):
        raise WireError("invalid_field", key)
    return value


def _optional_str(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise WireError("invalid_field", key)
    return value


def encode_job(job: CameraJob) -> bytes:
    """The retained config payload of a job."""
    _check_job(job)
    return _dump(
        {
            "v": VERSION,
            "camera": job.camera,
            "name": job.name,
            "url": job.url,
            "still_url": job.still_url,
            "layout": job.layout.to_dict(),
            "settings": {"fps": job.fps, "analysis_width": job.analysis_width},
        }
    )


def decode_job(payload: Payload) -> CameraJob | None:
    """The job of a config payload; None for an empty payload (the camera is withdrawn)."""
    if not payload:
        return None
    data = _load(payload)
    settings = _field(data, "settings", dict)
    try:
        layout = layout_from_dict(_field(data, "layout", dict))
    except (ZoneError, AttributeError, TypeError) as err:
        code = err.code if isinstance(err, ZoneError) else "invalid_layout"
        raise WireError("invalid_layout", code) from err
    job = CameraJob(
        camera=_field(data, "camera", str),
        name=_field(data, "name", str),
        url=_field(data, "url", str),
        still_url=_optional_str(data, "still_url"),
        layout=layout,
        fps=_number(settings, "fps"),
        analysis_width=_field(settings, "analysis_width", int),
    )
    _check_job(job)
    return job


def _check_job(job: CameraJob) -> None:
    _camera(job.camera)
    if not job.url:
        raise WireError("invalid_field", "url")
    if not 0 < job.fps <= MAX_FPS:
        raise WireError("invalid_field", "fps")
    if not MIN_WIDTH <= job.analysis_width <= MAX_WIDTH:
        raise WireError("invalid_field", "analysis_width")
    for zone in job.layout.zones:
        check_segment(zone.id, "zone")


def encode_state(
    result: AnalysisResult,
    *,
    fps: float | None,
    worker: str,
    detector_counts: Mapping[str, int] | None = None,
) -> bytes:
    """The state payload of an analysis result; `result.t` must be the frame's unix time."""
    zones: dict[str, dict[str, Any]] = {}
    for zone_id, reading in result.zones.items():
        zone: dict[str, Any] = {
            "occupied": reading.occupied,
            "count": reading.count,
            "motion": reading.motion,
            "foreground": round(reading.foreground, 4),
        }
        if detector_counts is not None and zone_id in detector_counts:
            zone["detector_count"] = int(detector_counts[zone_id])
        zones[zone_id] = zone
    return _dump(
        {
            "v": VERSION,
            "t": round(result.t, 3),
            "motion": result.motion,
            "zones": zones,
            "fps": None if fps is None else round(fps, 2),
            "worker": worker,
        }
    )


def decode_state_message(payload: Payload) -> StateMessage:
    """Everything a state payload says (unknown keys are ignored)."""
    data = _load(payload)
    zones: dict[str, ZoneReading] = {}
    counts: dict[str, int] = {}
    for zone_id, raw in _field(data, "zones", dict).items():
        if not isinstance(raw, dict):
            raise WireError("invalid_field", f"zones.{zone_id}")
        zones[zone_id] = ZoneReading(
            occupied=_field(raw, "occupied", bool),
            count=_field(raw, "count", int),
            motion=_field(raw, "motion", bool),
            foreground=_number(raw, "foreground"),
        )
        if "detector_count" in raw:
            counts[zone_id] = _field(raw, "detector_count", int)
    fps = data.get("fps")
    return StateMessage(
        result=AnalysisResult(
            t=_number(data, "t"), motion=_field(data, "motion", bool), zones=zones
        ),
        fps=None if fps is None else _number(data, "fps"),
        worker=_field(data, "worker", str),
        detector_counts=counts,
    )


def decode_state(payload: Payload) -> tuple[AnalysisResult, float | None, str]:
    """(result with `t` the frame's unix time, analysed frames/s, worker id) of a state."""
    message = decode_state_message(payload)
    return message.result, message.fps, message.worker


def encode_health(up: bool, error: str | None, t: float, worker: str) -> bytes:
    """The health payload."""
    return _dump({"v": VERSION, "up": up, "error": error, "t": round(t, 3), "worker": worker})


def decode_health(payload: Payload) -> Health:
    """The health of a health payload."""
    data = _load(payload)
    return Health(
        up=_field(data, "up", bool),
        error=_optional_str(data, "error"),
        t=_number(data, "t"),
        worker=_field(data, "worker", str),
    )


def encode_presence(occupied: bool) -> bytes:
    """A zone's presence payload: `ON` or `OFF`."""
    return (PRESENCE_ON if occupied else PRESENCE_OFF).encode()


def decode_presence(payload: Payload) -> bool:
    """True for `ON`, False for `OFF`; WireError otherwise."""
    text = payload if isinstance(payload, str) else bytes(payload).decode(errors="replace")
    if text not in (PRESENCE_ON, PRESENCE_OFF):
        raise WireError("invalid_presence", text)
    return text == PRESENCE_ON


def encode_people(count: int) -> bytes:
    """A zone's people payload: the count as text."""
    return str(int(count)).encode()


def decode_people(payload: Payload) -> int:
    """The count of a people payload; WireError if it is not a whole number ≥ 0."""
    text = payload if isinstance(payload, str) else bytes(payload).decode(errors="replace")
    if not text.isascii() or not text.isdigit():
        raise WireError("invalid_people", text)
    return int(text)
