"""A camera already analysed by Frigate: its MQTT person counts feed the zones.

Frigate publishes, on change and not retained, the number of people it tracks in each of its
zones (`frigate/<zone>/person`, stationary people included) and the motion of each camera
(`frigate/<camera>/motion`, ON/OFF); its availability (`frigate/available`: online, stopped,
offline as Last Will) is retained. A zone of the office reads the Frigate zone named as the
zone itself, slugified (`Quầy 1` → `quay_1`); the camera's Frigate name is its subentry's
`frigate_camera` (default: the camera's name slugified). Frigate zone names are global: the
same name on two Frigate cameras is one count, summed by Frigate.

`FrigateAnalysis` offers the same face as the embedded and the worker analyses (`result`,
`frames_per_second`, `request_calibration`, listeners, the camera's monitor), so zones, desks,
rules and entities behave as with them. The camera is up while Frigate is online. Counts are
not retained and a restarted Frigate counts from zero, so each time Frigate becomes online
every zone starts again from 0, and the analysis asks Frigate what it tracks now
(`frigate/onConnect`, answered on `frigate/camera_activity`, Frigate 0.14 and newer): a
person already sitting at a desk when Home Assistant starts, or when the broker comes back,
counts at once rather than at Frigate's next change. While Frigate is stopped or offline (or
the broker is out of reach) the last result is kept but the camera is down, so its entities
are unavailable.

Only Frigate's default topic prefix (`frigate`) is followed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from homeassistant.components import mqtt
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.util import slugify

from .camera_runtime import CameraMonitor
from .const import FRIGATE_PREFIX, LOGGER
from .core.vision.analyzer import AnalysisResult, ZoneReading
from .core.vision.frigate_activity import PERSON, read_activity
from .core.vision.zones import ZoneLayout
from .listeners import Listeners

#: Frigate's availability words (`frigate/available`).
FRIGATE_ONLINE = "online"
FRIGATE_DOWN = {"stopped": "Frigate stopped", "offline": "Frigate offline"}


def frigate_zone(zone_name: str) -> str:
    """The Frigate zone a zone of the office reads: its name, slugified."""
    return slugify(zone_name)


def frigate_camera_default(camera_name: str) -> str:
    """A camera's Frigate name unless set: its name, slugified."""
    return slugify(camera_name)


def _text(payload: Any) -> str:
    return (
        payload.decode(errors="replace") if isinstance(payload, bytes) else str(payload)
    ).strip()


