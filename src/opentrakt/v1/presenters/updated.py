"""movies/updated and shows/updated: the changed items and the window they cover."""

from __future__ import annotations

from typing import Any

from opentrakt.catalog.models import Movie, Show
from opentrakt.catalog.summaries import Updated
from opentrakt.config import Settings
from opentrakt.v1.presenters.fields import id_text, number, text
from opentrakt.v1.presenters.movie import movie_url
from opentrakt.v1.presenters.show import show_url


def _timestamps(since: int, until: int | None, now: int) -> dict[str, int]:
    """``current`` is where the next call should start: now, or where a cut page stopped."""
    end = until if until is not None else now
    return {"start": since, "end": end, "current": end}


def present_updated_movie(movie: Movie, settings: Settings) -> dict[str, Any]:
    return {
        "imdb_id": text(movie.imdb_id),
        "tmdb_id": id_text(movie.tmdb_id),
        "title": movie.title,
        "year": number(movie.year),
        "url": movie_url(movie, settings),
        "last_updated": movie.updated_at,
    }


def present_updated_show(show: Show, settings: Settings) -> dict[str, Any]:
    return {
        "tvdb_id": id_text(show.tvdb_id),
        "imdb_id": text(show.imdb_id),
        "tvrage_id": id_text(show.tvrage_id),
        "title": show.title,
        "year": number(show.year),
        "url": show_url(show, settings),
        "last_updated": show.updated_at,
    }


def present_movies_updated(page: Updated[Movie], since: int, now: int, settings: Settings) -> dict[str, Any]:
    return {
        "timestamps": _timestamps(since, page.until, now),
        "movies": [present_updated_movie(movie, settings) for movie in page.items],
    }


def present_shows_updated(page: Updated[Show], since: int, now: int, settings: Settings) -> dict[str, Any]:
    return {
        "timestamps": _timestamps(since, page.until, now),
        "shows": [present_updated_show(show, settings) for show in page.items],
    }
