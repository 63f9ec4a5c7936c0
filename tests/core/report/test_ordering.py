"""Vietnamese alphabetical order: letters, then letter marks, then tones; given name first."""

from __future__ import annotations

from custom_components.quephong_office.core.report.ordering import name_key, vietnamese_key


def test_people_are_listed_by_given_name_then_full_name() -> None:
    names = ["Lê Văn Ánh", "Trần Ân", "Đặng Văn Anh", "Nguyễn Văn An", "Hoàng Thị Ân", "Bình"]
    assert sorted(names, key=name_key) == [
        "Nguyễn Văn An",
        "Hoàng Thị Ân",
        "Trần Ân",
        "Đặng Văn Anh",
        "Lê Văn Ánh",
        "Bình",
    ]


def test_letters_with_marks_follow_their_base_letter() -> None:
    words = ["Đa", "Da", "ơ", "ô", "o", "ư", "u", "â", "ă", "a", "ê", "e"]
    assert sorted(words, key=vietnamese_key) == [
        "a", "ă", "â", "Da", "Đa", "e", "ê", "o", "ô", "ơ", "u", "ư",
    ]  # fmt: skip


def test_tones_in_dictionary_order() -> None:
    words = ["mạ", "má", "mã", "mả", "mà", "ma"]
    assert sorted(words, key=vietnamese_key) == ["ma", "mà", "mả", "mã", "má", "mạ"]


def test_the_letter_decides_before_the_mark() -> None:
    """Accents are folded first: "Đội" sorts among the d's, before "Dũng" (o < u)."""
    assert sorted(["Dũng", "Đội", "Danh"], key=vietnamese_key) == ["Danh", "Đội", "Dũng"]


def test_an_empty_name_sorts_first() -> None:
    assert sorted(["An", ""], key=name_key) == ["", "An"]
