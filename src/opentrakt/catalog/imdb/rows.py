"""Turning the fields of one dataset line into a typed record, or the reason it can't be used.

Every parser returns either a record or a short, fixed reason string: reasons are counted for
the summary, so they never contain per-row values (the set of reasons stays small).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from operator import itemgetter

NULL = "\\N"

# Longest values the catalogue columns hold.
MAX_TITLE = 500
MAX_NAME = 300
MAX_CHARACTER = 500
MAX_JOB = 200
MAX_POSITION = 32767


class Kind(Enum):
    MOVIE = "movie"
    SHOW = "show"
    EPISODE = "episode"


TITLE_TYPES = {
    "movie": Kind.MOVIE,
    "tvMovie": Kind.MOVIE,
    "tvSeries": Kind.SHOW,
    "tvMiniSeries": Kind.SHOW,
    "tvEpisode": Kind.EPISODE,
}
# Types the dumps use that the catalogue has no place for; each is its own counted reason.
UNUSED_TITLE_TYPES = ("short", "tvShort", "video", "videoGame", "tvSpecial", "tvPilot")

ROLES = {
    "actor": "actor",
    "actress": "actor",
    "self": "actor",
    "director": "director",
    "writer": "writer",
    "producer": "producer",
}

SKIP_ID = "malformed IMDb id"
SKIP_NO_TITLE = "no title"
SKIP_LONG_TITLE = f"title longer than {MAX_TITLE} characters"
SKIP_NO_NAME = "no name"
SKIP_LONG_NAME = f"name longer than {MAX_NAME} characters"
SKIP_UNKNOWN_TYPE = "unknown titleType"
SKIP_NO_NUMBERS = "no season or episode number"
SKIP_NO_RATING = "no rating"
SKIP_UNKNOWN_CATEGORY = "unknown category"


def skip_type(title_type: str) -> str:
    return f"{title_type} titles are not imported"


def skip_category(category: str) -> str:
    return f"{category} credits are not stored"


def skip_number(column: str) -> str:
    return f"{column} is not a number"


@dataclass(frozen=True, slots=True)
class Title:
    imdb_id: str
    kind: Kind
    title: str
    year: int | None
    end_year: int | None
    runtime: int | None
    genres: tuple[str, ...]
    mini_series: bool
    adult: bool


@dataclass(frozen=True, slots=True)
class EpisodeRef:
    imdb_id: str
    show_imdb_id: str
    season: int
    number: int


@dataclass(frozen=True, slots=True)
class Rating:
    imdb_id: str
    rating: float
    votes: int


@dataclass(frozen=True, slots=True)
class Person:
    imdb_id: str
    name: str
    birth_year: int | None


@dataclass(frozen=True, slots=True)
class Credit:
    title_imdb_id: str
    person_imdb_id: str
    role: str
    character: str | None
    job: str | None
    executive: bool
    position: int


class BadValue(ValueError):
    """A field that doesn't parse; ``reason`` is what gets counted."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _count(text: str, column: str, *, upper: int = 2**31 - 1) -> int | None:
    """A non-negative decimal integer or ``\\N``."""
    if text == NULL or text == "":
        return None
    if text.isascii() and text.isdigit():
        value = int(text)
        if value <= upper:
            return value
    raise BadValue(skip_number(column))


def _year(text: str, column: str) -> int | None:
    year = _count(text, column, upper=9999)
    return year or None  # year 0 is a placeholder, not a year


def _id(text: str, prefix: str) -> str:
    if not 3 <= len(text) <= 16 or not text.startswith(prefix) or not (text.isascii() and text[2:].isdigit()):
        raise BadValue(SKIP_ID)
    return text


def _list(text: str) -> list[str]:
    return [] if text == NULL or text == "" else text.split(",")


def _text(text: str) -> str | None:
    return None if text == NULL or text == "" else text


Pick = Callable[[list[str]], tuple[str, ...]]


def columns(header: list[str], names: tuple[str, ...]) -> Pick:
    """Picks the fields ``names`` out of a line, by their place in ``header`` (looked up once per file)."""
    positions = [header.index(name) for name in names]
    getter = itemgetter(*positions)
    if len(positions) == 1:  # itemgetter of one index returns the field itself, not a tuple
        return lambda fields: (getter(fields),)
    return getter


