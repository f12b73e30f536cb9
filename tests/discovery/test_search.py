"""The search service: tiers, ranking, folding, punctuation, hostile input, index upkeep."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select, update

from opentrakt.catalog.text import fold
from opentrakt.db.tables.catalog import movies
from opentrakt.discovery import search
from opentrakt.discovery.search import (
    search_episodes,
    search_movies,
    search_people,
    search_shows,
    search_users,
)
from opentrakt.discovery.search_text import APOSTROPHES, parse
from opentrakt.runtime import Runtime
from tests.discovery.rows import add_episode, add_movie, add_person, add_show, writing
from tests.support import make_user

# Every character the indexes treat as a separator (migration 0004 lists the same ones).
SEPARATORS = '!"#$%()*+,-./:;<=>?@[\\]^_{|}~ ‐‑‒–—―‹›«»“”„¿¡·•'


async def movies_found(runtime: Runtime, text: str, limit: int = 30) -> list[int]:
    async with runtime.engine.connect() as conn:
        return await search_movies(conn, text, limit)


async def test_exact_title_comes_first_then_partial_matches(runtime: Runtime) -> None:
    async with writing(runtime) as conn:
        bunny = await add_movie(conn, "Big Buck Bunny", votes=33_000)
        boonmee = await add_movie(conn, "Uncle Boonmee Who Can Recall His Past Lives", votes=40)
        uncle_buck = await add_movie(conn, "Uncle Buck", votes=85)
        await add_movie(conn, "Something Else Entirely", votes=1_000_000)
    found = await movies_found(runtime, "uncle buck")
    assert found[0] == uncle_buck
    assert set(found) == {uncle_buck, bunny, boonmee}


async def test_tiers_outrank_popularity(runtime: Runtime) -> None:
    async with writing(runtime) as conn:
        anywhere = await add_movie(conn, "The Night Watch", votes=2_000_000)
        starts = await add_movie(conn, "Night Watch Returns", votes=10)
        exact = await add_movie(conn, "Night-Watch", votes=None)
        partial = await add_movie(conn, "Watch Out", votes=3_000_000)
    assert await movies_found(runtime, "night watch") == [exact, starts, anywhere, partial]


async def test_popularity_breaks_ties_within_a_tier(runtime: Runtime) -> None:
    async with writing(runtime) as conn:
        rogers = await add_movie(conn, "Buck Rogers", votes=120)
        privates = await add_movie(conn, "Buck Privates", votes=95_000)
        unknown = await add_movie(conn, "Buck Zero", votes=None)
    assert await movies_found(runtime, "buck") == [privates, rogers, unknown]


async def test_shorter_title_wins_between_equally_popular(runtime: Runtime) -> None:
    async with writing(runtime) as conn:
        long = await add_movie(conn, "Heat of the Long Summer Night", votes=500)
        short = await add_movie(conn, "Heat Wave", votes=500)
    assert await movies_found(runtime, "heat") == [short, long]


@pytest.mark.parametrize("text", ["amelie", "AMELIE", "Amélie", "amélie", "AMÉLIE", "Ame\u0301lie"])
async def test_accents_and_case_are_ignored(runtime: Runtime, text: str) -> None:
    async with writing(runtime) as conn:
        accented = await add_movie(conn, "Amélie")
        plain = await add_movie(conn, "Amelie Returns")
    assert await movies_found(runtime, text) == [accented, plain]


@pytest.mark.parametrize(
    "text", ["spider man", "spider-man", "Spider Man", "spiderman", "SPIDER–MAN!", "spider.man"]
)
async def test_punctuation_and_spacing_are_ignored(runtime: Runtime, text: str) -> None:
    async with writing(runtime) as conn:
        spider_man = await add_movie(conn, "Spider-Man", votes=800_000)
        sequel = await add_movie(conn, "Spider-Man 2", votes=900_000)
    assert await movies_found(runtime, text) == [spider_man, sequel]


async def test_every_separator_and_apostrophe_matches_alike(runtime: Runtime) -> None:
    async with writing(runtime) as conn:
        split = {await add_movie(conn, f"Alpha{mark}Omega") for mark in SEPARATORS}
        joined = {await add_movie(conn, f"Alpha{mark}s") for mark in APOSTROPHES}
    # Every one holds both words; the apostrophe titles follow as partial matches ("alphas").
    assert set((await movies_found(runtime, "alpha omega", 100))[: len(split)]) == split
    assert set(await movies_found(runtime, "alphaomega", 100)) == split
    assert set(await movies_found(runtime, "alphas", 100)) == joined


async def test_apostrophes_and_ampersands(runtime: Runtime) -> None:
    async with writing(runtime) as conn:
        schindler = await add_movie(conn, "Schindler's List")
        chuck = await add_movie(conn, "Chuck & Buck")
    for text in ("schindlers list", "Schindler’s List", "schindler list", "schindler"):
        assert await movies_found(runtime, text) == [schindler], text
    for text in ("chuck and buck", "chuck & buck", "Chuck&Buck", "chuck buck"):
        assert (await movies_found(runtime, text))[0] == chuck, text


async def test_words_match_as_prefixes_except_short_ones(runtime: Runtime) -> None:
    async with writing(runtime) as conn:
        uncle = await add_movie(conn, "Uncle Buck")
        x_men = await add_movie(conn, "X-Men")
        xanadu = await add_movie(conn, "Xanadu")
    assert await movies_found(runtime, "uncl") == [uncle]
    assert await movies_found(runtime, "xan") == [xanadu]
    assert await movies_found(runtime, "xa") == []  # too short to stand for longer words
    assert await movies_found(runtime, "x men") == [x_men]


async def test_stopwords_only_narrow_when_nothing_else_is_asked(runtime: Runtime) -> None:
    async with writing(runtime) as conn:
        the = await add_movie(conn, "The")
        the_matrix = await add_movie(conn, "The Matrix", votes=2_000_000)
        reloaded = await add_movie(conn, "Matrix Reloaded", votes=600_000)
        the_thing = await add_movie(conn, "The Thing", votes=500_000)
    assert await movies_found(runtime, "the") == [the, the_matrix, the_thing]
    # "the" is required for an all-words match, but a title holding only "matrix" still comes.
    assert await movies_found(runtime, "the matrix") == [the_matrix, reloaded]
    assert reloaded not in await movies_found(runtime, "the thing")


async def test_limit(runtime: Runtime) -> None:
    async with writing(runtime) as conn:
        for n in range(12):
            await add_movie(conn, f"Sequel {n}", votes=n)
    assert len(await movies_found(runtime, "sequel", 5)) == 5
    assert len(await movies_found(runtime, "sequel", 100)) == 12
    assert await movies_found(runtime, "sequel", 0) == []


async def test_results_are_distinct_across_tiers(runtime: Runtime) -> None:
    async with writing(runtime) as conn:
        ids = [await add_movie(conn, title) for title in ("Dune", "Dune Part Two", "Children of Dune")]
    found = await movies_found(runtime, "dune")
    assert found == ids
    assert await movies_found(runtime, "dune", 2) == ids[:2]


async def test_exact_match_survives_the_candidate_cap(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with writing(runtime) as conn:
        for n in range(8):
            await add_movie(conn, f"Love Story {n}", votes=1_000 + n)
        exact = await add_movie(conn, "Love", votes=None)
    monkeypatch.setattr(search, "CANDIDATES", 3)
    found = await movies_found(runtime, "love")
    assert found[0] == exact
    assert len(found) >= 3


@pytest.mark.parametrize(
    "text",
    [
        '"',
        '""',
        "*",
        "uncle*",
        '"uncle" AND buck*',
        "NEAR(uncle buck)",
        "uncle NOT buck",
        "AND",
        "OR OR",
        "words : uncle",
        "joined:unclebuck",
        "{words joined}: uncle",
        "^uncle",
        "'; DROP TABLE movies; --",
        "1' OR '1'='1",
        "uncle:* & buck",
        "!buck | (uncle)",
        "\\",
        "%_%",
        "\x00uncle",
        "uncle\U0010ffff",
    ],
)
async def test_query_syntax_is_never_interpreted(runtime: Runtime, text: str) -> None:
    async with writing(runtime) as conn:
        uncle = await add_movie(conn, "Uncle Buck")
    found = await movies_found(runtime, text)
    assert found in ([], [uncle])
    async with runtime.engine.connect() as conn:
        assert (await conn.execute(select(func.count()).select_from(movies))).scalar_one() == 1


async def test_operator_words_are_plain_words(runtime: Runtime) -> None:
    async with writing(runtime) as conn:
        near = await add_movie(conn, "Near Dark")
        not_movie = await add_movie(conn, "And Not Or")
    assert await movies_found(runtime, "NEAR") == [near]
    assert await movies_found(runtime, "and not or") == [not_movie]


async def test_text_without_letters_or_digits_finds_nothing(runtime: Runtime) -> None:
    async with writing(runtime) as conn:
        await add_movie(conn, "!!!")
    assert await movies_found(runtime, "!!!") == []
    assert await movies_found(runtime, "   ") == []
    assert parse("— … —") is None


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Брат 2", "брат"),
        ("千と千尋の神隠し", "千と千尋"),
        ("Ελληνικά", "ΕΛΛΗΝΙΚΆ"),
        ("Straße", "strasse"),
        ("ﬁve", "five"),
    ],
)
async def test_unicode_titles(runtime: Runtime, title: str, text: str) -> None:
    async with writing(runtime) as conn:
        movie = await add_movie(conn, title)
    assert await movies_found(runtime, text) == [movie]


async def test_long_queries_are_cut(runtime: Runtime) -> None:
    async with writing(runtime) as conn:
        movie = await add_movie(conn, "One Two Three Four Five Six Seven Eight")
    assert await movies_found(runtime, "one two three four five six seven eight nine ten " * 40) == [movie]


async def test_index_follows_updates_and_deletes(runtime: Runtime) -> None:
    async with writing(runtime) as conn:
        movie = await add_movie(conn, "Working Title")
    async with writing(runtime) as conn:
        title = "Final Cut"
        await conn.execute(
            update(movies).where(movies.c.id == movie).values(title=title, title_key=fold(title))
        )
    assert await movies_found(runtime, "working") == []
    assert await movies_found(runtime, "final cut") == [movie]
    async with writing(runtime) as conn:
        await conn.execute(delete(movies).where(movies.c.id == movie))
    assert await movies_found(runtime, "final cut") == []
    async with writing(runtime) as conn:
        again = await add_movie(conn, "Final Cut")
    assert await movies_found(runtime, "final cut") == [again]


async def test_shows_episodes_people_and_users(runtime: Runtime) -> None:
    async with writing(runtime) as conn:
        simpsons = await add_show(conn, "The Simpsons", votes=400_000)
        bebop = await add_show(conn, "Cowboy Bebop", votes=100_000)
        builders = await add_show(conn, "Cowboy Builders")
        lisa = await add_episode(conn, simpsons, 7, 5, "Lisa the Vegetarian", votes=4_000)
        all_about = await add_episode(conn, simpsons, 12, 10, "All About Lisa")
        await add_episode(conn, simpsons, 1, 1, None)
        bana = await add_person(conn, "Eric Bana")
        eric = await add_person(conn, "Eric")
        erica = await add_person(conn, "Erica Durance")
    infodump = await make_user(runtime, "infodump")
    info_dump = await make_user(runtime, "info_dump.2")
    async with runtime.engine.connect() as conn:
        assert await search_shows(conn, "cowboy bebop", 30) == [bebop, builders]
        assert await search_episodes(conn, "lisa the vegetarian", 30) == [lisa, all_about]
        assert await search_episodes(conn, "episode", 30) == []
        assert await search_people(conn, "eric bana", 30) == [bana, eric, erica]
        assert await search_people(conn, "eric", 30) == [eric, bana, erica]
        assert await search_users(conn, "infodump", 30) == [infodump.user_id, info_dump.user_id]
        assert (await search_users(conn, "info dump 2", 30))[0] == info_dump.user_id
        assert await search_users(conn, "INFO", 30) == [infodump.user_id, info_dump.user_id]
