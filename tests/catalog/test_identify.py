"""Parsing what clients send into identities, and resolving them in the contract's order."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Table, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.catalog import identify
from opentrakt.catalog.identify import (
    movie_id_for_ref,
    resolve_episode,
    resolve_episodes,
    resolve_movie,
    resolve_movies,
    resolve_show,
    resolve_shows,
    show_id_for_ref,
)
from opentrakt.catalog.identity import (
    EpisodeRef,
    MovieIdentity,
    ShowIdentity,
    episode_ref,
    movie_identity,
    show_identity,
)
from opentrakt.catalog.text import fold, movie_slug
from opentrakt.db.tables.catalog import SOURCE_IMDB, episodes, movies
from opentrakt.errors import Invalid
from opentrakt.runtime import Runtime
from tests.catalog.statements import recorded_statements
from tests.catalog_fixtures import add_episode, add_movie, add_show, catalog_writer

# What traktr 0.7.0 sends: the whole movie summary merged into a library/seen/watchlist item.
MERGED_MOVIE_SUMMARY: dict[str, Any] = {
    "title": "The Social Network",
    "year": 2010,
    "released": 1285916400,
    "url": "http://trakt.tv/movie/the-social-network-2010",
    "trailer": "http://youtube.com/watch?v=lB95KLmpLR4",
    "runtime": 120,
    "tagline": "You don't get to 500 million friends without making a few enemies.",
    "overview": "…",
    "certification": "PG-13",
    "imdb_id": "tt1285016",
    "tmdb_id": "37799",
    "rt_id": 770790775,
    "last_updated": 1387000000,
    "poster": "http://slurm.trakt.us/images/posters_movies/2.jpg",
    "images": {"poster": "http://…", "fanart": "http://…"},
    "top_watchers": [{"plays": 5, "username": "justin"}],
    "ratings": {"percentage": 85, "votes": 3000, "loved": 2800, "hated": 200},
    "stats": {"watchers": 9000, "plays": 11000},
    "people": {"directors": [{"name": "David Fincher"}], "actors": []},
    "genres": ["Drama"],
    "watched": False,
    "plays": 0,
    "rating": False,
    "in_watchlist": False,
    "in_collection": False,
}


async def _bulk_ids(conn: AsyncConnection, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    result = await conn.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
    return list(result.scalars())


async def _bulk_movies(conn: AsyncConnection, rows: list[dict[str, Any]]) -> list[int]:
    """Imported movies in one statement; each row needs ``title`` and ``year``, ids optional."""
    complete = [
        {"imdb_id": None, "tmdb_id": None}
        | row
        | {
            "slug": movie_slug(row["title"], row["year"]),
            "title_key": fold(row["title"]),
            "source": SOURCE_IMDB,
            "created_at": 0,
            "updated_at": 0,
        }
        for row in rows
    ]
    return await _bulk_ids(conn, movies, complete)


# --- parsing ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        (79349, 79349),
        ("79349", 79349),
        (" 79349 ", 79349),
        (79349.0, 79349),
        ("79349.0", 79349),
        (79349.5, None),
        ("79349abc", None),
        ("", None),
        (None, None),
        (True, None),
        (False, None),
        ({"id": 79349}, None),
        ([79349], None),
        (0, None),
        (-5, None),
        (2**31, None),
        (float("nan"), None),
        ("9" * 5000, None),
    ],
)
def test_numeric_ids_are_coerced_or_absent(sent: object, expected: int | None) -> None:
    assert show_identity({"tvdb_id": sent}).tvdb_id == expected
    assert movie_identity({"tmdb_id": sent}).tmdb_id == expected


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        ("tt0372784", "tt0372784"),
        (" TT0372784 ", "tt0372784"),
        ("0372784", None),
        ("tt", None),
        ("tt0372784x", None),
        ("nm0000001", None),
        (372784, None),
        (None, None),
        ({"imdb": "tt0372784"}, None),
    ],
)
def test_imdb_ids_must_look_like_imdb_ids(sent: object, expected: str | None) -> None:
    assert movie_identity({"imdb_id": sent}).imdb_id == expected
    assert show_identity({"imdb_id": sent}).imdb_id == expected


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        (2006, 2006),
        ("2006", 2006),
        (2006.0, 2006),
        (1870, 1870),
        (2100, 2100),
        (1869, None),
        (2101, None),
        (0, None),
        ("2006-01-01", None),
        (2006.5, None),
        (True, None),
        (None, None),
        ([2006], None),
    ],
)
def test_years_are_coerced_within_a_sane_range(sent: object, expected: int | None) -> None:
    assert movie_identity({"year": sent}).year == expected


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        ("  Dexter ", "Dexter"),
        ("Amélie", "Amélie"),
        ("Nul\x00led", "Nulled"),
        (1917, "1917"),
        ("", None),
        ("   ", None),
        (None, None),
        (True, None),
        ({"title": "Dexter"}, None),
        (["Dexter"], None),
        (12.5, None),
    ],
)
def test_titles_are_strings_stripped_of_junk(sent: object, expected: str | None) -> None:
    assert movie_identity({"title": sent}).title == expected


def test_titles_are_cut_to_the_column_length() -> None:
    assert movie_identity({"title": "x" * 2000}).title == "x" * 500


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        (91, 91),
        (91.0, 91),
        ("91", 91),
        (91.6, 92),
        ("91.6", 92),
        (0, None),
        (-3, None),
        (10**6, None),
        ("n/a", None),
    ],
)
def test_runtimes_accept_floats(sent: object, expected: int | None) -> None:
    assert movie_identity({"runtime": sent}).runtime == expected
    assert show_identity({"runtime": sent}).runtime == expected


def test_a_merged_summary_object_yields_only_the_identity() -> None:
    identity = movie_identity({"username": "u", "password": "p", **MERGED_MOVIE_SUMMARY})
    assert identity == MovieIdentity(
        imdb_id="tt1285016",
        tmdb_id=37799,
        title="The Social Network",
        year=2010,
        runtime=120,
        released=1285916400,
    )


def test_merged_show_summary_with_string_ids() -> None:
    body = {
        "title": "The League",
        "year": "2009",
        "url": "http://trakt.tv/show/the-league",
        "first_aired": 1256799600,
        "runtime": 30.0,
        "imdb_id": "tt1480684",
        "tvdb_id": "114701",
        "tvrage_id": "24173",
        "images": {"poster": "http://…"},
        "genres": ["Comedy"],
        "seasons": [{"season": 1, "episodes": [1, 2]}],
        "episodes": [{"season": 1, "episode": 1}],
    }
    assert show_identity(body) == ShowIdentity(
        tvdb_id=114701, imdb_id="tt1480684", tvrage_id=24173, title="The League", year=2009, runtime=30
    )


@pytest.mark.parametrize("junk", [None, "tt0372784", 42, ["tt0372784"], True])
def test_non_objects_give_an_empty_identity(junk: object) -> None:
    assert movie_identity(junk) == MovieIdentity()
    assert not movie_identity(junk).has_identity
    assert show_identity(junk) == ShowIdentity()


@pytest.mark.parametrize(
    ("fields", "has_identity", "can_create"),
    [
        ({"imdb_id": "tt0372784"}, True, False),
        ({"tmdb_id": 272}, True, False),
        ({"title": "Batman Begins"}, True, False),
        ({"title": "Batman Begins", "year": 2005}, True, True),
        ({"title": "Batman Begins", "imdb_id": "tt0372784"}, True, True),
        ({"title": "Batman Begins", "tmdb_id": "272"}, True, True),
        ({"year": 2005}, False, False),
        ({"title": None, "year": None, "imdb_id": None, "tmdb_id": None}, False, False),
        ({"title": "", "imdb_id": "", "tmdb_id": ""}, False, False),
    ],
)
def test_movie_identity_sufficiency(fields: dict[str, Any], has_identity: bool, can_create: bool) -> None:
    identity = movie_identity(fields)
    assert identity.has_identity is has_identity
    assert identity.can_create is can_create


@pytest.mark.parametrize(
    ("fields", "has_identity", "can_create"),
    [
        ({"tvdb_id": "79349"}, True, False),
        ({"imdb_id": "tt0773262"}, True, False),
        ({"title": "Dexter"}, True, False),
        ({"title": "Dexter", "year": 2006}, True, True),
        ({"title": "Dexter", "tvdb_id": 79349}, True, True),  # script.trakt's sync sends no year
        ({"tvrage_id": 7926}, False, False),
        ({"year": 2006}, False, False),
    ],
)
def test_show_identity_sufficiency(fields: dict[str, Any], has_identity: bool, can_create: bool) -> None:
    identity = show_identity(fields)
    assert identity.has_identity is has_identity
    assert identity.can_create is can_create


def test_episode_refs_take_loose_numbers() -> None:
    ref = episode_ref(
        {
            "season": "1",
            "episode": 2.0,
            "episode_tvdb_id": "127425",
            "title": " Days Gone Bye ",
            "runtime": "60",
        }
    )
    assert ref == EpisodeRef(season=1, episode=2, episode_tvdb_id=127425, title="Days Gone Bye", runtime=60)


def test_episode_refs_take_specials_and_the_number_key() -> None:
    assert episode_ref({"season": 0, "number": 3}) == EpisodeRef(season=0, episode=3)


def test_episode_refs_ignore_junk_in_optional_fields() -> None:
    ref = episode_ref(
        {
            "season": 1,
            "episode": 1,
            "episode_tvdb_id": {"x": 1},
            "title": ["x"],
            "runtime": None,
            "first_aired": 0,
            "images": {"screen": "http://…"},
            "ratings": {"percentage": 90},
        }
    )
    assert ref == EpisodeRef(season=1, episode=1)


def test_inline_show_fields_do_not_become_the_episode_title() -> None:
    body = {
        "tvdb_id": 153021,
        "title": "The Walking Dead",
        "year": 2010,
        "season": 1,
        "episode": 1,
        "duration": 60,
    }
    assert episode_ref(body, inline_show=True) == EpisodeRef(season=1, episode=1)


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"season": -1, "episode": 1}, "season must not be negative"),
        ({"season": 1, "episode": -2}, "episode must not be negative"),
        ({"season": 1.5, "episode": 1}, "season must be a whole number"),
        ({"season": "one", "episode": 1}, "season must be a whole number"),
        ({"season": True, "episode": 1}, "season must be a whole number"),
        ({"season": {"n": 1}, "episode": 1}, "season must be a whole number"),
        ({"season": 1, "episode": "1x02"}, "episode must be a whole number"),
        ({"season": 1, "episode": 2**31}, "episode is too large"),
        ({"season": None, "episode": 1}, "season is missing"),
        ({"episode": 1}, "season is missing"),
        ({"season": 1}, "episode is missing"),
    ],
)
def test_bad_season_or_episode_numbers_make_the_item_invalid(item: dict[str, Any], message: str) -> None:
    with pytest.raises(Invalid) as raised:
        episode_ref(item)
    assert raised.value.message == message


@pytest.mark.parametrize("junk", [None, 5, "1x01", [1, 1]])
def test_an_episode_must_be_an_object(junk: object) -> None:
    with pytest.raises(Invalid):
        episode_ref(junk)


# --- movies -----------------------------------------------------------------------------------


async def test_movies_resolve_by_imdb_then_tmdb_then_title_and_year(runtime: Runtime) -> None:
    async with catalog_writer(runtime) as conn:
        by_imdb = await add_movie(conn, "Batman Begins", 2005, imdb_id="tt0372784")
        by_tmdb = await add_movie(conn, "Batman Begins Again", 2005, tmdb_id=272)
        by_title = await add_movie(conn, "Amélie", 2001)
        found = await resolve_movies(
            conn,
            [
                # Each id outranks whatever the later fields name.
                movie_identity({"imdb_id": "tt0372784", "tmdb_id": 272, "title": "Amélie", "year": 2001}),
                movie_identity({"imdb_id": "tt9999999", "tmdb_id": "272", "title": "Amélie", "year": 2001}),
                movie_identity({"imdb_id": "tt9999999", "tmdb_id": 1, "title": "Amélie", "year": "2001"}),
                movie_identity({"title": "  AMELIE ", "year": 2001.0}),
                movie_identity({"title": "Amelie", "year": 2002}),
                movie_identity({"tmdb_id": 1}),
                movie_identity({}),
            ],
        )
    assert found == [by_imdb, by_tmdb, by_title, by_title, None, None, None]


async def test_a_title_match_must_not_contradict_the_ids_sent(runtime: Runtime) -> None:
    async with catalog_writer(runtime) as conn:
        imported = await add_movie(conn, "Home", 2009, imdb_id="tt1014762", tmdb_id=17985)
        found = await resolve_movies(
            conn,
            [
                movie_identity({"title": "Home", "year": 2009, "imdb_id": "tt1014762"}),
                movie_identity({"title": "Home", "year": 2009, "imdb_id": "tt0000042"}),  # another film
                movie_identity({"title": "Home", "year": 2009, "tmdb_id": 42}),
                movie_identity({"title": "Home", "year": 2009}),
            ],
        )
    assert found == [imported, None, None, imported]


async def test_among_same_title_and_year_the_most_voted_wins(runtime: Runtime) -> None:
    async with catalog_writer(runtime) as conn:
        await add_movie(conn, "Home", 2009, slug="home-2009", imdb_id="tt0000001", imdb_votes=12)
        popular = await add_movie(
            conn, "Home", 2009, slug="home-2009-2", imdb_id="tt1014762", imdb_votes=40_000
        )
        await add_movie(conn, "Home", 2009, slug="home-2009-3", imdb_id="tt0000003")
        assert await resolve_movie(conn, movie_identity({"title": "home", "year": 2009})) == popular


async def test_a_title_without_year_matches_only_when_unambiguous(runtime: Runtime) -> None:
    async with catalog_writer(runtime) as conn:
        unique = await add_movie(conn, "Uncle Buck", 1989)
        await add_movie(conn, "Dune", 1984)
        await add_movie(conn, "Dune", 2021)
        found = await resolve_movies(
            conn,
            [
                movie_identity({"title": "uncle buck"}),
                movie_identity({"title": "Dune"}),
                movie_identity({"title": "X"}),
            ],
        )
    assert found == [unique, None, None]


async def test_movie_batches_keep_order_and_duplicates(runtime: Runtime) -> None:
    async with catalog_writer(runtime) as conn:
        a = await add_movie(conn, "A", 2000, imdb_id="tt0000001")
        b = await add_movie(conn, "B", 2000, tmdb_id=2)
        identities = [
            movie_identity(x) for x in ({"tmdb_id": 2}, {"imdb_id": "tt0000001"}, {"tmdb_id": 2}, {})
        ]
        assert await resolve_movies(conn, identities) == [b, a, b, None]
        assert await resolve_movies(conn, []) == []


async def test_two_thousand_movies_resolve_in_a_bounded_number_of_statements(runtime: Runtime) -> None:
    stored = [
        {"title": f"Movie {n}", "year": 1950 + n % 50}
        | ({"imdb_id": f"tt{n:07d}"} if n % 3 == 0 else {"tmdb_id": n} if n % 3 == 1 else {})
        for n in range(2000)
    ]
    sent = [
        {"imdb_id": f"tt{n:07d}"}
        if n % 3 == 0
        else {"tmdb_id": str(n), "imdb_id": f"tt9{n:06d}"}
        if n % 3 == 1
        else {"title": f"MOVIE {n}", "year": str(1950 + n % 50), "tmdb_id": 10**6 + n}
        for n in range(2000)
    ]
    async with catalog_writer(runtime) as conn:
        ids = await _bulk_movies(conn, stored)
        identities = [movie_identity(item) for item in sent]
        with recorded_statements(runtime.engine) as statements:
            found = await resolve_movies(conn, identities)
    assert found == ids
    # imdb, tmdb and title lookups, each in chunks of at most 900 values: never one per item.
    assert len(statements) <= 10, statements


async def test_movie_path_refs_resolve_through_the_same_module(runtime: Runtime) -> None:
    async with catalog_writer(runtime) as conn:
        movie = await add_movie(conn, "The Social Network", 2010, imdb_id="tt1285016", tmdb_id=37799)
        assert identify.movie_id_for_ref is movie_id_for_ref
        assert await movie_id_for_ref(conn, "tt1285016") == movie
        assert await movie_id_for_ref(conn, "37799") == movie
        assert await movie_id_for_ref(conn, "the-social-network-2010") == movie


# --- shows ------------------------------------------------------------------------------------


async def test_shows_resolve_by_tvdb_then_imdb_then_title_and_year(runtime: Runtime) -> None:
    async with catalog_writer(runtime) as conn:
        by_tvdb = await add_show(conn, "Dexter", 2006, tvdb_id=79349)
        by_imdb = await add_show(conn, "The Walking Dead", 2010, imdb_id="tt1520211")
        by_title = await add_show(conn, "The Big Bang Theory", 2007)
        found = await resolve_shows(
            conn,
            [
                show_identity(
                    {"tvdb_id": "79349", "imdb_id": "tt1520211", "title": "The Big Bang Theory", "year": 2007}
                ),
                show_identity(
                    {"tvdb_id": 1, "imdb_id": "tt1520211", "title": "The Big Bang Theory", "year": 2007}
                ),
                show_identity(
                    {"tvdb_id": 1, "imdb_id": "tt0000001", "title": "the big bang theory", "year": "2007"}
                ),
                show_identity(
                    {"title": "The Big Bang Theory", "year": 2007, "username": "u", "password": "p"}
                ),
                show_identity({"title": "The Big Bang Theory", "year": 2008}),
                show_identity({"tvrage_id": 8511}),
            ],
        )
    assert found == [by_tvdb, by_imdb, by_title, by_title, None, None]


async def test_show_title_without_year_as_script_trakt_syncs_it(runtime: Runtime) -> None:
    async with catalog_writer(runtime) as conn:
        dexter = await add_show(conn, "Dexter", 2006, imdb_id="tt0773262")
        await add_show(conn, "The Office", 2001, slug="the-office")
        await add_show(conn, "The Office", 2005, slug="the-office-2005")
        found = await resolve_shows(
            conn,
            [
                show_identity({"title": "Dexter", "tvdb_id": "79349"}),
                show_identity({"title": "The Office", "tvdb_id": "73244"}),
                show_identity({"title": "Dexter", "imdb_id": "tt0000009"}),  # another Dexter
            ],
        )
    assert found == [dexter, None, None]


async def test_show_path_refs_resolve_through_the_same_module(runtime: Runtime) -> None:
    async with catalog_writer(runtime) as conn:
        show = await add_show(conn, "Dexter", 2006, tvdb_id=79349)
        assert await show_id_for_ref(conn, "79349") == show
        assert await show_id_for_ref(conn, "dexter") == show
        assert await resolve_show(conn, show_identity({"tvdb_id": 79349.0})) == show


# --- episodes ---------------------------------------------------------------------------------


async def test_episodes_resolve_by_tvdb_id_then_season_and_number(runtime: Runtime) -> None:
    async with catalog_writer(runtime) as conn:
        show = await add_show(conn, "The Walking Dead", 2010)
        other = await add_show(conn, "Dexter", 2006)
        pilot = await add_episode(conn, show, 1, 1, tvdb_id=127425)
        second = await add_episode(conn, show, 1, 2)
        special = await add_episode(conn, show, 0, 1)
        elsewhere = await add_episode(conn, other, 1, 1, tvdb_id=555)
        found = await resolve_episodes(
            conn,
            show,
            [
                episode_ref({"season": 1, "episode": 2, "episode_tvdb_id": "127425"}),  # the id wins
                episode_ref({"season": 1, "episode": 2, "episode_tvdb_id": 999}),  # unknown id: by slot
                episode_ref({"season": "0", "episode": "1"}),
                episode_ref({"season": 1, "episode": 1, "episode_tvdb_id": 555}),  # another show's id
                episode_ref({"season": 2, "episode": 1}),
            ],
        )
        assert await resolve_episode(conn, other, EpisodeRef(season=1, episode=1)) == elsewhere
    assert found == [pilot, second, special, pilot, None]


async def test_two_thousand_episodes_resolve_in_a_bounded_number_of_statements(runtime: Runtime) -> None:
    async with catalog_writer(runtime) as conn:
        show = await add_show(conn, "General Hospital", 1963)
        rows = [
            {"show_id": show, "season": 1 + n // 100, "number": 1 + n % 100, "tvdb_id": 10_000 + n}
            | {"source": SOURCE_IMDB, "created_at": 0, "updated_at": 0}
            for n in range(2000)
        ]
        ids = await _bulk_ids(conn, episodes, rows)
        refs = [
            EpisodeRef(
                season=1 + n // 100, episode=1 + n % 100, episode_tvdb_id=10_000 + n if n % 2 else None
            )
            for n in range(2000)
        ]
        with recorded_statements(runtime.engine) as statements:
            found = await resolve_episodes(conn, show, refs)
    assert found == ids
    assert len(statements) <= 4, statements
