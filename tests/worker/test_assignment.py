"""Sharing a site's cameras among its online workers."""

from __future__ import annotations

from collections import Counter

from quephong_worker.assignment import Peers, owner, score

CAMERAS = [f"cam{i:02d}" for i in range(60)]


def test_owner_is_deterministic_and_balanced() -> None:
    workers = {"w1", "w2", "w3"}
    owners = {camera: owner(camera, workers) for camera in CAMERAS}
    assert owners == {camera: owner(camera, sorted(workers)) for camera in CAMERAS}
    assert min(Counter(owners.values()).values()) >= 10
    assert owner("cam", []) is None
    assert score("w1", "cam") != score("w2", "cam")


def test_only_a_leaving_workers_cameras_move() -> None:
    before = {camera: owner(camera, {"w1", "w2", "w3"}) for camera in CAMERAS}
    after = {camera: owner(camera, {"w1", "w2"}) for camera in CAMERAS}
    moved = {camera for camera in CAMERAS if before[camera] != after[camera]}
    assert moved == {camera for camera in CAMERAS if before[camera] == "w3"}


def test_peers_come_and_go() -> None:
    peers = Peers("w1", grace=30, confirm=2)
    assert peers.online == {"w1"}
    assert peers.announce("w2", True, 0.0) is True
    assert peers.announce("w2", True, 0.0) is False
    assert peers.announce("w1", False, 0.0) is False  # never itself
    assert peers.online == {"w1", "w2"}
    assert peers.announce("w2", False, 10.0) is False  # offline counts once confirmed
    assert peers.expire(11.0) is False
    assert peers.online == {"w1", "w2"}
    assert peers.expire(12.0) is True
    assert peers.online == {"w1"}
    assert peers.announce("w3", False, 13.0) is False  # never known: nothing to do
    assert peers.expire(20.0) is False


def test_offline_withdrawn_by_online_or_a_disconnection() -> None:
    peers = Peers("w1", grace=30, confirm=2)
    peers.announce("w2", True, 0.0)
    peers.announce("w2", False, 1.0)
    peers.announce("w2", True, 1.5)  # it came back at once
    assert peers.expire(5.0) is False
    peers.announce("w2", False, 6.0)  # a broker shutting down sends every Last Will ...
    peers.disconnected()  # ... and then drops this worker too: the will proves nothing
    assert peers.expire(9.0) is False
    assert peers.online == {"w1", "w2"}


def test_peers_not_announced_after_a_reconnect_expire() -> None:
    peers = Peers("w1", grace=30)
    peers.announce("w2", True, 0.0)
    peers.announce("w3", True, 0.0)
    peers.reconnected(100.0)
    peers.announce("w3", True, 101.0)  # w3 says it is online again; w2 does not
    assert peers.expire(120.0) is False  # still within the grace
    assert peers.online == {"w1", "w2", "w3"}
    assert peers.expire(130.0) is True
    assert peers.online == {"w1", "w3"}
    assert peers.expire(140.0) is False


def test_mine_respects_the_limit() -> None:
    peers = Peers("w1")
    mine, over = peers.mine(CAMERAS[:10], limit=4)
    assert len(mine) == 4
    assert len(over) == 6
    assert set(mine) | set(over) == set(CAMERAS[:10])
    peers.announce("w2", True, 0.0)
    mine, over = peers.mine(CAMERAS, limit=100)
    assert over == []
    assert set(mine) == {camera for camera in CAMERAS if owner(camera, {"w1", "w2"}) == "w1"}
