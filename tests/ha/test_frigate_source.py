"""A camera analysed by Frigate: its MQTT person counts (through a real Mosquitto) drive the
desk and the people count, its motion drives the camera's motion sensor, and a restarted
Frigate (counting from zero, counts not retained) resets the zones to empty."""

from __future__ import annotations

import json
import logging
from collections.abc import Generator
from typing import Any

import paho.mqtt.client as paho
import pytest
from homeassistant import config_entries
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.quephong_office.const import SUBENTRY_CAMERA
from custom_components.quephong_office.frigate_runtime import (
    FrigateAnalysis,
    frigate_camera_default,
    frigate_zone,
)
from devtools.broker import MosquittoBroker
from devtools.streams import StreamServer

from .conftest import (
    MqttPeer,
    office_entry,
    office_with_desk,
    setup_mqtt,
    wait_until,
)

DESK = "binary_sensor.quay_1"
PEOPLE = "sensor.quay_1_people"
MOTION = "binary_sensor.bo_phan_mot_cua_motion"
AVAILABLE = "frigate/available"
COUNT = "frigate/quay_1/person"
CAMERA_MOTION = "frigate/mot_cua/motion"
ASK_ACTIVITY = "frigate/onConnect"
ACTIVITY = "frigate/camera_activity"


class FakeFrigate(MqttPeer):
    """Frigate's side of MQTT, driven by the test: availability (retained, Last Will), counts
    and motion (not retained); like Frigate, it says `online` again when it reconnects, and
    answers `frigate/onConnect` with what it tracks now on `frigate/camera_activity`."""

    def __init__(self, broker: MosquittoBroker) -> None:
        self.online = False
        self.tracked: dict[str, int] = {}  # people per zone Frigate tracks now
        self.asked = 0
        super().__init__(broker, "frigate", will=(AVAILABLE, "offline"))

    def _on_connect(self, client: paho.Client, *_args: Any) -> None:
        client.subscribe(ASK_ACTIVITY, qos=1)
        if self.online:
            client.publish(AVAILABLE, "online", qos=1, retain=True)

    def _on_message(self, client: paho.Client, _userdata: Any, _message: paho.MQTTMessage) -> None:
        """Asked on `frigate/onConnect`: each camera's tracked objects with their zones."""
        self.asked += 1
        people = [
            {"id": f"{zone}-{n}", "label": "person", "stationary": True, "current_zones": [zone]}
            for zone, count in self.tracked.items()
            for n in range(count)
        ]
        activity = {
            "mot_cua": {"motion": False, "objects": people, "config": {"detect": True}},
            "cong": {  # another camera: a car, and nobody in the office's zones
                "motion": True,
                "objects": [{"id": "c", "label": "car", "current_zones": ["quay_1"]}],
            },
        }
        client.publish(ACTIVITY, json.dumps(activity), qos=1)

    def track(self, zone: str, people: int) -> None:
        """People enter or leave a zone: Frigate tracks them and publishes the new count."""
        self.tracked[zone] = people
        self.publish(f"frigate/{zone}/person", str(people))

    def available(self, word: str) -> None:
        self.online = word == "online"
        self.publish(AVAILABLE, word, retain=True)


@pytest.fixture
def frigate(broker: MosquittoBroker) -> Generator[FakeFrigate]:
    fake = FakeFrigate(broker)
    yield fake
    fake.close()


async def _office(
    hass: HomeAssistant, server: StreamServer, *, staff: bool = False, loads: bool = True
) -> MockConfigEntry:
    return await office_with_desk(
        hass, server, staff=staff, loads=loads, analysis="frigate", frigate_camera="mot_cua"
    )


def _state(hass: HomeAssistant, entity_id: str) -> str | None:
    state = hass.states.get(entity_id)
    return state.state if state else None


def test_frigate_names() -> None:
    assert frigate_zone("Quầy 1") == "quay_1"
    assert frigate_zone("Hành lang tầng 2") == "hanh_lang_tang_2"
    assert frigate_camera_default("Bộ phận một cửa") == "bo_phan_mot_cua"


