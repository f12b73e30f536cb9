"""show/episode/summary."""

from __future__ import annotations

from typing import Any

from opentrakt.catalog.summaries import episode_detail
from opentrakt.v1 import lookup
from opentrakt.v1.call import V1Call
from opentrakt.v1.envelopes import V1Error
from opentrakt.v1.presenters.summary import present_episode_summary
from opentrakt.v1.registry import Auth, v1_method


@v1_method("show/episode/summary", auth=Auth.OPTIONAL, required=("title", "season", "episode"))
async def summary(call: V1Call) -> dict[str, Any]:
    show_id = await lookup.show_id(call)
    season = lookup.item_number(call.require("season"))
    number = lookup.item_number(call.require("episode"))
    found = None
    if season is not None and number is not None:
        found = await episode_detail(call.conn, show_id, season, number)
    if found is None:
        raise V1Error(lookup.EPISODE_NOT_FOUND_STATUS, lookup.EPISODE_NOT_FOUND)
    show, episode = found
    return present_episode_summary(
        episode,
        show,
        call.runtime.settings,
        show_state=await lookup.caller_state(call, "show", show.id),
        state=await lookup.caller_state(call, "episode", episode.id),
    )
