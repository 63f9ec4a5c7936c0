"""The labelled desk-presence corpus: loading ``corpus.json`` and building its clips.

Every clip of ``corpus.json`` is built at run time, into a cache folder outside the repository
(``$QUEPHONG_BENCH_CACHE``, default ``/tmp/quephong-bench``), as a small H.264 MP4 of
``size`` pixels at ``fps`` frames per second.  A clip comes either from

* a real clip of the shared folder (``$QUEPHONG_CLIPS``, default ``../shared/clips``; CC BY 4.0,
  see ``ATTRIBUTION.md`` there), played through a list of *segments*: ``{"play": [a, b]}``
  plays source seconds ``a`` to ``b`` (backwards when ``b < a``) and ``{"pingpong": [a, b],
  "seconds": d}`` plays ``a`` to ``b`` and back again and again for ``d`` seconds; the
  segments are concatenated; or from
* the project's renderer (:func:`devtools.scene.scene_frames`), called with the clip's length
  and the corpus frame rate and size.

Then *transforms* change the frames at output time ``t``: ``paste`` (an object, ``bag``,
``bottle`` or ``papers``, drawn into a normalized rectangle from ``start`` to ``end``),
``brightness_ramp`` (a gain interpolated linearly between ``points`` ``[t, gain]``) and
``lights_step`` (a gain that jumps at ``steps`` ``[t, gain]``, ``initial`` before the first).
Both gains take an optional ``tilt``: the dimming is ``1 + tilt`` times as strong at the right
edge as in the middle and ``1 - tilt`` times at the left edge (daylight from a window).

The labels are part of ``corpus.json``: per zone the occupied intervals in output seconds and
the number of occupied episodes.  For real clips they are derived from labels made on the source
clip (``source.labels``, in source seconds) by :func:`derive_real_labels`; for rendered clips
they are the renderer's ground truth, which :func:`build_clip` checks again while rendering.

``python -m benchmarks.corpus --derive`` prints (``--write``: stores) the labels derived that
way; ``python -m benchmarks.corpus --build`` builds every clip into the cache.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "CORPUS_PATH",
    "OBJECT_KINDS",
    "SITUATIONS",
    "SPLITS",
    "ClipSpec",
    "Corpus",
    "CorpusError",
    "Segment",
    "apply_gain",
    "apply_transforms",
    "brightness_ramp",
    "build_clip",
    "cache_dir",
    "clips_dir",
    "concatenate",
    "derive_real_labels",
    "dump_corpus",
    "intervals_from_flags",
    "lights_step",
    "load_corpus",
    "paste_object",
    "pingpong",
    "pingpong_indices",
    "source_time",
]

ROOT = Path(__file__).resolve().parents[1]
CORPUS_PATH = Path(__file__).with_name("corpus.json")
SITUATIONS: tuple[str, ...] = (
    "visits",
    "long_still",
    "light_ramp",
    "light_step",
    "objects",
    "cold_start",
)
SPLITS: tuple[str, ...] = ("tune", "heldout")
OBJECT_KINDS: tuple[str, ...] = ("bag", "bottle", "papers")
TRANSFORM_TYPES: tuple[str, ...] = ("paste", "brightness_ramp", "lights_step")
# Bump when the way clips are built changes, so that cached clips are rebuilt.
BUILD_VERSION = 2

Rect = tuple[float, float, float, float]
Interval = tuple[float, float]
Frame = npt.NDArray[np.uint8]


class CorpusError(ValueError):
    """corpus.json is malformed or disagrees with a source."""


def cache_dir() -> Path:
    """Folder of the built clips: ``$QUEPHONG_BENCH_CACHE`` or ``/tmp/quephong-bench``."""
    return Path(os.environ.get("QUEPHONG_BENCH_CACHE") or "/tmp/quephong-bench")


def clips_dir() -> Path:
    """Folder of the real clips: ``$QUEPHONG_CLIPS`` or ``../shared/clips`` beside the repo."""
    env = os.environ.get("QUEPHONG_CLIPS")
    return Path(env) if env else ROOT.parent / "shared" / "clips"


# --------------------------------------------------------------------------
# The corpus file
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """One piece of a real clip's timeline, in source seconds."""

    mode: str  # "play" or "pingpong"
    start: float
    end: float
    seconds: float

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Segment:
        """Parse ``{"play": [a, b]}`` or ``{"pingpong": [a, b], "seconds": d}``."""
        if "play" in data:
            a, b = (float(v) for v in data["play"])
            return cls("play", a, b, abs(b - a))
        if "pingpong" in data:
            a, b = (float(v) for v in data["pingpong"])
            return cls("pingpong", a, b, float(data["seconds"]))
        raise CorpusError(f"segment needs 'play' or 'pingpong': {dict(data)}")


