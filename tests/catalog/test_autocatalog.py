"""Auto-catalogue: unknown items a write names are created from the client's fields."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.catalog import autocatalog, autoepisodes, autofill
from opentrakt.catalog.autocatalog import (
    ensure_episode,
    ensure_episodes,
    ensure_movie,
    ensure_movies,
    ensure_show,
    ensure_shows,
)
from opentrakt.catalog.identify import match_titled
from opentrakt.catalog.identity import EpisodeRef, episode_ref, movie_identity, show_identity
from opentrakt.catalog.imdb.slugs import allocate
from opentrakt.db.engine import write_connection
from opentrakt.db.tables.catalog import SOURCE_CLIENT, SOURCE_IMDB, episodes, movies, seasons, shows
from opentrakt.errors import Invalid
from opentrakt.runtime import Runtime
from tests.catalog.statements import recorded_statements
from tests.catalog_fixtures import add_episode, add_movie, add_show, catalog_writer
from tests.conftest import START

T = TypeVar("T")
LATER = START + 3600


async def _row(conn: AsyncConnection, table: Any, item_id: int | None) -> dict[str, Any]:
    assert item_id is not None
    return dict((await conn.execute(select(table).where(table.c.id == item_id))).one()._mapping)


async def _count(conn: AsyncConnection, table: Any) -> int:
    return (await conn.execute(select(func.count()).select_from(table))).scalar_one()


# --- movies -----------------------------------------------------------------------------------


async def test_an_unknown_movie_is_created_from_the_client_fields(runtime: Runtime) -> None:
    body = {
        "imdb_id": "tt0114746",
        "tmdb_id": "63",
        "title": " Twelve Monkeys ",
        "year": "1995",
        "runtime": 129.0,
    }
    async with catalog_writer(runtime) as conn:
        movie_id = await ensure_movie(conn, movie_identity(body), START)
        row = await _row(conn, movies, movie_id)
        assert await ensure_movie(conn, movie_identity({"imdb_id": "tt0114746"}), LATER) == movie_id
        assert await _count(conn, movies) == 1
    assert {k: row[k] for k in ("slug", "title", "title_key", "year", "imdb_id", "tmdb_id", "runtime")} == {
        "slug": "twelve-monkeys-1995",
        "title": "Twelve Monkeys",
        "title_key": "twelve monkeys",
        "year": 1995,
        "imdb_id": "tt0114746",
        "tmdb_id": 63,
        "runtime": 129,
    }
    assert (row["source"], row["created_at"], row["updated_at"], row["rating_votes"]) == (
        SOURCE_CLIENT,
        START,
        START,
        0,
    )


async def test_a_bulk_body_mixing_known_unknown_and_junk_items(runtime: Runtime) -> None:
    items: list[Any] = [
        {"imdb_id": "tt0372784", "title": "Batman Begins", "year": 2005},  # imported already
        {"title": "Twelve Monkeys", "year": 1995.0, "plays": 1, "last_played": 1255960578},
        {"tmdb_id": 37799},  # an id alone is not enough to create
        {"title": "Heat"},  # nor is a title alone
        "tt0000001",
        None,
        {"title": {"nested": True}, "year": [1995], "imdb_id": False},
    ]
    async with catalog_writer(runtime) as conn:
        known = await add_movie(conn, "Batman Begins", 2005, imdb_id="tt0372784")
        found = await ensure_movies(conn, [movie_identity(item) for item in items], START)
        assert await _count(conn, movies) == 2
    assert found[0] == known
    assert found[1] is not None and found[1] != known
    assert found[2:] == [None] * 5


async def test_the_same_new_movie_named_twice_in_a_batch_is_created_once(runtime: Runtime) -> None:
    sent = [
        {"imdb_id": "tt0114746", "title": "Twelve Monkeys", "year": 1995},
        {"tmdb_id": 63, "title": "twelve monkeys", "year": 1995, "runtime": 129},  # same by title and year
        {"imdb_id": "tt0114746", "title": "12 Monkeys", "year": 1995},  # same by IMDb id
        {"imdb_id": "tt0000042", "title": "Twelve Monkeys", "year": 1995},  # another film
    ]
    async with catalog_writer(runtime) as conn:
        found = await ensure_movies(conn, [movie_identity(item) for item in sent], START)
        first = await _row(conn, movies, found[0])
        other = await _row(conn, movies, found[3])
        assert await _count(conn, movies) == 2
    assert found[0] == found[1] == found[2] != found[3]
    assert (first["title"], first["imdb_id"], first["tmdb_id"], first["runtime"]) == (
        "Twelve Monkeys",
        "tt0114746",
        63,
        129,
    )
    assert (first["slug"], other["slug"]) == ("twelve-monkeys-1995", "twelve-monkeys-1995-2")


async def test_movie_slug_collisions_get_suffixes(runtime: Runtime) -> None:
    async with catalog_writer(runtime) as conn:
        await add_movie(conn, "Dexter", 2006, imdb_id="tt0000001")
        first = await ensure_movie(
            conn, movie_identity({"title": "Dexter", "year": 2006, "imdb_id": "tt0000002"}), START
        )
        second = await ensure_movie(
            conn,
            movie_identity({"title": "DEXTER", "year": 2006, "imdb_id": "tt0000003", "tmdb_id": 3}),
            START,
        )
        no_year = await ensure_movie(conn, movie_identity({"title": "Dexter", "imdb_id": "tt0000004"}), START)
        slugs = [(await _row(conn, movies, i))["slug"] for i in (first, second, no_year)]
    assert slugs == ["dexter-2006-2", "dexter-2006-3", "dexter"]


async def test_imported_movies_are_never_changed_by_client_data(runtime: Runtime) -> None:
    async with catalog_writer(runtime) as conn:
        imported = await add_movie(conn, "Batman Begins", 2005, imdb_id="tt0372784", runtime=None)
        before = await _row(conn, movies, imported)
        sent = {
            "imdb_id": "tt0372784",
            "tmdb_id": 272,
            "title": "Batman Returns",
            "year": 1992,
            "runtime": 140,
        }
        assert await ensure_movie(conn, movie_identity(sent), LATER) == imported
        assert await _row(conn, movies, imported) == before


async def test_client_made_movies_gain_missing_fields_but_keep_set_ones(runtime: Runtime) -> None:
    async with catalog_writer(runtime) as conn:
        movie = await ensure_movie(conn, movie_identity({"title": "Heat", "year": 1995}), START)
        later = {"title": "heat", "year": 1995, "imdb_id": "tt0113277", "tmdb_id": "949", "runtime": 170}
        assert await ensure_movie(conn, movie_identity(later), LATER) == movie
        filled = await _row(conn, movies, movie)
        # Now known by its ids; a different runtime or year does not replace the stored one.
        changed = {
            "imdb_id": "tt0113277",
            "title": "Heat!",
            "year": 1996,
            "runtime": 90,
            "released": 818121600,
        }
        assert await ensure_movie(conn, movie_identity(changed), LATER + 1) == movie
        refilled = await _row(conn, movies, movie)
    assert (filled["imdb_id"], filled["tmdb_id"], filled["runtime"], filled["updated_at"]) == (
        "tt0113277",
        949,
        170,
        LATER,
    )
    assert (refilled["title"], refilled["year"], refilled["runtime"], refilled["slug"]) == (
        "Heat",
        1995,
        170,
        "heat-1995",
    )
    assert refilled["released"] == 818121600


async def test_a_fill_never_takes_an_id_another_movie_holds(runtime: Runtime) -> None:
    async with catalog_writer(runtime) as conn:
        holder = await add_movie(conn, "Other", 2000, tmdb_id=949)
        movie = await ensure_movie(
            conn, movie_identity({"title": "Heat", "year": 1995, "imdb_id": "tt0113277"}), START
        )
        sent = [
            movie_identity({"imdb_id": "tt0113277", "tmdb_id": 949, "runtime": 170}),  # 949 is taken
            movie_identity({"title": "Heat", "year": 1995, "imdb_id": "tt0113277", "tmdb_id": 950}),
        ]
        assert await ensure_movies(conn, sent, LATER) == [movie, movie]
        row = await _row(conn, movies, movie)
        assert (await _row(conn, movies, holder))["tmdb_id"] == 949
    assert (row["tmdb_id"], row["runtime"]) == (950, 170)


async def test_disabled_auto_catalogue_only_resolves(runtime: Runtime) -> None:
    async with catalog_writer(runtime) as conn:
        known = await add_movie(conn, "Heat", 1995, imdb_id="tt0113277")
        client_made = await add_movie(conn, "Ronin", 1998, source=SOURCE_CLIENT)
        sent = [
            movie_identity({"imdb_id": "tt0113277"}),
            movie_identity({"title": "Ronin", "year": 1998, "runtime": 122}),
            movie_identity({"title": "Twelve Monkeys", "year": 1995}),
        ]
        assert await ensure_movies(conn, sent, START, enabled=False) == [known, client_made, None]
        assert (
            await ensure_show(conn, show_identity({"title": "Dexter", "year": 2006}), START, enabled=False)
            is None
        )
        assert await _count(conn, movies) == 2
        assert await _count(conn, shows) == 0
        assert (await _row(conn, movies, client_made))["runtime"] is None


async def test_two_thousand_new_movies_are_created_in_a_bounded_number_of_statements(
    runtime: Runtime,
) -> None:
    sent = [
        movie_identity(
            {"title": f"Home Movie {n % 1500}", "year": 2000, "imdb_id": f"tt{n:07d}", "runtime": "90"}
        )
        for n in range(2000)
    ]
    async with catalog_writer(runtime) as conn:
        with recorded_statements(runtime.engine) as statements:
            found = await ensure_movies(conn, sent, START)
        slugs = set((await conn.execute(select(movies.c.slug))).scalars())
        assert await ensure_movies(conn, sent, LATER) == found
    assert len(set(found)) == 2000 and None not in found
    assert len(slugs) == 2000 and "home-movie-7-2000-2" in slugs
    assert len(statements) <= 25, statements


async def test_two_requests_creating_the_same_movie_at_once_make_one_row(runtime: Runtime) -> None:
    identity = movie_identity({"imdb_id": "tt0114746", "title": "Twelve Monkeys", "year": 1995})
    lookalike = movie_identity({"title": "Twelve Monkeys", "year": 1995, "imdb_id": "tt0000042"})
    results = await _concurrently(runtime, lambda conn: ensure_movies(conn, [identity, lookalike], START))
    async with runtime.engine.connect() as conn:
        slugs = set((await conn.execute(select(movies.c.slug))).scalars())
        assert await _count(conn, movies) == 2
    assert results[0] == results[1]
    assert slugs == {"twelve-monkeys-1995", "twelve-monkeys-1995-2"}


async def _concurrently(
    runtime: Runtime,
    work: Callable[[AsyncConnection], Awaitable[T]],
    other_work: Callable[[AsyncConnection], Awaitable[T]] | None = None,
) -> list[T]:
    """Run ``work`` and ``other_work`` (default: ``work`` again) in two write transactions at once.

    On PostgreSQL both transactions begin before either starts working, so they really overlap.
    SQLite admits one writer at BEGIN IMMEDIATE and the other waits there, which is the point.
    """
    both_begun = asyncio.Barrier(2)

    async def one(conn: AsyncConnection, job: Callable[[AsyncConnection], Awaitable[T]]) -> T:
        conn = await write_connection(conn)
        async with conn.begin():
            if conn.dialect.name == "postgresql":
                await both_begun.wait()
            return await job(conn)

    async with runtime.engine.connect() as first, runtime.engine.connect() as second:
        return list(await asyncio.gather(one(first, work), one(second, other_work or work)))


async def test_two_requests_creating_different_movies_with_one_slug_at_once(runtime: Runtime) -> None:
    heat = movie_identity({"imdb_id": "tt0113277", "title": "Heat", "year": 1995})
    other_heat = movie_identity({"imdb_id": "tt0000042", "title": "Heat", "year": 1995})
    results = await _concurrently(
        runtime,
        lambda conn: ensure_movie(conn, heat, START),
        lambda conn: ensure_movie(conn, other_heat, START),
    )
    async with runtime.engine.connect() as conn:
        rows = (await conn.execute(select(movies.c.id, movies.c.imdb_id, movies.c.slug))).all()
    assert sorted(slug for _, _, slug in rows) == ["heat-1995", "heat-1995-2"]
    assert {imdb_id: movie_id for movie_id, imdb_id, _ in rows} == {
        "tt0113277": results[0],
        "tt0000042": results[1],
    }


async def test_a_slug_taken_after_it_was_chosen_is_replaced(runtime: Runtime, monkeypatch: Any) -> None:
    """What a concurrent request taking the slug between allocation and insert looks like."""
    chosen_once: list[bool] = []

    async def stale_allocate(conn: AsyncConnection, table: Any, wanted: Any) -> dict[Any, str]:
        if not chosen_once:
            chosen_once.append(True)
            return {key: "heat-1995" for key, _ in wanted}
        return await allocate(conn, table, wanted)

    monkeypatch.setattr(autocatalog, "allocate", stale_allocate)
    async with catalog_writer(runtime) as conn:
        await add_movie(conn, "Heat", 1995, imdb_id="tt0113277")
        movie = await ensure_movie(
            conn, movie_identity({"imdb_id": "tt0000042", "title": "Heat", "year": 1995}), START
        )
        row = await _row(conn, movies, movie)
    assert (row["slug"], row["imdb_id"]) == ("heat-1995-2", "tt0000042")


async def test_an_item_added_by_another_request_after_the_lookup_is_not_made_twice(
    runtime: Runtime, monkeypatch: Any
) -> None:
    """A concurrent request commits the same show between this one's lookup and its insert."""
    lookups: list[bool] = []

    async def stale_first_lookup(conn: AsyncConnection, kind: Any, identities: Any) -> list[Any]:
        if not lookups:
            lookups.append(True)
            return [None] * len(identities)
        return await match_titled(conn, kind, identities)

    monkeypatch.setattr(autocatalog, "match_titled", stale_first_lookup)
    async with catalog_writer(runtime) as conn:
        existing = await add_show(conn, "Night Shift", 2014)
        show = await ensure_show(conn, show_identity({"title": "Night Shift", "year": 2014}), START)
        assert (show, await _count(conn, shows)) == (existing, 1)


