"""The deprecated user/watched, user/watched/episodes and user/watched/movies: a user's last
100 plays (of either kind, or one kind), newest first, as watch items.

They predate ``activity/user`` and read the plays themselves, so every way a play was recorded
(scrobble, check-in, seen) is listed with its own time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from opentrakt.catalog.queries import episodes_by_ids, movies_by_ids, shows_by_ids
from opentrakt.social.recent_plays import RecentPlay, recent_plays
from opentrakt.v1.call import V1Call
from opentrakt.v1.owner import visible_owner
from opentrakt.v1.presenters.friends import PlayedItems, present_history_item
from opentrakt.v1.registry import READ, Auth, v1_method

WATCHED_LIMIT = 100

_WATCHED = {"verbs": READ, "auth": Auth.OPTIONAL, "required": ("username",), "deprecated": True}


async def played_items(call: V1Call, plays: Sequence[RecentPlay]) -> PlayedItems:
    """The movies, episodes and shows the plays name, in three batched reads."""
    movies = await movies_by_ids(call.conn, [p.movie_id for p in plays if p.movie_id is not None])
    episodes = await episodes_by_ids(call.conn, [p.episode_id for p in plays if p.episode_id is not None])
    shows = await shows_by_ids(call.conn, [e.show_id for e in episodes.values()])
    return PlayedItems(movies=movies, shows=shows, episodes=episodes)


async def _watched(call: V1Call, kind: str | None) -> list[dict[str, Any]]:
    owner = await visible_owner(call)
    if owner is None:
        return []
    plays = (await recent_plays(call.conn, [owner.id], WATCHED_LIMIT)).get(owner.id, [])
    plays = [play for play in plays if kind is None or play.kind == kind][:WATCHED_LIMIT]
    items = await played_items(call, plays)
    presented = (present_history_item(play, items, call.runtime.settings) for play in plays)
    return [item for item in presented if item is not None]


@v1_method("user/watched", **_WATCHED)
async def watched(call: V1Call) -> list[dict[str, Any]]:
    return await _watched(call, None)


@v1_method("user/watched/episodes", **_WATCHED)
async def watched_episodes(call: V1Call) -> list[dict[str, Any]]:
    return await _watched(call, "episode")


@v1_method("user/watched/movies", **_WATCHED)
async def watched_movies(call: V1Call) -> list[dict[str, Any]]:
    return await _watched(call, "movie")
