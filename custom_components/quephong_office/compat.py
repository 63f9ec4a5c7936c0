"""Names that moved between the Home Assistant versions this integration supports (2025.4+)."""

from __future__ import annotations

try:  # Home Assistant 2026.x validates forms with probatio, a voluptuous-compatible library
    import probatio as vol
except ImportError:  # pragma: no cover - Home Assistant before probatio
    import voluptuous as vol  # type: ignore[no-redef]

try:
    from homeassistant.components.camera.const import CameraEntityFeature
except ImportError:  # pragma: no cover - Home Assistant before the camera constants moved
    from homeassistant.components.camera import (  # type: ignore[attr-defined]
        CameraEntityFeature,
    )

try:
    from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
except ImportError:  # pragma: no cover - Home Assistant before the binary sensor constants moved
    from homeassistant.components.binary_sensor import (  # type: ignore[attr-defined]
        BinarySensorDeviceClass,
    )

try:
    from homeassistant.components.http.server import StaticPathConfig
except ImportError:  # pragma: no cover - Home Assistant before the HTTP server module
    from homeassistant.components.http import (  # type: ignore[attr-defined,no-redef,unused-ignore]
        StaticPathConfig,
    )

__all__ = ["BinarySensorDeviceClass", "CameraEntityFeature", "StaticPathConfig", "vol"]