async def test_an_id_taken_after_the_check_costs_only_the_id(runtime: Runtime, monkeypatch: Any) -> None:
    """A fill or insert racing another request for the same unique id keeps everything else."""

    async def everything_free(
        conn: AsyncConnection, table: Any, name: str, values: Any, claims: Any
    ) -> set[Any]:
        return {value for value in values if value is not None}

    monkeypatch.setattr(autofill, "free_values", everything_free)
    monkeypatch.setattr(autocatalog, "free_values", everything_free)
    monkeypatch.setattr(autoepisodes, "free_values", everything_free)
    async with catalog_writer(runtime) as conn:
        await add_movie(conn, "Other", 2000, tmdb_id=949)
        movie = await ensure_movie(
            conn, movie_identity({"title": "Heat", "year": 1995, "imdb_id": "tt0113277"}), START
        )
        sent = movie_identity({"imdb_id": "tt0113277", "tmdb_id": 949, "runtime": 170})
        assert await ensure_movie(conn, sent, LATER) == movie
        row = await _row(conn, movies, movie)
        other = await add_show(conn, "Dexter", 2006)
        await add_episode(conn, other, 1, 1, tvdb_id=555)
        show = await add_show(conn, "The League", 2009)
        episode = await ensure_episode(conn, show, EpisodeRef(1, 1, episode_tvdb_id=555, runtime=30), START)
        episode_row = await _row(conn, episodes, episode)
    assert (row["tmdb_id"], row["runtime"]) == (None, 170)
    assert (episode_row["show_id"], episode_row["tvdb_id"], episode_row["runtime"]) == (show, None, 30)


