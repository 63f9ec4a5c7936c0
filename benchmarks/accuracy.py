"""Desk-presence accuracy: our engine against three OpenCV baselines on the labelled corpus.

``python -m benchmarks.accuracy [--only tune|heldout] [--clips ID,...] [--fps 2] [--jobs N]``
(normally through ``benchmarks/accuracy``, which makes the environment first).

Every clip of ``benchmarks/corpus.json`` is built into the cache (see
:mod:`benchmarks.corpus`), decoded with PyAV and sampled at ``--fps`` frames per second (the
first frame at or after each instant ``k / fps``, time taken from the video).  Each detector is
made fresh for the clip (a cold start) and fed the same greyscale frames.  Per clip and detector:

* agreement: the fraction of sampled instants (all zones pooled) where the detector says what
  the label says, leaving out the first second after each label transition;
* episodes: occupied runs found by the detector against the labelled ones, summed over zones;
* entry latency: mean seconds from a label going occupied (the clip start counts when a zone is
  occupied from the first frame) to the first sample where the detector says occupied, within
  that occupied interval; ``n/a`` when it never does;
* exit latency: mean seconds from a label going empty to the first sample where the detector
  says empty, before the next visit or the clip end; ``n/a`` when it never does.

A detector is best on a clip when no other has a higher agreement (to 0.1 %), or the same and
fewer episode errors (the sum over zones of ``|found - expected|``).  The engine beats every
baseline on a clip when it is strictly better than each of them in that order.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import importlib
import math
import multiprocessing
import os
import sys
import time
import types
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from benchmarks.corpus import (
    SPLITS,
    ClipSpec,
    Corpus,
    build_clip,
    cache_dir,
    clip_path,
    clips_dir,
    load_corpus,
)

ROOT = Path(__file__).resolve().parents[1]
Rect = tuple[float, float, float, float]
Gray = npt.NDArray[np.uint8]
ENGINE = "engine"
PLACEHOLDER = "engine-PLACEHOLDER"
IGNORE_AFTER_TRANSITION = 1.0


# --------------------------------------------------------------------------
# Our engine
# --------------------------------------------------------------------------


def _import_vision() -> tuple[Any, Any]:
    """The engine's ``zones`` and ``analyzer`` modules, without the integration's HA glue.

    ``custom_components/quephong_office/__init__.py`` imports Home Assistant, which the
    benchmark environment does not have; the pure core does not need it, so the package is
    registered as a bare namespace when Home Assistant is absent.
    """
    name = "custom_components.quephong_office"
    if name not in sys.modules:
        try:
            importlib.import_module("homeassistant")
        except ImportError:
            importlib.import_module("custom_components")
            pkg = types.ModuleType(name)
            pkg.__path__ = [str(ROOT / "custom_components" / "quephong_office")]
            sys.modules[name] = pkg
    zones = importlib.import_module(f"{name}.core.vision.zones")
    analyzer = importlib.import_module(f"{name}.core.vision.analyzer")
    return zones, analyzer


class EngineDetector:
    """Adapter: our :class:`CameraAnalyzer` with default settings, one desk zone per zone."""

    name = ENGINE

    def __init__(self, zones: Mapping[str, Rect]) -> None:
        zmod, amod = _import_vision()
        layout = zmod.ZoneLayout(
            zones=tuple(
                zmod.rect_zone(zone_id, *rect, kind=zmod.ZoneKind.DESK)
                for zone_id, rect in zones.items()
            )
        )
        self.zones = list(zones)
        self.analyzer = amod.CameraAnalyzer(layout, amod.AnalyzerSettings())

    def analysis_size(self, width: int, height: int) -> tuple[int, int]:
        w, h = self.analyzer.analysis_size(width, height)
        return int(w), int(h)

    def process(self, t: float, gray: Gray) -> dict[str, bool]:
        result = self.analyzer.process(t, gray)
        return {zone: bool(result.zones[zone].occupied) for zone in self.zones}


class PlaceholderEngine:
    """Stand-in used only while the engine cannot be imported: always says empty."""

    name = PLACEHOLDER

    def __init__(self, zones: Mapping[str, Rect]) -> None:
        self.zones = list(zones)

    def analysis_size(self, width: int, height: int) -> tuple[int, int]:
        return width, height

    def process(self, t: float, gray: Gray) -> dict[str, bool]:
        return dict.fromkeys(self.zones, False)


def engine_problem() -> str | None:
    """Why the engine cannot be used, or ``None`` when it can."""
    try:
        _import_vision()
    except Exception as err:  # any import failure: use the placeholder
        return f"{type(err).__name__}: {err}"
    return None


def detector_factories(
    names: Sequence[str], use_placeholder: bool
) -> list[Callable[[Mapping[str, Rect]], Any]]:
    """Constructors of the detectors called ``names`` (OpenCV is imported here, not before)."""
    from benchmarks.baselines import BASELINES  # noqa: PLC0415 - needs OpenCV

    out: list[Callable[[Mapping[str, Rect]], Any]] = []
    for name in names:
        if name == ENGINE:
            out.append(PlaceholderEngine if use_placeholder else EngineDetector)
        else:
            out.append(BASELINES[name])
    return out


# --------------------------------------------------------------------------
# Running detectors over a clip
# --------------------------------------------------------------------------


def sample_frames(
    path: Path, fps: float, sizes: Sequence[tuple[int, int]]
) -> Iterator[tuple[float, dict[tuple[int, int], Gray]]]:
    """The first frame at or after each instant ``k / fps``, greyscale at every size asked."""
    import av  # noqa: PLC0415

    step = 1.0 / fps
    k = 0
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            t = float(frame.time or 0.0)
            if t + 1e-6 < k * step:
                continue
            while (k + 1) * step <= t + 1e-6:
                k += 1
            k += 1
            grays = {
                size: frame.reformat(width=size[0], height=size[1], format="gray").to_ndarray()
                for size in sizes
            }
            yield t, grays


@dataclass
class ClipRun:
    """Detector outputs on one clip: per detector, per zone, one flag per sample."""

    clip_id: str
    times: list[float]
    outputs: dict[str, dict[str, list[bool]]]
    ms_per_frame: dict[str, float]
    wall: float
    error: str | None = None


def run_clip(
    clip: ClipSpec, corpus: Corpus, fps: float, names: Sequence[str], use_placeholder: bool
) -> ClipRun:
    """Build ``clip`` if needed and run every detector over it."""
    started = time.monotonic()
    path = build_clip(clip, corpus)
    factories = detector_factories(names, use_placeholder)
    detectors = [make(clip.zones) for make in factories]
    width, height = corpus.size
    sizes = [tuple(d.analysis_size(width, height)) for d in detectors]
    outputs: dict[str, dict[str, list[bool]]] = {n: {z: [] for z in clip.zones} for n in names}
    spent = dict.fromkeys(names, 0.0)
    times: list[float] = []
    for t, grays in sample_frames(path, fps, sorted(set(sizes))):
        times.append(t)
        for name, det, size in zip(names, detectors, sizes, strict=True):
            t0 = time.perf_counter()
            flags = det.process(t, grays[size])
            spent[name] += time.perf_counter() - t0
            for zone in clip.zones:
                outputs[name][zone].append(bool(flags[zone]))
    count = max(len(times), 1)
    return ClipRun(
        clip_id=clip.id,
        times=times,
        outputs=outputs,
        ms_per_frame={n: 1000.0 * spent[n] / count for n in names},
        wall=time.monotonic() - started,
    )


def _worker_init(threads: int) -> None:
    import cv2  # noqa: PLC0415

    cv2.setNumThreads(threads)


def _run_clip_task(
    clip_id: str, fps: float, names: Sequence[str], use_placeholder: bool
) -> ClipRun:
    corpus = load_corpus()
    clip = corpus.get(clip_id)
    try:
        return run_clip(clip, corpus, fps, names, use_placeholder)
    except Exception as err:  # reported in the table; the run goes on
        return ClipRun(clip_id, [], {}, {}, 0.0, error=f"{type(err).__name__}: {err}")


# --------------------------------------------------------------------------
# Metrics
# --------------------------------------------------------------------------


@dataclass
class Score:
    """Metrics of one detector on one clip (zones pooled)."""

    agree: int = 0
    counted: int = 0
    found: int = 0
    expected: int = 0
    episode_errors: int = 0
    entry: list[float] = field(default_factory=list)
    entries: int = 0
    exit: list[float] = field(default_factory=list)
    exits: int = 0

    @property
    def agreement(self) -> float:
        """Fraction of counted samples that agree with the labels."""
        return self.agree / self.counted if self.counted else float("nan")

    def key(self) -> tuple[int, int]:
        """Ordering: agreement to 0.1 %, then fewer episode errors."""
        return round(self.agreement * 1000), -self.episode_errors


def episodes(flags: Sequence[bool]) -> int:
    """Number of runs of ``True``."""
    count = 0
    previous = False
    for flag in flags:
        if flag and not previous:
            count += 1
        previous = flag
    return count


def score_zone(
    times: Sequence[float],
    flags: Sequence[bool],
    occupied: Sequence[tuple[float, float]],
    seconds: float,
    into: Score,
) -> Score:
    """Add one zone's metrics to ``into``."""
    ts = np.asarray(times, dtype=np.float64)
    det = np.asarray(flags, dtype=bool)
    label = np.zeros(len(ts), dtype=bool)
    transitions = []
    for a, b in occupied:
        label |= (ts >= a) & (ts < b)
        if a > 0:
            transitions.append(a)
        if b < seconds:
            transitions.append(b)
    ignored = np.zeros(len(ts), dtype=bool)
    for at in transitions:
        ignored |= (ts >= at) & (ts < at + IGNORE_AFTER_TRANSITION)
    counted = ~ignored
    into.agree += int(np.count_nonzero((det == label) & counted))
    into.counted += int(np.count_nonzero(counted))
    found = episodes(det.tolist())
    into.found += found
    into.expected += len(occupied)
    into.episode_errors += abs(found - len(occupied))
    spans = sorted(occupied)
    for i, (a, b) in enumerate(spans):
        into.entries += 1
        hit = np.nonzero((ts >= a) & (ts < b) & det)[0]
        if hit.size:
            into.entry.append(float(ts[hit[0]] - a))
        if b < seconds:
            into.exits += 1
            until = spans[i + 1][0] if i + 1 < len(spans) else math.inf
            gone = np.nonzero((ts >= b) & (ts < until) & ~det)[0]
            if gone.size:
                into.exit.append(float(ts[gone[0]] - b))
    return into


