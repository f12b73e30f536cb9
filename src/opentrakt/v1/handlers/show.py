"""show/summary, show/summaries."""

from __future__ import annotations

from typing import Any

from opentrakt.catalog.resolve import show_ids_for_refs
from opentrakt.catalog.summaries import show_detail
from opentrakt.v1 import lookup
from opentrakt.v1.call import V1Call
from opentrakt.v1.envelopes import V1Error
from opentrakt.v1.presenters.summary import present_show_summary
from opentrakt.v1.registry import Auth, v1_method


@v1_method("show/summary", auth=Auth.OPTIONAL, required=("title",), optional=("extended",))
async def summary(call: V1Call) -> dict[str, Any]:
    # Clients put `extended`, `full`, `normal` or `true` here and all meant the full dump.
    extended = call.param("extended") is not None
    detail = await show_detail(call.conn, await lookup.show_id(call), with_episodes=extended)
    if detail is None:
        raise V1Error(404, lookup.SHOW_NOT_FOUND)
    episode_ids = [episode.id for entry in detail.seasons for episode in entry.episodes]
    episode_states = await lookup.caller_states(call, "episode", episode_ids) if extended else None
    return present_show_summary(
        detail,
        await lookup.item_activity(call, "show", detail.show.id),
        call.runtime.settings,
        state=await lookup.caller_state(call, "show", detail.show.id),
        episode_states=episode_states,
        extended=extended,
    )


@v1_method("show/summaries", auth=Auth.OPTIONAL, required=("title",), optional=("extended",))
async def summaries(call: V1Call) -> list[dict[str, Any]]:
    level = lookup.summaries_level(call.param("extended"))
    refs = lookup.title_list(call.require("title"), lookup.MAX_SUMMARIES)
    by_ref = await show_ids_for_refs(call.conn, refs)
    ids = list(dict.fromkeys(by_ref[ref] for ref in refs if ref in by_ref))
    return list((await lookup.show_objects(call, ids, level)).values())
