"""Typed personal-state records shared by the tracking services and their readers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ItemUserState:
    """One user's relation to one item: what the per-user fields of v1 items describe."""

    plays: int = 0
    in_collection: bool = False
    in_watchlist: bool = False
    rating: int = 0  # 10-point rating; 0 = not rated


NO_STATE = ItemUserState()