@dataclass(frozen=True)
class ClipSpec:
    """One clip of the corpus."""

    id: str
    split: str
    situations: tuple[str, ...]
    seconds: float
    source: Mapping[str, Any]
    transforms: tuple[Mapping[str, Any], ...]
    zones: dict[str, Rect]
    occupied: dict[str, tuple[Interval, ...]]
    episodes: dict[str, int]
    note: str
    raw: Mapping[str, Any] = field(repr=False, compare=False)

    @property
    def is_real(self) -> bool:
        """Whether the clip is made from a real clip (else it is rendered)."""
        return "clip" in self.source

    @property
    def segments(self) -> tuple[Segment, ...]:
        """The timeline of a real clip (empty for rendered clips)."""
        return tuple(Segment.from_json(s) for s in self.source.get("segments", ()))

    @property
    def source_labels(self) -> dict[str, tuple[Interval, ...]]:
        """Labels made on the source clip, in source seconds (real clips only)."""
        labels = self.source.get("labels", {})
        return {str(k): tuple((float(a), float(b)) for a, b in v) for k, v in labels.items()}

    def is_occupied(self, zone: str, t: float) -> bool:
        """The label of ``zone`` at output time ``t``."""
        return any(a <= t < b for a, b in self.occupied[zone])


@dataclass(frozen=True)
class Corpus:
    """All clips, with the frame rate and size the clips are built at."""

    fps: int
    size: tuple[int, int]
    clips: tuple[ClipSpec, ...]

    def get(self, clip_id: str) -> ClipSpec:
        """The clip called ``clip_id``."""
        for clip in self.clips:
            if clip.id == clip_id:
                return clip
        raise KeyError(clip_id)


def _parse_clip(data: Mapping[str, Any]) -> ClipSpec:
    try:
        labels = data["labels"]
        return ClipSpec(
            id=str(data["id"]),
            split=str(data["split"]),
            situations=tuple(str(s) for s in data["situations"]),
            seconds=float(data["seconds"]),
            source=data["source"],
            transforms=tuple(data.get("transforms", ())),
            zones={str(k): (float(v[0]), float(v[1]), float(v[2]), float(v[3]))
                   for k, v in data["zones"].items()},
            occupied={str(k): tuple((float(a), float(b)) for a, b in v["occupied"])
                      for k, v in labels.items()},
            episodes={str(k): int(v["episodes"]) for k, v in labels.items()},
            note=str(data.get("note", "")),
            raw=data,
        )  # fmt: skip
    except (KeyError, TypeError, ValueError, IndexError) as err:
        raise CorpusError(f"clip {data.get('id', '?')!r}: {err!r}") from err


def load_corpus(path: Path = CORPUS_PATH) -> Corpus:
    """Read ``corpus.json``."""
    data = json.loads(Path(path).read_text("utf-8"))
    width, height = (int(v) for v in data["size"])
    return Corpus(
        fps=int(data["fps"]),
        size=(width, height),
        clips=tuple(_parse_clip(c) for c in data["clips"]),
    )


# --------------------------------------------------------------------------
# Timelines: ping-pong and concatenation
# --------------------------------------------------------------------------


