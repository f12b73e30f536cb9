"""movie/seen, movie/unseen, movie/library, movie/unlibrary, movie/watchlist, movie/unwatchlist.

Each takes a ``movies`` array; items that can't be matched (or created) are echoed as skipped
and never fail the rest of the batch, which is applied in the request's one transaction.
"""

from __future__ import annotations

from typing import Any

from opentrakt.catalog.identity import timestamp, whole_number
from opentrakt.tracking import movies as tracking
from opentrakt.tracking.batches import MAX_PLAYS, BatchResult, MovieSeen
from opentrakt.v1.call import V1Call
from opentrakt.v1.items import Resolved, item_list, resolve_movies
from opentrakt.v1.presenters.batch import present_counters, present_message
from opentrakt.v1.registry import WRITE, Auth, v1_method


async def _movies(call: V1Call) -> Resolved:
    return await resolve_movies(call, item_list(call, "movies"))


def _already(resolved: Resolved, result: BatchResult) -> list[Any]:
    return [resolved.items[position] for position in result.unchanged_positions]


def _seen_item(item: Any, movie_id: int) -> MovieSeen:
    plays = whole_number(item.get("plays")) if isinstance(item, dict) else None
    last_played = timestamp(item.get("last_played")) if isinstance(item, dict) else None
    return MovieSeen(movie_id=movie_id, plays=min(max(plays or 1, 1), MAX_PLAYS), last_played=last_played)


@v1_method("movie/seen", verbs=WRITE, auth=Auth.REQUIRED)
async def seen(call: V1Call) -> dict[str, Any]:
    resolved = await _movies(call)
    items = [_seen_item(item, movie_id) for item, movie_id in zip(resolved.items, resolved.ids, strict=True)]
    result = await tracking.mark_movies_seen(call.conn, call.caller.id, items, call.now)
    return present_counters("movies", result.count, _already(resolved, result), resolved.skipped)


@v1_method("movie/unseen", verbs=WRITE, auth=Auth.REQUIRED)
async def unseen(call: V1Call) -> dict[str, Any]:
    resolved = await _movies(call)
    result = await tracking.mark_movies_unseen(call.conn, call.caller.id, resolved.ids, call.now)
    return present_message(f"{result.count} movies removed as seen", noun="movies", skipped=resolved.skipped)


@v1_method("movie/library", verbs=WRITE, auth=Auth.REQUIRED)
async def library(call: V1Call) -> dict[str, Any]:
    resolved = await _movies(call)
    result = await tracking.add_movies_to_collection(call.conn, call.caller.id, resolved.ids, call.now)
    return present_counters(
        "movies",
        result.count,
        _already(resolved, result),
        resolved.skipped,
        message=f"{result.count} movies added to your library",
    )


@v1_method("movie/unlibrary", verbs=WRITE, auth=Auth.REQUIRED)
async def unlibrary(call: V1Call) -> dict[str, Any]:
    resolved = await _movies(call)
    result = await tracking.remove_movies_from_collection(call.conn, call.caller.id, resolved.ids, call.now)
    return present_message(
        f"{result.count} movies removed from your library", noun="movies", skipped=resolved.skipped
    )


@v1_method("movie/watchlist", verbs=WRITE, auth=Auth.REQUIRED)
async def watchlist(call: V1Call) -> dict[str, Any]:
    resolved = await _movies(call)
    result = await tracking.add_movies_to_watchlist(call.conn, call.caller.id, resolved.ids, call.now)
    return present_counters(
        "movies",
        result.count,
        _already(resolved, result),
        resolved.skipped,
        message=f"{result.count} movies added to your watchlist",
    )


@v1_method("movie/unwatchlist", verbs=WRITE, auth=Auth.REQUIRED)
async def unwatchlist(call: V1Call) -> dict[str, Any]:
    resolved = await _movies(call)
    result = await tracking.remove_movies_from_watchlist(call.conn, call.caller.id, resolved.ids, call.now)
    return present_message(
        f"{result.count} movies removed from your watchlist", noun="movies", skipped=resolved.skipped
    )
