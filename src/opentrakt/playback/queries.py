"""Reading playback state: what a user is watching, and who is watching an item.

Reads never wait for the background duty: a lapsed watching state or a check-in past its
end counts as idle here even while its row still says otherwise.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.accounts.models import User
from opentrakt.accounts.service import user_from_row
from opentrakt.db.tables.accounts import users
from opentrakt.db.tables.playback import STATE_IDLE
from opentrakt.db.tables.playback import playback_sessions as sessions
from opentrakt.playback.items import episode_item, movie_item
from opentrakt.playback.models import NowPlaying, PlaybackItem, Session
from opentrakt.playback.sessions import read_session

# The columns a User is built from (never the password hash).
_USER_COLUMNS = tuple(users.c[f.name] for f in fields(User))


def _active(now: int) -> ColumnElement[bool]:
    return and_(sessions.c.state != STATE_IDLE, sessions.c.ends_at > now)


async def _item(conn: AsyncConnection, session: Session) -> PlaybackItem | None:
    if session.movie_id is not None:
        return await movie_item(conn, session.movie_id)
    if session.episode_id is not None:
        return await episode_item(conn, session.episode_id)
    return None


async def now_playing(conn: AsyncConnection, user_id: int, now: int) -> NowPlaying | None:
    """The user's active watching state or check-in, with its item; None when idle."""
    session = await read_session(conn, user_id)
    if session is None or not session.is_active(now):
        return None
    item = await _item(conn, session)
    if item is None:
        return None
    assert session.ends_at is not None
    return NowPlaying(
        state=session.state,
        item=item,
        started_at=session.started_at if session.started_at is not None else now,
        ends_at=session.ends_at,
    )


async def _watchers(
    conn: AsyncConnection, condition: ColumnElement[bool], now: int, public_only: bool
) -> list[User]:
    query: Any = (
        select(*_USER_COLUMNS)
        .select_from(sessions.join(users, users.c.id == sessions.c.user_id))
        .where(condition, _active(now))
        .order_by(sessions.c.started_at, users.c.id)
    )
    if public_only:
        query = query.where(users.c.protected.is_(False))
    return [user_from_row(row) for row in await conn.execute(query)]


async def movie_watchers(
    conn: AsyncConnection, movie_id: int, now: int, *, public_only: bool = True
) -> list[User]:
    """Users watching or checked in to the movie now, earliest start first.

    ``public_only`` leaves out protected users, for anonymous listings.
    """
    return await _watchers(conn, sessions.c.movie_id == movie_id, now, public_only)


async def show_watchers(
    conn: AsyncConnection, show_id: int, now: int, *, public_only: bool = True
) -> list[User]:
    """Users watching or checked in to any episode of the show now."""
    return await _watchers(conn, sessions.c.show_id == show_id, now, public_only)


async def episode_watchers(
    conn: AsyncConnection, episode_id: int, now: int, *, public_only: bool = True
) -> list[User]:
    """Users watching or checked in to the episode now."""
    return await _watchers(conn, sessions.c.episode_id == episode_id, now, public_only)
