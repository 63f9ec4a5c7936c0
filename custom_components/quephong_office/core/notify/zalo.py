"""Zalo Official Account client: consultation messages (text, image by upload) and OAuth v4.

Follows Zalo's documented contract (Open API v3 for messages, v2.0 for uploads, OAuth v4 for
tokens):
- the access token goes in a plain `access_token` header;
- errors come back with HTTP 200 and a non-zero `error` in the body;
- refresh tokens are single use: every refresh returns a new pair, which is handed to
  `save_tokens` and persisted *before* it is used; refreshes are single-flight (a lock);
- the access token (25 h) is refreshed proactively 5 h before it expires, and once more when
  a call says it is invalid or expired (-216, -220).
Consultation messages reach only users who interacted with the OA in the last 7 days (-230,
-232): those, and other per-user refusals, are `ZaloError`s with `permanent=True` so that the
caller falls back to another channel.

ZNS (template messages by phone, `business.openapi.zalo.me`) use the same OA access token, so
they share the refresh and rotation logic; phones are normalised to `84xxxxxxxxx` first. Their
error codes differ from the OA API's and are mapped separately (`ZNS_ERRORS`).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import aiohttp

from custom_components.quephong_office.core.errors import CodedError

OAUTH_BASE = "https://oauth.zaloapp.com"
OPENAPI_BASE = "https://openapi.zalo.me"
BUSINESS_BASE = "https://business.openapi.zalo.me"
#: Refresh this long before the access token expires.
REFRESH_MARGIN = timedelta(hours=5)
#: Zalo's limit for a consultation message's text.
MAX_TEXT = 2000
#: Zalo's limit for a ZNS message's `tracking_id`.
MAX_TRACKING_ID = 48

EXPIRED_TOKEN = frozenset({-216, -220})
#: Refusals tied to the recipient: another channel must take over.
RECIPIENT_REFUSED = {
    -230: "outside_window",
    -232: "outside_window",
    -213: "not_follower",
    -227: "user_inactive",
    -217: "user_blocked",
    -244: "user_blocked",
}
RATE_LIMITED = -32

#: OA API error -> (code, permanent).
OA_ERRORS: Mapping[int, tuple[str, bool]] = {
    **{error: (code, True) for error, code in RECIPIENT_REFUSED.items()},
    RATE_LIMITED: ("rate_limited", False),
}
#: ZNS errors meaning the access token is invalid or expired: refresh, then retry once.
#: -124 is "access token invalid" on the business host.
ZNS_EXPIRED_TOKEN = frozenset({*EXPIRED_TOKEN, -124})
#: ZNS error -> (code, permanent).
ZNS_ERRORS: Mapping[int, tuple[str, bool]] = {
    -108: ("invalid_phone", True),
    # template id invalid, data empty, parameter too long / missing, no permission for the
    # template, not approved, disabled; a development template sent to a non-admin
    **dict.fromkeys((-109, -111, -1121, -1122, -117, -127, -131, -146), ("template_invalid", True)),
    # out of quota or balance, development wallet empty, template over its daily limit
    **dict.fromkeys((-115, -126, -147), ("quota_exceeded", False)),
    # OA daily limit, no ZNS permission, no (funded) Zalo Cloud Account
    **dict.fromkeys((-144, -135, -136, -137), ("zns_not_allowed", True)),
    # the phone's owner cannot receive: no Zalo account, refused, ineligible
    **dict.fromkeys((-114, -118, -119, -139, -140, -141), ("user_unreachable", True)),
    RATE_LIMITED: ("rate_limited", False),
}

_PHONE_NOISE = re.compile(r"[\s.\-()]")
_PHONE_DIGITS = re.compile(r"^[1-9]\d{8}$")


class ZaloError(CodedError):
    """A Zalo call failed; `code` is a translation key, `permanent` means: use another channel."""

    def __init__(self, code: str, detail: str = "", *, permanent: bool = False) -> None:
        """Keep the code, Zalo's own message and whether retrying can help."""
        super().__init__(code, detail)
        self.permanent = permanent


