"""Evidence of violations: a captioned JPEG and a JSON record per violation.

Kept in a folder of the office's own (never one Home Assistant serves to every user). Every
view and export is written to an access log. A retention period (days) purges old evidence,
except evidence attached to an export that is still open (a disciplinary case in progress).
An export is a zip with the records, the images and a SHA-256 manifest of every file.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import secrets
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

from PIL import Image, ImageDraw, ImageFont

from .errors import CodedError

#: A Zalo OA image must stay under 1 MB; evidence images are kept under this size.
MAX_IMAGE_BYTES = 1_000_000
#: Evidence images are at most this wide.
MAX_WIDTH = 1280
#: The font shipped with the integration (DejaVu Sans Bold covers Vietnamese diacritics).
FONT = Path(__file__).resolve().parent.parent / "fonts" / "DejaVuSans-Bold.ttf"

#: Caption names of the rules (evidence is a Vietnamese administrative record).
RULE_LABELS = {
    "late_arrival": "Đi muộn",
    "early_departure": "Về sớm",
    "absence": "Vắng không lý do",
    "unattended_desk": "Quầy không có người trực",
    "gathering": "Tụ tập trong giờ làm việc",
    "intrusion": "Xâm nhập ngoài giờ",
}


class EvidenceError(CodedError):
    """Bad input to the evidence store (unknown evidence or export)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class EvidenceRecord:
    """What the evidence shows and where its image is."""

    id: str
    violation_id: str
    type: str
    office: str
    at: str  # ISO 8601, when the picture was taken
    subject: str  # the staff member, desk or zone
    camera: str | None
    caption: list[str]
    image: str  # path relative to the store's root
    sha256: str
    size: int

    def to_dict(self) -> dict[str, Any]:
        """Stored form."""
        return asdict(self)


def caption_lines(
    *, rule: str, office: str, at: datetime, subject: str, camera: str | None
) -> list[str]:
    """The caption burned into the image, in Vietnamese."""
    when = at.strftime("%H:%M:%S ngày %d/%m/%Y")
    lines = [f"{RULE_LABELS.get(rule, rule)} – {subject}", f"{office} – {when}"]
    lines.append(f"Camera: {camera}" if camera else "Không có ảnh camera")
    return lines


