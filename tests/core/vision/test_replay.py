"""scripts/replay: JSON lines on stdout, clear errors for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from custom_components.quephong_office.core.vision.replay import main
from custom_components.quephong_office.core.vision.zones import ZoneLayout, rect_zone
from devtools.scene import SceneTruth


def desk_args(truth: SceneTruth) -> list[str]:
    return [f"--desk={name}={','.join(map(str, box))}" for name, box in truth.desks.items()]


def test_replay_prints_initial_states_and_changes(
    one_stop: tuple[Path, SceneTruth], capsys: pytest.CaptureFixture[str]
) -> None:
    path, truth = one_stop
    assert main([str(path), *desk_args(truth)]) == 0
    out, err = capsys.readouterr()
    lines = [json.loads(line) for line in out.splitlines()]
    assert {line["desk"] for line in lines[:2]} == set(truth.desks)
    assert all(line["t"] == 0.0 and line["occupied"] is False for line in lines[:2])
    first_on = next(line for line in lines if line["desk"] == "quay-1" and line["occupied"])
    start = truth.occupied["quay-1"][0][0]
    assert start - 1.0 <= first_on["t"] <= start + 2.0  # the body enters before its centre
    assert "× real time" in err


def test_replay_with_a_zones_file(
    one_stop: tuple[Path, SceneTruth], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, truth = one_stop
    zones = tmp_path / "zones.json"
    layout = ZoneLayout(zones=(rect_zone("quay-1", *truth.desks["quay-1"]),))
    zones.write_text(layout.to_json(), encoding="utf-8")
    assert main([str(path), "--zones", str(zones), "--fps", "1"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {line["desk"] for line in lines} == {"quay-1"}


@pytest.mark.parametrize(
    "args",
    [
        ["--desk", "quay-1=0.1,0.2,0.3"],
        ["--desk", "=0.1,0.2,0.3,0.4"],
        ["--desk", "quay-1=0.1,0.2,1.5,0.4"],
        ["--desk", "a=0.1,0.2,0.3,0.4", "--desk", "a=0.2,0.2,0.3,0.4"],
        ["--fps", "0", "--desk", "a=0.1,0.2,0.3,0.4"],
        [],
        ["--zones", "/nonexistent/zones.json"],
    ],
)
def test_bad_arguments_exit_2(
    one_stop: tuple[Path, SceneTruth], args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = one_stop
    with pytest.raises(SystemExit) as exc:
        main([str(path), *args])
    assert exc.value.code == 2
    assert capsys.readouterr().out == ""  # stdout stays JSON-only


def test_unreadable_video(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "not-a-video.mp4"
    bad.write_bytes(b"this is not a video")
    assert main([str(bad), "--desk", "a=0.1,0.2,0.3,0.4"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "cannot read" in err
