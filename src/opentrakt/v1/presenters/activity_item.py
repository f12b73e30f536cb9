"""The activity feeds: the ``{"timestamps", "activity"}`` envelope and its items.

An item follows the recorded ``activity/community`` response: ``timestamp``, ``when`` (US
Pacific), ``elapsed`` (back from the envelope's ``current``), ``type``, ``action``, the user
without ``joined``, then the media (``movie``; ``show`` with ``episode`` or, for an event
covering several episodes, ``episodes``; ``show`` alone; ``list``), then what the action adds
(``rating`` values, the ``shout``/``review``, the ``list_item``).

``min`` keeps ``timestamp``, ``type``, ``action``, the username and the media ids, plus image
URLs when ``images`` is asked for. Full items always carry images, as the recording does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from opentrakt.catalog.models import Episode, Movie, Show
from opentrakt.catalog.zones import PACIFIC
from opentrakt.config import Settings
from opentrakt.social import events
from opentrakt.social.activity import Activity
from opentrakt.social.activity_refs import ActivityRefs
from opentrakt.v1.presenters.comment import text_html
from opentrakt.v1.presenters.episode import present_episode
from opentrakt.v1.presenters.fields import id_text, text
from opentrakt.v1.presenters.images import image_url
from opentrakt.v1.presenters.lists import present_list
from opentrakt.v1.presenters.movie import present_movie
from opentrakt.v1.presenters.show import present_show
from opentrakt.v1.presenters.user import present_user

_UNITS = (("day", "d", 86_400), ("hour", "h", 3_600), ("minute", "m", 60), ("second", "s", 1))


@dataclass(frozen=True, slots=True)
class FeedOptions:
    settings: Settings
    now: int
    minimal: bool = False
    images: bool = False


def present_feed(
    page: Sequence[Activity], refs: ActivityRefs, options: FeedOptions, *, start: int | None, end: int | None
) -> dict[str, Any]:
    """The envelope. Without ``start_ts``, ``start`` is the oldest item's time (``current``
    when there is none); without ``end_ts``, ``end`` is ``current``."""
    items = [item for item in (present_item(a, refs, options) for a in page) if item is not None]
    oldest = page[-1].created_at if page else options.now
    return {
        "timestamps": {
            "start": start if start is not None else oldest,
            "end": end if end is not None else options.now,
            "current": options.now,
        },
        "activity": items,
    }


def when(timestamp: int) -> dict[str, str]:
    """``{"day": "Tue", "time": "8:04 pm"}`` in US Pacific time."""
    moment = datetime.fromtimestamp(timestamp, PACIFIC)
    hour = moment.hour % 12 or 12
    return {
        "day": moment.strftime("%a"),
        "time": f"{hour}:{moment.minute:02d} {'am' if moment.hour < 12 else 'pm'}",
    }


def elapsed(seconds: int) -> dict[str, str]:
    """``1 minute, 5 seconds`` / ``1m 5s``: the largest unit and, when not zero, the next."""
    seconds = max(seconds, 0)
    for index, (name, short, size) in enumerate(_UNITS):
        if seconds >= size or size == 1:
            parts = [(seconds // size, name, short)]
            if size > 1:
                next_name, next_short, next_size = _UNITS[index + 1]
                rest = (seconds % size) // next_size
                if rest:
                    parts.append((rest, next_name, next_short))
            break
    return {
        "full": ", ".join(f"{n} {name}{'' if n == 1 else 's'}" for n, name, _ in parts),
        "short": " ".join(f"{n}{short}" for n, _, short in parts),
    }


def present_item(activity: Activity, refs: ActivityRefs, options: FeedOptions) -> dict[str, Any] | None:
    """One item; None when what it names has gone from the catalogue."""
    user = refs.users.get(activity.user_id)
    media = _min_media(activity, refs, options) if options.minimal else _media(activity, refs, options)
    if user is None or media is None:
        return None
    if options.minimal:
        head: dict[str, Any] = {
            "timestamp": activity.created_at,
            "type": activity.type,
            "action": activity.action,
            "user": {"username": user.username},
        }
        return {**head, **media, **_rating(activity)}
    head = {
        "timestamp": activity.created_at,
        "when": when(activity.created_at),
        "elapsed": elapsed(options.now - activity.created_at),
        "type": activity.type,
        "action": activity.action,
        "user": present_user(user, options.settings, joined=False),
    }
    return {**head, **media, **_extras(activity, refs)}


def _movie(movie: Movie, settings: Settings) -> dict[str, Any]:
    """The movie object with ``ratings`` before ``genres``, as the recording has it."""
    data = present_movie(movie, settings)
    genres = data.pop("genres")
    ratings = data.pop("ratings")
    return {**data, "ratings": ratings, "genres": genres}


def _media(activity: Activity, refs: ActivityRefs, options: FeedOptions) -> dict[str, Any] | None:
    settings = options.settings
    if activity.type == "list":
        return _list_media(activity, refs, settings)
    if activity.item_type == events.MOVIE:
        movie = refs.movies.get(activity.movie_id or 0)
        return None if movie is None else {"movie": _movie(movie, settings)}
    show = refs.shows.get(activity.show_id or 0)
    if show is None:
        return None
    data: dict[str, Any] = {"show": present_show(show, settings)}
    if activity.type == "show":
        return data
    covered = refs.covered_episodes(activity)
    if activity.item_type == events.EPISODE and len(covered) == 1:
        data["episode"] = present_episode(covered[0], show, settings)
    elif covered:
        data["episodes"] = [present_episode(e, show, settings) for e in covered]
    else:
        return None
    return data


def _list_media(activity: Activity, refs: ActivityRefs, settings: Settings) -> dict[str, Any] | None:
    found = refs.lists.get(activity.list_id or 0)
    owner = refs.users.get(activity.user_id)
    if found is None or owner is None:
        return None
    data: dict[str, Any] = {"list": present_list(owner, found, settings)}
    if activity.action != events.ITEM_ADDED:
        return data
    item = _list_item(activity, refs, settings)
    return None if item is None else {**data, "list_item": item}


def _list_item(activity: Activity, refs: ActivityRefs, settings: Settings) -> dict[str, Any] | None:
    if activity.item_type == events.MOVIE:
        movie = refs.movies.get(activity.movie_id or 0)
        return None if movie is None else {"type": "movie", "movie": _movie(movie, settings)}
    show = refs.shows.get(activity.show_id or 0)
    if show is None:
        return None
    data: dict[str, Any] = {"type": activity.item_type, "show": present_show(show, settings)}
    if activity.item_type == events.SEASON:
        data["season"] = activity.season
    elif activity.item_type == events.EPISODE:
        episode = refs.episodes.get(activity.episode_id or 0)
        if episode is None:
            return None
        data["episode"] = present_episode(episode, show, settings)
    return data


def _extras(activity: Activity, refs: ActivityRefs) -> dict[str, Any]:
    if activity.action in (events.SHOUT, events.REVIEW):
        comment = refs.comments.get(int(activity.payload.get("comment_id", 0)))
        if comment is None:
            return {}
        return {
            activity.action: {
                "id": comment.id,
                "text": comment.text,
                "text_html": text_html(comment.text),
                "spoiler": comment.spoiler,
            }
        }
    if activity.action == events.SEEN and "watched_at" in activity.payload:
        return {"watched": int(activity.payload["watched_at"])}
    return _rating(activity)


def _rating(activity: Activity) -> dict[str, Any]:
    if activity.action != events.RATING:
        return {}
    payload = activity.payload
    return {
        "rating": payload.get("rating", False),
        "rating_advanced": int(payload.get("rating_advanced", 0)),
        "use_rating_advanced": bool(payload.get("use_rating_advanced", False)),
    }


def _min_media(activity: Activity, refs: ActivityRefs, options: FeedOptions) -> dict[str, Any] | None:
    if activity.type == "list":
        found = refs.lists.get(activity.list_id or 0)
        return None if found is None else {"list": {"slug": found.slug}}
    if activity.item_type == events.MOVIE:
        movie = refs.movies.get(activity.movie_id or 0)
        return None if movie is None else {"movie": _min_movie(movie, options)}
    show = refs.shows.get(activity.show_id or 0)
    if show is None:
        return None
    data: dict[str, Any] = {"show": _min_show(show, options)}
    if activity.type == "show":
        return data
    covered = refs.covered_episodes(activity)
    if activity.item_type == events.EPISODE and len(covered) == 1:
        data["episode"] = _min_episode(covered[0], options)
    elif covered:
        data["episodes"] = [_min_episode(e, options) for e in covered]
    else:
        return None
    return data


def _min_movie(movie: Movie, options: FeedOptions) -> dict[str, Any]:
    data: dict[str, Any] = {"imdb_id": text(movie.imdb_id), "tmdb_id": id_text(movie.tmdb_id)}
    if options.images:
        data["images"] = {
            "poster": image_url(movie.poster_url, "poster", options.settings),
            "fanart": image_url(movie.fanart_url, "fanart", options.settings),
        }
    return data


def _min_show(show: Show, options: FeedOptions) -> dict[str, Any]:
    data: dict[str, Any] = {"imdb_id": text(show.imdb_id), "tvdb_id": id_text(show.tvdb_id)}
    if options.images:
        data["images"] = {
            "poster": image_url(show.poster_url, "poster", options.settings),
            "fanart": image_url(show.fanart_url, "fanart", options.settings),
            "banner": image_url(show.banner_url, "banner", options.settings),
        }
    return data


def _min_episode(episode: Episode, options: FeedOptions) -> dict[str, Any]:
    data: dict[str, Any] = {
        "season": episode.season,
        "number": episode.number,
        "tvdb_id": id_text(episode.tvdb_id),
    }
    if options.images:
        data["images"] = {"screen": image_url(episode.screen_url, "screen", options.settings)}
    return data