# --- shows ------------------------------------------------------------------------------------


async def test_an_unknown_show_is_created_as_script_trakt_names_it(runtime: Runtime) -> None:
    body = {"title": "Dexter", "tvdb_id": "79349", "episodes": [{"season": 1, "episode": 1}]}
    async with catalog_writer(runtime) as conn:
        show = await ensure_show(conn, show_identity(body), START)
        row = await _row(conn, shows, show)
        assert await ensure_show(conn, show_identity({"tvdb_id": 79349}), LATER) == show
    assert (row["slug"], row["title"], row["tvdb_id"], row["year"], row["source"]) == (
        "dexter",
        "Dexter",
        79349,
        None,
        SOURCE_CLIENT,
    )


async def test_show_slug_collisions_prefer_the_year_then_suffixes(runtime: Runtime) -> None:
    async with catalog_writer(runtime) as conn:
        imported = await add_show(conn, "Dexter", 2006, imdb_id="tt0773262")
        sent = [
            show_identity({"title": "Dexter", "year": 2006, "tvdb_id": 79349, "imdb_id": "tt0773262"}),
            show_identity({"title": "Dexter", "year": 2006, "tvdb_id": 1}),
            show_identity({"title": "Dexter", "tvdb_id": 2, "imdb_id": "tt0000002"}),
            show_identity({"title": "Dexter", "year": 2006, "imdb_id": "tt0000003"}),
        ]
        found = await ensure_shows(conn, sent, START)
        slugs = [(await _row(conn, shows, i))["slug"] for i in found[1:]]
    # The first two name the imported show (by IMDb id, then by title and year).
    assert found[:2] == [imported, imported]
    assert slugs == ["dexter", "dexter-2", "dexter-2006"]


