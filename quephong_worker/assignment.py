"""Which worker of a site runs which camera: rendezvous hashing over the online workers.

Every worker sees the same availability topics, so every worker computes the same owner for a
camera without talking to the others: the online worker with the highest hash of
(worker, camera). When a worker goes offline only its cameras move; when one comes online it
takes about 1/n of the cameras from the others.

Times are monotonic seconds passed in, so the rules are testable without waiting.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

#: After a reconnect, a peer that has not announced itself again within this many seconds is
#: taken for gone (the broker may have lost its retained "online" and with it its Last Will).
PEER_GRACE = 30.0
#: A peer's "offline" counts once it has stood this long while this worker stayed connected:
#: a broker that shuts down sends every client's Last Will to the others on its way out.
OFFLINE_CONFIRM = 2.0


def score(worker: str, camera: str) -> int:
    """The rendezvous weight of `worker` for `camera`."""
    digest = hashlib.sha256(f"{worker}\x00{camera}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def owner(camera: str, workers: Iterable[str]) -> str | None:
    """The worker that runs `camera` (None when there is no worker)."""
    return max(workers, key=lambda worker: (score(worker, camera), worker), default=None)


class Peers:
    """The workers of the site that are online, as this worker sees them."""

    def __init__(
        self, me: str, grace: float = PEER_GRACE, confirm: float = OFFLINE_CONFIRM
    ) -> None:
        """Start knowing only this worker."""
        self.me = me
        self.grace = grace
        self.confirm = confirm
        self._seen: dict[str, int] = {}  # peer -> connection epoch it was last announced in
        self._leaving: dict[str, float] = {}  # peer -> when its "offline" came
        self._epoch = 0
        self._epoch_started = 0.0

    @property
    def online(self) -> frozenset[str]:
        """The workers believed online, this one included."""
        return frozenset({self.me, *self._seen})

    def reconnected(self, now: float) -> None:
        """A new connection to the broker: peers must announce themselves again."""
        self._epoch += 1
        self._epoch_started = now

    def disconnected(self) -> None:
        """The connection dropped: the "offline" messages just received prove nothing."""
        self._leaving.clear()

    def announce(self, worker: str, online: bool, now: float) -> bool:
        """A peer's availability message at `now`; True when the online set changed.

        "online" counts at once; "offline" only after `confirm` seconds (see `expire`).
        """
        if worker == self.me:
            return False
        if online:
            self._leaving.pop(worker, None)
            joined = worker not in self._seen
            self._seen[worker] = self._epoch
            return joined
        if worker in self._seen:
            self._leaving.setdefault(worker, now)
        return False

    def expire(self, now: float) -> bool:
        """Drop peers whose "offline" is confirmed; True if any was dropped.

        Once the grace after a reconnect has passed, peers that have not announced themselves
        since are dropped too.
        """
        gone = [worker for worker, at in self._leaving.items() if now - at >= self.confirm]
        if now - self._epoch_started >= self.grace:
            gone += [w for w, epoch in self._seen.items() if epoch < self._epoch]
        for worker in gone:
            self._leaving.pop(worker, None)
            self._seen.pop(worker, None)
        return bool(gone)

    def mine(self, cameras: Iterable[str], limit: int) -> tuple[list[str], list[str]]:
        """(cameras this worker runs, cameras it owns but cannot take: over `limit`)."""
        online = self.online
        owned = sorted(
            (camera for camera in cameras if owner(camera, online) == self.me),
            key=lambda camera: -score(self.me, camera),
        )
        return sorted(owned[:limit]), sorted(owned[limit:])
