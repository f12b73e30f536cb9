"""Loading the catalogue records a playback write or read is about.

Playback answers never show genres or credits, so these read the item rows alone, one
statement each. Media centres hit this path every few minutes, so the statements are built
once and run with bound values.

A media centre names the item the same way in every ping of one viewing and in the scrobble
that ends it. ``recent_movie`` / ``recent_episode`` recognise such a repeat from a digest of
what the client sent (``identity_key``), stored with the watching state, and return the item
the first ping resolved, instead of resolving it again.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.catalog.queries import episode_from_row, movie_from_row, show_from_values
from opentrakt.db.tables.catalog import episodes, movies, shows
from opentrakt.db.tables.playback import STATE_WATCHING
from opentrakt.db.tables.playback import playback_sessions as sessions
from opentrakt.playback.models import EpisodeItem, MovieItem

_MOVIES = select(movies)
_MOVIE = _MOVIES.where(movies.c.id == bindparam("movie_id"))


async def movie_item(conn: AsyncConnection, movie_id: int) -> MovieItem | None:
    row = (await conn.execute(_MOVIE, {"movie_id": movie_id})).first()
    return MovieItem(movie_from_row(row)) if row else None


# The episode's show comes in the same row, its columns prefixed so that none collides.
_SHOW = shows.alias("show")
_EPISODES = select(episodes, *(column.label(f"show__{column.key}") for column in _SHOW.c)).join(
    _SHOW, _SHOW.c.id == episodes.c.show_id
)
_EPISODE = _EPISODES.where(episodes.c.id == bindparam("episode_id"))


def _episode_from_row(row: Any) -> EpisodeItem:
    show_values = {column.key: row._mapping[f"show__{column.key}"] for column in _SHOW.c}
    return EpisodeItem(show_from_values(show_values), episode_from_row(row))


async def episode_item(conn: AsyncConnection, episode_id: int) -> EpisodeItem | None:
    """The episode with its show, in one statement."""
    row = (await conn.execute(_EPISODE, {"episode_id": episode_id})).first()
    return _episode_from_row(row) if row else None


def identity_key(*parts: object) -> str:
    """A digest of how a client named an item (the parsed identity dataclasses, whose ``repr``
    is deterministic); it fits the sessions' 40-character column."""
    return hashlib.sha1(repr(parts).encode()).hexdigest()


def _recent(query: Select[Any], on: ColumnElement[bool]) -> Select[Any]:
    """``query`` narrowed to the item of the user's watching state named by ``key``."""
    return query.join(sessions, on).where(
        sessions.c.user_id == bindparam("user_id"),
        sessions.c.identity_key == bindparam("key"),
        sessions.c.state == STATE_WATCHING,
        sessions.c.ends_at > bindparam("now"),
    )


_RECENT_MOVIE = _recent(_MOVIES, sessions.c.movie_id == movies.c.id)
_RECENT_EPISODE = _recent(_EPISODES, sessions.c.episode_id == episodes.c.id)


async def recent_movie(conn: AsyncConnection, user_id: int, key: str, now: int) -> MovieItem | None:
    """The movie the user is watching now, if the client named it as ``key`` says."""
    params = {"user_id": user_id, "key": key, "now": now}
    row = (await conn.execute(_RECENT_MOVIE, params)).first()
    return MovieItem(movie_from_row(row)) if row else None


async def recent_episode(conn: AsyncConnection, user_id: int, key: str, now: int) -> EpisodeItem | None:
    """The episode the user is watching now, if the client named it as ``key`` says."""
    params = {"user_id": user_id, "key": key, "now": now}
    row = (await conn.execute(_RECENT_EPISODE, params)).first()
    return _episode_from_row(row) if row else None
