"""search/movies, search/shows, search/episodes, search/people and search/users over HTTP."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import insert

from opentrakt.db.tables.tracking import episode_watchlist, movie_watchlist, show_watchlist
from opentrakt.runtime import Runtime
from tests.discovery.rows import add_episode, add_movie, add_person, add_season, add_show, writing
from tests.support import Account, make_user

USER_FIELDS = ["watched", "plays", "in_watchlist", "in_collection", "rating", "rating_advanced"]
SHOW_USER_FIELDS = ["in_watchlist", "rating", "rating_advanced"]


@pytest.fixture
async def alice(runtime: Runtime) -> Account:
    return await make_user(runtime, "alice")


@pytest.fixture
async def bucks(runtime: Runtime) -> list[int]:
    async with writing(runtime) as conn:
        return [
            await add_movie(conn, "Uncle Buck", votes=85_000),
            await add_movie(conn, "Big Buck Bunny", votes=33_000),
            await add_movie(conn, "Buck", votes=8_000),
        ]


def titles(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["title"] for item in response.json()]


@pytest.mark.parametrize(
    "target",
    [
        "/search/movies.json/{key}/uncle+buck",
        "/search/movies.json/{key}/uncle%20buck",
        "/search/movies.json/{key}/Uncle%20Buck/",
        "/search/movies/{key}/uncle+buck",
        "/search/movies.json//{key}//uncle+buck",
        "/search/movies.json/{key}?query=uncle+buck",
        "/search/movies.json/{key}?query=uncle%20buck&limit=",
        "/search/movies/{key}?query=uncle+buck",
        # The query string wins over the path.
        "/search/movies.json/{key}/dexter?query=uncle+buck",
        "/search/movies.json/{key}/dexter/1?query=uncle+buck&limit=30",
    ],
)
async def test_url_forms(client: httpx.AsyncClient, alice: Account, bucks: list[int], target: str) -> None:
    response = await client.get(target.format(key=alice.key))
    assert titles(response) == ["Uncle Buck", "Big Buck Bunny", "Buck"]


async def test_post_works_like_get(client: httpx.AsyncClient, alice: Account, bucks: list[int]) -> None:
    response = await client.post(f"/search/movies.json/{alice.key}/uncle+buck/1", content=b"")
    assert titles(response) == ["Uncle Buck"]


@pytest.mark.parametrize(
    ("suffix", "expected"),
    [
        ("/1", 1),
        ("/2", 2),
        ("?limit=1", 1),
        ("/3?limit=1", 1),
        ("/1?limit=", 1),
        ("/%202%20", 2),
    ],
)
async def test_limit(
    client: httpx.AsyncClient, alice: Account, bucks: list[int], suffix: str, expected: int
) -> None:
    response = await client.get(f"/search/movies.json/{alice.key}/buck{suffix}")
    assert len(titles(response)) == expected


async def test_limit_defaults_to_30_and_stops_at_100(
    client: httpx.AsyncClient, runtime: Runtime, alice: Account
) -> None:
    async with writing(runtime) as conn:
        for n in range(105):
            await add_movie(conn, f"Sequel {n}")
    assert len(titles(await client.get(f"/search/movies.json/{alice.key}/sequel"))) == 30
    assert len(titles(await client.get(f"/search/movies.json/{alice.key}/sequel/100"))) == 100
    assert len(titles(await client.get(f"/search/movies.json/{alice.key}/sequel/5000"))) == 100
    assert len(titles(await client.get(f"/search/movies.json/{alice.key}?query=sequel&limit=101"))) == 100


@pytest.mark.parametrize("limit", ["abc", "0", "-1", "1.5", "1e3", "99999999999999999999", "%00"])
async def test_bad_limit_is_a_400(client: httpx.AsyncClient, alice: Account, limit: str) -> None:
    for target in (
        f"/search/movies.json/{alice.key}/buck/{limit}",
        f"/search/people.json/{alice.key}?query=x&limit={limit}",
    ):
        response = await client.get(target)
        assert response.status_code == 400, target
        assert response.json() == {"status": "failure", "error": "limit must be a positive whole number"}


@pytest.mark.parametrize(
    "target",
    [
        "/search/movies.json/{key}",
        "/search/movies.json/{key}/",
        "/search/movies.json/{key}?query=",
        "/search/shows.json/{key}?query=%20%20",
        "/search/episodes.json/{key}/+",
        "/search/users.json/{key}?limit=5",
    ],
)
async def test_missing_query_is_a_400(client: httpx.AsyncClient, alice: Account, target: str) -> None:
    response = await client.get(target.format(key=alice.key))
    assert response.status_code == 400
    assert response.json() == {"status": "failure", "error": "missing parameter: query"}


@pytest.mark.parametrize(
    "text",
    [
        "%22",
        "%2A",
        "NEAR%28uncle%29",
        "uncle+AND+buck",
        "%27%3B+DROP+TABLE+movies%3B+--",
        "%21%21%21",
        "%E2%80%94",
        "%F0%9F%8E%AC",
        "%C3%A9",
        "%FF%FE",
        "%00uncle",
        "a" * 2000,
    ],
)
async def test_hostile_text_answers_a_list(
    client: httpx.AsyncClient, alice: Account, bucks: list[int], text: str
) -> None:
    for kind in ("movies", "shows", "episodes", "people", "users"):
        for target in (
            f"/search/{kind}.json/{alice.key}/{text}",
            f"/search/{kind}.json/{alice.key}?query={text}",
        ):
            response = await client.get(target)
            assert response.status_code == 200, (target, response.text)
            assert isinstance(response.json(), list)
    # Operators are words like any other.
    assert titles(await client.get(f"/search/movies.json/{alice.key}/uncle+AND+buck"))[0] == "Uncle Buck"


async def test_unknown_key_is_a_401(client: httpx.AsyncClient, bucks: list[int]) -> None:
    response = await client.get("/search/movies.json/0123456789abcdef/uncle+buck")
    assert response.status_code == 401
    assert response.json() == {"status": "failure", "error": "invalid API key"}


# --- show seasons -----------------------------------------------------------------------------------


@pytest.fixture
async def bebop(runtime: Runtime) -> int:
    async with writing(runtime) as conn:
        show_id = await add_show(conn, "Cowboy Bebop", votes=100_000)
        await add_season(conn, show_id, 0)
        await add_season(conn, show_id, 2)  # announced, nothing aired yet
        for number in (2, 1, 3):
            await add_episode(conn, show_id, 1, number, f"Session {number}")
        await add_episode(conn, show_id, 0, 1, "Special")
        await add_show(conn, "Cowboy Builders")
    return show_id


BEBOP_SEASONS = [
    {"season": 2, "episodes": []},
    {
        "season": 1,
        "episodes": [{"season": 1, "number": 1}, {"season": 1, "number": 2}, {"season": 1, "number": 3}],
    },
    {"season": 0, "episodes": [{"season": 0, "number": 1}]},
]


@pytest.mark.parametrize(
    "target",
    [
        "/search/shows.json/{key}/cowboy+bebop/5/seasons",
        "/search/shows.json/{key}/cowboy+bebop/seasons",
        "/search/shows.json/{key}/cowboy+bebop?seasons=True",
        "/search/shows/{key}/dexter?query=cowboy+bebop&seasons=true",
        "/search/shows.json/{key}?query=cowboy+bebop&limit=5&seasons=1",
    ],
)
async def test_shows_with_seasons(client: httpx.AsyncClient, alice: Account, bebop: int, target: str) -> None:
    found = (await client.get(target.format(key=alice.key))).json()
    assert [show["title"] for show in found] == ["Cowboy Bebop", "Cowboy Builders"]
    assert found[0]["seasons"] == BEBOP_SEASONS
    assert list(found[0])[-1] == "seasons"
    assert found[1]["seasons"] == []


@pytest.mark.parametrize(
    "target",
    [
        "/search/shows.json/{key}/cowboy+bebop",
        "/search/shows.json/{key}/cowboy+bebop/5",
        "/search/shows.json/{key}/cowboy+bebop/5/other",
        "/search/shows.json/{key}/cowboy+bebop/5/seasons?seasons=false",
    ],
)
async def test_shows_without_seasons(
    client: httpx.AsyncClient, alice: Account, bebop: int, target: str
) -> None:
    found = (await client.get(target.format(key=alice.key))).json()
    assert found and all("seasons" not in show for show in found)


# --- credentials --------------------------------------------------------------------------------------


async def test_credentials_add_the_callers_fields(
    client: httpx.AsyncClient, runtime: Runtime, alice: Account, bebop: int
) -> None:
    async with writing(runtime) as conn:
        movie_id = await add_movie(conn, "Cowboy Bebop: The Movie")
        listed = {"user_id": alice.user_id, "listed_at": 1}
        await conn.execute(insert(movie_watchlist).values(movie_id=movie_id, **listed))
        await conn.execute(insert(show_watchlist).values(show_id=bebop, **listed))
        episode_id = await add_episode(conn, bebop, 1, 4, "Waltz for Venus")
        await conn.execute(insert(episode_watchlist).values(episode_id=episode_id, show_id=bebop, **listed))

    movie = (await client.post(f"/search/movies.json/{alice.key}/cowboy+bebop", json=alice.body)).json()[0]
    assert list(movie)[-len(USER_FIELDS) :] == USER_FIELDS
    assert movie["in_watchlist"] is True and movie["watched"] is False and movie["rating"] is False

    show = (await client.get(f"/search/shows.json/{alice.key}/cowboy+bebop", headers=alice.basic)).json()[0]
    assert set(list(show)[-len(SHOW_USER_FIELDS) :]) == set(SHOW_USER_FIELDS)
    assert show["in_watchlist"] is True and show["rating_advanced"] == 0

    item = (await client.post(f"/search/episodes.json/{alice.key}/waltz+venus", json=alice.body)).json()[0]
    assert list(item["episode"])[-len(USER_FIELDS) :] == USER_FIELDS
    assert item["episode"]["in_watchlist"] is True
    assert not set(USER_FIELDS) & set(item["show"])

    anonymous = (await client.get(f"/search/movies.json/{alice.key}/cowboy+bebop")).json()[0]
    assert not set(USER_FIELDS) & set(anonymous)


async def test_wrong_password_fails_where_auth_is_optional(
    client: httpx.AsyncClient, alice: Account, bucks: list[int]
) -> None:
    body = {"username": "alice", "password": "0" * 40}
    for kind in ("movies", "shows", "episodes"):
        response = await client.post(f"/search/{kind}.json/{alice.key}/buck", json=body)
        assert response.status_code == 401
        assert response.json() == {"status": "failure", "error": "failed authentication"}


async def test_people_and_users_tolerate_credentials(
    client: httpx.AsyncClient, runtime: Runtime, alice: Account
) -> None:
    async with writing(runtime) as conn:
        await add_person(conn, "Eric Bana")
    for body in (alice.body, {"username": "alice", "password": "0" * 40}):
        people = await client.post(f"/search/people.json/{alice.key}/eric+bana", json=body)
        assert [person["name"] for person in people.json()] == ["Eric Bana"]
        found = await client.post(f"/search/users.json/{alice.key}/alice", json=body)
        assert [user["username"] for user in found.json()] == ["alice"]
        assert not set(USER_FIELDS) & set(found.json()[0])


async def test_protected_users_are_listed_without_profile_fields(
    client: httpx.AsyncClient, runtime: Runtime, alice: Account
) -> None:
    await make_user(
        runtime, "hidden_alice", full_name="Alice Hidden", location="Paris", age=30, protected=True
    )
    await make_user(runtime, "open_alice", full_name="Alice Open", location="Rome", age=31)
    found = {
        user["username"]: user for user in (await client.get(f"/search/users.json/{alice.key}/alice")).json()
    }
    assert list(found) == ["alice", "open_alice", "hidden_alice"]
    assert found["open_alice"]["full_name"] == "Alice Open" and found["open_alice"]["age"] == 31
    hidden = found["hidden_alice"]
    assert hidden["protected"] is True
    assert (hidden["full_name"], hidden["location"], hidden["age"], hidden["about"]) == (None, None, "", None)
    assert list(hidden) == list(found["open_alice"])
    # Only usernames are searched: nothing of a protected profile can be probed for.
    for text in ("paris", "rome", "alice+hidden+paris"):
        found_by_text = (await client.get(f"/search/users.json/{alice.key}/{text}")).json()
        assert all(user["username"] != "hidden_alice" or text.startswith("alice") for user in found_by_text)
    assert (await client.get(f"/search/users.json/{alice.key}/paris")).json() == []
