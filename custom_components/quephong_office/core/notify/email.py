"""Email through the office's own SMTP server, with the evidence snapshot attached.

Blocking (smtplib): call from a worker thread. TLS modes: "starttls" (port 587), "ssl"
(port 465) or "none" (a relay on the office network).
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from custom_components.quephong_office.core.errors import CodedError

TLS_MODES = ("starttls", "ssl", "none")


class ChannelError(CodedError):
    """A send or a connection test failed; `code` says why (translation key)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SmtpSettings:
    """How to reach the office's mail server."""

    host: str
    port: int
    tls: str = "starttls"
    username: str | None = None
    password: str | None = None
    sender: str
    sender_name: str = ""
    timeout: float = 15.0
    local_hostname: str | None = None  # the EHLO name (default: this machine's host name)


def build_message(
    settings: SmtpSettings,
    to: list[str],
    subject: str,
    body: str,
    image: bytes | None = None,
    image_name: str = "bang-chung.jpg",
) -> EmailMessage:
    """A UTF-8 message (Vietnamese subject and body), with the JPEG attached when given."""
    message = EmailMessage()
    message["From"] = formataddr((settings.sender_name, settings.sender))
    message["To"] = ", ".join(to)
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain=settings.sender.partition("@")[2] or None)
    message.set_content(body)
    if image is not None:
        message.add_attachment(image, maintype="image", subtype="jpeg", filename=image_name)
    return message


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    context = ssl.create_default_context()
    # smtplib would look up this machine's fully qualified name in DNS for EHLO, which can
    # hang on an office network without local DNS: the plain host name is enough.
    ehlo_name = settings.local_hostname or socket.gethostname()
    try:
        if settings.tls == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host,
                settings.port,
                local_hostname=ehlo_name,
                timeout=settings.timeout,
                context=context,
            )
        else:
            client = smtplib.SMTP(
                settings.host,
                settings.port,
                local_hostname=ehlo_name,
                timeout=settings.timeout,
            )
            if settings.tls == "starttls":
                client.starttls(context=context)
    except (OSError, smtplib.SMTPException, ssl.SSLError) as err:
        raise ChannelError("cannot_connect", "host") from err
    if settings.username:
        try:
            client.login(settings.username, settings.password or "")
        except smtplib.SMTPAuthenticationError as err:
            client.close()
            raise ChannelError("invalid_auth", "password") from err
        except smtplib.SMTPException as err:
            client.close()
            raise ChannelError("cannot_connect", "host") from err
    return client


def check(settings: SmtpSettings) -> None:
    """Connect, authenticate and say goodbye; raise ChannelError on failure."""
    client = _connect(settings)
    try:
        client.noop()
    finally:
        _quit(client)


def send(settings: SmtpSettings, message: EmailMessage) -> None:
    """Send one message; raise ChannelError("rejected") when the server refuses it."""
    client = _connect(settings)
    try:
        client.send_message(message)
    except smtplib.SMTPRecipientsRefused as err:
        raise ChannelError("rejected", "to") from err
    except (smtplib.SMTPException, OSError) as err:
        raise ChannelError("send_failed", "host") from err
    finally:
        _quit(client)


def _quit(client: smtplib.SMTP) -> None:
    try:
        client.quit()
    except (TimeoutError, smtplib.SMTPException, OSError):
        client.close()
