"""rate/movie, rate/show, rate/episode and their batch forms rate/movies, rate/shows, rate/episodes.

Items are named the way every write names them and are auto-catalogued when unknown, except
when the rating removes one: un-rating something the catalogue has never held changes nothing.
A bad rating value anywhere in a request fails the whole request before anything is written;
in batches, items that name nothing known are skipped and echoed back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.catalog.autocatalog import ensure_episodes, ensure_movies, ensure_shows
from opentrakt.catalog.identity import EpisodeRef, episode_ref, movie_identity, show_identity
from opentrakt.catalog.queries import episodes_by_ids, movie_by_id, show_by_id
from opentrakt.errors import Invalid
from opentrakt.ratings import service as ratings
from opentrakt.ratings.models import UNRATED, ItemKind, parse_rating
from opentrakt.v1.call import V1Call
from opentrakt.v1.envelopes import V1Error
from opentrakt.v1.lookup import EPISODE_NOT_FOUND, EPISODE_NOT_FOUND_STATUS, MOVIE_NOT_FOUND, SHOW_NOT_FOUND
from opentrakt.v1.presenters.rated import episode_label, movie_label, present_batch, present_rated
from opentrakt.v1.registry import WRITE, Auth, v1_method

# The identifying fields a skipped item is echoed back with.
_MOVIE_KEYS = ("imdb_id", "tmdb_id", "title", "year")
_SHOW_KEYS = ("tvdb_id", "imdb_id", "title", "year")
_EPISODE_KEYS = (*_SHOW_KEYS, "season", "episode")


class _Ensure(Protocol):
    """The auto-catalogue's batch shape: ``ensure_movies``, ``ensure_shows``, episodes of a show."""

    async def __call__(
        self, conn: AsyncConnection, items: Sequence[Any], now: int, *, enabled: bool = True
    ) -> list[int | None]: ...


def _echo(value: object) -> Any:
    """The rating as the client sent it: clients compare the echo with their own value."""
    if isinstance(value, str):
        return value.strip().lower()
    if isinstance(value, float):
        return int(value)
    return value


async def _resolve(
    call: V1Call, ensure: _Ensure, identities: Sequence[Any], values: Sequence[int]
) -> list[int | None]:
    """Resolve a batch, creating unknown items only for the entries that set a rating."""
    found: list[int | None] = [None] * len(identities)
    auto = call.runtime.settings.auto_catalog
    for creating in (True, False):
        positions = [i for i, value in enumerate(values) if (value != UNRATED) == creating]
        if not positions:
            continue
        ids = await ensure(call.conn, [identities[i] for i in positions], call.now, enabled=creating and auto)
        for position, item_id in zip(positions, ids, strict=True):
            found[position] = item_id
    return found


async def _rate_one(call: V1Call, kind: ItemKind, item_id: int, rating: int) -> None:
    await ratings.rate(call.conn, call.caller.id, kind, {item_id: rating}, call.now)


@v1_method("rate/movie", verbs=WRITE, auth=Auth.REQUIRED)
async def rate_movie(call: V1Call) -> dict[str, Any]:
    rating = parse_rating(call.body.get("rating"))
    identity = movie_identity(call.body)
    movie_id = (
        (await _resolve(call, ensure_movies, [identity], [rating]))[0] if identity.has_identity else None
    )
    if movie_id is None:
        raise V1Error(404, MOVIE_NOT_FOUND)
    await _rate_one(call, "movie", movie_id, rating)
    movie = await movie_by_id(call.conn, movie_id)
    assert movie is not None
    return present_rated(
        "movie", movie_label(movie), _echo(call.body["rating"]), rating == UNRATED, movie.ratings
    )


@v1_method("rate/show", verbs=WRITE, auth=Auth.REQUIRED)
async def rate_show(call: V1Call) -> dict[str, Any]:
    rating = parse_rating(call.body.get("rating"))
    identity = show_identity(call.body)
    show_id = (await _resolve(call, ensure_shows, [identity], [rating]))[0] if identity.has_identity else None
    if show_id is None:
        raise V1Error(404, SHOW_NOT_FOUND)
    await _rate_one(call, "show", show_id, rating)
    show = await show_by_id(call.conn, show_id)
    assert show is not None
    return present_rated("show", show.title, _echo(call.body["rating"]), rating == UNRATED, show.ratings)


@v1_method("rate/episode", verbs=WRITE, auth=Auth.REQUIRED)
async def rate_episode(call: V1Call) -> dict[str, Any]:
    rating = parse_rating(call.body.get("rating"))
    ref = episode_ref(call.body, inline_show=True)
    identity = show_identity(call.body)
    show_id = (await _resolve(call, ensure_shows, [identity], [rating]))[0] if identity.has_identity else None
    if show_id is None:
        raise V1Error(404, SHOW_NOT_FOUND)
    episode_id = (await _episode_ids(call, show_id, [ref], [rating]))[0]
    if episode_id is None:
        raise V1Error(EPISODE_NOT_FOUND_STATUS, EPISODE_NOT_FOUND)
    await _rate_one(call, "episode", episode_id, rating)
    show = await show_by_id(call.conn, show_id)
    episode = (await episodes_by_ids(call.conn, [episode_id]))[episode_id]
    assert show is not None
    label = episode_label(show, episode)
    return present_rated("episode", label, _echo(call.body["rating"]), rating == UNRATED, episode.ratings)