async def test_frigate_counts_drive_the_desk(
    hass: HomeAssistant,
    broker: MosquittoBroker,
    frigate: FakeFrigate,
    stream_server: StreamServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="custom_components.quephong_office")
    await setup_mqtt(hass, broker)
    entry = await _office(hass, stream_server)
    camera = next(k for k, s in entry.subentries.items() if s.subentry_type == SUBENTRY_CAMERA)
    analysis = entry.runtime_data.analyses[camera]
    assert isinstance(analysis, FrigateAnalysis)
    assert analysis.frigate_camera == "mot_cua"
    assert analysis.frames_per_second is None
    # Frigate has not said it is online: nothing is known yet
    assert _state(hass, DESK) == STATE_UNAVAILABLE
    assert _state(hass, MOTION) == STATE_UNAVAILABLE

    # online: every zone starts empty
    frigate.available("online")
    await wait_until(lambda: _state(hass, DESK) == STATE_OFF)
    assert _state(hass, PEOPLE) == "0"
    assert _state(hass, MOTION) == STATE_OFF
    assert analysis.last_frame is None  # Frigate sends no frames here: no frame age

    frigate.publish(COUNT, "1")
    await wait_until(lambda: _state(hass, DESK) == STATE_ON)
    assert _state(hass, PEOPLE) == "1"
    frigate.publish(CAMERA_MOTION, "ON")
    await wait_until(lambda: _state(hass, MOTION) == STATE_ON)
    # `online` again without going down (a reconnection of Frigate): the counts hold
    frigate.available("online")
    frigate.publish(CAMERA_MOTION, "OFF")
    await wait_until(lambda: _state(hass, MOTION) == STATE_OFF)
    assert (_state(hass, DESK), _state(hass, PEOPLE)) == (STATE_ON, "1")
    frigate.publish(CAMERA_MOTION, "ON")
    await wait_until(lambda: _state(hass, MOTION) == STATE_ON)

    # the calibrate button has nothing to do with Frigate
    (button,) = hass.states.async_entity_ids("button")
    await hass.services.async_call("button", "press", {"entity_id": button}, blocking=True)
    assert "it has no empty picture to learn" in caplog.text

    # junk is ignored with a warning, the readings stay
    frigate.publish(COUNT, "nhiều")
    frigate.publish(COUNT, "-1")
    frigate.publish(CAMERA_MOTION, "MAYBE")
    frigate.publish(AVAILABLE, "sleepy", retain=True)
    await wait_until(lambda: "Bad motion from Frigate" in caplog.text)
    assert "Bad person count from Frigate on frigate/quay_1/person: 'nhiều'" in caplog.text
    assert "Bad person count from Frigate on frigate/quay_1/person: '-1'" in caplog.text
    assert (_state(hass, DESK), _state(hass, PEOPLE), _state(hass, MOTION)) == (
        STATE_ON,
        "1",
        STATE_ON,
    )

    # Frigate restarts: unavailable while it is down, then every zone starts again from zero
    frigate.available("offline")
    await wait_until(lambda: _state(hass, DESK) == STATE_UNAVAILABLE)
    assert _state(hass, PEOPLE) == STATE_UNAVAILABLE
    assert _state(hass, MOTION) == STATE_UNAVAILABLE
    assert analysis.monitor.health.last_error == "Frigate offline"
    assert analysis.result is not None  # kept while Frigate is down
    frigate.available("online")
    await wait_until(lambda: _state(hass, DESK) == STATE_OFF)
    assert _state(hass, PEOPLE) == "0"
    assert _state(hass, MOTION) == STATE_OFF
    frigate.publish(COUNT, "2")
    await wait_until(lambda: _state(hass, PEOPLE) == "2")
    assert _state(hass, DESK) == STATE_ON

    # a stopped Frigate: unavailable too
    frigate.available("stopped")
    await wait_until(lambda: _state(hass, DESK) == STATE_UNAVAILABLE)
    assert analysis.monitor.health.last_error == "Frigate stopped"

    assert await hass.config_entries.async_unload(entry.entry_id)
    assert not analysis._unsubs


async def test_a_broker_restart(
    hass: HomeAssistant,
    broker: MosquittoBroker,
    frigate: FakeFrigate,
    stream_server: StreamServer,
) -> None:
    """Off the broker the desk is unavailable; it is back once Frigate says `online` again,
    with the person still sitting there: whether or not Home Assistant heard Frigate's Last
    Will on the way down, it asks Frigate what it tracks when Frigate is online again."""
    await setup_mqtt(hass, broker, birth=False)
    await _office(hass, stream_server)
    frigate.available("online")
    await wait_until(lambda: _state(hass, DESK) == STATE_OFF)
    frigate.track("quay_1", 1)
    await wait_until(lambda: _state(hass, DESK) == STATE_ON)

    broker.stop()
    await wait_until(lambda: _state(hass, DESK) == STATE_UNAVAILABLE, timeout=30)
    broker.start()
    await wait_until(lambda: _state(hass, DESK) != STATE_UNAVAILABLE, timeout=30)
    await wait_until(lambda: _state(hass, PEOPLE) == "1")
    assert _state(hass, DESK) == STATE_ON


