"""The communes or wards taking part in a parent unit's room, as the IT officer lists them.

One per line: the name, then optionally the endpoint to check (an http(s) URL or host:port)
and the unit code under which the commune publishes its readiness over MQTT, separated by
semicolons:

    Xã Châu Kim; https://chaukim.nghean.gov.vn; 17011
    Phường Thái Hoà; 10.20.1.5:443
    Xã Tiền Phong; ; 17008
"""

from __future__ import annotations

from dataclasses import dataclass

from .endpoints import Endpoint, parse_endpoint
from .errors import MeetingError

FIELD = "communes"
#: A unit code (mã đơn vị hành chính) is a few digits; allow letters for other schemes.
MAX_CODE = 16


@dataclass(frozen=True, slots=True, kw_only=True)
class Commune:
    """A participating commune: its name, where it answers, and its MQTT site (unit code)."""

    name: str
    endpoint: Endpoint | None = None
    site: str | None = None


def parse_communes(text: str) -> list[Commune]:
    """The communes of the text (raise MeetingError with field `communes` on a bad line)."""
    communes: list[Commune] = []
    seen: set[str] = set()
    for line in text.splitlines():
        if not line.strip():
            continue
        name, endpoint, code, *rest = [*(part.strip() for part in line.split(";")), "", ""]
        name = " ".join(name.split())
        if not name or any(rest) or name.casefold() in seen:
            raise MeetingError("invalid_commune", FIELD)
        if code and (len(code) > MAX_CODE or not code.replace("_", "").isalnum()):
            raise MeetingError("invalid_unit_code", FIELD)
        seen.add(name.casefold())
        communes.append(
            Commune(
                name=name,
                endpoint=parse_endpoint(endpoint, field_name=FIELD) if endpoint else None,
                site=code or None,
            )
        )
    return communes


def format_communes(communes: list[Commune]) -> str:
    """The text form again (for the form's default)."""
    return "\n".join(
        "; ".join([c.name, c.endpoint.text if c.endpoint else "", c.site or ""]).rstrip("; ")
        for c in communes
    )
