"""Rating values: the 10-point scale every rating is stored on, and its love/hate view.

Simple ratings map onto the 10-point scale as love = 10 and hate = 1; 10-point ratings read
back as love from 6 up and as hate up to 5.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from opentrakt.errors import Invalid

ItemKind = Literal["movie", "show", "episode"]
ITEM_KINDS: tuple[ItemKind, ...] = ("movie", "show", "episode")

LOVE = 10
HATE = 1
UNRATED = 0
LOWEST = 1
HIGHEST = 10
LOVED_FROM = 6  # 6-10 count as loved, 1-5 as hated

RATING_ERROR = "rating must be love, hate, unrate or a number from 1 to 10 (0 removes the rating)"

_WORDS = {"love": LOVE, "hate": HATE, "unrate": UNRATED}


def parse_rating(value: object) -> int:
    """A client's rating as a 10-point value, 0 meaning "remove the rating".

    Accepts ``love``, ``hate``, ``unrate`` and whole numbers 0-10, as JSON numbers or strings
    (``9``, ``"9"``, ``9.0``); anything else is ``Invalid``.
    """
    if value is None:
        raise Invalid("rating is required")
    if isinstance(value, bool):
        raise Invalid(RATING_ERROR)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _WORDS:
            return _WORDS[word]
        try:
            value = float(word)
        except ValueError:
            raise Invalid(RATING_ERROR) from None
    if isinstance(value, int | float) and math.isfinite(value) and float(value).is_integer():
        number = int(value)
        if UNRATED <= number <= HIGHEST:
            return number
    raise Invalid(RATING_ERROR)


def is_loved(rating: int) -> bool:
    return rating >= LOVED_FROM


@dataclass(frozen=True, slots=True)
class RatingRange:
    """Which of a user's ratings a listing returns: an inclusive range on the 10-point scale."""

    low: int = LOWEST
    high: int = HIGHEST


ALL_RATINGS = RatingRange()
LOVED = RatingRange(LOVED_FROM, HIGHEST)
HATED = RatingRange(LOWEST, LOVED_FROM - 1)


def parse_rating_filter(value: str | None) -> RatingRange:
    """``all`` (or nothing), ``love``, ``hate``, or one exact 10-point value ``1``-``10``."""
    word = (value or "all").strip().lower()
    if word in ("", "all"):
        return ALL_RATINGS
    if word == "love":
        return LOVED
    if word == "hate":
        return HATED
    if word.isdigit() and LOWEST <= int(word) <= HIGHEST:
        return RatingRange(int(word), int(word))
    raise Invalid("rating filter must be all, love, hate or a number from 1 to 10")


@dataclass(frozen=True, slots=True)
class RatingChange:
    """What one rating write did to one item; ``rating`` 0 means the rating was removed."""

    item_id: int
    previous: int
    rating: int

    @property
    def changed(self) -> bool:
        return self.previous != self.rating


@dataclass(frozen=True, slots=True)
class UserRating:
    """One of a user's ratings, as listings read them."""

    item_id: int
    rating: int
    rated_at: int
    show_id: int | None = None  # episodes only