def pingpong_indices(n: int, count: int) -> npt.NDArray[np.intp]:
    """Indices ``0, 1, …, n-1, n-2, …, 1, 0, 1, …`` (``count`` of them) into ``n`` frames."""
    if n <= 0 or count < 0:
        raise ValueError("need at least one frame and a non-negative count")
    if n == 1:
        return np.zeros(count, dtype=np.intp)
    period = 2 * (n - 1)
    phase = np.arange(count) % period
    return np.where(phase < n, phase, period - phase).astype(np.intp)


def pingpong(frames: npt.NDArray[Any], count: int) -> npt.NDArray[Any]:
    """``count`` frames of ``frames`` (first axis) played forwards, backwards, forwards…"""
    return frames[pingpong_indices(len(frames), count)]


def concatenate(parts: Sequence[npt.NDArray[Any]]) -> npt.NDArray[Any]:
    """The frames of ``parts`` one after the other (first axis)."""
    return np.concatenate(list(parts), axis=0)


def timeline_seconds(segments: Sequence[Segment]) -> float:
    """Length in seconds of the concatenated segments."""
    return float(sum(s.seconds for s in segments))


def source_time(segments: Sequence[Segment], t: float) -> float:
    """The source time shown at output time ``t`` of the concatenated ``segments``."""
    if not segments:
        raise ValueError("no segments")
    offset = 0.0
    for seg in segments:
        if t < offset + seg.seconds or seg is segments[-1]:
            u = min(max(t - offset, 0.0), seg.seconds)
            span = seg.end - seg.start
            length = abs(span)
            if seg.mode == "pingpong" and length > 0:
                phase = math.fmod(u, 2 * length)
                u = phase if phase <= length else 2 * length - phase
            u = min(u, length)
            return seg.start + math.copysign(u, span) if length else seg.start
        offset += seg.seconds
    raise AssertionError("unreachable")


def output_times(seconds: float, fps: int) -> npt.NDArray[np.float64]:
    """Times of the frames of a clip of ``seconds`` at ``fps``: ``i / fps``."""
    return np.arange(max(1, round(seconds * fps)), dtype=np.float64) / fps


def intervals_from_flags(
    times: Sequence[float] | npt.NDArray[Any], flags: Iterable[bool], end: float
) -> list[Interval]:
    """``[start, end)`` runs where ``flags`` is true; a run ends at the next time or ``end``."""
    out: list[Interval] = []
    start: float | None = None
    ts = [float(t) for t in times]
    for i, flag in enumerate(flags):
        if flag and start is None:
            start = ts[i]
        elif not flag and start is not None:
            out.append((round(start, 3), round(ts[i], 3)))
            start = None
    if start is not None:
        out.append((round(start, 3), round(end, 3)))
    return out


def derive_real_labels(clip: ClipSpec, fps: int) -> dict[str, list[Interval]]:
    """Output-time labels of a real clip from its source labels, sampled at the frame times."""
    segments = clip.segments
    times = output_times(clip.seconds, fps)
    out: dict[str, list[Interval]] = {}
    for zone, spans in clip.source_labels.items():
        flags = []
        for t in times:
            s = source_time(segments, float(t))
            flags.append(any(a <= s < b for a, b in spans))
        out[zone] = intervals_from_flags(times, flags, clip.seconds)
    return out


# --------------------------------------------------------------------------
# Transforms on RGB frames
# --------------------------------------------------------------------------


def apply_gain(frame: Frame, gain: float, tilt: float = 0.0) -> Frame:
    """Multiply ``frame`` by ``gain``; the dimming ``1 - gain`` varies by ``tilt`` left to right."""
    if gain == 1.0:
        return frame
    width = frame.shape[1]
    x = (np.arange(width, dtype=np.float32) + 0.5) / width
    gmap = 1.0 + (gain - 1.0) * (1.0 + tilt * (2.0 * x - 1.0))
    shape = (1, width) + (1,) * (frame.ndim - 2)
    out = frame.astype(np.float32) * np.maximum(gmap, 0.0).reshape(shape)
    np.clip(out + 0.5, 0.0, 255.0, out=out)
    result: Frame = out.astype(np.uint8)
    return result


