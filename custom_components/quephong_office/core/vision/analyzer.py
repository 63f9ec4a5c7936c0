"""The analysis of one camera: frames in, per-zone presence, people counts and motion out.

Works on small greyscale frames (default 320 px wide) with numpy only, so it runs inside Home
Assistant on any installation, Alpine and Raspberry Pi included. Pure: no Home Assistant, no
global state, time passed in; one analyzer per camera, fed from one thread at a time.

Per frame:
1. Brightness compensation: the frame is compared with the learned empty picture through a
   gain and offset fitted on the pixels that agree best (the room, not the people), so
   daylight drift and lights switched on or off do not look like anybody. When the light
   changed, a light field (gain and offset varying linearly across the picture) replaces
   them if it explains the picture clearly better: lamps and windows light a room unevenly.
2. Foreground: pixels that differ from the compensated empty picture by more than a noise
   margin measured on the same frame; opened with a 3×3 box so sensor noise drops out.
3. Motion: the same comparison against the previous frame.
4. Each zone turns these into a decision over time (presence.ZonePresence), and the empty
   picture is updated slowly where nothing is going on.
"""

from __future__ import annotations

import base64
import zlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .presence import PresenceSettings, ZoneMeasure, ZonePhase, ZonePresence
from .zones import ZoneKind, ZoneLayout, rasterize

Gray = NDArray[np.uint8]
Image = NDArray[np.float32]

STATE_VERSION = 1
#: Grey levels at or beyond these are clipped by the camera and not compared.
CLIPPED_HIGH = 250.0
CLIPPED_LOW = 4.0


@dataclass(frozen=True, slots=True, kw_only=True)
class AnalyzerSettings:
    """Tuning of a camera's analysis; the defaults are what the integration uses."""

    fps: float = 2.0
    analysis_width: int = 320
    noise_floor: float = 4.0
    noise_factor: float = 4.0
    background_alpha: float = 0.05
    relight_gain: float = 0.1
    relight_offset: float = 12.0
    relight_after: float = 60.0
    field_gain: float = 0.05
    field_offset: float = 6.0
    camera_motion: float = 0.002
    person_blocks: int = 6
    presence: PresenceSettings = field(default_factory=PresenceSettings)


@dataclass(frozen=True, slots=True, kw_only=True)
class ZoneReading:
    """The state of a zone after a frame."""

    occupied: bool
    count: int
    motion: bool
    foreground: float


@dataclass(frozen=True, slots=True, kw_only=True)
class AnalysisResult:
    """The state of a camera after a frame."""

    t: float
    motion: bool
    zones: dict[str, ZoneReading]


def analysis_size(width: int, height: int, target_width: int) -> tuple[int, int]:
    """The analysis size for a source size: `target_width` wide (never upscaled), even sides."""
    scale = min(1.0, target_width / width)
    w = max(2, round(width * scale / 2) * 2)
    h = max(2, round(height * scale / 2) * 2)
    return w, h


def _box3_sum(image: NDArray[Any], out: NDArray[Any], rows: NDArray[Any]) -> NDArray[Any]:
    """3×3 box sum of `image` into `out`, edges replicated (separable: rows, then columns).

    `rows` is scratch; all three have the same shape and integer type, wide enough for nine
    of `image`'s values (grey levels, masks), so integer arithmetic gives the exact sums at a
    fraction of the cost of floats. The row pass runs over the flattened picture (contiguous
    runs are several times faster than row-by-row slices), then mends the first and last
    columns, where it added the neighbouring rows' ends.
    """
    flat, flat_rows = image.reshape(-1), rows.reshape(-1)
    np.add(flat[:-1], flat[1:], out=flat_rows[1:])
    flat_rows[:-1] += flat[1:]
    for edge, inner in ((0, 1), (-1, -2)):
        np.add(image[:, edge], image[:, edge], out=rows[:, edge])
        rows[:, edge] += image[:, inner]
    np.add(rows[:-1], rows[1:], out=out[1:])
    np.add(rows[0], rows[0], out=out[0])
    out[:-1] += rows[1:]
    out[-1] += rows[-1]
    return out


def _box3(gray: Gray) -> Image:
    """3×3 box mean of a grey frame with edge replication."""
    total = _box3_sum(
        gray.astype(np.uint16), np.empty(gray.shape, np.uint16), np.empty(gray.shape, np.uint16)
    )
    result: Image = np.divide(total, np.float32(9.0), dtype=np.float32)
    return result


