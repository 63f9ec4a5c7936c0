"""Zalo Bot Platform client: a bot posting text and photos (by URL) to its chats.

The Bot API has Telegram's shape: `POST {base}/bot{token}/{method}` with a JSON body, answered
`{"ok": true, "result": ...}` or `{"ok": false, "error_code": N, "description": "..."}`,
sometimes with an HTTP 4xx status. Zalo's servers fetch a photo's URL themselves before they
answer, so the URL must be absolute and reachable from the internet. Failures are the same
`ZaloError` as the OA client's; `permanent=True` means: retrying this chat will not help.
"""

from __future__ import annotations

from typing import Any

import aiohttp
from yarl import URL

from .zalo import ZaloError

BOT_BASE = "https://bot-api.zaloplatforms.com"
#: Zalo's limit for a message's text and a photo's caption.
MAX_TEXT = 2000
#: Descriptions of a 400 answer that mean the chat cannot be reached.
_UNREACHABLE = ("chat not found", "user not found", "blocked")
#: Descriptions that mean the token is wrong.
_BAD_TOKEN = ("unauthorized", "invalid token", "token invalid")


class ZaloBotClient:
    """One bot, identified by its token (`numeric id:secret`)."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        token: str,
        base: str = BOT_BASE,
        timeout: float = 15.0,
    ) -> None:
        """Calls go to `{base}/bot{token}/{method}`."""
        self._session = session
        self._token = token
        self._base = base.rstrip("/")
        self._timeout = aiohttp.ClientTimeout(total=timeout)

    def _redact(self, text: str) -> str:
        """Text without the token (it is part of every URL)."""
        return text.replace(self._token, "***") if self._token else text

    async def _call(self, method: str, payload: dict[str, Any] | None = None) -> Any:
        """Call a Bot API method; return its `result` or raise `ZaloError`."""
        try:
            async with self._session.post(
                f"{self._base}/bot{self._token}/{method}",
                json=payload or {},
                timeout=self._timeout,
            ) as resp:
                status = resp.status
                try:
                    body = await resp.json(content_type=None)
                except ValueError:
                    body = None
        except (aiohttp.ClientError, TimeoutError) as err:
            raise ZaloError("cannot_connect", self._redact(str(err))) from err
        if isinstance(body, dict) and body.get("ok") is True and status < 400:
            return body.get("result")
        if isinstance(body, dict):
            error = body.get("error_code")
            code = error if isinstance(error, int) else status
            description = str(body.get("description") or "")
        else:
            code, description = status, ""
        raise _error(code, status, self._redact(description))

    async def get_me(self) -> dict[str, Any]:
        """The bot's own account (id, account_name, ...): a test of the token."""
        result = await self._call("getMe")
        if not isinstance(result, dict):
            raise ZaloError("zalo_error", f"getMe: {str(result)[:200]}")
        return result

    async def send_message(self, chat_id: str, text: str) -> str:
        """Post a text (cut to 2,000 characters) to a chat; return the message id."""
        result = await self._call("sendMessage", {"chat_id": chat_id, "text": text[:MAX_TEXT]})
        return _message_id(result)

    async def send_photo(self, chat_id: str, photo_url: str, caption: str = "") -> str:
        """Post a photo Zalo fetches from `photo_url` (absolute http(s)); return the message id.

        The caption is cut to 2,000 characters. A relative or non-http URL is a `ValueError`,
        raised before any call.
        """
        url = URL(photo_url.strip())
        if not url.absolute or url.scheme not in ("http", "https") or not url.host:
            raise ValueError(f"photo URL must be an absolute http(s) URL: {photo_url!r}")
        payload: dict[str, Any] = {"chat_id": chat_id, "photo": str(url)}
        if caption:
            payload["caption"] = caption[:MAX_TEXT]
        return _message_id(await self._call("sendPhoto", payload))


def _error(code: int, status: int, description: str) -> ZaloError:
    """The error for a refused call: Zalo's `error_code` (or the HTTP status) and text."""
    lowered = description.lower()
    detail = f"{code}: {description}" if description else str(code)
    if code == 401 or status == 401 or any(word in lowered for word in _BAD_TOKEN):
        return ZaloError("invalid_token", detail, permanent=True)
    if code == 403 or status == 403:
        return ZaloError("chat_unreachable", detail, permanent=True)
    if (code == 400 or status == 400) and any(word in lowered for word in _UNREACHABLE):
        return ZaloError("chat_unreachable", detail, permanent=True)
    if code == 429 or status == 429:
        return ZaloError("rate_limited", detail)
    return ZaloError("zalo_error", detail)


def _message_id(result: Any) -> str:
    """The `message_id` of a sent message's `result`."""
    if isinstance(result, dict) and result.get("message_id") is not None:
        return str(result["message_id"])
    raise ZaloError("zalo_error", f"no message id: {str(result)[:200]}")
