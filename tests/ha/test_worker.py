"""A camera analysed by a vision worker: Home Assistant publishes the job on a real Mosquitto
and the zone entities follow what a worker publishes back (state, health, its availability),
exactly as with the embedded engine; a silent worker makes them unavailable; moving the camera
back to embedded analysis withdraws the job."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Generator
from typing import Any

import paho.mqtt.client as paho
import pytest
from homeassistant import config_entries
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.quephong_office import worker_runtime
from custom_components.quephong_office.const import SUBENTRY_CAMERA
from custom_components.quephong_office.core.vision.analyzer import AnalysisResult, ZoneReading
from custom_components.quephong_office.core.vision.wire import (
    decode_job,
    encode_health,
    encode_state,
    topic_availability,
    topic_calibrate,
    topic_config,
    topic_health,
    topic_state,
)
from devtools.broker import MosquittoBroker
from devtools.streams import StreamServer

from .conftest import MqttPeer, office_entry, office_with_desk, setup_mqtt, wait_until

SITE = "17011"
DESK = "binary_sensor.quay_1"
PEOPLE = "sensor.quay_1_people"
WORKER = "may-phan-tich-1"


class FakeWorker(MqttPeer):
    """A worker's side of the contract, driven by the test (a paho client on the broker)."""

    retain = True

    def __init__(self, broker: MosquittoBroker) -> None:
        self.messages: dict[str, bytes] = {}
        self.seen = threading.Condition()
        super().__init__(broker, WORKER)

    def _on_connect(self, client: paho.Client, *_args: Any) -> None:
        client.subscribe(f"quephong/{SITE}/vision/#", qos=1)

    def _on_message(self, _client: Any, _userdata: Any, message: paho.MQTTMessage) -> None:
        with self.seen:
            self.messages[message.topic] = message.payload
            self.seen.notify_all()

    def state(self, camera: str, zone: str, occupied: bool, count: int) -> None:
        result = AnalysisResult(
            t=time.time(),
            motion=occupied,
            zones={zone: ZoneReading(occupied=occupied, count=count, motion=False, foreground=0.3)},
        )
        self.publish(topic_state(SITE, camera), encode_state(result, fps=2.0, worker=WORKER))


@pytest.fixture
def worker(broker: MosquittoBroker) -> Generator[FakeWorker]:
    fake = FakeWorker(broker)
    yield fake
    fake.close()


async def _office(
    hass: HomeAssistant, server: StreamServer, *, staff: bool = False, loads: bool = True
) -> MockConfigEntry:
    return await office_with_desk(hass, server, staff=staff, loads=loads, analysis="worker")


def _state(hass: HomeAssistant, entity_id: str) -> str | None:
    state = hass.states.get(entity_id)
    return state.state if state else None


