"""Reading, locking and writing a user's ``playback_sessions`` row."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.db.tables.playback import playback_sessions as sessions
from opentrakt.playback.models import CheckinRequest, MovieItem, PlaybackItem, Session, Share, State

# Everything a non-idle state sets; clearing resets all of it.
CLEARED: dict[str, Any] = {
    "state": State.IDLE.value,
    "item_type": None,
    "movie_id": None,
    "show_id": None,
    "episode_id": None,
    "identity_key": None,
    "started_at": None,
    "updated_at": None,
    "ends_at": None,
    "duration": None,
    "progress": None,
    "message": None,
    "venue_id": None,
    "venue_name": None,
    "share_facebook": False,
    "share_twitter": False,
    "share_tumblr": False,
    "share_path": False,
}


def session_from_row(row: Row[Any]) -> Session:
    return Session(
        user_id=row.user_id,
        state=State(row.state),
        item_type=row.item_type,
        movie_id=row.movie_id,
        show_id=row.show_id,
        episode_id=row.episode_id,
        identity_key=row.identity_key,
        started_at=row.started_at,
        updated_at=row.updated_at,
        ends_at=row.ends_at,
        duration=row.duration,
        progress=row.progress,
        message=row.message,
        venue_id=row.venue_id,
        venue_name=row.venue_name,
        share=Share(
            facebook=bool(row.share_facebook),
            twitter=bool(row.share_twitter),
            tumblr=bool(row.share_tumblr),
            path=bool(row.share_path),
        ),
    )


async def lock_session(conn: AsyncConnection, user_id: int) -> Session:
    """The user's row, created idle if missing, locked until the transaction ends.

    One statement: an upsert whose no-op update takes the row lock (PostgreSQL) and returns
    the latest committed row, so every playback write of one user, on any server instance,
    runs after the previous one has committed. SQLite writers are serialised by BEGIN IMMEDIATE.
    """
    row = (await conn.execute(_lock_statement(conn.dialect.name), {"uid": user_id, **CLEARED})).one()
    return session_from_row(row)


# Built once per dialect and executed with bound values: this runs on every playback write.
_LOCK_STATEMENTS: dict[str, Any] = {}
_READ = select(sessions).where(sessions.c.user_id == bindparam("uid"))
_WRITE = (
    update(sessions)
    .where(sessions.c.user_id == bindparam("uid"))
    .values({name: bindparam(name) for name in CLEARED})
)


def _lock_statement(dialect: str) -> Any:
    if dialect not in _LOCK_STATEMENTS:
        module = postgresql if dialect == "postgresql" else sqlite
        _LOCK_STATEMENTS[dialect] = (
            module.insert(sessions)
            .values({"user_id": bindparam("uid"), **{name: bindparam(name) for name in CLEARED}})
            .on_conflict_do_update(index_elements=[sessions.c.user_id], set_={"state": sessions.c.state})
            .returning(*sessions.c)
        )
    return _LOCK_STATEMENTS[dialect]


async def read_session(conn: AsyncConnection, user_id: int) -> Session | None:
    """The user's row without locking it (for reads)."""
    row = (await conn.execute(_READ, {"uid": user_id})).first()
    return session_from_row(row) if row else None


def _item_values(item: PlaybackItem) -> dict[str, Any]:
    if isinstance(item, MovieItem):
        return {"item_type": "movie", "movie_id": item.movie.id, "show_id": None, "episode_id": None}
    return {
        "item_type": "episode",
        "movie_id": None,
        "show_id": item.show.id,
        "episode_id": item.episode.id,
    }


async def _write(conn: AsyncConnection, user_id: int, values: dict[str, Any]) -> None:
    """Every column at once (``values`` starts from ``CLEARED``), so one statement serves all writes."""
    await conn.execute(_WRITE, {"uid": user_id, **values})


# A ping of the viewing already under way changes only its timing. As one UPDATE whose WHERE
# PostgreSQL re-checks on the latest row under the row lock, it needs no separate lock.
_REFRESH = (
    update(sessions)
    .where(
        sessions.c.user_id == bindparam("uid"),
        sessions.c.state == State.WATCHING.value,
        sessions.c.ends_at > bindparam("now"),
        sessions.c.item_type == bindparam("b_item_type"),
        # NULL-safe: a movie session has no episode and an episode session no movie.
        sessions.c.movie_id.is_not_distinct_from(bindparam("b_movie_id")),
        sessions.c.episode_id.is_not_distinct_from(bindparam("b_episode_id")),
    )
    .values(
        identity_key=bindparam("new_identity_key"),
        updated_at=bindparam("now"),
        ends_at=bindparam("new_ends_at"),
        duration=bindparam("new_duration"),
        progress=bindparam("new_progress"),
    )
    .returning(sessions.c.started_at)
)


async def refresh_watching(
    conn: AsyncConnection,
    user_id: int,
    item: PlaybackItem,
    *,
    identity_key: str | None,
    now: int,
    ends_at: int,
    duration: int | None,
    progress: int | None,
) -> int | None:
    """Extend the user's active watching of ``item``; its start, or None when the user was not
    watching ``item`` (then nothing changed)."""
    values = _item_values(item)
    params = {
        "uid": user_id,
        "now": now,
        "b_item_type": values["item_type"],
        "b_movie_id": values["movie_id"],
        "b_episode_id": values["episode_id"],
        "new_identity_key": identity_key,
        "new_ends_at": ends_at,
        "new_duration": duration,
        "new_progress": progress,
    }
    return (await conn.execute(_REFRESH, params)).scalar()


async def set_watching(
    conn: AsyncConnection,
    user_id: int,
    item: PlaybackItem,
    *,
    identity_key: str | None,
    started_at: int,
    now: int,
    ends_at: int,
    duration: int | None,
    progress: int | None,
) -> None:
    values = {
        **CLEARED,
        **_item_values(item),
        "identity_key": identity_key,
        "state": State.WATCHING.value,
        "started_at": started_at,
        "updated_at": now,
        "ends_at": ends_at,
        "duration": duration,
        "progress": progress,
    }
    await _write(conn, user_id, values)


async def set_checkin(
    conn: AsyncConnection,
    user_id: int,
    item: PlaybackItem,
    request: CheckinRequest,
    *,
    identity_key: str | None,
    now: int,
    ends_at: int,
    duration: int,
    message: str,
) -> None:
    values = {
        **CLEARED,
        **_item_values(item),
        "identity_key": identity_key,
        "state": State.CHECKIN.value,
        "started_at": now,
        "updated_at": now,
        "ends_at": ends_at,
        "duration": duration,
        "message": message,
        "venue_id": request.venue_id,
        "venue_name": request.venue_name,
        "share_facebook": request.share.facebook,
        "share_twitter": request.share.twitter,
        "share_tumblr": request.share.tumblr,
        "share_path": request.share.path,
    }
    await _write(conn, user_id, values)


async def clear_session(conn: AsyncConnection, user_id: int) -> None:
    """Back to idle; the row stays as the user's lock."""
    await _write(conn, user_id, CLEARED)
