"""Email through a real local SMTP server, and the Vietnamese reminder templates."""

from __future__ import annotations

import contextlib

import pytest

from custom_components.quephong_office.core.notify.email import (
    ChannelError,
    SmtpSettings,
    build_message,
    check,
    send,
)
from custom_components.quephong_office.core.notify.templates import render
from devtools.broker import free_port
from devtools.smtp import LocalSmtpServer

LATE = {
    "type": "late_arrival",
    "staff": "Nguyễn Văn An",
    "office": "UBND xã Quế Phong",
    "session": "morning",
    "start": "2026-06-04T07:00:00+07:00",
    "duration": 720,
    "escalation": 1,
}


@pytest.fixture(autouse=True)
def sockets(request: pytest.FixtureRequest) -> None:
    """The local SMTP server needs sockets (the HA test plugin blocks them by default)."""
    with contextlib.suppress(pytest.FixtureLookupError):
        request.getfixturevalue("socket_enabled")


def _settings(server: LocalSmtpServer, password: str = "matkhau-1") -> SmtpSettings:
    return SmtpSettings(
        host=server.host,
        port=server.port,
        tls="none",
        username="vanphong",
        password=password,
        sender="vanphong@quephong.gov.vn",
        sender_name="UBND xã Quế Phong",
        local_hostname="localhost",
    )


def test_templates_read_naturally_in_vietnamese() -> None:
    subject, body = render("late_arrival", LATE)
    assert subject == "Nhắc nhở: đi muộn 12 phút"
    assert body.startswith("Kính gửi đồng chí Nguyễn Văn An,")
    assert (
        "đến cơ quan lúc 07:12 ngày 04/06/2026, muộn 12 phút so với giờ làm việc buổi sáng" in body
    )
    assert body.endswith("UBND xã Quế Phong")
    assert render("late_arrival", LATE, "en")[0] == "Reminder: 12 min late"
    custom = {"late_arrival": ("{staff} muộn", "{staff} đến lúc {time} ({unknown})")}
    assert render("late_arrival", LATE, custom=custom) == (
        "Nguyễn Văn An muộn",
        "Nguyễn Văn An đến lúc 07:12 ({unknown})",
    )


def test_email_with_the_snapshot_arrives() -> None:
    image = b"\xff\xd8\xff\xe0" + b"jpeg" * 100
    with LocalSmtpServer(user="vanphong", password="matkhau-1") as server:
        settings = _settings(server)
        check(settings)
        subject, body = render("late_arrival", LATE)
        send(settings, build_message(settings, ["an@quephong.gov.vn"], subject, body, image))
        (message,) = server.messages
        assert message["Subject"] == "Nhắc nhở: đi muộn 12 phút"
        assert message["To"] == "an@quephong.gov.vn"
        assert "UBND xã Quế Phong" in str(message["From"])
        parts = list(message.iter_attachments())
        assert [p.get_content_type() for p in parts] == ["image/jpeg"]
        assert parts[0].get_content() == image
        assert "muộn 12 phút" in message.get_body(("plain",)).get_content()
        with pytest.raises(ChannelError) as err:
            check(_settings(server, password="sai"))
        assert err.value.code == "invalid_auth"
    with pytest.raises(ChannelError) as err:
        check(
            SmtpSettings(host="127.0.0.1", port=free_port(), tls="none", sender="a@b.vn", timeout=2)
        )
    assert err.value.code == "cannot_connect"
