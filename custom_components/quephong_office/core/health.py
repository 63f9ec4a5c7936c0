"""Availability of a camera source: up/down, reconnect backoff, when to ask the user for help.

Pure Python with times passed in (monotonic seconds), so the whole behaviour is testable
without waiting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

#: While a source is up it is checked this often (seconds).
CHECK_INTERVAL_UP = 60.0
#: First retry after a failure; doubles on every further failure up to BACKOFF_MAX.
BACKOFF_START = 2.0
BACKOFF_MAX = 60.0
#: A source down for this long needs the user: a repair issue is raised.
REPAIR_AFTER = 600.0


class Transition(StrEnum):
    """What a check result changed."""

    NONE = "none"
    WENT_DOWN = "went_down"
    CAME_BACK = "came_back"


@dataclass(slots=True)
class SourceHealth:
    """Tracks one source. Starts unknown (neither up nor down) until the first check."""

    backoff_start: float = BACKOFF_START
    backoff_max: float = BACKOFF_MAX
    check_interval: float = CHECK_INTERVAL_UP
    repair_after: float = REPAIR_AFTER
    up: bool | None = None
    down_since: float | None = None
    failures: int = 0
    last_error: str | None = None
    _delay: float = field(default=0.0, repr=False)

    def success(self) -> Transition:
        """Record a good check; return whether the source came back."""
        was_down = self.up is False
        self.up = True
        self.down_since = None
        self.failures = 0
        self.last_error = None
        self._delay = 0.0
        return Transition.CAME_BACK if was_down else Transition.NONE

    def failure(self, now: float, error: str) -> Transition:
        """Record a failed check at monotonic time `now`; return whether it just went down."""
        self.failures += 1
        self.last_error = error
        self._delay = (
            self.backoff_start if self._delay == 0 else min(self._delay * 2, self.backoff_max)
        )
        if self.up is False:
            return Transition.NONE
        self.up = False
        self.down_since = now
        return Transition.WENT_DOWN

    def next_check_in(self) -> float:
        """Seconds until the next check: the backoff while down, the interval while up."""
        return self._delay if self.up is False else self.check_interval

    def needs_repair(self, now: float) -> bool:
        """True once the source has been down for `repair_after` seconds."""
        return self.down_since is not None and now - self.down_since >= self.repair_after
