"""show/season, show/seasons."""

from __future__ import annotations

from typing import Any

from opentrakt.catalog.queries import season_episodes, show_by_id, show_seasons
from opentrakt.v1 import lookup
from opentrakt.v1.call import V1Call
from opentrakt.v1.envelopes import V1Error
from opentrakt.v1.presenters.episode import present_episode
from opentrakt.v1.presenters.season import present_season
from opentrakt.v1.registry import Auth, v1_method


@v1_method("show/season", auth=Auth.OPTIONAL, required=("title", "season"))
async def season(call: V1Call) -> list[dict[str, Any]]:
    show = await show_by_id(call.conn, await lookup.show_id(call))
    if show is None:
        raise V1Error(404, lookup.SHOW_NOT_FOUND)
    requested = call.require("season")
    if not lookup.is_number(requested):
        raise V1Error(400, "season must be a season number (0 for specials)")
    number = lookup.item_number(requested)
    # An unknown season of a known show is an empty list: clients read [] as "no such season".
    if number is None:
        return []
    episodes = await season_episodes(call.conn, show.id, number)
    states = await lookup.caller_states(call, "episode", [e.id for e in episodes])
    settings = call.runtime.settings
    return [
        present_episode(e, show, settings, state=states[e.id] if states is not None else None)
        for e in episodes
    ]


@v1_method("show/seasons", auth=Auth.NONE, required=("title",))
async def seasons(call: V1Call) -> list[dict[str, Any]]:
    show = await show_by_id(call.conn, await lookup.show_id(call))
    if show is None:
        raise V1Error(404, lookup.SHOW_NOT_FOUND)
    settings = call.runtime.settings
    return [present_season(s, show, settings) for s in await show_seasons(call.conn, show.id)]
