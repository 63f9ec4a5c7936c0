"""Adding and changing staff members in the UI."""

from __future__ import annotations

from homeassistant import config_entries
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.quephong_office.const import SUBENTRY_STAFF


async def _start(hass: HomeAssistant, entry: MockConfigEntry) -> dict:
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_STAFF), context={"source": config_entries.SOURCE_USER}
    )
    assert result["step_id"] == "user"
    return result


async def test_add_staff_member_with_errors_then_reconfigure(
    hass: HomeAssistant, setup_office: MockConfigEntry
) -> None:
    result = await _start(hass, setup_office)
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {
            CONF_NAME: "   ",
            "desk": "none",
            "zalo_user_id": "abc",
            "phone": "12345",
            "email": "an@",
        },
    )
    assert result["errors"] == {
        "name": "empty_name",
        "zalo_user_id": "invalid_zalo_user_id",
        "phone": "invalid_phone",
        "email": "invalid_email",
    }
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {
            CONF_NAME: " Nguyễn  Văn An ",
            "position": "Công chức Tư pháp – Hộ tịch",
            "department": "Bộ phận một cửa",
            "desk": "none",
            "zalo_user_id": "8472615530912",
            "phone": "0912 345 678",
            "email": "an@quephong.gov.vn",
            "presence_entities": ["binary_sensor.an_phone"],
            "frigate_name": "nguyen_van_an",
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    (subentry,) = [s for s in setup_office.subentries.values() if s.subentry_type == SUBENTRY_STAFF]
    assert subentry.title == "Nguyễn Văn An"
    assert subentry.data["phone"] == "0912345678"
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), setup_office.entry_id)
    assert any(
        d.name == "Nguyễn Văn An" and d.model == "Công chức Tư pháp – Hộ tịch" for d in devices
    )

    result = await _start(hass, setup_office)
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {CONF_NAME: "nguyễn văn an", "desk": "none"}
    )
    assert result["errors"] == {"name": "duplicate_staff"}

    result = await hass.config_entries.subentries.async_init(
        (setup_office.entry_id, SUBENTRY_STAFF),
        context={"source": config_entries.SOURCE_RECONFIGURE, "subentry_id": subentry.subentry_id},
    )
    assert result["step_id"] == "user"
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {CONF_NAME: "Nguyễn Văn An", "desk": "none", "phone": "+84912345679"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert setup_office.subentries[subentry.subentry_id].data["phone"] == "+84912345679"
    assert "email" not in setup_office.subentries[subentry.subentry_id].data
