"""Optional person detector (`detector: hog`): OpenCV's HOG people detector on occupied zones.

It only confirms: on the snapshot frame, each zone the engine calls occupied is cropped (with a
margin), scaled up so it is at least MIN_HEIGHT px tall (HOG fails on small inputs) and
searched for upright people; the number found goes into the state as `detector_count`. HOG
misses seated people and people seen from behind, so it never decides presence on its own.
OpenCV is only needed when the detector is chosen.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from custom_components.quephong_office.core.vision.zones import Zone

#: HOG's window is 64×128: smaller crops are scaled up to this height first.
MIN_HEIGHT = 160
#: Margin around a zone's bounding box, as a fraction of its size.
MARGIN = 0.25
#: The largest side a crop is searched at (keeps one zone under ~100 ms on a small core).
MAX_SIDE = 480


class DetectorUnavailable(RuntimeError):
    """The chosen detector cannot run here (its library is missing)."""


class Detector(Protocol):
    """Counts people in zones of a grey frame."""

    def count(self, gray: NDArray[np.uint8], zones: Iterable[Zone]) -> dict[str, int]:
        """People found per zone."""


def load_detector(name: str) -> Detector | None:
    """The detector called `name` (`none`: None); DetectorUnavailable if it cannot run."""
    if name == "none":
        return None
    if name == "hog":
        try:
            cv2 = importlib.import_module("cv2")
        except ImportError as err:
            raise DetectorUnavailable(
                "detector: hog needs OpenCV: pip install opencv-python-headless "
                "(scripts/worker-env installs it) / bộ nhận dạng hog cần OpenCV"
            ) from err
        return HogDetector(cv2)
    raise DetectorUnavailable(f"unknown detector {name!r}")


def crop_box(zone: Zone, width: int, height: int) -> tuple[int, int, int, int]:
    """The pixel box (x0, y0, x1, y1) searched for a zone: its bounds plus a margin."""
    xs = [x for x, _ in zone.polygon]
    ys = [y for _, y in zone.polygon]
    mx = (max(xs) - min(xs)) * MARGIN
    my = (max(ys) - min(ys)) * MARGIN
    x0 = max(0, int((min(xs) - mx) * width))
    x1 = min(width, int(np.ceil((max(xs) + mx) * width)))
    y0 = max(0, int((min(ys) - my) * height))
    y1 = min(height, int(np.ceil((max(ys) + my) * height)))
    return x0, y0, max(x1, x0 + 1), max(y1, y0 + 1)


class HogDetector:
    """OpenCV's default HOG people detector."""

    def __init__(self, cv2: Any) -> None:
        """Prepare the descriptor with OpenCV's pretrained people model."""
        self._cv2 = cv2
        self._hog = cv2.HOGDescriptor()
        self._hog.setSVMDetector(cv2.HOGDescriptor_getDefaultPeopleDetector())

    def count(self, gray: NDArray[np.uint8], zones: Iterable[Zone]) -> dict[str, int]:
        """People found in each zone's crop."""
        height, width = gray.shape
        counts: dict[str, int] = {}
        for zone in zones:
            x0, y0, x1, y1 = crop_box(zone, width, height)
            crop = gray[y0:y1, x0:x1]
            scale = max(1.0, MIN_HEIGHT / crop.shape[0])
            scale = min(scale, MAX_SIDE / max(crop.shape))
            if scale != 1.0:
                crop = self._cv2.resize(
                    crop,
                    (max(1, round(crop.shape[1] * scale)), max(1, round(crop.shape[0] * scale))),
                    interpolation=self._cv2.INTER_LINEAR,
                )
            if crop.shape[0] < 128 or crop.shape[1] < 64:
                counts[zone.id] = 0
                continue
            boxes, _weights = self._hog.detectMultiScale(
                crop, winStride=(8, 8), padding=(8, 8), scale=1.05
            )
            counts[zone.id] = len(boxes)
        return counts
