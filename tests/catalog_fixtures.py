"""Catalogue rows for tests, written straight into the database.

The builders (``add_movie``, ``add_show``, ``add_season``, ``add_episode``, ``add_credits``) take an
open write connection and plain column values; the named titles below (The Social Network, The
Walking Dead, The League, …) use the values the spec's examples and recordings show, so tests can
compare responses with those examples.

    async with catalog_writer(runtime) as conn:
        movie_id = await the_social_network(conn)
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.catalog.text import fold, movie_slug, person_slug, show_slug
from opentrakt.db.engine import write_connection
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

# When the fixture rows were last changed, unless a test says otherwise.
UPDATED_AT = 1_690_000_000
EASTERN = "America/New_York"


@asynccontextmanager
async def catalog_writer(runtime: Runtime) -> AsyncIterator[AsyncConnection]:
    """A connection in a write transaction, committed on exit."""
    async with runtime.engine.connect() as conn:
        conn = await write_connection(conn)
        async with conn.begin():
            yield conn


def local_time(wall_clock: str, zone: str = EASTERN) -> int:
    """The Unix instant of a wall-clock reading (``"2010-09-19 21:00"``) in ``zone``."""
    return int(datetime.fromisoformat(wall_clock).replace(tzinfo=ZoneInfo(zone)).timestamp())


@dataclass(frozen=True)
class Role:
    """One credit: who, in which role, as whom."""

    name: str
    role: str = "actor"
    character: str | None = None
    job: str | None = None
    executive: bool = False
    headshot_url: str | None = None


async def _link_genres(
    conn: AsyncConnection, link: Any, column: str, item_id: int, names: Sequence[str]
) -> None:
    if not names:
        return
    found = dict(
        (await conn.execute(select(genres.c.name, genres.c.id).where(genres.c.name.in_(names)))).all()
    )
    missing = set(names) - set(found)
    assert not missing, f"unknown genres {missing}"
    await conn.execute(insert(link), [{column: item_id, "genre_id": found[name]} for name in names])


async def add_movie(
    conn: AsyncConnection,
    title: str,
    year: int | None,
    *,
    genre_names: Sequence[str] = (),
    updated_at: int = UPDATED_AT,
    **columns: Any,
) -> int:
    """A movie row; ``columns`` are any other ``movies`` columns (imdb_id, runtime, …)."""
    values = {
        "slug": movie_slug(title, year),
        "title": title,
        "year": year,
        "title_key": fold(title),
        "source": SOURCE_IMDB,
        "created_at": updated_at,
        "updated_at": updated_at,
        **columns,
    }
    movie_id = (await conn.execute(insert(movies).values(values).returning(movies.c.id))).scalar_one()
    await _link_genres(conn, movie_genres, "movie_id", movie_id, genre_names)
    return movie_id


async def add_show(
    conn: AsyncConnection,
    title: str,
    year: int | None,
    *,
    genre_names: Sequence[str] = (),
    updated_at: int = UPDATED_AT,
    **columns: Any,
) -> int:
    """A show row; ``columns`` are any other ``shows`` columns (tvdb_id, network, …)."""
    values = {
        "slug": show_slug(title),
        "title": title,
        "year": year,
        "title_key": fold(title),
        "source": SOURCE_IMDB,
        "created_at": updated_at,
        "updated_at": updated_at,
        **columns,
    }
    show_id = (await conn.execute(insert(shows).values(values).returning(shows.c.id))).scalar_one()
    await _link_genres(conn, show_genres, "show_id", show_id, genre_names)
    return show_id


async def add_episode(conn: AsyncConnection, show_id: int, season: int, number: int, **columns: Any) -> int:
    values = {
        "show_id": show_id,
        "season": season,
        "number": number,
        "source": SOURCE_IMDB,
        "created_at": UPDATED_AT,
        "updated_at": UPDATED_AT,
        **columns,
    }
    if values.get("title"):
        values["title_key"] = fold(values["title"])
    return (await conn.execute(insert(episodes).values(values).returning(episodes.c.id))).scalar_one()


async def add_season(
    conn: AsyncConnection,
    show_id: int,
    number: int,
    episode_list: int | Sequence[dict[str, Any]],
    *,
    poster_url: str | None = None,
) -> list[int]:
    """A season row and its episodes: a count (titled ``Episode n``) or one dict of columns each,
    numbered from 1. Returns the episode ids."""
    await conn.execute(insert(seasons).values(show_id=show_id, number=number, poster_url=poster_url))
    if isinstance(episode_list, int):
        episode_list = [{"title": f"Episode {n}"} for n in range(1, episode_list + 1)]
    if not episode_list:
        return []
    rows = [
        {
            "show_id": show_id,
            "season": number,
            "number": n,
            "source": SOURCE_IMDB,
            "created_at": UPDATED_AT,
            "updated_at": UPDATED_AT,
            "title_key": fold(columns["title"]) if columns.get("title") else None,
            **columns,
        }
        for n, columns in enumerate(episode_list, start=1)
    ]
    # Rows with differing keys can't share one executemany; fill the gaps with NULLs.
    keys = {key for row in rows for key in row}
    rows = [{key: row.get(key) for key in keys} for row in rows]
    await conn.execute(insert(episodes), rows)
    found = await conn.execute(
        select(episodes.c.id)
        .where(episodes.c.show_id == show_id, episodes.c.season == number)
        .order_by(episodes.c.number)
    )
    return list(found.scalars())


async def add_credits(
    conn: AsyncConnection, kind: Literal["movie", "show"], item_id: int, roles: Sequence[Role]
) -> None:
    """Credits in billing order, creating each person the first time their name appears."""
    table, column = (movie_credits, "movie_id") if kind == "movie" else (show_credits, "show_id")
    for position, role in enumerate(roles):
        slug = person_slug(role.name)
        person_id = (await conn.execute(select(people.c.id).where(people.c.slug == slug))).scalar()
        if person_id is None:
            person_id = (
                await conn.execute(
                    insert(people)
                    .values(
                        slug=slug,
                        name=role.name,
                        name_key=fold(role.name),
                        headshot_url=role.headshot_url,
                        source=SOURCE_IMDB,
                        updated_at=UPDATED_AT,
                    )
                    .returning(people.c.id)
                )
            ).scalar_one()
        await conn.execute(
            insert(table).values(
                {
                    column: item_id,
                    "person_id": person_id,
                    "role": role.role,
                    "character": role.character,
                    "job": role.job,
                    "executive": role.executive,
                    "position": position,
                }
            )
        )


# --- Named titles with the values of the spec's examples and recordings -------------------------


async def the_social_network(conn: AsyncConnection) -> int:
    """movie/summary's example, with one credit in each role."""
    movie_id = await add_movie(
        conn,
        "The Social Network",
        2010,
        genre_names=["Drama"],
        released=1285916400,
        trailer="http://youtube.com/watch?v=lB95KLmpLR4",
        runtime=120,
        tagline="You don't get to 500 million friends without making a few enemies",
        overview="On a fall night in 2003, Harvard undergrad and computer programming genius Mark Zuckerberg …",
        certification="PG-13",
        imdb_id="tt1285016",
        tmdb_id=37799,
        rt_id=770790775,
        poster_url="http://trakt.us/images/posters_movies/1.jpg",
        fanart_url="http://trakt.us/images/fanart_movies/1.jpg",
        imdb_rating=7.8,
        imdb_votes=5000,
    )
    await add_credits(
        conn,
        "movie",
        movie_id,
        [
            Role("David Fincher", "director", headshot_url="http://trakt.us/images/people/1.jpg"),
            Role("Aaron Sorkin", "writer", job="Screenplay"),
            Role("Kevin Spacey", "producer", executive=True),
            Role("Jesse Eisenberg", "actor", character="Mark Zuckerberg"),
            Role("Andrew Garfield", "actor", character="Eduardo Saverin"),
        ],
    )
    return movie_id


