"""The analyzer on real decoded video of a rendered office scene, with ground truth."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from custom_components.quephong_office.core.vision.analyzer import (
    AnalyzerSettings,
    CameraAnalyzer,
    _fit_field,
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


def _agreement_under_uneven_light(
    one_stop: tuple[Path, SceneTruth], settings: AnalyzerSettings
) -> float:
    """Share of frames after 10 s where both desks are judged right, while from then on the
    lights go off and on every 4 s, off leaving the left of the room much darker than the
    right (the window side)."""
    path, truth = one_stop
    analyzer = CameraAnalyzer(layout_for(truth), settings)
    agree = total = 0
    for i, (t, gray) in enumerate(frames(path, analyzer)):
        lit = gray.astype(np.float32)
        if t >= 10 and (i // 8) % 2:
            across = np.linspace(-1.0, 1.0, gray.shape[1], dtype=np.float32)[None, :]
            lit = lit * (0.5 + 0.2 * across)
        result = analyzer.process(t, np.clip(lit, 0, 255).astype(np.uint8))
        if t < 10:
            continue
        for name, reading in result.zones.items():
            near_change = any(
                abs(t - edge) <= 1.5 for span in truth.occupied[name] for edge in span
            )
            if not near_change:
                total += 1
                agree += reading.occupied == truth.is_occupied(name, t)
    return agree / total


def test_uneven_light_is_compensated_across_the_room(one_stop: tuple[Path, SceneTruth]) -> None:
    assert _agreement_under_uneven_light(one_stop, AnalyzerSettings()) >= 0.95
    # the same with one gain for the whole picture: the staffed desk is lost in the dark
    flat = AnalyzerSettings(field_gain=10.0, field_offset=1000.0)
    assert _agreement_under_uneven_light(one_stop, flat) < 0.9


def _room(seed: int = 3) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Grey levels of a textured empty room, and where each pixel is (-1…1 across, down)."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(30, 200, 3000).astype(np.float32)
    return x, rng.uniform(-1, 1, x.size), rng.uniform(-1, 1, x.size)


def test_a_light_field_is_fitted_only_when_it_explains_the_picture() -> None:
    x, across, down = _room()
    usable = np.ones(x.size, bool)
    # light from the right: the gain grows across the room
    tilted = (x * (0.6 + 0.2 * across) + 5).astype(np.float32)
    field = _fit_field(x, tilted, usable, across, down, 0.6, 5.0)
    assert field is not None
    assert np.allclose(field, [0.6, 0.2, 0.0, 5.0, 0.0, 0.0], atol=0.02)
    # evenly lit: one gain says it all
    assert _fit_field(x, x * 0.6 + 5, usable, across, down, 0.6, 5.0) is None
    # a third of the picture covered by something new, not by light: not a field
    covered = (x * 0.6 + 5).astype(np.float32)
    covered[across > 0.35] = 240.0
    assert _fit_field(x, covered, usable, across, down, 0.6, 5.0) is None
    # too few pixels to say, or nothing to fit (a black reference picture)
    few = usable.copy()
    few[60:] = False
    assert _fit_field(x, tilted, few, across, down, 0.6, 5.0) is None
    black = np.zeros_like(x)
    assert _fit_field(black, np.full_like(x, 100.0), usable, across, down, 1.0, 100.0) is None