def parse_title(fields: list[str], pick: Pick) -> Title | str:
    tconst, title_type, title, adult, start, end, runtime, genres = pick(fields)
    kind = TITLE_TYPES.get(title_type)
    if kind is None:
        return skip_type(title_type) if title_type in UNUSED_TITLE_TYPES else SKIP_UNKNOWN_TYPE
    if not title or title == NULL:
        return SKIP_NO_TITLE
    if len(title) > MAX_TITLE:
        return SKIP_LONG_TITLE
    try:
        return Title(
            imdb_id=_id(tconst, "tt"),
            kind=kind,
            title=title,
            year=_year(start, "startYear"),
            end_year=_year(end, "endYear"),
            runtime=_count(runtime, "runtimeMinutes"),
            genres=tuple(_list(genres)),
            mini_series=title_type == "tvMiniSeries",
            adult=adult == "1",
        )
    except BadValue as exc:
        return exc.reason


def parse_episode(fields: list[str], pick: Pick) -> EpisodeRef | str:
    tconst, parent, season, number = pick(fields)
    try:
        imdb_id, show_imdb_id = _id(tconst, "tt"), _id(parent, "tt")
        season_number = _count(season, "seasonNumber")
        episode_number = _count(number, "episodeNumber")
    except BadValue as exc:
        return exc.reason
    if season_number is None or episode_number is None:
        return SKIP_NO_NUMBERS
    return EpisodeRef(imdb_id, show_imdb_id, season_number, episode_number)


def parse_rating(fields: list[str], pick: Pick) -> Rating | str:
    tconst, rating, votes = pick(fields)
    try:
        imdb_id = _id(tconst, "tt")
        vote_count = _count(votes, "numVotes")
    except BadValue as exc:
        return exc.reason
    if rating == NULL or vote_count is None:
        return SKIP_NO_RATING
    try:
        value = float(rating)
    except ValueError:
        return skip_number("averageRating")
    if not 0 <= value <= 10:
        return skip_number("averageRating")
    return Rating(imdb_id, value, vote_count)


def parse_person(fields: list[str], pick: Pick) -> Person | str:
    nconst, name, birth = pick(fields)
    if not name or name == NULL:
        return SKIP_NO_NAME
    if len(name) > MAX_NAME:
        return SKIP_LONG_NAME
    try:
        return Person(_id(nconst, "nm"), name, _year(birth, "birthYear"))
    except BadValue as exc:
        return exc.reason


def parse_principal(fields: list[str], pick: Pick) -> Credit | str:
    tconst, ordering, nconst, category, job, characters = pick(fields)
    role = ROLES.get(category)
    if role is None:
        return skip_category(category) if category.replace("_", "").isalpha() else SKIP_UNKNOWN_CATEGORY
    try:
        title_id, person_id = _id(tconst, "tt"), _id(nconst, "nm")
        position = min(_count(ordering, "ordering") or 0, MAX_POSITION)
    except BadValue as exc:
        return exc.reason
    job_text = _text(job)
    return Credit(
        title_imdb_id=title_id,
        person_imdb_id=person_id,
        role=role,
        character=_character(characters) if role == "actor" else None,
        job=job_text[:MAX_JOB] if job_text and role in ("writer", "producer") else None,
        executive=role == "producer" and job_text is not None and "executive" in job_text.lower(),
        position=position,
    )


def parse_crew(fields: list[str], pick: Pick) -> list[Credit] | str:
    """One credit per listed director and writer, in the order listed."""
    tconst, directors, writers = pick(fields)
    try:
        title_id = _id(tconst, "tt")
        named = [
            (role, _id(person, "nm"))
            for role, names in (("director", directors), ("writer", writers))
            for person in _list(names)
        ]
    except BadValue as exc:
        return exc.reason
    return [
        Credit(title_id, person, role, None, None, False, min(position, MAX_POSITION))
        for position, (role, person) in enumerate(named)
    ]


def _character(characters: str) -> str | None:
    """``["Rick Grimes"]`` → ``Rick Grimes``; several characters are joined with `` / ``."""
    if characters == NULL or characters == "":
        return None
    try:
        names = json.loads(characters)
    except ValueError:
        names = [characters.strip('[]"')]
    if not isinstance(names, list):
        names = [names]
    text = " / ".join(str(n) for n in names if n) or None
    return text[:MAX_CHARACTER] if text else None
