"""Small value rules every presenter shares: no nulls where clients expect a number or string."""

from __future__ import annotations

from typing import Any

from opentrakt.tracking.models import ItemUserState
from opentrakt.v1.presenters.ratings import simple_rating


def text(value: str | None) -> str:
    return value if value is not None else ""


def number(value: int | None) -> int:
    return value if value is not None else 0


def id_text(value: int | str | None) -> str:
    """External ids go out as strings, as in the 2012 responses."""
    return "" if value is None else str(value)


def add_user_fields(data: dict[str, Any], state: ItemUserState, *, watch_fields: bool = True) -> None:
    """The caller's own fields (only on authenticated calls). Movies and episodes carry the
    watch and collection flags; shows only their rating and watchlist flag, in that order."""
    if watch_fields:
        data["watched"] = state.plays > 0
        data["plays"] = state.plays
        data["in_watchlist"] = state.in_watchlist
        data["in_collection"] = state.in_collection
    data["rating"] = simple_rating(state.rating)
    data["rating_advanced"] = state.rating
    if not watch_fields:
        data["in_watchlist"] = state.in_watchlist
