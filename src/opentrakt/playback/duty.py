"""The background duty: check-ins whose time is up become plays, lapsed watching states go idle.

Every server process runs it, on any number of instances sharing one database. A pass claims
rows with ``SELECT … FOR UPDATE SKIP LOCKED`` (PostgreSQL), so two duties never take the same
row, and a row a request holds is left for that request (which completes a due check-in
itself). A claimed check-in is written idle in the same transaction as its play, so a later
pass, here or on another instance, no longer finds it: each check-in becomes exactly one play.
On SQLite the write transaction (BEGIN IMMEDIATE) does the same job.
"""

from __future__ import annotations

import logging

from sqlalchemy import ColumnElement, and_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from opentrakt.db.engine import write_connection
from opentrakt.db.tables.playback import STATE_CHECKIN, STATE_WATCHING
from opentrakt.db.tables.playback import playback_sessions as sessions
from opentrakt.duty import Duty
from opentrakt.errors import DomainError
from opentrakt.playback.models import Session
from opentrakt.playback.plays import record_checkin_play
from opentrakt.playback.sessions import CLEARED, session_from_row

log = logging.getLogger("opentrakt.duty")

BATCH = 200


def _due(state: str, now: int) -> ColumnElement[bool]:
    return and_(sessions.c.state == state, sessions.c.ends_at <= now)


async def _any_due(engine: AsyncEngine, state: str, now: int) -> bool:
    """A cheap read first, so an idle server takes no write lock (SQLite) on every pass."""
    async with engine.connect() as conn:
        query = select(sessions.c.user_id).where(_due(state, now)).limit(1)
        return (await conn.execute(query)).first() is not None


async def _complete(conn: AsyncConnection, session: Session) -> None:
    """Record one check-in's play; a check-in that cannot become one is dropped rather than
    retried on every pass, where it would hold up the others of its batch."""
    try:
        async with conn.begin_nested():
            await record_checkin_play(conn, session)
    except (DomainError, IntegrityError):
        log.exception("dropping the check-in of user %d: its play could not be recorded", session.user_id)


async def run_due_checkins(engine: AsyncEngine, now: int, *, batch: int = BATCH) -> int:
    """Turn every check-in that ended by ``now`` into a play at its end; the number completed."""
    completed = 0
    while await _any_due(engine, STATE_CHECKIN, now):
        async with engine.connect() as conn:
            conn = await write_connection(conn)
            async with conn.begin():
                claim = (
                    select(sessions)
                    .where(_due(STATE_CHECKIN, now))
                    .order_by(sessions.c.ends_at)
                    .limit(batch)
                    .with_for_update(skip_locked=True)
                )
                claimed = [session_from_row(row) for row in await conn.execute(claim)]
                for session in claimed:
                    await _complete(conn, session)
                if claimed:
                    ids = [session.user_id for session in claimed]
                    await conn.execute(update(sessions).where(sessions.c.user_id.in_(ids)).values(**CLEARED))
        completed += len(claimed)
        if len(claimed) < batch:
            # The rest, if any, are held by requests or other duties, which complete them.
            break
    return completed


async def expire_watching(engine: AsyncEngine, now: int, *, batch: int = 1000) -> int:
    """Reset lapsed watching states to idle (reads already ignore them); the number reset."""
    if not await _any_due(engine, STATE_WATCHING, now):
        return 0
    async with engine.connect() as conn:
        conn = await write_connection(conn)
        async with conn.begin():
            lapsed = (
                select(sessions.c.user_id)
                .where(_due(STATE_WATCHING, now))
                .limit(batch)
                .with_for_update(skip_locked=True)
                .scalar_subquery()
            )
            result = await conn.execute(
                update(sessions)
                .where(sessions.c.user_id.in_(lapsed), sessions.c.state == STATE_WATCHING)
                .values(**CLEARED)
            )
    return result.rowcount or 0


class PlaybackDuty(Duty):
    """Completes due check-ins and ends lapsed watching states."""

    name = "playback-duty"

    async def run_once(self) -> None:
        now = self.runtime.clock.now()
        engine = self.runtime.engine
        completed = await run_due_checkins(engine, now)
        expired = await expire_watching(engine, now)
        if completed or expired:
            log.debug("completed %d check-ins, expired %d watching states", completed, expired)
