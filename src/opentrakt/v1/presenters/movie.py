"""The v1 movie object at its min, normal and full (summary) levels."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from opentrakt.catalog.models import Movie
from opentrakt.config import Settings
from opentrakt.tracking.models import ItemUserState
from opentrakt.v1.presenters.fields import add_user_fields, id_text, number, text
from opentrakt.v1.presenters.images import image_url
from opentrakt.v1.presenters.ratings import present_ratings


class Level(StrEnum):
    MIN = "min"
    NORMAL = "normal"
    FULL = "full"


def movie_url(movie: Movie, settings: Settings) -> str:
    return f"{settings.site_url}/movie/{movie.slug}"


def present_movie(
    movie: Movie,
    settings: Settings,
    level: Level = Level.NORMAL,
    *,
    state: ItemUserState | None = None,
    summary: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A movie; ``state`` adds the caller's fields, ``summary`` the summary-only keys
    (``top_watchers``, ``stats``, ``people``) in their place."""
    if level is Level.MIN:
        data: dict[str, Any] = {
            "title": movie.title,
            "year": number(movie.year),
            "imdb_id": text(movie.imdb_id),
            "tmdb_id": id_text(movie.tmdb_id),
        }
        if state is not None:
            add_user_fields(data, state)
        return data
    poster = image_url(movie.poster_url, "poster", settings)
    data = {
        "title": movie.title,
        "year": number(movie.year),
        "released": number(movie.released),
        "url": movie_url(movie, settings),
        "trailer": text(movie.trailer),
        "runtime": number(movie.runtime),
        "tagline": text(movie.tagline),
        "overview": text(movie.overview),
        "certification": text(movie.certification),
        "imdb_id": text(movie.imdb_id),
        "tmdb_id": id_text(movie.tmdb_id),
    }
    if level is Level.FULL:
        data["rt_id"] = number(movie.rt_id)
        data["last_updated"] = movie.updated_at
        data["poster"] = poster
    data["images"] = {"poster": poster, "fanart": image_url(movie.fanart_url, "fanart", settings)}
    data["genres"] = list(movie.genres)
    if summary and "top_watchers" in summary:
        data["top_watchers"] = summary["top_watchers"]
    data["ratings"] = present_ratings(movie.ratings)
    if summary:
        data.update((key, value) for key, value in summary.items() if key != "top_watchers")
    if state is not None:
        add_user_fields(data, state)
    return data
