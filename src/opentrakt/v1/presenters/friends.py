"""The deprecated user/friends entries: a friend with what they watch now and watched last."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from opentrakt.accounts.models import User
from opentrakt.catalog.models import Episode, Movie, Show
from opentrakt.config import Settings
from opentrakt.playback.models import NowPlaying
from opentrakt.social.recent_plays import RecentPlay
from opentrakt.v1.presenters.episode import present_episode
from opentrakt.v1.presenters.movie import present_movie
from opentrakt.v1.presenters.network import present_listed_user
from opentrakt.v1.presenters.show import present_show
from opentrakt.v1.presenters.watching import present_watch_item


@dataclass(frozen=True, slots=True)
class PlayedItems:
    """The catalogue items a set of plays names, fetched in one go."""

    movies: Mapping[int, Movie] = field(default_factory=dict)
    shows: Mapping[int, Show] = field(default_factory=dict)
    episodes: Mapping[int, Episode] = field(default_factory=dict)


def present_history_item(play: RecentPlay, items: PlayedItems, settings: Settings) -> dict[str, Any] | None:
    """``{type, action, watched, movie | show + episode}``; None if the item has gone."""
    head = {"type": play.kind, "action": play.action, "watched": play.watched_at}
    if play.kind == "movie":
        movie = items.movies.get(play.movie_id or 0)
        return None if movie is None else {**head, "movie": present_movie(movie, settings)}
    episode = items.episodes.get(play.episode_id or 0)
    show = items.shows.get(play.show_id or 0)
    if episode is None or show is None:
        return None
    return {**head, "show": present_show(show, settings), "episode": present_episode(episode, show, settings)}


def _history(
    plays: Sequence[RecentPlay], items: PlayedItems, settings: Settings, limit: int
) -> list[dict[str, Any]]:
    presented = (present_history_item(play, items, settings) for play in plays)
    return [item for item in presented if item is not None][:limit]


def present_friend(
    user: User,
    settings: Settings,
    *,
    visible: bool,
    watching: NowPlaying | None,
    plays: Sequence[RecentPlay],
    items: PlayedItems,
    limit: int,
    extended: bool,
) -> dict[str, Any]:
    """A friend's user object with ``watching`` (``[]`` when idle) and ``watched``; ``extended``
    adds ``watched_episodes`` and ``watched_movies``. A protected friend the caller may not see
    shows their name and nothing they watch."""
    data = present_listed_user(user, settings, visible=visible)
    if not visible:
        watching, plays = None, ()
    data["watching"] = present_watch_item(watching, settings) if watching is not None else []
    data["watched"] = _history(plays, items, settings, limit)
    if extended:
        data["watched_episodes"] = _history([p for p in plays if p.kind == "episode"], items, settings, limit)
        data["watched_movies"] = _history([p for p in plays if p.kind == "movie"], items, settings, limit)
    return data
