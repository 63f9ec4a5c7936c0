"""Readiness of a meeting room: its problems, how they read, how they travel over MQTT.

A room is ready when it has no problems. A commune publishes its rooms' readiness to
`<prefix>/<site>/meeting/<room>/readiness`; its parent unit subscribes to every site and shows
"12/14 xã sẵn sàng". Sentences are Vietnamese first, English for any other language.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from .devices import DeviceTarget, shortfall
from .endpoints import EndpointResult
from .errors import MeetingError
from .text import slug

#: Version of the MQTT payload; a reader accepts its own version and ignores unknown keys.
PAYLOAD_VERSION = 1
DEFAULT_PREFIX = "quephong"
#: A payload keeps at most this many problems, and strings of at most this many characters.
MAX_PROBLEMS = 100
MAX_TEXT = 200


class ProblemKind(StrEnum):
    """What a problem is about; payloads may carry kinds a reader does not know yet."""

    DEVICE_MISSING = "device_missing"
    DEVICE_NOT_READY = "device_not_ready"
    WRONG_SOURCE = "wrong_source"
    WRONG_TEMPERATURE = "wrong_temperature"
    ENDPOINT_DOWN = "endpoint_down"
    COMMUNE_DOWN = "commune_down"
    COMMUNE_NOT_READY = "commune_not_ready"
    COMMUNE_SILENT = "commune_silent"
    NO_LINK = "no_link"


@dataclass(frozen=True, slots=True, kw_only=True)
class Problem:
    """One thing that is not right: its kind, what it is about, the detail and what was wanted.

    `detail` is a machine word where one exists ("off", "timeout", "http 503", "stale"):
    `describe` turns it into words.
    """

    kind: str
    subject: str
    detail: str = ""
    expected: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Readiness:
    """The problems of a room (of a site, the unit's name) as checked at `checked_at`."""

    room: str
    checked_at: datetime
    problems: tuple[Problem, ...] = ()
    site: str = ""

    @property
    def ready(self) -> bool:
        """Ready when nothing is wrong."""
        return not self.problems


def device_problem(
    name: str, target: DeviceTarget, state: str | None, attributes: Mapping[str, Any]
) -> Problem | None:
    """The problem of a device called `name`; `state` None means the entity does not exist."""
    if state is None:
        return Problem(kind=ProblemKind.DEVICE_MISSING, subject=name)
    gap = shortfall(target, state, attributes)
    if gap is None:
        return None
    kind = {
        "state": ProblemKind.DEVICE_NOT_READY,
        "source": ProblemKind.WRONG_SOURCE,
        "temperature": ProblemKind.WRONG_TEMPERATURE,
    }[gap.aspect]
    return Problem(kind=kind, subject=name, detail=gap.actual, expected=gap.expected)


def endpoint_problem(name: str, result: EndpointResult, *, commune: bool = True) -> Problem | None:
    """The problem of an endpoint that did not answer: a commune's, or another (`commune=False`)."""
    if result.ok:
        return None
    kind = ProblemKind.COMMUNE_DOWN if commune else ProblemKind.ENDPOINT_DOWN
    return Problem(kind=kind, subject=name, detail=result.detail)


def link_problem(title: str, link: str | None) -> Problem | None:
    """The problem of a meeting called `title` that has no conference link."""
    return None if link else Problem(kind=ProblemKind.NO_LINK, subject=title)


# --- Sentences ------------------------------------------------------------------------------

_STATE = {
    "on": ("đang bật", "on"),
    "off": ("đang tắt", "off"),
    "standby": ("đang ở chế độ chờ", "standby"),
    "unavailable": ("mất kết nối", "unavailable"),
    "unknown": ("không rõ trạng thái", "state unknown"),
    "": ("không rõ trạng thái", "state unknown"),
    "playing": ("đang phát", "playing"),
    "idle": ("đang bật", "idle"),
    "paused": ("đang tạm dừng", "paused"),
    "buffering": ("đang tải", "buffering"),
    "heat": ("đang sưởi", "heating"),
    "cool": ("đang làm mát", "cooling"),
    "heat_cool": ("đang sưởi/làm mát", "heat/cool"),
    "auto": ("đang tự động", "auto"),
    "dry": ("đang hút ẩm", "drying"),
    "fan_only": ("đang chạy quạt", "fan only"),
}
_MODE = {
    "heat": ("sưởi", "heat"),
    "cool": ("làm mát", "cool"),
    "heat_cool": ("sưởi/làm mát", "heat/cool"),
    "auto": ("tự động", "auto"),
    "dry": ("hút ẩm", "dry"),
    "fan_only": ("chỉ quạt", "fan only"),
}
_DETAIL = {
    "timeout": ("hết thời gian chờ", "timeout"),
    "refused": ("bị từ chối kết nối", "connection refused"),
    "unresolved": ("không tìm thấy tên miền", "name not resolved"),
    "ssl": ("lỗi chứng chỉ SSL", "SSL certificate error"),
    "disconnected": ("bị ngắt kết nối", "disconnected"),
    "unreachable": ("không kết nối được", "unreachable"),
    "error": ("lỗi không xác định", "unknown error"),
}
#: Unit words a commune's or ward's name may already start with.
_UNIT_WORDS = ("xã ", "phường ", "đặc khu ", "thị trấn ")


def _vi(language: str) -> bool:
    return language.strip().lower().replace("_", "-").split("-")[0] == "vi"


def _pick(table: Mapping[str, tuple[str, str]], key: str, vi: bool) -> str:
    words = table.get(key)
    if words is None:
        return key
    return words[0] if vi else words[1]


def _detail(detail: str, vi: bool) -> str:
    if detail.startswith("http ") and detail[5:].isdigit():
        return f"lỗi máy chủ HTTP {detail[5:]}" if vi else f"server error HTTP {detail[5:]}"
    return _pick(_DETAIL, detail, vi)


def _commune(name: str, vi: bool) -> str:
    if unicodedata.normalize("NFC", name).casefold().startswith(_UNIT_WORDS):
        return name
    return f"Xã {name}" if vi else f"Commune {name}"


def _device_sentence(problem: Problem, vi: bool) -> str:
    name, expected = problem.subject, problem.expected
    state = _pick(_STATE, problem.detail, vi)
    if expected == "on":
        return f"Thiết bị {name} chưa bật ({state})" if vi else f"{name} is not on ({state})"
    if expected == "off":
        return f"Thiết bị {name} chưa tắt ({state})" if vi else f"{name} is not off ({state})"
    mode = _pick(_MODE, expected, vi)
    if vi:
        return f"Thiết bị {name} chưa ở chế độ {mode} ({state})"
    return f"{name} is not in {mode} mode ({state})"


def _sentence(problem: Problem, vi: bool) -> str:
    name, detail, expected = problem.subject, problem.detail, problem.expected
    match problem.kind:
        case ProblemKind.DEVICE_MISSING:
            return f"Không tìm thấy thiết bị {name}" if vi else f"Device {name} not found"
        case ProblemKind.DEVICE_NOT_READY:
            return _device_sentence(problem, vi)
        case ProblemKind.WRONG_SOURCE:
            if vi:
                now = f"đang ở {detail}" if detail else "chưa rõ nguồn"
                return f"Thiết bị {name} chưa chuyển sang nguồn {expected} ({now})"
            now = f"now {detail}" if detail else "source unknown"
            return f"{name} is not on source {expected} ({now})"
        case ProblemKind.WRONG_TEMPERATURE:
            if vi:
                now = f"đang {detail} °C" if detail else "chưa rõ nhiệt độ"
                return f"Thiết bị {name} chưa đặt {expected} °C ({now})"
            now = f"now {detail} °C" if detail else "set point unknown"
            return f"{name} is not set to {expected} °C ({now})"
        case ProblemKind.ENDPOINT_DOWN:
            why = _detail(detail, vi)
            if vi:
                return f"Điểm cầu {name} không phản hồi ({why})"
            return f"Endpoint {name} is not answering ({why})"
        case ProblemKind.COMMUNE_DOWN:
            why = _detail(detail, vi)
            if vi:
                return f"{_commune(name, vi)} không phản hồi ({why})"
            return f"{_commune(name, vi)} is not answering ({why})"
        case ProblemKind.COMMUNE_NOT_READY:
            count = f" ({detail} vấn đề)" if vi else f" ({detail} problems)"
            text = (
                f"{_commune(name, vi)} chưa sẵn sàng"
                if vi
                else f"{_commune(name, vi)} is not ready"
            )
            return text + (count if detail else "")
        case ProblemKind.COMMUNE_SILENT:
            if detail == "stale":
                if vi:
                    return f"{_commune(name, vi)} không báo cáo lại (báo cáo cuối đã cũ)"
                return f"{_commune(name, vi)} has not reported lately"
            if vi:
                return f"{_commune(name, vi)} chưa báo cáo tình trạng sẵn sàng"
            return f"{_commune(name, vi)} has not reported"
        case ProblemKind.NO_LINK:
            title = f" “{name}”" if name else ""
            if vi:
                return f"Cuộc họp{title} chưa có đường dẫn họp trực tuyến"
            return f"Meeting{title} has no conference link"
    parts = [part for part in (name, detail) if part]
    return f"{problem.kind}: {' – '.join(parts)}" if parts else problem.kind


def describe(problems: Iterable[Problem], language: str = "vi") -> list[str]:
    """One sentence per problem, Vietnamese for "vi", English for any other language."""
    vi = _vi(language)
    return [_sentence(problem, vi) for problem in problems]


# --- MQTT -----------------------------------------------------------------------------------


def to_payload(readiness: Readiness) -> dict[str, Any]:
    """The MQTT payload of a readiness (a JSON object; `ready` is for readers that want a flag)."""
    payload: dict[str, Any] = {
        "v": PAYLOAD_VERSION,
        "room": readiness.room,
        "checked_at": readiness.checked_at.isoformat(),
        "ready": readiness.ready,
        "problems": [
            {
                "kind": problem.kind,
                "subject": problem.subject,
                "detail": problem.detail,
                "expected": problem.expected,
            }
            for problem in readiness.problems[:MAX_PROBLEMS]
        ],
    }
    if readiness.site:
        payload["site"] = readiness.site
    return payload


def _string(data: Mapping[str, Any], key: str, field_name: str, *, required: bool) -> str:
    value = data.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise MeetingError("invalid_payload", field_name)
    return value[:MAX_TEXT]


def _problem(data: Any, index: int) -> Problem:
    field_name = f"problems.{index}"
    if not isinstance(data, Mapping):
        raise MeetingError("invalid_payload", field_name)
    return Problem(
        kind=_string(data, "kind", field_name, required=True),
        subject=_string(data, "subject", field_name, required=False),
        detail=_string(data, "detail", field_name, required=False),
        expected=_string(data, "expected", field_name, required=False),
    )


def from_payload(data: Any) -> Readiness:
    """A readiness from an MQTT payload; unknown keys are ignored, `ready` is recomputed.

    Raise MeetingError("invalid_payload", field) when malformed and
    MeetingError("unsupported_version", "v") for another payload version.
    """
    if not isinstance(data, Mapping):
        raise MeetingError("invalid_payload", "payload")
    version = data.get("v")
    if isinstance(version, bool) or not isinstance(version, int):
        raise MeetingError("invalid_payload", "v")
    if version != PAYLOAD_VERSION:
        raise MeetingError("unsupported_version", "v")
    room = _string(data, "room", "room", required=True)
    site = _string(data, "site", "site", required=False)
    stamp = data.get("checked_at")
    try:
        checked_at = datetime.fromisoformat(stamp) if isinstance(stamp, str) else None
    except ValueError:
        checked_at = None
    if checked_at is None or checked_at.utcoffset() is None:
        raise MeetingError("invalid_payload", "checked_at")
    problems = data.get("problems")
    if not isinstance(problems, list):
        raise MeetingError("invalid_payload", "problems")
    return Readiness(
        room=room,
        site=site,
        checked_at=checked_at,
        problems=tuple(_problem(item, i) for i, item in enumerate(problems[:MAX_PROBLEMS])),
    )


def encode(readiness: Readiness) -> str:
    """The payload as JSON text (UTF-8 Vietnamese kept as is)."""
    return json.dumps(to_payload(readiness), ensure_ascii=False, separators=(",", ":"))


def decode(text: str | bytes) -> Readiness:
    """A readiness from JSON text; raise MeetingError("invalid_payload", …) when malformed."""
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as err:
        raise MeetingError("invalid_payload", "json") from err
    return from_payload(data)


def _prefix(prefix: str | None) -> str:
    text = (prefix or "").strip().strip("/") or DEFAULT_PREFIX
    levels = text.split("/")
    if any(not level or any(ch in level for ch in "+#\0") for level in levels):
        raise MeetingError("invalid_prefix", "prefix")
    return text


def _level(name: str, field_name: str) -> str:
    level = slug(name)
    if not level:
        raise MeetingError("invalid_name", field_name)
    return level


def readiness_topic(prefix: str | None, site: str, room: str) -> str:
    """`<prefix>/<site>/meeting/<room>/readiness` with slugs: "quephong/xa_chau_kim/meeting/…".

    A blank prefix is DEFAULT_PREFIX. Raise MeetingError for a prefix with wildcards or empty
    levels ("invalid_prefix") and for a site or room with nothing to slug ("invalid_name").
    """
    return f"{_prefix(prefix)}/{_level(site, 'site')}/meeting/{_level(room, 'room')}/readiness"


def readiness_filter(prefix: str | None) -> str:
    """The subscription that receives every site's and room's readiness."""
    return f"{_prefix(prefix)}/+/meeting/+/readiness"


def parse_readiness_topic(prefix: str | None, topic: str) -> tuple[str, str] | None:
    """The (site, room) slugs of a readiness topic under `prefix`; None for any other topic."""
    head = f"{_prefix(prefix)}/"
    if not topic.startswith(head):
        return None
    levels = topic[len(head) :].split("/")
    if len(levels) != 4 or levels[1] != "meeting" or levels[3] != "readiness":
        return None
    site, room = levels[0], levels[2]
    if not site or not room or slug(site) != site or slug(room) != room:
        return None
    return site, room


# --- The parent unit's view -------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Summary:
    """How many of the expected communes are ready, as a sentence, and which are not."""

    ready_count: int
    total: int
    text: str
    not_ready: tuple[str, ...] = ()


def _fresh(readiness: Readiness, now: datetime | None, max_age: timedelta | None) -> bool:
    return now is None or max_age is None or now - readiness.checked_at <= max_age


def _expected(expected: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(expected))


def commune_problems(
    readinesses: Mapping[str, Readiness | None],
    expected: Sequence[str],
    *,
    now: datetime | None = None,
    max_age: timedelta | None = None,
) -> list[Problem]:
    """The problems of the expected communes: silent (never, or not lately), or not ready."""
    problems: list[Problem] = []
    for name in _expected(expected):
        readiness = readinesses.get(name)
        if readiness is None:
            problems.append(Problem(kind=ProblemKind.COMMUNE_SILENT, subject=name))
        elif not _fresh(readiness, now, max_age):
            problems.append(Problem(kind=ProblemKind.COMMUNE_SILENT, subject=name, detail="stale"))
        elif not readiness.ready:
            problems.append(
                Problem(
                    kind=ProblemKind.COMMUNE_NOT_READY,
                    subject=name,
                    detail=str(len(readiness.problems)),
                )
            )
    return problems


def summary(
    readinesses: Mapping[str, Readiness | None],
    expected: Sequence[str],
    language: str = "vi",
    *,
    now: datetime | None = None,
    max_age: timedelta | None = None,
) -> Summary:
    """The parent unit's count, e.g. "12/14 xã sẵn sàng" ("12/14 communes ready" in English).

    A commune that never reported, or (with `now` and `max_age`) not lately, counts as not
    ready; reports from communes that are not expected are ignored.
    """
    names = _expected(expected)
    not_ready = tuple(
        problem.subject
        for problem in commune_problems(readinesses, names, now=now, max_age=max_age)
    )
    ready_count = len(names) - len(not_ready)
    if _vi(language):
        text = f"{ready_count}/{len(names)} xã sẵn sàng"
    else:
        text = f"{ready_count}/{len(names)} communes ready"
    return Summary(ready_count=ready_count, total=len(names), text=text, not_ready=not_ready)
