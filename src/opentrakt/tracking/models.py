"""Typed personal-state records shared by the tracking services and their readers."""

from __future__ import annotations

from dataclasses import dataclass

from opentrakt.accounts.models import User
from opentrakt.catalog.models import Episode


@dataclass(frozen=True, slots=True)
class ItemUserState:
    """One user's relation to one item: what the per-user fields of v1 items describe."""

    plays: int = 0
    in_collection: bool = False
    in_watchlist: bool = False
    rating: int = 0  # 10-point rating; 0 = not rated


NO_STATE = ItemUserState()


@dataclass(frozen=True, slots=True)
class Watcher:
    """A user among an item's most frequent watchers."""

    user: User
    plays: int


@dataclass(frozen=True, slots=True)
class EpisodePlays:
    """One of a show's most played episodes."""

    episode: Episode
    plays: int


@dataclass(frozen=True, slots=True)
class ItemActivity:
    """Everyone's activity on one item: the counters and top lists that summaries report."""

    watchers: int = 0
    plays: int = 0
    scrobbles: int = 0
    scrobbles_unique: int = 0
    checkins: int = 0
    checkins_unique: int = 0
    collection: int = 0
    collection_unique: int = 0
    top_watchers: tuple[Watcher, ...] = ()
    top_episodes: tuple[EpisodePlays, ...] = ()  # shows only