async def test_worker_analysis_drives_the_zone_entities(
    hass: HomeAssistant,
    broker: MosquittoBroker,
    worker: FakeWorker,
    stream_server: StreamServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await setup_mqtt(hass, broker)
    entry = await _office(hass, stream_server)
    camera = next(k for k, s in entry.subentries.items() if s.subentry_type == SUBENTRY_CAMERA)
    zone = next(k for k in entry.subentries if k != camera)

    # the job is on the broker, retained, with the zone and the stream
    await wait_until(lambda: topic_config(SITE, camera) in worker.messages)
    job = decode_job(worker.messages[topic_config(SITE, camera)])
    assert job is not None
    assert job.url == stream_server.stream_url("cam")
    assert [z.id for z in job.layout.zones] == [zone]
    assert job.fps == 2.0
    # nothing analysed yet: the zone is unavailable, as with the embedded engine
    assert _state(hass, DESK) == STATE_UNAVAILABLE

    worker.publish(topic_availability(SITE, WORKER), b"online")
    worker.publish(topic_health(SITE, camera), encode_health(True, None, time.time(), WORKER))
    worker.state(camera, zone, occupied=True, count=1)
    await wait_until(lambda: _state(hass, DESK) == STATE_ON)
    assert _state(hass, PEOPLE) == "1"
    analysis = entry.runtime_data.analyses[camera]
    assert analysis.frames_per_second == 2.0

    worker.state(camera, zone, occupied=False, count=0)
    await wait_until(lambda: _state(hass, DESK) == STATE_OFF)
    assert _state(hass, PEOPLE) == "0"

    # the calibrate button asks the worker
    (button,) = hass.states.async_entity_ids("button")
    await hass.services.async_call("button", "press", {"entity_id": button}, blocking=True)
    await wait_until(lambda: topic_calibrate(SITE, camera) in worker.messages)

    # the stream fails at the worker: unavailable; back up with the next state
    worker.publish(
        topic_health(SITE, camera), encode_health(False, "connection refused", time.time(), WORKER)
    )
    await wait_until(lambda: _state(hass, DESK) == STATE_UNAVAILABLE)
    worker.publish(topic_health(SITE, camera), encode_health(True, None, time.time(), WORKER))
    worker.state(camera, zone, occupied=True, count=2)
    await wait_until(lambda: _state(hass, PEOPLE) == "2")

    # the worker dies (its Last Will): unavailable at once
    worker.publish(topic_availability(SITE, WORKER), b"offline")
    await wait_until(lambda: _state(hass, DESK) == STATE_UNAVAILABLE)
    worker.publish(topic_availability(SITE, WORKER), b"online")
    worker.state(camera, zone, occupied=True, count=1)
    await wait_until(lambda: _state(hass, PEOPLE) == "1")

    # a worker that goes silent (no state within the limit) is taken for gone
    monkeypatch.setattr(worker_runtime, "WORKER_STALE_AFTER", 0.2)
    await asyncio.sleep(0.3)
    async_fire_time_changed(hass, dt_util.utcnow() + worker_runtime.STALE_CHECK)
    await hass.async_block_till_done()
    assert _state(hass, DESK) == STATE_UNAVAILABLE


async def test_bad_or_cleared_messages_change_nothing(
    hass: HomeAssistant,
    broker: MosquittoBroker,
    worker: FakeWorker,
    stream_server: StreamServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await setup_mqtt(hass, broker)
    entry = await _office(hass, stream_server)
    camera = next(k for k, s in entry.subentries.items() if s.subentry_type == SUBENTRY_CAMERA)
    zone = next(k for k in entry.subentries if k != camera)
    worker.publish(topic_health(SITE, camera), encode_health(True, None, time.time(), WORKER))
    worker.state(camera, zone, occupied=True, count=1)
    await wait_until(lambda: _state(hass, DESK) == STATE_ON)

    worker.publish(topic_state(SITE, camera), b"{not json")
    worker.publish(topic_health(SITE, camera), b'{"v": 9}')
    await wait_until(lambda: "Bad health of camera" in caplog.text)
    assert "Bad state of camera" in caplog.text
    worker.publish(topic_state(SITE, camera), b"")  # cleared: a withdrawn camera
    worker.publish(topic_health(SITE, camera), b"")
    worker.publish(topic_availability(SITE, WORKER), b"sleepy")  # not a known word
    worker.state(camera, zone, occupied=True, count=3)
    await wait_until(lambda: _state(hass, PEOPLE) == "3")
    assert _state(hass, DESK) == STATE_ON


async def test_job_is_published_again_after_a_broker_restart(
    hass: HomeAssistant,
    broker: MosquittoBroker,
    worker: FakeWorker,
    stream_server: StreamServer,
) -> None:
    """Mosquitto without persistence forgets retained jobs; Home Assistant publishes them again."""
    await setup_mqtt(hass, broker, birth=False)
    entry = await _office(hass, stream_server)
    camera = next(k for k, s in entry.subentries.items() if s.subentry_type == SUBENTRY_CAMERA)
    await wait_until(lambda: bool(worker.messages.get(topic_config(SITE, camera))))
    broker.stop()
    worker.messages.clear()
    broker.start()
    await wait_until(lambda: bool(worker.messages.get(topic_config(SITE, camera))), timeout=30)
    job = decode_job(worker.messages[topic_config(SITE, camera)])
    assert job is not None
    assert job.camera == camera


async def test_back_to_embedded_withdraws_the_job(
    hass: HomeAssistant,
    broker: MosquittoBroker,
    worker: FakeWorker,
    stream_server: StreamServer,
) -> None:
    await setup_mqtt(hass, broker)
    entry = await _office(hass, stream_server)
    camera = next(k for k, s in entry.subentries.items() if s.subentry_type == SUBENTRY_CAMERA)
    await wait_until(lambda: worker.messages.get(topic_config(SITE, camera), b"") != b"")

    subentry = entry.subentries[camera]
    hass.config_entries.async_update_subentry(
        entry, subentry, data={**subentry.data, "analysis": "embedded"}
    )
    await hass.async_block_till_done()
    await wait_until(lambda: worker.messages.get(topic_config(SITE, camera)) == b"")
    assert entry.runtime_data.analyses[camera].__class__.__name__ == "CameraAnalysis"


async def test_worker_camera_waits_for_mqtt(
    hass: HomeAssistant, stream_server: StreamServer
) -> None:
    entry = await _office(hass, stream_server, loads=False)
    assert entry.state is config_entries.ConfigEntryState.SETUP_RETRY


async def test_camera_flow_offers_worker_analysis(
    hass: HomeAssistant, stream_server: StreamServer, broker: MosquittoBroker
) -> None:
    entry: MockConfigEntry = office_entry()
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    async def _start(data: dict[str, Any]) -> Any:
        result = await hass.config_entries.subentries.async_init(
            (entry.entry_id, SUBENTRY_CAMERA), context={"source": config_entries.SOURCE_USER}
        )
        return await hass.config_entries.subentries.async_configure(result["flow_id"], data)

    base = {"name": "Quầy 1", "role": "one_stop", "source": "url", "analysis": "worker"}
    result = await _start(base)
    assert result["errors"] == {"analysis": "mqtt_required"}
    result = await _start({**base, "source": "entity"})
    assert result["errors"] == {"analysis": "worker_needs_stream"}

    await setup_mqtt(hass, broker)
    result = await _start(base)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "url"
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"stream_url": stream_server.stream_url("cam")}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    created = next(s for s in entry.subentries.values() if s.subentry_type == SUBENTRY_CAMERA)
    assert created.data["analysis"] == "worker"
