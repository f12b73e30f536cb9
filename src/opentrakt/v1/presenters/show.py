"""The v1 show object at its min, normal and full (summary) levels."""

from __future__ import annotations

from typing import Any

from opentrakt.catalog.models import Show
from opentrakt.config import Settings
from opentrakt.tracking.models import ItemUserState
from opentrakt.v1.presenters.airtimes import air_times, local_as_pacific
from opentrakt.v1.presenters.fields import add_user_fields, id_text, number, text
from opentrakt.v1.presenters.images import image_url
from opentrakt.v1.presenters.movie import Level
from opentrakt.v1.presenters.ratings import present_ratings
from opentrakt.v1.presenters.schedule import utc_air_slot

# Keys that the summary adds, in the order they appear among the show's own keys.
_BEFORE_RATINGS = ("top_watchers", "top_episodes")
_AFTER_RATINGS = ("stats", "people")


def show_url(show: Show, settings: Settings) -> str:
    return f"{settings.site_url}/show/{show.slug}"


def present_show(
    show: Show,
    settings: Settings,
    level: Level = Level.NORMAL,
    *,
    state: ItemUserState | None = None,
    summary: dict[str, Any] | None = None,
    with_ratings: bool = True,
) -> dict[str, Any]:
    """A show; ``state`` adds the caller's fields (shows carry rating and watchlist flags),
    ``summary`` the summary-only keys. search/episodes embeds shows without ``ratings``."""
    if level is Level.MIN:
        data: dict[str, Any] = {
            "title": show.title,
            "year": number(show.year),
            "imdb_id": text(show.imdb_id),
            "tvdb_id": id_text(show.tvdb_id),
            "tvrage_id": id_text(show.tvrage_id),
        }
        if state is not None:
            add_user_fields(data, state, watch_fields=False)
        return data
    poster = image_url(show.poster_url, "poster", settings)
    data = {
        "title": show.title,
        "year": number(show.year),
        "url": show_url(show, settings),
        "first_aired": local_as_pacific(show.first_aired, show.air_timezone),
    }
    full = level is Level.FULL
    if full:
        aired = air_times(show.first_aired, show.air_timezone)
        data["first_aired_iso"] = aired.first_aired_iso
        data["first_aired_utc"] = aired.first_aired_utc
    data["country"] = text(show.country)
    data["overview"] = text(show.overview)
    data["runtime"] = number(show.runtime)
    if full:
        data["status"] = text(show.status)
    data["network"] = text(show.network)
    data["air_day"] = text(show.air_day)
    data["air_time"] = text(show.air_time)
    if full:
        data["air_day_utc"], data["air_time_utc"] = utc_air_slot(
            show.air_day, show.air_time, show.air_timezone
        )
    data["certification"] = text(show.certification)
    data["imdb_id"] = text(show.imdb_id)
    data["tvdb_id"] = id_text(show.tvdb_id)
    data["tvrage_id"] = id_text(show.tvrage_id)
    if full:
        data["last_updated"] = show.updated_at
        data["poster"] = poster
    data["images"] = {
        "poster": poster,
        "fanart": image_url(show.fanart_url, "fanart", settings),
        "banner": image_url(show.banner_url, "banner", settings),
    }
    summary = summary or {}
    data.update((key, summary[key]) for key in _BEFORE_RATINGS if key in summary)
    if with_ratings:
        data["ratings"] = present_ratings(show.ratings)
    data.update((key, summary[key]) for key in _AFTER_RATINGS if key in summary)
    data["genres"] = list(show.genres)
    if state is not None:
        add_user_fields(data, state, watch_fields=False)
    data.update(
        (key, value) for key, value in summary.items() if key not in (*_BEFORE_RATINGS, *_AFTER_RATINGS)
    )
    return data
