"""When each kind of a user's activity last changed: the per-user summary behind lastactivity.

One row per user, one column per (item kind, action). Every write moves the timestamps of
what it changed, for an action and for its undo alike, so a client that polls the summary
re-syncs exactly the sections that moved. ``watched`` moves with ``scrobble``, ``checkin``
and ``seen`` (and with unseen, which moves ``seen`` too). Timestamps only ever move forward,
so a write stamped by a server whose clock lags cannot hide a newer change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.db.sql import greatest, insert
from opentrakt.db.tables.tracking import LAST_ACTIVITY_KEYS, user_last_activity
from opentrakt.errors import Invalid

ActivityKey = tuple[str, str]  # (item kind, action), e.g. ("movie", "seen")


@dataclass(frozen=True, slots=True)
class LastActivity:
    """Per kind, action → Unix seconds of the last change; 0 = never."""

    all: int
    movie: dict[str, int]
    show: dict[str, int]
    episode: dict[str, int]


def _column(key: ActivityKey) -> str:
    kind, action = key
    if action not in LAST_ACTIVITY_KEYS.get(kind, ()):
        raise Invalid(f"no last-activity entry for {kind} {action}")
    return f"{kind}_{action}"


async def touch_last_activity(
    conn: AsyncConnection, user_id: int, keys: Iterable[ActivityKey], now: int
) -> None:
    """Move the timestamps named by ``keys`` to ``now`` (one upsert; nothing if ``keys`` is empty)."""
    columns = sorted({_column(key) for key in keys})
    if not columns:
        return
    statement = insert(conn, user_last_activity).values(user_id=user_id, **dict.fromkeys(columns, now))
    statement = statement.on_conflict_do_update(
        index_elements=[user_last_activity.c.user_id],
        set_={name: greatest(conn, user_last_activity.c[name], statement.excluded[name]) for name in columns},
    )
    await conn.execute(statement)


async def last_activity(conn: AsyncConnection, user_id: int) -> LastActivity:
    """The user's summary; a user who never did anything gets zeros everywhere."""
    row = (
        await conn.execute(select(user_last_activity).where(user_last_activity.c.user_id == user_id))
    ).first()
    values = row._mapping if row is not None else {}
    maps = {
        kind: {action: int(values.get(f"{kind}_{action}", 0)) for action in actions}
        for kind, actions in LAST_ACTIVITY_KEYS.items()
    }
    newest = max((value for per_kind in maps.values() for value in per_kind.values()), default=0)
    return LastActivity(all=newest, movie=maps["movie"], show=maps["show"], episode=maps["episode"])
