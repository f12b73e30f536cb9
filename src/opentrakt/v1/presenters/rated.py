"""Rated items: the answers of rate/* and the items of user/ratings/* and the loved/hated lists."""

from __future__ import annotations

from typing import Any

from opentrakt.catalog.models import Episode, Movie, Ratings, Show
from opentrakt.config import Settings
from opentrakt.ratings.models import UserRating
from opentrakt.v1.envelopes import success
from opentrakt.v1.presenters.episode import present_episode
from opentrakt.v1.presenters.fields import id_text, text
from opentrakt.v1.presenters.movie import Level, present_movie
from opentrakt.v1.presenters.ratings import present_ratings, simple_rating
from opentrakt.v1.presenters.show import present_show

# A self-hosted server posts to no social network.
NOT_SHARED = {"facebook": False, "twitter": False, "tumblr": False, "path": False}


def movie_label(movie: Movie) -> str:
    """``Title (Year)``, as rate/movie's message names a movie."""
    return f"{movie.title} ({movie.year})" if movie.year else movie.title


def episode_label(show: Show, episode: Episode) -> str:
    """``Show 1x01``, as rate/episode's message names an episode."""
    return f"{show.title} {episode.season}x{episode.number:02d}"


def present_rated(kind: str, label: str, echo: Any, removed: bool, ratings: Ratings) -> dict[str, Any]:
    """A single rate/* answer: what was rated, the value as sent and the item's new aggregate."""
    verb = "unrated" if removed else "rated"
    return success(f"{verb} {label}", type=kind, rating=echo, ratings=present_ratings(ratings), **NOT_SHARED)


def present_batch(plural: str, rated: int, unrated: int, skipped: list[dict[str, Any]]) -> dict[str, Any]:
    """A batch rate/* answer: counts, and the items that named nothing known, as sent."""
    noun = plural if rated != 1 else plural[:-1]
    return success(
        f"rated {rated} {noun}",
        rated=rated,
        unrated=unrated,
        skipped=len(skipped),
        **{f"skipped_{plural}": skipped},
    )


def _rating_fields(rating: UserRating) -> dict[str, Any]:
    return {
        "inserted": rating.rated_at,
        "rating": simple_rating(rating.rating),
        "rating_advanced": rating.rating,
    }


def present_rated_movie(movie: Movie, rating: UserRating, settings: Settings, level: Level) -> dict[str, Any]:
    """A flat movie object with when and how the user rated it."""
    return {**present_movie(movie, settings, level), **_rating_fields(rating)}


def present_rated_show(show: Show, rating: UserRating, settings: Settings, level: Level) -> dict[str, Any]:
    """A flat show object with when and how the user rated it."""
    return {**present_show(show, settings, level), **_rating_fields(rating)}


def present_rated_episode(
    episode: Episode, show: Show, rating: UserRating, settings: Settings, level: Level
) -> dict[str, Any]:
    """``{inserted, rating, rating_advanced, show, episode}``; ``min`` keeps the sync fields only."""
    if level is Level.MIN:
        episode_data: dict[str, Any] = {
            "season": episode.season,
            "number": episode.number,
            "title": text(episode.title),
            "tvdb_id": id_text(episode.tvdb_id),
        }
    else:
        episode_data = present_episode(episode, show, settings)
    return {**_rating_fields(rating), "show": present_show(show, settings, level), "episode": episode_data}
