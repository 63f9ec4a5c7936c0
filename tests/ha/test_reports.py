"""Discipline reports in Home Assistant: two recorded days, the report service and its files,
the daily summary, the monthly report on the first working day (once, across a restart), the
long-term statistics in the recorder, the options step and the refusals."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import persistent_notification
from homeassistant.components.recorder import Recorder
from homeassistant.components.recorder.statistics import statistics_during_period
from homeassistant.core import Context, HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import ServiceValidationError
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)

from custom_components.quephong_office.const import DOMAIN
from custom_components.quephong_office.core.staff import read_table
from custom_components.quephong_office.statistics import statistic_id

from .conftest import office_entry, staff_subentry, travel

VN = ZoneInfo("Asia/Ho_Chi_Minh")
AN_PHONE = "binary_sensor.an_phone"
START = datetime(2026, 6, 29, 6, 0, tzinfo=VN)


def at(month: int, d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(2026, month, d, hh, mm, tzinfo=VN)


@pytest.fixture
def before_hass(recorder_db_url: str) -> None:
    """The statistics test needs the recorder's database ready before Home Assistant starts."""


@pytest.fixture
def office() -> MockConfigEntry:
    """An (phone presence, Tư pháp) and Bình (check-in only, Văn phòng)."""
    return office_entry(
        subentries_data=[
            staff_subentry(
                "Nguyễn Văn An",
                position="Công chức",
                department="Tư pháp - Hộ tịch",
                presence_entities=[AN_PHONE],
            ),
            staff_subentry("Trần Thị Bình", position="Chuyên viên", department="Văn phòng"),
        ]
    )


@pytest.fixture
def media(hass: HomeAssistant, tmp_path: Path) -> Path:
    folder = tmp_path / "media"
    hass.config.media_dirs = {"local": str(folder)}
    return folder


async def _load(hass: HomeAssistant, office: MockConfigEntry) -> None:
    office.add_to_hass(hass)
    assert await hass.config_entries.async_setup(office.entry_id)
    await hass.async_block_till_done()


