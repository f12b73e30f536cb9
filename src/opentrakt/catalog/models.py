"""Typed catalogue records returned by the catalogue services."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Ratings:
    """This server's users' ratings of an item, with the imported dataset's rating as a fallback."""

    votes: int = 0
    total: int = 0  # sum of 10-point ratings
    loved: int = 0
    hated: int = 0
    imdb_rating: float | None = None
    imdb_votes: int | None = None


@dataclass(frozen=True, slots=True)
class Movie:
    id: int
    slug: str
    title: str
    year: int | None
    released: int | None
    runtime: int | None
    tagline: str | None
    overview: str | None
    certification: str | None
    trailer: str | None
    imdb_id: str | None
    tmdb_id: int | None
    rt_id: int | None
    poster_url: str | None
    fanart_url: str | None
    source: str
    updated_at: int
    ratings: Ratings
    genres: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Show:
    id: int
    slug: str
    title: str
    year: int | None
    first_aired: int | None
    country: str | None
    overview: str | None
    runtime: int | None
    network: str | None
    air_day: str | None
    air_time: str | None
    air_timezone: str | None
    certification: str | None
    status: str | None
    imdb_id: str | None
    tvdb_id: int | None
    tvrage_id: int | None
    tmdb_id: int | None
    poster_url: str | None
    fanart_url: str | None
    banner_url: str | None
    source: str
    updated_at: int
    ratings: Ratings
    genres: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Season:
    show_id: int
    number: int
    episode_count: int
    poster_url: str | None


@dataclass(frozen=True, slots=True)
class Episode:
    id: int
    show_id: int
    season: int
    number: int
    title: str | None
    overview: str | None
    first_aired: int | None
    runtime: int | None
    tvdb_id: int | None
    imdb_id: str | None
    tmdb_id: int | None
    screen_url: str | None
    ratings: Ratings


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    slug: str
    name: str
    imdb_id: str | None
    tmdb_id: int | None
    biography: str | None
    birthday: str | None
    birthplace: str | None
    headshot_url: str | None


@dataclass(frozen=True, slots=True)
class Credit:
    person: Person
    role: str  # actor, director, writer, producer
    character: str | None = None
    job: str | None = None
    executive: bool = False


@dataclass(frozen=True, slots=True)
class People:
    """Credits of one item grouped the way v1 presents them."""

    directors: list[Credit] = field(default_factory=list)
    writers: list[Credit] = field(default_factory=list)
    producers: list[Credit] = field(default_factory=list)
    actors: list[Credit] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Genre:
    name: str
    slug: str