def ramp_gain(t: float, points: Sequence[Sequence[float]]) -> float:
    """Gain at ``t`` interpolated linearly between ``[t, gain]`` points (held at the ends)."""
    ts = [float(p[0]) for p in points]
    gs = [float(p[1]) for p in points]
    return float(np.interp(t, ts, gs))


def step_gain(t: float, steps: Sequence[Sequence[float]], initial: float = 1.0) -> float:
    """Gain at ``t`` of a gain that jumps to ``gain`` at each ``[t, gain]`` step."""
    gain = initial
    for at, value in steps:
        if t >= at:
            gain = float(value)
    return gain


def brightness_ramp(
    frame: Frame, t: float, points: Sequence[Sequence[float]], tilt: float = 0.0
) -> Frame:
    """``frame`` under a slowly changing light: gain from :func:`ramp_gain`."""
    return apply_gain(frame, ramp_gain(t, points), tilt)


def lights_step(
    frame: Frame,
    t: float,
    steps: Sequence[Sequence[float]],
    initial: float = 1.0,
    tilt: float = 0.0,
) -> Frame:
    """``frame`` under lights switched on or off: gain from :func:`step_gain`."""
    return apply_gain(frame, step_gain(t, steps, initial), tilt)


def _rounded_box(
    xs: npt.NDArray[np.float32],
    ys: npt.NDArray[np.float32],
    box: tuple[float, float, float, float],
    radius: float,
) -> npt.NDArray[np.float32]:
    """Anti-aliased coverage (0–1) of a rounded box ``(x1, y1, x2, y2)`` in pixels."""
    x1, y1, x2, y2 = box
    r = max(0.0, min(radius, (x2 - x1) / 2, (y2 - y1) / 2))
    cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
    hx, hy = (x2 - x1) / 2 - r, (y2 - y1) / 2 - r
    dx = np.maximum(np.abs(xs - cx) - hx, 0.0)
    dy = np.maximum(np.abs(ys - cy) - hy, 0.0)
    dist = np.hypot(dx, dy) - r
    coverage: npt.NDArray[np.float32] = np.clip(0.5 - dist, 0.0, 1.0).astype(np.float32)
    return coverage


def _blend(
    region: npt.NDArray[np.float32], alpha: npt.NDArray[np.float32], color: npt.ArrayLike
) -> None:
    col = np.asarray(color, dtype=np.float32)
    if col.ndim == 1:
        col = col.reshape((1, 1, -1))
    region *= 1.0 - alpha[..., None]
    region += alpha[..., None] * col


def _draw_bag(region: npt.NDArray[np.float32], xs: Any, ys: Any, box: Rect) -> None:
    x1, y1, x2, y2 = box
    bw, bh, cx = x2 - x1, y2 - y1, (x1 + x2) / 2
    shade = 1.0 - 0.25 * (ys - y1) / max(bh, 1.0)  # lit from above
    ring = np.hypot((xs - cx) / (0.32 * bw), (ys - (y1 + 0.32 * bh)) / (0.3 * bh))
    handle = np.clip((0.5 - np.abs(ring - 0.85) * 0.3 * bh), 0.0, 1.0)
    handle *= ys < y1 + 0.32 * bh
    _blend(region, handle.astype(np.float32), (45, 32, 24))
    body = _rounded_box(xs, ys, (x1, y1 + 0.3 * bh, x2, y2), 0.18 * min(bw, bh))
    _blend(region, body, np.stack([84 * shade, 56 * shade, 38 * shade], axis=-1))
    flap = _rounded_box(xs, ys, (x1, y1 + 0.3 * bh, x2, y1 + 0.52 * bh), 0.15 * bw)
    _blend(region, flap * 0.8, (62, 40, 28))
    clasp = (cx - 0.08 * bw, y1 + 0.46 * bh, cx + 0.08 * bw, y1 + 0.58 * bh)
    _blend(region, _rounded_box(xs, ys, clasp, 1.0), (196, 170, 90))


