"""The IMDb importer on the real sample dump: what lands in the catalogue, and what is skipped."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from opentrakt.catalog.imdb import FileKind
from opentrakt.db.tables.catalog import (
    SOURCE_CLIENT,
    SOURCE_IMDB,
    episodes,
    genres,
    movie_credits,
    movie_genres,
    movies,
    people,
    seasons,
    show_credits,
    show_genres,
    shows,
)
from opentrakt.runtime import Runtime
from tests.catalog.imdb_support import row, rows, run_import, sample
from tests.catalog_fixtures import add_episode, add_show, catalog_writer


async def _genre_names(runtime: Runtime, links: object, column: str, item_id: int) -> set[str]:
    async with runtime.engine.connect() as conn:
        query = (
            select(genres.c.name)
            .join(links, links.c.genre_id == genres.c.id)  # type: ignore[attr-defined]
            .where(links.c[column] == item_id)  # type: ignore[attr-defined]
        )
        return set((await conn.execute(query)).scalars())


async def test_christopher_nolan_movies_with_ratings_genres_and_slugs(
    runtime: Runtime, shared_dir: Path
) -> None:
    report = await run_import(runtime, sample(shared_dir))

    knight = await row(runtime, movies, movies.c.imdb_id == "tt0468569")
    assert (knight.title, knight.year, knight.runtime, knight.slug) == (
        "The Dark Knight",
        2008,
        152,
        "the-dark-knight-2008",
    )
    assert (knight.imdb_rating, knight.imdb_votes, knight.source) == (9.0, 2991391, SOURCE_IMDB)
    assert knight.title_key == "the dark knight"
    assert knight.released is None  # IMDb gives a year, not a date
    assert knight.created_at == knight.updated_at == runtime.clock.now()
    assert await _genre_names(runtime, movie_genres, "movie_id", knight.id) == {"Action", "Crime", "Drama"}

    inception = await row(runtime, movies, movies.c.imdb_id == "tt1375666")
    # Sci-Fi is trakt's Science Fiction; IMDb-only genres such as Biography get a row of their own.
    assert await _genre_names(runtime, movie_genres, "movie_id", inception.id) == {
        "Action",
        "Adventure",
        "Science Fiction",
    }
    oppenheimer = await row(runtime, movies, movies.c.imdb_id == "tt15398776")
    assert "Biography" in await _genre_names(runtime, movie_genres, "movie_id", oppenheimer.id)
    biography = await row(runtime, genres, genres.c.slug == "biography")
    assert (biography.for_movies, biography.for_shows) == (True, False)

    # A tvMovie is a movie; a movie not yet released has no runtime and no rating.
    assert (await row(runtime, movies, movies.c.imdb_id == "tt0030298")).title == "Julius Caesar"
    odyssey = await row(runtime, movies, movies.c.imdb_id == "tt33764258")
    assert (odyssey.year, odyssey.runtime, odyssey.imdb_rating) == (2026, None, None)

    basics = report.for_kind(FileKind.TITLE_BASICS)
    assert basics.rows == 384
    assert basics.skipped["short titles are not imported"] == 67
    assert basics.skipped["adult title"] == 3
    assert not await rows(runtime, movies, movies.c.imdb_id.in_(["tt9811452", "tt9818148", "tt9892000"]))
    assert not await rows(runtime, movies, movies.c.imdb_id == "tt0000001")  # Carmencita, a short


async def test_shows_seasons_and_episodes(runtime: Runtime, shared_dir: Path) -> None:
    report = await run_import(runtime, sample(shared_dir))

    starting = await row(runtime, shows, shows.c.imdb_id == "tt3456370")
    assert (starting.title, starting.slug, starting.year, starting.runtime) == (
        "Starting From... Now",
        "starting-from-now",
        2014,
        5,
    )
    assert starting.status == "Ended"  # endYear 2016
    assert starting.first_aired is None  # a start year is not an air date
    assert (starting.imdb_rating, starting.imdb_votes) == (7.3, 212)
    stored = await rows(runtime, episodes, episodes.c.show_id == starting.id)
    assert len(stored) == 25
    numbers = {(e.season, e.number) for e in stored}
    assert {(5, n) for n in range(1, 7)} <= numbers and (1, 1) not in numbers
    # tconst order is not episode order: tt5635850 is 5x06, tt5638272 is 5x02.
    sixth = await row(runtime, episodes, episodes.c.imdb_id == "tt5635850")
    assert (sixth.season, sixth.number, sixth.title, sixth.runtime) == (5, 6, "Episode #5.6", 14)
    season_numbers = {s.number for s in await rows(runtime, seasons, seasons.c.show_id == starting.id)}
    assert season_numbers == {1, 2, 3, 4, 5}

    lone_ranger_episode = await row(runtime, episodes, episodes.c.imdb_id == "tt0041951")
    assert (lone_ranger_episode.title, lone_ranger_episode.season, lone_ranger_episode.number) == (
        "The Tenderfeet",
        1,
        9,
    )
    assert (lone_ranger_episode.imdb_rating, lone_ranger_episode.imdb_votes) == (7.5, 105)

    quatermass = await row(runtime, shows, shows.c.imdb_id == "tt0047766")
    assert (quatermass.title, quatermass.year) == ("Quatermass II", 1955)
    assert await _genre_names(runtime, show_genres, "show_id", quatermass.id) == {
        "Drama",
        "Horror",
        "Science Fiction",
        "Mini Series",
    }
    pet_killer = await row(runtime, shows, shows.c.imdb_id == "tt7973020")  # every optional field \N
    assert (pet_killer.slug, pet_killer.year, pet_killer.status) == ("pet-killer", None, None)

    placed = report.for_kind(FileKind.TITLE_EPISODE)
    # The Simpsons' own row is missing from the sample, so its 59 episodes have no show to go to.
    assert placed.skipped == {"show not in the catalogue": 60, "no season or episode number": 2}
    assert placed.added == 62
    assert report.for_kind(FileKind.TITLE_BASICS).staged == 124


async def test_episodes_join_a_show_that_a_client_created(runtime: Runtime, shared_dir: Path) -> None:
    async with catalog_writer(runtime) as conn:
        simpsons = await add_show(conn, "The Simpsons", 1989, imdb_id="tt0096697", source=SOURCE_CLIENT)
        # A client-made episode at 1x02 without an IMDb id: the import adopts it.
        bart = await add_episode(conn, simpsons, 1, 2, title="bart the genius", source=SOURCE_CLIENT)

    report = await run_import(runtime, sample(shared_dir, "title.basics.tsv.gz", "title.episode.tsv.gz"))

    stored = await rows(runtime, episodes, episodes.c.show_id == simpsons)
    assert len(stored) == 59
    per_season = {s: sum(1 for e in stored if e.season == s) for s in (1, 2, 3)}
    assert per_season == {1: 13, 2: 22, 3: 24}
    pilot = await row(runtime, episodes, episodes.c.imdb_id == "tt0348034")
    assert (pilot.season, pilot.number, pilot.title, pilot.runtime) == (
        1,
        1,
        "Simpsons Roasting on an Open Fire",
        30,
    )
    adopted = await row(runtime, episodes, episodes.c.id == bart)
    assert (adopted.imdb_id, adopted.title, adopted.source) == ("tt0756593", "Bart the Genius", SOURCE_IMDB)
    assert {s.number for s in await rows(runtime, seasons, seasons.c.show_id == simpsons)} == {1, 2, 3}
    # The show has no title.basics row, so it stays as the client made it.
    assert (await row(runtime, shows, shows.c.id == simpsons)).source == SOURCE_CLIENT
    placed = report.for_kind(FileKind.TITLE_EPISODE)
    assert (placed.added, placed.updated) == (120, 1)


async def test_people_and_their_credits(runtime: Runtime, shared_dir: Path) -> None:
    report = await run_import(runtime, sample(shared_dir))

    nolan = await row(runtime, people, people.c.imdb_id == "nm0634240")
    assert (nolan.name, nolan.slug, nolan.birthday, nolan.source) == (
        "Christopher Nolan",
        "christopher-nolan",
        "1970",
        SOURCE_IMDB,
    )
    knight = await row(runtime, movies, movies.c.imdb_id == "tt0468569")
    credits = await rows(runtime, movie_credits, movie_credits.c.person_id == nolan.id)
    assert {(c.movie_id, c.role) for c in credits} >= {(knight.id, "director"), (knight.id, "writer")}
    async with runtime.engine.connect() as conn:
        directed = (
            await conn.execute(
                select(func.count())
                .select_from(movie_credits)
                .where(movie_credits.c.person_id == nolan.id, movie_credits.c.role == "director")
            )
        ).scalar_one()
    assert directed == 14  # every Nolan film in the sample, from title.crew

    wyrmwood = await row(runtime, movies, movies.c.imdb_id == "tt2535470")
    cast = {
        c.person_id: c for c in await rows(runtime, movie_credits, movie_credits.c.movie_id == wyrmwood.id)
    }
    barry = await row(runtime, people, people.c.imdb_id == "nm1052026")
    assert (barry.name, cast[barry.id].role, cast[barry.id].character, cast[barry.id].position) == (
        "Jay Gallagher",
        "actor",
        "Barry",
        1,
    )
    writer = await row(runtime, people, people.c.imdb_id == "nm3736623")
    assert (cast[writer.id].role, cast[writer.id].job) == ("writer", "screenplay")

    starting = await row(runtime, shows, shows.c.imdb_id == "tt3456370")
    kristen = await row(runtime, people, people.c.imdb_id == "nm2103428")
    credit = await row(
        runtime, show_credits, show_credits.c.show_id == starting.id, show_credits.c.person_id == kristen.id
    )
    assert credit.character == "Kristen Sheriden / Kristen Sheridan"

    principals = report.for_kind(FileKind.TITLE_PRINCIPALS)
    assert principals.skipped["composer credits are not stored"] == 42
    crew = report.for_kind(FileKind.TITLE_CREW)
    assert crew.skipped["person not in the catalogue"] > 0  # most crew members are not in name.basics
    assert report.for_kind(FileKind.NAME_BASICS).added == 370