async def uncle_buck(conn: AsyncConnection) -> int:
    """The recorded search/movies item, ratings included."""
    return await add_movie(
        conn,
        "Uncle Buck",
        1989,
        genre_names=["Comedy", "Drama", "Family"],
        released=619254000,
        trailer="http://youtube.com/watch?v=1_lOyGcMIEU",
        runtime=100,
        tagline="He's crude. He's crass. He's family.",
        overview=(
            "Uncle Buck has a reputation for being unreliable and a bit of a house wrecker. It is therefore "
            "with reluctance, his sister-in-law agrees to leave Buck looking after the kids (two harmless "
            "youngsters and a rebelious teenager) when she visits her sick father."
        ),
        certification="PG",
        imdb_id="tt0098554",
        tmdb_id=2616,
        poster_url="http://trakt.us/images/posters_movies/8429.jpg",
        fanart_url="http://trakt.us/images/fanart_movies/8429.jpg",
        # 85 votes averaging 8.1 (81%), 79 of them 6 or more.
        rating_votes=85,
        rating_total=689,
        rating_loved=79,
        rating_hated=6,
    )


async def sparse_movie(
    conn: AsyncConnection, title: str = "Grandma's 80th Birthday", year: int = 2011
) -> int:
    """What auto-cataloguing leaves behind: a title and a year from a client, nothing else."""
    return await add_movie(conn, title, year, source=SOURCE_CLIENT)


async def sparse_show(conn: AsyncConnection, title: str = "Local Access Hour") -> int:
    """An auto-catalogued show with one bare episode (1x01): only numbers, no title or date."""
    show_id = await add_show(conn, title, None, source=SOURCE_CLIENT)
    await add_episode(conn, show_id, 1, 1, source=SOURCE_CLIENT)
    return show_id


WALKING_DEAD_S1 = ["Days Gone Bye", "Guts", "Tell It to the Frogs", "Vatos", "Wildfire", "TS-19"]


