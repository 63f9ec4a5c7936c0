"""Synthetic office scenes for the demo, tests and benchmarks.

The scenes are drawn with numpy only (signed-distance shapes with anti-aliased
edges) and encoded to an H.264 MP4 by piping raw ``rgb24`` frames into an
``ffmpeg`` subprocess.  Every scene is deterministic for a given seed.

Scenes (``kind``):

* ``one_stop``: the public service counter ("bộ phận một cửa") seen from the
  front and slightly above.  Zones ``quay-1`` and ``quay-2`` are the places
  where a seated staff member appears behind each desk.
* ``gate``: the office gate and yard seen from above.  Zone ``cong`` is the
  gate opening; it is occupied while a pedestrian or a motorbike is in it.
* ``hall``: a meeting hall seen from the back.  Zones ``hang-1`` (front row)
  to ``hang-4`` (back row) are the rows of chairs; a row is occupied while
  somebody is seated in it.

The ground truth (zones and occupied intervals) is returned as a
:class:`SceneTruth` and written beside the video as ``<stem>.json``.

CLI::

    python -m devtools.scene OUT.mp4 --kind one_stop --seconds 60 --fps 10 --size 640x360
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

__all__ = ["KINDS", "SceneTruth", "main", "render_scene", "scene_frames"]

KINDS: tuple[str, ...] = ("one_stop", "gate", "hall")

Image = npt.NDArray[np.float32]
Color = tuple[float, ...]
Rect = tuple[float, float, float, float]

_NOISE_SIGMA = 2.0


# --------------------------------------------------------------------------
# Ground truth
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class SceneTruth:
    """Ground truth of a rendered scene.

    ``desks`` maps a zone name to its normalized ``(x1, y1, x2, y2)``
    rectangle; ``occupied`` maps the same names to the ``(start, end)``
    intervals in seconds during which a person is in that zone.
    """

    kind: str
    fps: int
    seconds: float
    size: tuple[int, int]
    desks: dict[str, tuple[float, float, float, float]] = field(default_factory=dict)
    occupied: dict[str, list[tuple[float, float]]] = field(default_factory=dict)

    @property
    def frame_count(self) -> int:
        """Number of frames in the video."""
        return _frame_count(self.seconds, self.fps)

    def is_occupied(self, desk: str, t: float) -> bool:
        """Return whether ``desk`` is occupied at time ``t`` (seconds)."""
        return any(start <= t < end for start, end in self.occupied.get(desk, []))

    def to_json(self) -> str:
        """Serialize to a JSON string."""
        return json.dumps(
            {
                "kind": self.kind,
                "fps": self.fps,
                "seconds": self.seconds,
                "size": list(self.size),
                "desks": {k: list(v) for k, v in self.desks.items()},
                "occupied": {k: [list(iv) for iv in v] for k, v in self.occupied.items()},
            },
            indent=2,
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> SceneTruth:
        """Parse the output of :meth:`to_json`."""
        data = json.loads(text)
        width, height = data["size"]
        return cls(
            kind=str(data["kind"]),
            fps=int(data["fps"]),
            seconds=float(data["seconds"]),
            size=(int(width), int(height)),
            desks={
                str(k): (float(v[0]), float(v[1]), float(v[2]), float(v[3]))
                for k, v in data["desks"].items()
            },
            occupied={
                str(k): [(float(a), float(b)) for a, b in v] for k, v in data["occupied"].items()
            },
        )

    @classmethod
    def load(cls, path: Path) -> SceneTruth:
        """Load the truth written beside ``path`` (video or ``.json`` path)."""
        return cls.from_json(Path(path).with_suffix(".json").read_text("utf-8"))


def _frame_count(seconds: float, fps: int) -> int:
    return max(1, round(seconds * fps))


# --------------------------------------------------------------------------
# Drawing primitives (signed distance fields, anti-aliased)
# --------------------------------------------------------------------------


def _region(
    img: Image, x1: float, y1: float, x2: float, y2: float
) -> tuple[tuple[slice, slice], Image, Image] | None:
    height, width = img.shape[:2]
    ix1 = max(math.floor(x1), 0)
    iy1 = max(math.floor(y1), 0)
    ix2 = min(math.ceil(x2) + 1, width)
    iy2 = min(math.ceil(y2) + 1, height)
    if ix1 >= ix2 or iy1 >= iy2:
        return None
    xs = np.arange(ix1, ix2, dtype=np.float32)[None, :] + 0.5
    ys = np.arange(iy1, iy2, dtype=np.float32)[:, None] + 0.5
    return (slice(iy1, iy2), slice(ix1, ix2)), xs, ys


def _paint(
    img: Image,
    sl: tuple[slice, slice],
    dist: Image,
    color: Color,
    opacity: float,
    soft: float,
) -> None:
    alpha = np.float32(0.5) - dist * np.float32(1.0 / soft)
    np.minimum(alpha, np.float32(1.0), out=alpha)
    np.maximum(alpha, np.float32(0.0), out=alpha)
    if opacity != 1.0:
        alpha *= np.float32(opacity)
    col = np.asarray(color, dtype=np.float32)
    if img.shape[2] == 4 and col.shape[0] == 3:
        col = np.append(col, np.float32(255.0))
    sub = img[sl]
    sub += (col - sub) * alpha[..., None]


def _ellipse(
    img: Image,
    cx: float,
    cy: float,
    rx: float,
    ry: float,
    color: Color,
    *,
    opacity: float = 1.0,
    soft: float = 1.0,
) -> None:
    rx = max(rx, 0.5)
    ry = max(ry, 0.5)
    pad = soft + 1.0
    reg = _region(img, cx - rx - pad, cy - ry - pad, cx + rx + pad, cy + ry + pad)
    if reg is None:
        return
    sl, xs, ys = reg
    px = (xs - cx) / rx
    py = (ys - cy) / ry
    k0 = np.sqrt(px * px + py * py)
    k1 = np.sqrt((px / rx) ** 2 + (py / ry) ** 2)
    dist = k0 * (k0 - 1.0) / np.maximum(k1, 1e-6)
    _paint(img, sl, dist, color, opacity, soft)


def _rbox(
    img: Image,
    x1: float,
    y1: float,
    x2: float,
    y2: float,
    r: float,
    color: Color,
    *,
    opacity: float = 1.0,
    soft: float = 1.0,
) -> None:
    pad = soft + 1.0
    reg = _region(img, x1 - pad, y1 - pad, x2 + pad, y2 + pad)
    if reg is None:
        return
    sl, xs, ys = reg
    hx = max((x2 - x1) / 2, 0.25)
    hy = max((y2 - y1) / 2, 0.25)
    r = min(r, hx, hy)
    qx = np.abs(xs - (x1 + x2) / 2) - (hx - r)
    qy = np.abs(ys - (y1 + y2) / 2) - (hy - r)
    outside = np.sqrt(np.maximum(qx, 0.0) ** 2 + np.maximum(qy, 0.0) ** 2)
    dist = outside + np.minimum(np.maximum(qx, qy), 0.0) - r
    _paint(img, sl, dist, color, opacity, soft)


def _capsule(
    img: Image,
    ax: float,
    ay: float,
    bx: float,
    by: float,
    ra: float,
    rb: float,
    color: Color,
    *,
    opacity: float = 1.0,
    soft: float = 1.0,
) -> None:
    rmax = max(ra, rb) + soft + 1.0
    reg = _region(
        img,
        min(ax, bx) - rmax,
        min(ay, by) - rmax,
        max(ax, bx) + rmax,
        max(ay, by) + rmax,
    )
    if reg is None:
        return
    sl, xs, ys = reg
    bax = bx - ax
    bay = by - ay
    pax = xs - ax
    pay = ys - ay
    h = np.clip((pax * bax + pay * bay) / (bax * bax + bay * bay + 1e-6), 0.0, 1.0)
    dx = pax - bax * h
    dy = pay - bay * h
    dist = np.sqrt(dx * dx + dy * dy) - (ra + (rb - ra) * h)
    _paint(img, sl, dist.astype(np.float32, copy=False), color, opacity, soft)


def _poly(
    img: Image,
    pts: Sequence[tuple[float, float]],
    color: Color,
    *,
    opacity: float = 1.0,
    soft: float = 1.0,
    grow: float = 0.0,
) -> None:
    """Fill a convex polygon."""
    arr = np.asarray(pts, dtype=np.float64)
    pad = soft + 1.0 + grow
    reg = _region(
        img,
        arr[:, 0].min() - pad,
        arr[:, 1].min() - pad,
        arr[:, 0].max() + pad,
        arr[:, 1].max() + pad,
    )
    if reg is None:
        return
    sl, xs, ys = reg
    nxt = np.roll(arr, -1, axis=0)
    area = float(np.sum(arr[:, 0] * nxt[:, 1] - nxt[:, 0] * arr[:, 1]))
    sign = 1.0 if area > 0 else -1.0
    dist: Image | None = None
    for (ax, ay), (bx, by) in zip(arr, nxt, strict=True):
        ex, ey = bx - ax, by - ay
        length = math.hypot(ex, ey)
        if length < 1e-9:
            continue
        nx, ny = sign * ey / length, -sign * ex / length
        d = (xs - ax) * np.float32(nx) + (ys - ay) * np.float32(ny)
        dist = d if dist is None else np.maximum(dist, d)
    if dist is None:
        return
    _paint(img, sl, dist - grow, color, opacity, soft)


def _star(
    img: Image, cx: float, cy: float, r: float, color: Color, *, opacity: float = 1.0
) -> None:
    outer = [
        (
            cx + r * math.cos(math.radians(-90 + 72 * k)),
            cy + r * math.sin(math.radians(-90 + 72 * k)),
        )
        for k in range(5)
    ]
    ri = r * 0.382
    inner = [
        (
            cx + ri * math.cos(math.radians(-54 + 72 * k)),
            cy + ri * math.sin(math.radians(-54 + 72 * k)),
        )
        for k in range(5)
    ]
    _poly(img, inner, color, opacity=opacity, grow=0.4)
    for k in range(5):
        _poly(img, [outer[k], inner[k], inner[k - 1]], color, opacity=opacity, grow=0.4)


def _vgrad(img: Image, x1: int, y1: int, x2: int, y2: int, top: Color, bottom: Color) -> None:
    height, width = img.shape[:2]
    x1, x2 = max(x1, 0), min(x2, width)
    y1c, y2c = max(y1, 0), min(y2, height)
    if x1 >= x2 or y1c >= y2c:
        return
    t = (np.arange(y1c, y2c, dtype=np.float32) - y1) / max(y2 - y1 - 1, 1)
    ctop = np.asarray(top, dtype=np.float32)
    cbot = np.asarray(bottom, dtype=np.float32)
    img[y1c:y2c, x1:x2, : ctop.shape[0]] = (ctop[None, :] + (cbot - ctop)[None, :] * t[:, None])[
        :, None, :
    ]


def _value_noise(
    rng: np.random.Generator,
    height: int,
    width: int,
    cell: float,
    cell_x: float | None = None,
) -> Image:
    """Smooth noise, roughly unit variance, with features of ``cell`` pixels."""
    cell_x = cell if cell_x is None else cell_x
    gh = int(height / cell) + 3
    gw = int(width / cell_x) + 3
    grid = rng.standard_normal((gh, gw)).astype(np.float32)
    fy = np.arange(height, dtype=np.float32) / cell
    fx = np.arange(width, dtype=np.float32) / cell_x
    iy = fy.astype(np.int64)
    ix = fx.astype(np.int64)
    ty = fy - iy
    tx = fx - ix
    ty = ty * ty * (3 - 2 * ty)
    tx = tx * tx * (3 - 2 * tx)
    rows = grid[iy] * (1 - ty)[:, None] + grid[iy + 1] * ty[:, None]
    noise: Image = rows[:, ix] * (1 - tx)[None, :] + rows[:, ix + 1] * tx[None, :]
    return noise.astype(np.float32, copy=False)


def _tiles(
    img: Image,
    y1: int,
    y2: int,
    *,
    vx: float,
    vy: float,
    tile_w: float,
    tile_d: float,
    base: Color,
    grout: Color,
    variation: float,
    x1: int = 0,
    x2: int | None = None,
) -> None:
    """Perspective tiled ground between rows ``y1`` and ``y2``.

    ``tile_w`` and ``tile_d`` are the tile width and depth in pixels at the
    bottom of the image; ``(vx, vy)`` is the vanishing point.
    """
    height, width = img.shape[:2]
    x2 = width if x2 is None else x2
    y1, y2 = max(y1, 0), min(y2, height)
    if y1 >= y2:
        return
    ys = np.arange(y1, y2, dtype=np.float32)[:, None] + 0.5
    xs = np.arange(x1, x2, dtype=np.float32)[None, :] + 0.5
    depth = ys - vy
    ku = (height - vy) / tile_w
    kv = (height - vy) ** 2 / tile_d
    u = (xs - vx) / depth * ku
    v = kv / depth
    du = np.abs(u - np.round(u)) * depth / ku
    dv = np.abs(v - np.round(v)) * depth * depth / kv
    line = np.clip(1.1 - np.minimum(du, dv), 0.0, 1.0) * 0.55
    iu = np.floor(u).astype(np.int64)
    iv = np.floor(v).astype(np.int64)
    jitter = ((iu * 92821 + iv * 68917) % 23).astype(np.float32) / 22.0 - 0.5
    col = np.asarray(base, dtype=np.float32)
    area = col[None, None, :] * (1.0 + variation * jitter)[..., None]
    area += (np.asarray(grout, dtype=np.float32) - area) * line[..., None]
    img[y1:y2, x1:x2, :3] = area


def _fake_text(
    img: Image,
    x1: float,
    y1: float,
    x2: float,
    y2: float,
    color: Color,
    rng: np.random.Generator,
    *,
    lines: int = 1,
    align: str = "center",
) -> None:
    """Blocks that read as text from a distance."""
    line_h = (y2 - y1) / lines
    for i in range(lines):
        cy = y1 + line_h * (i + 0.5)
        glyph_h = line_h * 0.62
        total = (x2 - x1) * (0.95 if i == 0 else rng.uniform(0.55, 0.95))
        words: list[float] = []
        used = 0.0
        while used < total:
            word = glyph_h * rng.uniform(1.4, 4.2)
            words.append(min(word, total - used))
            used += word + glyph_h * 0.7
        width = sum(words) + glyph_h * 0.7 * (len(words) - 1)
        x = x1 + (x2 - x1 - width) / 2 if align == "center" else x1
        for word in words:
            if word > glyph_h * 0.4:
                _rbox(
                    img,
                    x,
                    cy - glyph_h / 2,
                    x + word,
                    cy + glyph_h / 2,
                    glyph_h * 0.2,
                    color,
                    opacity=0.9,
                )
            x += word + glyph_h * 0.7


_SEGMENTS: dict[str, str] = {
    "0": "abcdef",
    "1": "bc",
    "2": "abged",
    "3": "abgcd",
    "4": "fgbc",
    "5": "afgcd",
    "6": "afgedc",
    "7": "abc",
    "8": "abcdefg",
    "9": "abcdfg",
}


def _digits(img: Image, text: str, x: float, y: float, w: float, h: float, color: Color) -> None:
    """Seven-segment digits; ``(x, y)`` is the top-left corner."""
    t = max(w * 0.18, 0.8)
    for ch in text:
        ends = {
            "a": ((x, y), (x + w, y)),
            "b": ((x + w, y), (x + w, y + h / 2)),
            "c": ((x + w, y + h / 2), (x + w, y + h)),
            "d": ((x, y + h), (x + w, y + h)),
            "e": ((x, y + h / 2), (x, y + h)),
            "f": ((x, y), (x, y + h / 2)),
            "g": ((x, y + h / 2), (x + w, y + h / 2)),
        }
        for seg in _SEGMENTS.get(ch, ""):
            (ax, ay), (bx, by) = ends[seg]
            _capsule(img, ax, ay, bx, by, t / 2, t / 2, color)
        x += w * 1.7


def _mix(a: Color, b: Color, t: float) -> Color:
    return tuple(x + (y - x) * t for x, y in zip(a, b, strict=True))


def _scale(c: Color, f: float) -> Color:
    return tuple(min(255.0, x * f) for x in c)


def _new_layer(height: int, width: int) -> Image:
    return np.zeros((height, width, 4), dtype=np.float32)


def _over(dst: Image, layer: Image) -> None:
    """Composite a premultiplied RGBA ``layer`` over ``dst`` (same shape) in place."""
    dst *= 1.0 - layer[..., 3:4] * np.float32(1.0 / 255.0)
    dst += layer[..., :3]


# --------------------------------------------------------------------------
# People and vehicles
# --------------------------------------------------------------------------

_SKINS: tuple[Color, ...] = (
    (226, 186, 152),
    (214, 170, 130),
    (198, 152, 114),
    (232, 198, 166),
    (186, 138, 100),
)
_HAIRS: tuple[Color, ...] = ((28, 22, 20), (40, 31, 27), (56, 42, 33), (22, 20, 22))
_SHIRTS: tuple[Color, ...] = (
    (236, 236, 232),
    (160, 196, 226),
    (46, 66, 118),
    (196, 60, 60),
    (238, 214, 150),
    (96, 140, 96),
    (120, 110, 160),
    (210, 120, 70),
)
_UNIFORMS: tuple[Color, ...] = ((150, 190, 228), (236, 238, 240), (126, 168, 214))
_TROUSERS: tuple[Color, ...] = ((40, 42, 50), (60, 58, 54), (30, 36, 60), (92, 84, 70))
_SHOES: tuple[Color, ...] = ((25, 22, 20), (60, 40, 30), (200, 200, 196))
_BIKE_COLORS: tuple[Color, ...] = (
    (180, 30, 36),
    (30, 60, 140),
    (230, 230, 228),
    (34, 34, 38),
    (200, 150, 40),
)
_HELMETS: tuple[Color, ...] = ((220, 40, 40), (240, 240, 236), (30, 90, 190), (250, 200, 40))


def _pick(rng: np.random.Generator, items: Sequence[Color]) -> Color:
    return items[int(rng.integers(len(items)))]


@dataclass(frozen=True)
class _Look:
    skin: Color
    hair: Color
    shirt: Color
    trousers: Color
    shoes: Color
    long_hair: bool
    long_sleeves: bool
    badge: bool


def _random_look(rng: np.random.Generator, *, staff: bool = False) -> _Look:
    return _Look(
        skin=_pick(rng, _SKINS),
        hair=_pick(rng, _HAIRS),
        shirt=_pick(rng, _UNIFORMS if staff else _SHIRTS),
        trousers=_pick(rng, _TROUSERS),
        shoes=_pick(rng, _SHOES),
        long_hair=bool(rng.random() < 0.5),
        long_sleeves=bool(rng.random() < 0.5),
        badge=staff,
    )


def _head_front(img: Image, look: _Look, hx: float, hy: float, s: float, gaze: float) -> None:
    skin_dark = _scale(look.skin, 0.86)
    _ellipse(img, hx - 9.2 * s, hy + 1.5 * s, 2.0 * s, 3.2 * s, skin_dark)
    _ellipse(img, hx + 9.2 * s, hy + 1.5 * s, 2.0 * s, 3.2 * s, skin_dark)
    _ellipse(img, hx, hy - 3.5 * s, 10.0 * s, 9.6 * s, look.hair)
    _ellipse(img, hx, hy + 1.5 * s, 9.0 * s, 10.6 * s, look.skin)
    # fringe: hair covers the forehead with a parting towards one side
    _ellipse(img, hx - 2.5 * s, hy - 6.8 * s, 7.6 * s, 4.2 * s, look.hair)
    _ellipse(img, hx + 3.5 * s, hy - 7.3 * s, 6.4 * s, 3.6 * s, look.hair)
    gx = gaze * 1.6 * s
    eye = (38.0, 28.0, 26.0)
    for side in (-1.0, 1.0):
        ex = hx + side * 3.5 * s + gx
        _ellipse(img, ex, hy + 0.6 * s, 1.35 * s, 0.95 * s, eye)
        _capsule(
            img,
            ex - 1.6 * s,
            hy - 2.2 * s,
            ex + 1.6 * s,
            hy - 2.4 * s,
            0.45 * s,
            0.45 * s,
            _scale(look.hair, 1.1),
        )
    _ellipse(img, hx + gx * 0.6, hy + 4.2 * s, 1.4 * s, 1.1 * s, skin_dark, opacity=0.8)
    _capsule(
        img,
        hx - 2.3 * s + gx * 0.5,
        hy + 7.2 * s,
        hx + 2.3 * s + gx * 0.5,
        hy + 7.2 * s,
        0.55 * s,
        0.55 * s,
        (160, 84, 84),
    )


def _upper_front(
    img: Image,
    look: _Look,
    cx: float,
    sy: float,
    s: float,
    *,
    head_dx: float = 0.0,
    head_dy: float = 0.0,
    gaze: float = 0.0,
    torso_len: float = 70.0,
) -> None:
    """Torso, neck and head of a person facing the camera; ``sy`` = shoulders."""
    hx = cx + head_dx * s
    hy = sy - 22.5 * s + head_dy * s
    if look.long_hair:
        _rbox(img, hx - 10.5 * s, hy - 4 * s, hx + 10.5 * s, sy + 9 * s, 6 * s, look.hair)
    _rbox(
        img,
        cx - 4.6 * s,
        hy + 5 * s,
        cx + 4.6 * s,
        sy + 5 * s,
        3 * s,
        _scale(look.skin, 0.88),
    )
    bottom = sy + torso_len * s
    _poly(
        img,
        [
            (cx - 19 * s, sy + 3 * s),
            (cx + 19 * s, sy + 3 * s),
            (cx + 16.5 * s, bottom),
            (cx - 16.5 * s, bottom),
        ],
        look.shirt,
    )
    _capsule(img, cx - 14 * s, sy + 5.5 * s, cx + 14 * s, sy + 5.5 * s, 6 * s, 6 * s, look.shirt)
    shade = _scale(look.shirt, 0.8)
    _poly(
        img,
        [
            (cx - 19.5 * s, sy + 8 * s),
            (cx - 14 * s, sy + 8 * s),
            (cx - 12.5 * s, bottom),
            (cx - 17 * s, bottom),
        ],
        shade,
        opacity=0.45,
        soft=3 * s,
    )
    _poly(
        img,
        [
            (cx + 14 * s, sy + 8 * s),
            (cx + 19.5 * s, sy + 8 * s),
            (cx + 17 * s, bottom),
            (cx + 12.5 * s, bottom),
        ],
        shade,
        opacity=0.45,
        soft=3 * s,
    )
    _poly(
        img,
        [(cx - 4.5 * s, sy - 0.5 * s), (cx + 4.5 * s, sy - 0.5 * s), (cx, sy + 7 * s)],
        _scale(look.skin, 0.9),
    )
    collar = _scale(look.shirt, 1.12) if max(look.shirt) < 230 else (250, 250, 250)
    _poly(
        img,
        [
            (cx - 6 * s, sy - 1 * s),
            (cx - 0.5 * s, sy + 7.5 * s),
            (cx - 3 * s, sy + 9 * s),
            (cx - 8.5 * s, sy + 2.5 * s),
        ],
        collar,
    )
    _poly(
        img,
        [
            (cx + 6 * s, sy - 1 * s),
            (cx + 0.5 * s, sy + 7.5 * s),
            (cx + 3 * s, sy + 9 * s),
            (cx + 8.5 * s, sy + 2.5 * s),
        ],
        collar,
    )
    for k in range(3):
        _ellipse(img, cx, sy + (12 + 9 * k) * s, 0.7 * s, 0.7 * s, _scale(look.shirt, 0.7))
    if look.badge:
        _rbox(img, cx + 7 * s, sy + 13 * s, cx + 14 * s, sy + 22 * s, 0.8 * s, (245, 245, 245))
        _rbox(img, cx + 7 * s, sy + 13 * s, cx + 14 * s, sy + 15.5 * s, 0.5 * s, (200, 30, 40))
    _head_front(img, look, hx, hy, s, gaze)


def _elbow(
    sx: float, sy: float, hx: float, hy: float, l1: float, l2: float, out: float
) -> tuple[float, float]:
    """Two-link inverse kinematics; the elbow bends towards side ``out``."""
    dx, dy = hx - sx, hy - sy
    d = max(min(math.hypot(dx, dy), l1 + l2 - 1e-3), 1e-3)
    a = (l1 * l1 - l2 * l2 + d * d) / (2 * d)
    h = math.sqrt(max(l1 * l1 - a * a, 0.0))
    px, py = sx + a * dx / d, sy + a * dy / d
    nx, ny = -dy / d, dx / d
    if nx * out < 0:
        nx, ny = -nx, -ny
    return px + h * nx, py + h * ny


def _arms_front(
    img: Image,
    look: _Look,
    cx: float,
    sy: float,
    s: float,
    hands: tuple[tuple[float, float], tuple[float, float]],
) -> None:
    """Both arms of a person facing the camera; ``hands`` in pixels."""
    for side, (hx, hy) in zip((-1.0, 1.0), hands, strict=True):
        shx, shy = cx + side * 16 * s, sy + 6 * s
        ex, ey = _elbow(shx, shy, hx, hy, 28 * s, 27 * s, side)
        _capsule(img, shx, shy, ex, ey, 5.6 * s, 4.8 * s, look.shirt)
        fore = look.shirt if look.long_sleeves else look.skin
        if not look.long_sleeves:
            _capsule(
                img,
                shx,
                shy,
                ex * 0.25 + shx * 0.75,
                ey * 0.25 + shy * 0.75,
                5.8 * s,
                5.4 * s,
                _scale(look.shirt, 0.95),
            )
        _capsule(img, ex, ey, hx, hy, 4.4 * s, 3.6 * s, fore)
        _ellipse(img, hx, hy, 3.6 * s, 3.2 * s, look.skin)


def _legs_for(phase: float) -> tuple[tuple[float, float], tuple[float, float]]:
    """Thigh and knee angles of both legs for a walking phase (radians)."""
    out = []
    for k in range(2):
        psi = phase + k * math.pi
        thigh = 0.32 * math.sin(psi)
        knee = 0.1 + 0.6 * max(0.0, math.cos(psi))
        out.append((thigh, knee))
    return out[0], out[1]


def _figure_side(
    img: Image,
    look: _Look,
    x: float,
    fy: float,
    s: float,
    facing: float,
    phase: float,
) -> None:
    """A walking person seen from the side; ``(x, fy)`` = feet on the ground."""
    legs = _legs_for(phase)
    pts = []
    lowest = -1e9
    for thigh, knee in legs:
        kx, ky = 44 * s * math.sin(thigh) * facing, 44 * s * math.cos(thigh)
        ax = kx + 43 * s * math.sin(thigh - knee) * facing
        ay = ky + 43 * s * math.cos(thigh - knee)
        pts.append((kx, ky, ax, ay))
        lowest = max(lowest, ay)
    hip_y = fy - 3.5 * s - lowest
    hip_x = x
    sh_x = hip_x + 2.5 * s * facing
    sh_y = hip_y - 52 * s
    _ellipse(img, x, fy, 24 * s, 4.5 * s, (0, 0, 0), opacity=0.22, soft=4 * s)
    order = (1, 0) if math.sin(phase) * facing > 0 else (0, 1)
    arm_swing = (-0.45 * math.sin(phase), -0.45 * math.sin(phase + math.pi))
    far, near = order

    def leg(i: int, dim: float) -> None:
        kx, ky, ax, ay = pts[i]
        col = _scale(look.trousers, dim)
        _capsule(img, hip_x, hip_y, hip_x + kx, hip_y + ky, 7.5 * s, 6.2 * s, col)
        _capsule(img, hip_x + kx, hip_y + ky, hip_x + ax, hip_y + ay, 6.2 * s, 4.8 * s, col)
        _ellipse(
            img,
            hip_x + ax + 4.5 * s * facing,
            hip_y + ay + 1.5 * s,
            7.5 * s,
            3.2 * s,
            _scale(look.shoes, dim),
        )

    def arm(i: int, dim: float) -> None:
        ang = arm_swing[i]
        ex = sh_x + 27 * s * math.sin(ang) * facing
        ey = sh_y + 4 * s + 27 * s * math.cos(ang)
        fa = ang + 0.35 + 0.3 * max(0.0, math.sin(ang))
        hx = ex + 25 * s * math.sin(fa) * facing
        hy = ey + 25 * s * math.cos(fa)
        _capsule(img, sh_x, sh_y + 4 * s, ex, ey, 5.2 * s, 4.6 * s, _scale(look.shirt, dim))
        fore = look.shirt if look.long_sleeves else look.skin
        _capsule(img, ex, ey, hx, hy, 4.2 * s, 3.5 * s, _scale(fore, dim))
        _ellipse(img, hx, hy, 3.4 * s, 3.4 * s, _scale(look.skin, dim))

    arm(far, 0.8)
    leg(far, 0.8)
    _ellipse(img, hip_x, hip_y - 2 * s, 11.5 * s, 9 * s, look.trousers)
    _capsule(img, sh_x, sh_y + 6 * s, hip_x, hip_y - 6 * s, 11.5 * s, 11 * s, look.shirt)
    leg(near, 1.0)
    hx = sh_x + 2.5 * s * facing
    hy = sh_y - 17 * s
    _capsule(
        img, sh_x + 1 * s * facing, sh_y, hx, hy + 6 * s, 4.2 * s, 4.2 * s, _scale(look.skin, 0.88)
    )
    if look.long_hair:
        _rbox(
            img,
            hx - 9 * s - 4 * s * facing,
            hy - 3 * s,
            hx - 4 * s * facing + 4 * s,
            sh_y + 10 * s,
            4 * s,
            look.hair,
        )
    _ellipse(img, hx, hy, 9.8 * s, 11 * s, look.skin)
    _ellipse(img, hx - 1.8 * s * facing, hy - 3.2 * s, 9.6 * s, 8.8 * s, look.hair)
    _ellipse(img, hx + 9.3 * s * facing, hy + 1.5 * s, 1.6 * s, 2.2 * s, look.skin)
    _ellipse(img, hx + 5.5 * s * facing, hy - 0.3 * s, 1.0 * s, 1.0 * s, (40, 30, 28))
    _ellipse(img, hx - 1.5 * s * facing, hy + 1.5 * s, 1.8 * s, 2.8 * s, _scale(look.skin, 0.85))
    arm(near, 1.0)


def _upper_back(
    img: Image,
    look: _Look,
    cx: float,
    sy: float,
    s: float,
    *,
    head_dx: float = 0.0,
    head_dy: float = 0.0,
    turn: float = 0.0,
    torso_len: float = 60.0,
    arms: bool = True,
    arm_phase: float = 0.0,
) -> None:
    """Torso and head of a person seen from behind; ``sy`` = shoulder line."""
    bottom = sy + torso_len * s
    if arms:
        for side in (-1.0, 1.0):
            swing = 2.5 * s * math.sin(arm_phase + (side + 1) * math.pi / 2)
            _capsule(
                img,
                cx + side * 16 * s,
                sy + 6 * s,
                cx + side * 19 * s,
                sy + 32 * s,
                5.6 * s,
                4.8 * s,
                _scale(look.shirt, 0.92),
            )
            fore = look.shirt if look.long_sleeves else look.skin
            _capsule(
                img,
                cx + side * 19 * s,
                sy + 32 * s,
                cx + side * 18 * s,
                sy + 55 * s + swing,
                4.4 * s,
                3.6 * s,
                _scale(fore, 0.92),
            )
            _ellipse(
                img,
                cx + side * 18 * s,
                sy + 57 * s + swing,
                3.4 * s,
                3.8 * s,
                _scale(look.skin, 0.9),
            )
    _poly(
        img,
        [
            (cx - 19 * s, sy + 3 * s),
            (cx + 19 * s, sy + 3 * s),
            (cx + 16 * s, bottom),
            (cx - 16 * s, bottom),
        ],
        look.shirt,
    )
    _capsule(img, cx - 14 * s, sy + 5.5 * s, cx + 14 * s, sy + 5.5 * s, 6 * s, 6 * s, look.shirt)
    _capsule(
        img,
        cx,
        sy + 8 * s,
        cx,
        bottom - 4 * s,
        1.5 * s,
        2.5 * s,
        _scale(look.shirt, 0.85),
        opacity=0.5,
        soft=3 * s,
    )
    hx = cx + head_dx * s
    hy = sy - 22.5 * s + head_dy * s
    _rbox(img, cx - 4.6 * s, hy + 4 * s, cx + 4.6 * s, sy + 5 * s, 3 * s, _scale(look.skin, 0.86))
    _ellipse(img, hx - 9.2 * s, hy + 1.5 * s, 2.0 * s, 3.2 * s, _scale(look.skin, 0.86))
    _ellipse(img, hx + 9.2 * s, hy + 1.5 * s, 2.0 * s, 3.2 * s, _scale(look.skin, 0.86))
    if turn:
        _ellipse(img, hx + turn * 6.5 * s, hy + 2 * s, 4.5 * s, 8.5 * s, look.skin)
    _ellipse(img, hx - turn * 1.5 * s, hy - 0.5 * s, 9.8 * s, 11.2 * s, look.hair)
    _ellipse(
        img,
        hx - 3 * s,
        hy - 6 * s,
        3.5 * s,
        2.5 * s,
        _scale(look.hair, 1.6),
        opacity=0.35,
        soft=2 * s,
    )
    if look.long_hair:
        _rbox(img, hx - 9.5 * s, hy, hx + 9.5 * s, sy + 16 * s, 5 * s, look.hair)


def _figure_back(
    img: Image,
    look: _Look,
    x: float,
    fy: float,
    s: float,
    *,
    sway: float = 0.0,
    phase: float = 0.0,
) -> None:
    """A standing or walking person seen from behind; ``(x, fy)`` = feet."""
    lift = (3.0 * s * max(0.0, math.sin(phase)), 3.0 * s * max(0.0, -math.sin(phase)))
    hip_y = fy - 90 * s
    sy = fy - 140 * s
    _ellipse(img, x, fy, 22 * s, 5 * s, (0, 0, 0), opacity=0.22, soft=4 * s)
    for side, up in zip((-1.0, 1.0), lift, strict=True):
        _capsule(
            img,
            x + side * 7 * s,
            hip_y,
            x + side * 7.5 * s,
            fy - 6 * s - up,
            7.5 * s,
            5.5 * s,
            look.trousers,
        )
        _ellipse(img, x + side * 7.5 * s, fy - 3 * s - up, 5 * s, 3.5 * s, look.shoes)
    _rbox(img, x - 16 * s, hip_y - 14 * s, x + 16 * s, hip_y + 8 * s, 6 * s, look.trousers)
    _upper_back(img, look, x + sway * s, sy, s, torso_len=46, arm_phase=phase, head_dx=0.3 * sway)


def _figure_front(
    img: Image, look: _Look, x: float, fy: float, s: float, *, phase: float = 0.0
) -> None:
    """A person walking towards the camera; ``(x, fy)`` = feet."""
    hip_y = fy - 90 * s
    sy = fy - 140 * s + 1.0 * s * abs(math.cos(phase))
    _ellipse(img, x, fy, 22 * s, 5 * s, (0, 0, 0), opacity=0.22, soft=4 * s)
    for k, side in enumerate((-1.0, 1.0)):
        fwd = math.sin(phase + k * math.pi)
        foot_y = fy - 4 * s + 4 * s * fwd
        _capsule(
            img,
            x + side * 7 * s,
            hip_y,
            x + side * 7.5 * s,
            foot_y - 3 * s,
            7.5 * s,
            5.5 * s,
            _scale(look.trousers, 0.9 + 0.1 * fwd),
        )
        _ellipse(img, x + side * 7.5 * s, foot_y, 5 * s, 4 * s, look.shoes)
    _rbox(img, x - 16 * s, hip_y - 14 * s, x + 16 * s, hip_y + 8 * s, 6 * s, look.trousers)
    hands = []
    for k, side in enumerate((-1.0, 1.0)):
        fwd = math.sin(phase + k * math.pi + math.pi)
        hands.append((x + side * 19 * s, sy + 54 * s + 4 * s * fwd))
    _upper_front(img, look, x, sy, s, torso_len=48, gaze=0.0)
    _arms_front(img, look, x, sy, s, (hands[0], hands[1]))


def _motorbike(
    img: Image,
    x: float,
    gy: float,
    s: float,
    facing: float,
    body: Color,
    helmet: Color,
    rider: _Look | None,
    phase: float,
) -> None:
    """A motorbike (with its rider) seen from the side; ``(x, gy)`` = ground."""
    f = facing
    _ellipse(img, x, gy - 2 * s, 100 * s, 11 * s, (0, 0, 0), opacity=0.28, soft=5 * s)
    wheel_r = 27 * s
    for wx in (x - 62 * s * f, x + 62 * s * f):
        _ellipse(img, wx, gy - wheel_r, wheel_r, wheel_r, (26, 26, 28))
        _ellipse(img, wx, gy - wheel_r, wheel_r * 0.58, wheel_r * 0.58, (150, 150, 155))
        _ellipse(img, wx, gy - wheel_r, wheel_r * 0.22, wheel_r * 0.22, (60, 60, 64))
        ang = phase * 3.0
        _capsule(
            img,
            wx - math.cos(ang) * wheel_r * 0.5,
            gy - wheel_r - math.sin(ang) * wheel_r * 0.5,
            wx + math.cos(ang) * wheel_r * 0.5,
            gy - wheel_r + math.sin(ang) * wheel_r * 0.5,
            1.2 * s,
            1.2 * s,
            (90, 90, 95),
        )
    _capsule(
        img, x - 62 * s * f, gy - wheel_r, x - 10 * s * f, gy - 42 * s, 5 * s, 5 * s, (70, 70, 74)
    )
    _capsule(
        img,
        x + 62 * s * f,
        gy - wheel_r,
        x + 44 * s * f,
        gy - 95 * s,
        3.5 * s,
        3.5 * s,
        (120, 120, 126),
    )
    _capsule(img, x - 70 * s * f, gy - 58 * s, x + 28 * s * f, gy - 48 * s, 15 * s, 13 * s, body)
    _capsule(img, x + 30 * s * f, gy - 45 * s, x + 50 * s * f, gy - 82 * s, 11 * s, 9 * s, body)
    _ellipse(img, x + 58 * s * f, gy - 80 * s, 5 * s, 6 * s, (250, 245, 210))
    _capsule(
        img, x - 62 * s * f, gy - 72 * s, x + 4 * s * f, gy - 70 * s, 7 * s, 6 * s, (30, 30, 32)
    )
    _capsule(
        img,
        x + 40 * s * f,
        gy - 98 * s,
        x + 52 * s * f,
        gy - 95 * s,
        2.5 * s,
        2.5 * s,
        (40, 40, 44),
    )
    if rider is None:
        return
    hip = (x - 22 * s * f, gy - 80 * s)
    knee = (x + 16 * s * f, gy - 82 * s)
    foot = (x + 14 * s * f, gy - 44 * s)
    _capsule(img, hip[0], hip[1], knee[0], knee[1], 9 * s, 7.5 * s, rider.trousers)
    _capsule(img, knee[0], knee[1], foot[0], foot[1], 7.5 * s, 6 * s, rider.trousers)
    _ellipse(img, foot[0] + 4 * s * f, foot[1] + 2 * s, 7 * s, 3.5 * s, rider.shoes)
    sh = (x - 14 * s * f, gy - 128 * s)
    _capsule(img, hip[0], hip[1] - 4 * s, sh[0], sh[1], 12 * s, 11.5 * s, rider.shirt)
    _capsule(
        img,
        sh[0],
        sh[1] + 4 * s,
        x + 22 * s * f,
        gy - 104 * s,
        5 * s,
        4.5 * s,
        _scale(rider.shirt, 0.9),
    )
    _capsule(
        img, x + 22 * s * f, gy - 104 * s, x + 44 * s * f, gy - 97 * s, 4.2 * s, 3.6 * s, rider.skin
    )
    hx, hy = sh[0] + 4 * s * f, sh[1] - 18 * s
    _ellipse(img, hx, hy, 12.5 * s, 12 * s, helmet)
    _ellipse(img, hx + 7 * s * f, hy + 1.5 * s, 6 * s, 5.5 * s, (40, 44, 52))
    _ellipse(img, hx - 3 * s * f, hy - 5 * s, 4 * s, 2.5 * s, (255, 255, 255), opacity=0.35)


# --------------------------------------------------------------------------
# Actors: piecewise-linear tracks with a sitting parameter
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _State:
    x: float
    y: float
    sit: float
    vx: float
    vy: float
    dist: float

    @property
    def moving(self) -> bool:
        return abs(self.vx) + abs(self.vy) > 1e-6


class _Track:
    """Keyframes ``(t, x, y, sit)``; the actor exists between the first and last."""

    def __init__(self, t: float, x: float, y: float, sit: float = 0.0) -> None:
        self.keys: list[tuple[float, float, float, float]] = [(t, x, y, sit)]

    @property
    def end(self) -> float:
        return self.keys[-1][0]

    def _add(self, dt: float, x: float, y: float, sit: float) -> _Track:
        self.keys.append((self.end + max(dt, 1e-3), x, y, sit))
        return self

    def walk_to(self, x: float, y: float, speed: float, max_dur: float) -> _Track:
        _, x0, y0, sit = self.keys[-1]
        dur = min(math.hypot(x - x0, y - y0) / speed, max_dur)
        return self._add(dur, x, y, sit)

    def sit(self, dur: float, level: float = 1.0) -> _Track:
        _, x0, y0, _ = self.keys[-1]
        return self._add(dur, x0, y0, level)

    def until(self, t: float) -> _Track:
        _, x0, y0, sit = self.keys[-1]
        return self._add(t - self.end, x0, y0, sit)

    def at(self, t: float) -> _State | None:
        keys = self.keys
        if t < keys[0][0] or t > keys[-1][0]:
            return None
        dist = 0.0
        for (t0, x0, y0, s0), (t1, x1, y1, s1) in itertools.pairwise(keys):
            seg = math.hypot(x1 - x0, y1 - y0)
            if t <= t1:
                u = (t - t0) / (t1 - t0)
                su = u * u * (3 - 2 * u)
                return _State(
                    x=x0 + (x1 - x0) * u,
                    y=y0 + (y1 - y0) * u,
                    sit=s0 + (s1 - s0) * su,
                    vx=(x1 - x0) / (t1 - t0),
                    vy=(y1 - y0) / (t1 - t0),
                    dist=dist + seg * u,
                )
            dist += seg
        _, x_last, y_last, s_last = keys[-1]
        return _State(x_last, y_last, s_last, 0.0, 0.0, dist)


class _Schedule:
    """Several visits of one actor, one :class:`_Track` each; the first active track wins."""

    def __init__(self, tracks: Sequence[_Track]) -> None:
        self.tracks = list(tracks)

    def at(self, t: float) -> _State | None:
        for track in self.tracks:
            st = track.at(t)
            if st is not None:
                return st
        return None


def _check_spans(what: str, spans: Sequence[tuple[float, float]]) -> None:
    """Raise ``ValueError`` unless ``spans`` are ``(start, end)`` pairs, sorted and disjoint."""
    previous = -math.inf
    for start, end in spans:
        if not start < end:
            raise ValueError(f"{what}: empty span ({start}, {end})")
        if start < previous:
            raise ValueError(f"{what}: spans must be sorted and must not overlap")
        previous = end


def _wave(t: float, freqs: Sequence[tuple[float, float, float]]) -> float:
    """Sum of sines ``amp * sin(2*pi*f*t + phase)``."""
    return sum(a * math.sin(2 * math.pi * f * t + p) for a, f, p in freqs)


# --------------------------------------------------------------------------
# Scenes
# --------------------------------------------------------------------------


class _Scene:
    """Base class: static layers, per-frame actors, lighting and sensor noise."""

    def __init__(self, width: int, height: int, seconds: float, fps: int, seed: int) -> None:
        self.w = width
        self.h = height
        self.seconds = seconds
        self.fps = fps
        self.seed = seed
        self.s0 = height / 360.0
        self.rng = np.random.default_rng([seed, 11])
        self.light_phase = float(self.rng.uniform(0, 2 * math.pi))

    # to override ---------------------------------------------------------
    def draw(self, t: float) -> Image:
        """Return a fresh float32 RGB frame for time ``t``."""
        raise NotImplementedError

    def zones_px(self) -> dict[str, Rect]:
        """Zones in pixels."""
        raise NotImplementedError

    def occupancy(self, t: float) -> dict[str, bool]:
        """Which zones are occupied at time ``t``."""
        raise NotImplementedError

    # shared --------------------------------------------------------------
    def gain(self, t: float) -> npt.NDArray[np.float32]:
        g = 1.0 + 0.045 * math.sin(2 * math.pi * t / 47.0 + self.light_phase)
        g += 0.015 * math.sin(2 * math.pi * t / 13.0 + 2 * self.light_phase)
        warm = 0.012 * math.sin(2 * math.pi * t / 71.0 + self.light_phase)
        return np.array([g * (1 + warm), g, g * (1 - warm)], dtype=np.float32)

    def frames(self, count: int) -> Iterator[npt.NDArray[np.uint8]]:
        rng = np.random.default_rng([self.seed, 99])
        shape = (self.h, self.w, 3)
        size = self.h * self.w * 3
        # Drawing fresh gaussian noise costs more than the whole scene; take a
        # random window of a pre-drawn pool instead (still i.i.d. per pixel).
        pool = rng.standard_normal(size + (1 << 20), dtype=np.float32)
        pool *= np.float32(_NOISE_SIGMA)
        for i in range(count):
            t = i / self.fps
            frame = self.draw(t)
            frame *= self.gain(t)
            start = int(rng.integers(0, pool.shape[0] - size))
            frame += pool[start : start + size].reshape(shape)
            np.clip(frame, 0.0, 254.5, out=frame)
            frame += 0.5
            yield frame.astype(np.uint8)

    def truth(self, kind: str, count: int) -> SceneTruth:
        zones = self.zones_px()
        desks = {
            name: (
                round(max(0.0, x1 / self.w), 4),
                round(max(0.0, y1 / self.h), 4),
                round(min(1.0, x2 / self.w), 4),
                round(min(1.0, y2 / self.h), 4),
            )
            for name, (x1, y1, x2, y2) in zones.items()
        }
        occupied: dict[str, list[tuple[float, float]]] = {name: [] for name in zones}
        start: dict[str, float | None] = dict.fromkeys(zones)
        for i in range(count + 1):
            t = i / self.fps
            occ = self.occupancy(t) if i < count else dict.fromkeys(zones, False)
            for name in zones:
                begun = start[name]
                if occ[name] and begun is None:
                    start[name] = t
                elif not occ[name] and begun is not None:
                    occupied[name].append((round(begun, 3), round(min(t, self.seconds), 3)))
                    start[name] = None
        return SceneTruth(
            kind=kind,
            fps=self.fps,
            seconds=self.seconds,
            size=(self.w, self.h),
            desks=desks,
            occupied=occupied,
        )


class _OneStop(_Scene):
    """Public service counter with two desks seen from the front.

    By default staff member 1 stays from about 4 % to 74 % of the clip, staff member 2 from
    34 % to 50 %, and one citizen waits in front of desk 1 in between.  ``visits`` replaces the
    staff schedule: per desk, ``(arrive, leave)`` pairs in seconds, where ``arrive`` is when the
    staff member has sat down (``<= 0``: already seated when the clip starts) and ``leave`` is
    when they start to stand up (``>= seconds``: still there at the end); desks not named stay
    empty.  ``citizens`` replaces the citizens: ``(arrive, leave, desk)`` triples; the citizen
    stands in front of that desk, a little to its right, from ``arrive`` to ``leave``.
    """

    def __init__(
        self,
        width: int,
        height: int,
        seconds: float,
        fps: int,
        seed: int,
        *,
        visits: Mapping[str, Sequence[tuple[float, float]]] | None = None,
        citizens: Sequence[tuple[float, float, str]] | None = None,
    ) -> None:
        super().__init__(width, height, seconds, fps, seed)
        w, h, s0 = width, height, self.s0
        rng = self.rng
        self.y_c = 0.56 * h  # near edge of the counter top
        self.surf_top = self.y_c - 12 * s0
        self.s_staff = 1.1 * s0
        self.sy_seat = self.surf_top - 40 * s0
        self.sy_stand = self.sy_seat - 38 * s0
        self.desk_x = {"quay-1": 0.27 * w, "quay-2": 0.70 * w}
        self.looks = {
            "quay-1": _random_look(rng, staff=True),
            "quay-2": _random_look(rng, staff=True),
        }
        self.visitor_look = _random_look(rng)
        self.phases = {name: rng.uniform(0, 2 * math.pi, 8) for name in self.desk_x}
        total = seconds
        walk_max = min(0.08 * total, 4.0)
        sit_dur = min(1.2, 0.03 * total)
        speed = 0.2 * w
        x1 = self.desk_x["quay-1"]
        x2 = self.desk_x["quay-2"]
        self.tracks: dict[str, _Track | _Schedule] = {
            "quay-1": _Track(0.04 * total, -0.08 * w, 0.0)
            .walk_to(x1, 0.0, speed, walk_max)
            .sit(sit_dur)
            .until(0.74 * total)
            .sit(sit_dur, 0.0)
            .walk_to(-0.08 * w, 0.0, speed, walk_max),
            "quay-2": _Track(0.34 * total, 1.08 * w, 0.0)
            .walk_to(x2, 0.0, speed, walk_max)
            .sit(sit_dur)
            .until(0.50 * total)
            .sit(sit_dur, 0.0)
            .walk_to(1.08 * w, 0.0, speed, walk_max),
        }
        self.visitor = (
            _Track(0.55 * total, 1.1 * w, 0.0)
            .walk_to(x1 + 0.1 * w, 0.0, 0.22 * w, min(0.07 * total, 4.0))
            .until(0.64 * total)
            .walk_to(-0.12 * w, 0.0, 0.22 * w, min(0.07 * total, 4.0))
        )
        self.visitors: list[tuple[_Track, _Look]] = [(self.visitor, self.visitor_look)]
        if visits is not None:
            self.tracks = self._scheduled_staff(visits)
        if citizens is not None:
            self.visitors = self._scheduled_citizens(citizens)
        self.back, self.surf, self.front = self._build_static(rng)
        self.full = self.back.copy()
        _over(self.full, self.surf)
        _over(self.full, self.front)

    # schedules -------------------------------------------------------------
    def _scheduled_staff(
        self, visits: Mapping[str, Sequence[tuple[float, float]]]
    ) -> dict[str, _Track | _Schedule]:
        """Tracks for explicit ``(arrive, leave)`` visits per desk (see the class docstring)."""
        w = self.w
        speed, walk_max, sit_dur = 0.2 * w, 4.0, 1.2
        unknown = set(visits) - set(self.desk_x)
        if unknown:
            raise ValueError(f"unknown desks {sorted(unknown)}; expected {sorted(self.desk_x)}")
        out: dict[str, _Track | _Schedule] = {}
        for name, x in self.desk_x.items():
            spans = [(float(a), float(b)) for a, b in visits.get(name, ())]
            _check_spans(f"visits[{name!r}]", spans)
            side = -0.08 * w if x < 0.5 * w else 1.08 * w
            walk = min(abs(x - side) / speed, walk_max)
            tracks = []
            for arrive, leave in spans:
                if arrive <= 0:
                    track = _Track(-1.0, x, 0.0, 1.0)
                else:
                    track = (
                        _Track(arrive - walk - sit_dur, side, 0.0)
                        .walk_to(x, 0.0, speed, walk_max)
                        .sit(sit_dur)
                    )
                if leave >= self.seconds:
                    track.until(self.seconds + 1.0)
                else:
                    track.until(leave).sit(sit_dur, 0.0).walk_to(side, 0.0, speed, walk_max)
                tracks.append(track)
            out[name] = _Schedule(tracks)
        return out

    def _scheduled_citizens(
        self, citizens: Sequence[tuple[float, float, str]]
    ) -> list[tuple[_Track, _Look]]:
        """Tracks and looks for explicit ``(arrive, leave, desk)`` citizen visits."""
        w = self.w
        speed, walk_max = 0.22 * w, 4.0
        rng = np.random.default_rng([self.seed, 23])
        out = []
        for arrive, leave, desk in citizens:
            if desk not in self.desk_x:
                raise ValueError(f"unknown desk {desk!r}; expected {sorted(self.desk_x)}")
            _check_spans("citizens", [(float(arrive), float(leave))])
            x = self.desk_x[desk] + 0.1 * w
            walk = min(abs(1.1 * w - x) / speed, walk_max)
            track = (
                _Track(float(arrive) - walk, 1.1 * w, 0.0)
                .walk_to(x, 0.0, speed, walk_max)
                .until(float(leave))
                .walk_to(-0.12 * w, 0.0, speed, walk_max)
            )
            out.append((track, _random_look(rng)))
        return out

    # static ----------------------------------------------------------------
    def _build_static(self, rng: np.random.Generator) -> tuple[Image, Image, Image]:
        back = self._draw_room(rng)
        self._draw_signs(back, rng)
        self._draw_wall_decor(back, rng)
        self._draw_furniture(back)
        surf, front = self._draw_counter(rng)
        return back, surf, front

    def _draw_room(self, rng: np.random.Generator) -> Image:
        """Wall, tiled floor and skirting, with a soft vignette."""
        w, h, s0 = self.w, self.h, self.s0
        back = np.zeros((h, w, 3), dtype=np.float32)
        y_floor = int(0.62 * h)
        _vgrad(back, 0, 0, w, y_floor, (238, 228, 200), (224, 212, 182))
        back[:y_floor] *= (1.0 + 0.018 * _value_noise(rng, y_floor, w, 24 * s0))[..., None]
        _tiles(
            back,
            y_floor,
            h,
            vx=w / 2,
            vy=0.30 * h,
            tile_w=0.11 * w,
            tile_d=0.05 * w,
            base=(206, 200, 190),
            grout=(160, 154, 146),
            variation=0.05,
        )
        _vgrad(back, 0, y_floor, w, y_floor + int(10 * s0), (150, 146, 140), (196, 190, 180))
        _rbox(back, -5, y_floor - 7 * s0, w + 5, y_floor + 1, 0, (120, 84, 56))
        # ceiling light reflection and vignette
        yy = np.linspace(-1, 1, h, dtype=np.float32)[:, None]
        xx = np.linspace(-1, 1, w, dtype=np.float32)[None, :]
        back *= (1.0 - 0.10 * (xx * xx) - 0.06 * (yy + 0.3) ** 2)[..., None]

        return back

    def _draw_signs(self, back: Image, rng: np.random.Generator) -> None:
        """Banner, desk signs and the queue number display."""
        w, h, s0 = self.w, self.h, self.s0
        # banner sign
        bx1, bx2, by1, by2 = 0.29 * w, 0.71 * w, 0.045 * h, 0.145 * h
        _rbox(
            back,
            bx1 + 2 * s0,
            by1 + 3 * s0,
            bx2 + 2 * s0,
            by2 + 3 * s0,
            2 * s0,
            (0, 0, 0),
            opacity=0.18,
            soft=4 * s0,
        )
        _rbox(back, bx1, by1, bx2, by2, 2 * s0, (176, 22, 34))
        _rbox(
            back,
            bx1 + 3 * s0,
            by1 + 3 * s0,
            bx2 - 3 * s0,
            by2 - 3 * s0,
            1.5 * s0,
            (242, 190, 40),
            opacity=0.9,
        )
        _rbox(
            back,
            bx1 + 4.2 * s0,
            by1 + 4.2 * s0,
            bx2 - 4.2 * s0,
            by2 - 4.2 * s0,
            1 * s0,
            (176, 22, 34),
        )
        _ellipse(back, bx1 + 16 * s0, (by1 + by2) / 2, 10 * s0, 10 * s0, (242, 190, 40))
        _star(back, bx1 + 16 * s0, (by1 + by2) / 2, 7 * s0, (176, 22, 34))
        _fake_text(
            back,
            bx1 + 32 * s0,
            by1 + 7 * s0,
            bx2 - 10 * s0,
            by2 - 7 * s0,
            (250, 214, 90),
            rng,
            lines=2,
        )
        # desk signs
        for k, cx in enumerate(self.desk_x.values()):
            px1, px2, py1, py2 = cx - 0.075 * w, cx + 0.075 * w, 0.185 * h, 0.255 * h
            _rbox(
                back,
                px1 + 1.5 * s0,
                py1 + 2 * s0,
                px2 + 1.5 * s0,
                py2 + 2 * s0,
                2 * s0,
                (0, 0, 0),
                opacity=0.16,
                soft=3 * s0,
            )
            _rbox(back, px1, py1, px2, py2, 2 * s0, (24, 78, 156))
            _fake_text(
                back, px1 + 5 * s0, py1 + 5 * s0, px2 - 26 * s0, py2 - 5 * s0, (245, 245, 245), rng
            )
            dh = (py2 - py1) - 10 * s0
            _digits(back, str(k + 1), px2 - 18 * s0, py1 + 5 * s0, dh * 0.5, dh, (255, 255, 255))
        # queue number display
        qx1, qx2, qy1, qy2 = 0.455 * w, 0.545 * w, 0.19 * h, 0.265 * h
        _rbox(back, qx1, qy1, qx2, qy2, 2 * s0, (22, 22, 26))
        _rbox(back, qx1 + 2 * s0, qy1 + 2 * s0, qx2 - 2 * s0, qy2 - 2 * s0, 1 * s0, (40, 12, 12))
        dh = (qy2 - qy1) - 10 * s0
        _digits(back, "018", qx1 + 7 * s0, qy1 + 5 * s0, dh * 0.45, dh, (255, 70, 50))

    def _draw_wall_decor(self, back: Image, rng: np.random.Generator) -> None:
        """Notice board, window with blinds and the wall clock."""
        w, h, s0 = self.w, self.h, self.s0
        # notice board with papers
        nx1, nx2, ny1, ny2 = 0.025 * w, 0.125 * w, 0.17 * h, 0.43 * h
        _rbox(back, nx1, ny1, nx2, ny2, 2 * s0, (120, 86, 54))
        _rbox(back, nx1 + 3 * s0, ny1 + 3 * s0, nx2 - 3 * s0, ny2 - 3 * s0, 1 * s0, (186, 148, 100))
        for i in range(2):
            for j in range(2):
                qx = nx1 + 6 * s0 + j * (nx2 - nx1 - 12 * s0) / 2
                qy = ny1 + 6 * s0 + i * (ny2 - ny1 - 12 * s0) / 2
                pw = (nx2 - nx1 - 12 * s0) / 2 - 3 * s0
                ph = (ny2 - ny1 - 12 * s0) / 2 - 3 * s0
                _rbox(back, qx, qy, qx + pw, qy + ph, 0.5 * s0, (248, 247, 240))
                _fake_text(
                    back,
                    qx + 2 * s0,
                    qy + 3 * s0,
                    qx + pw - 2 * s0,
                    qy + ph * 0.8,
                    (90, 90, 100),
                    rng,
                    lines=4,
                    align="left",
                )
                _ellipse(back, qx + pw / 2, qy + 1.5 * s0, 1.3 * s0, 1.3 * s0, (200, 30, 30))
        # window with blinds
        wx1, wx2, wy1, wy2 = 0.84 * w, 0.985 * w, 0.15 * h, 0.47 * h
        _rbox(back, wx1 - 3 * s0, wy1 - 3 * s0, wx2 + 3 * s0, wy2 + 3 * s0, 1 * s0, (246, 246, 244))
        _vgrad(back, int(wx1), int(wy1), int(wx2), int(wy2), (170, 206, 236), (222, 236, 240))
        slat = 5.0 * s0
        y = wy1
        while y < wy2:
            _rbox(back, wx1, y, wx2, min(y + slat * 0.62, wy2), 0, (236, 234, 226), opacity=0.85)
            y += slat
        _rbox(back, wx1, wy2 - 2 * s0, wx2, wy2 + 2 * s0, 0, (230, 230, 228))
        # wall clock
        ccx, ccy, cr = 0.79 * w, 0.09 * h, 13 * s0
        _ellipse(back, ccx + 1.5 * s0, ccy + 2 * s0, cr, cr, (0, 0, 0), opacity=0.15, soft=3 * s0)
        _ellipse(back, ccx, ccy, cr, cr, (50, 50, 54))
        _ellipse(back, ccx, ccy, cr - 2 * s0, cr - 2 * s0, (250, 250, 248))
        for k in range(12):
            a = k * math.pi / 6
            _ellipse(
                back,
                ccx + math.cos(a) * (cr - 4.5 * s0),
                ccy + math.sin(a) * (cr - 4.5 * s0),
                0.7 * s0,
                0.7 * s0,
                (40, 40, 40),
            )
        _capsule(back, ccx, ccy, ccx + 4 * s0, ccy - 5 * s0, 0.9 * s0, 0.7 * s0, (30, 30, 30))
        _capsule(back, ccx, ccy, ccx - 1 * s0, ccy + 8 * s0, 0.6 * s0, 0.5 * s0, (30, 30, 30))

    def _draw_furniture(self, back: Image) -> None:
        """Chairs behind the desks and a plant in the corner."""
        w, h, s0 = self.w, self.h, self.s0
        # chairs behind the desks
        for cx in self.desk_x.values():
            top = self.sy_seat - 14 * s0
            _rbox(back, cx - 28 * s0, top, cx + 28 * s0, self.y_c + 10 * s0, 9 * s0, (36, 40, 50))
            _rbox(back, cx - 24 * s0, top + 3 * s0, cx + 24 * s0, self.y_c, 7 * s0, (52, 58, 72))
            _capsule(
                back,
                cx - 20 * s0,
                top + 5 * s0,
                cx + 20 * s0,
                top + 5 * s0,
                1.5 * s0,
                1.5 * s0,
                (90, 98, 118),
                opacity=0.6,
            )
        # plant in the corner
        px, py = 0.955 * w, 0.9 * h
        _ellipse(back, px, py + 2 * s0, 20 * s0, 5 * s0, (0, 0, 0), opacity=0.2, soft=4 * s0)
        leaf_rng = np.random.default_rng([self.seed, 5])
        for _ in range(16):
            ang = leaf_rng.uniform(-2.6, -0.5)
            length = leaf_rng.uniform(35, 70) * s0
            green = (
                leaf_rng.uniform(40, 80),
                leaf_rng.uniform(110, 150),
                leaf_rng.uniform(50, 80),
            )
            bx, by = px, py - 30 * s0
            _capsule(
                back,
                bx,
                by,
                bx + math.cos(ang) * length,
                by + math.sin(ang) * length,
                1.2 * s0,
                5.5 * s0,
                green,
            )
        _poly(
            back,
            [
                (px - 16 * s0, py - 34 * s0),
                (px + 16 * s0, py - 34 * s0),
                (px + 12 * s0, py),
                (px - 12 * s0, py),
            ],
            (170, 84, 50),
        )
        _rbox(back, px - 17 * s0, py - 36 * s0, px + 17 * s0, py - 30 * s0, 1 * s0, (190, 100, 62))

    def _draw_counter(self, rng: np.random.Generator) -> tuple[Image, Image]:
        """Counter top (under the arms) and counter front with desk items."""
        w, h, s0 = self.w, self.h, self.s0
        # counter surface (between staff torso and arms)
        surf = _new_layer(h, w)
        cx1, cx2 = 0.05 * w, 0.90 * w
        _rbox(surf, cx1, self.surf_top, cx2, self.y_c + 2 * s0, 1.5 * s0, (214, 208, 198))
        _rbox(surf, cx1, self.surf_top, cx2, self.surf_top + 1.5 * s0, 0.5 * s0, (240, 236, 228))

        # counter front, monitors and desk items
        front = _new_layer(h, w)
        fy2 = 0.80 * h
        _rbox(front, cx1, self.y_c, cx2, fy2, 1 * s0, (146, 92, 54))
        grain = _value_noise(rng, int(fy2 - self.y_c) + 2, w, 1.5 * s0, 40 * s0)
        rows = slice(int(self.y_c), int(self.y_c) + grain.shape[0])
        front[rows, :, :3] *= (1.0 + 0.035 * grain)[..., None]
        _rbox(front, cx1, self.y_c, cx2, self.y_c + 5 * s0, 1 * s0, (226, 220, 210))
        _rbox(front, cx1, self.y_c + 5 * s0, cx2, self.y_c + 8 * s0, 0, (100, 64, 40), opacity=0.6)
        npanels = 6
        for k in range(npanels):
            px1 = cx1 + (cx2 - cx1) * k / npanels + 6 * s0
            px2 = cx1 + (cx2 - cx1) * (k + 1) / npanels - 6 * s0
            _rbox(
                front,
                px1,
                self.y_c + 16 * s0,
                px2,
                fy2 - 16 * s0,
                2 * s0,
                (120, 74, 42),
                opacity=0.55,
            )
            _rbox(
                front,
                px1 + 2 * s0,
                self.y_c + 18 * s0,
                px2 - 2 * s0,
                fy2 - 18 * s0,
                2 * s0,
                (156, 100, 60),
                opacity=0.7,
            )
        _rbox(front, cx1, fy2 - 8 * s0, cx2, fy2, 0, (70, 48, 34))
        _rbox(
            front,
            cx1 - 1,
            fy2 - 1,
            cx2 + 1,
            fy2 + 5 * s0,
            2 * s0,
            (0, 0, 0),
            opacity=0.25,
            soft=5 * s0,
        )
        for k, cx in enumerate(self.desk_x.values()):
            # number plate on the counter front
            ny = self.y_c + 22 * s0
            _rbox(front, cx - 14 * s0, ny, cx + 14 * s0, ny + 26 * s0, 2 * s0, (196, 20, 40))
            _rbox(
                front,
                cx - 12 * s0,
                ny + 2 * s0,
                cx + 12 * s0,
                ny + 24 * s0,
                1.5 * s0,
                (242, 183, 5),
                opacity=0.9,
            )
            _rbox(
                front,
                cx - 11 * s0,
                ny + 3 * s0,
                cx + 11 * s0,
                ny + 23 * s0,
                1.5 * s0,
                (196, 20, 40),
            )
            _digits(front, str(k + 1), cx - 4 * s0, ny + 6 * s0, 8 * s0, 14 * s0, (250, 214, 90))
            # monitor (seen from behind) standing on the desk
            mx1, mx2 = cx + 30 * s0, cx + 80 * s0
            my1, my2 = self.y_c - 50 * s0, self.y_c - 16 * s0
            _rbox(
                front,
                cx + 49 * s0,
                my2 - 2 * s0,
                cx + 61 * s0,
                self.y_c - 4 * s0,
                2 * s0,
                (56, 58, 64),
            )
            _ellipse(front, cx + 55 * s0, self.y_c - 4 * s0, 13 * s0, 3 * s0, (48, 50, 56))
            _rbox(front, mx1, my1, mx2, my2, 2.5 * s0, (44, 46, 52))
            _rbox(
                front,
                mx1 + 1.5 * s0,
                my1 + 1.5 * s0,
                mx2 - 1.5 * s0,
                my1 + 4 * s0,
                1 * s0,
                (80, 84, 92),
                opacity=0.6,
            )
            _ellipse(front, mx2 - 5 * s0, my2 - 4 * s0, 1.1 * s0, 1.1 * s0, (60, 200, 90))
            # paper tray and pen cup on the counter
            tx = cx - 60 * s0
            _rbox(
                front, tx, self.y_c - 9 * s0, tx + 24 * s0, self.y_c - 1 * s0, 1 * s0, (70, 70, 76)
            )
            _rbox(
                front,
                tx + 2 * s0,
                self.y_c - 12 * s0,
                tx + 22 * s0,
                self.y_c - 7 * s0,
                0.5 * s0,
                (250, 250, 246),
            )
            _rbox(
                front,
                cx - 30 * s0,
                self.y_c - 14 * s0,
                cx - 24 * s0,
                self.y_c - 2 * s0,
                1.5 * s0,
                (30, 100, 160),
            )
            for j, col in enumerate(((200, 40, 40), (30, 30, 30), (40, 80, 200))):
                _capsule(
                    front,
                    cx - 28.5 * s0 + j * 1.6 * s0,
                    self.y_c - 14 * s0,
                    cx - 30 * s0 + j * 2.5 * s0,
                    self.y_c - 20 * s0,
                    0.6 * s0,
                    0.6 * s0,
                    col,
                )
        return surf, front

    # dynamic ----------------------------------------------------------------
    def _staff_pose(
        self, name: str, st: _State, t: float
    ) -> tuple[float, float, float, float, float, tuple[tuple[float, float], ...]]:
        s0, s = self.s0, self.s_staff
        ph = self.phases[name]
        cx = st.x
        sy = self.sy_stand + (self.sy_seat - self.sy_stand) * st.sit
        gaze = 0.0
        hdx = hdy = 0.0
        if st.moving:
            step = 2 * math.pi * st.dist / (120 * s0)
            sy += 1.6 * s0 * abs(math.sin(step))
            gaze = math.copysign(1.0, st.vx)
            hdx = 1.5 * gaze
            swing = math.sin(step)
            hang = (
                (cx - 19 * s, sy + 56 * s + 3 * s * swing),
                (cx + 19 * s, sy + 56 * s - 3 * s * swing),
            )
            return cx, sy, hdx, hdy, gaze, hang
        # natural movements while at the desk
        hdx = _wave(t, ((1.3, 0.11, ph[0]), (0.7, 0.37, ph[1])))
        hdy = _wave(t, ((0.6, 0.23, ph[2]), (0.3, 0.61, ph[3])))
        gaze = max(-1.0, min(1.0, 1.8 * math.sin(2 * math.pi * 0.045 * t + ph[4])))
        cx += _wave(t, ((1.0 * s0, 0.07, ph[5]),))
        activity = 0.5 + 0.5 * math.sin(2 * math.pi * 0.06 * t + ph[6])
        tap_l = 1.8 * s * activity * math.sin(2 * math.pi * 2.3 * t + ph[7])
        tap_r = 1.8 * s * activity * math.sin(2 * math.pi * 1.9 * t + ph[0] * 2)
        reach_raw = math.sin(2 * math.pi * 0.033 * t + ph[1] * 3)
        reach = max(0.0, (reach_raw - 0.75) / 0.25)
        hand_y = self.y_c - 6 * s0
        desk = (
            (cx - 11 * s + tap_l * 0.5, hand_y + tap_l * 0.4),
            (cx + 12 * s + tap_r * 0.5 - 26 * s * reach, hand_y + tap_r * 0.4 - 4 * s * reach),
        )
        hang = ((cx - 19 * s, sy + 56 * s), (cx + 19 * s, sy + 56 * s))
        u = st.sit
        hands = tuple(
            (h[0] + (d[0] - h[0]) * u, h[1] + (d[1] - h[1]) * u)
            for h, d in zip(hang, desk, strict=True)
        )
        return cx, sy, hdx, hdy, gaze, hands

    def draw(self, t: float) -> Image:
        frame = self.full.copy()
        states = [(name, tr.at(t)) for name, tr in self.tracks.items()]
        present = [(n, st) for n, st in states if st is not None]
        if present:
            # Re-layer only the band around the staff: back, bodies, counter
            # top, arms, counter front.  Everything else is already composited.
            margin = 80 * self.s0
            x1 = max(0, math.floor(min(st.x for _, st in present) - margin))
            x2 = min(self.w, math.ceil(max(st.x for _, st in present) + margin))
            rows = slice(0, min(self.h, math.ceil(self.y_c) + 2))
            band = (rows, slice(x1, x2))
            top = frame[rows]
            frame[band] = self.back[band]
            poses = [(n, st, self._staff_pose(n, st, t)) for n, st in present]
            s = self.s_staff
            for name, _st, (cx, sy, hdx, hdy, gaze, _hands) in poses:
                _upper_front(
                    top,
                    self.looks[name],
                    cx,
                    sy,
                    s,
                    head_dx=hdx,
                    head_dy=hdy,
                    gaze=gaze,
                    torso_len=80,
                )
            for name, st, (cx, sy, _a, _b, _c, hands) in poses:
                if st.sit < 0.5:
                    _arms_front(top, self.looks[name], cx, sy, s, (hands[0], hands[1]))
            _over(frame[band], self.surf[band])
            for name, st, (cx, sy, _a, _b, _c, hands) in poses:
                if st.sit >= 0.5:
                    _arms_front(top, self.looks[name], cx, sy, s, (hands[0], hands[1]))
            _over(frame[band], self.front[band])
        for track, look in self.visitors:
            vis = track.at(t)
            if vis is None:
                continue
            s = 1.18 * self.s0
            fy = 0.965 * self.h
            if vis.moving:
                phase = 2 * math.pi * vis.dist / (125 * s)
                _figure_side(frame, look, vis.x, fy, s, math.copysign(1.0, vis.vx), phase)
            else:
                sway = _wave(t, ((1.2, 0.2, 0.3), (0.6, 0.53, 1.1)))
                _figure_back(frame, look, vis.x, fy, s, sway=sway)
        return frame

    def zones_px(self) -> dict[str, Rect]:
        s0 = self.s0
        return {
            name: (cx - 46 * s0, self.sy_seat - 46 * s0, cx + 46 * s0, self.y_c)
            for name, cx in self.desk_x.items()
        }

    def occupancy(self, t: float) -> dict[str, bool]:
        zones = self.zones_px()
        out = {}
        for name, tr in self.tracks.items():
            st = tr.at(t)
            x1, _, x2, _ = zones[name]
            out[name] = st is not None and x1 <= st.x <= x2
        return out


class _Gate(_Scene):
    """Office gate and yard seen from above."""

    def __init__(self, width: int, height: int, seconds: float, fps: int, seed: int) -> None:
        super().__init__(width, height, seconds, fps, seed)
        w, h = width, height
        rng = self.rng
        self.y_fence = 0.44 * h  # ground line of the fence wall
        self.post_x = (0.36 * w, 0.64 * w)
        self.gate_zone = (0.385 * w, 0.12 * h, 0.615 * w, 0.56 * h)
        self.walker_in = _random_look(rng)
        self.walker_out = _random_look(rng)
        self.rider = _random_look(rng)
        self.bike_color = _pick(rng, _BIKE_COLORS)
        self.helmet = _pick(rng, _HELMETS)
        total = seconds
        walk = 0.09 * w  # walking speed in pixels per second
        self.tracks = {
            "in": _Track(0.06 * total, 1.06 * w, 0.37 * h)
            .walk_to(0.50 * w, 0.37 * h, walk, 0.12 * total)
            .walk_to(0.53 * w, 0.60 * h, walk, 0.1 * total)
            .walk_to(0.60 * w, 1.25 * h, walk, 0.14 * total),
            "out": _Track(0.58 * total, 0.22 * w, 1.25 * h)
            .walk_to(0.48 * w, 0.60 * h, walk, 0.14 * total)
            .walk_to(0.47 * w, 0.37 * h, walk, 0.08 * total)
            .walk_to(-0.08 * w, 0.37 * h, walk, 0.12 * total),
        }
        self.bike = _Track(0.36 * total, -0.2 * w, 0.2 * h).walk_to(
            1.2 * w, 0.2 * h, 0.6 * w, 0.12 * total
        )
        self.back, self.fence = self._build_static(rng)
        self.full = self.back.copy()
        _over(self.full, self.fence)

    def _scale_at(self, y: float) -> float:
        return self.s0 * (0.42 + 0.5 * max(0.0, y) / self.h)

    def _build_static(self, rng: np.random.Generator) -> tuple[Image, Image]:
        img = self._draw_street(rng)
        self._draw_yard(img, rng)
        return img, self._build_fence(rng)

    def _draw_street(self, rng: np.random.Generator) -> Image:
        """Shop houses, sidewalks and the road beyond the fence."""
        w, h, s0 = self.w, self.h, self.s0
        img = np.zeros((h, w, 3), dtype=np.float32)
        # shop houses across the street
        y_houses = int(0.07 * h)
        x = -10.0
        house_rng = np.random.default_rng([self.seed, 3])
        while x < w:
            hw = house_rng.uniform(0.09, 0.16) * w
            col = _pick(
                house_rng,
                (
                    (232, 214, 160),
                    (220, 226, 214),
                    (206, 224, 200),
                    (236, 200, 170),
                    (214, 214, 226),
                ),
            )
            _rbox(img, x, -5, x + hw - 2 * s0, y_houses, 0, col)
            _rbox(img, x + hw * 0.2, y_houses * 0.25, x + hw * 0.8, y_houses, 0, (70, 66, 62))
            _rbox(
                img,
                x + hw * 0.1,
                y_houses * 0.1,
                x + hw * 0.9,
                y_houses * 0.3,
                0,
                _pick(house_rng, ((190, 40, 40), (40, 90, 170), (230, 180, 40))),
            )
            x += hw
        # sidewalk (far), road, sidewalk (near)
        _tiles(
            img,
            y_houses,
            int(0.11 * h),
            vx=w / 2,
            vy=-1.5 * h,
            tile_w=0.04 * w,
            tile_d=0.03 * w,
            base=(178, 126, 104),
            grout=(140, 100, 84),
            variation=0.06,
        )
        _vgrad(img, 0, int(0.11 * h), w, int(0.30 * h), (78, 80, 84), (88, 90, 94))
        img[int(0.11 * h) : int(0.30 * h)] *= (
            1.0 + 0.04 * _value_noise(rng, int(0.30 * h) - int(0.11 * h), w, 3 * s0)
        )[..., None]
        x = 0.0
        while x < w:
            _rbox(img, x, 0.202 * h, x + 0.06 * w, 0.212 * h, 0.5 * s0, (230, 230, 220))
            x += 0.11 * w
        _rbox(img, -5, 0.11 * h - 2 * s0, w + 5, 0.11 * h + 1 * s0, 0, (190, 188, 184))
        _rbox(img, -5, 0.30 * h - 1 * s0, w + 5, 0.30 * h + 3 * s0, 0, (196, 194, 190))
        _tiles(
            img,
            int(0.30 * h + 3 * s0),
            int(self.y_fence),
            vx=w / 2,
            vy=-1.5 * h,
            tile_w=0.045 * w,
            tile_d=0.035 * w,
            base=(182, 128, 104),
            grout=(140, 100, 84),
            variation=0.06,
        )
        return img

    def _draw_yard(self, img: Image, rng: np.random.Generator) -> None:
        """Concrete yard, grass, parked motorbikes, guard booth and a tree."""
        w, h, s0 = self.w, self.h, self.s0
        # yard
        _tiles(
            img,
            int(self.y_fence),
            h,
            vx=w / 2,
            vy=-1.2 * h,
            tile_w=0.16 * w,
            tile_d=0.14 * w,
            base=(188, 186, 178),
            grout=(150, 148, 140),
            variation=0.04,
        )
        img[int(self.y_fence) :] *= (
            1.0 + 0.03 * _value_noise(rng, h - int(self.y_fence), w, 10 * s0)
        )[..., None]
        for gx1, gx2 in ((0.0, 0.10 * w), (0.90 * w, w)):
            _rbox(img, gx1, self.y_fence + 2 * s0, gx2, h, 0, (86, 134, 70))
        grass = _value_noise(rng, h, w, 4 * s0)
        for gx1, gx2 in ((0, int(0.10 * w)), (int(0.90 * w), w)):
            img[int(self.y_fence + 2 * s0) :, gx1:gx2] *= (
                1.0 + 0.08 * grass[int(self.y_fence + 2 * s0) :, gx1:gx2]
            )[..., None]
        # parking lines and parked motorbikes
        for k in range(4):
            lx = 0.70 * w + k * 0.05 * w
            _poly(
                img,
                [
                    (lx, 0.80 * h),
                    (lx + 1.5 * s0, 0.80 * h),
                    (lx + 3 * s0, 0.95 * h),
                    (lx + 1.5 * s0, 0.95 * h),
                ],
                (236, 236, 232),
            )
        park = np.random.default_rng([self.seed, 4])
        for k in range(3):
            sc = self._scale_at(0.9 * h) * 0.8
            _motorbike(
                img,
                0.715 * w + k * 0.09 * w,
                0.93 * h - k * 0.015 * h,
                sc,
                1.0,
                _pick(park, _BIKE_COLORS),
                (0, 0, 0),
                None,
                0.7 * k,
            )
        # guard booth
        gx1, gx2, gy1, gy2 = 0.15 * w, 0.29 * w, 0.47 * h, 0.66 * h
        _rbox(
            img,
            gx1 + 4 * s0,
            gy1 + 6 * s0,
            gx2 + 10 * s0,
            gy2 + 5 * s0,
            2 * s0,
            (0, 0, 0),
            opacity=0.25,
            soft=6 * s0,
        )
        _rbox(img, gx1, gy1, gx2, gy2, 1 * s0, (236, 226, 190))
        _rbox(img, gx1 - 3 * s0, gy1 - 8 * s0, gx2 + 3 * s0, gy1 + 6 * s0, 1 * s0, (176, 52, 40))
        _rbox(
            img, gx1 + 6 * s0, gy1 + 14 * s0, gx2 - 6 * s0, gy1 + 32 * s0, 1 * s0, (120, 160, 190)
        )
        _rbox(img, gx2 - 20 * s0, gy1 + 36 * s0, gx2 - 8 * s0, gy2, 1 * s0, (110, 80, 56))
        # a tree canopy in the lower-left corner with its shadow
        tx, ty = 0.05 * w, 0.92 * h
        _ellipse(
            img, tx + 25 * s0, ty + 10 * s0, 62 * s0, 40 * s0, (0, 0, 0), opacity=0.3, soft=14 * s0
        )
        tree = np.random.default_rng([self.seed, 6])
        for _ in range(14):
            ox, oy = tree.normal(0, 22 * s0, 2)
            r = tree.uniform(16, 28) * s0
            g = tree.uniform(0.8, 1.15)
            _ellipse(img, tx + ox, ty + oy * 0.8, r, r * 0.9, _scale((60, 112, 52), g))

    def _build_fence(self, rng: np.random.Generator) -> Image:
        """Fence wall, posts and sliding gate: a layer over the street actors."""
        w, h, s0 = self.w, self.h, self.s0
        # fence wall, posts and the sliding gate (layer over the street actors)
        fence = _new_layer(h, w)
        wall_top = self.y_fence - 16 * s0
        for x1, x2 in ((-5.0, self.post_x[0]), (self.post_x[1], w + 5.0)):
            _rbox(fence, x1, wall_top, x2, self.y_fence, 0, (226, 206, 148))
            _rbox(fence, x1, wall_top - 4 * s0, x2, wall_top + 1 * s0, 0, (242, 232, 200))
            _rbox(
                fence,
                x1,
                self.y_fence,
                x2,
                self.y_fence + 8 * s0,
                0,
                (0, 0, 0),
                opacity=0.25,
                soft=6 * s0,
            )
            xb = x1 + 8 * s0
            while xb < x2 - 4 * s0:
                _rbox(
                    fence,
                    xb - 1 * s0,
                    wall_top - 26 * s0,
                    xb + 1 * s0,
                    wall_top - 3 * s0,
                    0.5 * s0,
                    (50, 50, 56),
                )
                xb += 9 * s0
            _rbox(fence, x1, wall_top - 28 * s0, x2, wall_top - 25 * s0, 0.5 * s0, (50, 50, 56))
        # sliding gate panel retracted behind the right wall
        gx = self.post_x[1] + 8 * s0
        _rbox(
            fence, gx, wall_top - 30 * s0, gx + 0.17 * w, wall_top - 26 * s0, 0.5 * s0, (70, 70, 76)
        )
        xb = gx
        while xb < gx + 0.17 * w:
            _rbox(
                fence,
                xb,
                wall_top - 30 * s0,
                xb + 1.6 * s0,
                self.y_fence - 2 * s0,
                0.5 * s0,
                (70, 70, 76),
                opacity=0.9,
            )
            xb += 5 * s0
        for k, px in enumerate(self.post_x):
            pw = 14 * s0
            _rbox(
                fence,
                px - pw + 6 * s0,
                self.y_fence - 6 * s0,
                px + pw + 14 * s0,
                self.y_fence + 10 * s0,
                2 * s0,
                (0, 0, 0),
                opacity=0.3,
                soft=8 * s0,
            )
            _rbox(
                fence,
                px - pw,
                self.y_fence - 70 * s0,
                px + pw,
                self.y_fence,
                1 * s0,
                (232, 210, 150),
            )
            _rbox(
                fence,
                px + pw * 0.4,
                self.y_fence - 70 * s0,
                px + pw,
                self.y_fence,
                1 * s0,
                (206, 184, 126),
            )
            _rbox(
                fence,
                px - pw - 3 * s0,
                self.y_fence - 78 * s0,
                px + pw + 3 * s0,
                self.y_fence - 68 * s0,
                1.5 * s0,
                (196, 30, 40),
            )
            _poly(
                fence,
                [
                    (px - pw - 1 * s0, self.y_fence - 78 * s0),
                    (px + pw + 1 * s0, self.y_fence - 78 * s0),
                    (px, self.y_fence - 90 * s0),
                ],
                (242, 183, 5),
            )
            if k == 0:
                sx1, sx2 = px - pw + 3 * s0, px + pw - 3 * s0
                sy1, sy2 = self.y_fence - 60 * s0, self.y_fence - 30 * s0
                _rbox(fence, sx1, sy1, sx2, sy2, 1 * s0, (190, 24, 36))
                _fake_text(
                    fence,
                    sx1 + 2 * s0,
                    sy1 + 3 * s0,
                    sx2 - 2 * s0,
                    sy2 - 3 * s0,
                    (250, 214, 90),
                    rng,
                    lines=3,
                )
        _rbox(
            fence,
            self.post_x[0] + 14 * s0,
            self.y_fence - 2 * s0,
            self.post_x[1] - 14 * s0,
            self.y_fence + 0.5 * s0,
            0.5 * s0,
            (90, 90, 96),
            opacity=0.8,
        )
        return fence

    def _actor(self, name: str, st: _State, frame: Image) -> None:
        look = self.walker_in if name == "in" else self.walker_out
        s = self._scale_at(st.y)
        phase = 2 * math.pi * st.dist / (120 * s) if s > 0 else 0.0
        if abs(st.vx) > abs(st.vy) * 1.2:
            _figure_side(frame, look, st.x, st.y, s, math.copysign(1.0, st.vx), phase)
        elif st.vy > 0:
            _figure_front(frame, look, st.x, st.y, s, phase=phase)
        else:
            _figure_back(frame, look, st.x, st.y, s, phase=phase)

    def draw(self, t: float) -> Image:
        frame = self.full.copy()
        behind: list[tuple[float, str, _State]] = []
        ahead: list[tuple[float, str, _State]] = []
        for name, tr in self.tracks.items():
            st = tr.at(t)
            if st is not None:
                (behind if st.y < self.y_fence else ahead).append((st.y, name, st))
        bike = self.bike.at(t)
        if behind or bike is not None:
            rows = slice(0, min(self.h, math.ceil(self.y_fence + 12 * self.s0)))
            top = frame[rows]
            top[...] = self.back[rows]
            if bike is not None:
                s = self._scale_at(bike.y)
                _motorbike(
                    top,
                    bike.x,
                    bike.y,
                    s,
                    math.copysign(1.0, bike.vx),
                    self.bike_color,
                    self.helmet,
                    self.rider,
                    bike.dist / (27 * s),
                )
            for _, name, st in sorted(behind):
                self._actor(name, st, top)
            _over(top, self.fence[rows])
        for _, name, st in sorted(ahead):
            self._actor(name, st, frame)
        return frame

    def zones_px(self) -> dict[str, Rect]:
        return {"cong": self.gate_zone}

    def occupancy(self, t: float) -> dict[str, bool]:
        x1, y1, x2, y2 = self.gate_zone
        occ = False
        for tr in (*self.tracks.values(), self.bike):
            st = tr.at(t)
            if st is not None and x1 <= st.x <= x2 and y1 <= st.y <= y2:
                occ = True
        return {"cong": occ}


class _Hall(_Scene):
    """Meeting hall with rows of chairs seen from the back."""

    ROWS = 4

    def __init__(self, width: int, height: int, seconds: float, fps: int, seed: int) -> None:
        super().__init__(width, height, seconds, fps, seed)
        w, h, s0 = width, height, self.s0
        rng = self.rng
        self.row_y = [0.55 * h, 0.655 * h, 0.785 * h, 0.95 * h]  # chair-back tops
        self.row_s = [0.8 * s0, 0.98 * s0, 1.2 * s0, 1.48 * s0]
        self.seats: list[list[float]] = []
        for r in range(self.ROWS):
            s = self.row_s[r]
            pitch = 58 * s
            half = 0.5 * w
            aisle = 34 * s
            xs = []
            x = half + aisle
            while x < w + pitch:
                xs.append(x)
                x += pitch
            x = half - aisle
            while x > -pitch:
                xs.append(x)
                x -= pitch
            self.seats.append(sorted(xs))
        # seated audience: (row, seat x, look, phases)
        self.people: list[tuple[int, float, _Look, npt.NDArray[np.float64]]] = []
        picks = [(0, [1, 2, 5, 8, 9]), (1, [2, 3, 7]), (3, [0, 3, 5])]
        for r, idx in picks:
            for i in idx:
                if i < len(self.seats[r]):
                    self.people.append(
                        (r, self.seats[r][i], _random_look(rng), rng.uniform(0, 2 * math.pi, 6))
                    )
        # a latecomer walks along row 3 from the right and sits down
        row = 2
        seat_x = self.seats[row][len(self.seats[row]) - 3]
        total = seconds
        self.late_row = row
        self.late_look = _random_look(rng)
        self.late = (
            _Track(0.22 * total, 1.08 * w, self.row_y[row])
            .walk_to(seat_x, self.row_y[row], 0.15 * w, min(0.12 * total, 5.0))
            .sit(min(1.2, 0.03 * total))
            .until(0.82 * total)
            .sit(min(1.2, 0.03 * total), 0.0)
            .walk_to(1.08 * w, self.row_y[row], 0.15 * w, min(0.12 * total, 5.0))
        )
        self.late_phases = rng.uniform(0, 2 * math.pi, 6)
        self.back = self._build_static(rng)
        self.chair_rows: list[tuple[slice, Image]] = []
        for r in range(self.ROWS):
            band = slice(
                max(0, math.floor(self.row_y[r] - 2 * self.row_s[r])),
                min(h, math.ceil(self.row_y[r] + 46 * self.row_s[r])),
            )
            layer = _new_layer(h, w)
            self._chairs(layer, r)
            self.chair_rows.append((band, layer[band].copy()))

    def _build_static(self, rng: np.random.Generator) -> Image:
        w, h, s0 = self.w, self.h, self.s0
        img = np.zeros((h, w, 3), dtype=np.float32)
        y_stage = int(0.40 * h)
        # red backdrop with folds
        xs = np.arange(w, dtype=np.float32)
        folds = 0.88 + 0.12 * np.sin(xs / (9 * s0)) ** 2
        _vgrad(img, 0, 0, w, y_stage, (168, 24, 30), (130, 16, 22))
        img[:y_stage] *= folds[None, :, None]
        # valance
        _rbox(img, -5, -5, w + 5, 0.05 * h, 0, (190, 140, 30))
        x = 0.0
        while x < w + 20 * s0:
            _ellipse(img, x, 0.05 * h, 10 * s0, 5 * s0, (190, 140, 30))
            x += 20 * s0
        # banner and emblem
        bx1, bx2, by1, by2 = 0.18 * w, 0.82 * w, 0.17 * h, 0.25 * h
        _rbox(img, bx1, by1, bx2, by2, 1 * s0, (200, 30, 36))
        _fake_text(
            img, bx1 + 8 * s0, by1 + 4 * s0, bx2 - 8 * s0, by2 - 4 * s0, (250, 226, 120), rng
        )
        _fake_text(img, 0.3 * w, 0.27 * h, 0.7 * w, 0.31 * h, (250, 240, 220), rng)
        _ellipse(img, w / 2, 0.105 * h, 17 * s0, 17 * s0, (242, 183, 5))
        _ellipse(img, w / 2, 0.105 * h, 14 * s0, 14 * s0, (200, 30, 36))
        _star(img, w / 2, 0.105 * h, 11 * s0, (242, 200, 40))
        # stage front
        _vgrad(img, 0, y_stage, w, int(0.47 * h), (120, 78, 46), (96, 60, 36))
        _rbox(img, -5, y_stage - 2 * s0, w + 5, y_stage + 2 * s0, 0, (150, 104, 64))
        # table with cloth and flowers
        tx1, tx2, ty1 = 0.30 * w, 0.70 * w, 0.335 * h
        _rbox(img, tx1, ty1, tx2, y_stage + 1, 1 * s0, (40, 80, 150))
        _rbox(img, tx1, ty1, tx2, ty1 + 4 * s0, 1 * s0, (240, 240, 236))
        flower = np.random.default_rng([self.seed, 8])
        for k in range(9):
            fx = tx1 + (tx2 - tx1) * (k + 0.5) / 9
            col = _pick(flower, ((240, 200, 40), (250, 250, 240), (230, 80, 120)))
            _ellipse(img, fx, ty1 + 7 * s0, 5 * s0, 3 * s0, col)
            _ellipse(img, fx, ty1 + 10 * s0, 6 * s0, 2 * s0, (60, 120, 60), opacity=0.8)
        # podium
        px = 0.84 * w
        _rbox(img, px - 16 * s0, 0.29 * h, px + 16 * s0, y_stage + 1, 2 * s0, (110, 70, 40))
        _ellipse(img, px, 0.33 * h, 7 * s0, 7 * s0, (242, 183, 5))
        _star(img, px, 0.33 * h, 5 * s0, (200, 30, 36))
        # carpet floor
        _vgrad(img, 0, int(0.47 * h), w, h, (110, 40, 40), (128, 50, 46))
        img[int(0.47 * h) :] *= (1.0 + 0.05 * _value_noise(rng, h - int(0.47 * h), w, 3 * s0))[
            ..., None
        ]
        _poly(
            img,
            [(0.47 * w, 0.47 * h), (0.53 * w, 0.47 * h), (0.62 * w, h), (0.38 * w, h)],
            (150, 120, 90),
            opacity=0.35,
        )
        # stage lights
        yy = np.linspace(-1, 1, h, dtype=np.float32)[:, None]
        xx = np.linspace(-1, 1, w, dtype=np.float32)[None, :]
        img *= (1.0 - 0.14 * xx * xx - 0.05 * (yy + 0.2) ** 2)[..., None]
        return img

    def _chairs(self, img: Image, r: int) -> None:
        s = self.row_s[r]
        top = self.row_y[r]
        for x in self.seats[r]:
            _rbox(img, x - 24 * s, top, x + 24 * s, top + 44 * s, 8 * s, (96, 14, 22))
            _rbox(img, x - 21 * s, top + 3 * s, x + 21 * s, top + 40 * s, 6 * s, (150, 26, 36))
            _capsule(
                img,
                x - 17 * s,
                top + 5 * s,
                x + 17 * s,
                top + 5 * s,
                1.5 * s,
                1.5 * s,
                (190, 60, 66),
                opacity=0.6,
            )

    def _seated(
        self,
        img: Image,
        r: int,
        x: float,
        look: _Look,
        ph: npt.NDArray[np.float64],
        t: float,
        sit: float = 1.0,
    ) -> None:
        s = self.row_s[r]
        sy_seat = self.row_y[r] - 15 * s
        sy = sy_seat - (1.0 - sit) * 40 * s
        hdx = _wave(t, ((1.4, 0.09, ph[0]), (0.6, 0.31, ph[1])))
        hdy = _wave(t, ((0.7, 0.19, ph[2]),))
        turn_raw = math.sin(2 * math.pi * 0.04 * t + ph[3])
        turn = math.copysign(max(0.0, min(1.0, (abs(turn_raw) - 0.7) / 0.2)), turn_raw)
        _upper_back(
            img,
            look,
            x + _wave(t, ((0.8 * s, 0.07, ph[4]),)),
            sy,
            s,
            head_dx=hdx,
            head_dy=hdy,
            turn=turn,
            torso_len=50,
            arms=False,
        )

    def draw(self, t: float) -> Image:
        frame = self.back.copy()
        late = self.late.at(t)
        for r in range(self.ROWS):
            for pr, x, look, ph in self.people:
                if pr == r:
                    self._seated(frame, r, x, look, ph, t)
            if late is not None and r == self.late_row:
                s = self.row_s[r]
                if late.moving:
                    _figure_side(
                        frame,
                        self.late_look,
                        late.x,
                        self.row_y[r] + 80 * s,
                        s,
                        math.copysign(1.0, late.vx),
                        2 * math.pi * late.dist / (120 * s),
                    )
                else:
                    self._seated(
                        frame, r, late.x, self.late_look, self.late_phases, t, sit=late.sit
                    )
            band, layer = self.chair_rows[r]
            _over(frame[band], layer)
        return frame

    def zones_px(self) -> dict[str, Rect]:
        zones = {}
        for r in range(self.ROWS):
            s = self.row_s[r]
            zones[f"hang-{r + 1}"] = (
                0.0,
                self.row_y[r] - 50 * s,
                float(self.w),
                self.row_y[r] + 12 * s,
            )
        return zones

    def occupancy(self, t: float) -> dict[str, bool]:
        occ = {f"hang-{r + 1}": False for r in range(self.ROWS)}
        for r, _x, _look, _ph in self.people:
            occ[f"hang-{r + 1}"] = True
        late = self.late.at(t)
        if late is not None and late.sit > 0.5:
            occ[f"hang-{self.late_row + 1}"] = True
        return occ


_SCENES: dict[str, type[_Scene]] = {"one_stop": _OneStop, "gate": _Gate, "hall": _Hall}


# --------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------


def _make_scene(
    kind: str,
    seconds: float,
    fps: int,
    size: tuple[int, int],
    seed: int,
    visits: Mapping[str, Sequence[tuple[float, float]]] | None,
    citizens: Sequence[tuple[float, float, str]] | None,
) -> _Scene:
    """Check the arguments shared by :func:`render_scene` and :func:`scene_frames`."""
    if kind not in _SCENES:
        raise ValueError(f"unknown scene kind {kind!r}; expected one of {KINDS}")
    width, height = int(size[0]), int(size[1])
    if width < 64 or height < 36 or width % 2 or height % 2:
        raise ValueError(f"size must be even and at least 64x36, got {size}")
    if seconds <= 0 or fps <= 0:
        raise ValueError("seconds and fps must be positive")
    if visits is None and citizens is None:
        return _SCENES[kind](width, height, float(seconds), int(fps), int(seed))
    if kind != "one_stop":
        raise ValueError("visits and citizens are only supported by the one_stop scene")
    return _OneStop(
        width, height, float(seconds), int(fps), int(seed), visits=visits, citizens=citizens
    )


def scene_frames(
    *,
    kind: str = "one_stop",
    seconds: float = 60.0,
    fps: int = 10,
    size: tuple[int, int] = (640, 360),
    seed: int = 0,
    visits: Mapping[str, Sequence[tuple[float, float]]] | None = None,
    citizens: Sequence[tuple[float, float, str]] | None = None,
) -> tuple[SceneTruth, Iterator[npt.NDArray[np.uint8]]]:
    """Return the ground truth and a generator of the ``(height, width, 3)`` RGB frames.

    The frames are those :func:`render_scene` would encode, without ffmpeg; frame ``i`` shows
    time ``i / fps``.  Arguments as for :func:`render_scene`.
    """
    scene = _make_scene(kind, seconds, fps, size, seed, visits, citizens)
    count = _frame_count(seconds, fps)
    return scene.truth(kind, count), scene.frames(count)


def render_scene(
    path: Path,
    *,
    kind: str = "one_stop",
    seconds: float = 60.0,
    fps: int = 10,
    size: tuple[int, int] = (640, 360),
    seed: int = 0,
    visits: Mapping[str, Sequence[tuple[float, float]]] | None = None,
    citizens: Sequence[tuple[float, float, str]] | None = None,
) -> SceneTruth:
    """Render a synthetic scene to an H.264 MP4 at ``path``.

    The ground truth is returned and also written beside the video as
    ``path.with_suffix(".json")``.  ``size`` is ``(width, height)``; both must
    be even (yuv420p).  Raises ``FileNotFoundError`` if ffmpeg is missing and
    ``RuntimeError`` if ffmpeg fails.

    ``visits`` and ``citizens`` (``one_stop`` only) replace the default schedule of the staff
    and of the citizens at the counter; see :class:`_OneStop`.  Left at ``None`` the output is
    the same as without them.
    """
    scene = _make_scene(kind, seconds, fps, size, seed, visits, citizens)
    width, height = scene.w, scene.h
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise FileNotFoundError("ffmpeg not found on PATH")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    count = _frame_count(seconds, fps)
    cmd = [
        ffmpeg, "-hide_banner", "-loglevel", "error", "-y",
        "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}",
        "-r", str(fps), "-i", "pipe:0",
        "-an", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", str(2 * fps),
        "-bf", "0", "-preset", "veryfast", "-movflags", "+faststart",
        str(path),
    ]  # fmt: skip
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errors
        )
        assert proc.stdin is not None
        try:
            try:
                for frame in scene.frames(count):
                    proc.stdin.write(frame.tobytes())
            except BrokenPipeError:
                pass
            finally:
                proc.stdin.close()
            code = proc.wait()
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        if code != 0:
            errors.seek(0)
            message = errors.read().decode("utf-8", "replace").strip()
            raise RuntimeError(f"ffmpeg exited with {code}: {message}")
    truth = scene.truth(kind, count)
    path.with_suffix(".json").write_text(truth.to_json() + "\n", encoding="utf-8")
    return truth


def _parse_size(text: str) -> tuple[int, int]:
    try:
        width, height = text.lower().split("x")
        return int(width), int(height)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT, got {text!r}") from err


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(
        prog="python -m devtools.scene", description="Render a synthetic office scene."
    )
    parser.add_argument("out", type=Path, help="output .mp4 path")
    parser.add_argument("--kind", choices=KINDS, default="one_stop")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--fps", type=int, default=10)
    parser.add_argument("--size", type=_parse_size, default=(640, 360))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    started = time.monotonic()
    truth = render_scene(
        args.out,
        kind=args.kind,
        seconds=args.seconds,
        fps=args.fps,
        size=args.size,
        seed=args.seed,
    )
    elapsed = time.monotonic() - started
    print(
        f"{args.out}: {truth.kind} {truth.size[0]}x{truth.size[1]} "
        f"{truth.frame_count} frames in {elapsed:.1f}s"
    )
    for desk, intervals in truth.occupied.items():
        spans = ", ".join(f"{a:.1f}-{b:.1f}s" for a, b in intervals) or "never"
        print(f"  {desk}: {spans}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