async def test_a_taken_tvrage_id_is_left_out_of_a_new_show(runtime: Runtime) -> None:
    async with catalog_writer(runtime) as conn:
        await add_show(conn, "The Walking Dead", 2010, tvrage_id=25056)
        sent = [
            show_identity({"title": "Dexter", "year": 2006, "tvdb_id": 79349, "tvrage_id": 25056}),
            show_identity({"title": "Lost", "year": 2004, "tvrage_id": 7926}),
            show_identity({"title": "Lost Again", "year": 2004, "tvrage_id": 7926}),
        ]
        found = await ensure_shows(conn, sent, START)
        rows = [await _row(conn, shows, i) for i in found]
    assert [row["tvrage_id"] for row in rows] == [None, 7926, None]


async def test_client_made_shows_gain_missing_fields(runtime: Runtime) -> None:
    async with catalog_writer(runtime) as conn:
        show = await ensure_show(conn, show_identity({"title": "Dexter", "tvdb_id": 79349}), START)
        later = {"tvdb_id": "79349", "imdb_id": "tt0773262", "tvrage_id": 7926, "year": 2006, "runtime": 55}
        assert await ensure_show(conn, show_identity(later), LATER) == show
        row = await _row(conn, shows, show)
    assert (row["imdb_id"], row["tvrage_id"], row["year"], row["runtime"]) == ("tt0773262", 7926, 2006, 55)