async def the_walking_dead(conn: AsyncConnection) -> int:
    """show/summary's example: AMC, Sundays 9:00pm Eastern, first aired 2010-10-31; two seasons."""
    show_id = await add_show(
        conn,
        "The Walking Dead",
        2010,
        genre_names=["Drama", "Horror"],
        first_aired=local_time("2010-10-31 21:00"),
        country="United States",
        overview="Based on the comic book series of the same name …",
        runtime=60,
        status="Continuing",
        network="AMC",
        air_day="Sunday",
        air_time="9:00pm",
        air_timezone=EASTERN,
        certification="TV-14",
        imdb_id="tt1520211",
        tvdb_id=153021,
        tvrage_id=25056,
        poster_url="http://trakt.us/images/posters/3.jpg",
        fanart_url="http://trakt.us/images/fanart/3.jpg",
        banner_url="http://trakt.us/images/banners/3.jpg",
    )
    days = ["2010-10-31", "2010-11-07", "2010-11-14", "2010-11-21", "2010-11-28", "2010-12-05"]
    season_one = [
        {"title": title, "first_aired": local_time(f"{day} 21:00")}
        for title, day in zip(WALKING_DEAD_S1, days, strict=True)
    ]
    season_one[0].update(tvdb_id=127425, screen_url="http://trakt.us/images/episodes/3-1-1.jpg")
    await add_season(conn, show_id, 1, season_one, poster_url="http://trakt.us/images/seasons/3-1.1.jpg")
    await add_season(conn, show_id, 2, 13)
    await add_credits(conn, "show", show_id, [Role("Andrew Lincoln", character="Rick Grimes")])
    return show_id


async def the_league(conn: AsyncConnection) -> int:
    """show/episode/summary's example. Dates only, as in 2012: first aired 2009-10-29."""
    show_id = await add_show(
        conn,
        "The League",
        2009,
        genre_names=["Comedy"],
        first_aired=local_time("2009-10-29 00:00"),
        country="United States",
        overview="A comedy about a fantasy football league …",
        runtime=30,
        network="FX",
        air_day="Thursday",
        air_time="10:30pm",
        air_timezone=EASTERN,
        certification="TV-MA",
        imdb_id="tt1480684",
        tvdb_id=114701,
        tvrage_id=24173,
        poster_url="http://trakt.us/images/posters/51.jpg",
        fanart_url="http://trakt.us/images/fanart/51.jpg",
        banner_url="http://trakt.us/images/banners/51.jpg",
    )
    titles = ["The Draft", "The Marathon", "Mr. McGibblets", "The Usual Bet", "Vegan Baby", "Kegel the Elf"]
    days = ["2009-10-29", "2009-11-05", "2009-11-12", "2009-11-19", "2009-11-26", "2009-12-03"]
    await add_season(
        conn,
        show_id,
        1,
        [
            {"title": title, "first_aired": local_time(f"{day} 00:00"), "overview": "…"}
            for title, day in zip(titles, days, strict=True)
        ],
    )
    return show_id


async def boardwalk_empire(conn: AsyncConnection) -> int:
    """The 2013 air-time example: HBO, Sundays 9:00pm Eastern, pilot 2010-09-19."""
    show_id = await add_show(
        conn,
        "Boardwalk Empire",
        2010,
        genre_names=["Drama"],
        first_aired=local_time("2010-09-19 21:00"),
        country="United States",
        runtime=60,
        status="Ended",
        network="HBO",
        air_day="Sunday",
        air_time="9:00pm",
        air_timezone=EASTERN,
        certification="TV-MA",
        imdb_id="tt0979432",
        tvdb_id=84947,
    )
    await add_season(
        conn, show_id, 1, [{"title": "Boardwalk Empire", "first_aired": local_time("2010-09-19 21:00")}]
    )
    return show_id


BIG_BANG_SEASONS = {6: 11, 5: 24, 4: 24, 3: 23, 2: 23, 1: 17, 0: 3}


async def the_big_bang_theory(conn: AsyncConnection) -> int:
    """The recorded show/seasons: seasons 0-6 with their 2012 episode counts and posters."""
    show_id = await add_show(
        conn,
        "The Big Bang Theory",
        2007,
        genre_names=["Comedy"],
        first_aired=local_time("2007-09-24 20:00"),
        country="United States",
        runtime=30,
        network="CBS",
        air_day="Thursday",
        air_time="8:00pm",
        air_timezone=EASTERN,
        certification="TV-PG",
        imdb_id="tt0898266",
        tvdb_id=80379,
        tvrage_id=8511,
        poster_url="http://trakt.us/images/posters/34.jpg",
    )
    for number, count in sorted(BIG_BANG_SEASONS.items()):
        await add_season(
            conn, show_id, number, count, poster_url=f"http://trakt.us/images/seasons/34-{number}.1.jpg"
        )
    return show_id
