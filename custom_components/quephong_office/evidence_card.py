"""The evidence card: the latest violation snapshots on the leaders' dashboard.

A dashboard is shown to every user of Home Assistant, but evidence is only for administrators
and the office's leaders. So the card (`frontend/quephong-evidence-card.js`, a plain custom
element without build step) asks over the websocket for the latest evidence; the answer holds
links signed for the asking user only, for 30 minutes, and only when that user may see the
office's evidence. Anybody else gets `allowed: false` and the card says so. Every image the
browser then loads goes through the evidence view, which logs the view.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from homeassistant.components import websocket_api
from homeassistant.components.http.auth import async_sign_path
from homeassistant.components.websocket_api.connection import ActiveConnection
from homeassistant.components.websocket_api.decorators import async_response, websocket_command
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant

from .compat import StaticPathConfig, vol
from .const import DOMAIN, LOGGER
from .core.evidence import RULE_LABELS
from .evidence_view import IMAGE_URL

CARD_URL = f"/{DOMAIN}/quephong-evidence-card.js"
CARD_FILE = Path(__file__).parent / "frontend" / "quephong-evidence-card.js"
#: Signed image links live this long.
LINK_LIFETIME = timedelta(minutes=30)
#: At most this many pictures per office.
MAX_ITEMS = 24


async def async_setup_card(hass: HomeAssistant) -> None:
    """Serve the card's module, load it in every dashboard and answer its question."""
    websocket_api.async_register_command(hass, ws_recent_evidence)
    if "frontend" not in hass.config.components:
        LOGGER.debug("No frontend: the evidence card is not served")
        return
    from homeassistant.components.frontend import add_extra_js_url  # noqa: PLC0415

    await hass.http.async_register_static_paths([StaticPathConfig(CARD_URL, str(CARD_FILE), True)])
    add_extra_js_url(hass, CARD_URL)


@websocket_command(
    {
        vol.Required("type"): f"{DOMAIN}/evidence/recent",
        vol.Optional("config_entry_id"): str,
        vol.Optional("limit", default=8): vol.All(int, vol.Range(min=1, max=MAX_ITEMS)),
    }
)
@async_response
async def ws_recent_evidence(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """The latest evidence of the offices the user may see, with links signed for them."""
    wanted = msg.get("config_entry_id")
    offices: list[dict[str, Any]] = []
    allowed = False
    for entry in hass.config_entries.async_entries(DOMAIN):
        if wanted is not None and entry.entry_id != wanted:
            continue
        keeper = entry.runtime_data.evidence if entry.state is ConfigEntryState.LOADED else None
        if keeper is None or not keeper.may_see(connection.user):
            continue
        allowed = True
        records = await hass.async_add_executor_job(keeper.store.records)
        items = [
            {
                "id": record.id,
                "at": record.at,
                "rule": record.type,
                "label": RULE_LABELS.get(record.type, record.type),
                "subject": record.subject,
                "camera": record.camera,
                "url": async_sign_path(
                    hass,
                    IMAGE_URL.format(entry_id=entry.entry_id, evidence_id=record.id),
                    LINK_LIFETIME,
                    refresh_token_id=connection.refresh_token_id,
                ),
            }
            for record in _latest(records, msg["limit"])
        ]
        offices.append({"config_entry_id": entry.entry_id, "office": entry.title, "items": items})
    connection.send_result(msg["id"], {"allowed": allowed, "offices": offices})


def _latest(records: list[Any], limit: int) -> list[Any]:
    return sorted(records, key=lambda r: r.at, reverse=True)[:limit]
