"""A commune's daily discipline figures for its parent unit, over MQTT.

A commune or ward office publishes, retained, on

    quephong/<unit code>/discipline/daily

its figures of today so far and of the previous day; a parent unit (the province, or a legacy
district) subscribes to `quephong/+/discipline/daily` on its own broker, which a Mosquitto
bridge feeds from the communes' brokers, as for meeting-room readiness. Payload (UTF-8 JSON):

    {"v": 1, "site": "17011", "office": "UBND xã Châu Kim", "published": "<ISO time>",
     "day": "2026-11-23", "working": true, "month_violations": 4,
     "figures": {"late": 1, "early": 0, "absent": 0, "on_leave": 2, "present": 14,
                 "unattended_minutes": 25, "violations": 2},
     "previous": {"day": "2026-11-22", "figures": {…}} | null}
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from custom_components.quephong_office.core.errors import CodedError

VERSION = 1
ROOT = "quephong"
SUFFIX = "discipline/daily"
#: The figures exchanged, in the order a parent shows them.
FIGURES = ("late", "early", "absent", "on_leave", "present", "unattended_minutes", "violations")


class ExchangeError(CodedError):
    """A summary payload that breaks the contract; `code` says how."""


def topic_summary(site: str) -> str:
    """Where a site publishes its figures."""
    return f"{ROOT}/{site}/{SUFFIX}"


def summary_filter() -> str:
    """What a parent unit subscribes to."""
    return f"{ROOT}/+/{SUFFIX}"


def site_of(topic: str) -> str | None:
    """The site of a summary topic (None for another topic)."""
    parts = topic.split("/")
    if len(parts) == 4 and parts[0] == ROOT and "/".join(parts[2:]) == SUFFIX and parts[1]:
        return parts[1]
    return None


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteSummary:
    """A site's figures as a parent receives them."""

    site: str
    office: str
    published: datetime
    day: date
    working: bool
    figures: dict[str, float]
    month_violations: int
    previous_day: date | None = None
    previous: dict[str, float] | None = None


def _figures(raw: Any) -> dict[str, float]:
    if not isinstance(raw, Mapping):
        raise ExchangeError("invalid_figures", "figures")
    figures: dict[str, float] = {}
    for key in FIGURES:
        value = raw.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ExchangeError("invalid_figures", key)
        figures[key] = float(value)
    return figures


def encode_summary(
    *,
    site: str,
    office: str,
    published: datetime,
    summary: Mapping[str, Any],
    previous: Mapping[str, Any] | None,
) -> bytes:
    """The payload of today's daily summary (and the previous day's), as `daily_summary` gives."""
    return json.dumps(
        {
            "v": VERSION,
            "site": site,
            "office": office,
            "published": published.isoformat(),
            "day": summary["day"],
            "working": bool(summary["working"]),
            "month_violations": int(summary["month_violations"]),
            "figures": {key: summary["figures"][key] for key in FIGURES},
            "previous": (
                {"day": previous["day"], "figures": {k: previous["figures"][k] for k in FIGURES}}
                if previous is not None
                else None
            ),
        },
        ensure_ascii=False,
    ).encode()


def decode_summary(payload: bytes | str) -> SiteSummary:
    """The summary of a payload; ExchangeError when it is not one of this version."""
    try:
        data = json.loads(payload)
    except (ValueError, UnicodeDecodeError) as err:
        raise ExchangeError("invalid_json", "payload") from err
    if not isinstance(data, dict) or data.get("v") != VERSION:
        raise ExchangeError("unsupported_version", "v")
    try:
        previous = data.get("previous")
        return SiteSummary(
            site=str(data["site"]),
            office=str(data["office"]),
            published=datetime.fromisoformat(data["published"]),
            day=date.fromisoformat(data["day"]),
            working=bool(data["working"]),
            figures=_figures(data["figures"]),
            month_violations=int(data["month_violations"]),
            previous_day=date.fromisoformat(previous["day"]) if previous else None,
            previous=_figures(previous["figures"]) if previous else None,
        )
    except ExchangeError:
        raise
    except (KeyError, TypeError, ValueError) as err:
        raise ExchangeError("invalid_summary", "payload") from err