def _draw_bottle(region: npt.NDArray[np.float32], xs: Any, ys: Any, box: Rect) -> None:
    x1, y1, x2, y2 = box
    bw, bh, cx = x2 - x1, y2 - y1, (x1 + x2) / 2
    body = _rounded_box(xs, ys, (x1, y1 + 0.28 * bh, x2, y2), 0.4 * bw)
    neck_box = (cx - 0.22 * bw, y1 + 0.08 * bh, cx + 0.22 * bw, y1 + 0.36 * bh)
    glass = np.maximum(body, _rounded_box(xs, ys, neck_box, 0.15 * bw)) * np.float32(0.8)
    light = 1.0 + 0.25 * np.exp(-(((xs - (x1 + 0.3 * bw)) / (0.15 * bw)) ** 2))
    _blend(region, glass, np.stack([150 * light, 188 * light, 215 * light], axis=-1))
    label = _rounded_box(xs, ys, (x1, y1 + 0.55 * bh, x2, y1 + 0.72 * bh), 0.0)
    _blend(region, np.asarray(label * body * 0.9, dtype=np.float32), (235, 240, 245))
    cap = _rounded_box(xs, ys, (cx - 0.26 * bw, y1, cx + 0.26 * bw, y1 + 0.1 * bh), 1.0)
    _blend(region, cap, (25, 60, 150))


def _draw_papers(region: npt.NDArray[np.float32], xs: Any, ys: Any, box: Rect) -> None:
    x1, y1, x2, y2 = box
    bw, bh = x2 - x1, y2 - y1
    shadow = _rounded_box(xs, ys, (x1 + 0.04 * bw, y1 + 0.12 * bh, x2, y2), 1.0)
    _blend(region, shadow * 0.35, (40, 40, 40))
    sheet = _rounded_box(xs, ys, (x1, y1, x2 - 0.04 * bw, y2 - 0.12 * bh), 0.5)
    _blend(region, sheet, (242, 241, 232))
    lines = (np.fmod(ys - y1, max(bh / 5.0, 2.0)) < max(bh / 12.0, 0.7)).astype(np.float32)
    text_box = (x1 + 0.12 * bw, y1 + 0.18 * bh, x2 - 0.2 * bw, y2 - 0.28 * bh)
    _blend(region, lines * _rounded_box(xs, ys, text_box, 0.0) * 0.6, (90, 90, 96))


_DRAW = {"bag": _draw_bag, "bottle": _draw_bottle, "papers": _draw_papers}


def paste_object(frame: Frame, kind: str, rect: Sequence[float]) -> Frame:
    """A copy of ``frame`` (RGB or grey) with a ``bag``, ``bottle`` or ``papers`` in ``rect``.

    ``rect`` is normalized ``x1, y1, x2, y2``; pixels outside it are left unchanged.
    """
    if kind not in OBJECT_KINDS:
        raise ValueError(f"unknown object {kind!r}; expected one of {OBJECT_KINDS}")
    h, w = frame.shape[:2]
    box = (rect[0] * w, rect[1] * h, rect[2] * w, rect[3] * h)
    c1, r1 = max(0, math.floor(box[0])), max(0, math.floor(box[1]))
    c2, r2 = min(w, math.ceil(box[2])), min(h, math.ceil(box[3]))
    out = frame.copy()
    if c2 <= c1 or r2 <= r1:
        return out
    gray = frame.ndim == 2
    region = frame[r1:r2, c1:c2].astype(np.float32)
    if gray:  # draw in colour, keep the mean
        region = np.repeat(region[..., None], 3, axis=-1)
    ys, xs = np.mgrid[r1:r2, c1:c2].astype(np.float32) + 0.5
    _DRAW[kind](region, xs, ys, box)
    if gray:
        region = region.mean(axis=-1)
    np.clip(region + 0.5, 0.0, 255.0, out=region)
    out[r1:r2, c1:c2] = region.astype(np.uint8)
    return out


