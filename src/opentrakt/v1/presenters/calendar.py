"""The calendar day buckets: ``[{date, episodes: [{show, episode}]}]``."""

from __future__ import annotations

from typing import Any

from opentrakt.config import Settings
from opentrakt.discovery.calendar import CalendarDay
from opentrakt.tracking.models import ItemUserState
from opentrakt.v1.presenters.episode import present_episode
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
