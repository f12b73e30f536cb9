"""user/ratings/movies, user/ratings/shows, user/ratings/episodes: a user's ratings, newest first.

The ``rating`` segment filters: ``all`` (default), ``love`` (6-10), ``hate`` (1-5) or one exact
10-point value. Each item carries the listed user's own rating; a protected user's ratings
reach only that user and their friends (everyone else gets ``[]``).
"""

from __future__ import annotations

from typing import Any

from opentrakt.catalog.queries import episodes_by_ids, movies_by_ids, shows_by_ids
from opentrakt.ratings import service as ratings
from opentrakt.ratings.models import ItemKind, RatingRange, UserRating, parse_rating_filter
from opentrakt.v1.call import V1Call
from opentrakt.v1.owner import list_level, visible_owner
from opentrakt.v1.presenters.rated import present_rated_episode, present_rated_movie, present_rated_show
from opentrakt.v1.registry import READ, Auth, v1_method

_SEGMENTS = {"required": ("username",), "optional": ("rating", "extended")}


async def _listing(call: V1Call, kind: ItemKind) -> list[UserRating] | None:
    """The listed user's ratings within the filter, or None when the caller may not see them."""
    within: RatingRange = parse_rating_filter(call.param("rating"))
    owner = await visible_owner(call)
    if owner is None:
        return None
    return await ratings.list_ratings(call.conn, owner.id, kind, within)


@v1_method("user/ratings/movies", verbs=READ, auth=Auth.OPTIONAL, **_SEGMENTS)
async def rated_movies(call: V1Call) -> list[dict[str, Any]]:
    listing = await _listing(call, "movie")
    if not listing:
        return []
    movies = await movies_by_ids(call.conn, [r.item_id for r in listing])
    level, settings = list_level(call.param("extended")), call.runtime.settings
    return [
        present_rated_movie(movies[r.item_id], r, settings, level) for r in listing if r.item_id in movies
    ]


@v1_method("user/ratings/shows", verbs=READ, auth=Auth.OPTIONAL, **_SEGMENTS)
async def rated_shows(call: V1Call) -> list[dict[str, Any]]:
    listing = await _listing(call, "show")
    if not listing:
        return []
    shows = await shows_by_ids(call.conn, [r.item_id for r in listing])
    level, settings = list_level(call.param("extended")), call.runtime.settings
    return [present_rated_show(shows[r.item_id], r, settings, level) for r in listing if r.item_id in shows]


@v1_method("user/ratings/episodes", verbs=READ, auth=Auth.OPTIONAL, **_SEGMENTS)
async def rated_episodes(call: V1Call) -> list[dict[str, Any]]:
    listing = await _listing(call, "episode")
    if not listing:
        return []
    episodes = await episodes_by_ids(call.conn, [r.item_id for r in listing])
    shows = await shows_by_ids(call.conn, [e.show_id for e in episodes.values()])
    level, settings = list_level(call.param("extended")), call.runtime.settings
    return [
        present_rated_episode(episode, shows[episode.show_id], r, settings, level)
        for r in listing
        if (episode := episodes.get(r.item_id)) is not None and episode.show_id in shows
    ]