def apply_transforms(frame: Frame, t: float, transforms: Sequence[Mapping[str, Any]]) -> Frame:
    """``frame`` at output time ``t`` after the clip's transforms: objects first, then light."""
    out = frame
    for tr in transforms:
        if tr["type"] == "paste" and float(tr["start"]) <= t < float(tr["end"]):
            out = paste_object(out, str(tr["object"]), tr["rect"])
    for tr in transforms:
        kind = tr["type"]
        if kind == "brightness_ramp":
            out = brightness_ramp(out, t, tr["points"], float(tr.get("tilt", 0.0)))
        elif kind == "lights_step":
            out = lights_step(
                out,
                t,
                tr["steps"],
                float(tr.get("initial", 1.0)),
                float(tr.get("tilt", 0.0)),
            )
        elif kind not in TRANSFORM_TYPES:
            raise CorpusError(f"unknown transform {kind!r}")
    return out


# --------------------------------------------------------------------------
# Building clips
# --------------------------------------------------------------------------


def _file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()[:16]


def clip_key(clip: ClipSpec, corpus: Corpus, source_digest: str = "") -> str:
    """A short hash of everything the built clip depends on."""
    spec = {
        "v": BUILD_VERSION,
        "fps": corpus.fps,
        "size": corpus.size,
        "seconds": clip.seconds,
        "source": {k: v for k, v in clip.source.items() if k != "labels"},
        "transforms": list(clip.transforms),
        "digest": source_digest,
    }
    text = json.dumps(spec, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def clip_path(clip: ClipSpec, corpus: Corpus, cache: Path | None = None) -> Path:
    """Where :func:`build_clip` puts ``clip``; ``FileNotFoundError`` if its source is absent."""
    if clip.is_real:
        src = clips_dir() / str(clip.source["clip"])
        if not src.is_file():
            raise FileNotFoundError(src)
        digest = _file_digest(src)
    else:  # the renderer's code is the source
        digest = _file_digest(ROOT / "devtools" / "scene.py")
    folder = cache if cache is not None else cache_dir()
    return folder / f"{clip.id}-{clip_key(clip, corpus, digest)}.mp4"


def _real_frames(clip: ClipSpec, corpus: Corpus) -> Iterator[Frame]:
    """The frames of a real clip's timeline, decoded at the corpus size."""
    import av  # noqa: PLC0415 - only needed to build

    src = clips_dir() / str(clip.source["clip"])
    segments = clip.segments
    if abs(timeline_seconds(segments) - clip.seconds) > 1e-6:
        raise CorpusError(
            f"{clip.id}: segments last {timeline_seconds(segments)} s, not {clip.seconds} s"
        )
    times = output_times(clip.seconds, corpus.fps)
    wanted = np.array([source_time(segments, float(t)) for t in times])
    order = np.argsort(wanted, kind="stable")
    width, height = corpus.size
    chosen: dict[int, Frame] = {}
    index_of = np.zeros(len(times), dtype=np.intp)
    pos = 0
    previous: tuple[int, Frame] | None = None
    with av.open(str(src)) as container:
        for i, frame in enumerate(container.decode(video=0)):
            ts = float(frame.time or 0.0)
            rgb = np.asarray(
                frame.reformat(width=width, height=height, format="rgb24").to_ndarray(),
                dtype=np.uint8,
            )
            # frames shown before this one: those wanted before ``ts`` belong to the previous
            while pos < len(order) and wanted[order[pos]] < ts - 1e-6 and previous is not None:
                index_of[order[pos]] = previous[0]
                chosen[previous[0]] = previous[1]
                pos += 1
            previous = (i, rgb)
    if previous is None:
        raise CorpusError(f"{src}: no frames")
    while pos < len(order):
        index_of[order[pos]] = previous[0]
        chosen[previous[0]] = previous[1]
        pos += 1
    for k in range(len(times)):
        yield chosen[int(index_of[k])]


def _rendered_frames(clip: ClipSpec, corpus: Corpus) -> Iterator[Frame]:
    """The frames of a rendered clip; checks the labels against the renderer's truth."""
    from devtools.scene import scene_frames  # noqa: PLC0415

    render = dict(clip.source["render"])
    truth, frames = scene_frames(
        kind=str(render.pop("kind", "one_stop")),
        seconds=clip.seconds,
        fps=corpus.fps,
        size=corpus.size,
        seed=int(render.pop("seed", 0)),
        visits=render.pop("visits", None),
        citizens=render.pop("citizens", None),
    )
    if render:
        raise CorpusError(f"{clip.id}: unknown renderer options {sorted(render)}")
    check_rendered_labels(clip, truth.desks, truth.occupied, corpus.fps)
    return frames


def rendered_truth(
    clip: ClipSpec, corpus: Corpus
) -> tuple[dict[str, Rect], dict[str, list[Interval]]]:
    """The renderer's zones and occupied intervals for a rendered clip (no frames drawn)."""
    from devtools.scene import scene_frames  # noqa: PLC0415

    render = dict(clip.source["render"])
    truth, _frames = scene_frames(
        kind=str(render.get("kind", "one_stop")),
        seconds=clip.seconds,
        fps=corpus.fps,
        size=corpus.size,
        seed=int(render.get("seed", 0)),
        visits=render.get("visits"),
        citizens=render.get("citizens"),
    )
    return dict(truth.desks), {k: list(v) for k, v in truth.occupied.items()}


def check_rendered_labels(
    clip: ClipSpec,
    desks: Mapping[str, Rect],
    occupied: Mapping[str, Sequence[Interval]],
    fps: int,
) -> None:
    """Raise :class:`CorpusError` unless ``clip``'s zones and labels match the renderer's."""
    tol = 1.0 / fps + 1e-6
    for zone, rect in clip.zones.items():
        if zone not in desks:
            raise CorpusError(f"{clip.id}: zone {zone!r} is not a zone of the rendered scene")
        if max(abs(a - b) for a, b in zip(rect, desks[zone], strict=True)) > 0.002:
            raise CorpusError(f"{clip.id}: zone {zone!r} {rect} differs from {desks[zone]}")
        mine, theirs = clip.occupied[zone], occupied.get(zone, [])
        if len(mine) != len(theirs) or any(
            abs(a0 - b0) > tol or abs(a1 - b1) > tol
            for (a0, a1), (b0, b1) in zip(mine, theirs, strict=True)
        ):
            raise CorpusError(f"{clip.id}: labels of {zone!r} {mine} differ from truth {theirs}")


def _encode(path: Path, frames: Iterable[Frame], fps: int, size: tuple[int, int]) -> int:
    """Encode RGB frames to an H.264 MP4 (written beside and renamed into place)."""
    import av  # noqa: PLC0415

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp.mp4")
    count = 0
    try:
        with av.open(str(tmp), mode="w") as container:
            stream: Any = container.add_stream("libx264", rate=fps)
            stream.width, stream.height = size
            stream.pix_fmt = "yuv420p"
            stream.options = {"crf": "18", "preset": "ultrafast", "threads": "1", "g": str(4 * fps)}
            for rgb in frames:
                vf = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24")
                vf.pts = count
                for packet in stream.encode(vf):
                    container.mux(packet)
                count += 1
            for packet in stream.encode():
                container.mux(packet)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return count


def build_clip(clip: ClipSpec, corpus: Corpus, cache: Path | None = None) -> Path:
    """Build ``clip`` into the cache unless it is there already; return its path.

    Raises ``FileNotFoundError`` when a real clip's source is absent.
    """
    path = clip_path(clip, corpus, cache)
    if path.is_file():
        return path
    frames = _real_frames(clip, corpus) if clip.is_real else _rendered_frames(clip, corpus)
    times = output_times(clip.seconds, corpus.fps)
    transforms = clip.transforms

    def transformed() -> Iterator[Frame]:
        for t, frame in zip(times, frames, strict=False):
            yield apply_transforms(frame, float(t), transforms)

    _encode(path, transformed(), corpus.fps, corpus.size)
    return path


# --------------------------------------------------------------------------
# Command line: derive labels, build clips
# --------------------------------------------------------------------------


def derived_labels(clip: ClipSpec, corpus: Corpus) -> dict[str, list[Interval]]:
    """Labels of ``clip`` derived from its source labels or from the renderer's truth."""
    if clip.is_real:
        return derive_real_labels(clip, corpus.fps)
    _desks, occupied = rendered_truth(clip, corpus)
    return {zone: occupied[zone] for zone in clip.zones}


def dump_corpus(data: Any, indent: int = 0) -> str:
    """``corpus.json`` text: indented objects, short lists on one line."""
    pad = "  " * indent
    inner = "  " * (indent + 1)
    if isinstance(data, Mapping):
        flat = json.dumps(data, ensure_ascii=False)
        if indent > 0 and len(flat) + len(inner) <= 96 and flat.count("{") == 1:
            return flat
        items = [
            f"{inner}{json.dumps(str(k), ensure_ascii=False)}: {dump_corpus(v, indent + 1)}"
            for k, v in data.items()
        ]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}" + ("\n" if indent == 0 else "")
    if isinstance(data, list):
        flat = json.dumps(data, ensure_ascii=False)
        if len(flat) + len(inner) <= 96 and not any(isinstance(v, Mapping) for v in data):
            return flat
        items = [f"{inner}{dump_corpus(v, indent + 1)}" for v in data]
        return "[\n" + ",\n".join(items) + f"\n{pad}]"
    return json.dumps(data, ensure_ascii=False)