# --- episodes ---------------------------------------------------------------------------------


async def test_missing_episodes_and_their_seasons_are_created(runtime: Runtime) -> None:
    items = [
        {"season": "1", "episode": "1", "episode_tvdb_id": "127425", "title": "Days Gone Bye"},
        {"season": 1, "episode": 2.0},
        {"season": 0, "number": 1},
        {"season": 2, "episode": 1, "runtime": 60},
    ]
    async with catalog_writer(runtime) as conn:
        show = await ensure_show(conn, show_identity({"title": "The Walking Dead", "year": 2010}), START)
        assert show is not None
        found = await ensure_episodes(conn, show, [episode_ref(item) for item in items], START)
        pilot = await _row(conn, episodes, found[0])
        season_numbers = (
            await conn.execute(select(seasons.c.number).where(seasons.c.show_id == show))
        ).scalars()
        assert await ensure_episodes(conn, show, [episode_ref(item) for item in items], LATER) == found
        assert await _count(conn, episodes) == 4
    assert None not in found and len(set(found)) == 4
    assert sorted(season_numbers) == [0, 1, 2]
    assert (pilot["season"], pilot["number"], pilot["tvdb_id"], pilot["title"], pilot["title_key"]) == (
        1,
        1,
        127425,
        "Days Gone Bye",
        "days gone bye",
    )
    assert (pilot["source"], pilot["show_id"]) == (SOURCE_CLIENT, show)


async def test_episodes_of_an_imported_show_are_added_beside_imported_ones(runtime: Runtime) -> None:
    async with catalog_writer(runtime) as conn:
        show = await add_show(conn, "The League", 2009)
        imported = await add_episode(conn, show, 1, 1, title="The Draft", runtime=None)
        before = await _row(conn, episodes, imported)
        refs = [EpisodeRef(1, 1, episode_tvdb_id=1_000, title="Other", runtime=30), EpisodeRef(1, 2)]
        found = await ensure_episodes(conn, show, refs, LATER)
        assert found[0] == imported
        assert await _row(conn, episodes, imported) == before
        assert (await _row(conn, episodes, found[1]))["source"] == SOURCE_CLIENT
        assert (await _row(conn, episodes, imported))["source"] == SOURCE_IMDB


