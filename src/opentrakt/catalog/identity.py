"""What a client says about an item, parsed into typed identities.

v1 clients send ids and years as numbers or strings, whole numbers as floats (``91.0``),
``null`` for anything they lack, and traktr merges whole summary objects (``url``, ``images``,
``ratings``, ``genres``, ``people``…) into write bodies. Only the fields below are read; a value
of the wrong shape counts as absent instead of failing the request. The one exception is an
episode's season and number: an episode cannot be placed without them, so a bad one makes that
item invalid (``Invalid``), for the caller to report as skipped.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from opentrakt.catalog.resolve import is_imdb_id
from opentrakt.catalog.text import fold
from opentrakt.errors import Invalid

MAX_TITLE = 500  # the catalogue's title columns
MIN_YEAR, MAX_YEAR = 1870, 2100
MAX_ID = 2**31 - 1  # external ids and episode numbers live in 32-bit columns
MAX_RUNTIME = 10_000  # minutes; longer is a unit mistake, not a film
# Epoch seconds within about a thousand years of 1970 either way (old films have negative ones).
MAX_TIMESTAMP = 2**35

# Bounded lengths keep int() away from pathological digit strings.
_INTEGER = re.compile(r"[+-]?[0-9]{1,18}")
_DECIMAL = re.compile(r"[+-]?[0-9]{1,18}\.[0-9]{0,18}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _number(value: object) -> float | int | None:
    """An int or a finite float from a JSON number or a numeric string; None otherwise."""
    if type(value) is int:  # the common cases first: bulk bodies carry thousands of these
        return value
    if value is None:
        return None
    if isinstance(value, bool):  # bool is an int subclass, but True is not 1 here
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        text = value.strip()
        if _INTEGER.fullmatch(text):
            return int(text)
        if _DECIMAL.fullmatch(text):
            return float(text)
    return None


def whole_number(value: object) -> int | None:
    """``79349``, ``"79349"``, ``79349.0`` → ``79349``; fractions and anything else → None."""
    if type(value) is int:
        return value
    if value is None:
        return None
    number = _number(value)
    if isinstance(number, float):
        return int(number) if number.is_integer() else None
    return number


def external_id(value: object) -> int | None:
    """A positive numeric id (TMDB, TVDB, TVRage) that fits its column, else None."""
    number = whole_number(value)
    return number if number is not None and 0 < number <= MAX_ID else None


def imdb_id(value: object) -> str | None:
    """``tt`` and digits (case-insensitive), else None."""
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    return text if is_imdb_id(text) else None


def year(value: object) -> int | None:
    number = whole_number(value)
    return number if number is not None and MIN_YEAR <= number <= MAX_YEAR else None


def title(value: object) -> str | None:
    """Stripped, without control characters (PostgreSQL refuses NUL), at most ``MAX_TITLE`` long."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # a title such as 1917 sent as a JSON number
    if not isinstance(value, str):
        return None
    text = _CONTROL.sub("", value).strip()[:MAX_TITLE].rstrip()
    return text if fold(text) else None


def runtime(value: object) -> int | None:
    """Minutes; fractions round, since a runtime is a measure rather than an identifier."""
    number = _number(value)
    if number is None:
        return None
    minutes = round(number)
    return minutes if 0 < minutes <= MAX_RUNTIME else None


def timestamp(value: object) -> int | None:
    """Epoch seconds; ``0`` is how v1 data says "unknown", so it counts as absent."""
    number = whole_number(value)
    return number if number and -MAX_TIMESTAMP <= number <= MAX_TIMESTAMP else None


def _fields(data: object) -> Mapping[str, Any]:
    return data if isinstance(data, Mapping) else {}


def _title_key(text: str | None) -> str | None:
    return fold(text) if text is not None else None


@dataclass(frozen=True, slots=True)
class MovieIdentity:
    """A movie as a client names it; attribute names match the ``movies`` columns."""

    imdb_id: str | None = None
    tmdb_id: int | None = None
    title: str | None = None
    year: int | None = None
    runtime: int | None = None
    released: int | None = None

    @property
    def title_key(self) -> str | None:
        return _title_key(self.title)

    @property
    def has_identity(self) -> bool:
        """Something to look the movie up by: an id or a title (alone, it must be unambiguous)."""
        return bool(self.imdb_id or self.tmdb_id or self.title)

    @property
    def can_create(self) -> bool:
        """Enough to add it to the catalogue: a title, and a year or an id to tell it apart."""
        return bool(self.title and (self.year or self.imdb_id or self.tmdb_id))