class _Workspace:
    """Whole-frame arrays reused from frame to frame, and the pixels sampled for statistics.

    Reusing the float frames keeps a frame's analysis from allocating ~230 KB blocks several
    times over: cheap with glibc, but musl (Alpine) maps and unmaps blocks that large each time.
    """

    def __init__(self, valid: NDArray[np.bool_]) -> None:
        shape = valid.shape
        self.gray16 = np.empty(shape, np.uint16)
        self.sum16 = np.empty(shape, np.uint16)
        self.rows16 = np.empty(shape, np.uint16)
        self.sum8 = np.empty(shape, np.uint8)
        self.rows8 = np.empty(shape, np.uint8)
        self.frames = (np.empty(shape, np.float32), np.empty(shape, np.float32))
        self.expected = np.empty(shape, np.float32)
        self.residual = np.empty(shape, np.float32)
        self.change = np.empty(shape, np.float32)
        # flat indices of the pixels the brightness fit and the noise level are taken from
        flat = np.arange(valid.size).reshape(shape)
        self.fit_index = flat[::2, ::2][valid[::2, ::2]][::3]
        self.noise_index = flat[::3, ::3][valid[::3, ::3]]
        # picture coordinates from -1 to 1 (across, down), for a light field across the room
        height, width = shape
        across = np.linspace(-1.0, 1.0, width, dtype=np.float32)
        down = np.linspace(-1.0, 1.0, height, dtype=np.float32)
        self.across = np.broadcast_to(across[None, :], shape)
        self.down = np.broadcast_to(down[:, None], shape)
        self.fit_across = self.across.take(self.fit_index).astype(np.float64)
        self.fit_down = self.down.take(self.fit_index).astype(np.float64)
        self.gain_map = np.empty(shape, np.float32)
        self.offset_map = np.empty(shape, np.float32)

    def majority3(self, mask: NDArray[np.bool_], at_least: int) -> NDArray[np.bool_]:
        """Pixels with at least `at_least` of the 9 pixels of their 3×3 box set."""
        total = _box3_sum(mask.view(np.uint8), self.sum8, self.rows8)
        result: NDArray[np.bool_] = total >= at_least
        return result


_QUANTILES = np.arange(5, 100, 5, dtype=np.float64)


def _quantiles(values: Image) -> NDArray[np.float64]:
    """The `_QUANTILES` percentiles of `values`, linearly interpolated (as `np.percentile`).

    One sort answers all of them; `np.percentile` selects each one apart, which is slower.
    """
    ordered = np.sort(values).astype(np.float64)
    position = _QUANTILES / 100.0 * (ordered.size - 1)
    below = np.floor(position).astype(np.intp)
    above = np.minimum(below + 1, ordered.size - 1)
    weight = position - below
    result: NDArray[np.float64] = ordered[below] + (ordered[above] - ordered[below]) * weight
    return result


def _median(values: NDArray[Any]) -> float:
    """The median, equal to `np.median`'s, from one partition.

    On samples of a few thousand pixels np.median's checks and its general n-dimensional
    path cost several times the selection itself.
    """
    middle = values.size // 2
    ordered = np.partition(values, middle)
    if values.size % 2:
        return float(ordered[middle])
    return float(ordered[:middle].max() + ordered[middle]) / 2


def _line(moments: NDArray[np.float64], keep: NDArray[np.bool_]) -> tuple[float, float] | None:
    """Least-squares gain and offset of y against x over the `keep` points (double precision).

    `moments` holds x, y, x² and xy of every point (rows), so the sums over the kept points
    are one matrix-vector product instead of gathering the points anew on every refit.
    None when x hardly varies (variance under 1 grey level²): there is no slope to fit.
    """
    n = int(np.count_nonzero(keep))
    sx, sy, sxx, sxy = (float(v) for v in moments @ keep.astype(np.float64))
    mx, my = sx / n, sy / n
    spread = sxx - sx * mx
    if spread < n:
        return None
    gain = (sxy - sx * my) / spread
    return gain, my - gain * mx


