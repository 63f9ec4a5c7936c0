"""The MQTT contract between Home Assistant and vision workers: topics and payloads."""

from __future__ import annotations

import json
from typing import Any

import pytest

from custom_components.quephong_office.core.errors import CodedError
from custom_components.quephong_office.core.vision import wire
from custom_components.quephong_office.core.vision.analyzer import AnalysisResult, ZoneReading
from custom_components.quephong_office.core.vision.zones import ZoneKind, ZoneLayout, rect_zone

LAYOUT = ZoneLayout(
    zones=(
        rect_zone("quay-1", 0.1, 0.2, 0.4, 0.8, name="Quầy 1"),
        rect_zone("sân", 0.5, 0.2, 0.9, 0.8, kind=ZoneKind.HALL),
    ),
    masks=(((0.0, 0.0), (0.1, 0.0), (0.1, 0.1)),),
)
JOB = wire.CameraJob(
    camera="cam01",
    name="Bộ phận một cửa",
    url="rtsp://user:pw@10.0.0.5/sub",
    still_url=None,
    layout=LAYOUT,
    fps=2.0,
    analysis_width=320,
)
RESULT = AnalysisResult(
    t=1_767_225_600.125,
    motion=True,
    zones={
        "quay-1": ZoneReading(occupied=True, count=1, motion=False, foreground=0.312345),
        "sân": ZoneReading(occupied=False, count=0, motion=True, foreground=0.0),
    },
)


def job_dict(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(wire.encode_job(JOB))
    data.update(changes)
    return data


def encode(data: Any) -> bytes:
    return json.dumps(data).encode()


def refused(payload: bytes | str, decode: Any = wire.decode_job) -> wire.WireError:
    with pytest.raises(wire.WireError) as info:
        decode(payload)
    assert isinstance(info.value, CodedError)
    return info.value


# --- topics --------------------------------------------------------------------------------------


def test_topics() -> None:
    assert wire.prefix("17011") == "quephong/17011/vision"
    assert wire.topic_config("17011", "cam01") == "quephong/17011/vision/cam01/config"
    assert wire.topic_state("17011", "cam01") == "quephong/17011/vision/cam01/state"
    assert wire.topic_health("17011", "cam01") == "quephong/17011/vision/cam01/health"
    assert wire.topic_snapshot("17011", "cam01") == "quephong/17011/vision/cam01/snapshot"
    assert (
        wire.topic_zone("17011", "cam01", "quay-1", "presence")
        == "quephong/17011/vision/cam01/zone/quay-1/presence"
    )
    assert (
        wire.topic_zone("17011", "cam01", "sân", "people")
        == "quephong/17011/vision/cam01/zone/sân/people"
    )
    assert (
        wire.topic_availability("17011", "nvr-1")
        == "quephong/17011/vision/worker/nvr-1/availability"
    )
    assert wire.subscription_configs("17011") == "quephong/17011/vision/+/config"
    assert wire.topic_calibrate("17011", "cam01") == "quephong/17011/vision/cam01/calibrate"
    assert wire.subscription_calibrate("17011") == "quephong/17011/vision/+/calibrate"
    assert wire.topic_availability("17011", "+") == wire.subscription_availability("17011")
    assert wire.subscription_availability("17011") == "quephong/17011/vision/worker/+/availability"
    assert wire.subscription_all("17011") == "quephong/17011/vision/#"


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda: wire.prefix("que-phong"), "invalid_site"),
        (lambda: wire.prefix(""), "invalid_site"),
        (lambda: wire.topic_state("17011", "a/b"), "invalid_camera"),
        (lambda: wire.topic_state("17011", "#"), "invalid_camera"),
        (lambda: wire.topic_state("17011", ""), "invalid_camera"),
        (lambda: wire.topic_state("17011", "worker"), "invalid_camera"),
        (lambda: wire.topic_zone("17011", "cam", "a+b", "people"), "invalid_zone"),
        (lambda: wire.topic_zone("17011", "cam", "z", "count"), "invalid_zone_topic"),
        (lambda: wire.topic_availability("17011", "w/1"), "invalid_worker"),
    ],
)
def test_topic_parts_are_checked(call: Any, code: str) -> None:
    with pytest.raises(wire.WireError) as info:
        call()
    assert info.value.code == code


@pytest.mark.parametrize(
    ("topic", "expected"),
    [
        ("quephong/17011/vision/cam01/config", ("17011", "cam01", "config")),
        ("quephong/17011/vision/cam01/state", ("17011", "cam01", "state")),
        ("quephong/17011/vision/cam01/health", ("17011", "cam01", "health")),
        ("quephong/17011/vision/cam01/snapshot", ("17011", "cam01", "snapshot")),
        ("quephong/1/vision/c/calibrate", ("1", "c", "calibrate")),
        ("quephong/1/vision/c/zone/sân/presence", ("1", "c", "zone/sân/presence")),
        ("quephong/1/vision/c/zone/q1/people", ("1", "c", "zone/q1/people")),
        ("quephong/1/vision/worker/nvr-1/availability", ("1", "nvr-1", "availability")),
        ("quephong/1/vision/worker/nvr-1/state", None),
        ("quephong/1/vision/worker//availability", None),
        ("quephong/1/vision/c/zone//people", None),
        ("quephong/1/vision/c/zone/q1/count", None),
        ("quephong/1/vision/c/other", None),
        ("quephong/1/vision//state", None),
        ("quephong/x/vision/c/state", None),
        ("quephong/1/audio/c/state", None),
        ("other/1/vision/c/state", None),
        ("quephong/1/vision/c", None),
    ],
)
def test_parse_topic(topic: str, expected: tuple[str, str, str] | None) -> None:
    assert wire.parse_topic(topic) == expected


