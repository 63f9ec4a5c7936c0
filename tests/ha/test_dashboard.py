"""The leaders' dashboard built from an office's entities (the e2e script renders it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.quephong_office.const import DOMAIN

from .conftest import office_entry, staff_subentry


async def test_the_dashboard_shows_every_part_of_the_office(hass: HomeAssistant) -> None:
    entry: MockConfigEntry = office_entry(
        subentries_data=[staff_subentry("Nguyễn Văn An"), staff_subentry("Trần Thị Bình")]
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    response = await hass.services.async_call(
        DOMAIN,
        "dashboard",
        {"config_entry_id": entry.entry_id},
        blocking=True,
        return_response=True,
    )
    config = response["config"]
    assert config["title"] == "UBND xã Quế Phong"
    (day,) = config["views"]  # no meeting room: one view
    headings = [s["cards"][0]["heading"] for s in day["sections"]]
    assert headings == ["Hôm nay", "Chuyên cần hôm nay", "Vi phạm"]
    figures = day["sections"][0]["cards"][1]["entities"]
    assert [f["name"] for f in figures] == [
        "Đi muộn",
        "Vắng mặt",
        "Nghỉ phép",
        "Quầy trống",
        "Vi phạm tháng",
        "Tin gửi lỗi",
    ]
    every = [
        e["entity"] if isinstance(e, dict) else e
        for section in day["sections"]
        for card in section["cards"]
        for e in card.get("entities", [])
    ]
    for entity_id in every:  # every entity the dashboard names exists
        assert hass.states.get(entity_id) is not None, entity_id
    attendance = day["sections"][1]["cards"][1]["entities"]
    assert attendance == ["sensor.nguyen_van_an_attendance", "sensor.tran_thi_binh_attendance"]
    violations = day["sections"][2]["cards"]
    assert [c["type"] for c in violations[1:]] == ["logbook", "custom:quephong-evidence-card"]
    evidence = violations[2]
    assert evidence["config_entry_id"] == entry.entry_id
    assert evidence["violations_entity"] == violations[1]["target"]["entity_id"][0]
    assert hass.states.get(evidence["violations_entity"]) is not None
    assert "views:" in response["yaml"]
    assert "Chuyên cần hôm nay" in response["yaml"]
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            DOMAIN,
            "dashboard",
            {"config_entry_id": "nope"},
            blocking=True,
            return_response=True,
        )


async def test_the_printable_camera_notice(hass: HomeAssistant) -> None:
    entry: MockConfigEntry = office_entry(options={"evidence_retention_days": 90})
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    response = await hass.services.async_call(
        DOMAIN,
        "camera_notice",
        {"config_entry_id": entry.entry_id, "contact": "Văn phòng UBND xã, 0238 3885 123"},
        blocking=True,
        return_response=True,
    )
    assert response["url"] == "/local/quephong_office/thong-bao-camera-17011.html"
    page = Path(response["path"]).read_text(encoding="utf-8")
    assert "KHU VỰC CÓ CAMERA GIÁM SÁT" in page
    assert "Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15" in page
    assert "UBND tỉnh Nghệ An" in page  # the parent unit heads the page
    assert "tối đa <b>90 ngày</b>" in page
    assert "0238 3885 123" in page
