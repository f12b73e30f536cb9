"""Entries of a user's library and watchlist lists: media objects plus the listed user's fields."""

from __future__ import annotations

from typing import Any

from opentrakt.catalog.models import Episode, Movie, Show
from opentrakt.config import Settings
from opentrakt.tracking.library import LibraryMovie, LibraryShow, ShowEpisodes
from opentrakt.tracking.models import ItemUserState
from opentrakt.v1.presenters.episode import present_episode
from opentrakt.v1.presenters.movie import Level, present_movie
from opentrakt.v1.presenters.show import present_show

# What each movie section adds to the movie: user/library/movies/<section>.
MOVIE_SECTION_FIELDS = {
    "all": ("plays", "in_collection", "unseen"),
    "collection": (),
    "watched": ("plays",),
}


def present_library_movie(
    movie: Movie, entry: LibraryMovie, section: str, settings: Settings, level: Level
) -> dict[str, Any]:
    data = present_movie(movie, settings, level)
    values = {"plays": entry.plays, "in_collection": entry.in_collection, "unseen": entry.unseen}
    for name in MOVIE_SECTION_FIELDS[section]:
        data[name] = values[name]
    return data


def present_library_show(show: Show, entry: LibraryShow, settings: Settings, level: Level) -> dict[str, Any]:
    """user/library/shows/all: one entry per show with its total plays."""
    data = present_show(show, settings, level)
    data["plays"] = entry.plays
    return data


def present_library_show_episodes(
    show: Show, entry: ShowEpisodes, settings: Settings, level: Level
) -> dict[str, Any]:
    """collection/watched/unseen: the show plus ``seasons`` with the episode *numbers*."""
    data = present_show(show, settings, level)
    data["seasons"] = [{"season": s.season, "episodes": list(s.episodes)} for s in entry.seasons]
    return data


def present_watchlist_movie(
    movie: Movie, inserted: int, settings: Settings, *, state: ItemUserState | None
) -> dict[str, Any]:
    data = present_movie(movie, settings, Level.NORMAL)
    data["inserted"] = inserted
    if state is not None:
        _add_state(data, present_movie(movie, settings, Level.MIN, state=state))
    return data


def present_watchlist_show(
    show: Show, inserted: int, settings: Settings, *, state: ItemUserState | None
) -> dict[str, Any]:
    data = present_show(show, settings, Level.NORMAL)
    data["inserted"] = inserted
    if state is not None:
        _add_state(data, present_show(show, settings, Level.MIN, state=state))
    return data


def present_watchlist_show_episodes(
    show: Show,
    entries: list[tuple[Episode, int]],
    settings: Settings,
    *,
    states: dict[int, ItemUserState] | None,
) -> dict[str, Any]:
    """user/watchlist/episodes: one show object per show with its watchlisted ``episodes``."""
    data = present_show(show, settings, Level.NORMAL)
    episodes = []
    for episode, inserted in entries:
        item = present_episode(episode, show, settings, state=states.get(episode.id) if states else None)
        item["inserted"] = inserted
        episodes.append(item)
    data["episodes"] = episodes
    return data


def _add_state(data: dict[str, Any], with_state: dict[str, Any]) -> None:
    for key in ("watched", "plays", "in_watchlist", "in_collection", "rating", "rating_advanced"):
        if key in with_state:
            data[key] = with_state[key]
