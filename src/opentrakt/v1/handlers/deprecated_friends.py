"""The deprecated friends methods, answered from the follow model, and the loved/hated lists,
answered from ratings.

* friends = mutual follows; a friend request = a pending follow request. ``friends/add``
  follows (a request when the other user is protected), ``friends/approve`` approves *and*
  follows back, since an approved friendship went both ways; ``friends/delete`` unfollows.
  The other user is named by ``friend`` in the body (``network/*`` says ``user``).
* ``user/friends`` lists a user's friends with what they are watching and watched last.
* ``user/library/{movies,shows}/{loved,hated}`` are ``user/ratings/*`` split at 5/6, as plain
  movie and show objects.
"""

from __future__ import annotations

from typing import Any

from opentrakt.catalog.queries import episodes_by_ids, movies_by_ids, shows_by_ids
from opentrakt.playback import queries as playback
from opentrakt.ratings import service as ratings
from opentrakt.ratings.models import HATED, LOVED, RatingRange
from opentrakt.social import follows
from opentrakt.social.recent_plays import RecentPlay, recent_plays
from opentrakt.social.visibility import visible_user_ids
from opentrakt.v1.call import V1Call
from opentrakt.v1.envelopes import success
from opentrakt.v1.handlers.network import (
    approve_request,
    follow_message,
    named_user,
    request_list,
    unfollow_message,
)
from opentrakt.v1.handlers.user_network import network_listing
from opentrakt.v1.owner import list_level, visible_owner
from opentrakt.v1.presenters.friends import PlayedItems, present_friend
from opentrakt.v1.presenters.movie import present_movie
from opentrakt.v1.presenters.show import present_show
from opentrakt.v1.registry import READ, WRITE, Auth, v1_method

# How many recent plays each friend shows (and, with ``extended``, of each kind).
WATCHED_LIMIT = 10


@v1_method("friends/add", verbs=WRITE, auth=Auth.REQUIRED, deprecated=True)
async def add(call: V1Call) -> dict[str, Any]:
    target = await named_user(call, "friend")
    return success(follow_message(await follows.follow(call.conn, call.caller, target, call.now)))


@v1_method("friends/all", verbs=WRITE, auth=Auth.REQUIRED, deprecated=True)
async def all_friends(call: V1Call) -> list[dict[str, Any]]:
    return await network_listing(call, call.caller, follows.friends, key="approved")


@v1_method("friends/approve", verbs=WRITE, auth=Auth.REQUIRED, deprecated=True)
async def approve(call: V1Call) -> dict[str, Any]:
    friend = await named_user(call, "friend")
    return success(await approve_request(call, friend, follow_back=True))


@v1_method("friends/delete", verbs=WRITE, auth=Auth.REQUIRED, deprecated=True)
async def delete(call: V1Call) -> dict[str, Any]:
    friend = await named_user(call, "friend")
    return success(unfollow_message(friend, await follows.unfollow(call.conn, call.caller, friend)))


@v1_method("friends/deny", verbs=WRITE, auth=Auth.REQUIRED, deprecated=True)
async def deny(call: V1Call) -> dict[str, Any]:
    friend = await named_user(call, "friend")
    await follows.deny(call.conn, call.caller, friend)
    return success(f"denied {friend.username}")


@v1_method("friends/requests", verbs=WRITE, auth=Auth.REQUIRED, deprecated=True)
async def requests(call: V1Call) -> list[dict[str, Any]]:
    return await request_list(call)


@v1_method(
    "user/friends",
    verbs=READ,
    auth=Auth.OPTIONAL,
    required=("username",),
    optional=("extended",),
    deprecated=True,
)
async def user_friends(call: V1Call) -> list[dict[str, Any]]:
    owner = await visible_owner(call)
    if owner is None:
        return []
    entries = await follows.friends(call.conn, owner.id)
    visible = await visible_user_ids(call.conn, call.user, [e.user.id for e in entries])
    shown = [e.user.id for e in entries if e.user.id in visible]
    plays = await recent_plays(call.conn, shown, WATCHED_LIMIT)
    items = await _played_items(call, [p for user_plays in plays.values() for p in user_plays])
    # One read per visible friend; friend lists are short and the read is a primary-key hit.
    watching = {user_id: await playback.now_playing(call.conn, user_id, call.now) for user_id in shown}
    extended = (call.param("extended") or "").strip().lower() == "extended"
    return [
        present_friend(
            entry.user,
            call.runtime.settings,
            visible=entry.user.id in visible,
            watching=watching.get(entry.user.id),
            plays=plays.get(entry.user.id, []),
            items=items,
            limit=WATCHED_LIMIT,
            extended=extended,
        )
        for entry in entries
    ]


async def _played_items(call: V1Call, plays: list[RecentPlay]) -> PlayedItems:
    movies = await movies_by_ids(call.conn, [p.movie_id for p in plays if p.movie_id is not None])
    episodes = await episodes_by_ids(call.conn, [p.episode_id for p in plays if p.episode_id is not None])
    shows = await shows_by_ids(call.conn, [e.show_id for e in episodes.values()])
    return PlayedItems(movies=movies, shows=shows, episodes=episodes)


async def _rated_movies(call: V1Call, within: RatingRange) -> list[dict[str, Any]]:
    owner = await visible_owner(call)
    if owner is None:
        return []
    listing = await ratings.list_ratings(call.conn, owner.id, "movie", within)
    movies = await movies_by_ids(call.conn, [r.item_id for r in listing])
    level, settings = list_level(call.param("extended")), call.runtime.settings
    return [present_movie(movies[r.item_id], settings, level) for r in listing if r.item_id in movies]


async def _rated_shows(call: V1Call, within: RatingRange) -> list[dict[str, Any]]:
    owner = await visible_owner(call)
    if owner is None:
        return []
    listing = await ratings.list_ratings(call.conn, owner.id, "show", within)
    shows = await shows_by_ids(call.conn, [r.item_id for r in listing])
    level, settings = list_level(call.param("extended")), call.runtime.settings
    return [present_show(shows[r.item_id], settings, level) for r in listing if r.item_id in shows]


_LIBRARY = {"verbs": READ, "auth": Auth.OPTIONAL, "required": ("username",), "optional": ("extended",)}


@v1_method("user/library/movies/loved", deprecated=True, **_LIBRARY)
async def loved_movies(call: V1Call) -> list[dict[str, Any]]:
    return await _rated_movies(call, LOVED)


@v1_method("user/library/movies/hated", deprecated=True, **_LIBRARY)
async def hated_movies(call: V1Call) -> list[dict[str, Any]]:
    return await _rated_movies(call, HATED)


@v1_method("user/library/shows/loved", deprecated=True, **_LIBRARY)
async def loved_shows(call: V1Call) -> list[dict[str, Any]]:
    return await _rated_shows(call, LOVED)


@v1_method("user/library/shows/hated", deprecated=True, **_LIBRARY)
async def hated_shows(call: V1Call) -> list[dict[str, Any]]:
    return await _rated_shows(call, HATED)