def _fit_gain(x: Image, y: Image, linear: NDArray[np.bool_] | None = None) -> tuple[float, float]:
    """Gain and offset mapping reference pixels `x` onto frame pixels `y` (a lamp, daylight).

    First the two pictures' brightness quantiles are matched (robust to a minority of changed
    pixels, and to pixels the camera clipped: only quantiles inside the usable range count),
    then the line is refitted on the half of the usable pixels that agrees best.
    """
    if x.size < 16:
        return 1.0, 0.0
    qx = _quantiles(x)
    qy = _quantiles(y)
    usable = (qy > CLIPPED_LOW + 4) & (qy < CLIPPED_HIGH - 4)
    ux, uy = qx[usable], qy[usable]
    dx = ux[None, :] - ux[:, None]
    pairs = dx > 2.0
    if pairs.sum() >= 3:  # Theil–Sen over the quantile pairs: a few bad pairs do not count
        gain = _median((uy[None, :] - uy[:, None])[pairs] / dx[pairs])
        offset = _median(uy - gain * ux)
    else:
        gain, offset = 1.0, _median(y - x)
    inside = (y > CLIPPED_LOW) & (y < CLIPPED_HIGH)
    if linear is not None:  # away from clipped pixels, where blur keeps the mapping linear
        inside &= linear
    xs, ys = x[inside], y[inside]
    x64, y64 = xs.astype(np.float64), ys.astype(np.float64)
    moments = np.stack((x64, y64, x64 * x64, x64 * y64))
    for _ in range(3 if xs.size >= 16 else 0):
        residual = np.abs(ys - (gain * xs + offset))
        keep = residual <= _median(residual)
        line = _line(moments, keep)
        if line is None:
            break
        gain, offset = line
    gain = min(max(gain, 0.25), 4.0)
    return gain, offset


#: A light field is only used when its gain varies across the picture by more than this,
#: and when it brings the typical difference of the picture's pixels down to this share of
#: the single fit's: a more flexible model is only worth it when it explains the picture.
_FIELD_MIN_SPREAD = 0.03
_FIELD_MIN_GAIN = 0.75
#: Below this typical difference (grey levels) left by the single fit, no field is tried: a
#: steady room with people moving in it stays under half a level, uneven light is at 2 to 30.
_FIELD_MIN_ERROR = 1.5


def _fit_field(
    x: Image,
    y: Image,
    usable: NDArray[np.bool_],
    across: NDArray[np.float64],
    down: NDArray[np.float64],
    gain: float,
    offset: float,
) -> NDArray[np.float64] | None:
    """A gain and an offset that vary linearly across the picture (light from one side).

    Lamps and windows rarely light a room evenly: after a change, one side brightens more
    than the other and a single gain leaves the far side looking different everywhere.
    Starting from the single fit, the six coefficients of `gain + gain_x·u + gain_y·v` and
    `offset + offset_x·u + offset_y·v` are fitted on the half of the pixels that agree best,
    three times over, so people and objects (a minority) do not bend the field. None when
    the field is as good as flat, or explains the picture hardly better than the single fit
    (a hand or a person changed it, not the light).
    """
    inside = usable & (y > CLIPPED_LOW) & (y < CLIPPED_HIGH)
    if int(np.count_nonzero(inside)) < 64:
        return None
    xs, ys = x[inside].astype(np.float64), y[inside].astype(np.float64)
    errors = [_median(np.abs(ys - (gain * xs + offset)))]
    if errors[0] < _FIELD_MIN_ERROR:
        return None  # the single fit already explains the picture to within the noise
    # every other pixel is plenty for six coefficients, and halves the work
    xs, ys, u, v = xs[::2], ys[::2], across[inside][::2], down[inside][::2]
    design = np.stack((xs, xs * u, xs * v, np.ones_like(xs), u, v))
    coefficients = np.array([gain, 0.0, 0.0, offset, 0.0, 0.0])
    for _ in range(3):
        residual = np.abs(ys - coefficients @ design)
        keep = (residual <= _median(residual)).astype(np.float64)
        kept = design * keep  # the normal equations over the kept pixels: a 6×6 solve
        try:
            coefficients = np.linalg.solve(kept @ design.T, kept @ ys)
        except np.linalg.LinAlgError:
            return None
    if abs(coefficients[1]) + abs(coefficients[2]) < _FIELD_MIN_SPREAD:
        return None
    errors.append(_median(np.abs(ys - coefficients @ design)))
    if errors[1] > _FIELD_MIN_GAIN * errors[0]:
        return None  # the picture is not lit unevenly: something else changed it
    return coefficients


