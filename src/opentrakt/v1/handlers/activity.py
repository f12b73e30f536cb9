"""The activity feeds: whose events (community, one user, the caller's network) about what
(anything, or some movies, shows, seasons or episodes), with the positional ``types``,
``actions``, ``start_ts`` and ``end_ts`` filters and the ``min``/``images`` flags.

A user feed of someone the caller may not see answers HTTP 200 with ``"status":"error"``, as
traktr expects; every other feed simply leaves out what the caller may not see.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.accounts import service as accounts
from opentrakt.catalog.resolve import movie_ids_for_refs, show_ids_for_refs
from opentrakt.social import follows
from opentrakt.social.activity import ActivityFilter, ActivityScope, episode_scope, read_activity
from opentrakt.social.activity_refs import load_refs
from opentrakt.social.models import NetworkEntry
from opentrakt.social.visibility import can_view
from opentrakt.v1.call import V1Call
from opentrakt.v1.envelopes import V1Error
from opentrakt.v1.lookup import MOVIE_NOT_FOUND, SHOW_NOT_FOUND, item_number, timestamp, title_list
from opentrakt.v1.presenters.activity_item import FeedOptions, present_feed
from opentrakt.v1.registry import READ, Auth, v1_method

PROTECTED = "this user's activity is protected"
# The most titles, seasons or episode numbers one feed may name.
MAX_NAMES = 100

_WINDOW = ("actions", "start_ts", "end_ts")
_FEED = ("types", *_WINDOW)

Network = Callable[[AsyncConnection, int], Awaitable[list[NetworkEntry]]]


def _words(value: str | None) -> frozenset[str] | None:
    """A comma list (clients don't encode the commas); empty or ``all`` means no filter."""
    words = frozenset(w.strip().lower() for w in (value or "").split(",") if w.strip())
    return None if not words or "all" in words else words


def _filters(call: V1Call, *, types: bool) -> ActivityFilter:
    start, end = call.param("start_ts"), call.param("end_ts")
    return ActivityFilter(
        types=_words(call.param("types")) if types else None,
        actions=_words(call.param("actions")),
        start=timestamp(start) if start else None,
        end=timestamp(end) if end else None,
    )


def _flag(call: V1Call, name: str) -> bool:
    return call.query.get(name, "").strip().lower() in ("1", "true", "yes")


async def _feed(call: V1Call, scope: ActivityScope, *, types: bool = False) -> dict[str, Any]:
    filters = _filters(call, types=types)
    page = await read_activity(call.conn, call.user, scope, filters)
    refs = await load_refs(call.conn, page)
    options = FeedOptions(
        call.runtime.settings, call.now, minimal=_flag(call, "min"), images=_flag(call, "images")
    )
    return present_feed(page, refs, options, start=filters.start, end=filters.end)


async def _owner_ids(call: V1Call) -> list[int] | None:
    """``[owner id]`` for the user the path names, or None when the caller may not see them."""
    owner = await accounts.require_user(call.conn, call.require("username"))
    return [owner.id] if await can_view(call.conn, call.user, owner) else None


def _hidden() -> dict[str, Any]:
    return {"status": "error", "error": PROTECTED}


async def _network_feed(call: V1Call, network: Network, *, me: bool = False) -> dict[str, Any]:
    ids = [entry.user.id for entry in await network(call.conn, call.caller.id)]
    if me:
        ids.append(call.caller.id)
    return await _feed(call, ActivityScope(user_ids=ids), types=True)


async def _movie_ids(call: V1Call) -> list[int]:
    found = await movie_ids_for_refs(call.conn, title_list(call.require("title"), MAX_NAMES))
    if not found:
        raise V1Error(404, MOVIE_NOT_FOUND)
    return list(found.values())


async def _show_ids(call: V1Call) -> list[int]:
    found = await show_ids_for_refs(call.conn, title_list(call.require("title"), MAX_NAMES))
    if not found:
        raise V1Error(404, SHOW_NOT_FOUND)
    return list(found.values())


def _numbers(call: V1Call, name: str) -> list[int]:
    """A comma list of season or episode numbers; words that name no number are dropped."""
    numbers = [item_number(word) for word in title_list(call.require(name), MAX_NAMES)]
    return [n for n in numbers if n is not None]


async def _seasons_scope(call: V1Call, user_ids: list[int] | None, *, episodes: bool) -> ActivityScope:
    numbers = _numbers(call, "episode") if episodes else None
    return await episode_scope(
        call.conn, await _show_ids(call), _numbers(call, "season"), numbers, user_ids=user_ids
    )


# Whole community and the caller's network.


@v1_method("activity/community", verbs=READ, auth=Auth.OPTIONAL, optional=_FEED)
async def community(call: V1Call) -> dict[str, Any]:
    return await _feed(call, ActivityScope(), types=True)


@v1_method("activity/friends", verbs=READ, auth=Auth.REQUIRED, optional=_FEED)
async def friends(call: V1Call) -> dict[str, Any]:
    return await _network_feed(call, follows.friends)


@v1_method("activity/friendsme", verbs=READ, auth=Auth.REQUIRED, optional=_FEED, deprecated=True)
async def friends_and_me(call: V1Call) -> dict[str, Any]:
    return await _network_feed(call, follows.friends, me=True)


@v1_method("activity/following", verbs=READ, auth=Auth.REQUIRED, optional=_FEED, deprecated=True)
async def following(call: V1Call) -> dict[str, Any]:
    return await _network_feed(call, follows.following)


@v1_method("activity/followers", verbs=READ, auth=Auth.REQUIRED, optional=_FEED, deprecated=True)
async def followers(call: V1Call) -> dict[str, Any]:
    return await _network_feed(call, follows.followers)


# Items, everyone's activity on them.


@v1_method("activity/movies", verbs=READ, auth=Auth.OPTIONAL, required=("title",), optional=_WINDOW)
async def movies(call: V1Call) -> dict[str, Any]:
    return await _feed(call, ActivityScope(movie_ids=await _movie_ids(call)))


@v1_method("activity/shows", verbs=READ, auth=Auth.OPTIONAL, required=("title",), optional=_WINDOW)
async def shows(call: V1Call) -> dict[str, Any]:
    return await _feed(call, ActivityScope(show_ids=await _show_ids(call)))


@v1_method("activity/seasons", verbs=READ, auth=Auth.OPTIONAL, required=("title", "season"), optional=_WINDOW)
async def seasons(call: V1Call) -> dict[str, Any]:
    return await _feed(call, await _seasons_scope(call, None, episodes=False))


@v1_method(
    "activity/episodes",
    verbs=READ,
    auth=Auth.OPTIONAL,
    required=("title", "season", "episode"),
    optional=_WINDOW,
)
async def episodes(call: V1Call) -> dict[str, Any]:
    return await _feed(call, await _seasons_scope(call, None, episodes=True))


# One user, on anything or on some items.


@v1_method("activity/user", verbs=READ, auth=Auth.OPTIONAL, required=("username",), optional=_FEED)
async def user(call: V1Call) -> dict[str, Any]:
    ids = await _owner_ids(call)
    return _hidden() if ids is None else await _feed(call, ActivityScope(user_ids=ids), types=True)


@v1_method(
    "activity/user/movies", verbs=READ, auth=Auth.OPTIONAL, required=("username", "title"), optional=_WINDOW
)
async def user_movies(call: V1Call) -> dict[str, Any]:
    ids = await _owner_ids(call)
    if ids is None:
        return _hidden()
    return await _feed(call, ActivityScope(user_ids=ids, movie_ids=await _movie_ids(call)))


@v1_method(
    "activity/user/shows", verbs=READ, auth=Auth.OPTIONAL, required=("username", "title"), optional=_WINDOW
)
async def user_shows(call: V1Call) -> dict[str, Any]:
    ids = await _owner_ids(call)
    if ids is None:
        return _hidden()
    return await _feed(call, ActivityScope(user_ids=ids, show_ids=await _show_ids(call)))


@v1_method(
    "activity/user/seasons",
    verbs=READ,
    auth=Auth.OPTIONAL,
    required=("username", "title", "season"),
    optional=_WINDOW,
)
async def user_seasons(call: V1Call) -> dict[str, Any]:
    ids = await _owner_ids(call)
    if ids is None:
        return _hidden()
    return await _feed(call, await _seasons_scope(call, ids, episodes=False))


@v1_method(
    "activity/user/episodes",
    verbs=READ,
    auth=Auth.OPTIONAL,
    required=("username", "title", "season", "episode"),
    optional=_WINDOW,
)
async def user_episodes(call: V1Call) -> dict[str, Any]:
    ids = await _owner_ids(call)
    if ids is None:
        return _hidden()
    return await _feed(call, await _seasons_scope(call, ids, episodes=True))