async def test_a_person_already_at_the_desk_counts_at_once(
    hass: HomeAssistant,
    broker: MosquittoBroker,
    frigate: FakeFrigate,
    stream_server: StreamServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Frigate counted her before Home Assistant started: no count will come until she moves
    or leaves, so the desk must learn it from Frigate's current activity."""
    frigate.available("online")
    frigate.track("quay_1", 1)
    await setup_mqtt(hass, broker)
    await _office(hass, stream_server)
    await wait_until(lambda: _state(hass, DESK) == STATE_ON)
    assert _state(hass, PEOPLE) == "1"  # the car in quay_1 of another camera is no person
    assert frigate.asked >= 1

    # a malformed answer is ignored with a warning; the readings stay
    for junk in ("[]", "{", '{"mot_cua": {"objects": [{"label": "person", "current_zones": 1}]}}'):
        frigate.publish(ACTIVITY, junk)
    await wait_until(lambda: caplog.text.count("Bad camera activity from Frigate") == 3)
    assert (_state(hass, DESK), _state(hass, PEOPLE)) == (STATE_ON, "1")

    # she leaves: Frigate's count, as ever
    frigate.track("quay_1", 0)
    await wait_until(lambda: _state(hass, DESK) == STATE_OFF)


async def test_a_desk_count_is_an_arrival(
    hass: HomeAssistant,
    broker: MosquittoBroker,
    frigate: FakeFrigate,
    stream_server: StreamServer,
) -> None:
    await setup_mqtt(hass, broker)
    await _office(hass, stream_server, staff=True)
    attendance = "event.nguyen_van_an_attendance_events"
    frigate.available("online")
    await wait_until(lambda: _state(hass, DESK) == STATE_OFF)
    assert hass.states.get(attendance).attributes.get("event_type") is None

    frigate.publish(COUNT, "1")
    await wait_until(lambda: hass.states.get(attendance).attributes.get("event_type") == "arrival")
    assert hass.states.get(attendance).attributes["source"] == "desk"


async def test_frigate_camera_waits_for_mqtt(
    hass: HomeAssistant, stream_server: StreamServer
) -> None:
    entry = await _office(hass, stream_server, loads=False)
    assert entry.state is config_entries.ConfigEntryState.SETUP_RETRY


def _field(result: Any, key: str) -> Any:
    return next((k for k in result["data_schema"].schema if k == key), None)


async def test_camera_flow_offers_frigate(
    hass: HomeAssistant, stream_server: StreamServer, broker: MosquittoBroker
) -> None:
    entry: MockConfigEntry = office_entry()
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    async def _init() -> Any:
        return await hass.config_entries.subentries.async_init(
            (entry.entry_id, SUBENTRY_CAMERA), context={"source": config_entries.SOURCE_USER}
        )

    result = await _init()
    analysis = _field(result, "analysis")
    options = result["data_schema"].schema[analysis].config["options"]
    assert options == ["embedded", "worker", "frigate"]
    assert _field(result, "frigate_camera") is None  # asked only for Frigate

    base = {"name": "Bộ phận một cửa", "role": "one_stop", "source": "url", "analysis": "frigate"}
    result = await hass.config_entries.subentries.async_configure(result["flow_id"], base)
    assert result["errors"] == {"analysis": "mqtt_required"}

    await setup_mqtt(hass, broker)
    result = await _init()
    result = await hass.config_entries.subentries.async_configure(result["flow_id"], base)
    # the form grows the Frigate camera field, suggested from the camera's name
    assert (result["type"], result["step_id"], result["errors"]) == (
        FlowResultType.FORM,
        "user",
        None,
    )
    field = _field(result, "frigate_camera")
    assert field.description == {"suggested_value": "bo_phan_mot_cua"}
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {**base, "frigate_camera": "một cửa"}
    )
    assert result["errors"] == {"frigate_camera": "invalid_frigate_camera"}
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {**base, "frigate_camera": " mot_cua "}
    )
    assert result["step_id"] == "url"
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"stream_url": stream_server.stream_url("cam")}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    created = next(s for s in entry.subentries.values() if s.subentry_type == SUBENTRY_CAMERA)
    assert (created.data["analysis"], created.data["frigate_camera"]) == ("frigate", "mot_cua")

    # any source will do (Frigate's own camera entity is typical); an empty field keeps the
    # default (the name slugified), nothing is stored
    result = await _init()
    entity_base = {**base, "name": "Cổng chính", "source": "entity"}
    result = await hass.config_entries.subentries.async_configure(result["flow_id"], entity_base)
    assert _field(result, "frigate_camera").description == {"suggested_value": "cong_chinh"}
    result = await hass.config_entries.subentries.async_configure(result["flow_id"], entity_base)
    assert result["step_id"] == "entity"

    # reconfiguring the Frigate camera shows its Frigate name at once
    await hass.async_block_till_done()
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_CAMERA),
        context={"source": config_entries.SOURCE_RECONFIGURE, "subentry_id": created.subentry_id},
    )
    assert _field(result, "frigate_camera").description == {"suggested_value": "mot_cua"}