def test_parse_topic_round_trips_and_zone_of() -> None:
    parsed = wire.parse_topic(wire.topic_zone("2", "cam", "quay-1", "people"))
    assert parsed is not None
    site, camera, kind = parsed
    assert (site, camera) == ("2", "cam")
    assert wire.zone_of(kind) == ("quay-1", "people")
    assert wire.zone_of("state") is None


# --- jobs ----------------------------------------------------------------------------------------


def test_job_round_trip() -> None:
    payload = wire.encode_job(JOB)
    data = json.loads(payload)
    assert data["v"] == 1
    assert data["settings"] == {"fps": 2.0, "analysis_width": 320}
    assert data["layout"] == LAYOUT.to_dict()
    assert "Bộ phận" in payload.decode()  # UTF-8, not escaped
    assert wire.decode_job(payload) == JOB
    assert wire.decode_job(payload.decode()) == JOB
    assert wire.decode_job(bytearray(payload)) == JOB
    with_still = wire.CameraJob(
        camera="c", name="c", url="http://h/s.ts", still_url="http://h/s.jpg", layout=LAYOUT
    )
    assert wire.decode_job(wire.encode_job(with_still)) == with_still


def test_empty_config_withdraws() -> None:
    assert wire.decode_job(b"") is None
    assert wire.decode_job("") is None


@pytest.mark.parametrize(
    ("payload", "code", "field"),
    [
        (b"{not json", "invalid_json", ""),
        (b"\xff\xfe", "invalid_json", ""),
        (b"[1, 2]", "invalid_json", ""),
        (encode({"camera": "c"}), "missing_field", "v"),
        (encode(job_dict(v=2)), "unsupported_version", "2"),
        (encode(job_dict(v=True)), "unsupported_version", "True"),
        (encode(job_dict(v="1")), "unsupported_version", "1"),
        (encode({k: v for k, v in job_dict().items() if k != "url"}), "missing_field", "url"),
        (encode(job_dict(camera=5)), "invalid_field", "camera"),
        (encode(job_dict(camera="a/b")), "invalid_camera", "a/b"),
        (encode(job_dict(camera="worker")), "invalid_camera", "worker"),
        (encode(job_dict(url="")), "invalid_field", "url"),
        (encode(job_dict(still_url=3)), "invalid_field", "still_url"),
        (encode(job_dict(settings=[])), "invalid_field", "settings"),
        (encode(job_dict(settings={"fps": 0, "analysis_width": 320})), "invalid_field", "fps"),
        (encode(job_dict(settings={"fps": 31, "analysis_width": 320})), "invalid_field", "fps"),
        (encode(job_dict(settings={"fps": True, "analysis_width": 320})), "invalid_field", "fps"),
        (
            encode(job_dict(settings={"fps": 2, "analysis_width": 8})),
            "invalid_field",
            "analysis_width",
        ),
        (
            encode(job_dict(settings={"fps": 2, "analysis_width": 2.5})),
            "invalid_field",
            "analysis_width",
        ),
        (encode(job_dict(settings={"fps": 2})), "missing_field", "analysis_width"),
        (
            encode(job_dict(layout={"zones": [{"id": "z", "polygon": [[0, 0]]}]})),
            "invalid_layout",
            "too_few_points",
        ),
        (encode(job_dict(layout={"zones": [3]})), "invalid_layout", "invalid_layout"),
        (encode(job_dict(layout={"zones": 3})), "invalid_layout", "invalid_layout"),
        (
            encode(
                job_dict(layout={"zones": [{"id": "a/b", "polygon": [[0, 0], [1, 0], [1, 1]]}]})
            ),
            "invalid_zone",
            "a/b",
        ),
    ],
)
def test_bad_jobs_are_refused(payload: bytes, code: str, field: str) -> None:
    error = refused(payload)
    assert (error.code, error.field) == (code, field)


def test_non_finite_fps_is_refused() -> None:
    payload = wire.encode_job(JOB).replace(b'"fps":2.0', b'"fps":Infinity')
    assert refused(payload).code == "invalid_field"


def test_bad_job_cannot_be_encoded() -> None:
    bad = wire.CameraJob(camera="c", name="c", url="u", still_url=None, layout=LAYOUT, fps=-1)
    with pytest.raises(wire.WireError):
        wire.encode_job(bad)


# --- state ---------------------------------------------------------------------------------------


