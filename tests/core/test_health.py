"""Camera availability: backoff, transitions, repair timing."""

from __future__ import annotations

from custom_components.quephong_office.core.health import (
    BACKOFF_MAX,
    CHECK_INTERVAL_UP,
    REPAIR_AFTER,
    SourceHealth,
    Transition,
)


def test_starts_unknown_then_up() -> None:
    health = SourceHealth()
    assert health.up is None
    assert health.success() is Transition.NONE
    assert health.up is True
    assert health.next_check_in() == CHECK_INTERVAL_UP


def test_backoff_doubles_to_cap_and_resets() -> None:
    health = SourceHealth()
    health.success()
    assert health.failure(0, "timeout") is Transition.WENT_DOWN
    delays = [health.next_check_in()]
    for t in range(1, 10):
        assert health.failure(t, "timeout") is Transition.NONE
        delays.append(health.next_check_in())
    assert delays[:6] == [2, 4, 8, 16, 32, 60]
    assert max(delays) == BACKOFF_MAX
    assert health.failures == 10
    assert health.success() is Transition.CAME_BACK
    assert health.failures == 0
    assert health.next_check_in() == CHECK_INTERVAL_UP
    health.failure(100, "again")
    assert health.next_check_in() == 2


def test_first_check_failing_counts_as_going_down() -> None:
    health = SourceHealth()
    assert health.failure(5, "refused") is Transition.WENT_DOWN
    assert health.last_error == "refused"


def test_repair_after_ten_minutes_down() -> None:
    health = SourceHealth()
    health.failure(1000, "x")
    assert not health.needs_repair(1000 + REPAIR_AFTER - 1)
    assert health.needs_repair(1000 + REPAIR_AFTER)
    health.success()
    assert not health.needs_repair(5000)
