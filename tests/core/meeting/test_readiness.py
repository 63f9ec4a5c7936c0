"""Problems, sentences, MQTT payloads and topics, the parent's summary."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from custom_components.quephong_office.core.meeting.devices import DeviceTarget
from custom_components.quephong_office.core.meeting.endpoints import EndpointResult
from custom_components.quephong_office.core.meeting.errors import MeetingError
from custom_components.quephong_office.core.meeting.readiness import (
    MAX_PROBLEMS,
    MAX_TEXT,
    Problem,
    ProblemKind,
    Readiness,
    Summary,
    commune_problems,
    decode,
    describe,
    device_problem,
    encode,
    endpoint_problem,
    from_payload,
    link_problem,
    parse_readiness_topic,
    readiness_filter,
    readiness_topic,
    summary,
    to_payload,
)
from custom_components.quephong_office.core.meeting.text import slug

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 6, 4, 7, 50, tzinfo=VN)
SCREEN = "Màn hình phòng họp"


def problem(kind: str, subject: str = SCREEN, detail: str = "", expected: str = "") -> Problem:
    return Problem(kind=kind, subject=subject, detail=detail, expected=expected)


# --- building problems -----------------------------------------------------------------------


def test_readiness_ready() -> None:
    assert Readiness(room="Phòng họp 1", checked_at=NOW).ready
    assert not Readiness(
        room="Phòng họp 1", checked_at=NOW, problems=(problem(ProblemKind.NO_LINK),)
    ).ready


@pytest.mark.parametrize(
    ("target", "state", "attributes", "expected"),
    [
        (DeviceTarget(entity_id="media_player.tv"), None, {}, problem("device_missing")),
        (DeviceTarget(entity_id="media_player.tv"), "on", {}, None),
        (
            DeviceTarget(entity_id="media_player.tv"),
            "off",
            {},
            problem("device_not_ready", detail="off", expected="on"),
        ),
        (
            DeviceTarget(entity_id="media_player.tv", source="HDMI 1"),
            "on",
            {"source": "TV"},
            problem("wrong_source", detail="TV", expected="HDMI 1"),
        ),
        (
            DeviceTarget(entity_id="climate.ac", hvac_mode="cool", temperature=24),
            "cool",
            {"temperature": 27},
            problem("wrong_temperature", detail="27", expected="24"),
        ),
    ],
)
def test_device_problem(
    target: DeviceTarget, state: str | None, attributes: dict[str, Any], expected: Problem | None
) -> None:
    assert device_problem(SCREEN, target, state, attributes) == expected


def test_endpoint_and_link_problems() -> None:
    down = EndpointResult(ok=False, detail="timeout")
    assert endpoint_problem("Châu Kim", EndpointResult(ok=True, detail="http 200")) is None
    assert endpoint_problem("Châu Kim", down) == problem("commune_down", "Châu Kim", "timeout")
    assert endpoint_problem("MCU tỉnh", down, commune=False) == problem(
        "endpoint_down", "MCU tỉnh", "timeout"
    )
    assert link_problem("Giao ban", "https://meet.vn/1") is None
    assert link_problem("Giao ban", None) == problem("no_link", "Giao ban")
    assert link_problem("Giao ban", "") == problem("no_link", "Giao ban")


# --- sentences -------------------------------------------------------------------------------

CASES = [
    (
        problem("device_not_ready", detail="off", expected="on"),
        "Thiết bị Màn hình phòng họp chưa bật (đang tắt)",
        "Màn hình phòng họp is not on (off)",
    ),
    (
        problem("device_not_ready", detail="unavailable", expected="on"),
        "Thiết bị Màn hình phòng họp chưa bật (mất kết nối)",
        "Màn hình phòng họp is not on (unavailable)",
    ),
    (
        problem("device_not_ready", detail="playing", expected="off"),
        "Thiết bị Màn hình phòng họp chưa tắt (đang phát)",
        "Màn hình phòng họp is not off (playing)",
    ),
    (
        problem("device_not_ready", "Điều hòa", detail="heat", expected="cool"),
        "Thiết bị Điều hòa chưa ở chế độ làm mát (đang sưởi)",
        "Điều hòa is not in cool mode (heating)",
    ),
    (
        problem("device_not_ready", "Điều hòa", detail="weird", expected="turbo"),
        "Thiết bị Điều hòa chưa ở chế độ turbo (weird)",
        "Điều hòa is not in turbo mode (weird)",
    ),
    (
        problem("device_missing", "Micro"),
        "Không tìm thấy thiết bị Micro",
        "Device Micro not found",
    ),
    (
        problem("wrong_source", detail="TV", expected="HDMI 1"),
        "Thiết bị Màn hình phòng họp chưa chuyển sang nguồn HDMI 1 (đang ở TV)",
        "Màn hình phòng họp is not on source HDMI 1 (now TV)",
    ),
    (
        problem("wrong_source", expected="HDMI 1"),
        "Thiết bị Màn hình phòng họp chưa chuyển sang nguồn HDMI 1 (chưa rõ nguồn)",
        "Màn hình phòng họp is not on source HDMI 1 (source unknown)",
    ),
    (
        problem("wrong_temperature", "Điều hòa", detail="27", expected="24"),
        "Thiết bị Điều hòa chưa đặt 24 °C (đang 27 °C)",
        "Điều hòa is not set to 24 °C (now 27 °C)",
    ),
    (
        problem("wrong_temperature", "Điều hòa", expected="24"),
        "Thiết bị Điều hòa chưa đặt 24 °C (chưa rõ nhiệt độ)",
        "Điều hòa is not set to 24 °C (set point unknown)",
    ),
    (
        problem("endpoint_down", "MCU tỉnh", "refused"),
        "Điểm cầu MCU tỉnh không phản hồi (bị từ chối kết nối)",
        "Endpoint MCU tỉnh is not answering (connection refused)",
    ),
    (
        problem("commune_down", "Châu Kim", "timeout"),
        "Xã Châu Kim không phản hồi (hết thời gian chờ)",
        "Commune Châu Kim is not answering (timeout)",
    ),
    (
        problem("commune_down", "Phường Vinh Phú", "http 503"),
        "Phường Vinh Phú không phản hồi (lỗi máy chủ HTTP 503)",
        "Phường Vinh Phú is not answering (server error HTTP 503)",
    ),
    (
        problem("commune_down", "Xá Lượng", "ssl"),  # a commune's name, not the word "Xã"
        "Xã Xá Lượng không phản hồi (lỗi chứng chỉ SSL)",
        "Commune Xá Lượng is not answering (SSL certificate error)",
    ),
    (
        problem("commune_down", "xã Tri Lễ", "something new"),
        "xã Tri Lễ không phản hồi (something new)",
        "xã Tri Lễ is not answering (something new)",
    ),
    (
        problem("commune_not_ready", "Châu Kim", "3"),
        "Xã Châu Kim chưa sẵn sàng (3 vấn đề)",
        "Commune Châu Kim is not ready (3 problems)",
    ),
    (
        problem("commune_not_ready", "Châu Kim"),
        "Xã Châu Kim chưa sẵn sàng",
        "Commune Châu Kim is not ready",
    ),
    (
        problem("commune_silent", "Châu Kim"),
        "Xã Châu Kim chưa báo cáo tình trạng sẵn sàng",
        "Commune Châu Kim has not reported",
    ),
    (
        problem("commune_silent", "Châu Kim", "stale"),
        "Xã Châu Kim không báo cáo lại (báo cáo cuối đã cũ)",
        "Commune Châu Kim has not reported lately",
    ),
    (
        problem("no_link", "Giao ban tháng 6"),
        "Cuộc họp “Giao ban tháng 6” chưa có đường dẫn họp trực tuyến",
        "Meeting “Giao ban tháng 6” has no conference link",
    ),
    (
        problem("no_link", ""),
        "Cuộc họp chưa có đường dẫn họp trực tuyến",
        "Meeting has no conference link",
    ),
    (problem("future_kind", "Loa", "ồn"), "future_kind: Loa – ồn", "future_kind: Loa – ồn"),
    (problem("future_kind", ""), "future_kind", "future_kind"),
]


@pytest.mark.parametrize(("item", "vi", "en"), CASES)
def test_describe(item: Problem, vi: str, en: str) -> None:
    assert describe([item]) == [vi]
    assert describe([item], "vi-VN") == [vi]
    assert describe([item], "en") == [en]
    assert describe([item], "fr") == [en]  # English for any other language


def test_describe_keeps_order() -> None:
    items = [problem("device_missing", "A"), problem("device_missing", "B")]
    assert describe(items) == ["Không tìm thấy thiết bị A", "Không tìm thấy thiết bị B"]
    assert describe([]) == []


# --- MQTT payloads ---------------------------------------------------------------------------

FULL = Readiness(
    room="Phòng họp 1",
    site="Xã Châu Kim",
    checked_at=NOW,
    problems=(
        problem("device_not_ready", detail="off", expected="on"),
        problem("commune_down", "Tri Lễ", "timeout"),
    ),
)


def test_payload_round_trip() -> None:
    payload = to_payload(FULL)
    assert payload == {
        "v": 1,
        "room": "Phòng họp 1",
        "site": "Xã Châu Kim",
        "checked_at": "2026-06-04T07:50:00+07:00",
        "ready": False,
        "problems": [
            {"kind": "device_not_ready", "subject": SCREEN, "detail": "off", "expected": "on"},
            {"kind": "commune_down", "subject": "Tri Lễ", "detail": "timeout", "expected": ""},
        ],
    }
    assert from_payload(payload) == FULL
    assert from_payload(json.loads(json.dumps(payload))) == FULL
    ready = Readiness(room="P1", checked_at=NOW)
    assert to_payload(ready)["ready"] is True
    assert "site" not in to_payload(ready)
    assert from_payload(to_payload(ready)) == ready


def test_payload_tolerates_unknown_keys_and_recomputes_ready() -> None:
    payload = to_payload(FULL)
    payload["ready"] = True  # a wrong flag does not win over the problems
    payload["firmware"] = "2.1"
    payload["problems"][0]["severity"] = "high"
    payload["problems"].append({"kind": "future_kind"})
    result = from_payload(payload)
    assert not result.ready
    assert result.problems[-1] == Problem(kind="future_kind", subject="")
    assert result.problems[:2] == FULL.problems


def test_payload_limits() -> None:
    many = [{"kind": "device_missing", "subject": "x" * 500}] * (MAX_PROBLEMS + 5)
    result = from_payload({"v": 1, "room": "P1", "checked_at": NOW.isoformat(), "problems": many})
    assert len(result.problems) == MAX_PROBLEMS
    assert len(result.problems[0].subject) == MAX_TEXT
    big = Readiness(
        room="P1",
        checked_at=NOW,
        problems=tuple(problem("no_link") for _ in range(MAX_PROBLEMS + 1)),
    )
    assert len(to_payload(big)["problems"]) == MAX_PROBLEMS


def _good() -> dict[str, Any]:
    return {"v": 1, "room": "P1", "checked_at": NOW.isoformat(), "problems": []}


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        (lambda d: d.pop("v"), "invalid_payload", "v"),
        (lambda d: d.update(v="1"), "invalid_payload", "v"),
        (lambda d: d.update(v=True), "invalid_payload", "v"),
        (lambda d: d.update(v=2), "unsupported_version", "v"),
        (lambda d: d.pop("room"), "invalid_payload", "room"),
        (lambda d: d.update(room="  "), "invalid_payload", "room"),
        (lambda d: d.update(room=5), "invalid_payload", "room"),
        (lambda d: d.update(site=["x"]), "invalid_payload", "site"),
        (lambda d: d.pop("checked_at"), "invalid_payload", "checked_at"),
        (lambda d: d.update(checked_at="hôm qua"), "invalid_payload", "checked_at"),
        (lambda d: d.update(checked_at=1717462200), "invalid_payload", "checked_at"),
        (lambda d: d.update(checked_at="2026-06-04T07:50:00"), "invalid_payload", "checked_at"),
        (lambda d: d.pop("problems"), "invalid_payload", "problems"),
        (lambda d: d.update(problems={"kind": "x"}), "invalid_payload", "problems"),
        (lambda d: d.update(problems=["x"]), "invalid_payload", "problems.0"),
        (
            lambda d: d.update(problems=[{"kind": "a"}, {"subject": "b"}]),
            "invalid_payload",
            "problems.1",
        ),
        (lambda d: d.update(problems=[{"kind": ""}]), "invalid_payload", "problems.0"),
        (
            lambda d: d.update(problems=[{"kind": "a", "detail": 5}]),
            "invalid_payload",
            "problems.0",
        ),
    ],
)
def test_from_payload_refuses(change: Any, code: str, field: str) -> None:
    data = _good()
    change(data)
    with pytest.raises(MeetingError) as err:
        from_payload(data)
    assert (err.value.code, err.value.field) == (code, field)


@pytest.mark.parametrize("data", [None, [], "text", 3])
def test_from_payload_refuses_non_objects(data: Any) -> None:
    with pytest.raises(MeetingError) as err:
        from_payload(data)
    assert (err.value.code, err.value.field) == ("invalid_payload", "payload")


def test_encode_decode() -> None:
    text = encode(FULL)
    assert "Xã Châu Kim" in text  # UTF-8 kept, not \u escapes
    assert " " not in text.split('"checked_at"')[0].replace("Phòng họp 1", "").replace(
        "Xã Châu Kim", ""
    )
    assert decode(text) == FULL
    assert decode(text.encode()) == FULL
    for bad in ("{", b"\xff\xfe", ""):
        with pytest.raises(MeetingError) as err:
            decode(bad)
        assert (err.value.code, err.value.field) == ("invalid_payload", "json")
    with pytest.raises(MeetingError) as err:
        decode("[]")
    assert err.value.field == "payload"


# --- topics ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "site", "room", "topic"),
    [
        (None, "Xã Châu Kim", "Phòng họp 1", "quephong/xa_chau_kim/meeting/phong_hop_1/readiness"),
        ("", "Xã Châu Kim", "Hội trường", "quephong/xa_chau_kim/meeting/hoi_truong/readiness"),
        ("quephong", "Phường Đội Cung", "P1", "quephong/phuong_doi_cung/meeting/p1/readiness"),
        (
            "/nghean/ubnd/ ",
            "xa_tri_le",
            "hoi_truong",
            "nghean/ubnd/xa_tri_le/meeting/hoi_truong/readiness",
        ),
    ],
)
def test_readiness_topic(prefix: str | None, site: str, room: str, topic: str) -> None:
    assert readiness_topic(prefix, site, room) == topic
    assert parse_readiness_topic(prefix, topic) == (slug(site), slug(room))


@pytest.mark.parametrize(
    ("prefix", "site", "room", "code", "field"),
    [
        ("que+phong", "a", "b", "invalid_prefix", "prefix"),
        ("que/#", "a", "b", "invalid_prefix", "prefix"),
        ("a//b", "a", "b", "invalid_prefix", "prefix"),
        ("quephong", "!!", "b", "invalid_name", "site"),
        ("quephong", "a", "", "invalid_name", "room"),
    ],
)
def test_readiness_topic_refuses(prefix: str, site: str, room: str, code: str, field: str) -> None:
    with pytest.raises(MeetingError) as err:
        readiness_topic(prefix, site, room)
    assert (err.value.code, err.value.field) == (code, field)


def test_filter_and_parse() -> None:
    assert readiness_filter(None) == "quephong/+/meeting/+/readiness"
    assert readiness_filter("nghean/ubnd") == "nghean/ubnd/+/meeting/+/readiness"
    parse = parse_readiness_topic
    assert parse(None, "quephong/xa_chau_kim/meeting/p1/readiness") == ("xa_chau_kim", "p1")
    assert parse("other", "quephong/xa_chau_kim/meeting/p1/readiness") is None
    assert parse(None, "quephong/xa_chau_kim/meeting/p1/state") is None
    assert parse(None, "quephong/xa_chau_kim/desk/p1/readiness") is None
    assert parse(None, "quephong/xa_chau_kim/meeting/p1/readiness/x") is None
    assert parse(None, "quephong//meeting/p1/readiness") is None
    assert parse(None, "quephong/Xa Chau Kim/meeting/p1/readiness") is None
    assert parse(None, "quephongx/a/meeting/p1/readiness") is None


# --- the parent's summary --------------------------------------------------------------------

EXPECTED = ["Châu Kim", "Tri Lễ", "Tiền Phong", "Hạnh Dịch"]


def _reports() -> dict[str, Readiness | None]:
    return {
        "Châu Kim": Readiness(room="P1", checked_at=NOW),
        "Tri Lễ": Readiness(room="P1", checked_at=NOW - timedelta(hours=2)),
        "Tiền Phong": Readiness(
            room="P1",
            checked_at=NOW,
            problems=(problem("no_link"), problem("device_missing")),
        ),
        "Hạnh Dịch": None,
        "Không mong đợi": Readiness(room="P1", checked_at=NOW),  # not expected: ignored
    }


def test_summary() -> None:
    assert summary(_reports(), EXPECTED) == Summary(
        ready_count=2,
        total=4,
        text="2/4 xã sẵn sàng",
        not_ready=("Tiền Phong", "Hạnh Dịch"),
    )
    assert summary(_reports(), EXPECTED, "en").text == "2/4 communes ready"
    stale = summary(_reports(), EXPECTED, now=NOW, max_age=timedelta(minutes=30))
    assert (stale.ready_count, stale.text) == (1, "1/4 xã sẵn sàng")
    assert stale.not_ready == ("Tri Lễ", "Tiền Phong", "Hạnh Dịch")
    # a commune listed twice counts once; one that never reported is not ready
    assert summary({}, ["A", "A", "B"]) == Summary(
        ready_count=0, total=2, text="0/2 xã sẵn sàng", not_ready=("A", "B")
    )
    assert summary({}, []).text == "0/0 xã sẵn sàng"


def test_twelve_of_fourteen() -> None:
    names = [f"Xã {i}" for i in range(14)]
    reports: dict[str, Readiness | None] = {
        name: Readiness(room="P1", checked_at=NOW) for name in names[:12]
    }
    reports[names[12]] = Readiness(room="P1", checked_at=NOW, problems=(problem("no_link"),))
    assert summary(reports, names).text == "12/14 xã sẵn sàng"
    assert summary(reports, names, "en-GB").text == "12/14 communes ready"


def test_commune_problems() -> None:
    assert commune_problems(_reports(), EXPECTED, now=NOW, max_age=timedelta(hours=1)) == [
        problem("commune_silent", "Tri Lễ", "stale"),
        problem("commune_not_ready", "Tiền Phong", "2"),
        problem("commune_silent", "Hạnh Dịch"),
    ]
    assert commune_problems(_reports(), EXPECTED) == [
        problem("commune_not_ready", "Tiền Phong", "2"),
        problem("commune_silent", "Hạnh Dịch"),
    ]
    assert describe(commune_problems(_reports(), EXPECTED)) == [
        "Xã Tiền Phong chưa sẵn sàng (2 vấn đề)",
        "Xã Hạnh Dịch chưa báo cáo tình trạng sẵn sàng",
    ]
