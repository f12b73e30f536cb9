"""Catalogue reads: genres, seasons, path-ref resolution (one and many), summaries' combined reads."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import pytest
from sqlalchemy import Table, insert, select

from opentrakt.catalog import queries, summaries
from opentrakt.catalog.models import Ratings
from opentrakt.catalog.resolve import movie_id_for_ref, movie_ids_for_refs, show_id_for_ref, show_ids_for_refs
from opentrakt.db.tables.catalog import episodes, movies, seasons, shows
from opentrakt.runtime import Runtime
from tests.catalog.statements import recorded_statements
from tests.catalog_fixtures import (
    BIG_BANG_SEASONS,
    add_episode,
    add_movie,
    add_show,
    catalog_writer,
    the_big_bang_theory,
    the_league,
    the_social_network,
    the_walking_dead,
    uncle_buck,
)


async def test_genres_keep_the_recorded_order(runtime: Runtime) -> None:
    async with runtime.engine.connect() as conn:
        movie_genres = await queries.list_genres(conn, for_shows=False)
        show_genres = await queries.list_genres(conn, for_shows=True)
    assert len(movie_genres) == 24
    assert len(show_genres) == 20
    assert [g.name for g in movie_genres][15:18] == ["Mystery", "No Genre", "Romance"]
    assert next(g.slug for g in show_genres if g.name == "No Genre") == "none"
    assert "Children" not in {g.name for g in movie_genres}
    assert "Film Noir" not in {g.name for g in show_genres}


async def test_show_seasons_are_newest_first_with_specials_last(runtime: Runtime) -> None:
    async with catalog_writer(runtime) as conn:
        show_id = await the_big_bang_theory(conn)
    async with runtime.engine.connect() as conn:
        found = await queries.show_seasons(conn, show_id)
    assert [(s.number, s.episode_count) for s in found] == list(BIG_BANG_SEASONS.items())
    assert found[0].poster_url == "http://trakt.us/images/seasons/34-6.1.jpg"


# --- resolving path refs ------------------------------------------------------------------------


@pytest.fixture
async def catalogue(runtime: Runtime) -> dict[str, int]:
    async with catalog_writer(runtime) as conn:
        return {
            "social": await the_social_network(conn),
            "buck": await uncle_buck(conn),
            # A slug that looks like a TMDB id, and a TMDB id that is another movie's slug.
            "numeric": await add_movie(conn, "2616", None),
            "twd": await the_walking_dead(conn),
            "league": await the_league(conn),
            "24": await add_show(conn, "24", 2001, tvdb_id=76290),
        }


MOVIE_REFS = [
    "tt1285016",
    "37799",
    "the-social-network-2010",
    "The-Social-Network-2010 ",
    "2616",
    "tt0098554",
]
SHOW_REFS = ["153021", "tt1520211", "the-league", "THE-LEAGUE", "24", "76290", "114701"]
UNKNOWN = ["nope", "tt0000001", "999999999", "99999999999", "", "'; select 1; --"]


async def test_many_movie_refs_resolve_like_one(runtime: Runtime, catalogue: dict[str, int]) -> None:
    async with runtime.engine.connect() as conn:
        one_by_one = {ref.strip(): await movie_id_for_ref(conn, ref) for ref in MOVIE_REFS + UNKNOWN}
        with recorded_statements(runtime.engine) as statements:
            together = await movie_ids_for_refs(conn, MOVIE_REFS + UNKNOWN)
    assert len([s for s in statements if s.startswith("SELECT")]) == 1
    assert together == {ref: found for ref, found in one_by_one.items() if found is not None}
    assert together["2616"] == catalogue["buck"]  # an id form first, as for one ref
    assert together["the-social-network-2010"] == catalogue["social"]


async def test_many_show_refs_resolve_like_one(runtime: Runtime, catalogue: dict[str, int]) -> None:
    async with runtime.engine.connect() as conn:
        one_by_one = {ref: await show_id_for_ref(conn, ref) for ref in SHOW_REFS + UNKNOWN}
        together = await show_ids_for_refs(conn, SHOW_REFS + UNKNOWN)
    assert together == {ref: found for ref, found in one_by_one.items() if found is not None}
    # "24" is no show's TVDB id, so it falls back to the slug.
    assert together["24"] == together["76290"] == catalogue["24"]
    assert together["THE-LEAGUE"] == together["114701"] == catalogue["league"]


# --- combined reads -----------------------------------------------------------------------------


async def test_movie_detail_has_credits_in_billing_order(runtime: Runtime, catalogue: dict[str, int]) -> None:
    async with runtime.engine.connect() as conn:
        detail = await summaries.movie_detail(conn, catalogue["social"])
        assert await summaries.movie_detail(conn, 10**6) is None
    assert detail is not None
    assert detail.movie.genres == ("Drama",)
    assert [c.person.name for c in detail.people.actors] == ["Jesse Eisenberg", "Andrew Garfield"]
    assert detail.people.writers[0].job == "Screenplay"
    assert detail.people.producers[0].executive is True


async def test_show_detail_with_and_without_episodes(runtime: Runtime, catalogue: dict[str, int]) -> None:
    async with runtime.engine.connect() as conn:
        plain = await summaries.show_detail(conn, catalogue["twd"], with_episodes=False)
        full = await summaries.show_detail(conn, catalogue["twd"], with_episodes=True)
        assert await summaries.show_detail(conn, 10**6, with_episodes=True) is None
    assert plain is not None and full is not None
    assert plain.seasons == []
    assert [(s.season.number, s.season.episode_count) for s in full.seasons] == [(2, 13), (1, 6)]
    assert [e.number for e in full.seasons[1].episodes] == [1, 2, 3, 4, 5, 6]
    assert [c.character for c in full.people.actors] == ["Rick Grimes"]


async def test_seasons_come_from_season_rows_and_from_episodes(runtime: Runtime) -> None:
    async with catalog_writer(runtime) as conn:
        show_id = await add_show(conn, "Patchy Show", 2015)
        # Season 3 has a row but no episodes yet; seasons 0 and 1 only have episodes.
        await conn.execute(insert(seasons).values(show_id=show_id, number=3, poster_url="http://p/3.jpg"))
        for season, number in [(1, 2), (1, 1), (0, 1)]:
            await add_episode(conn, show_id, season, number)
    async with runtime.engine.connect() as conn:
        with recorded_statements(runtime.engine) as statements:
            found = await summaries.seasons_with_episodes(conn, show_id)
    assert len([s for s in statements if s.startswith("SELECT")]) == 2
    assert [(s.season.number, s.season.episode_count, s.season.poster_url) for s in found] == [
        (3, 0, "http://p/3.jpg"),
        (1, 2, None),
        (0, 1, None),
    ]
    assert [e.number for e in found[1].episodes] == [1, 2]


async def test_episode_detail(runtime: Runtime, catalogue: dict[str, int]) -> None:
    async with runtime.engine.connect() as conn:
        show, episode = await summaries.episode_detail(conn, catalogue["league"], 1, 1) or (None, None)
        assert await summaries.episode_detail(conn, catalogue["league"], 1, 99) is None
        assert await summaries.episode_detail(conn, catalogue["league"], 0, 1) is None
    assert show is not None and episode is not None
    assert (show.title, episode.title) == ("The League", "The Draft")


async def test_updated_since_pages_by_change_time(runtime: Runtime) -> None:
    async with catalog_writer(runtime) as conn:
        ids = [
            await add_movie(conn, f"Movie {n}", 2000, updated_at=t) for n, t in enumerate([50, 10, 10, 30])
        ]
        burst = [await add_show(conn, f"Show {n}", 2000, updated_at=70) for n in range(3)]
    async with runtime.engine.connect() as conn:
        everything = await summaries.movies_updated_since(conn, 0, 10)
        cut = await summaries.movies_updated_since(conn, 0, 2)
        after_cut = await summaries.movies_updated_since(conn, 30, 2)
        one_second = await summaries.shows_updated_since(conn, 0, 2)
    assert [m.id for m in everything.items] == [ids[1], ids[2], ids[3], ids[0]]
    assert everything.until is None
    # Both movies of second 10 fit; the page ends there and the next starts at 30.
    assert ([m.id for m in cut.items], cut.until) == ([ids[1], ids[2]], 30)
    assert ([m.id for m in after_cut.items], after_cut.until) == ([ids[3], ids[0]], None)
    # More changes in one second than a page holds: cut inside it, resume after it.
    assert ([s.id for s in one_second.items], one_second.until) == (burst[:2], 71)


def _distinct_values(table: Table, skip: tuple[str, ...]) -> dict[str, Any]:
    """A different non-null value for each column of ``table`` but ``skip``, by its type."""
    values: dict[str, Any] = {}
    for number, column in enumerate(table.columns, start=1):
        if column.name in skip:
            continue
        kind = column.type.python_type
        values[column.name] = {int: 1000 + number, float: number + 0.5, bool: True}.get(kind, f"v{number}")
    return values


@pytest.mark.parametrize("kind", ["movie", "show", "episode"])
async def test_batch_reads_put_every_column_in_its_field(runtime: Runtime, kind: str) -> None:
    """Records read in batches are built from their columns by position: each value lands in the
    field of its name, as the by-name builders read it."""
    table = {"movie": movies, "show": shows, "episode": episodes}[kind]
    skip = ("id", "show_id", "search_text", "title_key")
    async with catalog_writer(runtime) as conn:
        show_id = await add_show(conn, "The Big Bang Theory", 2007, genre_names=["Comedy"])
        values = {**_distinct_values(table, skip), "source": "imdb"}
        if kind == "episode":
            values.update(show_id=show_id, season=1, number=1)
        else:
            values.update(slug=f"distinct-{kind}", title_key="distinct")
        item_id = (await conn.execute(insert(table).values(values).returning(table.c.id))).scalar_one()
    async with runtime.engine.connect() as conn:
        batch_read = {
            "movie": queries.movies_by_ids,
            "show": queries.shows_by_ids,
            "episode": queries.episodes_by_ids,
        }
        record = (await batch_read[kind](conn, [item_id]))[item_id]
        row = (await conn.execute(select(table).where(table.c.id == item_id))).one()
    by_name = {
        "movie": queries.movie_from_row,
        "show": queries.show_from_row,
        "episode": queries.episode_from_row,
    }[kind](row)
    assert record == by_name
    stored = row._mapping
    assert record.ratings == Ratings(
        stored["rating_votes"],
        stored["rating_total"],
        stored["rating_loved"],
        stored["rating_hated"],
        stored["imdb_rating"],
        stored["imdb_votes"],
    )
    for name in (f.name for f in fields(record) if f.name not in ("ratings", "genres")):
        assert getattr(record, name) == stored[name], name
