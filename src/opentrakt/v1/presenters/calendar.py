"""The calendar day buckets: ``[{date, episodes: [{show, episode}]}]``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from opentrakt.config import Settings
from opentrakt.discovery.calendar import CalendarDay
from opentrakt.tracking.models import ItemUserState
from opentrakt.v1.presenters.episode import present_episode
from opentrakt.v1.presenters.fields import add_user_fields
from opentrakt.v1.presenters.movie import Level
from opentrakt.v1.presenters.show import present_show


def present_calendar(
    days: list[CalendarDay],
    settings: Settings,
    *,
    show_states: dict[int, ItemUserState] | None,
    episode_states: dict[int, ItemUserState] | None,
) -> list[dict[str, Any]]:
    """The states (None on anonymous calls) add the caller's fields to each show and episode."""
    return [
        {
            "date": day.day.isoformat(),
            "episodes": [
                {
                    "show": present_show(
                        airing.show,
                        settings,
                        Level.NORMAL,
                        state=show_states.get(airing.show.id) if show_states is not None else None,
                    ),
                    "episode": present_episode(
                        airing.episode,
                        airing.show,
                        settings,
                        state=episode_states.get(airing.episode.id) if episode_states is not None else None,
                    ),
                }
                for airing in day.airings
            ],
        }
        for day in days
    ]


def with_caller_fields(
    anonymous: list[dict[str, Any]],
    airing_ids: Sequence[tuple[int, int]],
    *,
    show_states: dict[int, ItemUserState],
    episode_states: dict[int, ItemUserState],
) -> list[dict[str, Any]]:
    """An anonymous calendar (``present_calendar`` without states) as ``present_calendar`` would
    have presented it with them. ``airing_ids`` names each airing's (show id, episode id) in the
    calendar's order. ``anonymous`` is shared between callers, so it is left untouched: the
    objects that gain fields are copies."""
    pairs = iter(airing_ids)
    caller_days: list[dict[str, Any]] = []
    for day in anonymous:
        entries: list[dict[str, Any]] = []
        for entry in day["episodes"]:
            show_id, episode_id = next(pairs)
            entries.append(
                {
                    "show": _with_fields(entry["show"], show_states.get(show_id), watch_fields=False),
                    "episode": _with_fields(
                        entry["episode"], episode_states.get(episode_id), watch_fields=True
                    ),
                }
            )
        caller_days.append({"date": day["date"], "episodes": entries})
    return caller_days


def _with_fields(data: dict[str, Any], state: ItemUserState | None, *, watch_fields: bool) -> dict[str, Any]:
    # The caller's fields come last in both objects, so a copy with them added keeps the key order
    # of present_show (which gives shows no watch fields) and present_episode.
    if state is None:
        return data
    copy = dict(data)
    add_user_fields(copy, state, watch_fields=watch_fields)
    return copy
