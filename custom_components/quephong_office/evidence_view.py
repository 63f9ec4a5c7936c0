"""Authenticated views for evidence images and export bundles.

Only administrators and the office's listed leaders get an answer; every answer is written
to the office's access log. The media source hands out paths to these views, which Home
Assistant signs for the user who asked.
"""

from __future__ import annotations

from http import HTTPStatus

from aiohttp import web
from homeassistant.auth.models import User
from homeassistant.config_entries import ConfigEntryState
from homeassistant.helpers.http import KEY_HASS, HomeAssistantView
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .core.evidence import EvidenceError
from .evidence_runtime import SHARED_LINK_VIEWER, EvidenceKeeper

IMAGE_URL = "/api/quephong_office/evidence/{entry_id}/{evidence_id}.jpg"
EXPORT_URL = "/api/quephong_office/evidence/{entry_id}/exports/{export_id}.zip"
SHARED_URL = "/api/quephong_office/shared/{entry_id}/{evidence_id}/{expires}/{token}.jpg"


def _loaded_keeper(request: web.Request, entry_id: str) -> EvidenceKeeper:
    hass = request.app[KEY_HASS]
    entry = hass.config_entries.async_get_entry(entry_id)
    if entry is None or entry.domain != DOMAIN or entry.state is not ConfigEntryState.LOADED:
        raise web.HTTPNotFound
    keeper: EvidenceKeeper | None = entry.runtime_data.evidence
    if keeper is None:
        raise web.HTTPNotFound
    return keeper


async def _image(request: web.Request, keeper: EvidenceKeeper, evidence_id: str) -> web.Response:
    try:
        image = await request.app[KEY_HASS].async_add_executor_job(keeper.store.image, evidence_id)
    except (EvidenceError, OSError):
        return web.Response(status=HTTPStatus.NOT_FOUND)
    return web.Response(
        body=image, content_type="image/jpeg", headers={"Cache-Control": "no-store"}
    )


def _keeper(request: web.Request, entry_id: str) -> EvidenceKeeper:
    keeper = _loaded_keeper(request, entry_id)
    user: User | None = request.get("hass_user")
    if not keeper.may_see(user):
        raise web.HTTPForbidden
    return keeper


class EvidenceImageView(HomeAssistantView):
    """One evidence image."""

    url = IMAGE_URL
    name = "api:quephong_office:evidence"
    requires_auth = True

    async def get(self, request: web.Request, entry_id: str, evidence_id: str) -> web.Response:
        """The captioned JPEG, for administrators and the office's leaders."""
        keeper = _keeper(request, entry_id)
        response = await _image(request, keeper, evidence_id)
        if response.status == HTTPStatus.OK:
            await keeper.async_log(request.get("hass_user"), "view", evidence_id)
        return response


class EvidenceSharedView(HomeAssistantView):
    """One evidence image behind a signed, short-lived link (for the Zalo Bot's servers)."""

    url = SHARED_URL
    name = "api:quephong_office:evidence_shared"
    requires_auth = False

    async def get(
        self, request: web.Request, entry_id: str, evidence_id: str, expires: str, token: str
    ) -> web.Response:
        """The captioned JPEG, while the link's signature holds."""
        keeper = _loaded_keeper(request, entry_id)
        if not expires.isdigit() or not keeper.store.check_share(
            evidence_id, int(expires), token, dt_util.utcnow()
        ):
            raise web.HTTPForbidden
        response = await _image(request, keeper, evidence_id)
        if response.status == HTTPStatus.OK:
            await keeper.async_log(SHARED_LINK_VIEWER, "shared_link", evidence_id)
        return response


class EvidenceExportView(HomeAssistantView):
    """One export bundle (a zip for a disciplinary case)."""

    url = EXPORT_URL
    name = "api:quephong_office:evidence_export"
    requires_auth = True

    async def get(self, request: web.Request, entry_id: str, export_id: str) -> web.StreamResponse:
        """The zip, for administrators and the office's leaders."""
        keeper = _keeper(request, entry_id)
        path = keeper.store.root / "exports" / f"{export_id}.zip"
        if not export_id.isalnum() or export_id not in keeper.store.exports():
            return web.Response(status=HTTPStatus.NOT_FOUND)
        await keeper.async_log(request.get("hass_user"), "download", export_id)
        return web.FileResponse(
            path,
            headers={
                "Content-Disposition": f'attachment; filename="evidence-{export_id}.zip"',
                "Cache-Control": "no-store",
            },
        )