@dataclass(frozen=True, slots=True)
class ShowIdentity:
    """A show as a client names it; attribute names match the ``shows`` columns."""

    tvdb_id: int | None = None
    imdb_id: str | None = None
    tvrage_id: int | None = None
    title: str | None = None
    year: int | None = None
    runtime: int | None = None

    @property
    def title_key(self) -> str | None:
        return _title_key(self.title)

    @property
    def has_identity(self) -> bool:
        """Something to look the show up by: an id or a title (alone, it must be unambiguous)."""
        return bool(self.tvdb_id or self.imdb_id or self.title)

    @property
    def can_create(self) -> bool:
        """Enough to add it to the catalogue: a title, and a year or an id to tell it apart."""
        return bool(self.title and (self.year or self.tvdb_id or self.imdb_id))


class EpisodeRef(NamedTuple):
    """One episode of an already identified show.

    A named tuple rather than a frozen dataclass: a bulk write parses thousands, and a tuple is
    built several times faster. Its ``repr`` is the dataclass's, which ``identity_key`` relies on.
    """

    season: int
    episode: int
    episode_tvdb_id: int | None = None
    title: str | None = None
    runtime: int | None = None
    first_aired: int | None = None

    @property
    def has_details(self) -> bool:
        """Whether the ref tells anything about its episode beyond its place (the fields after
        ``season`` and ``episode``)."""
        return any(value is not None for value in self[2:])


def movie_identity(data: object) -> MovieIdentity:
    """The movie a body (or an item of its ``movies`` array) names; never raises."""
    fields = _fields(data)
    return MovieIdentity(
        imdb_id=imdb_id(fields.get("imdb_id")),
        tmdb_id=external_id(fields.get("tmdb_id")),
        title=title(fields.get("title")),
        year=year(fields.get("year")),
        runtime=runtime(fields.get("runtime")),
        released=timestamp(fields.get("released")),
    )


def show_identity(data: object) -> ShowIdentity:
    """The show a body (or an item of its ``shows`` array) names; never raises."""
    fields = _fields(data)
    return ShowIdentity(
        tvdb_id=external_id(fields.get("tvdb_id")),
        imdb_id=imdb_id(fields.get("imdb_id")),
        tvrage_id=external_id(fields.get("tvrage_id")),
        title=title(fields.get("title")),
        year=year(fields.get("year")),
        runtime=runtime(fields.get("runtime")),
    )


def _position(value: object, what: str) -> int:
    if type(value) is int and 0 <= value <= MAX_ID:  # the common case, without the checks below
        return value
    if value is None:
        raise Invalid(f"{what} is missing")
    number = whole_number(value)
    if number is None:
        raise Invalid(f"{what} must be a whole number")
    if number < 0:
        raise Invalid(f"{what} must not be negative")
    if number > MAX_ID:
        raise Invalid(f"{what} is too large")
    return number


def episode_ref(data: object, *, inline_show: bool = False) -> EpisodeRef:
    """The episode an item of an ``episodes`` array (or a scrobble-style body) names.

    ``inline_show`` says the mapping describes the show as well (scrobble, check-in and
    ``rate/episodes`` bodies, list items): its ``title`` is then the show's, so the episode gets
    none. The number is ``episode``, or ``number`` as in v1 episode objects. Raises ``Invalid``
    when the season or number is missing, negative or not a whole number.
    """
    # type() first: isinstance against the Mapping ABC is slow, and bulk bodies hold thousands.
    if type(data) is not dict and not isinstance(data, Mapping):
        raise Invalid("an episode must be an object")
    number = data.get("episode")
    if number is None:
        number = data.get("number")
    season = _position(data.get("season"), "season")
    episode = _position(number, "episode")
    if len(data) == 2 and "season" in data:  # only season and number: nothing else to read
        return EpisodeRef(season=season, episode=episode)
    return EpisodeRef(
        season=season,
        episode=episode,
        episode_tvdb_id=external_id(data.get("episode_tvdb_id")),
        title=None if inline_show else title(data.get("title")),
        runtime=runtime(data.get("runtime")),
        first_aired=timestamp(data.get("first_aired")),
    )
