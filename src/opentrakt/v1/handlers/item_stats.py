"""movie/stats, show/stats, show/episode/stats."""

from __future__ import annotations

from typing import Any

from opentrakt.catalog.queries import episode_at
from opentrakt.discovery.item_stats import item_stats
from opentrakt.v1 import lookup
from opentrakt.v1.call import V1Call
from opentrakt.v1.envelopes import V1Error
from opentrakt.v1.presenters.stats import present_stats
from opentrakt.v1.registry import v1_method


@v1_method("movie/stats", required=("title",))
async def movie_stats(call: V1Call) -> dict[str, Any]:
    return present_stats(await item_stats(call.conn, "movie", await lookup.movie_id(call)))


@v1_method("show/stats", required=("title",))
async def show_stats(call: V1Call) -> dict[str, Any]:
    return present_stats(await item_stats(call.conn, "show", await lookup.show_id(call)))


@v1_method("show/episode/stats", required=("title", "season", "episode"))
async def episode_stats(call: V1Call) -> dict[str, Any]:
    show_id = await lookup.show_id(call)
    season = lookup.item_number(call.require("season"))
    number = lookup.item_number(call.require("episode"))
    episode = None
    if season is not None and number is not None:
        episode = await episode_at(call.conn, show_id, season, number)
    if episode is None:
        raise V1Error(lookup.EPISODE_NOT_FOUND_STATUS, lookup.EPISODE_NOT_FOUND)
    return present_stats(await item_stats(call.conn, "episode", episode.id))