def score_clip(clip: ClipSpec, run: ClipRun, name: str, zone: str | None = None) -> Score:
    """Metrics of detector ``name`` on ``clip``: all zones pooled, or only ``zone``."""
    score = Score()
    for z in clip.zones if zone is None else [zone]:
        score_zone(run.times, run.outputs[name][z], clip.occupied[z], clip.seconds, score)
    return score


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------


def _latency(values: Sequence[float], total: int) -> str:
    if total == 0:
        return "-"
    if not values:
        return f"n/a (0/{total})"
    return f"{sum(values) / len(values):.1f} s ({len(values)}/{total})"


def _row(label: str, s: Score, ms: str, mark: str = "") -> str:
    return (
        f"   {label:<20}{100 * s.agreement:>9.1f}%{f'{s.found}/{s.expected}':>10}"
        f"{_latency(s.entry, s.entries):>18}{_latency(s.exit, s.exits):>18}{ms:>10}{mark}"
    ).rstrip()


def format_clip(
    clip: ClipSpec,
    run: ClipRun,
    scores: Mapping[str, Score],
    names: Sequence[str],
    per_zone: bool = False,
) -> tuple[list[str], bool | None]:
    """The table of one clip, and whether the engine beats every baseline on it."""
    zones = ", ".join(
        f"{z} ({len(clip.occupied[z])} visit{'s' if len(clip.occupied[z]) != 1 else ''})"
        for z in clip.zones
    )
    lines = [
        f"== {clip.id}  [{clip.split.upper()}]  {', '.join(clip.situations)}",
        f"   {clip.seconds:g} s, {len(run.times)} samples, "
        f"{'real: ' + str(clip.source['clip']) if clip.is_real else 'rendered'}; zones: {zones}",
        f"   {'detector':<20}{'agreement':>10}{'episodes':>10}{'entry latency':>18}"
        f"{'exit latency':>18}{'ms/frame':>10}",
    ]
    best = max(scores[n].key() for n in names)
    for name in names:
        s = scores[name]
        mark = " *" if s.key() == best else ""
        lines.append(_row(name, s, f"{run.ms_per_frame.get(name, 0.0):.1f}", mark))
        if per_zone and len(clip.zones) > 1:
            for zone in clip.zones:
                lines.append(_row(f"  {zone}", score_clip(clip, run, name, zone), ""))
    engine = next((n for n in names if n in (ENGINE, PLACEHOLDER)), None)
    baselines = [n for n in names if n not in (ENGINE, PLACEHOLDER)]
    beats: bool | None = None
    if engine is not None and baselines:
        beats = all(scores[engine].key() > scores[b].key() for b in baselines)
        lines.append(f"   engine beats every baseline: {'YES' if beats else 'no'}")
    return lines, beats


