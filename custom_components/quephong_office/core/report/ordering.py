"""Vietnamese alphabetical order for names and departments.

Letters are compared first without diacritics, then with the letter marks in the Vietnamese
alphabet's order (a < ă < â, d < đ, e < ê, o < ô < ơ, u < ư), then the tones (none, huyền,
hỏi, ngã, sắc, nặng). People are listed by given name (the last word), as Vietnamese staff
lists are, then by full name.
"""

from __future__ import annotations

import unicodedata

from custom_components.quephong_office.core.meeting.text import fold

#: Combining marks that make a letter of its own: ă (breve), â ê ô (circumflex), ơ ư (horn).
_LETTER_MARKS = {"\u0306": 1, "\u0302": 2, "\u031b": 3}
#: Combining tone marks in their dictionary order.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

type SortKey = tuple[str, tuple[tuple[str, int], ...], tuple[int, ...], str]


def vietnamese_key(text: str) -> SortKey:
    """A sort key that puts Vietnamese words in dictionary order."""
    letters: list[tuple[str, int]] = []
    tones: list[int] = []
    for char in unicodedata.normalize("NFD", text.casefold()):
        if char in _LETTER_MARKS and letters:
            letters[-1] = (letters[-1][0], _LETTER_MARKS[char])
        elif char in _TONES and tones:
            tones[-1] = _TONES[char]
        elif char.isalnum():
            letters.append(("d", 4) if char == "đ" else (char, 0))
            tones.append(0)
    return fold(text), tuple(letters), tuple(tones), text


def name_key(name: str) -> tuple[SortKey, SortKey]:
    """A person's sort key: given name first, then the full name."""
    words = name.split()
    return vietnamese_key(words[-1] if words else ""), vietnamese_key(name)