async def _episode_ids(
    call: V1Call, show_id: int, refs: Sequence[EpisodeRef], values: Sequence[int]
) -> list[int | None]:
    async def ensure(
        conn: AsyncConnection, batch: Sequence[EpisodeRef], now: int, *, enabled: bool = True
    ) -> list[int | None]:
        return await ensure_episodes(conn, show_id, batch, now, enabled=enabled)

    return await _resolve(call, ensure, refs, values)


def _items(call: V1Call, key: str) -> list[Mapping[str, Any] | None]:
    """The batch's entries; an entry that is not an object names nothing and is skipped."""
    items = call.body.get(key)
    if items is None:
        items = []
    if not isinstance(items, list):
        raise V1Error(400, f"{key} must be a list")
    return [item if isinstance(item, Mapping) else None for item in items]


def _values(items: Sequence[Mapping[str, Any] | None]) -> list[int]:
    """Every entry's rating, or the whole request fails (nothing written) on the first bad one."""
    values = []
    for position, item in enumerate(items):
        if item is None:
            values.append(UNRATED)  # skipped anyway; UNRATED keeps it from being catalogued
            continue
        try:
            values.append(parse_rating(item.get("rating")))
        except Invalid as exc:
            raise V1Error(400, f"item {position + 1}: {exc.message}") from None
    return values


def _sent(item: Mapping[str, Any] | None, keys: Sequence[str]) -> dict[str, Any]:
    if item is None:
        return {}
    return {key: item[key] for key in keys if item.get(key) is not None}


async def _apply_batch(
    call: V1Call, kind: ItemKind, ids: Sequence[int | None], values: Sequence[int]
) -> tuple[int, int]:
    """Rate every resolved item (the last value wins for an item named twice); returns the
    numbers of ratings set and removed."""
    wanted = {item_id: value for item_id, value in zip(ids, values, strict=True) if item_id is not None}
    await ratings.rate(call.conn, call.caller.id, kind, wanted, call.now)
    removed = sum(1 for value in wanted.values() if value == UNRATED)
    return len(wanted) - removed, removed


@v1_method("rate/movies", verbs=WRITE, auth=Auth.REQUIRED)
async def rate_movies(call: V1Call) -> dict[str, Any]:
    items = _items(call, "movies")
    values = _values(items)
    identities = [movie_identity(item) for item in items]  # None reads as no identity
    ids = await _resolve(call, ensure_movies, identities, values)
    rated, removed = await _apply_batch(call, "movie", ids, values)
    skipped = [_sent(item, _MOVIE_KEYS) for item, item_id in zip(items, ids, strict=True) if item_id is None]
    return present_batch("movies", rated, removed, skipped)


@v1_method("rate/shows", verbs=WRITE, auth=Auth.REQUIRED)
async def rate_shows(call: V1Call) -> dict[str, Any]:
    items = _items(call, "shows")
    values = _values(items)
    identities = [show_identity(item) for item in items]
    ids = await _resolve(call, ensure_shows, identities, values)
    rated, removed = await _apply_batch(call, "show", ids, values)
    skipped = [_sent(item, _SHOW_KEYS) for item, item_id in zip(items, ids, strict=True) if item_id is None]
    return present_batch("shows", rated, removed, skipped)


@v1_method("rate/episodes", verbs=WRITE, auth=Auth.REQUIRED)
async def rate_episodes(call: V1Call) -> dict[str, Any]:
    items = _items(call, "episodes")
    values = _values(items)
    refs: list[EpisodeRef | None] = []
    for item in items:
        try:
            refs.append(episode_ref(item or {}, inline_show=True))
        except Invalid:
            refs.append(None)  # no usable season or number: skipped like an unknown episode
    identities = [show_identity(item) for item in items]
    show_ids = await _resolve(call, ensure_shows, identities, values)
    ids = await _episodes_of_shows(call, show_ids, refs, values)
    rated, removed = await _apply_batch(call, "episode", ids, values)
    skipped = [
        _sent(item, _EPISODE_KEYS) for item, item_id in zip(items, ids, strict=True) if item_id is None
    ]
    return present_batch("episodes", rated, removed, skipped)


async def _episodes_of_shows(
    call: V1Call, show_ids: Sequence[int | None], refs: Sequence[EpisodeRef | None], values: Sequence[int]
) -> list[int | None]:
    """Each entry's episode id, resolved one show at a time (never one episode at a time)."""
    by_show: dict[int, list[int]] = defaultdict(list)
    for position, (show_id, ref) in enumerate(zip(show_ids, refs, strict=True)):
        if show_id is not None and ref is not None:
            by_show[show_id].append(position)
    found: list[int | None] = [None] * len(refs)
    for show_id, positions in by_show.items():
        show_refs = [ref for i in positions if (ref := refs[i]) is not None]
        ids = await _episode_ids(call, show_id, show_refs, [values[i] for i in positions])
        for position, episode_id in zip(positions, ids, strict=True):
            found[position] = episode_id
    return found