def test_state_round_trip() -> None:
    payload = wire.encode_state(RESULT, fps=1.987, worker="nvr-1")
    data = json.loads(payload)
    assert data["v"] == 1
    assert data["t"] == 1_767_225_600.125
    assert data["fps"] == 1.99
    assert data["zones"]["quay-1"] == {
        "occupied": True,
        "count": 1,
        "motion": False,
        "foreground": 0.3123,
    }
    result, fps, worker = wire.decode_state(payload)
    assert (fps, worker) == (1.99, "nvr-1")
    assert result.t == RESULT.t
    assert result.motion is True
    assert result.zones["sân"] == RESULT.zones["sân"]
    assert result.zones["quay-1"].foreground == 0.3123
    message = wire.decode_state_message(payload)
    assert message.detector_counts == {}


def test_state_without_fps_and_with_detector_counts() -> None:
    payload = wire.encode_state(
        RESULT, fps=None, worker="w", detector_counts={"quay-1": 2, "other": 1}
    )
    data = json.loads(payload)
    assert data["fps"] is None
    assert data["zones"]["quay-1"]["detector_count"] == 2
    assert "detector_count" not in data["zones"]["sân"]
    message = wire.decode_state_message(payload)
    assert message.fps is None
    assert message.detector_counts == {"quay-1": 2}
    assert wire.decode_state(payload)[1] is None


def test_state_ignores_unknown_keys() -> None:
    data = json.loads(wire.encode_state(RESULT, fps=2.0, worker="w"))
    data["extra"] = 1
    data["zones"]["sân"]["extra"] = "x"
    result, _fps, _worker = wire.decode_state(encode(data))
    assert set(result.zones) == {"quay-1", "sân"}


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"v": 0}, "unsupported_version", "0"),
        ({"zones": []}, "invalid_field", "zones"),
        ({"zones": {"z": 1}}, "invalid_field", "zones.z"),
        (
            {"zones": {"z": {"occupied": 1, "count": 0, "motion": False, "foreground": 0}}},
            "invalid_field",
            "occupied",
        ),
        (
            {"zones": {"z": {"occupied": True, "count": True, "motion": False, "foreground": 0}}},
            "invalid_field",
            "count",
        ),
        (
            {"zones": {"z": {"occupied": True, "count": 1, "motion": False}}},
            "missing_field",
            "foreground",
        ),
        (
            {
                "zones": {
                    "z": {
                        "occupied": True,
                        "count": 1,
                        "motion": False,
                        "foreground": 0,
                        "detector_count": "2",
                    }
                }
            },
            "invalid_field",
            "detector_count",
        ),
        ({"t": "now"}, "invalid_field", "t"),
        ({"fps": "fast"}, "invalid_field", "fps"),
        ({"worker": None}, "invalid_field", "worker"),
        ({"motion": None}, "invalid_field", "motion"),
    ],
)
def test_bad_states_are_refused(change: dict[str, Any], code: str, field: str) -> None:
    data = json.loads(wire.encode_state(RESULT, fps=2.0, worker="w"))
    data.update(change)
    error = refused(encode(data), wire.decode_state)
    assert (error.code, error.field) == (code, field)


# --- health, zone topics -------------------------------------------------------------------------


def test_health_round_trip() -> None:
    up = wire.decode_health(wire.encode_health(True, None, 1000.5, "w1"))
    assert up == wire.Health(up=True, error=None, t=1000.5, worker="w1")
    down = wire.decode_health(wire.encode_health(False, "HTTP 503", 1001.0, "w1"))
    assert (down.up, down.error) == (False, "HTTP 503")


@pytest.mark.parametrize(
    "data",
    [
        {"v": 1, "up": "yes", "error": None, "t": 1, "worker": "w"},
        {"v": 1, "up": True, "error": 5, "t": 1, "worker": "w"},
        {"v": 1, "up": True, "error": None, "worker": "w"},
        {"v": 3, "up": True, "error": None, "t": 1, "worker": "w"},
    ],
)
def test_bad_health_is_refused(data: dict[str, Any]) -> None:
    refused(encode(data), wire.decode_health)


def test_presence_and_people() -> None:
    assert wire.encode_presence(True) == b"ON"
    assert wire.encode_presence(False) == b"OFF"
    assert wire.decode_presence(b"ON") is True
    assert wire.decode_presence("OFF") is False
    assert refused(b"on", wire.decode_presence).code == "invalid_presence"
    assert wire.encode_people(3) == b"3"
    assert wire.decode_people(b"12") == 12
    assert wire.decode_people(bytearray(b"7")) == 7
    assert wire.decode_presence(bytearray(b"ON")) is True
    assert wire.decode_people("0") == 0
    for bad in (b"-1", b"1.5", b"", "٣"):
        assert refused(bad, wire.decode_people).code == "invalid_people"


def test_constants() -> None:
    assert (wire.ONLINE, wire.OFFLINE) == ("online", "offline")
    assert wire.HEARTBEAT == 10.0
    assert wire.SNAPSHOT_INTERVAL == 10.0
