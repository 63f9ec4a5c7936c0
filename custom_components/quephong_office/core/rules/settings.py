"""The rules' settings (graces, thresholds), their defaults and their stored form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from .violations import RuleError


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleSettings:
    """Graces in minutes, as the office sets them in the options."""

    desk_grace: int = 10  # a desk empty this long in a session is unattended
    late_grace: int = 5  # an arrival after session start + this is late
    early_grace: int = 5  # a departure before session end − this is early
    absence_cutoff: int = 60  # no arrival by session start + this is an absence
    gathering_people: int = 3  # at least this many people in a zone …
    gathering_minutes: int = 5  # … for this long is a gathering

    def validate(self) -> None:
        """Raise RuleError naming the first setting out of range."""
        limits = {
            "desk_grace": (1, 240),
            "late_grace": (0, 120),
            "early_grace": (0, 120),
            "absence_cutoff": (5, 300),
            "gathering_people": (2, 50),
            "gathering_minutes": (1, 240),
        }
        for name, (low, high) in limits.items():
            if not low <= getattr(self, name) <= high:
                raise RuleError("out_of_range", name)
        if self.absence_cutoff <= self.late_grace:
            raise RuleError("cutoff_before_late", "absence_cutoff")

    def to_dict(self) -> dict[str, int]:
        """Stored form."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RuleSettings:
        """Defaults for missing keys; raise RuleError on a value that is not a whole number."""
        values: dict[str, int] = {}
        for item in fields(cls):
            if item.name in data:
                try:
                    values[item.name] = int(data[item.name])
                except (TypeError, ValueError) as err:
                    raise RuleError("out_of_range", item.name) from err
        settings = cls(**values)
        settings.validate()
        return settings
