"""The list of participating communes typed by the IT officer."""

from __future__ import annotations

import pytest

from custom_components.quephong_office.core.meeting.communes import (
    Commune,
    format_communes,
    parse_communes,
)
from custom_components.quephong_office.core.meeting.errors import MeetingError


def test_names_endpoints_and_unit_codes() -> None:
    text = (
        "Xã Châu Kim; https://chaukim.nghean.gov.vn; 17011\n\n"
        "  Phường   Thái Hoà ; 10.20.1.5:443\n"
        "Xã Tiền Phong; ; 17008\n"
        "Xã Hạnh Dịch\n"
    )
    communes = parse_communes(text)
    assert [(c.name, c.endpoint.text if c.endpoint else None, c.site) for c in communes] == [
        ("Xã Châu Kim", "https://chaukim.nghean.gov.vn", "17011"),
        ("Phường Thái Hoà", "10.20.1.5:443", None),
        ("Xã Tiền Phong", None, "17008"),
        ("Xã Hạnh Dịch", None, None),
    ]
    assert communes[1].endpoint is not None
    assert (communes[1].endpoint.kind, communes[1].endpoint.port) == ("tcp", 443)
    assert parse_communes(format_communes(communes)) == communes
    assert parse_communes("") == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("; https://a.vn", "invalid_commune"),
        ("Xã A; https://a.vn; 1; thừa", "invalid_commune"),
        ("Xã A\nxã a", "invalid_commune"),
        ("Xã A; ; 17/011", "invalid_unit_code"),
        ("Xã A; ftp://a.vn", "unsupported_scheme"),
        ("Xã A; a.vn:99999", "invalid_port"),
    ],
)
def test_a_bad_line_is_refused_on_the_field(text: str, code: str) -> None:
    with pytest.raises(MeetingError) as err:
        parse_communes(text)
    assert (err.value.code, err.value.field) == (code, "communes")


def test_a_commune_without_anything_but_its_name() -> None:
    assert parse_communes("Xã Quang Phong") == [Commune(name="Xã Quang Phong")]
