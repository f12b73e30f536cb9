"""calendar/shows, calendar/premieres, user/calendar/shows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from opentrakt.catalog.zones import PACIFIC
from opentrakt.discovery.calendar import MAX_DAYS, CalendarDay, calendar
from opentrakt.ttl_cache import TtlCache
from opentrakt.v1 import lookup
from opentrakt.v1.call import V1Call
from opentrakt.v1.envelopes import V1Error
from opentrakt.v1.owner import visible_owner
from opentrakt.v1.presenters.calendar import present_calendar, with_caller_fields
from opentrakt.v1.registry import Auth, v1_method

DEFAULT_DAYS = 7
_DATE = re.compile(r"^[0-9]{8}$")
_DAYS = re.compile(r"^[0-9]{1,6}$")


def _start(call: V1Call) -> date:
    """``date`` as ``Ymd``; blank means today in trakt's reference zone, US Pacific."""
    value = (call.param("date") or "").strip()
    if not value:
        return datetime.fromtimestamp(call.now, PACIFIC).date()
    if _DATE.match(value):
        try:
            return date(int(value[:4]), int(value[4:6]), int(value[6:]))
        except ValueError:
            pass
    raise V1Error(400, "date must be a day written as YYYYMMDD")


def _days(call: V1Call) -> int:
    """``days``; blank means a week. Longer windows are cut to the calendar's maximum."""
    value = (call.param("days") or "").strip()
    if not value:
        return DEFAULT_DAYS
    if not _DAYS.match(value) or int(value) < 1:
        raise V1Error(400, "days must be a whole number of days, at least 1")
    return int(value)


async def _present(call: V1Call, days: list[CalendarDay]) -> list[dict[str, Any]]:
    show_ids = [airing.show.id for day in days for airing in day.airings]
    episode_ids = [airing.episode.id for day in days for airing in day.airings]
    return present_calendar(
        days,
        call.runtime.settings,
        show_states=await lookup.caller_states(call, "show", show_ids),
        episode_states=await lookup.caller_states(call, "episode", episode_ids),
    )


@dataclass(frozen=True, slots=True)
class _Rendering:
    """A global calendar as anonymous callers get it, shared by every caller for a while."""

    body: list[dict[str, Any]]
    airing_ids: tuple[tuple[int, int], ...]  # (show id, episode id) of each airing, in order


# (premieres only, start, days) → its rendering
_Window = tuple[bool, date, int]


async def _global_calendar(call: V1Call, *, premieres_only: bool) -> list[dict[str, Any]]:
    """The whole catalogue's calendar is the same for everyone but the caller's own fields, and
    large, so each process presents it once per window and lays each caller's fields over it."""
    start, days = _start(call), min(_days(call), MAX_DAYS)

    async def render() -> _Rendering:
        found = await calendar(call.conn, start=start, days=days, premieres_only=premieres_only)
        return _Rendering(
            body=present_calendar(found, call.runtime.settings, show_states=None, episode_states=None),
            airing_ids=tuple((airing.show.id, airing.episode.id) for day in found for airing in day.airings),
        )

    renderings: TtlCache[_Window, _Rendering] = call.runtime.calendar_cache
    window = (premieres_only, start, days)
    rendering = await renderings.fetch(
        window, render, now=call.now, ttl_seconds=call.runtime.settings.shared_cache_seconds
    )
    show_states = await lookup.caller_states(call, "show", [show_id for show_id, _ in rendering.airing_ids])
    episode_states = await lookup.caller_states(
        call, "episode", [episode_id for _, episode_id in rendering.airing_ids]
    )
    if show_states is None or episode_states is None:  # anonymous: nothing to add
        return rendering.body
    return with_caller_fields(
        rendering.body, rendering.airing_ids, show_states=show_states, episode_states=episode_states
    )


@v1_method("calendar/shows", auth=Auth.OPTIONAL, optional=("date", "days"))
async def shows(call: V1Call) -> list[dict[str, Any]]:
    return await _global_calendar(call, premieres_only=False)


@v1_method("calendar/premieres", auth=Auth.OPTIONAL, optional=("date", "days"))
async def premieres(call: V1Call) -> list[dict[str, Any]]:
    return await _global_calendar(call, premieres_only=True)


@v1_method("user/calendar/shows", auth=Auth.OPTIONAL, required=("username",), optional=("date", "days"))
async def user_shows(call: V1Call) -> list[dict[str, Any]]:
    start, days = _start(call), _days(call)
    owner = await visible_owner(call)
    if owner is None:
        return []
    return await _present(call, await calendar(call.conn, start=start, days=days, owner_id=owner.id))
