"""The v1 season object: in show/seasons (episode count) and in extended summaries (episodes)."""

from __future__ import annotations

from typing import Any

from opentrakt.catalog.models import Season, Show
from opentrakt.config import Settings
from opentrakt.v1.presenters.images import image_url


def season_url(show: Show, number: int, settings: Settings) -> str:
    if number == 0:
        return f"{settings.site_url}/show/{show.slug}/specials"
    return f"{settings.site_url}/show/{show.slug}/season/{number}"


def season_poster(season: Season, show: Show, settings: Settings) -> str:
    return image_url(season.poster_url or show.poster_url, "poster", settings)


def present_season(season: Season, show: Show, settings: Settings) -> dict[str, Any]:
    """show/seasons: ``episodes`` is the number of episodes."""
    poster = season_poster(season, show, settings)
    return {
        "season": season.number,
        "episodes": season.episode_count,
        "url": season_url(show, season.number, settings),
        "poster": poster,
        "images": {"poster": poster},
    }


def present_season_with_episodes(
    season: Season, show: Show, episodes: list[dict[str, Any]], settings: Settings
) -> dict[str, Any]:
    """Extended show/summary: ``episodes`` holds the presented episode objects (and the
    season has no top-level ``poster`` there)."""
    return {
        "season": season.number,
        "url": season_url(show, season.number, settings),
        "images": {"poster": season_poster(season, show, settings)},
        "episodes": episodes,
    }
