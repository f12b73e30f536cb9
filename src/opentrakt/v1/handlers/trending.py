"""movies/trending, shows/trending."""

from __future__ import annotations

from typing import Any

from opentrakt.discovery.trending import trending
from opentrakt.v1 import lookup
from opentrakt.v1.call import V1Call
from opentrakt.v1.registry import Auth, v1_method


@v1_method("movies/trending", auth=Auth.OPTIONAL)
async def movies_trending(call: V1Call) -> list[dict[str, Any]]:
    ranked = await trending(call.conn, "movie", now=call.now)
    objects = await lookup.movie_objects(call, [item.item_id for item in ranked])
    return [
        {**objects[item.item_id], "watchers": item.watchers} for item in ranked if item.item_id in objects
    ]


@v1_method("shows/trending", auth=Auth.OPTIONAL)
async def shows_trending(call: V1Call) -> list[dict[str, Any]]:
    ranked = await trending(call.conn, "show", now=call.now)
    objects = await lookup.show_objects(call, [item.item_id for item in ranked])
    return [
        {**objects[item.item_id], "watchers": item.watchers} for item in ranked if item.item_id in objects
    ]
