"""Where playback meets the play history and the activity stream."""

from __future__ import annotations

from sqlalchemy import bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.db.tables.tracking import episode_plays, movie_plays
from opentrakt.playback.models import MovieItem, PlaybackItem, Session
from opentrakt.social import events
from opentrakt.tracking.episodes import record_episode_play
from opentrakt.tracking.movies import record_movie_play

SCROBBLE = "scrobble"
CHECKIN = "checkin"


_LAST_MOVIE_PLAY = select(func.max(movie_plays.c.watched_at)).where(
    movie_plays.c.user_id == bindparam("user_id"), movie_plays.c.movie_id == bindparam("movie_id")
)
_LAST_EPISODE_PLAY = select(func.max(episode_plays.c.watched_at)).where(
    episode_plays.c.user_id == bindparam("user_id"),
    episode_plays.c.show_id == bindparam("show_id"),
    episode_plays.c.episode_id == bindparam("episode_id"),
)


async def last_played_at(conn: AsyncConnection, user_id: int, item: PlaybackItem) -> int | None:
    """When the user last played ``item`` (any way it was recorded), or None."""
    if isinstance(item, MovieItem):
        return await conn.scalar(_LAST_MOVIE_PLAY, {"user_id": user_id, "movie_id": item.movie.id})
    params = {"user_id": user_id, "show_id": item.show.id, "episode_id": item.episode.id}
    return await conn.scalar(_LAST_EPISODE_PLAY, params)


async def record_play(
    conn: AsyncConnection, user_id: int, item: PlaybackItem, *, watched_at: int, action: str
) -> None:
    if isinstance(item, MovieItem):
        await record_movie_play(conn, user_id, item.movie.id, watched_at, action)
    else:
        await record_episode_play(conn, user_id, item.episode.id, watched_at, action)


async def record_checkin_play(conn: AsyncConnection, session: Session) -> None:
    """The play a completed check-in owes, dated when the check-in ended."""
    assert session.ends_at is not None
    if session.movie_id is not None:
        await record_movie_play(conn, session.user_id, session.movie_id, session.ends_at, CHECKIN)
    elif session.episode_id is not None:
        await record_episode_play(conn, session.user_id, session.episode_id, session.ends_at, CHECKIN)


async def record_watching_event(conn: AsyncConnection, user_id: int, item: PlaybackItem, now: int) -> None:
    """The ``watching`` activity: the user started watching (a scrobble start or a check-in)."""
    if isinstance(item, MovieItem):
        event = events.ActivityEvent(
            user_id=user_id,
            created_at=now,
            action=events.WATCHING,
            item_type=events.MOVIE,
            movie_id=item.movie.id,
        )
    else:
        event = events.ActivityEvent(
            user_id=user_id,
            created_at=now,
            action=events.WATCHING,
            item_type=events.EPISODE,
            show_id=item.show.id,
            episode_id=item.episode.id,
            payload={"episode_ids": [item.episode.id]},
        )
    await events.record_events(conn, [event])