def render_evidence(image: bytes | None, lines: Sequence[str], font: Path = FONT) -> bytes:
    """The picture (or a plain card without one) with the caption on a band at the bottom.

    Scaled to MAX_WIDTH and compressed under MAX_IMAGE_BYTES.
    """
    if image is not None:
        picture = Image.open(io.BytesIO(image)).convert("RGB")
        if picture.width > MAX_WIDTH:
            height = round(picture.height * MAX_WIDTH / picture.width)
            picture = picture.resize((MAX_WIDTH, height), Image.Resampling.LANCZOS)
    else:
        picture = Image.new("RGB", (960, 540), (40, 44, 52))
    size = max(14, picture.width // 45)
    typeface = ImageFont.truetype(str(font), size)
    pad = size // 2
    band = (size + pad) * len(lines) + pad
    overlay = Image.new("RGBA", picture.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    draw.rectangle((0, picture.height - band, picture.width, picture.height), fill=(0, 0, 0, 170))
    y = picture.height - band + pad
    for line in lines:
        draw.text((pad, y), line, font=typeface, fill=(255, 255, 255, 255))
        y += size + pad
    captioned = Image.alpha_composite(picture.convert("RGBA"), overlay).convert("RGB")
    for quality in (85, 75, 65, 50, 35):
        out = io.BytesIO()
        captioned.save(out, "JPEG", quality=quality, optimize=True)
        if out.tell() <= MAX_IMAGE_BYTES:
            break
    return out.getvalue()


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


@dataclass(slots=True)
class EvidenceStore:
    """Evidence of one office under `root` (blocking file I/O: call from a worker thread)."""

    root: Path
    _exports: dict[str, dict[str, Any]] = field(default_factory=dict)
    _secret: bytes = b""

    def __post_init__(self) -> None:
        """Read the list of exports and the key that signs shared links (made once)."""
        path = self.root / "exports.json"
        if path.exists():
            self._exports = json.loads(path.read_text(encoding="utf-8"))
        key = self.root / "share.key"
        if not key.exists():
            self.root.mkdir(parents=True, exist_ok=True)
            _write_atomic(key, secrets.token_bytes(32))
            key.chmod(0o600)
        self._secret = key.read_bytes()

    def share_token(self, evidence_id: str, expires: int) -> str:
        """A signature admitting anyone with the link to one image until `expires` (epoch s).

        Used only for the Zalo Bot, whose servers fetch a photo by URL.
        """
        message = f"{evidence_id}:{expires}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()[:32]

    def check_share(self, evidence_id: str, expires: int, token: str, now: datetime) -> bool:
        """True when the link is signed by this store and has not expired."""
        return now.timestamp() <= expires and hmac.compare_digest(
            self.share_token(evidence_id, expires), token
        )

    def add(
        self,
        *,
        violation_id: str,
        rule: str,
        office: str,
        at: datetime,
        subject: str,
        camera: str | None,
        image: bytes | None,
    ) -> EvidenceRecord:
        """Caption the image, store it with its record, and return the record."""
        lines = caption_lines(rule=rule, office=office, at=at, subject=subject, camera=camera)
        jpeg = render_evidence(image, lines)
        evidence_id = uuid4().hex[:16]
        relative = f"{at:%Y-%m}/{evidence_id}.jpg"
        record = EvidenceRecord(
            id=evidence_id,
            violation_id=violation_id,
            type=rule,
            office=office,
            at=at.isoformat(),
            subject=subject,
            camera=camera,
            caption=lines,
            image=relative,
            sha256=hashlib.sha256(jpeg).hexdigest(),
            size=len(jpeg),
        )
        _write_atomic(self.root / relative, jpeg)
        _write_atomic(
            (self.root / relative).with_suffix(".json"),
            json.dumps(record.to_dict(), ensure_ascii=False, indent=1).encode("utf-8"),
        )
        return record

    def records(self) -> list[EvidenceRecord]:
        """Every record, oldest first."""
        found = []
        for path in self.root.glob("*/*.json"):
            if path.parent.name == "exports":
                continue
            try:  # a purge running at the same time may have removed it
                found.append(EvidenceRecord(**json.loads(path.read_text(encoding="utf-8"))))
            except FileNotFoundError:
                continue
        return sorted(found, key=lambda r: r.at)

    def get(self, evidence_id: str) -> EvidenceRecord:
        """A record by id; EvidenceError("unknown_evidence") when there is none."""
        if evidence_id.isalnum():
            for path in self.root.glob(f"*/{evidence_id}.json"):
                return EvidenceRecord(**json.loads(path.read_text(encoding="utf-8")))
        raise EvidenceError("unknown_evidence", "evidence_id")

    def image(self, evidence_id: str) -> bytes:
        """The captioned JPEG of a record."""
        return (self.root / self.get(evidence_id).image).read_bytes()

    def log_access(self, at: datetime, who: str, action: str, what: str) -> None:
        """Append who did what with which evidence (view, export, purge) to the access log."""
        line = json.dumps({"at": at.isoformat(), "who": who, "action": action, "what": what})
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / "access.log").open("a", encoding="utf-8") as log:
            log.write(line + "\n")

    def access_log(self) -> list[dict[str, str]]:
        """Every logged access, oldest first."""
        path = self.root / "access.log"
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]

    def protected(self) -> set[str]:
        """Evidence ids attached to exports that are still open."""
        return {
            evidence_id
            for export in self._exports.values()
            if export["open"]
            for evidence_id in export["evidence"]
        }

    def purge(self, now: datetime, retention_days: int) -> list[str]:
        """Delete evidence older than the retention period, except what open exports hold."""
        cutoff = now - timedelta(days=retention_days)
        keep = self.protected()
        removed = []
        for record in self.records():
            if datetime.fromisoformat(record.at) < cutoff and record.id not in keep:
                image = self.root / record.image
                image.unlink(missing_ok=True)
                image.with_suffix(".json").unlink(missing_ok=True)
                removed.append(record.id)
        if removed:
            self.log_access(now, "retention", "purge", ",".join(removed))
        return removed

    def export(self, evidence_ids: Iterable[str], now: datetime, who: str, case: str) -> Path:
        """A zip for a disciplinary case: records.json, the images and MANIFEST.sha256."""
        records = [self.get(i) for i in dict.fromkeys(evidence_ids)]
        if not records:
            raise EvidenceError("nothing_to_export", "evidence_ids")
        export_id = uuid4().hex[:12]
        files: dict[str, bytes] = {
            "records.json": json.dumps(
                {
                    "case": case,
                    "created": now.isoformat(),
                    "by": who,
                    "records": [r.to_dict() for r in records],
                },
                ensure_ascii=False,
                indent=1,
            ).encode("utf-8")
        }
        for record in records:
            files[f"images/{record.id}.jpg"] = (self.root / record.image).read_bytes()
        manifest = "".join(
            f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(files.items())
        )
        path = self.root / "exports" / f"{export_id}.zip"
        path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in files.items():
                archive.writestr(name, data)
            archive.writestr("MANIFEST.sha256", manifest)
        self._exports[export_id] = {
            "case": case,
            "created": now.isoformat(),
            "by": who,
            "evidence": [r.id for r in records],
            "open": True,
        }
        self._save_exports()
        self.log_access(now, who, "export", f"{export_id}:{','.join(r.id for r in records)}")
        return path

    def close_export(self, export_id: str, now: datetime, who: str) -> None:
        """The case is closed: its evidence may be purged again when it is old enough."""
        if export_id not in self._exports:
            raise EvidenceError("unknown_export", "export_id")
        self._exports[export_id]["open"] = False
        self._save_exports()
        self.log_access(now, who, "close_export", export_id)

    def exports(self) -> dict[str, dict[str, Any]]:
        """Exports by id."""
        return {k: dict(v) for k, v in self._exports.items()}

    def _save_exports(self) -> None:
        _write_atomic(
            self.root / "exports.json",
            json.dumps(self._exports, ensure_ascii=False, indent=1).encode("utf-8"),
        )
