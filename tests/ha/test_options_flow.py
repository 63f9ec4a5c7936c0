"""The office's options: a menu for hours, rules and announced days."""

from __future__ import annotations

import aiohttp
import pytest
from homeassistant import config_entries
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.quephong_office.core.calendar import NGHE_AN, schedule_to_dict
from devtools.xlsx import xlsx_bytes


async def _open(hass: HomeAssistant, entry: MockConfigEntry, step: str) -> dict:
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.MENU
    assert step in result["menu_options"]
    return await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": step}
    )


async def test_hours(hass: HomeAssistant, setup_office: MockConfigEntry) -> None:
    result = await _open(hass, setup_office, "hours")
    bad = {**schedule_to_dict(NGHE_AN), "winter_morning_end": "07:00:00"}
    result = await hass.config_entries.options.async_configure(result["flow_id"], bad)
    assert result["errors"] == {"winter_morning_end": "end_before_start"}
    good = {**schedule_to_dict(NGHE_AN), "winter_morning_start": "07:45:00"}
    result = await hass.config_entries.options.async_configure(result["flow_id"], good)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert setup_office.options["winter_morning_start"] == "07:45"
    assert setup_office.state is config_entries.ConfigEntryState.LOADED


async def test_rules(hass: HomeAssistant, setup_office: MockConfigEntry) -> None:
    result = await _open(hass, setup_office, "rules")
    form = {
        "desk_grace": 15,
        "late_grace": 10,
        "early_grace": 5,
        "absence_cutoff": 10,
        "gathering_people": 3,
        "gathering_minutes": 5,
    }
    result = await hass.config_entries.options.async_configure(result["flow_id"], form)
    assert result["errors"] == {"absence_cutoff": "cutoff_before_late"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**form, "absence_cutoff": 90, "desk_grace": 0}
    )
    assert result["errors"] == {"desk_grace": "out_of_range"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**form, "absence_cutoff": 90}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert setup_office.options["desk_grace"] == 15
    assert setup_office.options["summer_morning_start"] == "07:00"  # hours kept
    rules = setup_office.runtime_data.rules
    assert rules.rules.settings.absence_cutoff == 90


async def test_add_and_remove_announced_days(
    hass: HomeAssistant, setup_office: MockConfigEntry
) -> None:
    result = await _open(hass, setup_office, "add_override")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {"date": "2026-06-04", "kind": "hours", "name": "Tiếp dân", "morning_start": "07:00:00"},
    )
    assert result["errors"] == {"morning_end": "invalid_time"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"date": "2026-06-06", "kind": "workday", "name": "Làm bù"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    result = await _open(hass, setup_office, "add_override")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"date": "2026-06-06", "kind": "day_off"}
    )
    assert result["errors"] == {"date": "duplicate_date"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            "date": "2026-06-04",
            "kind": "hours",
            "morning_start": "06:30:00",
            "morning_end": "11:00:00",
            "afternoon_start": "13:00:00",
            "afternoon_end": "16:30:00",
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert [o["date"] for o in setup_office.options["overrides"]] == ["2026-06-04", "2026-06-06"]
    calendar = setup_office.runtime_data.clock.calendar
    assert calendar.day_info(calendar.special_hours and next(iter(calendar.special_hours))).working

    result = await _open(hass, setup_office, "remove_override")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"dates": ["2026-06-06"]}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert [o["date"] for o in setup_office.options["overrides"]] == ["2026-06-04"]
    result = await hass.config_entries.options.async_init(setup_office.entry_id)
    assert "remove_override" in result["menu_options"]


async def _upload(hass_client: ClientSessionGenerator, name: str, content: bytes) -> str:
    client = await hass_client()
    form = aiohttp.FormData()
    form.add_field("file", content, filename=name)
    resp = await client.post("/api/file_upload", data=form)
    assert resp.status == 200
    return (await resp.json())["file_id"]


async def test_import_staff_from_xlsx(
    hass: HomeAssistant,
    setup_office: MockConfigEntry,
    hass_client: ClientSessionGenerator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await hass.config.async_update(language="vi")
    reloads: list[str] = []
    reload = hass.config_entries.async_reload

    async def counted_reload(entry_id: str) -> bool:
        reloads.append(entry_id)
        return await reload(entry_id)

    monkeypatch.setattr(hass.config_entries, "async_reload", counted_reload)
    bad = xlsx_bytes(
        [["Họ và tên", "Số điện thoại"], ["Nguyễn Văn An", "12"], ["", ""], ["Bình", ""]]
    )
    result = await _open(hass, setup_office, "import_staff")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"file": await _upload(hass_client, "ds.xlsx", bad)}
    )
    assert result["errors"] == {"file": "rows_invalid"}
    assert result["description_placeholders"]["problems"] == "- dòng 2: số điện thoại sai"
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"file": await _upload(hass_client, "ds.pdf", b"%PDF")}
    )
    assert result["errors"] == {"file": "unsupported_file"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"file": await _upload(hass_client, "ds.csv", "Họ và tên\n".encode())}
    )
    assert result["errors"] == {"file": "empty_file"}
    good = xlsx_bytes(
        [
            ["Họ và tên", "Chức vụ", "Số điện thoại"],
            ["Nguyễn Văn An", "Công chức Tư pháp", 912345678],
            ["Trần Thị Bình", "Văn phòng", ""],
        ]
    )
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"file": await _upload(hass_client, "Danh sách.xlsx", good)}
    )
    assert result["type"] is FlowResultType.ABORT
    assert (result["reason"], result["description_placeholders"]) == (
        "staff_imported",
        {"count": "2"},
    )
    await hass.async_block_till_done(wait_background_tasks=True)  # the office reloads
    staff = {
        s.title: dict(s.data)
        for s in setup_office.subentries.values()
        if s.subentry_type == "staff"
    }
    assert staff == {
        "Nguyễn Văn An": {"desk": "none", "position": "Công chức Tư pháp", "phone": "0912345678"},
        "Trần Thị Bình": {"desk": "none", "position": "Văn phòng"},
    }
    # everyone imported together is loaded by one reload, which reads them all
    assert reloads == [setup_office.entry_id]
    assert setup_office.state is config_entries.ConfigEntryState.LOADED
    assert hass.states.get("sensor.nguyen_van_an_violations_in_30_days") is not None
    assert hass.states.get("sensor.tran_thi_binh_violations_in_30_days") is not None
