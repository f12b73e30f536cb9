"""movie/summary, movie/summaries, genres/*, movies/updated and shows/updated over HTTP."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from opentrakt.clock import FrozenClock
from opentrakt.runtime import Runtime
from tests.catalog_fixtures import (
    add_movie,
    add_show,
    catalog_writer,
    sparse_movie,
    the_league,
    the_social_network,
    uncle_buck,
)
from tests.conftest import START
from tests.spec_examples import example, nulls, recorded
from tests.support import SPEC, Account, make_user

USER_FIELDS = ["watched", "plays", "in_watchlist", "in_collection", "rating", "rating_advanced"]


@pytest.fixture
async def alice(runtime: Runtime) -> Account:
    return await make_user(runtime, "alice")


@pytest.fixture
async def movies(runtime: Runtime) -> dict[str, int]:
    async with catalog_writer(runtime) as conn:
        return {
            "social": await the_social_network(conn),
            "buck": await uncle_buck(conn),
            "sparse": await sparse_movie(conn),
        }


# --- movie/summary ------------------------------------------------------------------------------


async def test_movie_summary_has_the_spec_example_shape(
    client: httpx.AsyncClient, alice: Account, movies: dict[str, int], shared_dir: Path
) -> None:
    spec = example(SPEC, "movie", "movie/summary")
    response = await client.get(
        f"/movie/summary.json/{alice.key}/the-social-network-2010", headers=alice.basic
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    data = response.json()
    assert list(data) == list(spec)
    for key in ("images", "ratings", "stats", "people"):
        assert list(data[key]) == list(spec[key]), key
    for role in ("directors", "writers", "producers", "actors"):
        assert list(data["people"][role][0]) == list(spec["people"][role][0]), role
    assert data["top_watchers"] == []
    assert set(data["stats"].values()) == {0}


async def test_movie_summary_values(
    client: httpx.AsyncClient, alice: Account, movies: dict[str, int]
) -> None:
    data = (await client.get(f"/movie/summary.json/{alice.key}/the-social-network-2010")).json()
    assert data["title"] == "The Social Network"
    assert data["year"] == 2010
    assert data["released"] == 1285916400
    assert data["url"] == "http://trakt.tv/movie/the-social-network-2010"
    assert data["runtime"] == 120
    assert data["imdb_id"] == "tt1285016"
    assert data["tmdb_id"] == "37799"  # a string, as in 2012
    assert data["rt_id"] == 770790775
    assert data["last_updated"] == 1_690_000_000
    assert data["poster"] == data["images"]["poster"] == "http://trakt.us/images/posters_movies/1.jpg"
    assert data["genres"] == ["Drama"]
    # Only the imported dataset's rating exists: its mean as the percentage, no love/hate split.
    assert data["ratings"] == {"percentage": 78, "votes": 5000, "loved": 0, "hated": 0}
    people = data["people"]
    assert [p["name"] for p in people["directors"]] == ["David Fincher"]
    assert people["writers"][0]["job"] == "Screenplay"
    assert people["producers"][0]["executive"] is True
    assert [(p["name"], p["character"]) for p in people["actors"]] == [
        ("Jesse Eisenberg", "Mark Zuckerberg"),
        ("Andrew Garfield", "Eduardo Saverin"),
    ]
    assert people["directors"][0]["images"]["headshot"] == "http://trakt.us/images/people/1.jpg"
    assert people["actors"][0]["images"]["headshot"] == "http://testserver/images/avatar-large.jpg"
    assert not any(key in data for key in USER_FIELDS)


@pytest.mark.parametrize("ref", ["the-social-network-2010", "The-Social-Network-2010", "tt1285016", "37799"])
async def test_movie_summary_by_slug_imdb_or_tmdb_id(
    client: httpx.AsyncClient, alice: Account, movies: dict[str, int], ref: str
) -> None:
    response = await client.get(f"/movie/summary.json/{alice.key}/{ref}")
    assert response.status_code == 200
    assert response.json()["imdb_id"] == "tt1285016"


@pytest.mark.parametrize("extra", ["/extended", "/true", "/full", "/", ""])
async def test_movie_summary_ignores_a_trailing_segment(
    client: httpx.AsyncClient, alice: Account, movies: dict[str, int], extra: str
) -> None:
    response = await client.get(f"/movie/summary/{alice.key}/tt1285016{extra}")
    assert response.status_code == 200
    assert response.json()["title"] == "The Social Network"


async def test_movie_summary_of_an_auto_catalogued_movie_has_no_nulls(
    client: httpx.AsyncClient, alice: Account, movies: dict[str, int]
) -> None:
    data = (await client.get(f"/movie/summary.json/{alice.key}/grandmas-80th-birthday-2011")).json()
    assert nulls(data) == []
    assert (data["released"], data["runtime"], data["rt_id"]) == (0, 0, 0)
    assert (data["imdb_id"], data["tmdb_id"], data["overview"], data["trailer"]) == ("", "", "", "")
    assert data["images"] == {
        "poster": "http://testserver/images/poster-small.jpg",
        "fanart": "http://testserver/images/fanart-summary.jpg",
    }
    assert data["genres"] == []
    assert data["people"] == {"directors": [], "writers": [], "producers": [], "actors": []}


async def test_movie_summary_per_user_fields_need_credentials(
    client: httpx.AsyncClient, alice: Account, movies: dict[str, int]
) -> None:
    url = f"/movie/summary.json/{alice.key}/tt1285016"
    anonymous = (await client.get(url)).json()
    empty_basic = (await client.get(url, headers={"Authorization": "Basic Og=="})).json()
    with_basic = (await client.get(url, headers=alice.basic)).json()
    with_body = (await client.post(url, json=alice.body)).json()
    for data in (anonymous, empty_basic):
        assert not any(key in data for key in USER_FIELDS)
    for data in (with_basic, with_body):
        assert list(data)[-6:] == USER_FIELDS
        assert [data[key] for key in USER_FIELDS] == [False, 0, False, False, False, 0]


async def test_movie_summary_with_wrong_credentials_fails_authentication(
    client: httpx.AsyncClient, alice: Account, movies: dict[str, int]
) -> None:
    response = await client.post(
        f"/movie/summary.json/{alice.key}/tt1285016", json={"username": "alice", "password": "0" * 40}
    )
    assert response.status_code == 401
    assert response.json() == {"status": "failure", "error": "failed authentication"}


@pytest.mark.parametrize(
    "ref", ["blah", "tt0000001", "123456", "the-social-network", "x" * 5000, "'; drop table movies"]
)
async def test_unknown_movie_is_404_movie_not_found(
    client: httpx.AsyncClient, alice: Account, movies: dict[str, int], ref: str
) -> None:
    for response in (
        await client.get(f"/movie/summary.json/{alice.key}/{ref}"),
        await client.post(f"/movie/summary.json/{alice.key}/{ref}", json=alice.body),
    ):
        assert response.status_code == 404
        assert response.json() == {"status": "failure", "error": "movie not found"}


async def test_movie_summary_without_a_title_is_a_400(client: httpx.AsyncClient, alice: Account) -> None:
    response = await client.get(f"/movie/summary.json/{alice.key}")
    assert response.status_code == 400
    assert response.json()["status"] == "failure"


# --- movie/summaries ----------------------------------------------------------------------------


async def test_movie_summaries_normal_level_equals_the_recorded_movie_object(
    client: httpx.AsyncClient, alice: Account, movies: dict[str, int], shared_dir: Path
) -> None:
    recorded_buck = recorded(SPEC, "should_find_movie_uncle_buck")["response_body"][0]
    response = await client.get(f"/movie/summaries.json/{alice.key}/uncle-buck-1989/normal")
    assert response.json() == [recorded_buck]


async def test_movie_summaries_levels(
    client: httpx.AsyncClient, alice: Account, movies: dict[str, int]
) -> None:
    url = f"/movie/summaries.json/{alice.key}/tt1285016"
    minimal = (await client.get(url)).json()
    assert minimal == [
        {"title": "The Social Network", "year": 2010, "imdb_id": "tt1285016", "tmdb_id": "37799"}
    ]
    assert (await client.get(f"{url}/min")).json() == minimal
    normal = (await client.get(f"{url}/normal")).json()[0]
    assert {"url", "images", "genres"} <= set(normal)
    assert "last_updated" not in normal
    full = (await client.get(f"{url}/full")).json()[0]
    assert list(full)[list(full).index("tmdb_id") + 1 :][:3] == ["rt_id", "last_updated", "poster"]
    # Summary-only keys belong to movie/summary, not to lists of movies.
    assert not {"people", "stats", "top_watchers"} & set(full)


async def test_movie_summaries_keep_order_skip_unknown_and_repeats(
    client: httpx.AsyncClient, alice: Account, movies: dict[str, int]
) -> None:
    titles = "uncle-buck-1989,nope,37799,,tt0098554,grandmas-80th-birthday-2011,tt9999999"
    data = (await client.get(f"/movie/summaries.json/{alice.key}/{titles}")).json()
    assert [m["title"] for m in data] == ["Uncle Buck", "The Social Network", "Grandma's 80th Birthday"]
    assert nulls(data) == []


async def test_movie_summaries_per_user_fields_with_credentials(
    client: httpx.AsyncClient, alice: Account, movies: dict[str, int]
) -> None:
    url = f"/movie/summaries.json/{alice.key}/uncle-buck-1989,tt1285016/normal"
    for data in (
        (await client.get(url, headers=alice.basic)).json(),
        (await client.post(url, json=alice.body)).json(),
    ):
        assert len(data) == 2
        assert all(list(m)[-6:] == USER_FIELDS for m in data)
    assert not any(key in m for m in (await client.get(url)).json() for key in USER_FIELDS)


async def test_movie_summaries_limit_the_number_of_titles(client: httpx.AsyncClient, alice: Account) -> None:
    allowed = await client.get(f"/movie/summaries.json/{alice.key}/{','.join(['nope'] * 100)}")
    assert allowed.status_code == 200
    assert allowed.json() == []
    response = await client.get(f"/movie/summaries.json/{alice.key}/{','.join(['nope'] * 101)}")
    assert response.status_code == 400
    assert response.json() == {"status": "failure", "error": "too many titles: at most 100 per call"}


# --- genres -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "cassette"),
    [("genres/movies", "should_get_movie_genres"), ("genres/shows", "should_get_show_genres")],
)
async def test_genres_equal_the_recordings(
    client: httpx.AsyncClient, alice: Account, shared_dir: Path, method: str, cassette: str
) -> None:
    expected = recorded(SPEC, cassette)["response_body"]
    for response in (
        await client.get(f"/{method}.json/{alice.key}"),
        await client.post(f"http://testserver//{method}.json/{alice.key}", json=alice.body),
    ):
        assert response.status_code == 200
        assert response.json() == expected


# --- movies/updated, shows/updated --------------------------------------------------------------


async def test_movies_updated_lists_changes_since_a_timestamp(
    client: httpx.AsyncClient, runtime: Runtime, alice: Account, shared_dir: Path
) -> None:
    async with catalog_writer(runtime) as conn:
        await add_movie(conn, "Old Movie", 1950, updated_at=START - 1000)
        await uncle_buck(conn)  # changed at the fixtures' default time, START - 10_000_000
        await add_movie(conn, "Fresh Movie", 2023, imdb_id="tt7654321", tmdb_id=99, updated_at=START - 10)
        await add_movie(conn, "Fresher Movie", 2023, updated_at=START - 5)
    response = await client.get(f"/movies/updated.json/{alice.key}/{START - 1000}")
    assert response.status_code == 200
    data = response.json()
    spec = example(SPEC, "movies", "movies/updated")
    assert list(data) == list(spec)
    assert data["timestamps"] == {"start": START - 1000, "end": START, "current": START}
    assert [m["title"] for m in data["movies"]] == ["Old Movie", "Fresh Movie", "Fresher Movie"]
    fresh = data["movies"][1]
    assert list(fresh) == ["imdb_id", "tmdb_id", "title", "year", "url", "last_updated"]
    assert fresh == {
        "imdb_id": "tt7654321",
        "tmdb_id": "99",
        "title": "Fresh Movie",
        "year": 2023,
        "url": "http://trakt.tv/movie/fresh-movie-2023",
        "last_updated": START - 10,
    }
    assert nulls(data) == []
    assert (await client.get(f"/movies/updated.json/{alice.key}/{START + 1}")).json()["movies"] == []


async def test_shows_updated(client: httpx.AsyncClient, runtime: Runtime, alice: Account) -> None:
    async with catalog_writer(runtime) as conn:
        await the_league(conn)
        await add_show(conn, "Brand New Show", 2023, updated_at=START - 60)
    data = (await client.post(f"/shows/updated.json/{alice.key}/{START - 3600}", json={})).json()
    assert data["timestamps"] == {"start": START - 3600, "end": START, "current": START}
    assert data["shows"] == [
        {
            "tvdb_id": "",
            "imdb_id": "",
            "tvrage_id": "",
            "title": "Brand New Show",
            "year": 2023,
            "url": "http://trakt.tv/show/brand-new-show",
            "last_updated": START - 60,
        }
    ]
    league = (await client.get(f"/shows/updated.json/{alice.key}/0")).json()["shows"][0]
    assert (league["title"], league["tvdb_id"], league["imdb_id"]) == ("The League", "114701", "tt1480684")


async def test_updated_pages_resume_where_the_cut_was_made(
    client: httpx.AsyncClient,
    runtime: Runtime,
    alice: Account,
    clock: FrozenClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from opentrakt.v1.handlers import movies as movies_handlers

    monkeypatch.setattr(movies_handlers, "UPDATED_LIMIT", 3)
    async with catalog_writer(runtime) as conn:
        for n, second in enumerate([100, 100, 200, 200, 200, 300]):
            await add_movie(conn, f"Movie {n}", 2000, updated_at=second)
    first = (await client.get(f"/movies/updated.json/{alice.key}/0")).json()
    # Three fit, but the third would split second 200: the page stops before it.
    assert [m["title"] for m in first["movies"]] == ["Movie 0", "Movie 1"]
    assert first["timestamps"] == {"start": 0, "end": 200, "current": 200}
    second = (await client.get(f"/movies/updated.json/{alice.key}/200")).json()
    assert [m["title"] for m in second["movies"]] == ["Movie 2", "Movie 3", "Movie 4"]
    assert second["timestamps"]["current"] == 300
    last = (await client.get(f"/movies/updated.json/{alice.key}/300")).json()
    assert [m["title"] for m in last["movies"]] == ["Movie 5"]
    assert last["timestamps"]["current"] == clock.now()


@pytest.mark.parametrize("method", ["movies/updated", "shows/updated"])
@pytest.mark.parametrize("value", ["yesterday", "-5", "1.5", "9" * 13, "%20"])
async def test_updated_needs_an_integer_timestamp(
    client: httpx.AsyncClient, alice: Account, method: str, value: str
) -> None:
    response = await client.get(f"/{method}.json/{alice.key}/{value}")
    assert response.status_code == 400
    assert response.json()["status"] == "failure"


@pytest.mark.parametrize("method", ["movies/updated", "shows/updated"])
async def test_updated_without_a_timestamp_is_a_failure(
    client: httpx.AsyncClient, alice: Account, method: str
) -> None:
    response = await client.get(f"/{method}.json/{alice.key}")
    assert response.status_code == 400
    assert response.json() == {"status": "failure", "error": "missing parameter: timestamp"}
