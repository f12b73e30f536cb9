"""Typed inputs and results of the playback services."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from opentrakt.catalog.models import Episode, Movie, Show


class State(StrEnum):
    IDLE = "idle"
    WATCHING = "watching"
    CHECKIN = "checkin"


@dataclass(frozen=True, slots=True)
class MovieItem:
    movie: Movie

    @property
    def kind(self) -> Literal["movie"]:
        return "movie"

    @property
    def runtime(self) -> int | None:
        return self.movie.runtime or None

    @property
    def label(self) -> str:
        """How messages name the movie: ``Batman Begins (2005)``."""
        movie = self.movie
        return f"{movie.title} ({movie.year})" if movie.year else movie.title


@dataclass(frozen=True, slots=True)
class EpisodeItem:
    show: Show
    episode: Episode

    @property
    def kind(self) -> Literal["episode"]:
        return "episode"

    @property
    def runtime(self) -> int | None:
        return self.episode.runtime or self.show.runtime or None

    @property
    def label(self) -> str:
        """How messages name the episode: ``The Walking Dead 1x01``."""
        return f"{self.show.title} {self.episode.season}x{self.episode.number:02d}"


PlaybackItem = MovieItem | EpisodeItem


@dataclass(frozen=True, slots=True)
class Share:
    """Per-network sharing flags."""

    facebook: bool = False
    twitter: bool = False
    tumblr: bool = False
    path: bool = False


NOT_SHARED = Share()


@dataclass(frozen=True, slots=True)
class Session:
    """A user's playback row as stored; ``ends_at`` is when the state stops counting."""

    user_id: int
    state: State
    item_type: str | None = None
    movie_id: int | None = None
    show_id: int | None = None
    episode_id: int | None = None
    identity_key: str | None = None
    started_at: int | None = None
    updated_at: int | None = None
    ends_at: int | None = None
    duration: int | None = None
    progress: int | None = None
    message: str | None = None
    venue_id: str | None = None
    venue_name: str | None = None
    share: Share = field(default_factory=Share)

    def is_active(self, now: int) -> bool:
        """Watching that has not lapsed, or a check-in that has not run its course."""
        return self.state is not State.IDLE and self.ends_at is not None and self.ends_at > now

    def is_due_checkin(self, now: int) -> bool:
        """A check-in whose time is up: it is owed a play at ``ends_at``."""
        return self.state is State.CHECKIN and self.ends_at is not None and self.ends_at <= now

    def is_about(self, item: PlaybackItem) -> bool:
        """Whether this session is about ``item``."""
        if isinstance(item, MovieItem):
            return self.item_type == "movie" and self.movie_id == item.movie.id
        return self.item_type == "episode" and self.episode_id == item.episode.id


@dataclass(frozen=True, slots=True)
class CheckinRequest:
    """What a client may say about a check-in besides the item."""

    duration: int | None = None  # minutes; None: the item's runtime
    message: str | None = None
    venue_id: str | None = None
    venue_name: str | None = None
    share: Share = field(default_factory=Share)


@dataclass(frozen=True, slots=True)
class Watching:
    """A watching state after a ping: started (or refreshed) now, lapsing at ``ends_at``."""

    item: PlaybackItem
    started_at: int
    ends_at: int


@dataclass(frozen=True, slots=True)
class Scrobbled:
    item: PlaybackItem
    watched_at: int


@dataclass(frozen=True, slots=True)
class CheckedIn:
    item: PlaybackItem
    started_at: int
    ends_at: int
    message: str
    shared: Share  # where it was posted: nowhere, as no network is ever connected


@dataclass(frozen=True, slots=True)
class NowPlaying:
    """What a user is watching or checked in to right now."""

    state: State
    item: PlaybackItem
    started_at: int
    ends_at: int
