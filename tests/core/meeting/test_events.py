"""Which events count, their conference link, their window."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from custom_components.quephong_office.core.meeting.errors import MeetingError
from custom_components.quephong_office.core.meeting.events import (
    DEFAULT_GRACE,
    DEFAULT_KEYWORD,
    DEFAULT_LEAD,
    Phase,
    Window,
    conference_link,
    counts,
    merge,
    window,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(hh: int, mm: int = 0) -> datetime:
    return datetime(2026, 6, 4, hh, mm, tzinfo=VN)


@pytest.mark.parametrize(
    ("title", "keyword", "expected"),
    [
        ("Giao ban tuần", None, True),
        ("Giao ban tuần", "", True),
        ("Giao ban tuần", "  ", True),
        ("Họp trực tuyến với các xã", "trực tuyến", True),
        ("HỌP TRỰC TUYẾN với các xã", "trực tuyến", True),
        ("Hop truc tuyen voi cac xa", "trực tuyến", True),
        ("Họp trực tuyến với các xã", "truc tuyen", True),
        ("Họp trực-tuyến: triển khai", "Trực Tuyến", True),
        ("Giao ban tuần", "trực tuyến", False),
        ("Họp trực tiếp", "trực tuyến", False),
        ("[Online] giao ban", "online", True),
        ("Onliner", "online", False),  # whole words only
        ("", "trực tuyến", False),
    ],
)
def test_counts(title: str, keyword: str | None, expected: bool) -> None:
    assert counts(title, keyword) is expected


def test_default_keyword_is_vietnamese() -> None:
    assert counts("Hội nghị TRỰC TUYẾN toàn tỉnh", DEFAULT_KEYWORD)


@pytest.mark.parametrize(
    ("location", "description", "expected"),
    [
        ("https://meet.google.com/abc-defg-hij", None, "https://meet.google.com/abc-defg-hij"),
        ("Phòng họp tầng 2", "Link: https://zoom.us/j/123?pwd=x.", "https://zoom.us/j/123?pwd=x"),
        (
            "Hội trường (https://vnpt.vn/hop/1)",
            None,
            "https://vnpt.vn/hop/1",
        ),
        ("https://a.vn/x_(1)", None, "https://a.vn/x_(1)"),  # balanced brackets are kept
        (None, '<a href="https://meet.vn/r?a=1&amp;b=2">Vào họp</a>', "https://meet.vn/r?a=1&b=2"),
        ("HTTP://Example.VN/Room", None, "HTTP://Example.VN/Room"),
        ("http:// nothing", "then http://ok.vn/ here", "http://ok.vn/"),
        ("http://:80 or https://ok.vn/a!", None, "https://ok.vn/a"),  # no host: the next one
        ("rtsp://cam/1", "ftp://x.vn", None),
        ("https://location.vn", "https://description.vn", "https://location.vn"),
        ("", "", None),
        (None, None, None),
    ],
)
def test_conference_link(
    location: str | None, description: str | None, expected: str | None
) -> None:
    assert conference_link(location, description) == expected


def test_window_defaults_and_custom() -> None:
    w = window(at(8), at(10))
    assert w == Window(start=at(8), end=at(10), prepare_at=at(7, 45), restore_at=at(10, 10))
    assert timedelta(minutes=15) == DEFAULT_LEAD
    assert timedelta(minutes=10) == DEFAULT_GRACE
    w = window(at(8), at(8), lead=timedelta(minutes=30), grace=timedelta(0))
    assert (w.prepare_at, w.restore_at) == (at(7, 30), at(8))


@pytest.mark.parametrize(
    ("start", "end", "lead", "grace", "code", "field"),
    [
        (datetime(2026, 6, 4, 8), at(9), DEFAULT_LEAD, DEFAULT_GRACE, "naive_datetime", "start"),
        (at(8), datetime(2026, 6, 4, 9), DEFAULT_LEAD, DEFAULT_GRACE, "naive_datetime", "end"),
        (at(9), at(8), DEFAULT_LEAD, DEFAULT_GRACE, "end_before_start", "end"),
        (at(8), at(9), -DEFAULT_LEAD, DEFAULT_GRACE, "invalid_lead_time", "lead_time"),
        (at(8), at(9), DEFAULT_LEAD, -DEFAULT_GRACE, "invalid_grace", "grace"),
    ],
)
def test_window_refuses(
    start: datetime, end: datetime, lead: timedelta, grace: timedelta, code: str, field: str
) -> None:
    with pytest.raises(MeetingError) as err:
        window(start, end, lead=lead, grace=grace)
    assert (err.value.code, err.value.field) == (code, field)


@pytest.mark.parametrize(
    ("now", "phase", "active"),
    [
        (at(7, 44), Phase.BEFORE, False),
        (at(7, 45), Phase.PREPARING, True),
        (at(7, 59), Phase.PREPARING, True),
        (at(8), Phase.IN_PROGRESS, True),
        (at(9, 59), Phase.IN_PROGRESS, True),
        (at(10), Phase.GRACE, True),
        (at(10, 9), Phase.GRACE, True),
        (at(10, 10), Phase.AFTER, False),
    ],
)
def test_phase_and_active(now: datetime, phase: Phase, active: bool) -> None:
    w = window(at(8), at(10))
    assert w.phase(now) is phase
    assert w.active(now) is active


def test_merge_joins_overlapping_and_touching_windows() -> None:
    first = window(at(8), at(9))  # 07:45–09:10
    second = window(at(9, 20), at(10))  # 09:05–10:10: overlaps the first
    third = window(at(10, 25), at(11))  # 10:10–11:10: touches the second
    apart = window(at(14), at(15))  # 13:45–15:10
    inside = window(at(14, 15), at(14, 30))  # wholly inside `apart`
    merged = merge([apart, third, first, inside, second])
    assert merged == [
        Window(start=at(8), end=at(11), prepare_at=at(7, 45), restore_at=at(11, 10)),
        apart,
    ]
    assert merged[0].active(at(10, 12))  # no restore between the meetings
    assert merge([]) == []
