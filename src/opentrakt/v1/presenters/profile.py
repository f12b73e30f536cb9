"""The user/profile object: exactly the keys clients check, in their order.

``stats`` is the union of the 2011-2012 and 2013-2014 revisions; a profile the caller may not
see keeps every key but shows the redacted user, zero counters and nothing watched.
"""

from __future__ import annotations

from typing import Any

from opentrakt.accounts.models import User
from opentrakt.config import Settings
from opentrakt.social.profile_stats import ItemStats, ProfileStats
from opentrakt.v1.presenters.user import present_user


def present_profile(
    user: User,
    settings: Settings,
    *,
    stats: ProfileStats,
    watching: dict[str, Any] | None,
    watched: list[dict[str, Any]],
) -> dict[str, Any]:
    data = present_user(user, settings)
    data["vip"] = user.vip
    data["stats"] = present_stats(stats)
    data["watched"] = watched
    # "Nothing" in a single-object slot is [] on v1.
    data["watching"] = watching if watching is not None else []
    return data


def present_stats(stats: ProfileStats) -> dict[str, Any]:
    shows = stats.shows
    return {
        "friends": stats.friends,
        "shows": {
            "library": shows.library,
            "watched": shows.watched,
            "collection": shows.collection,
            "shouts": shows.shouts,
            "loved": shows.ratings.loved,
            "hated": shows.ratings.hated,
        },
        "episodes": _item_stats(stats.episodes, library=False),
        "movies": _item_stats(stats.movies, library=True),
    }


def _item_stats(stats: ItemStats, *, library: bool) -> dict[str, int]:
    plays = stats.plays
    data = {
        "watched": plays.watched,
        "watched_unique": plays.watched_unique,
        "scrobbles": plays.scrobbles,
        "scrobbles_unique": plays.scrobbles_unique,
        "checkins": plays.checkins,
        "checkins_unique": plays.checkins_unique,
        "seen": plays.seen,
    }
    if library:
        data["library"] = stats.library
    data.update(
        unwatched=stats.unwatched,
        collection=stats.collection,
        shouts=stats.shouts,
        loved=stats.ratings.loved,
        hated=stats.ratings.hated,
        watched_trakt=plays.watched_trakt,
        watched_trakt_unique=plays.watched_trakt_unique,
        watched_elsewhere=plays.seen,
    )
    return data
