"""Reading the activity stream: the newest events that a viewer may see, narrowed by scope
(whose events, about which items) and by the v1 filters (types, actions, time window).

The v1 ``type`` of an event follows from what it names (see ``events``):

* an event on a list (``created``, ``item_added``) is a ``list`` event;
* a whole-show or whole-season ``seen``/``collection`` covers episodes, so it is an
  ``episode`` event, as are single and bulk episode events;
* other show events (rating, watchlist, comments) are ``show`` events; movies are ``movie``.

Undo events (``unseen``, ``uncollection``, ``unwatchlist``) have no v1 name and never appear.
Visibility is part of the query, so the 100-item cap counts only what the viewer may see: a
protected user's events reach that user and their friends, and list events also follow their
list's privacy.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import ColumnElement, Select, and_, exists, false, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.accounts.models import User
from opentrakt.db.tables.accounts import users
from opentrakt.db.tables.catalog import episodes
from opentrakt.db.tables.lists import custom_lists
from opentrakt.db.tables.network import follows
from opentrakt.db.tables.social import activity_events as ev
from opentrakt.social import events
from opentrakt.social.visibility import visible_to

# Every feed answers at most this many items.
PAGE_SIZE = 100

FEED_ACTIONS = (
    events.WATCHING,
    events.SCROBBLE,
    events.CHECKIN,
    events.SEEN,
    events.COLLECTION,
    events.RATING,
    events.WATCHLIST,
    events.SHOUT,
    events.REVIEW,
    events.CREATED,
    events.ITEM_ADDED,
)
FEED_TYPES = ("episode", "show", "movie", "list")

# Whole-show and whole-season writes of these actions change episodes.
_EPISODE_BULK_ACTIONS = (events.SEEN, events.COLLECTION)
# Item-scoped feeds read events in pages this size while bulk events need a closer look.
_SCAN_PAGE = 4 * PAGE_SIZE


@dataclass(frozen=True, slots=True)
class ActivityFilter:
    """The v1 filters; None means all (types and actions) or unbounded (start and end)."""

    types: frozenset[str] | None = None
    actions: frozenset[str] | None = None
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True, slots=True)
class ActivityScope:
    """Whose events and about what. Unset parts do not narrow; ``user_ids`` empty means nobody.

    ``episode_ids`` (with the ``seasons`` they belong to) narrows show events to events on
    those episodes: single and bulk episode events naming one of them, season events of those
    seasons, and whole-show ``seen``/``collection`` events, which cover every episode.
    """

    user_ids: Collection[int] | None = None
    movie_ids: Collection[int] | None = None
    show_ids: Collection[int] | None = None
    seasons: Collection[int] | None = None
    episode_ids: Collection[int] | None = None


@dataclass(frozen=True, slots=True)
class Activity:
    """One event as feeds show it; ``episode_ids`` lists what a bulk episode event named."""

    id: int
    user_id: int
    created_at: int
    action: str
    type: str
    item_type: str
    movie_id: int | None
    show_id: int | None
    episode_id: int | None
    season: int | None
    list_id: int | None
    payload: dict[str, Any] = field(default_factory=dict)

    @property
    def episode_ids(self) -> list[int]:
        listed = self.payload.get("episode_ids")
        if isinstance(listed, list):
            return [int(i) for i in listed]
        return [self.episode_id] if self.episode_id is not None else []


def feed_type(action: str, item_type: str, list_id: int | None) -> str:
    """The v1 ``type`` of an event (see the module docstring)."""
    if list_id is not None or item_type == events.LIST:
        return "list"
    if item_type == events.SEASON or (item_type == events.SHOW and action in _EPISODE_BULK_ACTIONS):
        return "episode"
    return item_type


async def read_activity(
    conn: AsyncConnection, viewer: User | None, scope: ActivityScope, filters: ActivityFilter
) -> list[Activity]:
    """The newest ``PAGE_SIZE`` events in scope that pass the filters and ``viewer`` may see,
    newest first (ties: the later-written first)."""
    if scope.user_ids is not None and not scope.user_ids:
        return []
    query = (
        select(ev)
        .join(users, users.c.id == ev.c.user_id)
        .where(visible_to(viewer), _lists_visible(viewer), *_filters(filters), *_scope(scope))
        .order_by(ev.c.created_at.desc(), ev.c.id.desc())
    )
    if scope.episode_ids is None:
        rows = await conn.execute(query.limit(PAGE_SIZE))
        return [_activity(row) for row in rows]
    return await _scan(conn, query, scope)


async def _scan(conn: AsyncConnection, query: Select[Any], scope: ActivityScope) -> list[Activity]:
    """Episode scopes: bulk episode events list their episodes in the payload, which SQL cannot
    match portably, so candidates are read page by page (keyset, newest first) and checked here."""
    found: list[Activity] = []
    page = query
    while len(found) < PAGE_SIZE:
        rows = (await conn.execute(page.limit(_SCAN_PAGE))).all()
        found.extend(a for a in map(_activity, rows) if _in_episode_scope(a, scope))
        if len(rows) < _SCAN_PAGE:
            break
        last = rows[-1]
        page = query.where(
            or_(
                ev.c.created_at < last.created_at, and_(ev.c.created_at == last.created_at, ev.c.id < last.id)
            )
        )
    return found[:PAGE_SIZE]


def _in_episode_scope(activity: Activity, scope: ActivityScope) -> bool:
    if activity.item_type == events.EPISODE:
        return bool(set(scope.episode_ids or ()).intersection(activity.episode_ids))
    return True  # whole-show and season events were matched in SQL


def _activity(row: Any) -> Activity:
    payload = orjson.loads(row.payload) if row.payload else {}
    return Activity(
        id=row.id,
        user_id=row.user_id,
        created_at=row.created_at,
        action=row.action,
        type=feed_type(row.action, row.item_type, row.list_id),
        item_type=row.item_type,
        movie_id=row.movie_id,
        show_id=row.show_id,
        episode_id=row.episode_id,
        season=row.season,
        list_id=row.list_id,
        payload=payload if isinstance(payload, dict) else {},
    )


def _type_condition(kind: str) -> ColumnElement[bool]:
    not_list = ev.c.list_id.is_(None)
    if kind == "list":
        return ev.c.list_id.is_not(None)
    if kind == "movie":
        return and_(not_list, ev.c.item_type == events.MOVIE)
    bulk_show = and_(ev.c.item_type == events.SHOW, ev.c.action.in_(_EPISODE_BULK_ACTIONS))
    if kind == "episode":
        return and_(not_list, or_(ev.c.item_type.in_((events.EPISODE, events.SEASON)), bulk_show))
    return and_(not_list, ev.c.item_type == events.SHOW, ~ev.c.action.in_(_EPISODE_BULK_ACTIONS))


def _filters(filters: ActivityFilter) -> list[ColumnElement[bool]]:
    actions = [a for a in FEED_ACTIONS if filters.actions is None or a in filters.actions]
    conditions = [ev.c.action.in_(actions) if actions else false()]
    if filters.types is not None:
        kinds = [_type_condition(kind) for kind in FEED_TYPES if kind in filters.types]
        conditions.append(or_(*kinds) if kinds else false())
    if filters.start is not None:
        conditions.append(ev.c.created_at >= filters.start)
    if filters.end is not None:
        conditions.append(ev.c.created_at <= filters.end)
    return conditions


def _scope(scope: ActivityScope) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if scope.user_ids is not None:
        conditions.append(ev.c.user_id.in_(list(scope.user_ids)))
    if scope.movie_ids is not None:
        conditions.append(ev.c.movie_id.in_(list(scope.movie_ids)))
    if scope.show_ids is not None:
        conditions.append(ev.c.show_id.in_(list(scope.show_ids)))
    if scope.episode_ids is not None:
        # A bulk event names its episodes in the payload; _scan checks those.
        conditions.append(
            or_(
                and_(ev.c.item_type == events.SHOW, ev.c.action.in_(_EPISODE_BULK_ACTIONS)),
                and_(ev.c.item_type == events.SEASON, ev.c.season.in_(list(scope.seasons or ()))),
                ev.c.item_type == events.EPISODE,
            )
        )
    return conditions


def _lists_visible(viewer: User | None) -> ColumnElement[bool]:
    """List events follow their list's privacy; events of deleted lists are dropped."""
    readable = custom_lists.c.privacy == "public"
    if viewer is not None:
        friend = and_(
            custom_lists.c.privacy == "friends",
            _approved(viewer.id, ev.c.user_id),
            _approved(ev.c.user_id, viewer.id),
        )
        readable = or_(readable, ev.c.user_id == viewer.id, friend)
    list_ok = exists().where(custom_lists.c.id == ev.c.list_id, readable)
    return or_(ev.c.list_id.is_(None), list_ok)


def _approved(follower: Any, followed: Any) -> ColumnElement[bool]:
    return exists().where(
        follows.c.follower_id == follower,
        follows.c.followed_id == followed,
        follows.c.approved_at.is_not(None),
    )


async def episode_scope(
    conn: AsyncConnection,
    show_ids: Collection[int],
    seasons: Collection[int],
    numbers: Collection[int] | None = None,
    *,
    user_ids: Collection[int] | None = None,
) -> ActivityScope:
    """The scope of some seasons (or of some episodes of them) of some shows."""
    query = select(episodes.c.id).where(
        episodes.c.show_id.in_(list(show_ids)), episodes.c.season.in_(list(seasons))
    )
    if numbers is not None:
        query = query.where(episodes.c.number.in_(list(numbers)))
    found = list((await conn.execute(query)).scalars())
    return ActivityScope(
        user_ids=user_ids,
        show_ids=show_ids,
        seasons=seasons,
        episode_ids=found,
    )