async def _two_days(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """29/6: An 12 minutes late, Bình never comes; 30/6: An on time, Bình never comes."""
    hass.states.async_set(AN_PHONE, "off")
    await travel(hass, freezer, at(6, 29, 7, 12))
    hass.states.async_set(AN_PHONE, "on")
    await travel(hass, freezer, at(6, 29, 17, 30))
    hass.states.async_set(AN_PHONE, "off")
    await travel(hass, freezer, at(6, 30, 6, 50))
    hass.states.async_set(AN_PHONE, "on")
    await travel(hass, freezer, at(6, 30, 17, 30))


def _rows(path: Path) -> list[list[str]]:
    return read_table(path.name, path.read_bytes())


@pytest.mark.freeze_time(START)
async def test_month_report_files_match_the_records(
    hass: HomeAssistant,
    office: MockConfigEntry,
    media: Path,
    freezer: FrozenDateTimeFactory,
) -> None:
    await _load(hass, office)
    await _two_days(hass, freezer)

    result = await hass.services.async_call(
        DOMAIN,
        "generate_report",
        {"config_entry_id": office.entry_id, "period": "month"},
        blocking=True,
        return_response=True,
    )
    assert result is not None
    assert result["period"] == "tháng 6 năm 2026"
    totals = result["totals"]
    assert (totals["late"], totals["early"], totals["absent"]) == (1, 0, 4)
    assert totals["days_worked"] == 2.0
    xlsx, html = Path(result["xlsx"]), Path(result["html"])
    assert xlsx == media / DOMAIN / "17011" / "bao-cao-ky-luat-2026-06.xlsx"
    assert result["media"]["xlsx"] == (
        f"media-source://media_source/local/{DOMAIN}/17011/bao-cao-ky-luat-2026-06.xlsx"
    )

    rows = _rows(xlsx)
    an = next(r for r in rows if "Nguyễn Văn An" in r)
    binh = next(r for r in rows if "Trần Thị Bình" in r)
    header = next(r for r in rows if "Đi muộn" in r)
    late, absent = header.index("Đi muộn"), header.index("Vắng không lý do")
    assert float(an[late]) == 1
    assert float(an[absent]) == 0
    assert float(binh[absent]) == 4

    page = html.read_text(encoding="utf-8")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page
    assert "Quế Phong, ngày 30 tháng 6 năm 2026" in page
    assert "<b>TM. ỦY BAN NHÂN DÂN</b>" in page  # signed by the Chairman unless set otherwise
    assert "(Ký, ghi rõ họ tên)" in page
    assert "Nguyễn Văn An" in page
    assert "Tư pháp - Hộ tịch" in page

    # one department only
    result = await hass.services.async_call(
        DOMAIN,
        "generate_report",
        {"config_entry_id": office.entry_id, "period": "month", "department": "Văn phòng"},
        blocking=True,
        return_response=True,
    )
    assert result is not None
    assert Path(result["xlsx"]).name == "bao-cao-ky-luat-2026-06-van-phong.xlsx"
    assert result["staff"] == 1
    assert (result["totals"]["late"], result["totals"]["absent"]) == (0, 4)


@pytest.mark.freeze_time(START)
async def test_daily_summary_lists_the_day(
    hass: HomeAssistant, office: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    await _load(hass, office)
    hass.states.async_set(AN_PHONE, "off")
    await travel(hass, freezer, at(6, 29, 7, 12))
    hass.states.async_set(AN_PHONE, "on")
    await travel(hass, freezer, at(6, 29, 16, 45))

    summary = await hass.services.async_call(
        DOMAIN,
        "daily_summary",
        {"config_entry_id": office.entry_id},
        blocking=True,
        return_response=True,
    )
    assert summary is not None
    assert summary["day"] == "2026-06-29"
    assert [p["name"] for p in summary["late"]] == ["Nguyễn Văn An"]
    assert [p["name"] for p in summary["absent"]] == ["Trần Thị Bình"]
    assert summary["figures"]["late"] == 1
    assert "Nguyễn Văn An" in summary["text"]
    assert "07:12" in summary["text"]
    assert {v["label"] for v in summary["violations"]} == {"Đi muộn", "Vắng mặt không lý do"}


@pytest.mark.freeze_time(START)
async def test_monthly_report_once_on_the_first_working_day(
    hass: HomeAssistant,
    office: MockConfigEntry,
    media: Path,
    freezer: FrozenDateTimeFactory,
) -> None:
    await _load(hass, office)
    await _two_days(hass, freezer)
    folder = media / DOMAIN / "17011"

    await travel(hass, freezer, at(7, 1, 7, 59))
    assert not (folder / "bao-cao-ky-luat-2026-06.xlsx").exists()
    await travel(hass, freezer, at(7, 1, 8, 0))
    await hass.async_block_till_done(wait_background_tasks=True)
    assert (folder / "bao-cao-ky-luat-2026-06.xlsx").exists()
    assert (folder / "bao-cao-ky-luat-2026-06.html").exists()
    notes = _notifications(hass)
    assert list(notes) == [f"{DOMAIN}_monthly_2026-06"]
    assert "tháng 6 năm 2026" in notes[f"{DOMAIN}_monthly_2026-06"]["message"]
    assert "Đi muộn: 1 lượt" in notes[f"{DOMAIN}_monthly_2026-06"]["message"]

    # a restart the same morning makes it neither again nor announces it twice
    (folder / "bao-cao-ky-luat-2026-06.xlsx").unlink()
    persistent_notification.async_dismiss(hass, f"{DOMAIN}_monthly_2026-06")
    await travel(hass, freezer, at(7, 1, 9, 0))
    assert await hass.config_entries.async_reload(office.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    await travel(hass, freezer, at(7, 2, 8, 0))
    await hass.async_block_till_done(wait_background_tasks=True)
    assert not (folder / "bao-cao-ky-luat-2026-06.xlsx").exists()
    assert _notifications(hass) == {}


@pytest.mark.freeze_time(datetime(2026, 8, 31, 9, 0, tzinfo=VN))
async def test_monthly_report_after_a_missed_morning_and_off_switch(
    hass: HomeAssistant, office: MockConfigEntry, media: Path, freezer: FrozenDateTimeFactory
) -> None:
    """The first working days of September (after the National Day holiday) were missed."""
    await _load(hass, office)
    await travel(hass, freezer, at(9, 4, 10, 0))  # Friday; 1–2/9 are National Day holidays
    await hass.async_block_till_done(wait_background_tasks=True)
    assert (media / DOMAIN / "17011" / "bao-cao-ky-luat-2026-08.xlsx").exists()

    hass.config_entries.async_update_entry(
        office, options={**office.options, "monthly_report": False}
    )
    await hass.async_block_till_done()
    await travel(hass, freezer, at(10, 1, 8, 0))
    await hass.async_block_till_done(wait_background_tasks=True)
    assert not (media / DOMAIN / "17011" / "bao-cao-ky-luat-2026-09.xlsx").exists()


def _notifications(hass: HomeAssistant) -> dict[str, Any]:
    from homeassistant.components.persistent_notification import (  # noqa: PLC0415
        _async_get_or_create_notifications,
    )

    return {k: dict(v) for k, v in _async_get_or_create_notifications(hass).items()}


@pytest.mark.freeze_time(START)
async def test_daily_counts_become_long_term_statistics(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    office: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    await _load(hass, office)
    await _two_days(hass, freezer)
    await travel(hass, freezer, at(7, 1, 0, 10))
    await hass.async_block_till_done(wait_background_tasks=True)
    await async_wait_recording_done(hass)

    ids = {statistic_id("17011", f) for f in ("late", "absent", "unattended_minutes")}
    stats = await recorder_mock.async_add_executor_job(
        statistics_during_period,
        hass,
        at(6, 28, 0),
        at(7, 1, 0),
        ids,
        "day",
        None,
        {"state", "sum"},
    )
    late = stats[statistic_id("17011", "late")]
    assert [(row["state"], row["sum"]) for row in late] == [(1.0, 1.0), (0.0, 1.0)]
    absent = stats[statistic_id("17011", "absent")]
    assert [row["sum"] for row in absent] == [2.0, 4.0]


async def test_report_refusals(
    hass: HomeAssistant, office: MockConfigEntry, hass_admin_user: MockUser
) -> None:
    await _load(hass, office)
    calls: list[tuple[dict[str, Any], str]] = [
        ({"period": "range"}, "range_needs_dates"),
        (
            {"period": "range", "start_date": "2026-06-10", "end_date": "2026-06-01"},
            "end_before_start",
        ),
        (
            {"period": "range", "start_date": "2025-01-01", "end_date": "2026-06-01"},
            "range_too_long",
        ),
        ({"department": "Phòng Kinh tế"}, "unknown_department"),
    ]
    for data, key in calls:
        with pytest.raises(ServiceValidationError) as err:
            await hass.services.async_call(
                DOMAIN,
                "generate_report",
                {"config_entry_id": office.entry_id, **data},
                blocking=True,
                return_response=True,
            )
        assert err.value.translation_key == key

    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            "daily_summary",
            {"config_entry_id": "nope"},
            blocking=True,
            return_response=True,
        )
    assert err.value.translation_key == "unknown_office"


async def test_report_needs_a_leader(
    hass: HomeAssistant, office: MockConfigEntry, hass_read_only_user: MockUser
) -> None:
    await _load(hass, office)
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            "daily_summary",
            {"config_entry_id": office.entry_id},
            blocking=True,
            return_response=True,
            context=Context(user_id=hass_read_only_user.id),
        )
    assert err.value.translation_key == "not_allowed"


async def test_reports_options(
    hass: HomeAssistant, office: MockConfigEntry, media: Path, hass_admin_user: MockUser
) -> None:
    await _load(hass, office)
    flow = await hass.config_entries.options.async_init(office.entry_id)
    assert "reports" in flow["menu_options"]
    flow = await hass.config_entries.options.async_configure(
        flow["flow_id"], {"next_step_id": "reports"}
    )
    assert flow["type"] is FlowResultType.FORM
    schema = flow["data_schema"].schema
    place = next(k for k in schema if k == "report_place")
    assert place.description == {"suggested_value": "Quế Phong"}
    assert next(k for k in schema if k == "report_signing").default() == "chairman"
    flow = await hass.config_entries.options.async_configure(
        flow["flow_id"],
        {
            "monthly_report": False,
            "report_place": "  Quế   Phong ",
            "report_signing": "vice_chairman",
            "report_signer": " Hoàng  Minh Đức",
        },
    )
    assert flow["type"] is FlowResultType.CREATE_ENTRY
    assert office.options["monthly_report"] is False
    assert office.options["report_place"] == "Quế Phong"
    assert office.options["report_signing"] == "vice_chairman"
    assert office.options["report_signer"] == "Hoàng Minh Đức"
    await hass.async_block_till_done(wait_background_tasks=True)  # the office reloads

    result = await hass.services.async_call(
        DOMAIN,
        "generate_report",
        {"config_entry_id": office.entry_id, "period": "month"},
        blocking=True,
        return_response=True,
        context=Context(user_id=hass_admin_user.id),
    )
    assert result is not None
    page = Path(result["html"]).read_text(encoding="utf-8")
    signature = page[page.index('<td class="sign">') :]
    assert re.findall(r"<b>([^<]+)</b>", signature) == [
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Hoàng Minh Đức",
    ]

    flow = await hass.config_entries.options.async_init(office.entry_id)
    flow = await hass.config_entries.options.async_configure(
        flow["flow_id"], {"next_step_id": "reports"}
    )
    schema = flow["data_schema"].schema
    assert next(k for k in schema if k == "report_signing").default() == "vice_chairman"
    signer = next(k for k in schema if k == "report_signer")
    assert signer.description == {"suggested_value": "Hoàng Minh Đức"}
