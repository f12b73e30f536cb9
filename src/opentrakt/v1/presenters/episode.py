"""The v1 episode object, and the variant search/episodes uses."""

from __future__ import annotations

from typing import Any

from opentrakt.catalog.models import Episode, Show
from opentrakt.config import Settings
from opentrakt.tracking.models import ItemUserState
from opentrakt.v1.presenters.airtimes import air_times, local_as_pacific
from opentrakt.v1.presenters.fields import add_user_fields, id_text, number, text
from opentrakt.v1.presenters.images import image_url
from opentrakt.v1.presenters.ratings import present_ratings


def episode_url(show: Show, episode: Episode, settings: Settings) -> str:
    return f"{settings.site_url}/show/{show.slug}/season/{episode.season}/episode/{episode.number}"


def present_episode(
    episode: Episode, show: Show, settings: Settings, *, state: ItemUserState | None = None
) -> dict[str, Any]:
    """The episode object of show/season, summaries and calendars."""
    screen = image_url(episode.screen_url, "screen", settings)
    aired = air_times(episode.first_aired, show.air_timezone)
    data: dict[str, Any] = {
        "season": episode.season,
        "number": episode.number,
        "tvdb_id": id_text(episode.tvdb_id),
        "imdb_id": text(episode.imdb_id),
        "title": text(episode.title),
        "overview": text(episode.overview),
        "url": episode_url(show, episode, settings),
        "first_aired": aired.first_aired,
        "first_aired_iso": aired.first_aired_iso,
        "first_aired_utc": aired.first_aired_utc,
        "runtime": number(episode.runtime if episode.runtime is not None else show.runtime),
        "screen": screen,
        "images": {"screen": screen},
        "ratings": present_ratings(episode.ratings),
    }
    if state is not None:
        add_user_fields(data, state)
    return data


def present_search_episode(
    episode: Episode, show: Show, settings: Settings, *, state: ItemUserState | None = None
) -> dict[str, Any]:
    """search/episodes names the number ``episode`` and puts ``first_aired`` before ``url``."""
    data: dict[str, Any] = {
        "season": episode.season,
        "episode": episode.number,
        "title": text(episode.title),
        "overview": text(episode.overview),
        "first_aired": local_as_pacific(episode.first_aired, show.air_timezone),
        "url": episode_url(show, episode, settings),
        "images": {"screen": image_url(episode.screen_url, "screen", settings)},
        "ratings": present_ratings(episode.ratings),
    }
    if state is not None:
        add_user_fields(data, state)
    return data
