"""Local fakes of Zalo's OA, OAuth, ZNS and Bot APIs, following the documented contract.

For tests only.

`FakeZalo` serves the OA, OAuth and business (ZNS) hosts' routes:
- `POST /v4/oa/access_token`: form `app_id`, `grant_type=refresh_token`, `refresh_token`,
  header `secret_key`; answers a new pair and **rotates**: the old refresh token is refused.
- `POST /v3.0/oa/message/cs`: header `access_token`; HTTP 200 with `error` 0 or -216
  (invalid token), -220 (expired), -230 (no interaction in 7 days), -213 (not a follower),
  -32 (rate limit, when armed).
- `POST /v2.0/oa/upload/image`: multipart field `file`, refused over 1 MB.
- `POST /message/template` (ZNS): header `access_token` (refused with `zns_token_error`,
  -216 by default); JSON `phone` (84 and 9 digits, else -108), `template_id` (a key of
  `templates`, else -109), `template_data` (-111 when empty, -1122 when a parameter the
  template needs is missing), `tracking_id` (at most 48 characters, else -1121); -115 when
  `zns_quota` is 0; any code queued in `zns_fail_next` is answered first (e.g. -144).
Every accepted message is kept in `sent` (OA, with the uploaded image it refers to) or
`zns_sent` (ZNS).

`FakeZaloBot` serves the Bot host: `POST /bot{token}/getMe`, `/sendMessage`, `/sendPhoto`.
A wrong token is HTTP 401, an unknown chat HTTP 400 "chat not found". `sendPhoto` fetches the
photo's URL itself, as Zalo's servers do, and refuses (400) a URL that cannot be fetched or
does not hold an image; accepted messages are kept in `sent`, photos with the fetched bytes.
"""

from __future__ import annotations

import itertools
import re
import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

MAX_IMAGE = 1024 * 1024
#: Largest photo the fake bot fetches.
MAX_PHOTO = 10 * 1024 * 1024
MAX_TRACKING_ID = 48
MAX_BOT_TEXT = 2000
_ZNS_PHONE = re.compile(r"^84[1-9]\d{8}$")
#: Leading bytes of the image formats the fake bot accepts.
_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")


