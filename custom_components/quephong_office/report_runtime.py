"""Discipline reports of one office at run time: files, daily summary, statistics, monthly report.

The figures come from the pure core (`core/report`); this module hands it the office's records
(taken on the event loop, so nothing changes under it), builds the files in a worker thread and
writes them into Home Assistant's media folder. It also keeps the daily counts as long-term
statistics, and creates last month's report on the first working day of a month and tells the
leaders. What was done is kept in a Store, so a restart does it neither twice nor never.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from homeassistant.components import persistent_notification
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_track_time_change
from homeassistant.helpers.network import NoURLAvailableError, get_url
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util
from homeassistant.util import slugify

from .const import (
    CONF_MONTHLY_REPORT,
    CONF_REPORT_PLACE,
    CONF_REPORT_SIGNER,
    CONF_REPORT_SIGNING,
    DOMAIN,
    LOGGER,
)
from .core.office import place_of
from .core.report.daily import daily_summary
from .core.report.figures import ReportSource, StaffLine, build_report
from .core.report.html import report_html
from .core.report.period import Period, PeriodKind, period_for
from .core.report.wording import DEFAULT_SIGNING
from .core.report.xlsx import report_xlsx
from .core.rules.violations import Violation
from .statistics import DailyStatistics

if TYPE_CHECKING:
    from .notify_runtime import Reminders
    from .rules_runtime import RulesRuntime
    from .runtime import OfficeInfo

#: The monthly report is made at this local time on the first working day of a month.
MONTHLY_AT = (8, 0)
#: Daily statistics are written for the finished day at this local time.
STATISTICS_AT = (0, 10)


class OfficeReports:
    """Reports, the daily summary, statistics and the monthly report of one office."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry[Any],
        office: OfficeInfo,
        rules: RulesRuntime,
        reminders: Reminders | None,
    ) -> None:
        """Nothing runs until `async_start`."""
        self.hass = hass
        self.entry = entry
        self.office = office
        self.rules = rules
        self.reminders = reminders
        self.place = entry.options.get(CONF_REPORT_PLACE) or place_of(office.name)
        self.monthly = bool(entry.options.get(CONF_MONTHLY_REPORT, True))
        self.statistics = DailyStatistics(hass, entry.entry_id, office.unit_code, office.name)
        self._store: Store[dict[str, Any]] = Store(hass, 1, f"{DOMAIN}.{entry.entry_id}.reports")
        self._done: dict[str, Any] = {}
        self._unsubs: list[CALLBACK_TYPE] = []

    # --- lifecycle -------------------------------------------------------------------------

    async def async_start(self) -> None:
        """Catch up on statistics and a missed monthly report, then follow the clock."""
        self._done = await self._store.async_load() or {}
        await self.statistics.async_load()
        self._unsubs.append(
            async_track_time_change(
                self.hass,
                self._async_nightly,
                hour=STATISTICS_AT[0],
                minute=STATISTICS_AT[1],
                second=0,
            )
        )
        self._unsubs.append(
            async_track_time_change(
                self.hass,
                self._async_morning,
                hour=MONTHLY_AT[0],
                minute=MONTHLY_AT[1],
                second=0,
            )
        )
        self.entry.async_create_background_task(
            self.hass, self._async_catch_up(), f"{DOMAIN} reports catch-up"
        )

    @callback
    def async_stop(self) -> None:
        """Stop following the clock."""
        for unsub in self._unsubs:
            unsub()
        self._unsubs.clear()

    async def _async_catch_up(self) -> None:
        await self.statistics.async_update(self.source(), dt_util.now().date())
        await self._async_monthly(dt_util.now())

    async def _async_nightly(self, _now: datetime) -> None:
        await self.statistics.async_update(self.source(), dt_util.now().date())

    async def _async_morning(self, _now: datetime) -> None:
        await self._async_monthly(dt_util.now())

    # --- the records -----------------------------------------------------------------------

    def source(self) -> ReportSource:
        """The office's records now, copied so that the worker thread reads a still picture."""
        engine = self.rules.rules
        days: dict[str, dict[str, Any]] = {
            staff_id: dict(history) for staff_id, history in engine.history.items()
        }
        for staff_id, person in engine.staff.items():
            if person.day is not None:
                days.setdefault(staff_id, {})[person.day.isoformat()] = person.day_summary()
        return ReportSource(
            office=self.office.name,
            parent_unit=self.office.parent_unit,
            place=self.place,
            unit_code=self.office.unit_code,
            staff=[
                StaffLine(
                    id=s.subentry_id, name=s.name, position=s.position, department=s.department
                )
                for s in self.rules.staff.values()
            ],
            days=days,
            violations=[dataclasses.replace(v) for v in engine.ledger],
            calendar=engine.calendar,
            names=engine.orphaned_staff(),
            desks={k: z.name for k, z in self.rules.zones.items() if z.kind == "desk"},
            zones={k: z.name for k, z in self.rules.zones.items()},
            signing=self.entry.options.get(CONF_REPORT_SIGNING, DEFAULT_SIGNING),
            signer=self.entry.options.get(CONF_REPORT_SIGNER, ""),
        )

    def link_for(self) -> Callable[[Violation], str | None]:
        """Evidence links for reports: the office's evidence in the media browser.

        The media browser asks for a sign-in and shows evidence only to administrators and the
        office's leaders, so a report passed around does not open the pictures to anybody.
        """
        content_id = quote(f"app,media-source://{DOMAIN}/{self.entry.entry_id}", safe="")
        path = f"/media-browser/browser/{content_id}"
        try:
            base = get_url(self.hass, allow_ip=True)
        except NoURLAvailableError:
            base = ""
        link = f"{base}{path}"

        def _link(violation: Violation) -> str | None:
            return link if violation.evidence_id else None

        return _link

    # --- reports ---------------------------------------------------------------------------

    def folder(self) -> Path:
        """Where the office's reports go: `<media>/quephong_office/<unit code>/`."""
        media = self.hass.config.media_dirs.get("local") or self.hass.config.path("media")
        return Path(media, DOMAIN, self.office.unit_code)

    async def async_generate(
        self, period: Period, *, department: str | None = None, number: str | None = None
    ) -> dict[str, Any]:
        """Write the XLSX and HTML report of a period (optionally one department)."""
        source = self.source()
        if department is not None:
            source = dataclasses.replace(
                source, staff=[s for s in source.staff if s.department == department], names={}
            )
        link_for = self.link_for()
        now = dt_util.now()
        stem = f"bao-cao-ky-luat-{period.slug}"
        if department is not None:
            stem += f"-{slugify(department, separator='-') or 'phong-ban'}"
        folder = self.folder()

        def build() -> dict[str, Any]:
            report = build_report(source, period, generated=now, link_for=link_for, number=number)
            folder.mkdir(parents=True, exist_ok=True)
            xlsx = folder / f"{stem}.xlsx"
            html = folder / f"{stem}.html"
            xlsx.write_bytes(report_xlsx(report))
            html.write_text(report_html(report), encoding="utf-8")
            totals = dataclasses.asdict(report.office)
            return {"xlsx": xlsx, "html": html, "totals": totals, "staff": len(report.rows)}

        built = await self.hass.async_add_executor_job(build)
        media = self.hass.config.media_dirs.get("local") and "local"
        ids = {
            kind: (
                f"media-source://media_source/{media}/{DOMAIN}/{self.office.unit_code}/"
                f"{built[kind].name}"
                if media
                else None
            )
            for kind in ("xlsx", "html")
        }
        LOGGER.info("Report %s of %s written to %s", period.slug, self.office.name, folder)
        return {
            "period": period.label,
            "xlsx": str(built["xlsx"]),
            "html": str(built["html"]),
            "media": ids,
            "staff": built["staff"],
            "totals": built["totals"],
        }

    async def async_daily_summary(self, day: date) -> dict[str, Any]:
        """The end-of-day summary for the leaders (text and figures)."""
        source = self.source()
        link_for = self.link_for()
        now = dt_util.now()
        return await self.hass.async_add_executor_job(
            lambda: daily_summary(source, day, generated=now, link_for=link_for)
        )

    # --- the monthly report ----------------------------------------------------------------

    def first_working_day(self, day: date) -> date | None:
        """The first working day of `day`'s month (None for a month without one)."""
        calendar = self.rules.rules.calendar
        current = day.replace(day=1)
        while current.month == day.month:
            if calendar.day_info(current).working:
                return current
            current += timedelta(days=1)
        return None

    async def _async_monthly(self, now: datetime) -> None:
        """Make last month's report once, from its first working day's morning on."""
        if not self.monthly:
            return
        today = now.date()
        first = self.first_working_day(today)
        if (
            first is None
            or today < first
            or (today == first and (now.hour, now.minute) < MONTHLY_AT)
        ):
            return
        last_month = period_for(PeriodKind.MONTH, today.replace(day=1) - timedelta(days=1))
        if self._done.get("monthly") == last_month.slug:
            return
        if "monthly" not in self._done:
            # installed this month: last month was not watched, there is nothing to report
            self._done["monthly"] = last_month.slug
            await self._store.async_save(self._done)
            return
        self._done["monthly"] = last_month.slug
        await self._store.async_save(self._done)
        try:
            result = await self.async_generate(last_month)
        except OSError as err:
            LOGGER.error("Could not write the monthly report of %s: %s", self.office.name, err)
            return
        await self._async_announce(last_month, result)

    async def _async_announce(self, period: Period, result: dict[str, Any]) -> None:
        """Tell the leaders where the monthly report is."""
        totals = result["totals"]
        body = (
            f"Báo cáo tình hình chấp hành kỷ luật, kỷ cương hành chính {period.label} của "
            f"{self.office.name} đã được lập.\n"
            f"Đi muộn: {totals['late']} lượt; về sớm: {totals['early']} lượt; "
            f"vắng không lý do: {totals['absent']} lượt; tổng số vi phạm: {totals['violations']}.\n"
            f"Tệp báo cáo: Phương tiện → My media → {DOMAIN}/{self.office.unit_code}/"
            f"{Path(result['xlsx']).name} (và bản in .html)."
        )
        subject = f"Báo cáo kỷ luật {period.label}"
        sent = 0
        if self.reminders is not None:
            sent = await self.reminders.async_send_reminder(
                staff=[], leaders=True, subject=subject, body=body, evidence_id=None
            )
        if not sent:
            persistent_notification.async_create(
                self.hass, body, title=subject, notification_id=f"{DOMAIN}_monthly_{period.slug}"
            )
