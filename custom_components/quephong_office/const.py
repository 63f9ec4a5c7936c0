"""Constants of the quephong_office integration."""

from __future__ import annotations

import logging
from typing import Final

DOMAIN: Final = "quephong_office"
LOGGER = logging.getLogger(__package__)

# Office entry (data)
CONF_LEVEL: Final = "level"
CONF_PARENT_UNIT: Final = "parent_unit"
CONF_UNIT_CODE: Final = "unit_code"
CONF_PRESET: Final = "preset"

# Camera subentry
SUBENTRY_CAMERA: Final = "camera"
CONF_ROLE: Final = "role"
CONF_SOURCE: Final = "source"
CONF_STREAM_URL: Final = "stream_url"
CONF_SUBSTREAM_URL: Final = "substream_url"
CONF_STILL_IMAGE_URL: Final = "still_image_url"
CONF_CHANNEL: Final = "channel"
CONF_RTSP_PORT: Final = "rtsp_port"
CONF_CAMERA_ENTITY: Final = "camera_entity"

# Zone subentry
SUBENTRY_ZONE: Final = "zone"
CONF_CAMERA: Final = "camera"
CONF_KIND: Final = "kind"
CONF_COORDINATES: Final = "coordinates"
#: The zone kind that is never analysed (a privacy mask), besides the analysed kinds.
KIND_PRIVACY_MASK: Final = "privacy_mask"

#: Seconds a connection test or a snapshot may take before the camera counts as unreachable.
CONNECT_TIMEOUT: Final = 10.0
#: A snapshot taken from the stream is reused for this many seconds.
SNAPSHOT_MAX_AGE: Final = 5.0

#: Largest snapshot accepted from a camera's snapshot URL (bytes).
MAX_STILL_IMAGE: Final = 10 * 1024 * 1024

#: What a camera's analysis has learned is saved this often (seconds) and at unload.
STATE_SAVE_INTERVAL: Final = 300.0

ISSUE_CAMERA_DOWN: Final = "camera_unreachable"