def main(argv: Sequence[str] | None = None) -> int:  # noqa: PLR0915 - one linear report
    """Command line entry point."""
    parser = argparse.ArgumentParser(
        prog="benchmarks/accuracy", description="Desk-presence accuracy benchmark."
    )
    parser.add_argument("--only", choices=SPLITS, help="only the tune or the held-out clips")
    parser.add_argument("--clips", default="", help="comma-separated clip ids")
    parser.add_argument("--fps", type=float, default=2.0, help="analysis rate (default 2)")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument(
        "--detectors",
        default="engine,mog2,motion-30s,hog",
        help="comma-separated: engine, mog2, motion-30s, hog",
    )
    parser.add_argument("--per-zone", action="store_true", help="also a row per zone")
    args = parser.parse_args(argv)
    started = time.monotonic()
    corpus = load_corpus()
    if args.fps <= 0:
        parser.error("--fps must be positive")
    if args.fps > corpus.fps:
        print(f"note: the clips are built at {corpus.fps} fps; sampling every frame")

    wanted = [c for c in args.clips.split(",") if c]
    unknown = sorted(set(wanted) - {c.id for c in corpus.clips})
    if unknown:
        parser.error(f"unknown clips: {', '.join(unknown)}")
    clips = [
        c
        for c in corpus.clips
        if (not wanted or c.id in wanted) and (args.only is None or c.split == args.only)
    ]
    names = [n.strip() for n in args.detectors.split(",") if n.strip()]
    problem = engine_problem() if ENGINE in names else None
    if problem:
        print(f"WARNING: the engine cannot be imported ({problem});")
        print(f"         '{PLACEHOLDER}' (always empty) stands in for it. Not a result.")
    shown = [PLACEHOLDER if (n == ENGINE and problem) else n for n in names]

    source_dir = clips_dir()
    runnable: list[ClipSpec] = []
    skipped: list[str] = []
    for clip in clips:
        try:
            clip_path(clip, corpus)
        except FileNotFoundError:
            skipped.append(clip.id)
            continue
        runnable.append(clip)
    if skipped:
        print(
            f"SKIPPED {len(skipped)} clip(s) made from real footage: {source_dir} is absent or "
            f"incomplete (set QUEPHONG_CLIPS to the folder of the shared clips): "
            f"{', '.join(skipped)}"
        )
    total_seconds = sum(c.seconds for c in runnable)
    print(
        f"Desk-presence accuracy: {len(runnable)} clip(s), {total_seconds / 60:.1f} min of video, "
        f"sampled at {args.fps:g} fps; detectors: {', '.join(shown)}; cache: {cache_dir()}"
    )

    runs: dict[str, ClipRun] = {}
    order = sorted(runnable, key=lambda c: -c.seconds)
    threads = 1 if args.jobs > 1 else max(1, os.cpu_count() or 1)
    if args.jobs > 1 and len(order) > 1:
        ctx = multiprocessing.get_context("spawn")
        with concurrent.futures.ProcessPoolExecutor(
            max_workers=args.jobs, mp_context=ctx, initializer=_worker_init, initargs=(threads,)
        ) as pool:
            futures = {
                pool.submit(_run_clip_task, c.id, args.fps, names, bool(problem)): c.id
                for c in order
            }
            for future in concurrent.futures.as_completed(futures):
                run = future.result()
                runs[run.clip_id] = run
                print(f"  done {run.clip_id} ({run.wall:.0f} s)", flush=True)
    else:
        _worker_init(threads)
        for c in order:
            run = _run_clip_task(c.id, args.fps, names, bool(problem))
            runs[run.clip_id] = run
            print(f"  done {run.clip_id} ({run.wall:.0f} s)", flush=True)

    per_clip: dict[str, dict[str, Score]] = {}
    beats_count = 0
    judged = 0
    failed: list[str] = []
    for clip in runnable:
        run = runs[clip.id]
        print()
        if run.error:
            print(f"== {clip.id}  [{clip.split.upper()}]  FAILED: {run.error}")
            failed.append(clip.id)
            continue
        outputs = {
            (PLACEHOLDER if (n == ENGINE and problem) else n): v for n, v in run.outputs.items()
        }
        run.outputs = outputs
        run.ms_per_frame = {
            (PLACEHOLDER if (n == ENGINE and problem) else n): v
            for n, v in run.ms_per_frame.items()
        }
        scores = {n: score_clip(clip, run, n) for n in shown}
        per_clip[clip.id] = scores
        lines, beats = format_clip(clip, run, scores, shown, args.per_zone)
        print("\n".join(lines))
        if beats is not None:
            judged += 1
            beats_count += int(beats)

    print()
    print("== Summary (* in a table: best or tied on that clip)")
    header = f"   {'detector':<20}{'best/tied':>10}{'tune agreement':>17}{'held-out agreement':>21}"
    print(header)
    scored = [c for c in runnable if c.id in per_clip]
    for name in shown:
        best = 0
        means: dict[str, list[float]] = {split: [] for split in SPLITS}
        for clip in scored:
            scores = per_clip[clip.id]
            top = max(s.key() for s in scores.values())
            best += int(scores[name].key() == top)
            means[clip.split].append(scores[name].agreement)
        cells = [
            f"{100 * sum(v) / len(v):.1f}% ({len(v)})" if v else "-"
            for v in (means["tune"], means["heldout"])
        ]
        print(f"   {name:<20}{f'{best}/{len(scored)}':>10}{cells[0]:>17}{cells[1]:>21}")
    if judged:
        print(f"   engine beats every baseline on {beats_count}/{judged} clips")
    if problem:
        print(f"   (engine results are from the placeholder: {problem})")
    if skipped:
        print(f"   skipped (no source footage): {', '.join(skipped)}")
    if failed:
        print(f"   failed: {', '.join(failed)}")
    print(f"   wall time {time.monotonic() - started:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
