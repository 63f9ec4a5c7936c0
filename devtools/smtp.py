"""A real local SMTP server for tests (aiosmtpd), keeping what it receives. Never shipped."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from .broker import free_port


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"


class LocalSmtpServer:
    """`with LocalSmtpServer(user="ubnd", password="…") as smtp:` on a free loopback port."""

    host = "127.0.0.1"

    def __init__(
        self, user: str | None = None, password: str | None = None, port: int | None = None
    ) -> None:
        """Plain SMTP; AUTH LOGIN/PLAIN with the given account when one is given."""
        self.port = port or free_port()
        self.inbox = _Inbox()
        self._account = (user, password)
        kwargs: dict[str, Any] = {}
        if user is not None:
            kwargs = {
                "authenticator": self._authenticate,
                "auth_required": True,
                "auth_require_tls": False,
            }
        self._controller = Controller(self.inbox, hostname=self.host, port=self.port, **kwargs)

    def _authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        ok = (
            isinstance(data, LoginPassword)
            and (
                data.login.decode(),
                data.password.decode(),
            )
            == self._account
        )
        return AuthResult(success=ok, handled=False)

    @property
    def messages(self) -> list[EmailMessage]:
        """Messages received so far."""
        return self.inbox.messages

    def __enter__(self) -> LocalSmtpServer:
        """Start."""
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        """Stop."""
        self._controller.stop()
