"""The Stats object of movie/stats, show/stats and show/episode/stats (exactly 8 keys)."""

from __future__ import annotations

from typing import Any

from opentrakt.discovery.item_stats import Counted, ItemStats
from opentrakt.ratings.models import LOVED_FROM


def _counted(counted: Counted) -> dict[str, int]:
    return {"all": counted.all, "users": counted.users}


def present_stats_ratings(distribution: dict[int, int]) -> dict[str, Any]:
    """The ratings aggregate of the given votes, with their 1-10 distribution."""
    votes = sum(distribution.values())
    total = sum(rating * count for rating, count in distribution.items())
    loved = sum(count for rating, count in distribution.items() if rating >= LOVED_FROM)
    return {
        # The same percentage the item objects report: the mean 10-point rating times ten.
        "percentage": round(total * 10 / votes) if votes else 0,
        "votes": votes,
        "loved": loved,
        "hated": votes - loved,
        "distribution": {str(rating): distribution.get(rating, 0) for rating in range(1, 11)},
    }


def present_stats(stats: ItemStats) -> dict[str, Any]:
    return {
        "ratings": present_stats_ratings(stats.ratings),
        "watchers": stats.plays.watchers,
        "plays": stats.plays.plays,
        "scrobbles": _counted(stats.plays.scrobbles),
        "checkins": _counted(stats.plays.checkins),
        "collection": _counted(stats.collection),
        "lists": {
            "all": stats.watchlists + stats.custom_lists,
            "watchlist": stats.watchlists,
            "custom": stats.custom_lists,
        },
        "comments": {"all": stats.shouts + stats.reviews, "shouts": stats.shouts, "reviews": stats.reviews},
    }
