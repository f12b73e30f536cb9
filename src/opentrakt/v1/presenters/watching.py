"""Playback answers: watching, scrobble and check-in successes, and the watch item.

Each answer follows its method's example in the contract, keys and types alike. The show
part of ``show/watching`` (and of its ``show/scrobble`` twin) is a quoted live response, where
``year``, ``season`` and the episode ``number`` were strings and there was no ``path`` flag; the
check-in example carries integers and no ``tvrage_id``. Clients read both.
"""

from __future__ import annotations

from typing import Any

from opentrakt.catalog.models import Episode, Movie, Show
from opentrakt.config import Settings
from opentrakt.playback.models import (
    NOT_SHARED,
    CheckedIn,
    EpisodeItem,
    MovieItem,
    NowPlaying,
    PlaybackItem,
    Scrobbled,
    Share,
    Watching,
)
from opentrakt.v1.envelopes import success
from opentrakt.v1.presenters.airtimes import local_as_pacific
from opentrakt.v1.presenters.episode import episode_url
from opentrakt.v1.presenters.fields import id_text, number, text
from opentrakt.v1.presenters.movie import Level, movie_url, present_movie
from opentrakt.v1.presenters.show import show_url


def _shared(share: Share, *, path: bool = True) -> dict[str, bool]:
    flags = {"facebook": share.facebook, "twitter": share.twitter, "tumblr": share.tumblr}
    if path:
        flags["path"] = share.path
    return flags


def _movie(movie: Movie, settings: Settings) -> dict[str, Any]:
    """``{title, year, imdb_id, tmdb_id}``."""
    return present_movie(movie, settings, Level.MIN)


def _quoted_show_part(item: EpisodeItem) -> dict[str, Any]:
    """``show``, ``season`` and ``episode`` as the live ``show/watching`` response had them."""
    show, episode = item.show, item.episode
    return {
        "show": {
            "title": show.title,
            "year": str(number(show.year)),
            "imdb_id": text(show.imdb_id),
            "tvdb_id": id_text(show.tvdb_id),
            "tvrage_id": id_text(show.tvrage_id),
        },
        "season": str(episode.season),
        "episode": {"number": str(episode.number), "title": text(episode.title)},
    }


def _checkin_show_part(item: EpisodeItem) -> dict[str, Any]:
    """``show``, ``season`` and ``episode`` as in the check-in example (integers)."""
    show, episode = item.show, item.episode
    return {
        "show": {
            "title": show.title,
            "year": number(show.year),
            "imdb_id": text(show.imdb_id),
            "tvdb_id": show.tvdb_id,
        },
        "season": episode.season,
        "episode": {"number": episode.number, "title": text(episode.title)},
    }


def _item_part(item: PlaybackItem, settings: Settings, *, checkin: bool = False) -> dict[str, Any]:
    if isinstance(item, MovieItem):
        return {"movie": _movie(item.movie, settings)}
    return _checkin_show_part(item) if checkin else _quoted_show_part(item)


def present_watching(result: Watching, settings: Settings) -> dict[str, Any]:
    return success(
        f"watching {result.item.label}",
        **_item_part(result.item, settings),
        **_shared(NOT_SHARED, path=isinstance(result.item, MovieItem)),
    )


def present_scrobbled(result: Scrobbled, settings: Settings) -> dict[str, Any]:
    return success(
        f"scrobbled {result.item.label}",
        **_item_part(result.item, settings),
        **_shared(NOT_SHARED, path=isinstance(result.item, MovieItem)),
    )


def present_checked_in(result: CheckedIn, settings: Settings) -> dict[str, Any]:
    return success(
        f"checked in to {result.item.label}",
        timestamps={
            "start": result.started_at,
            "end": result.ends_at,
            "active_for": result.ends_at - result.started_at,
        },
        **_item_part(result.item, settings, checkin=True),
        **_shared(result.shared),
    )


def _watch_movie(movie: Movie, settings: Settings) -> dict[str, Any]:
    return {
        "title": movie.title,
        "year": number(movie.year),
        "url": movie_url(movie, settings),
        "imdb_id": text(movie.imdb_id),
        "tmdb_id": id_text(movie.tmdb_id),
    }


def _watch_show(show: Show, settings: Settings) -> dict[str, Any]:
    return {
        "title": show.title,
        "url": show_url(show, settings),
        "imdb_id": text(show.imdb_id),
        "tvdb_id": id_text(show.tvdb_id),
        "tvrage_id": id_text(show.tvrage_id),
    }


def _watch_episode(show: Show, episode: Episode, settings: Settings) -> dict[str, Any]:
    return {
        "season": episode.season,
        "number": episode.number,
        "title": text(episode.title),
        "url": episode_url(show, episode, settings),
        "first_aired": local_as_pacific(episode.first_aired, show.air_timezone),
    }


def present_watch_item(playing: NowPlaying, settings: Settings) -> dict[str, Any]:
    """The ``user/watching`` object: ``type``, ``action`` and the reduced item objects."""
    item = playing.item
    if isinstance(item, MovieItem):
        return {"type": "movie", "action": playing.state.value, "movie": _watch_movie(item.movie, settings)}
    return {
        "type": "episode",
        "action": playing.state.value,
        "show": _watch_show(item.show, settings),
        "episode": _watch_episode(item.show, item.episode, settings),
    }