@dataclass(frozen=True, slots=True, kw_only=True)
class ZaloTokens:
    """An OA token pair and when the access token expires."""

    access_token: str
    refresh_token: str
    expires_at: datetime

    def to_dict(self) -> dict[str, str]:
        """Stored form."""
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "expires_at": self.expires_at.isoformat(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ZaloTokens:
        """Restore the stored form."""
        return cls(
            access_token=data["access_token"],
            refresh_token=data["refresh_token"],
            expires_at=datetime.fromisoformat(data["expires_at"]),
        )


def zns_phone(phone: str) -> str:
    """A Vietnamese phone number in ZNS form, `84` and 9 digits.

    Accepts `0912 345 678`, `+84 912.345.678`, `84912345678`, `(+84) 0912-345-678` and the
    9 digits alone (a spreadsheet drops the leading zero); anything else is a permanent
    `invalid_phone` error.
    """
    digits = _PHONE_NOISE.sub("", phone)
    if digits.startswith("+84"):
        digits = digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = digits[2:]
    if len(digits) == 10 and digits.startswith("0"):
        digits = digits[1:]
    if not _PHONE_DIGITS.match(digits):
        raise ZaloError("invalid_phone", phone, permanent=True)
    return f"84{digits}"


class ZaloOAClient:
    """One Official Account."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        app_id: str,
        secret_key: str,
        tokens: ZaloTokens,
        save_tokens: Callable[[ZaloTokens], Awaitable[None]],
        now: Callable[[], datetime],
        oauth_base: str = OAUTH_BASE,
        openapi_base: str = OPENAPI_BASE,
        business_base: str = BUSINESS_BASE,
        timeout: float = 15.0,
    ) -> None:
        """`save_tokens` must persist a new pair before it returns."""
        self._session = session
        self.app_id = app_id
        self._secret = secret_key
        self.tokens = tokens
        self._save = save_tokens
        self._now = now
        self._oauth = oauth_base.rstrip("/")
        self._openapi = openapi_base.rstrip("/")
        self._business = business_base.rstrip("/")
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._lock = asyncio.Lock()

    async def refresh(self, used: str | None = None) -> ZaloTokens:
        """Exchange the refresh token for a new pair (once, even when called concurrently).

        `used` is the access token the caller found rejected: if another task refreshed in
        the meantime, its pair is used instead of refreshing again.
        """
        async with self._lock:
            if used is not None and self.tokens.access_token != used:
                return self.tokens
            try:
                async with self._session.post(
                    f"{self._oauth}/v4/oa/access_token",
                    data={
                        "refresh_token": self.tokens.refresh_token,
                        "app_id": self.app_id,
                        "grant_type": "refresh_token",
                    },
                    headers={"secret_key": self._secret},
                    timeout=self._timeout,
                ) as resp:
                    body = await resp.json(content_type=None)
            except (aiohttp.ClientError, TimeoutError, ValueError) as err:
                raise ZaloError("cannot_connect", str(err)) from err
            if not isinstance(body, dict) or "access_token" not in body:
                detail = str(body.get("error_reason") or body.get("message") or body)
                raise ZaloError("refresh_rejected", detail, permanent=True)
            new = ZaloTokens(
                access_token=str(body["access_token"]),
                refresh_token=str(body["refresh_token"]),
                expires_at=self._now() + timedelta(seconds=int(body.get("expires_in", 90000))),
            )
            await self._save(new)  # persisted before it is ever used
            self.tokens = new
            return new

    async def _call(
        self,
        method: str,
        path: str,
        make_body: Callable[[], dict[str, Any]],
        *,
        base: str | None = None,
        errors: Mapping[int, tuple[str, bool]] = OA_ERRORS,
        expired: frozenset[int] = EXPIRED_TOKEN,
    ) -> dict[str, Any]:
        """Call an API taking the OA access token (the OA API unless `base` says otherwise).

        `make_body` builds the request's body anew for each attempt; `errors` maps the API's
        error codes to ours, `expired` lists those meaning: refresh the token, retry once.
        """
        url = f"{self._openapi if base is None else base}{path}"
        if self.tokens.expires_at - self._now() < REFRESH_MARGIN:
            await self.refresh(self.tokens.access_token)
        for attempt in range(2):
            used = self.tokens.access_token
            try:
                async with self._session.request(
                    method,
                    url,
                    headers={"access_token": used},
                    timeout=self._timeout,
                    **make_body(),
                ) as resp:
                    body = await resp.json(content_type=None)
            except (aiohttp.ClientError, TimeoutError, ValueError) as err:
                raise ZaloError("cannot_connect", str(err)) from err
            if not isinstance(body, dict):
                raise ZaloError("unexpected_answer", str(body)[:200])
            try:
                error = int(body.get("error", 0))
            except (TypeError, ValueError):
                raise ZaloError("unexpected_answer", str(body)[:200]) from None
            if error == 0:
                data = body.get("data")
                return data if isinstance(data, dict) else {}
            message = str(body.get("message", ""))
            if error in expired and attempt == 0:
                await self.refresh(used)
                continue
            if error in expired:
                break
            if error in errors:
                code, permanent = errors[error]
                raise ZaloError(code, message, permanent=permanent)
            raise ZaloError("zalo_error", f"{error}: {message}")
        raise ZaloError("token_rejected", "access token refused after a refresh", permanent=True)

    async def upload_image(self, jpeg: bytes) -> str:
        """Upload a JPEG (≤ 1 MB); return its attachment id (valid 7 days: upload per send)."""

        def form() -> dict[str, Any]:
            data = aiohttp.FormData()
            data.add_field("file", jpeg, filename="bang-chung.jpg", content_type="image/jpeg")
            return {"data": data}

        data = await self._call("POST", "/v2.0/oa/upload/image", form)
        return str(data["attachment_id"])

    async def send(self, user_id: str, text: str, image: bytes | None = None) -> str:
        """A consultation message, with the image when given; return Zalo's message id."""
        message: dict[str, Any] = {"text": text[:MAX_TEXT]}
        if image is not None:
            attachment = await self.upload_image(image)
            message["attachment"] = {
                "type": "template",
                "payload": {
                    "template_type": "media",
                    "elements": [{"media_type": "image", "attachment_id": attachment}],
                },
            }
        payload = {"recipient": {"user_id": user_id}, "message": message}
        data = await self._call("POST", "/v3.0/oa/message/cs", lambda: {"json": payload})
        return str(data.get("message_id", ""))

    async def send_template(
        self, phone: str, template_id: str, template_data: dict[str, str], tracking_id: str
    ) -> str:
        """A ZNS template message to a phone number; return Zalo's message id.

        `tracking_id` is the caller's correlation id (Zalo keeps at most 48 characters). A
        bad phone number fails before any call, as a permanent `invalid_phone`.
        """
        payload = {
            "phone": zns_phone(phone),
            "template_id": template_id,
            "template_data": dict(template_data),
            "tracking_id": tracking_id[:MAX_TRACKING_ID],
        }
        data = await self._call(
            "POST",
            "/message/template",
            lambda: {"json": payload},
            base=self._business,
            errors=ZNS_ERRORS,
            expired=ZNS_EXPIRED_TOKEN,
        )
        if not data.get("msg_id"):
            raise ZaloError("unexpected_answer", str(data)[:200])
        return str(data["msg_id"])
