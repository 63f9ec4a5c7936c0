"""A local fake of Zalo's OA and OAuth APIs, following the documented contract (tests only).

- `POST /v4/oa/access_token`: form `app_id`, `grant_type=refresh_token`, `refresh_token`,
  header `secret_key`; answers a new pair and **rotates**: the old refresh token is refused.
- `POST /v3.0/oa/message/cs`: header `access_token`; HTTP 200 with `error` 0 or -216
  (invalid token), -220 (expired), -230 (no interaction in 7 days), -213 (not a follower),
  -32 (rate limit, when armed).
- `POST /v2.0/oa/upload/image`: multipart field `file`, refused over 1 MB.
Every accepted message is kept in `sent` with the uploaded image it refers to.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

MAX_IMAGE = 1024 * 1024


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
    _counter: Any = field(default_factory=lambda: itertools.count(1))

    def expire_access_tokens(self) -> None:
        """Every access token handed out so far stops working (-216)."""
        self.access_tokens.clear()

    def app(self) -> web.Application:
        """The aiohttp application serving both hosts' routes."""
        app = web.Application()
        app.router.add_post("/v4/oa/access_token", self._token)
        app.router.add_post("/v3.0/oa/message/cs", self._message)
        app.router.add_post("/v2.0/oa/upload/image", self._upload)
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
        data = upload.file.read() if hasattr(upload, "file") else b""
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
