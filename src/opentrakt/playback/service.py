"""Watching, scrobbling and checking in: the playback writes.

Every write first locks the user's playback row (``lock_session``), so one user's writes run
one after another on every backend and across server instances; that is what makes the
duplicate-scrobble and one-check-in rules hold under concurrency. (A ping that only extends
the viewing under way is one UPDATE, which takes the same row lock itself.) A check-in whose time is up
is completed by whichever comes first, the next write of its user or the background duty;
both hold the row lock, so it becomes exactly one play.

Watching and checking in exclude each other. The newer wins: a check-in replaces a watching
state, and a watching ping or a scrobble (reports of real playback) replaces a check-in,
which then records no play of its own.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.accounts import service as accounts
from opentrakt.errors import Conflict
from opentrakt.playback import plays, rules
from opentrakt.playback.errors import CheckinInProgress
from opentrakt.playback.models import (
    NOT_SHARED,
    CheckedIn,
    CheckinRequest,
    PlaybackItem,
    Scrobbled,
    Session,
    State,
    Watching,
)
from opentrakt.playback.sessions import (
    clear_session,
    lock_session,
    refresh_watching,
    set_checkin,
    set_watching,
)


async def lock(conn: AsyncConnection, user_id: int) -> Session:
    """Take the user's playback lock now, for the rest of the transaction; the user's session.

    Callers that resolve (and may add to the catalogue) the item a client named do this first,
    then hand the session to the write as ``locked``: two concurrent requests of one user naming
    an unknown item run one after the other, and the second finds the item the first added
    instead of racing it.
    """
    return await lock_session(conn, user_id)


async def _locked(conn: AsyncConnection, user_id: int, locked: Session | None, now: int) -> Session:
    """The user's session under lock (``locked`` if the caller took it), due check-in settled."""
    return await settle(conn, locked or await lock_session(conn, user_id), now)


async def settle(conn: AsyncConnection, session: Session, now: int) -> Session:
    """Complete a locked session's check-in if its time is up; the session as it now stands."""
    if not session.is_due_checkin(now):
        return session
    await plays.record_checkin_play(conn, session)
    await clear_session(conn, session.user_id)
    return Session(user_id=session.user_id, state=State.IDLE)


async def watch(
    conn: AsyncConnection,
    user_id: int,
    item: PlaybackItem,
    *,
    duration: int | None,
    progress: int | None,
    now: int,
    identity_key: str | None = None,
    locked: Session | None = None,
) -> Watching:
    """Start or refresh watching ``item``; ``duration`` in minutes, ``progress`` in percent.

    ``identity_key`` (see ``items.identity_key``) records how the client named the item, so that
    its next ping can be recognised without resolving the item again. ``locked`` is the session
    ``lock`` returned, when the caller took the lock first (see ``lock``).
    """
    progress = None if progress is None else rules.clamp_progress(progress)
    ends_at = rules.watching_ends_at(now, duration or item.runtime, progress)
    if locked is None:
        # Most pings refresh the viewing under way: one statement.
        started_at = await refresh_watching(
            conn,
            user_id,
            item,
            identity_key=identity_key,
            now=now,
            ends_at=ends_at,
            duration=duration,
            progress=progress,
        )
        if started_at is not None:
            return Watching(item=item, started_at=started_at, ends_at=ends_at)
    session = await _locked(conn, user_id, locked, now)
    continuing = session.state is State.WATCHING and session.is_active(now) and session.is_about(item)
    started_at = session.started_at if continuing and session.started_at is not None else now
    await set_watching(
        conn,
        user_id,
        item,
        identity_key=identity_key,
        started_at=started_at,
        now=now,
        ends_at=ends_at,
        duration=duration,
        progress=progress,
    )
    if not continuing:
        await plays.record_watching_event(conn, user_id, item, now)
    return Watching(item=item, started_at=started_at, ends_at=ends_at)


async def scrobble(
    conn: AsyncConnection,
    user_id: int,
    item: PlaybackItem,
    *,
    duration: int | None,
    now: int,
    locked: Session | None = None,
) -> Scrobbled:
    """Record one play of ``item`` now and end the user's watching state (or check-in).

    Raises ``Conflict`` when the user already played ``item`` within its runtime.
    """
    session = await _locked(conn, user_id, locked, now)
    last = await plays.last_played_at(conn, user_id, item)
    if last is not None and now - last < rules.duplicate_window(item, duration):
        raise Conflict(f"scrobbled {item.label} already")
    await plays.record_play(conn, user_id, item, watched_at=now, action=plays.SCROBBLE)
    if session.state is not State.IDLE:
        await clear_session(conn, user_id)
    return Scrobbled(item=item, watched_at=now)


async def cancel_watching(conn: AsyncConnection, user_id: int, now: int) -> bool:
    """End the user's watching state; False when there was none to end."""
    session = await _locked(conn, user_id, None, now)
    if session.state is not State.WATCHING:
        return False
    await clear_session(conn, user_id)
    return session.is_active(now)


async def check_in(
    conn: AsyncConnection,
    user_id: int,
    item: PlaybackItem,
    request: CheckinRequest,
    *,
    now: int,
    identity_key: str | None = None,
    locked: Session | None = None,
) -> CheckedIn:
    """Check the user in to ``item`` until its duration has passed, when it becomes a play.

    Raises ``CheckinInProgress`` while another check-in is active.
    """
    session = await _locked(conn, user_id, locked, now)
    if session.state is State.CHECKIN and session.ends_at is not None:
        raise CheckinInProgress(wait=session.ends_at - now)
    minutes = rules.checkin_minutes(item, request.duration)
    template = ""
    if not (request.message and request.message.strip()):
        template = (await accounts.get_settings(conn, user_id)).sharing_text_watching
    message = rules.checkin_message(request.message, template, item)
    ends_at = now + minutes * 60
    await set_checkin(
        conn,
        user_id,
        item,
        request,
        identity_key=identity_key,
        now=now,
        ends_at=ends_at,
        duration=minutes,
        message=message,
    )
    await plays.record_watching_event(conn, user_id, item, now)
    return CheckedIn(item=item, started_at=now, ends_at=ends_at, message=message, shared=NOT_SHARED)


async def cancel_checkin(conn: AsyncConnection, user_id: int, now: int) -> bool:
    """End the user's active check-in without a play; False when there was none."""
    session = await _locked(conn, user_id, None, now)
    if session.state is not State.CHECKIN:
        return False
    await clear_session(conn, user_id)
    return True
