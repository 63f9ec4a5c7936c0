"""The office's daily counts as long-term statistics in Home Assistant's recorder.

One external statistic per figure (`quephong_office:<unit code>_late`, …), one row per day at
local midnight: `state` is the day's count and `sum` the running total, so statistics cards and
graphs can show a day, a month or a year for as long as the recorder keeps them (years).
The last week is written again every night, so a violation dismissed a few days later is
reflected; the day values are kept in a Store to rebuild the running totals exactly.

Home Assistant 2026.11 made `unit_class` a required key of the statistics metadata; older
versions do not know the key. `statistic_metadata` adds it only where the recorder has it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from homeassistant.components.recorder.models import (
    StatisticData,
    StatisticMeanType,
    StatisticMetaData,
)
from homeassistant.components.recorder.statistics import async_add_external_statistics
from homeassistant.const import UnitOfTime
from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .core.report.figures import ReportSource, daily_counts

#: The figures kept, their Vietnamese names, units and unit classes.
FIGURES: dict[str, tuple[str, str | None, str | None]] = {
    "late": ("Đi muộn", "lượt", None),
    "early": ("Về sớm", "lượt", None),
    "absent": ("Vắng không lý do", "lượt", None),
    "on_leave": ("Nghỉ phép", "người", None),
    "present": ("Có mặt", "người", None),
    "unattended_minutes": ("Bỏ trống quầy", UnitOfTime.MINUTES, "duration"),
    "violations": ("Vi phạm", "lượt", None),
}
#: Days written again every night.
REWRITE_DAYS = 7
#: Days kept in the Store (and imported on the first start).
KEEP_DAYS = 400


def statistic_id(unit_code: str, figure: str) -> str:
    """The external statistic id of one figure of an office."""
    return f"{DOMAIN}:{unit_code}_{figure}"


def statistic_metadata(unit_code: str, office: str, figure: str) -> StatisticMetaData:
    """The metadata of one figure, with `unit_class` where the recorder knows the key."""
    name, unit, unit_class = FIGURES[figure]
    metadata: dict[str, Any] = {
        "has_sum": True,
        "mean_type": StatisticMeanType.NONE,
        "name": f"{name} – {office}",
        "source": DOMAIN,
        "statistic_id": statistic_id(unit_code, figure),
        "unit_of_measurement": unit,
    }
    if "unit_class" in StatisticMetaData.__annotations__:
        metadata["unit_class"] = unit_class
    return StatisticMetaData(**metadata)  # type: ignore[typeddict-item,no-any-return]


def _count_days(
    source: ReportSource, first: date, end: date
) -> list[tuple[date, dict[str, float]]]:
    """The counts of every day in [first, end) (in a worker thread: it scans the records)."""
    days = []
    day = first
    while day < end:
        days.append((day, daily_counts(source, day)))
        day += timedelta(days=1)
    return days


class DailyStatistics:
    """Writes an office's finished days into the recorder."""

    def __init__(self, hass: HomeAssistant, entry_id: str, unit_code: str, office: str) -> None:
        """Nothing is read until `async_load`."""
        self.hass = hass
        self.unit_code = unit_code
        self.office = office
        self._store: Store[dict[str, Any]] = Store(hass, 1, f"{DOMAIN}.{entry_id}.statistics")
        self.days: dict[str, dict[str, float]] = {}

    async def async_load(self) -> None:
        """The day values written so far."""
        stored = await self._store.async_load() or {}
        self.days = {k: dict(v) for k, v in stored.get("days", {}).items()}

    async def async_update(self, source: ReportSource, today: date) -> int:
        """Write every finished day not written yet, and the last week again; return how many.

        Does nothing while the recorder is not loaded.
        """
        if "recorder" not in self.hass.config.components:
            return 0
        first = self._first_day(source, today)
        if first is None:
            return 0
        counted = await self.hass.async_add_executor_job(_count_days, source, first, today)
        changed: date | None = None
        for day, counts in counted:
            key = day.isoformat()
            if self.days.get(key) != counts:
                self.days[key] = counts
                changed = changed or day
        for old in sorted(self.days)[:-KEEP_DAYS]:
            del self.days[old]
        if changed is None:
            return 0
        self._write(changed)
        await self._store.async_save({"days": self.days})
        return (today - changed).days

    def _first_day(self, source: ReportSource, today: date) -> date | None:
        """Where to start: a week back, or the first record when nothing was written yet."""
        if self.days:
            first = date.fromisoformat(min(self.days))
            after_last = date.fromisoformat(max(self.days)) + timedelta(days=1)
            return max(first, min(today - timedelta(days=REWRITE_DAYS), after_last))
        seen = [day for days in source.days.values() for day in days]
        seen += [v.start.date().isoformat() for v in source.violations]
        if not seen:
            return None
        return max(date.fromisoformat(min(seen)), today - timedelta(days=KEEP_DAYS))

    def _write(self, since: date) -> None:
        """Import the rows from `since` on, with running totals over every stored day."""
        tz = dt_util.get_default_time_zone()
        for figure in FIGURES:
            total = 0.0
            rows: list[StatisticData] = []
            for key in sorted(self.days):
                value = float(self.days[key].get(figure, 0.0))
                total += value
                day = date.fromisoformat(key)
                if day >= since:
                    start = datetime.combine(day, datetime.min.time(), tz)
                    rows.append(StatisticData(start=start, state=value, sum=total))
            if rows:
                async_add_external_statistics(
                    self.hass, statistic_metadata(self.unit_code, self.office, figure), rows
                )
