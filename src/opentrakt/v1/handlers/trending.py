"""movies/trending, shows/trending."""

from __future__ import annotations

from typing import Any

from opentrakt.catalog.queries import movies_by_ids, shows_by_ids
from opentrakt.discovery.trending import trending
from opentrakt.v1 import lookup
from opentrakt.v1.call import V1Call
from opentrakt.v1.presenters.movie import present_movie
from opentrakt.v1.presenters.show import present_show
from opentrakt.v1.registry import Auth, v1_method


@v1_method("movies/trending", auth=Auth.OPTIONAL)
async def movies_trending(call: V1Call) -> list[dict[str, Any]]:
    ranked = await trending(call.conn, "movie", now=call.now)
    ids = [item.item_id for item in ranked]
    found = await movies_by_ids(call.conn, ids)
    states = await lookup.caller_states(call, "movie", ids)
    settings = call.runtime.settings
    return [
        {
            **present_movie(
                found[item.item_id], settings, state=states[item.item_id] if states is not None else None
            ),
            "watchers": item.watchers,
        }
        for item in ranked
        if item.item_id in found
    ]


@v1_method("shows/trending", auth=Auth.OPTIONAL)
async def shows_trending(call: V1Call) -> list[dict[str, Any]]:
    ranked = await trending(call.conn, "show", now=call.now)
    ids = [item.item_id for item in ranked]
    found = await shows_by_ids(call.conn, ids)
    states = await lookup.caller_states(call, "show", ids)
    settings = call.runtime.settings
    return [
        {
            **present_show(
                found[item.item_id], settings, state=states[item.item_id] if states is not None else None
            ),
            "watchers": item.watchers,
        }
        for item in ranked
        if item.item_id in found
    ]
