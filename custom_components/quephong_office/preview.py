"""Zone previews: the camera's picture with its zones and privacy masks drawn on it.

Config-flow descriptions are Markdown, and the browser loads a Markdown image without Home
Assistant's auth header; so each preview is served once from an unguessable, short-lived
address, like the camera proxy's access tokens.
"""

from __future__ import annotations

import io
import secrets
import time
from collections.abc import Sequence
from http import HTTPStatus

from aiohttp import web
from homeassistant.core import HomeAssistant
from homeassistant.helpers.http import KEY_HASS, HomeAssistantView
from homeassistant.util.hass_dict import HassKey
from PIL import Image, ImageDraw

from .const import DOMAIN
from .core.vision.zones import Polygon

URL = f"/api/{DOMAIN}/preview/{{token}}"
TTL = 600.0
PREVIEWS: HassKey[dict[str, tuple[float, bytes]]] = HassKey(f"{DOMAIN}_previews")

ZONE_COLOURS = ("#f2b705", "#2e86de", "#27ae60", "#e67e22", "#8e44ad", "#16a085")
HIGHLIGHT = "#e8112d"


def draw_layout(
    jpeg: bytes,
    zones: Sequence[tuple[str, Polygon]],
    masks: Sequence[Polygon],
    highlight: Polygon | None = None,
) -> bytes:
    """The picture with masks greyed out, zones outlined and numbered, one zone highlighted."""
    image = Image.open(io.BytesIO(jpeg)).convert("RGB")
    if image.width > 960:
        image = image.resize((960, round(image.height * 960 / image.width)))
    width, height = image.size
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)

    def pixels(polygon: Polygon) -> list[tuple[float, float]]:
        return [(x * width, y * height) for x, y in polygon]

    for mask in masks:
        draw.polygon(pixels(mask), fill=(60, 60, 60, 200))
    line = max(2, width // 240)
    for index, (_name, polygon) in enumerate(zones):
        colour = ZONE_COLOURS[index % len(ZONE_COLOURS)]
        draw.polygon(pixels(polygon), outline=colour, width=line)
        x, y = pixels(polygon)[0]
        draw.rectangle((x, y, x + 9 * line, y + 9 * line), fill=colour)
        draw.text((x + 2 * line, y + line), str(index + 1), fill="black")
    if highlight is not None:
        draw.polygon(pixels(highlight), outline=HIGHLIGHT, width=line * 2, fill=(232, 17, 45, 50))
    result = Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")
    out = io.BytesIO()
    result.save(out, format="JPEG", quality=80)
    return out.getvalue()


def publish_preview(hass: HomeAssistant, jpeg: bytes) -> str:
    """Keep a preview for 10 minutes; return the address to put in a Markdown image."""
    previews = hass.data.setdefault(PREVIEWS, {})
    now = time.monotonic()
    for token in [t for t, (expiry, _) in previews.items() if expiry < now]:
        del previews[token]
    token = secrets.token_urlsafe(24)
    previews[token] = (now + TTL, jpeg)
    return URL.format(token=token)


class ZonePreviewView(HomeAssistantView):
    """Serves previews by token; the token is the credential."""

    url = URL
    name = f"api:{DOMAIN}:preview"
    requires_auth = False

    async def get(self, request: web.Request, token: str) -> web.Response:
        """The preview image, or 404 when the token is unknown or expired."""
        hass: HomeAssistant = request.app[KEY_HASS]
        entry = hass.data.get(PREVIEWS, {}).get(token)
        if entry is None or entry[0] < time.monotonic():
            return web.Response(status=HTTPStatus.NOT_FOUND)
        return web.Response(
            body=entry[1], content_type="image/jpeg", headers={"Cache-Control": "no-store"}
        )
