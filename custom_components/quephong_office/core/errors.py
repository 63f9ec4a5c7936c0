"""The one kind of error the core raises for bad input: a translation key and its form field."""

from __future__ import annotations


class CodedError(ValueError):
    """Bad input; `code` is the translation key of the message, `field` the form field."""

    def __init__(self, code: str, field_name: str = "") -> None:
        """Keep the error code and the field (or item) it is about."""
        super().__init__(f"{code}: {field_name}" if field_name else code)
        self.code = code
        self.field = field_name
