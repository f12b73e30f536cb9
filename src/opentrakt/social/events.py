"""Writing the activity stream: one append-only row per thing a user did.

Actions (``activity_events.action``). The first group are the v1 activity actions; feeds show
them. The undo actions record that something was taken back; v1 has no name for them, so
feeds leave them out, but they keep the stream a complete history for other readers.

========================  =========================================================
``watching``              started watching (scrobble start or check-in)
``scrobble``              a play recorded by a scrobble
``checkin``               a play recorded by a completed check-in
``seen``                  plays recorded by hand or by a media-centre sync
``collection``            added to the collection (library)
``watchlist``             added to the watchlist
``rating``                rated
``shout`` / ``review``    commented
``created``               created a list
``item_added``            added an item to a list
``unseen``                plays removed and the item marked unseen
``uncollection``          removed from the collection
``unwatchlist``           removed from the watchlist
========================  =========================================================

Item types (``item_type``): ``movie``, ``show``, ``season``, ``episode``, ``list``.

What an event names:

* a movie: ``movie_id``;
* some episodes of one show, written by one request: ``show_id``, plus ``episode_id`` when it
  is a single episode, and the payload ``{"episode_ids": [...]}`` listing them all, so a
  10,000-episode sync is one event rather than 10,000;
* a whole show (``show/seen``, ``show/library``, ``show/unlibrary``): ``item_type`` ``show``
  and the payload ``{"episodes": n}``, the number of episodes it changed;
* a whole season: ``item_type`` ``season``, ``show_id``, ``season`` and ``{"episodes": n}``.

A ``seen`` movie event carries ``{"watched_at": t, "plays": n}``: a synced play can be far
older than the event itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.db.tables.social import activity_events

WATCHING = "watching"
SCROBBLE = "scrobble"
CHECKIN = "checkin"
SEEN = "seen"
COLLECTION = "collection"
WATCHLIST = "watchlist"
RATING = "rating"
SHOUT = "shout"
REVIEW = "review"
CREATED = "created"
ITEM_ADDED = "item_added"
UNSEEN = "unseen"
UNCOLLECTION = "uncollection"
UNWATCHLIST = "unwatchlist"

UNDO_ACTIONS = frozenset({UNSEEN, UNCOLLECTION, UNWATCHLIST})

MOVIE = "movie"
SHOW = "show"
SEASON = "season"
EPISODE = "episode"
LIST = "list"


@dataclass(frozen=True, slots=True)
class ActivityEvent:
    """One row of the activity stream, before it is written."""

    user_id: int
    created_at: int
    action: str
    item_type: str
    movie_id: int | None = None
    show_id: int | None = None
    episode_id: int | None = None
    season: int | None = None
    list_id: int | None = None
    payload: Mapping[str, Any] | None = None


def _row(event: ActivityEvent) -> dict[str, Any]:
    return {
        "user_id": event.user_id,
        "created_at": event.created_at,
        "action": event.action,
        "item_type": event.item_type,
        "movie_id": event.movie_id,
        "show_id": event.show_id,
        "episode_id": event.episode_id,
        "season": event.season,
        "list_id": event.list_id,
        "payload": orjson.dumps(event.payload).decode() if event.payload is not None else None,
    }


async def record_events(conn: AsyncConnection, events: Iterable[ActivityEvent]) -> None:
    """Append ``events`` in one batched statement (nothing at all when there are none)."""
    rows = [_row(event) for event in events]
    if rows:
        await conn.execute(insert(activity_events), rows)
