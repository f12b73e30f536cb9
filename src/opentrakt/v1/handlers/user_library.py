"""user/library/movies/*, user/library/shows/*, user/watchlist/*: a user's collection,
watched items and watchlist. A protected user's lists reach only that user and their friends;
everyone else gets ``[]``. Entries carry the listed user's own fields (plays, in_collection,
unseen); watchlists add the caller's fields when credentials are sent.
"""

from __future__ import annotations

from typing import Any

from opentrakt.catalog.queries import episodes_by_ids, movies_by_ids, shows_by_ids
from opentrakt.tracking import library
from opentrakt.v1 import lookup
from opentrakt.v1.call import V1Call
from opentrakt.v1.owner import list_level, visible_owner
from opentrakt.v1.presenters.library import (
    present_library_movie,
    present_library_show,
    present_library_show_episodes,
    present_watchlist_movie,
    present_watchlist_show,
    present_watchlist_show_episodes,
)
from opentrakt.v1.presenters.movie import Level
from opentrakt.v1.registry import READ, Auth, v1_method

_LISTING = {"verbs": READ, "auth": Auth.OPTIONAL, "required": ("username",), "optional": ("extended",)}
_WATCHLIST = {"verbs": READ, "auth": Auth.OPTIONAL, "required": ("username",)}


async def _movies(call: V1Call, section: library.MovieSection) -> list[dict[str, Any]]:
    owner = await visible_owner(call)
    if owner is None:
        return []
    entries = await library.library_movies(call.conn, owner.id, section)
    movies = await movies_by_ids(call.conn, [e.movie_id for e in entries])
    level, settings = list_level(call.param("extended")), call.runtime.settings
    return [
        present_library_movie(movies[e.movie_id], e, section, settings, level)
        for e in entries
        if e.movie_id in movies
    ]


@v1_method("user/library/movies/all", **_LISTING)
async def movies_all(call: V1Call) -> list[dict[str, Any]]:
    return await _movies(call, "all")


@v1_method("user/library/movies/collection", **_LISTING)
async def movies_collection(call: V1Call) -> list[dict[str, Any]]:
    return await _movies(call, "collection")


@v1_method("user/library/movies/watched", **_LISTING)
async def movies_watched(call: V1Call) -> list[dict[str, Any]]:
    return await _movies(call, "watched")


@v1_method("user/library/shows/all", **_LISTING)
async def shows_all(call: V1Call) -> list[dict[str, Any]]:
    owner = await visible_owner(call)
    if owner is None:
        return []
    entries = await library.library_shows(call.conn, owner.id)
    level, settings = list_level(call.param("extended")), call.runtime.settings
    shows = await shows_by_ids(call.conn, [e.show_id for e in entries], with_genres=level is not Level.MIN)
    return [present_library_show(shows[e.show_id], e, settings, level) for e in entries if e.show_id in shows]


async def _show_episodes(call: V1Call, section: library.EpisodeSection) -> list[dict[str, Any]]:
    owner = await visible_owner(call)
    if owner is None:
        return []
    entries = await library.library_show_episodes(call.conn, owner.id, section)
    level, settings = list_level(call.param("extended")), call.runtime.settings
    # The minimal show object has no genres.
    shows = await shows_by_ids(call.conn, [e.show_id for e in entries], with_genres=level is not Level.MIN)
    return [
        present_library_show_episodes(shows[e.show_id], e, settings, level)
        for e in entries
        if e.show_id in shows
    ]


@v1_method("user/library/shows/collection", **_LISTING)
async def shows_collection(call: V1Call) -> list[dict[str, Any]]:
    return await _show_episodes(call, "collection")


@v1_method("user/library/shows/watched", **_LISTING)
async def shows_watched(call: V1Call) -> list[dict[str, Any]]:
    return await _show_episodes(call, "watched")


@v1_method("user/library/shows/unseen", deprecated=True, **_LISTING)
async def shows_unseen(call: V1Call) -> list[dict[str, Any]]:
    return await _show_episodes(call, "unseen")


@v1_method("user/watchlist/movies", **_WATCHLIST)
async def watchlist_movies(call: V1Call) -> list[dict[str, Any]]:
    owner = await visible_owner(call)
    if owner is None:
        return []
    entries = await library.watchlist_movies(call.conn, owner.id)
    ids = [e.item_id for e in entries]
    movies = await movies_by_ids(call.conn, ids)
    states = await lookup.caller_states(call, "movie", ids)
    settings = call.runtime.settings
    return [
        present_watchlist_movie(
            movies[e.item_id], e.inserted, settings, state=states[e.item_id] if states is not None else None
        )
        for e in entries
        if e.item_id in movies
    ]


@v1_method("user/watchlist/shows", **_WATCHLIST)
async def watchlist_shows(call: V1Call) -> list[dict[str, Any]]:
    owner = await visible_owner(call)
    if owner is None:
        return []
    entries = await library.watchlist_shows(call.conn, owner.id)
    ids = [e.item_id for e in entries]
    shows = await shows_by_ids(call.conn, ids)
    states = await lookup.caller_states(call, "show", ids)
    settings = call.runtime.settings
    return [
        present_watchlist_show(
            shows[e.item_id], e.inserted, settings, state=states[e.item_id] if states is not None else None
        )
        for e in entries
        if e.item_id in shows
    ]


@v1_method("user/watchlist/episodes", **_WATCHLIST)
async def watchlist_episodes(call: V1Call) -> list[dict[str, Any]]:
    owner = await visible_owner(call)
    if owner is None:
        return []
    groups = await library.watchlist_episodes(call.conn, owner.id)
    episode_ids = [e.episode_id for g in groups for e in g.episodes]
    shows = await shows_by_ids(call.conn, [g.show_id for g in groups])
    episodes = await episodes_by_ids(call.conn, episode_ids)
    states = await lookup.caller_states(call, "episode", episode_ids)
    settings = call.runtime.settings
    return [
        present_watchlist_show_episodes(
            shows[g.show_id],
            [(episodes[e.episode_id], e.inserted) for e in g.episodes if e.episode_id in episodes],
            settings,
            states=states,
        )
        for g in groups
        if g.show_id in shows
    ]
