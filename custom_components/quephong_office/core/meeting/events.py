"""Calendar events of a meeting room: which ones count, their conference link, their window."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from urllib.parse import urlsplit

from .errors import MeetingError
from .text import fold

#: How long before the start the room gets ready.
DEFAULT_LEAD = timedelta(minutes=15)
#: How long after the end the devices stay as they are (a meeting often runs over).
DEFAULT_GRACE = timedelta(minutes=10)
#: The keyword a room uses unless configured otherwise.
DEFAULT_KEYWORD = "trực tuyến"

_URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?*"
_PAIRS = {")": "(", "]": "[", "}": "{"}


def counts(title: str, keyword: str | None) -> bool:
    """Whether an event prepares the room: all do without a keyword, else the title must hold it.

    The match ignores case, diacritics and punctuation and is on whole words: "truc tuyen"
    matches "Họp TRỰC TUYẾN với các xã", "online" matches "[Online] Giao ban" but not "onliner".
    """
    wanted = fold(keyword or "")
    if not wanted:
        return True
    return f" {wanted} " in f" {fold(title)} "


def _trim(url: str) -> str:
    """Drop sentence punctuation and unbalanced closing brackets from the end of a found URL."""
    while True:  # never empties: the URL starts with "http"
        last = url[-1]
        if last in _TRAILING or (last in _PAIRS and url.count(last) > url.count(_PAIRS[last])):
            url = url[:-1]
        else:
            return url


def _first_url(text: str | None) -> str | None:
    for match in _URL.finditer(html.unescape(text or "")):
        url = _trim(match.group(0))
        if urlsplit(url).hostname:
            return url
    return None


def conference_link(location: str | None, description: str | None) -> str | None:
    """The first http(s) URL of the event's location, else of its description (HTML allowed)."""
    return _first_url(location) or _first_url(description)


class Phase(StrEnum):
    """Where a moment falls relative to a meeting window."""

    BEFORE = "before"
    PREPARING = "preparing"
    IN_PROGRESS = "in_progress"
    GRACE = "grace"
    AFTER = "after"


@dataclass(frozen=True, slots=True, kw_only=True)
class Window:
    """A meeting and the time around it: prepare at `prepare_at`, restore at `restore_at`."""

    start: datetime
    end: datetime
    prepare_at: datetime
    restore_at: datetime

    def phase(self, now: datetime) -> Phase:
        """The phase of the window at `now`."""
        if now < self.prepare_at:
            return Phase.BEFORE
        if now < self.start:
            return Phase.PREPARING
        if now < self.end:
            return Phase.IN_PROGRESS
        if now < self.restore_at:
            return Phase.GRACE
        return Phase.AFTER

    def active(self, now: datetime) -> bool:
        """Whether the room should be in its meeting state at `now`."""
        return self.prepare_at <= now < self.restore_at


def window(
    start: datetime,
    end: datetime,
    *,
    lead: timedelta = DEFAULT_LEAD,
    grace: timedelta = DEFAULT_GRACE,
) -> Window:
    """The window of an event from `start` to `end` (time-zone aware; raise MeetingError)."""
    if start.tzinfo is None or start.utcoffset() is None:
        raise MeetingError("naive_datetime", "start")
    if end.tzinfo is None or end.utcoffset() is None:
        raise MeetingError("naive_datetime", "end")
    if end < start:
        raise MeetingError("end_before_start", "end")
    if lead < timedelta(0):
        raise MeetingError("invalid_lead_time", "lead_time")
    if grace < timedelta(0):
        raise MeetingError("invalid_grace", "grace")
    return Window(start=start, end=end, prepare_at=start - lead, restore_at=end + grace)


def merge(windows: Iterable[Window]) -> list[Window]:
    """Windows that overlap or touch joined into one, in time order.

    Back-to-back meetings then keep the room ready instead of restoring it between them.
    """
    merged: list[Window] = []
    for item in sorted(windows, key=lambda w: (w.prepare_at, w.restore_at)):
        if merged and item.prepare_at <= merged[-1].restore_at:
            last = merged[-1]
            merged[-1] = Window(
                start=min(last.start, item.start),
                end=max(last.end, item.end),
                prepare_at=last.prepare_at,
                restore_at=max(last.restore_at, item.restore_at),
            )
        else:
            merged.append(item)
    return merged
