"""Folding Vietnamese text for matching, and ASCII slugs for MQTT topics."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")


def _strip_marks(text: str) -> str:
    """Text without diacritics; đ and Đ (which have no decomposition) become d and D."""
    text = text.replace("đ", "d").replace("Đ", "D")
    plain = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in plain if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Lower-case words without diacritics or punctuation: "Họp TRỰC-TUYẾN!" -> "hop truc tuyen"."""
    return " ".join(_NON_WORD.sub(" ", _strip_marks(text).lower()).split())


def slug(text: str) -> str:
    """An ASCII slug for a topic level: "Xã Châu Kim" -> "xa_chau_kim"; "" when nothing is left."""
    return fold(text).replace(" ", "_")
