"""movie/summary, show/summary and show/episode/summary: the item objects at their summary
level, with the summary-only keys."""

from __future__ import annotations

from typing import Any

from opentrakt.catalog.models import Episode, Show
from opentrakt.catalog.summaries import MovieDetail, ShowDetail
from opentrakt.config import Settings
from opentrakt.tracking.models import ItemActivity, ItemUserState
from opentrakt.v1.presenters.activity import present_summary_stats, present_top_episodes, present_top_watchers
from opentrakt.v1.presenters.episode import present_episode
from opentrakt.v1.presenters.movie import Level, present_movie
from opentrakt.v1.presenters.person import present_people
from opentrakt.v1.presenters.season import present_season_with_episodes
from opentrakt.v1.presenters.show import present_show


def present_movie_summary(
    detail: MovieDetail, activity: ItemActivity, settings: Settings, *, state: ItemUserState | None
) -> dict[str, Any]:
    summary = {
        "top_watchers": present_top_watchers(activity, settings),
        "stats": present_summary_stats(activity),
        "people": present_people(detail.people, settings),
    }
    return present_movie(detail.movie, settings, Level.FULL, state=state, summary=summary)


def present_show_summary(
    detail: ShowDetail,
    activity: ItemActivity,
    settings: Settings,
    *,
    state: ItemUserState | None,
    episode_states: dict[int, ItemUserState] | None = None,
    extended: bool = False,
) -> dict[str, Any]:
    """``extended`` adds ``seasons`` with every episode object; ``episode_states`` (on
    authenticated calls) adds the caller's fields to each episode."""
    show = detail.show
    summary: dict[str, Any] = {
        "top_watchers": present_top_watchers(activity, settings),
        "top_episodes": present_top_episodes(activity, show, settings),
        "stats": present_summary_stats(activity),
        "people": present_people(detail.people, settings, actors_only=True),
    }
    if extended:
        states = episode_states if episode_states is not None else {}
        summary["seasons"] = [
            present_season_with_episodes(
                entry.season,
                show,
                [present_episode(e, show, settings, state=states.get(e.id)) for e in entry.episodes],
                settings,
            )
            for entry in detail.seasons
        ]
    return present_show(show, settings, Level.FULL, state=state, summary=summary)


def present_episode_summary(
    episode: Episode,
    show: Show,
    settings: Settings,
    *,
    show_state: ItemUserState | None,
    state: ItemUserState | None,
) -> dict[str, Any]:
    """show/episode/summary: the show (normal level) and the episode, each with the caller's fields."""
    return {
        "show": present_show(show, settings, Level.NORMAL, state=show_state),
        "episode": present_episode(episode, show, settings, state=state),
    }
