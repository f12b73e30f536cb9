"""The recorded searches (``recorded/should_find_*.json``), answered from equivalent rows: the
first result must equal the recorded one, key order and value types included."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from opentrakt.db.tables.accounts import users
from opentrakt.runtime import Runtime
from tests.discovery.rows import add_episode, add_movie, add_person, add_show, writing
from tests.support import Account, make_user


def recorded(shared_dir: Path, name: str) -> tuple[str, list[dict[str, Any]]]:
    """The recorded request path and response body."""
    exchange = json.loads((shared_dir / "spec" / "v1" / "recorded" / name).read_text())[0]
    return exchange["path"], exchange["response_body"]


def ratings_columns(ratings: dict[str, int]) -> dict[str, int]:
    """Community rating columns that present as the recorded ``ratings`` object."""
    votes = ratings["votes"]
    return {
        "rating_votes": votes,
        "rating_total": round(ratings["percentage"] * votes / 10),
        "rating_loved": ratings["loved"],
        "rating_hated": ratings["hated"],
    }


def shape(value: Any) -> Any:
    """Keys in order and value types, recursively: what clients parse."""
    if isinstance(value, dict):
        return [(key, shape(item)) for key, item in value.items()]
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return type(value).__name__


@pytest.fixture
async def alice(runtime: Runtime) -> Account:
    return await make_user(runtime, "alice")


async def get(client: httpx.AsyncClient, path: str, key: str, **kwargs: Any) -> httpx.Response:
    return await client.get(path.replace("APIKEY", key), **kwargs)


async def test_movies_as_recorded(
    client: httpx.AsyncClient, runtime: Runtime, alice: Account, shared_dir: Path
) -> None:
    path, body = recorded(shared_dir, "should_find_movie_uncle_buck.json")
    first = body[0]
    async with writing(runtime) as conn:
        await add_movie(conn, "Big Buck Bunny", year=2008, votes=33)
        await add_movie(
            conn,
            first["title"],
            slug="uncle-buck-1989",
            year=first["year"],
            released=first["released"],
            trailer=first["trailer"],
            runtime=first["runtime"],
            tagline=first["tagline"],
            overview=first["overview"],
            certification=first["certification"],
            imdb_id=first["imdb_id"],
            tmdb_id=int(first["tmdb_id"]),
            poster_url=first["images"]["poster"],
            fanart_url=first["images"]["fanart"],
            genre_names=first["genres"],
            **ratings_columns(first["ratings"]),
        )
    response = await get(client, path, alice.key)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    found = response.json()
    assert found[0] == first
    assert shape(found[0]) == shape(first)
    assert [movie["title"] for movie in found] == ["Uncle Buck", "Big Buck Bunny"]


async def test_shows_as_recorded(
    client: httpx.AsyncClient, runtime: Runtime, alice: Account, shared_dir: Path
) -> None:
    path, body = recorded(shared_dir, "should_find_show_cowboy_bebop.json")
    first = body[0]
    async with writing(runtime) as conn:
        for other in body[1:]:
            await add_show(conn, other["title"], year=other["year"])
        await add_show(
            conn,
            first["title"],
            slug="cowboy-bebop",
            year=first["year"],
            first_aired=first["first_aired"],
            country=first["country"],
            overview=first["overview"],
            runtime=first["runtime"],
            network=first["network"],
            air_day=first["air_day"],
            air_time=first["air_time"],
            certification=first["certification"],
            imdb_id=first["imdb_id"],
            tvdb_id=int(first["tvdb_id"]),
            tvrage_id=int(first["tvrage_id"]),
            poster_url=first["images"]["poster"],
            fanart_url=first["images"]["fanart"],
            banner_url=first["images"]["banner"],
            genre_names=first["genres"],
            **ratings_columns(first["ratings"]),
        )
    found = (await get(client, path, alice.key)).json()
    assert found[0] == first
    assert shape(found[0]) == shape(first)
    assert [show["title"] for show in found] == [show["title"] for show in body]


async def test_episodes_as_recorded(
    client: httpx.AsyncClient, runtime: Runtime, alice: Account, shared_dir: Path
) -> None:
    path, body = recorded(shared_dir, "should_find_episode_Lisa_the_Vegetarian.json")
    show, episode = body[0]["show"], body[0]["episode"]
    async with writing(runtime) as conn:
        show_id = await add_show(
            conn,
            show["title"],
            slug="the-simpsons",
            year=show["year"],
            first_aired=show["first_aired"],
            country=show["country"],
            overview=show["overview"],
            runtime=show["runtime"],
            network=show["network"],
            air_day=show["air_day"],
            air_time=show["air_time"],
            certification=show["certification"],
            imdb_id=show["imdb_id"],
            tvdb_id=int(show["tvdb_id"]),
            tvrage_id=int(show["tvrage_id"]),
            poster_url=show["images"]["poster"],
            fanart_url=show["images"]["fanart"],
            banner_url=show["images"]["banner"],
            genre_names=show["genres"],
        )
        await add_episode(conn, show_id, 12, 10, "All About Lisa")
        await add_episode(
            conn,
            show_id,
            episode["season"],
            episode["episode"],
            episode["title"],
            overview=episode["overview"],
            first_aired=episode["first_aired"],
            screen_url=episode["images"]["screen"],
            **ratings_columns(episode["ratings"]),
        )
    found = (await get(client, path, alice.key)).json()
    assert found[0] == body[0]
    assert shape(found[0]) == shape(body[0])
    assert [item["episode"]["title"] for item in found] == ["Lisa the Vegetarian", "All About Lisa"]


async def test_people_as_recorded(
    client: httpx.AsyncClient, runtime: Runtime, alice: Account, shared_dir: Path
) -> None:
    path, body = recorded(shared_dir, "should_find_actor_Eric_Bana.json")
    first = body[0]
    async with writing(runtime) as conn:
        await add_person(conn, "Eric")
        await add_person(
            conn,
            first["name"],
            slug="eric-bana",
            biography=first["biography"],
            birthday=first["birthday"],
            birthplace=first["birthplace"],
            tmdb_id=first["tmdb_id"],
            headshot_url=first["images"]["headshot"],
        )
        await add_person(conn, "Charles Eric Johnson")
    found = (await get(client, path, alice.key)).json()
    assert found[0] == first
    assert shape(found[0]) == shape(first)
    assert [person["name"] for person in found] == ["Eric Bana", "Eric", "Charles Eric Johnson"]
    # Unknown biography, birthday and birthplace are null, as recorded for other people.
    assert found[1]["biography"] is None and found[1]["birthday"] is None


async def test_users_as_recorded(
    client: httpx.AsyncClient, runtime: Runtime, alice: Account, shared_dir: Path
) -> None:
    path, body = recorded(shared_dir, "should_find_user_infodump.json")
    first = body[0]
    await make_user(runtime, "infodump")
    async with writing(runtime) as conn:
        await conn.execute(
            update(users)
            .where(users.c.username == "infodump")
            .values(joined=first["joined"], avatar_url=first["avatar"])
        )
    found = (await get(client, path, alice.key)).json()
    assert found == [first]
    assert shape(found[0]) == shape(first)