@dataclass
class FakeZalo:
    """State of the fake: the app, valid tokens, users and what was sent."""

    app_id: str = "1234567890"
    secret_key: str = "bi-mat"
    refresh_tokens: set[str] = field(default_factory=lambda: {"rt-0"})
    access_tokens: set[str] = field(default_factory=lambda: {"at-0"})
    #: user id -> days since the user last wrote to the OA (None: not a follower)
    users: dict[str, int | None] = field(default_factory=dict)
    uploads: dict[str, bytes] = field(default_factory=dict)
    sent: list[dict[str, Any]] = field(default_factory=list)
    refreshes: int = 0
    rate_limit_next: int = 0
    #: ZNS template id -> the parameter names it needs
    templates: dict[str, set[str]] = field(default_factory=dict)
    #: ZNS messages left today; -115 at 0
    zns_quota: int = 500
    zns_daily_quota: int = 500
    #: the error a ZNS call with a bad access token gets (-216; -124 in ZNS's own table)
    zns_token_error: int = -216
    #: error codes the next ZNS calls get, in order (after the token check)
    zns_fail_next: list[int] = field(default_factory=list)
    zns_sent: list[dict[str, Any]] = field(default_factory=list)
    _counter: Any = field(default_factory=lambda: itertools.count(1))

    def token_state(self) -> dict[str, Any]:
        """The valid tokens and the next number to hand out (to survive a restart)."""
        n = next(self._counter)
        self._counter = itertools.count(n)
        return {
            "refresh_tokens": sorted(self.refresh_tokens),
            "access_tokens": sorted(self.access_tokens),
            "next": n,
        }

    def restore_token_state(self, state: dict[str, Any]) -> None:
        """Take back what `token_state` returned."""
        self.refresh_tokens = set(state["refresh_tokens"])
        self.access_tokens = set(state["access_tokens"])
        self._counter = itertools.count(int(state["next"]))

    def expire_access_tokens(self) -> None:
        """Every access token handed out so far stops working (-216)."""
        self.access_tokens.clear()

    def app(self) -> web.Application:
        """The aiohttp application serving both hosts' routes."""
        app = web.Application()
        app.router.add_post("/v4/oa/access_token", self._token)
        app.router.add_post("/v3.0/oa/message/cs", self._message)
        app.router.add_post("/v2.0/oa/upload/image", self._upload)
        app.router.add_post("/message/template", self._template)
        return app

    async def _token(self, request: web.Request) -> web.Response:
        form = await request.post()
        if (
            request.headers.get("secret_key") != self.secret_key
            or form.get("app_id") != self.app_id
        ):
            return web.json_response(
                {
                    "error": -14002,
                    "error_name": "Invalid app",
                    "error_reason": "app_id or secret_key",
                }
            )
        token = str(form.get("refresh_token", ""))
        if form.get("grant_type") != "refresh_token" or token not in self.refresh_tokens:
            return web.json_response(
                {
                    "error": -14014,
                    "error_name": "Invalid refresh token",
                    "error_reason": "used or expired",
                }
            )
        n = next(self._counter)
        self.refresh_tokens.discard(token)  # single use
        self.refresh_tokens.add(f"rt-{n}")
        self.access_tokens.add(f"at-{n}")
        self.refreshes += 1
        return web.json_response(
            {"access_token": f"at-{n}", "refresh_token": f"rt-{n}", "expires_in": "90000"}
        )

    def _auth_error(self, request: web.Request) -> web.Response | None:
        if request.headers.get("access_token") not in self.access_tokens:
            return web.json_response({"error": -216, "message": "Access token is invalid"})
        if self.rate_limit_next:
            self.rate_limit_next -= 1
            return web.json_response({"error": -32, "message": "Your OA reached limit call api"})
        return None

    async def _upload(self, request: web.Request) -> web.Response:
        if (refused := self._auth_error(request)) is not None:
            return refused
        form = await request.post()
        upload = form.get("file")
        data = upload.file.read() if isinstance(upload, web.FileField) else b""
        if not data or len(data) > MAX_IMAGE:
            return web.json_response({"error": -201, "message": "file is invalid!"})
        attachment = f"att-{next(self._counter)}"
        self.uploads[attachment] = data
        return web.json_response(
            {"data": {"attachment_id": attachment}, "error": 0, "message": "Success"}
        )

    async def _message(self, request: web.Request) -> web.Response:
        if (refused := self._auth_error(request)) is not None:
            return refused
        body = await request.json()
        user = str(body.get("recipient", {}).get("user_id", ""))
        if user not in self.users or self.users[user] is None:
            return web.json_response({"error": -213, "message": "User has not followed OA"})
        if (self.users[user] or 0) > 7:
            return web.json_response(
                {"error": -230, "message": "User has not interacted with the OA in the past 7 days"}
            )
        message = body.get("message", {})
        elements = message.get("attachment", {}).get("payload", {}).get("elements", [])
        image = self.uploads.get(elements[0].get("attachment_id")) if elements else None
        self.sent.append({"user_id": user, "text": message.get("text"), "image": image})
        message_id = f"msg-{next(self._counter)}"
        quota = {"quota_type": "reply", "remain": 7, "total": 8}
        return web.json_response(
            {
                "data": {"message_id": message_id, "user_id": user, "quota": quota},
                "error": 0,
                "message": "Success",
            }
        )

    async def _template(self, request: web.Request) -> web.Response:
        if request.headers.get("access_token") not in self.access_tokens:
            return _zns_error(self.zns_token_error, "Access token is invalid")
        if self.rate_limit_next:
            self.rate_limit_next -= 1
            return _zns_error(-32, "Your OA reached limit call api")
        if self.zns_fail_next:
            return _zns_error(self.zns_fail_next.pop(0), "Armed error")
        try:
            body = await request.json()
        except ValueError:
            return _zns_error(-100, "Unknown error: body is not JSON")
        if not isinstance(body, dict):
            return _zns_error(-100, "Unknown error: body is not an object")
        phone = body.get("phone")
        if not isinstance(phone, str) or not _ZNS_PHONE.match(phone):
            return _zns_error(-108, "Phone number is invalid")
        template_id = body.get("template_id")
        if not isinstance(template_id, str) or template_id not in self.templates:
            return _zns_error(-109, "Template id is invalid")
        data = body.get("template_data")
        if not isinstance(data, dict) or not data:
            return _zns_error(-111, "Template data is empty")
        missing = sorted(self.templates[template_id] - data.keys())
        if missing:
            return _zns_error(-1122, f"Missing parameter: {', '.join(missing)}")
        tracking_id = body.get("tracking_id", "")
        if not isinstance(tracking_id, str) or len(tracking_id) > MAX_TRACKING_ID:
            return _zns_error(-1121, "tracking_id is too long")
        if self.zns_quota <= 0:
            return _zns_error(-115, "Out of quota")
        self.zns_quota -= 1
        self.zns_sent.append(
            {
                "phone": phone,
                "template_id": template_id,
                "template_data": data,
                "tracking_id": tracking_id,
            }
        )
        return web.json_response(
            {
                "data": {
                    "msg_id": f"zns-{next(self._counter)}",
                    "sent_time": str(int(time.time() * 1000)),
                    "quota": {
                        "dailyQuota": str(self.zns_daily_quota),
                        "remainingQuota": str(self.zns_quota),
                    },
                },
                "error": 0,
                "message": "Success",
            }
        )


