"""The office's options: a menu for hours, rules and announced days."""

from __future__ import annotations

from homeassistant import config_entries
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.quephong_office.core.calendar import NGHE_AN, schedule_to_dict


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
