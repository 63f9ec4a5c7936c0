"""Fixtures for the Home Assistant tests: a real Home Assistant in Hà Nội time, temp folders."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncGenerator, Callable, Generator
from datetime import datetime
from pathlib import Path
from typing import Any
from unittest.mock import patch

import paho.mqtt.client as paho
import pytest
from homeassistant.const import CONF_NAME, CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant, callback
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion

from custom_components.quephong_office.const import DOMAIN, SUBENTRY_CAMERA
from custom_components.quephong_office.core.calendar import NGHE_AN, schedule_to_dict
from devtools.broker import MosquittoBroker
from devtools.scene import render_scene
from devtools.streams import StreamServer

TIME_ZONE = "Asia/Ho_Chi_Minh"
LANE = os.environ.get("QUEPHONG_LANE", "local")
OFFICE_DATA = {
    CONF_NAME: "UBND xã Quế Phong",
    "level": "commune",
    "parent_unit": "UBND tỉnh Nghệ An",
    "unit_code": "17011",
}


class LaneSnapshotExtension(HomeAssistantSnapshotExtension):
    """Snapshots kept per lane: Home Assistant versions serialise registries differently."""

    @classmethod
    def dirname(cls, *, test_location: Any) -> str:
        """tests/ha/snapshots/<lane>/."""
        return str(Path(test_location.filepath).parent / "snapshots" / LANE)


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Syrupy snapshots with Home Assistant's serialiser, one folder per lane."""
    return snapshot.use_extension(LaneSnapshotExtension)


@pytest.fixture
def before_hass() -> None:
    """What must be ready before Home Assistant starts (a module overrides it: the recorder)."""


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(before_hass: None, enable_custom_integrations: None) -> None:
    """Load custom_components/ in every test."""


@pytest.fixture(autouse=True)
async def office_time_zone(hass: HomeAssistant, tmp_path: Path) -> None:
    """The office's time zone, and a config folder of the test's own."""
    await hass.config.async_set_time_zone(TIME_ZONE)
    hass.config.config_dir = str(tmp_path)


@pytest.fixture(autouse=True)
async def unload_offices(hass: HomeAssistant) -> AsyncGenerator[None]:
    """Unload every office before Home Assistant stops, as a real shutdown would.

    Entities are then removed properly: the calendar entities' own update timers (Home
    Assistant's calendar component schedules one at the next event's start or end) are
    cancelled instead of lingering past the test.
    """
    yield
    from homeassistant.config_entries import ConfigEntryState  # noqa: PLC0415

    for entry in hass.config_entries.async_entries(DOMAIN):
        if entry.state is ConfigEntryState.LOADED:
            await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()


@pytest.fixture(scope="session")
def demo_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A short synthetic one-stop scene, rendered once per test session."""
    path = tmp_path_factory.mktemp("clips") / "one_stop.mp4"
    render_scene(path, kind="one_stop", seconds=6, fps=10, size=(320, 180))
    return path


@pytest.fixture
def stream_server(demo_clip: Path, socket_enabled: None) -> Generator[StreamServer]:
    """A local camera (HTTP MPEG-TS stream and JPEG snapshot), stopped after the test."""
    server = StreamServer({"cam": demo_clip})
    server.start()
    yield server
    server.stop()


@pytest.fixture
def auth_stream_server(demo_clip: Path, socket_enabled: None) -> Generator[StreamServer]:
    """A local camera that wants a user name and password."""
    server = StreamServer({"cam": demo_clip}, username="admin", password="mật-khẩu")
    server.start()
    yield server
    server.stop()


def office_entry(**kwargs: Any) -> MockConfigEntry:
    """A configured office with Nghệ An hours (not yet added to Home Assistant)."""
    options = {**schedule_to_dict(NGHE_AN), **kwargs.pop("options", {})}
    return MockConfigEntry(
        domain=DOMAIN,
        title=OFFICE_DATA[CONF_NAME],
        data=dict(OFFICE_DATA),
        options=options,
        unique_id=OFFICE_DATA["unit_code"],
        entry_id="01JQPOFFICE0000000000000001",
        version=1,
        minor_version=1,
        **kwargs,
    )


def camera_subentry(server: StreamServer, name: str = "Bộ phận một cửa", **extra: Any) -> Any:
    """Subentry data for a URL camera served by a local StreamServer."""
    from homeassistant.config_entries import ConfigSubentryData  # noqa: PLC0415

    data: dict[str, Any] = {
        "role": "one_stop",
        "source": "url",
        "stream_url": server.stream_url("cam"),
        **extra,
    }
    return ConfigSubentryData(
        data=data, subentry_type=SUBENTRY_CAMERA, title=name, unique_id=data["stream_url"]
    )


@pytest.fixture
def mock_office() -> MockConfigEntry:
    """An office without cameras."""
    return office_entry()


@pytest.fixture
async def setup_office(
    hass: HomeAssistant, mock_office: MockConfigEntry
) -> AsyncGenerator[MockConfigEntry]:
    """The office, loaded."""
    mock_office.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_office.entry_id)
    await hass.async_block_till_done()
    return mock_office


async def travel(hass: HomeAssistant, freezer: Any, moment: datetime) -> None:
    """Move the frozen clock to `moment` and run whatever fell due.

    What is already on the loop (a state just set) is handled first, at the old time.
    """
    await hass.async_block_till_done()
    freezer.move_to(moment)
    async_fire_time_changed(hass, moment)
    await hass.async_block_till_done()


async def wait_for_checks(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Wait until no camera check of the office is running.

    hass.async_block_till_done() skips tasks that are being cancelled, and httpx (through
    anyio's cancel scopes) briefly marks a task as cancelling while it connects, so a camera
    check can still be running when block_till_done returns.
    """
    await hass.async_block_till_done(wait_background_tasks=True)
    for _ in range(400):
        checks = [t for t in entry._background_tasks if not t.done()]
        if not checks:
            return
        await asyncio.wait(checks, timeout=0.05)
    raise AssertionError("camera checks did not finish within 20 s")


