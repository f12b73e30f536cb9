"""Parsing rating values and rating filters."""

from __future__ import annotations

import pytest

from opentrakt.errors import Invalid
from opentrakt.ratings.models import (
    ALL_RATINGS,
    HATED,
    LOVED,
    RatingChange,
    RatingRange,
    parse_rating,
    parse_rating_filter,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("love", 10),
        ("LOVE ", 10),
        ("hate", 1),
        ("unrate", 0),
        (0, 0),
        ("0", 0),
        (1, 1),
        (10, 10),
        ("5", 5),
        (" 7 ", 7),
        (9.0, 9),
        ("9.0", 9),
    ],
)
def test_parse_rating_accepts_words_numbers_and_strings(value: object, expected: int) -> None:
    assert parse_rating(value) == expected


@pytest.mark.parametrize(
    "value",
    [11, -1, "11", "-1", 9.5, "9.5", "", "meh", True, False, [], {}, float("nan"), "inf", "1" * 400, 10**100],
)
def test_parse_rating_refuses_everything_else(value: object) -> None:
    with pytest.raises(Invalid):
        parse_rating(value)


def test_parse_rating_requires_a_value() -> None:
    with pytest.raises(Invalid, match="required"):
        parse_rating(None)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ALL_RATINGS),
        ("", ALL_RATINGS),
        ("all", ALL_RATINGS),
        ("love", LOVED),
        ("Hate", HATED),
        ("7", RatingRange(7, 7)),
        ("10", RatingRange(10, 10)),
    ],
)
def test_rating_filters(value: str | None, expected: RatingRange) -> None:
    assert parse_rating_filter(value) == expected


@pytest.mark.parametrize("value", ["0", "11", "loved", "-3", "1;drop table"])
def test_bad_rating_filters(value: str) -> None:
    with pytest.raises(Invalid):
        parse_rating_filter(value)


def test_love_and_hate_split_at_five_and_six() -> None:
    assert (LOVED.low, LOVED.high) == (6, 10)
    assert (HATED.low, HATED.high) == (1, 5)


def test_a_change_knows_whether_it_changed() -> None:
    assert RatingChange(1, 0, 7).changed
    assert not RatingChange(1, 7, 7).changed