def _zns_error(error: int, message: str) -> web.Response:
    """A refused ZNS call: HTTP 200 with a non-zero `error`."""
    return web.json_response({"error": error, "message": message})


@dataclass
class FakeZaloBot:
    """State of the fake Bot host: the bot's token, the chats it knows and what was sent."""

    token: str = "1234567890:bot-bi-mat"
    #: chat ids the bot can post to (users who wrote to it, groups it is in)
    chats: set[str] = field(default_factory=set)
    account_name: str = "ubnd_quephong_bot"
    sent: list[dict[str, Any]] = field(default_factory=list)
    rate_limit_next: int = 0
    _counter: Any = field(default_factory=lambda: itertools.count(1))

    def app(self) -> web.Application:
        """The aiohttp application serving the Bot API."""
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        return app

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _bot_error(401, "Unauthorized", status=401)
        method = request.match_info["method"]
        if method == "getMe":
            return _bot_ok(
                {
                    "id": self.token.split(":", 1)[0],
                    "account_name": self.account_name,
                    "account_type": "BASIC",
                    "can_join_groups": False,
                }
            )
        if method not in ("sendMessage", "sendPhoto"):
            return _bot_error(404, "Not Found", status=404)
        try:
            body = await request.json()
        except ValueError:
            return _bot_error(400, "Bad Request: body is not JSON")
        if not isinstance(body, dict):
            return _bot_error(400, "Bad Request: body is not an object")
        if self.rate_limit_next:
            self.rate_limit_next -= 1
            return _bot_error(429, "Too Many Requests", status=429)
        chat_id = str(body.get("chat_id", ""))
        if chat_id not in self.chats:
            return _bot_error(400, "Bad Request: chat not found")
        if method == "sendMessage":
            text = body.get("text")
            if not isinstance(text, str) or not text or len(text) > MAX_BOT_TEXT:
                return _bot_error(400, "Bad Request: text must be 1 to 2000 characters")
            self.sent.append({"chat_id": chat_id, "text": text})
        else:
            caption = body.get("caption")
            if caption is not None and (not isinstance(caption, str) or len(caption) > 2000):
                return _bot_error(400, "Bad Request: caption must be at most 2000 characters")
            url = body.get("photo")
            if not isinstance(url, str) or not url.startswith(("http://", "https://")):
                return _bot_error(400, "Bad Request: photo must be an http(s) URL")
            photo, problem = await _fetch_image(url)
            if photo is None:
                return _bot_error(400, f"Bad Request: cannot get the photo: {problem}")
            self.sent.append(
                {"chat_id": chat_id, "photo_url": url, "photo": photo, "caption": caption}
            )
        return _bot_ok(
            {
                "message_id": f"bot-msg-{next(self._counter)}",
                "date": int(time.time() * 1000),
            }
        )


async def _fetch_image(url: str) -> tuple[bytes | None, str]:
    """Fetch a photo as Zalo does: the bytes, or None and why not."""
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session,
            session.get(url) as resp,
        ):
            if resp.status != 200:
                return None, f"HTTP {resp.status}"
            data = b""
            async for chunk in resp.content.iter_chunked(64 * 1024):
                data += chunk
                if len(data) > MAX_PHOTO:
                    return None, "too large"
    except (aiohttp.ClientError, TimeoutError, ValueError) as err:
        return None, str(err) or type(err).__name__
    if not data.startswith(_IMAGE_MAGIC):
        return None, "not an image"
    return data, ""


def _bot_ok(result: dict[str, Any]) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _bot_error(code: int, description: str, *, status: int = 400) -> web.Response:
    return web.json_response(
        {"ok": False, "error_code": code, "description": description}, status=status
    )