CREDENTIALS = {CONF_USERNAME: "admin", CONF_PASSWORD: "mật-khẩu"}


def staff_subentry(name: str, **data: Any) -> Any:
    """Subentry data for a staff member."""
    from homeassistant.config_entries import ConfigSubentryData  # noqa: PLC0415

    return ConfigSubentryData(
        data={"desk": "none", **data}, subentry_type="staff", title=name, unique_id=None
    )


@pytest.fixture
def broker(socket_enabled: None) -> Generator[MosquittoBroker]:
    """A real Mosquitto on loopback."""
    if not MosquittoBroker.available():
        pytest.skip("mosquitto is not installed (apt-get install mosquitto)")
    with MosquittoBroker() as running:
        yield running


class MqttPeer:
    """Another program on the test's broker (Frigate, a vision worker), driven by the test.

    A paho client that reconnects quickly; subclasses subscribe or announce themselves in
    `_on_connect` (on every connection, as the real programs do) and answer in `_on_message`.
    """

    #: whether `publish` retains its message unless told otherwise
    retain = False

    def __init__(
        self, broker: MosquittoBroker, client_id: str, *, will: tuple[str, str] | None = None
    ) -> None:
        self.client = paho.Client(paho.CallbackAPIVersion.VERSION2, client_id=client_id)
        if will is not None:
            self.client.will_set(*will, qos=1, retain=True)
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_message
        self.client.reconnect_delay_set(0.2, 1)
        self.client.connect(broker.host, broker.port)
        self.client.loop_start()

    def _on_connect(self, client: paho.Client, *_args: Any) -> None:
        """Nothing to subscribe to or announce."""

    def _on_message(self, client: paho.Client, _userdata: Any, message: paho.MQTTMessage) -> None:
        """Nothing subscribed."""

    def publish(self, topic: str, payload: str | bytes, *, retain: bool | None = None) -> None:
        """Publish with QoS 1 and wait until the broker has it."""
        retained = self.retain if retain is None else retain
        self.client.publish(topic, payload, qos=1, retain=retained).wait_for_publish(5)

    def close(self) -> None:
        """Leave the broker cleanly (no Last Will)."""
        self.client.loop_stop()
        self.client.disconnect()


async def setup_mqtt(
    hass: HomeAssistant, broker: MosquittoBroker, *, birth: bool = True
) -> MockConfigEntry:
    """Home Assistant's MQTT integration, connected to the test's broker.

    `birth=False` turns Home Assistant's birth message off: a test that restarts the broker
    would otherwise race the client's reconnection with that message.
    """
    from homeassistant.components import mqtt  # noqa: PLC0415

    (Path(hass.config.config_dir) / "configuration.yaml").write_text("", encoding="utf-8")
    entry = MockConfigEntry(
        domain=mqtt.DOMAIN,
        data={"broker": broker.host, "port": broker.port},
        options={} if birth else {"birth_message": {}},
        version=1,
    )
    entry.add_to_hass(hass)
    if not birth:
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        return entry
    # The birth message follows MQTT's 5 s discovery cooldown: wait for it here (with a short
    # cooldown), or a test ending sooner has it published into the stopped broker, an error.
    born = asyncio.Event()
    with patch("homeassistant.components.mqtt.client.DISCOVERY_COOLDOWN", 0.2):
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        unsubscribe = await mqtt.async_subscribe(
            hass, "homeassistant/status", callback(lambda message: born.set())
        )
        await asyncio.wait_for(born.wait(), 15)
    unsubscribe()
    return entry


async def wait_until(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    for _ in range(int(timeout / 0.05)):
        if predicate():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not met in time")


async def office_with_desk(
    hass: HomeAssistant,
    server: StreamServer,
    *,
    staff: bool = False,
    loads: bool = True,
    **camera: Any,
) -> MockConfigEntry:
    """An office with one camera (extra subentry data in `camera`) and its desk "Quầy 1".

    `staff` assigns Nguyễn Văn An to the desk; `loads` is what setting the office up returns.
    """
    from homeassistant.config_entries import ConfigSubentry, ConfigSubentryData  # noqa: PLC0415

    entry: MockConfigEntry = office_entry(subentries_data=[camera_subentry(server, **camera)])
    entry.add_to_hass(hass)
    camera_id = next(iter(entry.subentries))
    desk = ConfigSubentry(
        **ConfigSubentryData(  # type: ignore[typeddict-item]
            data={"camera": camera_id, "kind": "desk", "coordinates": "0.05,0.2,0.5,0.95"},
            subentry_type="zone",
            title="Quầy 1",
            unique_id=None,
        )
    )
    hass.config_entries.async_add_subentry(entry, desk)
    if staff:
        hass.config_entries.async_add_subentry(
            entry, ConfigSubentry(**staff_subentry("Nguyễn Văn An", desk=desk.subentry_id))
        )
    assert await hass.config_entries.async_setup(entry.entry_id) is loads
    await hass.async_block_till_done()
    return entry
