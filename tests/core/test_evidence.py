"""The evidence store: captioned images, records, access log, retention, exports."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from PIL import Image

from custom_components.quephong_office.core.evidence import (
    FONT,
    MAX_IMAGE_BYTES,
    MAX_WIDTH,
    EvidenceError,
    EvidenceStore,
    caption_lines,
    render_evidence,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
AT = datetime(2026, 6, 4, 8, 10, 5, tzinfo=VN)


def _jpeg(width: int, height: int, noise: bool = False) -> bytes:
    rng = np.random.default_rng(1)
    pixels = (
        rng.integers(0, 255, (height, width, 3), dtype=np.uint8)
        if noise
        else np.full((height, width, 3), 120, np.uint8)
    )
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, "JPEG", quality=98)
    return out.getvalue()


def test_caption_in_vietnamese() -> None:
    assert caption_lines(
        rule="unattended_desk",
        office="UBND xã Quế Phong",
        at=AT,
        subject="Quầy 1",
        camera="Một cửa",
    ) == [
        "Quầy không có người trực – Quầy 1",
        "UBND xã Quế Phong – 08:10:05 ngày 04/06/2026",
        "Camera: Một cửa",
    ]


def test_render_scales_compresses_and_draws_the_caption() -> None:
    assert FONT.exists()
    big = _jpeg(3840, 2160, noise=True)
    assert len(big) > MAX_IMAGE_BYTES
    out = render_evidence(big, ["Đi muộn – Nguyễn Văn An", "UBND xã Quế Phong"])
    assert len(out) <= MAX_IMAGE_BYTES
    picture = Image.open(io.BytesIO(out))
    assert picture.size == (MAX_WIDTH, 720)
    band = np.asarray(picture.convert("L"))[-60:, :400]
    assert band.max() > 200  # white letters on the dark band
    assert band.min() < 80
    card = Image.open(io.BytesIO(render_evidence(None, ["Vắng không lý do – Trần Thị Bình"])))
    assert card.size == (960, 540)


def test_store_records_logs_purges_and_exports(tmp_path: Path) -> None:
    store = EvidenceStore(tmp_path)
    old = store.add(
        violation_id="v1",
        rule="late_arrival",
        office="UBND xã Quế Phong",
        at=AT - timedelta(days=400),
        subject="Nguyễn Văn An",
        camera="Một cửa",
        image=_jpeg(640, 360),
    )
    kept = store.add(
        violation_id="v2",
        rule="absence",
        office="UBND xã Quế Phong",
        at=AT - timedelta(days=380),
        subject="Trần Thị Bình",
        camera=None,
        image=None,
    )
    new = store.add(
        violation_id="v3",
        rule="intrusion",
        office="UBND xã Quế Phong",
        at=AT,
        subject="Cổng",
        camera="Cổng chính",
        image=_jpeg(640, 360),
    )
    assert [r.id for r in store.records()] == [old.id, kept.id, new.id]
    assert store.get(new.id) == new
    assert hashlib.sha256(store.image(new.id)).hexdigest() == new.sha256
    for bad in ("nope", "../x"):
        with pytest.raises(EvidenceError):
            store.get(bad)

    path = store.export([kept.id, kept.id], AT, "Chánh Văn phòng", "Hồ sơ 12/2026")
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        assert names == {"records.json", f"images/{kept.id}.jpg", "MANIFEST.sha256"}
        for line in archive.read("MANIFEST.sha256").decode().splitlines():
            digest, name = line.split("  ")
            assert hashlib.sha256(archive.read(name)).hexdigest() == digest
        records = json.loads(archive.read("records.json"))
        assert records["case"] == "Hồ sơ 12/2026"
        assert [r["id"] for r in records["records"]] == [kept.id]
    (export_id,) = store.exports()
    assert store.protected() == {kept.id}

    assert store.purge(AT, retention_days=365) == [old.id]  # the exported one stays
    store = EvidenceStore(tmp_path)  # exports survive a restart
    store.close_export(export_id, AT, "Chánh Văn phòng")
    assert store.purge(AT, retention_days=365) == [kept.id]
    assert [r.id for r in store.records()] == [new.id]
    actions = [(e["who"], e["action"]) for e in store.access_log()]
    assert actions == [
        ("Chánh Văn phòng", "export"),
        ("retention", "purge"),
        ("Chánh Văn phòng", "close_export"),
        ("retention", "purge"),
    ]
    with pytest.raises(EvidenceError) as err:
        store.close_export("nope", AT, "x")
    assert err.value.code == "unknown_export"
    with pytest.raises(EvidenceError) as err:
        store.export([], AT, "x", "y")
    assert err.value.code == "nothing_to_export"
