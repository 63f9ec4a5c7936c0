"""The analyzer on real decoded video of a rendered office scene, with ground truth."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from custom_components.quephong_office.core.vision.analyzer import (
    AnalyzerSettings,
    CameraAnalyzer,
    analysis_size,
)
from custom_components.quephong_office.core.vision.sources import iter_frames
from custom_components.quephong_office.core.vision.zones import ZoneKind, ZoneLayout, rect_zone
from devtools.scene import SceneTruth


def layout_for(truth: SceneTruth) -> ZoneLayout:
    return ZoneLayout(zones=tuple(rect_zone(name, *box) for name, box in truth.desks.items()))


def frames(path: Path, analyzer: CameraAnalyzer) -> list[tuple[float, np.ndarray]]:
    return [(f.t, f.gray) for f in iter_frames(str(path), fps=2, size=analyzer.analysis_size)]


def test_analysis_size() -> None:
    assert analysis_size(1920, 1080, 320) == (320, 180)
    assert analysis_size(640, 480, 320) == (320, 240)
    assert analysis_size(160, 90, 320) == (160, 90)  # never upscaled


def test_follows_the_scene(one_stop: tuple[Path, SceneTruth]) -> None:
    path, truth = one_stop
    analyzer = CameraAnalyzer(layout_for(truth))
    agree = total = 0
    changes: dict[str, list[tuple[float, bool]]] = {name: [] for name in truth.desks}
    previous: dict[str, bool] = {}
    for t, gray in frames(path, analyzer):
        result = analyzer.process(t, gray)
        for name, reading in result.zones.items():
            total += 1
            agree += reading.occupied == truth.is_occupied(name, t)
            if previous.get(name) != reading.occupied:
                changes[name].append((t, reading.occupied))
                previous[name] = reading.occupied
            assert reading.count == (1 if reading.occupied else 0)  # desks count one person
    assert agree / total >= 0.9
    for name, intervals in truth.occupied.items():
        for start, end in intervals:
            ons = [t for t, on in changes[name] if on and t >= start - 0.5]
            offs = [t for t, on in changes[name] if not on and t >= end - 0.5]
            assert ons and ons[0] - start <= 2.0, (name, start, changes[name])
            if end < truth.seconds - 3:
                assert offs and offs[0] - end <= 3.0, (name, end, changes[name])


def test_lights_switched_on_and_off_on_an_empty_desk(one_stop: tuple[Path, SceneTruth]) -> None:
    path, truth = one_stop
    analyzer = CameraAnalyzer(layout_for(truth))
    empty = [(t, g) for t, g in frames(path, analyzer) if not truth.is_occupied("quay-2", t)]
    for i, (t, gray) in enumerate(empty):
        gain = 1.7 if (i // 8) % 2 else 1.0  # lights toggle every 4 s
        lit = np.clip(gray.astype(np.float32) * gain + (15 if gain > 1 else 0), 0, 255)
        result = analyzer.process(t, lit.astype(np.uint8))
        if i > 10:
            assert not result.zones["quay-2"].occupied, t


def test_restart_keeps_what_was_learned(one_stop: tuple[Path, SceneTruth]) -> None:
    path, truth = one_stop
    analyzer = CameraAnalyzer(layout_for(truth))
    sampled = frames(path, analyzer)
    seated = [i for i, (t, _) in enumerate(sampled) if truth.is_occupied("quay-1", t - 2)]
    cut = seated[len(seated) // 2]
    for t, gray in sampled[:cut]:
        analyzer.process(t, gray)
    assert analyzer.last is not None and analyzer.last.zones["quay-1"].occupied
    state = analyzer.export_state()
    assert state is not None

    restarted = CameraAnalyzer(layout_for(truth))
    restarted.restore_state(state)
    _t0, gray0 = sampled[cut]
    first = restarted.process(1000.0, gray0)  # the clock starts anew after a restart
    assert first.zones["quay-1"].occupied
    # a changed layout does not take the old state
    other = CameraAnalyzer(ZoneLayout(zones=(rect_zone("x", 0, 0, 0.5, 0.5),)))
    other.restore_state(state)
    assert other.process(0.0, gray0).zones["x"].occupied is False
    assert CameraAnalyzer(layout_for(truth)).export_state() is None


def test_cold_start_with_someone_seated(one_stop: tuple[Path, SceneTruth]) -> None:
    path, truth = one_stop
    analyzer = CameraAnalyzer(layout_for(truth))
    sampled = frames(path, analyzer)
    start = next(i for i, (t, _) in enumerate(sampled) if truth.is_occupied("quay-1", t - 3))
    fresh = CameraAnalyzer(layout_for(truth))
    on_at = None
    for t, gray in sampled[start : start + 10]:
        if fresh.process(t, gray).zones["quay-1"].occupied and on_at is None:
            on_at = t
    assert on_at is not None
    assert on_at - sampled[start][0] <= 5.0


def test_calibrate_and_masks(one_stop: tuple[Path, SceneTruth]) -> None:
    path, truth = one_stop
    box = truth.desks["quay-1"]
    masked = ZoneLayout(
        zones=(rect_zone("quay-1", *box),),
        masks=(((box[0], box[1]), (box[2], box[1]), (box[2], box[3]), (box[0], box[3])),),
    )
    analyzer = CameraAnalyzer(masked)
    for t, gray in frames(path, analyzer):
        assert not analyzer.process(t, gray).zones["quay-1"].occupied  # fully masked
    analyzer = CameraAnalyzer(layout_for(truth))
    sampled = frames(path, analyzer)
    analyzer.calibrate(0.0, sampled[0][1])
    assert not analyzer.process(0.5, sampled[1][1]).zones["quay-1"].occupied
    analyzer.calibrate(1.0)  # the last frame seen


def test_people_count_in_a_hall_zone(one_stop: tuple[Path, SceneTruth]) -> None:
    path, _truth = one_stop
    layout = ZoneLayout(zones=(rect_zone("all", 0, 0, 1, 1, kind=ZoneKind.HALL),))
    analyzer = CameraAnalyzer(layout, AnalyzerSettings(person_blocks=4))
    counts = [analyzer.process(t, g).zones["all"].count for t, g in frames(path, analyzer)]
    assert max(counts) >= 1
    assert counts[0] == 0
