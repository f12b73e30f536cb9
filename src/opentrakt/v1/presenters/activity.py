"""Everyone's activity on an item as summaries show it: ``stats``, ``top_watchers``, ``top_episodes``."""

from __future__ import annotations

from typing import Any

from opentrakt.catalog.models import Show
from opentrakt.config import Settings
from opentrakt.tracking.models import ItemActivity
from opentrakt.v1.presenters.airtimes import local_as_pacific, utc_as_pacific
from opentrakt.v1.presenters.episode import episode_url
from opentrakt.v1.presenters.fields import text
from opentrakt.v1.presenters.user import present_user


def present_summary_stats(activity: ItemActivity) -> dict[str, int]:
    """The eight counters embedded in movie/summary and show/summary (not the stats methods' object)."""
    return {
        "watchers": activity.watchers,
        "plays": activity.plays,
        "scrobbles": activity.scrobbles,
        "scrobbles_unique": activity.scrobbles_unique,
        "checkins": activity.checkins,
        "checkins_unique": activity.checkins_unique,
        "collection": activity.collection,
        "collection_unique": activity.collection_unique,
    }


def present_top_watchers(activity: ItemActivity, settings: Settings) -> list[dict[str, Any]]:
    """User objects led by the user's number of plays of the item."""
    return [
        {"plays": watcher.plays, **present_user(watcher.user, settings)} for watcher in activity.top_watchers
    ]


def present_top_episodes(activity: ItemActivity, show: Show, settings: Settings) -> list[dict[str, Any]]:
    return [
        {
            "season": top.episode.season,
            "number": top.episode.number,
            "title": text(top.episode.title),
            "url": episode_url(show, top.episode, settings),
            "first_aired": local_as_pacific(top.episode.first_aired, show.air_timezone),
            "first_aired_utc": utc_as_pacific(top.episode.first_aired, show.air_timezone),
            "plays": top.plays,
        }
        for top in activity.top_episodes
    ]
