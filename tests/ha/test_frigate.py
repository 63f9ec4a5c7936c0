"""Frigate face matches through Home Assistant's MQTT and a real Mosquitto broker."""

from __future__ import annotations

import asyncio
import json

from homeassistant.components import mqtt
from homeassistant.core import HomeAssistant

from custom_components.quephong_office.rules_runtime import frigate_matches
from devtools.broker import MosquittoBroker

from .conftest import office_entry, setup_mqtt, staff_subentry, wait_until


async def test_face_match_is_an_arrival(hass: HomeAssistant, broker: MosquittoBroker) -> None:
    mqtt_entry = await setup_mqtt(hass, broker)
    office = office_entry(
        subentries_data=[
            staff_subentry("Nguyễn Văn An", frigate_name="An", frigate_camera="mot_cua"),
            staff_subentry("Trần Thị Bình", frigate_name="Binh"),
        ]
    )
    office.add_to_hass(hass)
    assert await hass.config_entries.async_setup(office.entry_id)
    await hass.async_block_till_done()
    await wait_until(lambda: mqtt.is_connected(hass))

    binh = "event.tran_thi_binh_attendance_events"
    an = "event.nguyen_van_an_attendance_events"

    async def publish_until(topic: str, payload: dict, entity_id: str) -> None:
        """Publish until it arrives (subscriptions reach the broker a moment after setup)."""
        for _ in range(40):
            await mqtt.async_publish(hass, topic, json.dumps(payload))
            await asyncio.sleep(0.25)
            if hass.states.get(entity_id).attributes.get("event_type") == "arrival":
                return
        raise AssertionError(f"{payload} never arrived")

    # Bình recognised by any camera counts
    await publish_until(
        "frigate/tracked_object_update",
        {"type": "face", "name": "Binh", "score": 0.95, "camera": "cong"},
        binh,
    )
    # An seen by another camera than the one set for An: not counted
    await mqtt.async_publish(
        hass,
        "frigate/events",
        json.dumps({"type": "new", "after": {"camera": "cong", "sub_label": ["An", 0.93]}}),
    )
    await asyncio.sleep(0.5)  # a broker round trip, for the message to be (not) counted
    await hass.async_block_till_done()
    assert hass.states.get(binh).attributes["source"] == "frigate"
    assert hass.states.get(an).attributes.get("event_type") is None
    await publish_until(
        "frigate/events",
        {"type": "update", "after": {"camera": "mot_cua", "sub_label": ["An", 0.91]}},
        an,
    )
    assert hass.states.get(an).attributes["source"] == "frigate"
    # leave while the broker still runs
    assert await hass.config_entries.async_unload(office.entry_id)
    assert await hass.config_entries.async_unload(mqtt_entry.entry_id)


def test_frigate_payloads() -> None:
    assert frigate_matches('{"after": {"camera": "c", "sub_label": "An"}}') == [("An", "c")]
    assert frigate_matches(b'{"type": "face", "name": "An", "camera": "c"}') == [("An", "c")]
    for junk in ("not json", "[1]", '{"after": 3}', '{"after": {"sub_label": null}}'):
        assert frigate_matches(junk) == []
