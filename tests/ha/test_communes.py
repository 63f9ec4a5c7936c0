"""A commune publishes its discipline figures over a real Mosquitto; the province it reports to
shows one device per listed commune with today's figures; stale, bad or foreign messages do
not count; the province lists its communes in the options."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from homeassistant.components import mqtt
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.quephong_office import communes_runtime
from custom_components.quephong_office.const import DOMAIN
from custom_components.quephong_office.core.report.exchange import (
    decode_summary,
    encode_summary,
    topic_summary,
)
from devtools.broker import MosquittoBroker

from .conftest import MqttPeer, office_entry, setup_mqtt, staff_subentry, wait_until

PROVINCE = "ubnd_tinh_nghe_an"
FIGURES = {
    "late": 3,
    "early": 0,
    "absent": 1,
    "on_leave": 0,
    "present": 9,
    "unattended_minutes": 40,
    "violations": 5,
}


def _province(communes: str) -> MockConfigEntry:
    return MockConfigEntry(
        domain=DOMAIN,
        title="UBND tỉnh Nghệ An",
        data={"name": "UBND tỉnh Nghệ An", "level": "province", "unit_code": "40"},
        options={**office_entry().options, "communes": communes},
        unique_id="40",
    )


def _publish(broker: MosquittoBroker, topic: str, payload: bytes) -> None:
    """A commune's retained message, as its bridge delivers it."""
    commune = MqttPeer(broker, "")
    commune.publish(topic, payload, retain=True)
    commune.close()


def _tien_phong(summary: dict[str, Any]) -> bytes:
    """Xã Tiền Phong's daily message with `summary` as today's figures."""
    return encode_summary(
        site="17008",
        office="UBND xã Tiền Phong",
        published=dt_util.now(),
        summary=summary,
        previous=None,
    )


def _value(hass: HomeAssistant, entity_id: str) -> str | None:
    state = hass.states.get(entity_id)
    return state.state if state else None


async def test_communes_figures_reach_the_province(
    hass: HomeAssistant, broker: MosquittoBroker, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(communes_runtime, "PUBLISH_DELAY", 0.1)
    await setup_mqtt(hass, broker)
    commune = office_entry(subentries_data=[staff_subentry("Nguyễn Văn An")])
    province = _province("Xã Quế Phong; ; 17011\nXã Tiền Phong; ; 17008\nXã Không Mã")
    seen: list[bytes] = []
    await mqtt.async_subscribe(hass, topic_summary("17011"), lambda m: seen.append(m.payload))
    for entry in (commune, province):
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()

    # the commune published at start; the province shows today's figures on the commune's device
    await wait_until(lambda: bool(seen))
    sent = decode_summary(seen[-1])
    assert (sent.site, sent.office, sent.day) == (
        "17011",
        "UBND xã Quế Phong",
        dt_util.now().date(),
    )
    late = "sensor.xa_que_phong_late_today"
    await wait_until(lambda: _value(hass, late) == "0")
    attributes = hass.states.get(late).attributes
    assert attributes["day"] == dt_util.now().date().isoformat()
    assert attributes["previous"] == 0
    devices = {
        d.name: d for d in dr.async_entries_for_config_entry(dr.async_get(hass), province.entry_id)
    }
    assert {"Xã Quế Phong", "Xã Tiền Phong"} <= set(devices)
    assert "Xã Không Mã" not in devices  # no unit code: nothing to hear
    assert devices["Xã Quế Phong"].serial_number == "17011"

    # a change in the commune's rules is published again a moment later
    count = len(seen)
    await hass.services.async_call(
        DOMAIN,
        "check_in",
        {
            "staff": next(
                d.id
                for d in dr.async_entries_for_config_entry(dr.async_get(hass), commune.entry_id)
                if d.name == "Nguyễn Văn An"
            )
        },
        blocking=True,
    )
    await wait_until(lambda: len(seen) > count)

    # another commune's figures: today's count, yesterday's do not
    tien_phong = "sensor.xa_tien_phong_late_today"
    assert _value(hass, tien_phong) == "unknown"
    today = {
        "day": dt_util.now().date().isoformat(),
        "working": True,
        "month_violations": 12,
        "figures": FIGURES,
    }
    _publish(broker, topic_summary("17008"), _tien_phong(today))
    await wait_until(lambda: _value(hass, tien_phong) == "3")
    assert _value(hass, "sensor.xa_tien_phong_violations_this_month") == "12"
    assert _value(hass, "sensor.xa_tien_phong_unattended_desk_minutes_today") == "40"
    stale = {**today, "day": "2020-01-01"}
    _publish(broker, topic_summary("17008"), _tien_phong(stale))
    await wait_until(lambda: _value(hass, tien_phong) == "unknown")
    # a bad message and a commune nobody listed change nothing
    _publish(broker, topic_summary("17008"), b"{broken")
    _publish(
        broker,
        topic_summary("99999"),
        encode_summary(
            site="99999", office="x", published=dt_util.now(), summary=today, previous=None
        ),
    )
    await asyncio.sleep(0.3)
    await hass.async_block_till_done()
    assert _value(hass, tien_phong) == "unknown"
    assert "sensor.x_late_today" not in hass.states.async_entity_ids("sensor")


async def test_province_lists_its_communes_in_the_options(hass: HomeAssistant) -> None:
    province = _province("")
    province.add_to_hass(hass)
    assert await hass.config_entries.async_setup(province.entry_id)
    await hass.async_block_till_done()
    flow = await hass.config_entries.options.async_init(province.entry_id)
    assert "communes" in flow["menu_options"]
    flow = await hass.config_entries.options.async_configure(
        flow["flow_id"], {"next_step_id": "communes"}
    )
    flow = await hass.config_entries.options.async_configure(
        flow["flow_id"], {"communes": "Xã Quế Phong; ; 17011\nXã Quế Phong; ; 17008"}
    )
    assert flow["errors"] == {"communes": "invalid_commune"}
    flow = await hass.config_entries.options.async_configure(
        flow["flow_id"], {"communes": "Xã Quế Phong;;17011\n\nXã Châu Kim; 10.0.0.5:443"}
    )
    assert flow["type"] is FlowResultType.CREATE_ENTRY
    assert province.options["communes"] == "Xã Quế Phong; ; 17011\nXã Châu Kim; 10.0.0.5:443"

    # a commune has no communes to list
    commune = office_entry()
    assert commune.data["level"] != "province"
    commune.add_to_hass(hass)
    flow = await hass.config_entries.options.async_init(commune.entry_id)
    assert "communes" not in flow["menu_options"]