class _ZoneState:
    """A zone's pixels and decision."""

    def __init__(
        self, zone_id: str, kind: ZoneKind, mask: NDArray[np.bool_], settings: AnalyzerSettings
    ) -> None:
        self.id = zone_id
        self.kind = kind
        self.mask = mask
        self.pixels = max(int(mask.sum()), 1)
        ys, xs = np.nonzero(mask)
        self.box = (
            (int(ys.min()), int(ys.max()) + 1, int(xs.min()), int(xs.max()) + 1)
            if ys.size
            else (0, 1, 0, 1)
        )
        y0, y1, x0, x1 = self.box
        self.crop_mask = mask[y0:y1, x0:x1]
        self.presence = ZonePresence(settings.presence)


class CameraAnalyzer:
    """Presence, counts and motion for the zones of one camera."""

    def __init__(self, layout: ZoneLayout, settings: AnalyzerSettings | None = None) -> None:
        """Prepare for `layout`; the frame size is learned from the first frame."""
        self.layout = layout
        self.settings = settings or AnalyzerSettings()
        self._shape: tuple[int, int] | None = None
        self._zones: list[_ZoneState] = []
        self._valid: NDArray[np.bool_] | None = None
        self._work: _Workspace | None = None
        self._background: Image | None = None
        self._previous: Image | None = None
        self._previous_fit = (1.0, 0.0)
        self._relit_since: float | None = None
        self._pending_state: dict[str, Any] | None = None
        self.last: AnalysisResult | None = None

    def analysis_size(self, width: int, height: int) -> tuple[int, int]:
        """The size to scale a `width`×`height` source to before `process`."""
        return analysis_size(width, height, self.settings.analysis_width)

    # --- frames --------------------------------------------------------------------------

    def process(self, t: float, gray: Gray) -> AnalysisResult:
        """Analyse one greyscale frame taken at `t` seconds."""
        if self._shape != gray.shape:
            self._setup(gray.shape)
        work, valid = self._work, self._valid
        assert work is not None
        assert valid is not None
        # the newest frame goes into the buffer that does not hold the previous one
        frame = work.frames[1] if self._previous is work.frames[0] else work.frames[0]
        np.copyto(work.gray16, gray)
        _box3_sum(work.gray16, work.sum16, work.rows16)
        np.divide(work.sum16, np.float32(9.0), out=frame)
        # grey levels are integers: comparing with integer limits avoids a float copy
        clipped = (gray >= int(CLIPPED_HIGH)) | (gray <= int(CLIPPED_LOW))
        near_clip = _box3_sum(clipped.view(np.uint8), work.sum8, work.rows8) > 0
        if self._background is None:
            self._background = frame.copy()
        if self._previous is None:
            self._previous = frame

        s = self.settings
        expected, gain, offset = self._expected(frame, near_clip)
        residual = np.subtract(frame, expected, out=work.residual)
        np.abs(residual, out=residual)
        # clipped pixels (blown out by a lamp, or black) cannot be compared
        comparable = ~near_clip & (expected < CLIPPED_HIGH) & (expected > CLIPPED_LOW)
        sample = residual.take(work.noise_index)
        noise = max(_median(sample) * 1.4826, s.noise_floor / s.noise_factor)
        threshold = noise * s.noise_factor
        foreground = work.majority3((residual > threshold) & comparable, 5)

        # brightness change since the previous frame, from the two fits against the background
        prev_gain, prev_offset = self._previous_fit
        m_gain = gain / prev_gain
        change = np.multiply(self._previous, m_gain, out=work.change)
        change += offset - m_gain * prev_offset
        np.subtract(frame, change, out=change)
        np.abs(change, out=change)
        moving = work.majority3((change > threshold) & ~near_clip, 4)
        moving &= valid
        self._previous_fit = (gain, offset)
        camera_motion = int(np.count_nonzero(moving)) / moving.size >= s.camera_motion

        readings, relearn = self._read_zones(t, foreground, moving)
        busy = foreground | moving
        busy |= ~comparable
        self._update_background(t, frame, gain, offset, busy, relearn)
        self._previous = frame
        self.last = AnalysisResult(t=t, motion=camera_motion, zones=readings)
        return self.last

    def _expected(self, frame: Image, near_clip: NDArray[np.bool_]) -> tuple[Image, float, float]:
        """The empty picture as it should look under this frame's light, and the single fit.

        The single gain and offset are returned (the lighting decisions use them); the picture
        follows a light field across the room instead when the light changed unevenly.
        """
        work, background, s = self._work, self._background, self.settings
        assert work is not None
        assert background is not None
        fit_x = background.take(work.fit_index)
        fit_y = frame.take(work.fit_index)
        linear = ~near_clip.take(work.fit_index)
        gain, offset = _fit_gain(fit_x, fit_y, linear)
        field = (
            _fit_field(fit_x, fit_y, linear, work.fit_across, work.fit_down, gain, offset)
            if abs(gain - 1.0) > s.field_gain or abs(offset) > s.field_offset
            else None
        )
        if field is None:
            expected = np.multiply(background, gain, out=work.expected)
            expected += offset
        else:
            gains = self._field_map(field[:3], work.gain_map)
            offsets = self._field_map(field[3:], work.offset_map)
            expected = np.multiply(background, gains, out=work.expected)
            expected += offsets
        return expected, gain, offset

    def _field_map(self, coefficients: NDArray[np.float64], out: Image) -> Image:
        """A value per pixel from `c0 + c1·across + c2·down`."""
        work = self._work
        assert work is not None
        np.multiply(work.across, np.float32(coefficients[1]), out=out)
        out += work.down * np.float32(coefficients[2])
        out += np.float32(coefficients[0])
        return out

    def _read_zones(
        self, t: float, foreground: NDArray[np.bool_], moving: NDArray[np.bool_]
    ) -> tuple[dict[str, ZoneReading], list[_ZoneState]]:
        """Each zone's reading after this frame, and the zones to learn as empty now."""
        s = self.settings
        relearn: list[_ZoneState] = []
        readings: dict[str, ZoneReading] = {}
        for zone in self._zones:
            y0, y1, x0, x1 = zone.box
            zfg = foreground[y0:y1, x0:x1] & zone.crop_mask
            zmove = moving[y0:y1, x0:x1] & zone.crop_mask
            measure = ZoneMeasure(
                foreground=int(np.count_nonzero(zfg)) / zone.pixels,
                motion=int(np.count_nonzero(zmove)) / zone.pixels,
                live_motion=int(np.count_nonzero(zmove & zfg)) / zone.pixels,
            )
            if zone.presence.update(t, measure):
                relearn.append(zone)
            occupied = zone.presence.occupied
            if zone.kind is ZoneKind.DESK:  # an empty desk counts nobody: no need to look
                count = max(self._count(zfg, zone), 1) if occupied else 0
            else:
                count = self._count(zfg, zone)
                occupied = occupied or count > 0
            readings[zone.id] = ZoneReading(
                occupied=occupied,
                count=count,
                motion=measure.motion >= s.presence.motion_on,
                foreground=measure.foreground,
            )
        return readings, relearn

    def _setup(self, shape: tuple[int, ...]) -> None:
        height, width = shape
        self._shape = (height, width)
        masked = np.zeros((height, width), dtype=bool)
        for polygon in self.layout.masks:
            masked |= rasterize(polygon, width, height)
        self._valid = ~masked
        self._work = _Workspace(self._valid)
        self._zones = []
        for zone in self.layout.zones:
            mask = rasterize(zone.polygon, width, height) & self._valid
            self._zones.append(_ZoneState(zone.id, zone.kind, mask, self.settings))
        self._background = None
        self._previous = None
        self._previous_fit = (1.0, 0.0)
        if self._pending_state is not None:
            self._apply_state(self._pending_state, self._shape)
            self._pending_state = None

    def _update_background(
        self,
        t: float,
        frame: Image,
        gain: float,
        offset: float,
        busy: NDArray[np.bool_],
        relearn: list[_ZoneState],
    ) -> None:
        """Blend the frame (brought back to the empty picture's brightness) where it is quiet.

        Only under the lighting the empty picture was learned in: after a lamp or the sun
        changed the picture a lot, the fit that brings it back is not exact enough to learn
        from. If the new lighting lasts (`relight_after`) while every zone is empty, the
        empty picture is taken anew. The zones in `relearn` take the frame as it is.
        """
        assert self._background is not None
        assert self._work is not None
        s = self.settings
        if abs(gain - 1.0) > s.relight_gain or abs(offset) > s.relight_offset:
            if self._relit_since is None:
                self._relit_since = t
            anyone = any(zone.presence.occupied for zone in self._zones)
            if t - self._relit_since >= s.relight_after and not anyone:
                self._background = frame.copy()
                self._relit_since = None
            return  # nothing is learned under changed lighting, not even a zone's relearn
        self._relit_since = None
        background = self._background
        normalized = np.subtract(frame, offset, out=self._work.expected)
        normalized /= gain
        for zone in self._zones:
            if zone.presence.occupied or zone.presence.phase is ZonePhase.LEARNING:
                busy |= zone.mask
        step = np.subtract(normalized, background, out=self._work.change)
        step *= s.background_alpha
        np.add(background, step, out=background, where=~busy)
        for zone in relearn:
            np.copyto(background, normalized, where=zone.mask)
        np.clip(background, 0, 255, out=background)

    def _count(self, crop: NDArray[np.bool_], zone: _ZoneState) -> int:
        """People in a zone: separate foreground blobs of at least person size (4×4 blocks)."""
        bh, bw = max(crop.shape[0] // 4, 1), max(crop.shape[1] // 4, 1)
        blocks = (
            # over 30 % of a block's 16 pixels: at least 5
            crop[: bh * 4, : bw * 4].reshape(bh, 4, bw, 4).sum(axis=(1, 3), dtype=np.uint8) >= 5
            if crop.shape[0] >= 4 and crop.shape[1] >= 4
            else crop
        )
        return _count_blobs(blocks, self.settings.person_blocks)

    # --- what the user and a restart need -------------------------------------------------

    def calibrate(self, t: float, gray: Gray | None = None) -> None:
        """Take the current picture (or `gray`) as every zone's empty picture."""
        if gray is not None:
            if self._shape != gray.shape:
                self._setup(gray.shape)
            self._background = _box3(gray)
        elif self._previous is not None:
            self._background = self._previous.copy()
        for zone in self._zones:
            zone.presence.calibrate(t)

    def export_state(self) -> dict[str, Any] | None:
        """What was learned (empty picture and zone states), as JSON-safe data."""
        if self._background is None or self._shape is None:
            return None
        raw = np.clip(self._background, 0, 255).astype(np.uint8).tobytes()
        return {
            "version": STATE_VERSION,
            "shape": list(self._shape),
            "background": base64.b64encode(zlib.compress(raw, 6)).decode("ascii"),
            "zones": {zone.id: zone.presence.export() for zone in self._zones},
            "layout": self.layout.to_dict(),
        }

    def restore_state(self, data: dict[str, Any]) -> None:
        """Resume from `export_state` output; ignored if the layout or version changed."""
        if data.get("version") != STATE_VERSION or data.get("layout") != self.layout.to_dict():
            return
        self._pending_state = data
        if self._shape is not None:
            self._apply_state(data, self._shape)

    def _apply_state(self, data: dict[str, Any], shape: tuple[int, ...]) -> None:
        if list(shape) != data.get("shape"):
            return
        try:
            raw = zlib.decompress(base64.b64decode(data["background"]))
            background = np.frombuffer(raw, dtype=np.uint8).reshape(shape).astype(np.float32)
        except (KeyError, ValueError, zlib.error):
            return
        self._background = background
        zones = data.get("zones", {})
        for zone in self._zones:
            if zone.id in zones:
                zone.presence.restore(zones[zone.id])


def _count_blobs(blocks: NDArray[np.bool_], min_blocks: int) -> int:
    """Connected groups (4-neighbour) of True cells with at least `min_blocks` cells.

    A flood fill over a flat Python list: indexing numpy arrays one cell at a time costs
    several times as much on grids this small.
    """
    width = blocks.shape[1]
    cells: list[bool] = blocks.ravel().tolist()
    total = len(cells)
    count = 0
    for start, on in enumerate(cells):
        if not on:
            continue
        cells[start] = False  # cleared once reached: each cell is counted once
        stack = [start]
        size = 0
        while stack:
            cell = stack.pop()
            size += 1
            column = cell % width
            for neighbour, inside in (
                (cell - width, cell >= width),
                (cell + width, cell + width < total),
                (cell - 1, column > 0),
                (cell + 1, column < width - 1),
            ):
                if inside and cells[neighbour]:
                    cells[neighbour] = False
                    stack.append(neighbour)
        if size >= min_blocks:
            count += 1
    return count