def _format_labels(labels: Mapping[str, Sequence[Interval]]) -> str:
    parts = []
    for zone, spans in labels.items():
        text = ", ".join(f"{a:g}-{b:g}" for a, b in spans) or "empty"
        parts.append(f"{zone}: {text} ({len(spans)} episodes)")
    return "; ".join(parts)


def main(argv: Sequence[str] | None = None, out: Callable[[str], None] = print) -> int:
    """``python -m benchmarks.corpus [--derive [--write]] [--build] [--clips ID,...]``."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.corpus")
    parser.add_argument("--derive", action="store_true", help="print the derived labels")
    parser.add_argument("--write", action="store_true", help="store them in corpus.json")
    parser.add_argument("--build", action="store_true", help="build the clips into the cache")
    parser.add_argument("--clips", default="", help="comma-separated clip ids")
    args = parser.parse_args(argv)
    corpus = load_corpus()
    wanted = {c for c in args.clips.split(",") if c}
    clips = [c for c in corpus.clips if not wanted or c.id in wanted]
    if args.derive:
        data = json.loads(CORPUS_PATH.read_text("utf-8"))
        by_id = {c["id"]: c for c in data["clips"]}
        for clip in clips:
            labels = derived_labels(clip, corpus)
            out(f"{clip.id}: {_format_labels(labels)}")
            by_id[clip.id]["labels"] = {
                zone: {"occupied": [list(iv) for iv in spans], "episodes": len(spans)}
                for zone, spans in labels.items()
            }
        if args.write:
            CORPUS_PATH.write_text(dump_corpus(data), encoding="utf-8")
            out(f"wrote {CORPUS_PATH}")
    if args.build:
        for clip in clips:
            try:
                out(f"{clip.id}: {build_clip(clip, corpus)}")
            except FileNotFoundError as err:
                out(f"{clip.id}: skipped, source clip not found ({err})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
