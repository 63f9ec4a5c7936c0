"""The worker's MQTT connection: Last Will, reconnection, and what must survive a broker restart.

paho-mqtt 2 (callback API v2) runs the network in a thread of its own and reconnects by itself
(1 s doubling to 10 s). Retained messages published while the connection is down are not queued
(they would arrive late and stale): the link keeps the latest payload of every retained topic
and publishes them all again after each (re)connection, with "online", so a broker that lost
its retained messages gets them back. Subscriptions are renewed on each connection.
"""

from __future__ import annotations

import logging
import ssl
import threading
from collections.abc import Callable, Iterable

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion
from paho.mqtt.properties import Properties
from paho.mqtt.reasoncodes import ReasonCode

from custom_components.quephong_office.core.vision import wire

from .config import BrokerConfig

LOGGER = logging.getLogger(__name__)

#: (topic, payload, retained) of a received message.
MessageHandler = Callable[[str, bytes, bool], None]
#: Called after each connection with True the first time.
ConnectHandler = Callable[[bool], None]
#: Called when the connection drops.
DisconnectHandler = Callable[[], None]


class MqttLink:
    """One connection to the broker, owned by the worker."""

    def __init__(
        self,
        broker: BrokerConfig,
        *,
        client_id: str,
        availability_topic: str,
        subscriptions: Iterable[str],
        on_message: MessageHandler,
        on_connect: ConnectHandler,
        on_disconnect: DisconnectHandler | None = None,
    ) -> None:
        """Prepare the client; `start` connects."""
        self.broker = broker
        self.availability_topic = availability_topic
        self.subscriptions = tuple(subscriptions)
        self._on_message_handler = on_message
        self._on_connect_handler = on_connect
        self._on_disconnect_handler = on_disconnect
        self._retained: dict[str, bytes] = {}
        self._lock = threading.Lock()
        self._connected = threading.Event()
        self._connections = 0
        self.sent = 0
        v5 = broker.protocol == 5
        self.client = mqtt.Client(
            CallbackAPIVersion.VERSION2,
            client_id=client_id,
            protocol=MQTTProtocolVersion.MQTTv5 if v5 else MQTTProtocolVersion.MQTTv311,
            clean_session=None if v5 else True,
        )
        if broker.username:
            self.client.username_pw_set(broker.username, broker.password)
        if broker.tls:
            self.client.tls_set(ca_certs=broker.ca_certs, cert_reqs=ssl.CERT_REQUIRED)
        self.client.will_set(availability_topic, wire.OFFLINE, qos=1, retain=True)
        self.client.reconnect_delay_set(min_delay=1, max_delay=10)
        self.client.max_inflight_messages_set(100)
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_message = self._on_message

    @property
    def connected(self) -> bool:
        """True while the broker has accepted the connection."""
        return self._connected.is_set()

    def wait_connected(self, timeout: float) -> bool:
        """Wait until connected; False on timeout."""
        return self._connected.wait(timeout)

    def start(self) -> None:
        """Connect in the background (retrying until the broker answers)."""
        self.client.connect_async(self.broker.host, self.broker.port, self.broker.keepalive)
        self.client.loop_start()

    def stop(self, timeout: float = 5.0) -> None:
        """Say "offline", disconnect and stop the network thread."""
        if self.connected:
            info = self.client.publish(self.availability_topic, wire.OFFLINE, qos=1, retain=True)
            info.wait_for_publish(timeout)
        self.client.disconnect()
        self.client.loop_stop()
        self._connected.clear()

    def publish(
        self, topic: str, payload: bytes | str, *, retain: bool = True, qos: int = 1
    ) -> None:
        """Publish now if connected; a retained payload is also kept to publish again later.

        Frequent messages (state, zones, snapshots) go with QoS 0: on a live TCP connection
        nothing is lost, and what a dropped connection loses is published again on reconnection
        from the kept payloads, without a PUBACK per message.
        """
        data = payload.encode() if isinstance(payload, str) else payload
        with self._lock:
            if retain:
                self._retained[topic] = data
            if self.connected:
                self.client.publish(topic, data, qos=qos, retain=retain)
                self.sent += 1

    def clear(self, topics: Iterable[str]) -> None:
        """Delete retained messages (empty payload) and stop publishing them again."""
        with self._lock:
            for topic in topics:
                self._retained.pop(topic, None)
                if self.connected:
                    self.client.publish(topic, b"", qos=1, retain=True)
                    self.sent += 1

    def forget(self, topics: Iterable[str]) -> None:
        """Stop publishing these topics again after a reconnection (another worker owns them)."""
        with self._lock:
            for topic in topics:
                self._retained.pop(topic, None)

    # --- paho callbacks (network thread) ----------------------------------------------------

    def _on_connect(
        self,
        client: mqtt.Client,
        userdata: object,
        flags: mqtt.ConnectFlags,
        reason_code: ReasonCode,
        properties: Properties | None,
    ) -> None:
        if reason_code.is_failure:
            LOGGER.warning("Broker refused the connection: %s", reason_code)
            return
        for topic in self.subscriptions:
            client.subscribe(topic, qos=1)
        with self._lock:
            client.publish(self.availability_topic, wire.ONLINE, qos=1, retain=True)
            for topic, data in self._retained.items():
                client.publish(topic, data, qos=1, retain=True)
            self.sent += 1 + len(self._retained)
            self._connected.set()
            first = self._connections == 0
            self._connections += 1
        LOGGER.info(
            "Connected to %s:%s%s", self.broker.host, self.broker.port, "" if first else " again"
        )
        self._on_connect_handler(first)

    def _on_disconnect(
        self,
        client: mqtt.Client,
        userdata: object,
        flags: mqtt.DisconnectFlags,
        reason_code: ReasonCode,
        properties: Properties | None,
    ) -> None:
        with self._lock:
            self._connected.clear()
        if reason_code.is_failure:
            LOGGER.warning("Lost the broker (%s); reconnecting", reason_code)
        if self._on_disconnect_handler is not None:
            self._on_disconnect_handler()

    def _on_message(self, client: mqtt.Client, userdata: object, message: mqtt.MQTTMessage) -> None:
        self._on_message_handler(message.topic, bytes(message.payload), bool(message.retain))
