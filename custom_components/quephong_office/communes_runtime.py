"""A parent unit's view of its communes over MQTT, and a commune's figures for its parent.

The parent (a province, or a legacy district) lists its communes with their unit codes (in a
meeting room, or in **Configure → Communes**) and subscribes, on its own broker which a
Mosquitto bridge feeds from the communes' brokers, to

- `quephong/<unit code>/meeting/<room>/readiness`: each room's readiness (`core/meeting`);
- `quephong/<unit code>/discipline/daily`: the commune's discipline figures of the day
  (`core/report/exchange.py`).

A commune office publishes the second one itself (`SummaryPublisher`), retained: at start, a
minute after its rules change, and after midnight.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.event import async_call_later, async_track_time_change
from homeassistant.util import dt as dt_util

from .const import LOGGER
from .core.meeting.communes import Commune
from .core.meeting.errors import MeetingError
from .core.meeting.readiness import (
    DEFAULT_PREFIX,
    Readiness,
    Summary,
    decode,
    parse_readiness_topic,
    readiness_filter,
    summary,
)
from .core.report.exchange import (
    ExchangeError,
    SiteSummary,
    decode_summary,
    encode_summary,
    site_of,
    summary_filter,
    topic_summary,
)
from .listeners import Listeners

if TYPE_CHECKING:
    from .report_runtime import OfficeReports
    from .rules_runtime import RulesRuntime

#: A commune's report older than this counts as silent in the parent's summary.
COMMUNE_MAX_AGE = timedelta(minutes=30)
#: A commune publishes its figures this long after its rules last changed (seconds).
PUBLISH_DELAY = 60.0


class CommuneWatch(Listeners):
    """A parent unit's view of its communes: meeting readiness and discipline figures."""

    def __init__(self, hass: HomeAssistant, communes: list[Commune]) -> None:
        """The communes with a unit code (the first listing of a unit code wins)."""
        super().__init__()
        self.hass = hass
        self.communes: dict[str, Commune] = {}
        for commune in communes:
            if commune.site and commune.site not in self.communes:
                self.communes[commune.site] = commune
        self.reports: dict[str, Readiness] = {}
        self.figures: dict[str, SiteSummary] = {}
        self._unsubs: list[CALLBACK_TYPE] = []

    async def async_start(self) -> None:
        """Subscribe to every site's readiness and figures (retained messages arrive at once)."""
        if not self.communes or "mqtt" not in self.hass.config.components:
            return
        from homeassistant.components import mqtt  # noqa: PLC0415 - only when MQTT is set up

        @callback
        def _on_readiness(message: Any) -> None:
            where = parse_readiness_topic(DEFAULT_PREFIX, message.topic)
            if where is None or where[0] not in self.communes:
                return
            try:
                self.reports[where[0]] = decode(message.payload)
            except MeetingError as err:
                LOGGER.warning("Bad readiness from %s: %s", message.topic, err)
                return
            self._notify()

        @callback
        def _on_figures(message: Any) -> None:
            site = site_of(message.topic)
            if site is None or site not in self.communes or not message.payload:
                return
            try:
                self.figures[site] = decode_summary(message.payload)
            except ExchangeError as err:
                LOGGER.warning("Bad discipline figures from %s: %s", message.topic, err)
                return
            self._notify()

        self._unsubs.append(
            await mqtt.async_subscribe(
                self.hass, readiness_filter(DEFAULT_PREFIX), _on_readiness, qos=1
            )
        )
        self._unsubs.append(
            await mqtt.async_subscribe(self.hass, summary_filter(), _on_figures, qos=1)
        )

    async def async_stop(self) -> None:
        """Unsubscribe."""
        for unsub in self._unsubs:
            unsub()
        self._unsubs.clear()

    def report(self, site: str) -> Readiness | None:
        """A commune's latest readiness, if it reported recently."""
        found = self.reports.get(site)
        if found is None or dt_util.now() - found.checked_at > COMMUNE_MAX_AGE:
            return None
        return found

    def today(self, site: str) -> SiteSummary | None:
        """A commune's figures, if they are today's."""
        found = self.figures.get(site)
        if found is None or found.day != dt_util.now().date():
            return None
        return found

    def summary(self) -> Summary:
        """How many communes are ready ("12/14 xã sẵn sàng")."""
        names = {site: c.name for site, c in self.communes.items()}
        return summary(
            {names[site]: r for site, r in self.reports.items() if site in names},
            list(names.values()),
            "vi",
            now=dt_util.now(),
            max_age=COMMUNE_MAX_AGE,
        )


class SummaryPublisher:
    """A commune office's daily figures, published retained for its parent unit."""

    def __init__(
        self,
        hass: HomeAssistant,
        site: str,
        office: str,
        rules: RulesRuntime,
        reports: OfficeReports,
    ) -> None:
        """Nothing is published until `async_start`."""
        self.hass = hass
        self.site = site
        self.office = office
        self.rules = rules
        self.reports = reports
        self._unsubs: list[CALLBACK_TYPE] = []
        self._pending: CALLBACK_TYPE | None = None

    async def async_start(self) -> None:
        """Publish now, then a minute after every change and right after midnight."""
        if "mqtt" not in self.hass.config.components:
            return
        self._unsubs.append(self.rules.async_add_listener(self._async_changed))
        self._unsubs.append(
            async_track_time_change(self.hass, self._async_publish, hour=0, minute=1, second=0)
        )
        await self._async_publish()

    @callback
    def async_stop(self) -> None:
        """Stop publishing."""
        if self._pending is not None:
            self._pending()
            self._pending = None
        for unsub in self._unsubs:
            unsub()
        self._unsubs.clear()

    @callback
    def _async_changed(self) -> None:
        if self._pending is None:
            self._pending = async_call_later(self.hass, PUBLISH_DELAY, self._async_publish)

    async def _async_publish(self, _now: datetime | None = None) -> None:
        from homeassistant.components import mqtt  # noqa: PLC0415 - only when MQTT is set up

        self._pending = None
        today = dt_util.now().date()
        current = await self.reports.async_daily_summary(today)
        previous = await self.reports.async_daily_summary(today - timedelta(days=1))
        payload = encode_summary(
            site=self.site,
            office=self.office,
            published=dt_util.now(),
            summary=current,
            previous=previous,
        )
        try:
            await mqtt.async_publish(self.hass, topic_summary(self.site), payload, 1, True)
        except HomeAssistantError as err:
            LOGGER.warning("Could not publish the discipline figures: %s", err)
