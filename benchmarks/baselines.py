"""Three plain OpenCV 4.x desk-presence baselines for the accuracy benchmark.

Each baseline has the same tiny interface as the engine adapter in :mod:`benchmarks.accuracy`
(:class:`PresenceDetector`): it is made for a clip's zones (normalized ``x1, y1, x2, y2``
rectangles), says which frame size it wants, and turns one greyscale frame taken at ``t``
seconds into an occupied flag per zone.  Nothing is tuned per clip.

* ``mog2``: ``cv2.createBackgroundSubtractorMOG2()`` with its default parameters; a zone is
  occupied while more than :data:`MOG2_FOREGROUND` of its pixels are foreground (shadows, value
  127, do not count).
* ``motion-30s``: a Frigate-style motion detector (its ``improved`` detector's steps and
  defaults, re-implemented: frame scaled to 100 px high, contrast stretched with the 4th and 96th
  percentiles averaged over 50 frames, Gaussian blur, difference against a running average,
  threshold 30, dilation, contours above 10 px, recalibration above 80 % motion); a zone is
  occupied while a motion box touched it within the last 30 s (``mqtt_off_delay``).
* ``hog``: OpenCV's HOG people detector (``cv2.HOGDescriptor_getDefaultPeopleDetector``) run
  on a crop around each zone, scaled up so that the zone is at least 100 px and the crop at
  least 144 px high (the detector fails on inputs under about 100 px; a larger scale costs more
  and finds no more seated people); a zone is occupied while a detection box overlaps it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

import cv2
import numpy as np
import numpy.typing as npt

__all__ = [
    "BASELINES",
    "FrigateMotion",
    "HogPeople",
    "Mog2",
    "PresenceDetector",
]

Rect = tuple[float, float, float, float]
Gray = npt.NDArray[np.uint8]

MOG2_FOREGROUND = 0.10
MOTION_HOLD = 30.0
HOG_ZONE_HEIGHT = 100


class PresenceDetector(Protocol):
    """What the benchmark calls: one object per clip, fed frames in time order."""

    name: str

    def analysis_size(self, width: int, height: int) -> tuple[int, int]:
        """The size the frames of a ``width`` x ``height`` source are to be scaled to."""
        ...

    def process(self, t: float, gray: Gray) -> dict[str, bool]:
        """Occupied flag per zone after the greyscale frame taken at ``t`` seconds."""
        ...


def _pixel_box(rect: Rect, width: int, height: int) -> tuple[int, int, int, int]:
    """A normalized rectangle as pixel bounds ``x1, y1, x2, y2`` (at least one pixel)."""
    x1 = min(width - 1, max(0, round(rect[0] * width)))
    y1 = min(height - 1, max(0, round(rect[1] * height)))
    x2 = max(x1 + 1, min(width, round(rect[2] * width)))
    y2 = max(y1 + 1, min(height, round(rect[3] * height)))
    return x1, y1, x2, y2


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    """Whether two ``x1, y1, x2, y2`` boxes share a positive area."""
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


class Mog2:
    """MOG2 background subtraction with default parameters, foreground fraction per zone."""

    name = "mog2"

    def __init__(self, zones: Mapping[str, Rect]) -> None:
        self.zones = dict(zones)
        self.subtractor = cv2.createBackgroundSubtractorMOG2()

    def analysis_size(self, width: int, height: int) -> tuple[int, int]:
        return width, height

    def process(self, t: float, gray: Gray) -> dict[str, bool]:
        mask = self.subtractor.apply(gray)
        height, width = mask.shape
        out = {}
        for zone, rect in self.zones.items():
            x1, y1, x2, y2 = _pixel_box(rect, width, height)
            fraction = float(np.count_nonzero(mask[y1:y2, x1:x2] == 255)) / ((x2 - x1) * (y2 - y1))
            out[zone] = fraction > MOG2_FOREGROUND
        return out


class FrigateMotion:
    """Frigate-style motion detection with a 30 s hold per zone."""

    name = "motion-30s"
    frame_height = 100
    threshold = 30
    contour_area = 10
    lightning_threshold = 0.8
    frame_alpha = 0.01
    contrast_history = 50

    def __init__(self, zones: Mapping[str, Rect]) -> None:
        self.zones = dict(zones)
        self.avg: npt.NDArray[np.float32] | None = None
        self.calibrating = True
        self.motion_frames = 0
        self.contrast = np.zeros((self.contrast_history, 2), dtype=np.float32)
        self.contrast[:, 1] = 255.0
        self.contrast_index = 0
        self.last_motion: dict[str, float] = {}

    def analysis_size(self, width: int, height: int) -> tuple[int, int]:
        return width, height

    def _prepare(self, gray: Gray) -> Gray:
        height, width = gray.shape
        size = (self.frame_height * width // height, self.frame_height)
        small = cv2.resize(gray, size, interpolation=cv2.INTER_NEAREST)
        low, high = np.percentile(small, (4, 96))
        if low < high:
            self.contrast[self.contrast_index] = (low, high)
            self.contrast_index = (self.contrast_index + 1) % self.contrast_history
            lo, hi = (float(v) for v in self.contrast.mean(axis=0))
            stretched = (np.clip(small.astype(np.float32), lo, hi) - lo) / max(hi - lo, 1e-6)
            small = (stretched * 255.0).astype(np.uint8)
        return cv2.GaussianBlur(small, (3, 3), 1.0)

    def motion_boxes(self, gray: Gray) -> list[tuple[float, float, float, float]]:
        """Motion boxes of this frame, normalized ``x1, y1, x2, y2``."""
        frame = self._prepare(gray)
        if self.avg is None:
            self.avg = np.zeros(frame.shape, dtype=np.float32)
        delta = cv2.absdiff(frame, cv2.convertScaleAbs(self.avg))
        _, thresh = cv2.threshold(delta, self.threshold, 255, cv2.THRESH_BINARY)
        dilated = cv2.dilate(thresh, None, iterations=1)
        contours, _ = cv2.findContours(dilated, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        height, width = frame.shape
        boxes = []
        total = 0.0
        for contour in contours:
            area = cv2.contourArea(contour)
            total += area
            if area > self.contour_area:
                x, y, w, h = cv2.boundingRect(contour)
                boxes.append((x / width, y / height, (x + w) / width, (y + h) / height))
        motion = total / (width * height)
        if motion < 0.05 and len(boxes) <= 4:
            self.calibrating = False
        if motion > self.lightning_threshold:
            self.calibrating = True
        alpha = 0.2 if self.calibrating else self.frame_alpha
        if boxes:
            self.motion_frames += 1
            if self.motion_frames >= 10:  # a lasting change is averaged in
                cv2.accumulateWeighted(frame, self.avg, alpha)
        else:
            self.motion_frames = 0
            cv2.accumulateWeighted(frame, self.avg, alpha)
        return boxes

    def process(self, t: float, gray: Gray) -> dict[str, bool]:
        boxes = self.motion_boxes(gray)
        out = {}
        for zone, rect in self.zones.items():
            if any(_overlaps(box, rect) for box in boxes):
                self.last_motion[zone] = t
            last = self.last_motion.get(zone)
            out[zone] = last is not None and t - last < MOTION_HOLD
        return out


class HogPeople:
    """OpenCV's default HOG people detector on an upscaled crop around each zone."""

    name = "hog"

    def __init__(self, zones: Mapping[str, Rect]) -> None:
        self.zones = dict(zones)
        self.hog = cv2.HOGDescriptor()
        self.hog.setSVMDetector(cv2.HOGDescriptor_getDefaultPeopleDetector())

    def analysis_size(self, width: int, height: int) -> tuple[int, int]:
        return width, height

    def detections(self, gray: Gray, rect: Rect) -> list[tuple[float, float, float, float]]:
        """People found around ``rect``, as normalized ``x1, y1, x2, y2`` boxes."""
        height, width = gray.shape
        zw, zh = rect[2] - rect[0], rect[3] - rect[1]
        around = (rect[0] - 0.3 * zw, rect[1] - 0.4 * zh, rect[2] + 0.3 * zw, rect[3] + 0.15 * zh)
        x1, y1, x2, y2 = _pixel_box(around, width, height)
        crop = gray[y1:y2, x1:x2]
        zone_px = max(zh * height, 1.0)
        scale = max(HOG_ZONE_HEIGHT / zone_px, 1.0)
        # at least 144 x 80 px: detectMultiScale fails on inputs smaller than its window
        scale = max(scale, 144.0 / crop.shape[0], 80.0 / crop.shape[1])
        if scale != 1.0:
            crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_LINEAR)
        found, _weights = self.hog.detectMultiScale(
            crop, winStride=(8, 8), padding=(8, 8), scale=1.05
        )
        return [
            (
                (x1 + bx / scale) / width,
                (y1 + by / scale) / height,
                (x1 + (bx + bw) / scale) / width,
                (y1 + (by + bh) / scale) / height,
            )
            for bx, by, bw, bh in (tuple(map(float, box)) for box in found)
        ]

    def process(self, t: float, gray: Gray) -> dict[str, bool]:
        return {
            zone: any(_overlaps(box, rect) for box in self.detections(gray, rect))
            for zone, rect in self.zones.items()
        }


BASELINES: dict[str, Callable[[Mapping[str, Rect]], PresenceDetector]] = {
    Mog2.name: Mog2,
    FrigateMotion.name: FrigateMotion,
    HogPeople.name: HogPeople,
}
