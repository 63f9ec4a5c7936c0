"""The labelled corpus of the accuracy benchmark and its frame transformations (no OpenCV)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from benchmarks.accuracy import Score, episodes, score_zone
from benchmarks.corpus import (
    CORPUS_PATH,
    OBJECT_KINDS,
    SITUATIONS,
    SPLITS,
    ClipSpec,
    Segment,
    apply_gain,
    apply_transforms,
    brightness_ramp,
    check_rendered_labels,
    concatenate,
    derive_real_labels,
    intervals_from_flags,
    lights_step,
    load_corpus,
    paste_object,
    pingpong,
    pingpong_indices,
    rendered_truth,
    source_time,
    timeline_seconds,
)

CORPUS = load_corpus()
CLIPS = CORPUS.clips
REAL = [c for c in CLIPS if c.is_real]
RENDERED = [c for c in CLIPS if not c.is_real]


def _ids(clips: list[ClipSpec] | tuple[ClipSpec, ...]) -> list[str]:
    return [c.id for c in clips]


# --- corpus.json ----------------------------------------------------------------------------


def test_corpus_header() -> None:
    assert CORPUS.fps >= 2
    width, height = CORPUS.size
    assert width % 2 == 0
    assert height % 2 == 0
    assert len(CLIPS) >= 6


def test_ids_unique() -> None:
    ids = _ids(CLIPS)
    assert len(ids) == len(set(ids))
    assert all(i and i.strip() == i and "," not in i for i in ids)


@pytest.mark.parametrize("clip", CLIPS, ids=_ids(CLIPS))
def test_zones_inside_picture_with_area(clip: ClipSpec) -> None:
    assert clip.zones
    for x1, y1, x2, y2 in clip.zones.values():
        assert 0.0 <= x1 < x2 <= 1.0
        assert 0.0 <= y1 < y2 <= 1.0
        assert (x2 - x1) * (y2 - y1) > 0.001


@pytest.mark.parametrize("clip", CLIPS, ids=_ids(CLIPS))
def test_labels_sorted_within_clip(clip: ClipSpec) -> None:
    assert set(clip.occupied) == set(clip.zones)
    assert clip.seconds > 0
    for zone, spans in clip.occupied.items():
        end = -1.0
        for a, b in spans:
            assert 0.0 <= a < b <= clip.seconds, (zone, a, b)
            assert a > end, f"{zone}: intervals overlap, touch or are unsorted"
            end = b
        assert clip.episodes[zone] == len(spans)


@pytest.mark.parametrize("clip", CLIPS, ids=_ids(CLIPS))
def test_split_situations_note(clip: ClipSpec) -> None:
    assert clip.split in SPLITS
    assert clip.situations
    assert set(clip.situations) <= set(SITUATIONS)
    assert len(clip.note) > 40, "say how the labels were made"


def test_at_least_a_third_held_out() -> None:
    held = [c for c in CLIPS if c.split == "heldout"]
    assert 3 * len(held) >= len(CLIPS)
    assert 3 * sum(c.seconds for c in held) >= sum(c.seconds for c in CLIPS)


@pytest.mark.parametrize("situation", SITUATIONS)
def test_every_situation_tuned_and_held_out(situation: str) -> None:
    splits = {c.split for c in CLIPS if situation in c.situations}
    assert splits == set(SPLITS)


def test_situations_are_what_they_claim() -> None:
    for clip in CLIPS:
        spans = [s for v in clip.occupied.values() for s in v]
        if "long_still" in clip.situations:
            assert any(b - a >= 600 for a, b in spans) or clip.seconds < 600, clip.id
        if "cold_start" in clip.situations:
            assert any(a == 0.0 for a, _ in spans), clip.id
        if "visits" in clip.situations:
            assert any(a > 0 for a, _ in spans), f"{clip.id}: nobody arrives"
        if "objects" in clip.situations:
            assert any(not v for v in clip.occupied.values()), clip.id
        if {"light_ramp", "light_step"} & set(clip.situations):
            assert any(not v for v in clip.occupied.values()), "needs an empty desk"
    visits = [c for c in CLIPS if "visits" in c.situations]
    for split in SPLITS:
        assert any(len(v) >= 3 for c in visits if c.split == split for v in c.occupied.values())
        still = [c for c in CLIPS if "long_still" in c.situations and c.split == split]
        assert any(b - a >= 600 for c in still for v in c.occupied.values() for a, b in v)


@pytest.mark.parametrize("clip", CLIPS, ids=_ids(CLIPS))
def test_transforms_valid(clip: ClipSpec) -> None:
    for tr in clip.transforms:
        if tr["type"] == "paste":
            assert tr["object"] in OBJECT_KINDS
            x1, y1, x2, y2 = tr["rect"]
            assert 0 <= x1 < x2 <= 1
            assert 0 <= y1 < y2 <= 1
            assert 0 <= tr["start"] < tr["end"] <= clip.seconds
        elif tr["type"] == "brightness_ramp":
            times = [p[0] for p in tr["points"]]
            assert times == sorted(times)
            assert all(p[1] > 0 for p in tr["points"])
        else:
            assert tr["type"] == "lights_step"
            times = [s[0] for s in tr["steps"]]
            assert times == sorted(times)
            assert all(0 < t < clip.seconds for t in times)


@pytest.mark.parametrize("clip", REAL, ids=_ids(REAL))
def test_real_labels_follow_source_labels(clip: ClipSpec) -> None:
    assert timeline_seconds(clip.segments) == pytest.approx(clip.seconds, abs=1e-6)
    assert set(clip.source_labels) == set(clip.zones)
    derived = derive_real_labels(clip, CORPUS.fps)
    assert {z: tuple(v) for z, v in derived.items()} == clip.occupied


@pytest.mark.parametrize("clip", RENDERED, ids=_ids(RENDERED))
def test_rendered_labels_are_the_renderer_truth(clip: ClipSpec) -> None:
    desks, occupied = rendered_truth(clip, CORPUS)
    check_rendered_labels(clip, desks, occupied, CORPUS.fps)


def test_no_media_in_benchmarks_folder() -> None:
    folder = Path(CORPUS_PATH).parent
    media = {".gif", ".mp4", ".mkv", ".avi", ".png", ".jpg", ".jpeg", ".webp", ".npy", ".npz"}
    assert not [p for p in folder.rglob("*") if p.suffix.lower() in media]


# --- timelines ------------------------------------------------------------------------------


def test_pingpong_plays_forwards_and_backwards() -> None:
    frames = np.arange(4, dtype=np.uint8).reshape(4, 1, 1, 1) * np.ones((1, 2, 2, 3), np.uint8)
    out = pingpong(frames, 10)
    assert out.shape == (10, 2, 2, 3)
    assert out[:, 0, 0, 0].tolist() == [0, 1, 2, 3, 2, 1, 0, 1, 2, 3]
    assert pingpong_indices(1, 3).tolist() == [0, 0, 0]
    assert pingpong_indices(2, 5).tolist() == [0, 1, 0, 1, 0]


def test_concatenate_and_timeline() -> None:
    a = np.zeros((2, 2, 2), np.uint8)
    b = np.full((3, 2, 2), 7, np.uint8)
    out = concatenate([a, b])
    assert out.shape == (5, 2, 2)
    assert out[:, 0, 0].tolist() == [0, 0, 7, 7, 7]

    segments = (
        Segment.from_json({"play": [1.0, 3.0]}),
        Segment.from_json({"pingpong": [3.0, 2.0], "seconds": 5.0}),
        Segment.from_json({"play": [3.0, 0.0]}),
    )
    assert timeline_seconds(segments) == pytest.approx(10.0)
    assert source_time(segments, 0.0) == pytest.approx(1.0)
    assert source_time(segments, 1.5) == pytest.approx(2.5)
    assert source_time(segments, 2.0) == pytest.approx(3.0)  # ping-pong starts at 3 going down
    assert source_time(segments, 2.5) == pytest.approx(2.5)
    assert source_time(segments, 3.0) == pytest.approx(2.0)
    assert source_time(segments, 3.5) == pytest.approx(2.5)
    assert source_time(segments, 5.0) == pytest.approx(2.0)
    assert source_time(segments, 7.5) == pytest.approx(2.5)  # played backwards from 3
    assert source_time(segments, 99.0) == pytest.approx(0.0)


def test_intervals_from_flags() -> None:
    times = [0.0, 0.5, 1.0, 1.5, 2.0]
    assert intervals_from_flags(times, [True, True, False, True, True], 2.5) == [
        (0.0, 1.0),
        (1.5, 2.5),
    ]
    assert intervals_from_flags(times, [False] * 5, 2.5) == []


# --- light and objects ----------------------------------------------------------------------


def test_brightness_ramp_interpolates() -> None:
    frame = np.full((2, 4, 3), 100, np.uint8)
    points = [[0, 1.0], [10, 0.5], [20, 0.5]]
    assert np.array_equal(brightness_ramp(frame, 0.0, points), frame)
    assert np.all(brightness_ramp(frame, 5.0, points) == 75)
    assert np.all(brightness_ramp(frame, 15.0, points) == 50)
    assert np.all(brightness_ramp(frame, 99.0, points) == 50)
    bright = brightness_ramp(frame, 0.0, [[0, 3.0]])
    assert np.all(bright == 255)  # clipped, not wrapped


def test_tilt_dims_one_side_more() -> None:
    frame = np.full((1, 10, 3), 200, np.uint8)
    out = apply_gain(frame, 0.5, tilt=0.5)
    row = out[0, :, 0].astype(int)
    assert row[0] > row[-1]
    assert all(np.diff(row) <= 0)
    assert abs(int(out[0, 4:6, 0].mean()) - 100) <= 3


def test_lights_step_jumps() -> None:
    frame = np.full((2, 2), 120, np.uint8)
    steps = [[10, 0.5], [20, 1.0]]
    assert np.all(lights_step(frame, 9.99, steps) == 120)
    assert np.all(lights_step(frame, 10.0, steps) == 60)
    assert np.all(lights_step(frame, 19.0, steps) == 60)
    assert np.all(lights_step(frame, 20.0, steps) == 120)
    assert np.all(lights_step(frame, 0.0, steps, initial=0.25) == 30)


@pytest.mark.parametrize("kind", OBJECT_KINDS)
def test_paste_object_changes_only_its_rectangle(kind: str) -> None:
    rng = np.random.default_rng(1)
    frame = rng.integers(90, 110, (40, 60, 3), dtype=np.uint8)
    before = frame.copy()
    rect = (0.25, 0.25, 0.5, 0.75)
    out = paste_object(frame, kind, rect)
    assert out.shape == frame.shape
    assert out.dtype == np.uint8
    changed = np.asarray(np.any(out != frame, axis=-1), dtype=bool)
    inside = np.zeros(changed.shape, bool)
    inside[10:30, 15:30] = True
    assert not changed[~inside].any()
    assert changed[inside].mean() > 0.3
    assert np.array_equal(frame, before)  # the input is not changed
    grey = paste_object(frame[..., 0], kind, rect)
    assert grey.shape == (40, 60)
    assert np.any(grey != frame[..., 0])


def test_apply_transforms_pastes_only_while_shown() -> None:
    frame = np.full((20, 20, 3), 128, np.uint8)
    transforms: list[dict[str, Any]] = [
        {"type": "paste", "object": "bag", "rect": [0.2, 0.2, 0.8, 0.8], "start": 5, "end": 10},
        {"type": "lights_step", "steps": [[8, 0.5]]},
    ]
    assert np.array_equal(apply_transforms(frame, 4.9, transforms), frame)
    with_bag = apply_transforms(frame, 5.0, transforms)
    assert np.any(with_bag != frame)
    dark = apply_transforms(frame, 8.0, transforms)
    assert dark[0, 0, 0] == 64  # the light dims the whole picture, bag included
    assert dark[10, 10].max() <= with_bag[10, 10].max()
    assert np.array_equal(apply_transforms(frame, 10.0, transforms)[0, 0], [64, 64, 64])
    assert np.array_equal(apply_transforms(frame, 10.0, transforms)[10, 10], [64, 64, 64])


# --- metrics of the benchmark ---------------------------------------------------------------


def test_scores_agreement_episodes_and_latencies() -> None:
    times = [i * 0.5 for i in range(40)]  # 0 .. 19.5 s at 2 fps
    occupied = [(0.0, 5.0), (10.0, 15.0)]  # a cold start, then a second visit
    # the detector is late by 1 s for the second visit and lets go 1.5 s late both times
    flags = [(0 <= t < 6.5) or (11.0 <= t < 16.5) for t in times]
    score = score_zone(times, flags, occupied, 20.0, Score())
    assert episodes(flags) == 2
    assert (score.found, score.expected, score.episode_errors) == (2, 2, 0)
    assert score.entries == 2
    assert score.entry == [0.0, 1.0]
    assert score.exits == 2
    assert score.exit == [1.5, 1.5]
    # 1 s after each of the 3 transitions (5, 10, 15) is left out: 6 of 40 samples
    assert score.counted == 34
    assert score.agree == 34 - 2  # 6.0 and 16.0 are wrong and counted; 10.0, 10.5 ignored
    never = score_zone(times, [False] * 40, occupied, 20.0, Score())
    assert never.entry == []
    assert never.entries == 2
    assert never.exit == [0.0, 0.0]
    stuck = score_zone(times, [True] * 40, occupied, 20.0, Score())
    assert stuck.exit == []
    assert stuck.found == 1
    assert stuck.episode_errors == 1
    assert Score(agree=1, counted=2).key() > Score(agree=1, counted=2, episode_errors=1).key()
