"""movie/summary, movie/summaries."""

from __future__ import annotations

from typing import Any

from opentrakt.catalog.resolve import movie_ids_for_refs
from opentrakt.catalog.summaries import movie_detail
from opentrakt.v1 import lookup
from opentrakt.v1.call import V1Call
from opentrakt.v1.envelopes import V1Error
from opentrakt.v1.presenters.summary import present_movie_summary
from opentrakt.v1.registry import Auth, v1_method


@v1_method("movie/summary", auth=Auth.OPTIONAL, required=("title",), optional=("extended",))
async def summary(call: V1Call) -> dict[str, Any]:
    # Clients send an `extended` segment (or `/true`); the original ignored it, and so do we.
    detail = await movie_detail(call.conn, await lookup.movie_id(call))
    if detail is None:
        raise V1Error(404, lookup.MOVIE_NOT_FOUND)
    return present_movie_summary(
        detail,
        await lookup.item_activity(call, "movie", detail.movie.id),
        call.runtime.settings,
        state=await lookup.caller_state(call, "movie", detail.movie.id),
    )


@v1_method("movie/summaries", auth=Auth.OPTIONAL, required=("title",), optional=("extended",))
async def summaries(call: V1Call) -> list[dict[str, Any]]:
    level = lookup.summaries_level(call.param("extended"))
    refs = lookup.title_list(call.require("title"), lookup.MAX_SUMMARIES)
    by_ref = await movie_ids_for_refs(call.conn, refs)
    ids = list(dict.fromkeys(by_ref[ref] for ref in refs if ref in by_ref))
    return list((await lookup.movie_objects(call, ids, level)).values())
