"""What bulk tracking writes take and what they report.

A bulk write reports, for every submitted position, whether it changed anything, so that a
protocol adapter can echo the submitted items it did not apply (v1's ``already_exist_*``).
An item submitted twice in one batch is applied once: the first position counts as changed
(if the item needed the change at all) and the later ones as unchanged.
"""

from __future__ import annotations

from collections.abc import Container, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from opentrakt.db.tables.tracking import ACTION_CHECKIN, ACTION_SCROBBLE, ACTION_SEEN
from opentrakt.errors import Invalid

# How a play can be recorded: by hand or sync (seen), or by playback (scrobble, checkin).
PLAY_ACTIONS = frozenset({ACTION_SEEN, ACTION_SCROBBLE, ACTION_CHECKIN})


@dataclass(frozen=True, slots=True)
class MovieSeen:
    """A movie watched outside the server: ``plays`` times, the last at ``last_played``."""

    movie_id: int
    plays: int = 1
    last_played: int | None = None  # None = now


class EpisodeSeen(NamedTuple):  # a tuple: a bulk write builds thousands
    episode_id: int
    last_played: int | None = None  # None = now


@dataclass(frozen=True, slots=True)
class BatchResult:
    """Per submitted position: did the write change it?

    For additions ``changed`` means inserted and ``unchanged`` already there; for removals,
    removed and not there to begin with.
    """

    changed: tuple[bool, ...]

    @property
    def count(self) -> int:
        return sum(self.changed)

    @property
    def unchanged(self) -> int:
        return len(self.changed) - self.count

    @property
    def unchanged_positions(self) -> list[int]:
        return [position for position, flag in enumerate(self.changed) if not flag]


@dataclass(frozen=True, slots=True)
class ScopeResult:
    """A write over every episode of a show or season."""

    total: int  # episodes the write covered
    changed: int  # of those, the ones it changed


def first_changes(ids: Sequence[int], needs_change: Container[int]) -> tuple[bool, ...]:
    """Flags for ``ids``: the first occurrence of each id that ``needs_change``."""
    handled: set[int] = set()
    flags = []
    for item_id in ids:
        flags.append(item_id in needs_change and item_id not in handled)
        handled.add(item_id)
    return tuple(flags)


def changed_ids(ids: Sequence[int], flags: Sequence[bool]) -> list[int]:
    return [item_id for item_id, flag in zip(ids, flags, strict=True) if flag]


def played_at(last_played: int | None, now: int) -> int:
    """When a reported play happened; a missing or non-positive time means now."""
    return last_played if last_played is not None and last_played > 0 else now


MAX_PLAYS = 2**31 - 1  # the plays column is a 32-bit integer
MAX_TIMESTAMP = 2**63 - 1


def check_seen(items: Sequence[MovieSeen | EpisodeSeen]) -> None:
    """Refuse values the tables cannot hold before anything is written."""
    for item in items:
        if isinstance(item, MovieSeen) and not 1 <= item.plays <= MAX_PLAYS:
            raise Invalid(f"plays must be between 1 and {MAX_PLAYS}")
        if item.last_played is not None and item.last_played > MAX_TIMESTAMP:
            raise Invalid("last_played is out of range")
