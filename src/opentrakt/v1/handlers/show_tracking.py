"""Collection, watched and watchlist writes for shows, seasons and episodes.

``show/seen``, ``show/library`` and ``show/unlibrary`` act on a whole show named by the body;
``show/season/*`` on one season; ``show/episode/*`` on the body's ``episodes`` array;
``show/watchlist``/``show/unwatchlist`` on a ``shows`` array. Messages follow the recorded
``"<n> episodes marked as seen"`` form (plural even for one).
"""

from __future__ import annotations

from typing import Any

from opentrakt.catalog.identity import timestamp
from opentrakt.tracking import episodes as tracking_episodes
from opentrakt.tracking import shows as tracking_shows
from opentrakt.tracking.batches import EpisodeSeen
from opentrakt.v1.call import V1Call
from opentrakt.v1.items import body_show, item_list, resolve_episodes, resolve_shows, season_number
from opentrakt.v1.presenters.batch import present_counters, present_message
from opentrakt.v1.registry import WRITE, Auth, v1_method


@v1_method("show/seen", verbs=WRITE, auth=Auth.REQUIRED)
async def show_seen(call: V1Call) -> dict[str, Any]:
    show_id = await body_show(call)
    result = await tracking_shows.mark_show_seen(call.conn, call.caller.id, show_id, call.now)
    return present_message(f"{result.total} episodes marked as seen")


@v1_method("show/library", verbs=WRITE, auth=Auth.REQUIRED)
async def show_library(call: V1Call) -> dict[str, Any]:
    show_id = await body_show(call)
    result = await tracking_shows.add_show_to_collection(call.conn, call.caller.id, show_id, call.now)
    return present_message(f"{result.total} episodes added to your library")


@v1_method("show/unlibrary", verbs=WRITE, auth=Auth.REQUIRED)
async def show_unlibrary(call: V1Call) -> dict[str, Any]:
    show_id = await body_show(call)
    result = await tracking_shows.remove_show_from_collection(call.conn, call.caller.id, show_id, call.now)
    return present_message(f"{result.changed} episodes removed from your library")


@v1_method("show/season/seen", verbs=WRITE, auth=Auth.REQUIRED)
async def season_seen(call: V1Call) -> dict[str, Any]:
    season = season_number(call)
    show_id = await body_show(call)
    result = await tracking_shows.mark_season_seen(call.conn, call.caller.id, show_id, season, call.now)
    return present_message(f"{result.total} episodes marked as seen")


@v1_method("show/season/library", verbs=WRITE, auth=Auth.REQUIRED)
async def season_library(call: V1Call) -> dict[str, Any]:
    season = season_number(call)
    show_id = await body_show(call)
    result = await tracking_shows.add_season_to_collection(
        call.conn, call.caller.id, show_id, season, call.now
    )
    return present_message(f"{result.total} episodes added to your library")


@v1_method("show/watchlist", verbs=WRITE, auth=Auth.REQUIRED)
async def watchlist(call: V1Call) -> dict[str, Any]:
    resolved = await resolve_shows(call, item_list(call, "shows"))
    result = await tracking_shows.add_shows_to_watchlist(call.conn, call.caller.id, resolved.ids, call.now)
    already = [resolved.items[p] for p in result.unchanged_positions]
    return present_counters(
        "shows",
        result.count,
        already,
        resolved.skipped,
        message=f"{result.count} shows added to your watchlist",
    )


@v1_method("show/unwatchlist", verbs=WRITE, auth=Auth.REQUIRED)
async def unwatchlist(call: V1Call) -> dict[str, Any]:
    resolved = await resolve_shows(call, item_list(call, "shows"))
    result = await tracking_shows.remove_shows_from_watchlist(
        call.conn, call.caller.id, resolved.ids, call.now
    )
    return present_message(
        f"{result.count} shows removed from your watchlist", noun="shows", skipped=resolved.skipped
    )


async def _episodes(call: V1Call) -> tuple[int, Any]:
    submitted = item_list(call, "episodes")
    show_id = await body_show(call)
    return show_id, await resolve_episodes(call, show_id, submitted)


@v1_method("show/episode/seen", verbs=WRITE, auth=Auth.REQUIRED)
async def episode_seen(call: V1Call) -> dict[str, Any]:
    show_id, resolved = await _episodes(call)
    items = [
        EpisodeSeen(episode_id, timestamp(item.get("last_played")) if isinstance(item, dict) else None)
        for item, episode_id in zip(resolved.items, resolved.ids, strict=True)
    ]
    await tracking_episodes.mark_episodes_seen(call.conn, call.caller.id, show_id, items, call.now)
    return present_message(
        f"{len(set(resolved.ids))} episodes marked as seen", noun="episodes", skipped=resolved.skipped
    )


@v1_method("show/episode/unseen", verbs=WRITE, auth=Auth.REQUIRED)
async def episode_unseen(call: V1Call) -> dict[str, Any]:
    show_id, resolved = await _episodes(call)
    await tracking_episodes.mark_episodes_unseen(call.conn, call.caller.id, show_id, resolved.ids, call.now)
    return present_message(
        f"{len(set(resolved.ids))} episodes removed as seen", noun="episodes", skipped=resolved.skipped
    )


@v1_method("show/episode/library", verbs=WRITE, auth=Auth.REQUIRED)
async def episode_library(call: V1Call) -> dict[str, Any]:
    show_id, resolved = await _episodes(call)
    await tracking_episodes.add_episodes_to_collection(
        call.conn, call.caller.id, show_id, resolved.ids, call.now
    )
    return present_message(
        f"{len(set(resolved.ids))} episodes added to your library", noun="episodes", skipped=resolved.skipped
    )


@v1_method("show/episode/unlibrary", verbs=WRITE, auth=Auth.REQUIRED)
async def episode_unlibrary(call: V1Call) -> dict[str, Any]:
    show_id, resolved = await _episodes(call)
    result = await tracking_episodes.remove_episodes_from_collection(
        call.conn, call.caller.id, show_id, resolved.ids, call.now
    )
    return present_message(
        f"{result.count} episodes removed from your library", noun="episodes", skipped=resolved.skipped
    )


@v1_method("show/episode/watchlist", verbs=WRITE, auth=Auth.REQUIRED)
async def episode_watchlist(call: V1Call) -> dict[str, Any]:
    show_id, resolved = await _episodes(call)
    await tracking_episodes.add_episodes_to_watchlist(
        call.conn, call.caller.id, show_id, resolved.ids, call.now
    )
    return present_message(
        f"{len(set(resolved.ids))} episodes added to your watchlist",
        noun="episodes",
        skipped=resolved.skipped,
    )


@v1_method("show/episode/unwatchlist", verbs=WRITE, auth=Auth.REQUIRED)
async def episode_unwatchlist(call: V1Call) -> dict[str, Any]:
    show_id, resolved = await _episodes(call)
    result = await tracking_episodes.remove_episodes_from_watchlist(
        call.conn, call.caller.id, show_id, resolved.ids, call.now
    )
    return present_message(
        f"{result.count} episodes removed from your watchlist", noun="episodes", skipped=resolved.skipped
    )