async def test_client_made_episodes_gain_missing_fields(runtime: Runtime) -> None:
    async with catalog_writer(runtime) as conn:
        show = await add_show(conn, "The League", 2009)
        episode = await ensure_episode(conn, show, EpisodeRef(1, 1), START)
        later = EpisodeRef(
            1, 1, episode_tvdb_id=1_200_000, title="The Draft", runtime=30, first_aired=1256799600
        )
        assert await ensure_episode(conn, show, later, LATER) == episode
        assert (
            await ensure_episode(conn, show, EpisodeRef(1, 1, title="Renamed", runtime=22), LATER + 1)
            == episode
        )
        row = await _row(conn, episodes, episode)
    assert (row["tvdb_id"], row["title"], row["title_key"], row["runtime"], row["first_aired"]) == (
        1_200_000,
        "The Draft",
        "the draft",
        30,
        1256799600,
    )
    assert row["updated_at"] == LATER


async def test_an_episode_tvdb_id_held_elsewhere_is_left_out(runtime: Runtime) -> None:
    async with catalog_writer(runtime) as conn:
        other = await add_show(conn, "Dexter", 2006)
        await add_episode(conn, other, 1, 1, tvdb_id=555)
        show = await add_show(conn, "The League", 2009)
        refs = [
            EpisodeRef(1, 1, episode_tvdb_id=555),
            EpisodeRef(1, 2, episode_tvdb_id=7),
            EpisodeRef(1, 3, episode_tvdb_id=7),
        ]
        found = await ensure_episodes(conn, show, refs, START)
        rows = [await _row(conn, episodes, i) for i in found]
    assert [(r["show_id"], r["number"], r["tvdb_id"]) for r in rows] == [
        (show, 1, None),
        (show, 2, 7),
        (show, 3, None),
    ]


async def test_disabled_auto_catalogue_creates_no_episodes(runtime: Runtime) -> None:
    async with catalog_writer(runtime) as conn:
        show = await add_show(conn, "The League", 2009)
        known = await add_episode(conn, show, 1, 1)
        found = await ensure_episodes(conn, show, [EpisodeRef(1, 1), EpisodeRef(1, 2)], START, enabled=False)
        assert found == [known, None]
        assert await _count(conn, episodes) == 1
        assert await _count(conn, seasons) == 0


async def test_invalid_episode_items_are_reported_and_the_rest_applied(runtime: Runtime) -> None:
    """What a bulk handler does: parse each item, skip the invalid ones with their reason."""
    items: list[Any] = [
        {"season": 1, "episode": 1},
        {"season": -1, "episode": 2},
        {"season": 1.5, "episode": 3},
        "1x04",
    ]
    refs: list[EpisodeRef] = []
    skipped: list[tuple[int, str]] = []
    for position, item in enumerate(items):
        try:
            refs.append(episode_ref(item))
        except Invalid as error:
            skipped.append((position, error.message))
    async with catalog_writer(runtime) as conn:
        show = await add_show(conn, "The League", 2009)
        found = await ensure_episodes(conn, show, refs, START)
    assert skipped == [
        (1, "season must not be negative"),
        (2, "season must be a whole number"),
        (3, "an episode must be an object"),
    ]
    assert len(found) == 1 and found[0] is not None


async def test_two_thousand_new_episodes_are_created_in_a_bounded_number_of_statements(
    runtime: Runtime,
) -> None:
    refs = [EpisodeRef(1 + n // 100, 1 + n % 100, episode_tvdb_id=50_000 + n) for n in range(2000)]
    async with catalog_writer(runtime) as conn:
        show = await add_show(conn, "General Hospital", 1963)
        with recorded_statements(runtime.engine) as statements:
            found = await ensure_episodes(conn, show, refs, START)
        assert await _count(conn, seasons) == 20
    assert len(set(found)) == 2000 and None not in found
    assert len(statements) <= 15, statements


async def test_two_requests_creating_the_same_episodes_at_once(runtime: Runtime) -> None:
    async with catalog_writer(runtime) as conn:
        show = await add_show(conn, "The League", 2009)
    refs = [EpisodeRef(1, n, episode_tvdb_id=900 + n) for n in range(1, 6)]
    results = await _concurrently(runtime, lambda conn: ensure_episodes(conn, show, refs, START))
    async with runtime.engine.connect() as conn:
        assert await _count(conn, episodes) == 5
        assert await _count(conn, seasons) == 1
    assert results[0] == results[1] and None not in results[0]
