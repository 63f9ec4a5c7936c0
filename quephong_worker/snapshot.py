"""Snapshots: the latest analysed frame as JPEG.

The engine's frame source hands on the grey picture at the analysis size (320 px wide by
default), not the colour one, so that is what is encoded: enough to see who is at a desk, small
on the wire (about 10 KB), and free of a second decoding pass.
"""

from __future__ import annotations

import io

import numpy as np
from numpy.typing import NDArray
from PIL import Image

QUALITY = 80


def encode_jpeg(gray: NDArray[np.uint8], quality: int = QUALITY) -> bytes:
    """A grey picture as JPEG bytes."""
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(gray)).save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()
