"""Typed values and results of the lists services."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

ItemType = Literal["movie", "show", "season", "episode"]

# One list holds at most this many items; a request that would pass it changes nothing.
MAX_ITEMS = 10_000
MAX_NAME = 200
MAX_DESCRIPTION = 10_000


class Privacy(StrEnum):
    PRIVATE = "private"
    FRIENDS = "friends"
    PUBLIC = "public"


@dataclass(frozen=True, slots=True)
class CustomList:
    id: int
    user_id: int
    name: str
    slug: str
    description: str | None
    privacy: Privacy
    show_numbers: bool
    allow_shouts: bool
    created_at: int
    updated_at: int


@dataclass(frozen=True, slots=True)
class ListChanges:
    """What lists/update changes; None leaves a setting as it is."""

    name: str | None = None
    description: str | None = None
    privacy: Privacy | None = None
    show_numbers: bool | None = None
    allow_shouts: bool | None = None


@dataclass(frozen=True, slots=True)
class ItemRef:
    """One catalogue item a list may hold; the ids that ``type`` needs are set."""

    type: ItemType
    movie_id: int | None = None
    show_id: int | None = None
    season: int | None = None
    episode_id: int | None = None

    @property
    def key(self) -> str:
        """The identity of the item on a list (one entry per key)."""
        if self.type == "movie":
            return f"movie:{self.movie_id}"
        if self.type == "show":
            return f"show:{self.show_id}"
        if self.type == "season":
            return f"season:{self.show_id}:{self.season}"
        return f"episode:{self.episode_id}"


@dataclass(frozen=True, slots=True)
class ListItem:
    ref: ItemRef
    rank: int
    added_at: int


@dataclass(frozen=True, slots=True)
class AddResult:
    inserted: int
    already_exist: int
