"""The daily figures a commune publishes for its parent unit: round trip and refusals."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from custom_components.quephong_office.core.report.exchange import (
    FIGURES,
    ExchangeError,
    decode_summary,
    encode_summary,
    site_of,
    summary_filter,
    topic_summary,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
FIGS = {
    "late": 1.0,
    "early": 0.0,
    "absent": 2.0,
    "on_leave": 1.0,
    "present": 12.0,
    "unattended_minutes": 25.0,
    "violations": 3.0,
}


def _summary(**extra: Any) -> dict[str, Any]:
    return {"day": "2026-11-23", "working": True, "month_violations": 7, "figures": FIGS, **extra}


def test_topics() -> None:
    assert topic_summary("17011") == "quephong/17011/discipline/daily"
    assert summary_filter() == "quephong/+/discipline/daily"
    assert site_of("quephong/17011/discipline/daily") == "17011"
    assert site_of("quephong//discipline/daily") is None
    assert site_of("quephong/17011/meeting/room/readiness") is None


def test_round_trip_with_and_without_the_previous_day() -> None:
    published = datetime(2026, 11, 23, 16, 0, tzinfo=VN)
    payload = encode_summary(
        site="17011",
        office="UBND xã Châu Kim",
        published=published,
        summary=_summary(),
        previous={"day": "2026-11-22", "figures": {**FIGS, "late": 4.0}},
    )
    summary = decode_summary(payload)
    assert (summary.site, summary.office, summary.published) == (
        "17011",
        "UBND xã Châu Kim",
        published,
    )
    assert (summary.day, summary.working, summary.month_violations) == (date(2026, 11, 23), True, 7)
    assert summary.figures == FIGS
    assert summary.previous_day == date(2026, 11, 22)
    assert summary.previous is not None
    assert summary.previous["late"] == 4.0
    assert "Châu Kim" in payload.decode()  # readable, not escaped

    alone = decode_summary(
        encode_summary(site="1", office="x", published=published, summary=_summary(), previous=None)
    )
    assert (alone.previous, alone.previous_day) == (None, None)


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        (b"{not json", "invalid_json"),
        (b"\xff", "invalid_json"),
        (b"[]", "unsupported_version"),
        (json.dumps({"v": 2}).encode(), "unsupported_version"),
        (json.dumps({"v": 1, "site": "1"}).encode(), "invalid_summary"),
    ],
)
def test_refusals(payload: bytes, code: str) -> None:
    with pytest.raises(ExchangeError) as err:
        decode_summary(payload)
    assert err.value.code == code


@pytest.mark.parametrize("bad", [-1, "3", True, None])
def test_bad_figures(bad: Any) -> None:
    data = json.loads(
        encode_summary(
            site="1",
            office="x",
            published=datetime(2026, 1, 1, tzinfo=VN),
            summary=_summary(),
            previous=None,
        )
    )
    data["figures"]["late"] = bad
    with pytest.raises(ExchangeError) as err:
        decode_summary(json.dumps(data))
    assert (err.value.code, err.value.field) == ("invalid_figures", "late")
    data["figures"] = [1, 2]
    with pytest.raises(ExchangeError) as err:
        decode_summary(json.dumps(data))
    assert err.value.code == "invalid_figures"
    assert set(FIGURES) == set(FIGS)
