"""What read handlers share: the item a path names, numeric segments, detail levels, the
caller's per-item state, and lists of movies and shows presented with it. Unknown items fail with the strings and statuses clients check."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Literal

from opentrakt.catalog.queries import movies_by_ids, shows_by_ids
from opentrakt.catalog.resolve import movie_id_for_ref, show_id_for_ref
from opentrakt.discovery.item_stats import StatsKind, public_activity, top_watchers
from opentrakt.tracking.models import ItemActivity, ItemUserState
from opentrakt.tracking.state import ItemKind, item_states
from opentrakt.v1.call import V1Call
from opentrakt.v1.envelopes import V1Error
from opentrakt.v1.presenters.movie import Level, present_movie
from opentrakt.v1.presenters.show import present_show

MOVIE_NOT_FOUND = "movie not found"
SHOW_NOT_FOUND = "show not found"
# tRakt checks for 400 on an unknown episode; unknown movies and shows are 404.
EPISODE_NOT_FOUND = "episode not found"
EPISODE_NOT_FOUND_STATUS = 400

# The most titles one movie/summaries or show/summaries call may name.
MAX_SUMMARIES = 100

_DIGITS = re.compile(r"^[0-9]{1,100}$")
# Season and episode numbers live in 32-bit columns; a larger number names nothing.
MAX_ITEM_NUMBER = 2**31 - 1
# Unix seconds; twelve digits reach far past any real date and stay inside 64-bit columns.
_TIMESTAMP = re.compile(r"^[0-9]{1,12}$")


async def movie_id(call: V1Call, name: str = "title") -> int:
    found = await movie_id_for_ref(call.conn, call.require(name))
    if found is None:
        raise V1Error(404, MOVIE_NOT_FOUND)
    return found


async def show_id(call: V1Call, name: str = "title") -> int:
    found = await show_id_for_ref(call.conn, call.require(name))
    if found is None:
        raise V1Error(404, SHOW_NOT_FOUND)
    return found


def is_number(value: str) -> bool:
    """Whether a path segment is written as a non-negative whole number (up to 100 digits)."""
    return bool(_DIGITS.match(value.strip()))


def item_number(value: str | None) -> int | None:
    """A season or episode number from a path segment; None when it cannot name one (not a
    number, or too large for any stored season or episode)."""
    if value is None or not is_number(value):
        return None
    number = int(value.strip())
    return number if number <= MAX_ITEM_NUMBER else None


def timestamp(value: str) -> int:
    value = value.strip()
    if not _TIMESTAMP.match(value):
        raise V1Error(400, "timestamp must be a Unix timestamp in seconds")
    return int(value)


def title_list(value: str, limit: int) -> list[str]:
    """The comma-separated titles of the summaries methods, blanks dropped, order kept."""
    titles = [title.strip() for title in value.split(",") if title.strip()]
    if len(titles) > limit:
        raise V1Error(400, f"too many titles: at most {limit} per call")
    return titles


def summaries_level(value: str | None) -> Level:
    """Omitted or ``min``: minimal; ``normal``: adds url, images and genres; anything else
    (``full``, and the ``extended``/``true`` other methods take) gives everything."""
    if value is None or value.strip().lower() in ("", "min"):
        return Level.MIN
    if value.strip().lower() == "normal":
        return Level.NORMAL
    return Level.FULL


async def caller_states(call: V1Call, kind: ItemKind, ids: Sequence[int]) -> dict[int, ItemUserState] | None:
    """The caller's state of each item; None on anonymous calls, which carry no per-user fields."""
    if call.user is None:
        return None
    return await item_states(call.conn, call.user, kind, ids)


async def caller_state(call: V1Call, kind: ItemKind, item_id: int) -> ItemUserState | None:
    """The caller's state of one item; None on anonymous calls."""
    states = await caller_states(call, kind, [item_id])
    return states[item_id] if states is not None else None


async def item_activity(call: V1Call, kind: StatsKind, item_id: int) -> ItemActivity:
    """A summary's counters and top lists. The counters and top episodes are the same for every
    caller and cost a pass over the item's plays (tens of thousands for a popular title), so each
    process shares them for ``shared_cache_seconds``; the top watchers depend on the caller."""
    public: ItemActivity = await call.runtime.item_activity_cache.fetch(
        (kind, item_id),
        lambda: public_activity(call.conn, kind, item_id),
        now=call.now,
        ttl_seconds=call.runtime.settings.shared_cache_seconds,
    )
    return replace(public, top_watchers=await top_watchers(call.conn, kind, item_id, call.user))


async def movie_objects(
    call: V1Call, ids: Sequence[int], level: Level = Level.NORMAL
) -> dict[int, dict[str, Any]]:
    """The v1 objects of the movies ``ids`` names, with the caller's fields, in the order of
    ``ids``; ids of no stored movie are left out."""
    return await _objects(call, "movie", ids, level)


async def show_objects(
    call: V1Call, ids: Sequence[int], level: Level = Level.NORMAL
) -> dict[int, dict[str, Any]]:
    """As ``movie_objects``, for shows."""
    return await _objects(call, "show", ids, level)


_LOADERS = {"movie": (movies_by_ids, present_movie), "show": (shows_by_ids, present_show)}


async def _objects(
    call: V1Call, kind: Literal["movie", "show"], ids: Sequence[int], level: Level
) -> dict[int, dict[str, Any]]:
    load, present = _LOADERS[kind]
    found: dict[int, Any] = await load(call.conn, ids)
    states = await caller_states(call, kind, ids)
    settings = call.runtime.settings
    return {
        i: present(found[i], settings, level, state=states[i] if states is not None else None)
        for i in ids
        if i in found
    }