class FrigateAnalysis(Listeners):
    """A camera's analysis done by Frigate; counts arrive over MQTT."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry[Any],
        monitor: CameraMonitor,
        layout: ZoneLayout,
        frigate_camera: str,
    ) -> None:
        """Map the zones to their Frigate zones; `async_start` subscribes."""
        super().__init__()
        self.hass = hass
        self.entry = entry
        self.monitor = monitor
        self.layout = layout
        self.frigate_camera = frigate_camera
        self.result: AnalysisResult | None = None
        #: Frigate sends no frames here: the frame-age sensor stays unavailable.
        self.last_frame: float | None = None
        self.online: bool | None = None
        self._zones: dict[str, list[str]] = {}
        for zone in layout.zones:
            self._zones.setdefault(frigate_zone(zone.name), []).append(zone.id)
        self._counts: dict[str, int] = {}
        self._motion = False
        self._unsubs: list[CALLBACK_TYPE] = []

    @property
    def frames_per_second(self) -> float | None:
        """Frigate does not say how many frames it analyses: always None."""
        return None

    def topic_zone(self, zone: str) -> str:
        """The person count of a Frigate zone."""
        return f"{FRIGATE_PREFIX}/{zone}/{PERSON}"

    @property
    def topic_motion(self) -> str:
        """The camera's motion in Frigate."""
        return f"{FRIGATE_PREFIX}/{self.frigate_camera}/motion"

    @property
    def topic_available(self) -> str:
        """Frigate's availability (retained, its Last Will)."""
        return f"{FRIGATE_PREFIX}/available"

    @property
    def topic_activity(self) -> str:
        """What Frigate tracks now, sent when asked on `topic_ask_activity`."""
        return f"{FRIGATE_PREFIX}/camera_activity"

    @property
    def topic_ask_activity(self) -> str:
        """Where to ask Frigate for its current activity."""
        return f"{FRIGATE_PREFIX}/onConnect"

    async def async_start(self) -> None:
        """Follow Frigate's availability, the camera's motion and each zone's count."""
        self.monitor.drive_from_source()
        for zone in self._zones:
            handler = self._zone_handler(zone)
            self._unsubs.append(
                await mqtt.async_subscribe(self.hass, self.topic_zone(zone), handler)
            )
        self._unsubs.append(
            await mqtt.async_subscribe(self.hass, self.topic_motion, self._on_motion)
        )
        self._unsubs.append(
            await mqtt.async_subscribe(self.hass, self.topic_activity, self._on_activity)
        )
        self._unsubs.append(
            await mqtt.async_subscribe(self.hass, self.topic_available, self._on_available)
        )
        self._unsubs.append(mqtt.async_subscribe_connection_status(self.hass, self._on_connection))

    async def async_stop(self) -> None:
        """Stop following Frigate."""
        for unsub in self._unsubs:
            unsub()
        self._unsubs.clear()

    @callback
    def request_calibration(self) -> None:
        """Nothing to do: Frigate has no empty picture to learn."""
        LOGGER.debug(
            "Camera %s is analysed by Frigate: it has no empty picture to learn",
            self.monitor.config.name,
        )

    # --- messages --------------------------------------------------------------------------

    def _zone_handler(self, zone: str) -> Callable[[mqtt.ReceiveMessage], None]:
        @callback
        def _on_count(message: mqtt.ReceiveMessage) -> None:
            text = _text(message.payload)
            try:
                count = int(text)
            except ValueError:
                count = -1
            if count < 0:
                LOGGER.warning("Bad person count from Frigate on %s: %r", message.topic, text)
                return
            self._counts[zone] = count
            self._publish()

        return _on_count

    @callback
    def _on_motion(self, message: mqtt.ReceiveMessage) -> None:
        text = _text(message.payload)
        if text not in ("ON", "OFF"):
            LOGGER.warning("Bad motion from Frigate on %s: %r", message.topic, text)
            return
        self._motion = text == "ON"
        self._publish()

    @callback
    def _on_available(self, message: mqtt.ReceiveMessage) -> None:
        text = _text(message.payload)
        if text == FRIGATE_ONLINE:
            if self.online is not True:
                # A (re)started Frigate counts from zero and its counts are not retained:
                # start from empty and ask what it tracks now.
                self._counts.clear()
                self._motion = False
                self.online = True
                self.entry.async_create_background_task(
                    self.hass, self._async_ask_activity(), "ask Frigate for its activity"
                )
            self.monitor.report_source(True, None)
            self._publish()
        elif text in FRIGATE_DOWN:
            self.online = False
            self.monitor.report_source(False, FRIGATE_DOWN[text])
            self._notify()
        else:
            LOGGER.debug("Unknown Frigate availability %r ignored", text)

    async def _async_ask_activity(self) -> None:
        try:
            await mqtt.async_publish(self.hass, self.topic_ask_activity, "")
        except HomeAssistantError as err:  # off the broker: the next `online` asks again
            LOGGER.debug("Could not ask Frigate for its activity: %s", err)

    @callback
    def _on_activity(self, message: mqtt.ReceiveMessage) -> None:
        """Frigate's current activity: every zone's count, and the camera's motion if said."""
        activity = read_activity(message.payload)
        if activity is None:
            LOGGER.warning("Bad camera activity from Frigate on %s ignored", message.topic)
            return
        self._counts = {zone: activity.people.get(zone, 0) for zone in self._zones}
        self._motion = activity.motion.get(self.frigate_camera, self._motion)
        self._publish()

    @callback
    def _on_connection(self, connected: bool) -> None:
        """Off the broker: down until Frigate's retained availability arrives again."""
        if not connected:
            self.monitor.report_source(False, "MQTT broker unreachable")
            self._notify()

    @callback
    def _publish(self) -> None:
        """Build the result from the counts and the motion, and tell the listeners."""
        zones: dict[str, ZoneReading] = {}
        for zone, zone_ids in self._zones.items():
            count = self._counts.get(zone, 0)
            reading = ZoneReading(
                occupied=count > 0, count=count, motion=self._motion, foreground=0.0
            )
            for zone_id in zone_ids:
                zones[zone_id] = reading
        self.result = AnalysisResult(t=time.time(), motion=self._motion, zones=zones)
        self._notify()
