"""movie/* and show/* playback on the wire: shapes, strings, statuses, keys and bad input."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.accounts import service as accounts
from opentrakt.accounts.models import Permission
from opentrakt.clock import FrozenClock
from opentrakt.db.tables.catalog import episodes, movies
from opentrakt.playback import service
from opentrakt.playback.items import movie_item
from opentrakt.playback.models import Session
from opentrakt.runtime import Runtime
from tests.catalog_fixtures import catalog_writer, the_walking_dead
from tests.conftest import START
from tests.playback.support import (
    BATMAN_IMDB,
    BATMAN_RUNTIME,
    batman_begins,
    episode_play_rows,
    event_actions,
    movie_play_rows,
    open_write,
    waits_for_a_lock,
)
from tests.spec_examples import example
from tests.support import Account, make_user

BATMAN = {"imdb_id": BATMAN_IMDB, "title": "Batman Begins", "year": 2005}
PILOT = {"tvdb_id": 153021, "title": "The Walking Dead", "year": 2010, "season": 1, "episode": 1}
MEDIA_CENTER = {"plugin_version": "1.0", "media_center_version": "10.0", "media_center_date": "Dec 17 2010"}


@pytest.fixture
async def alice(runtime: Runtime) -> Account:
    account = await make_user(runtime, "alice")
    async with catalog_writer(runtime) as conn:
        await batman_begins(conn)
        await the_walking_dead(conn)
    return account


async def post(client: httpx.AsyncClient, method: str, account: Account, **fields: Any) -> httpx.Response:
    return await client.post(f"/{method}/{account.key}", json={**account.body, **fields})


async def test_movie_watching_answers_the_documented_example(
    client: httpx.AsyncClient, alice: Account
) -> None:
    response = await post(
        client, "movie/watching", alice, **BATMAN, duration=141, progress=25, **MEDIA_CENTER
    )
    assert response.status_code == 200
    assert response.json() == {
        "status": "success",
        "message": "watching Batman Begins (2005)",
        "movie": {"title": "Batman Begins", "year": 2005, "imdb_id": "tt0372784", "tmdb_id": "272"},
        "facebook": False,
        "twitter": False,
        "tumblr": False,
        "path": False,
    }


async def test_movie_scrobble_then_duplicate_then_cancelwatching(
    client: httpx.AsyncClient, runtime: Runtime, alice: Account, clock: FrozenClock
) -> None:
    await post(client, "movie/watching", alice, **BATMAN, duration=141, progress=80)
    response = await post(client, "movie/scrobble", alice, **BATMAN, duration=141, progress=95)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "success"
    assert body["message"] == "scrobbled Batman Begins (2005)"
    assert (body["movie"]["title"], body["movie"]["year"]) == ("Batman Begins", 2005)

    clock.advance(60)
    again = await post(client, "movie/scrobble", alice, **BATMAN, duration=141, progress=95)
    assert again.status_code != 200
    error = again.json()["error"]
    # script.trakt's test, then the exact text.
    assert error.startswith("scrobbled") and error.endswith("already")
    assert again.json() == {"status": "failure", "error": "scrobbled Batman Begins (2005) already"}
    cancelled = await post(client, "movie/cancelwatching", alice)
    assert cancelled.json() == {"status": "success", "message": "cancelled watching"}
    assert [action for _, _, action in await movie_play_rows(runtime, alice.user_id)] == ["scrobble"]


async def test_show_watching_keeps_the_quoted_response_types(
    client: httpx.AsyncClient, alice: Account
) -> None:
    response = await post(client, "show/watching", alice, **PILOT, duration=60, progress=25, **MEDIA_CENTER)
    assert response.status_code == 200
    assert response.json() == {
        "status": "success",
        "message": "watching The Walking Dead 1x01",
        "show": {
            "title": "The Walking Dead",
            "year": "2010",
            "imdb_id": "tt1520211",
            "tvdb_id": "153021",
            "tvrage_id": "25056",
        },
        "season": "1",
        "episode": {"number": "1", "title": "Days Gone Bye"},
        "facebook": False,
        "twitter": False,
        "tumblr": False,
    }


async def test_show_scrobble_carries_season_and_episode(
    client: httpx.AsyncClient, runtime: Runtime, alice: Account
) -> None:
    response = await post(client, "show/scrobble", alice, **PILOT, duration=60, progress=90)
    body = response.json()
    assert body["message"] == "scrobbled The Walking Dead 1x01"
    # script.trakt copies response["season"] into response["episode"]["season"].
    body["episode"]["season"] = body["season"]
    assert body["episode"] == {"number": "1", "title": "Days Gone Bye", "season": "1"}
    assert body["show"]["tvdb_id"] == "153021"
    duplicate = await post(client, "show/scrobble", alice, **PILOT, duration=60, progress=90)
    assert duplicate.json()["error"] == "scrobbled The Walking Dead 1x01 already"
    assert len(await episode_play_rows(runtime, alice.user_id)) == 1
    assert [action for action, _, _ in await event_actions(runtime, alice.user_id)] == ["scrobble"]


async def test_episode_found_by_its_own_tvdb_id(
    client: httpx.AsyncClient, runtime: Runtime, alice: Account
) -> None:
    body = {"title": "The Walking Dead", "year": 2010, "season": 9, "episode": 9, "episode_tvdb_id": 127425}
    response = await post(client, "show/scrobble", alice, **body)
    assert response.json()["message"] == "scrobbled The Walking Dead 1x01"


async def test_movie_checkin_shape_and_the_one_checkin_rule(
    client: httpx.AsyncClient, runtime: Runtime, alice: Account, clock: FrozenClock
) -> None:
    share = {"facebook": True, "twitter": True, "tumblr": False, "path": True, "prowl": True}
    response = await post(
        client, "movie/checkin", alice, **BATMAN, share=share, venue_id=1234, venue_name="Home", message="Hi"
    )
    assert response.status_code == 200
    assert response.json() == {
        "status": "success",
        "message": "checked in to Batman Begins (2005)",
        "timestamps": {"start": START, "end": START + BATMAN_RUNTIME * 60, "active_for": BATMAN_RUNTIME * 60},
        "movie": {"title": "Batman Begins", "year": 2005, "imdb_id": "tt0372784", "tmdb_id": "272"},
        # Nothing is posted to any network from a self-hosted server.
        "facebook": False,
        "twitter": False,
        "tumblr": False,
        "path": False,
    }
    clock.advance(600)
    second = await post(client, "show/checkin", alice, **PILOT)
    assert second.status_code == 409
    assert second.json() == {
        "status": "failure",
        "error": "there is already a checkin in progress",
        "wait": BATMAN_RUNTIME * 60 - 600,
    }
    cancelled = await post(client, "movie/cancelcheckin", alice)
    assert cancelled.json() == {"status": "success", "message": "cancelled checkin"}
    nothing = await post(client, "show/cancelcheckin", alice)
    assert nothing.status_code == 409
    assert nothing.json() == {"status": "failure", "error": "there is no active checkin"}
    assert await movie_play_rows(runtime, alice.user_id) == []


async def test_show_checkin_with_a_duration(client: httpx.AsyncClient, alice: Account) -> None:
    response = await post(client, "show/checkin", alice, **PILOT, duration=30, app_version="1", app_date="x")
    body = response.json()
    assert body["message"] == "checked in to The Walking Dead 1x01"
    assert body["timestamps"] == {"start": START, "end": START + 1800, "active_for": 1800}
    assert body["show"] == {
        "title": "The Walking Dead",
        "year": 2010,
        "imdb_id": "tt1520211",
        "tvdb_id": 153021,
    }
    assert (body["season"], body["episode"]) == (1, {"number": 1, "title": "Days Gone Bye"})


async def test_cancelcheckin_as_a_bodiless_get_with_basic_auth(
    client: httpx.AsyncClient, alice: Account
) -> None:
    await post(client, "show/checkin", alice, **PILOT)
    response = await client.get(f"/show/cancelcheckin/{alice.key}", headers=alice.basic)
    assert response.json() == {"status": "success", "message": "cancelled checkin"}


async def test_checkin_completes_on_the_next_request_after_its_end(
    client: httpx.AsyncClient, runtime: Runtime, alice: Account, clock: FrozenClock
) -> None:
    await post(client, "show/checkin", alice, **PILOT, duration=45)
    clock.advance(45 * 60)
    again = await post(client, "show/checkin", alice, **{**PILOT, "episode": 2})
    assert again.status_code == 200
    pilot_plays = await episode_play_rows(runtime, alice.user_id)
    assert [(watched, action) for _, watched, action in pilot_plays] == [(START + 45 * 60, "checkin")]


async def test_floats_and_strings_are_coerced(client: httpx.AsyncClient, alice: Account) -> None:
    body = {"imdb_id": BATMAN_IMDB, "duration": 91.0, "progress": "95.0"}
    assert (await post(client, "movie/watching", alice, **body)).status_code == 200
    show = {"tvdb_id": "153021", "season": "1", "episode": 2.0, "duration": "60", "progress": 10}
    response = await post(client, "show/watching", alice, **show)
    assert response.json()["message"] == "watching The Walking Dead 1x02"


async def test_unknown_items_auto_catalogue_from_the_body(
    client: httpx.AsyncClient, runtime: Runtime, alice: Account
) -> None:
    movie = {"title": "Home Movie", "year": 2019, "imdb_id": "tt9999999", "duration": 95, "progress": 90}
    response = await post(client, "movie/scrobble", alice, **movie)
    assert response.json()["movie"] == {
        "title": "Home Movie",
        "year": 2019,
        "imdb_id": "tt9999999",
        "tmdb_id": "",
    }
    show = {"title": "Local News", "year": 2001, "season": 3, "episode": 7, "duration": 25}
    response = await post(client, "show/scrobble", alice, **show)
    assert response.json()["message"] == "scrobbled Local News 3x07"
    async with runtime.engine.connect() as conn:
        runtime_minutes = await conn.scalar(select(movies.c.runtime).where(movies.c.imdb_id == "tt9999999"))
        episode_count = await conn.scalar(select(func.count()).select_from(episodes))
    assert runtime_minutes == 95  # learnt from the scrobble's duration
    assert episode_count == 6 + 13 + 1


UNIDENTIFIABLE = [
    ("movie/scrobble", {}, "movie not found"),
    ("movie/scrobble", {"imdb_id": "tt0000001"}, "movie not found"),  # an id alone can't create
    ("movie/watching", {"title": "blah"}, "movie not found"),
    ("movie/checkin", {"tmdb_id": 99999}, "movie not found"),
    ("show/scrobble", {"season": 1, "episode": 1}, "show not found"),
    ("show/watching", {"tvdb_id": 999999, "season": 1, "episode": 1}, "show not found"),
    ("show/checkin", {"title": "blah", "season": 1, "episode": 1}, "show not found"),
]


async def test_unidentifiable_items_fail_with_not_found(
    client: httpx.AsyncClient, runtime: Runtime, alice: Account
) -> None:
    for method, body, error in UNIDENTIFIABLE:
        response = await post(client, method, alice, **body)
        assert (response.status_code, response.json()) == (404, {"status": "failure", "error": error}), body
    assert await event_actions(runtime, alice.user_id) == []


async def test_unknown_items_fail_when_auto_catalogue_is_off(
    client: httpx.AsyncClient, runtime: Runtime, alice: Account
) -> None:
    runtime.settings = runtime.settings.model_copy(update={"auto_catalog": False})
    response = await post(client, "movie/scrobble", alice, title="Home Movie", year=2019)
    assert (response.status_code, response.json()["error"]) == (404, "movie not found")
    response = await post(client, "show/scrobble", alice, **{**PILOT, "season": 5, "episode": 5})
    assert (response.status_code, response.json()["error"]) == (400, "episode not found")


BAD_INPUT = [
    ("movie/watching", {**BATMAN, "duration": "long"}, "duration must be a number of minutes"),
    ("movie/scrobble", {**BATMAN, "duration": [1]}, "duration must be a number of minutes"),
    ("movie/scrobble", {**BATMAN, "duration": True}, "duration must be a number of minutes"),
    ("movie/checkin", {**BATMAN, "duration": -5}, "duration must be between 0 and 10000 minutes"),
    ("movie/checkin", {**BATMAN, "duration": 1e12}, "duration must be between 0 and 10000 minutes"),
    ("movie/watching", {**BATMAN, "progress": {"x": 1}}, "progress must be a percentage"),
    ("movie/scrobble", {**BATMAN, "progress": "half"}, "progress must be a percentage"),
    ("show/scrobble", {**PILOT, "season": -1}, "season must not be negative"),
    ("show/watching", {**PILOT, "episode": "one"}, "episode must be a whole number"),
    ("show/checkin", {**PILOT, "episode": None}, "episode is missing"),
]


async def test_bad_input_gets_the_failure_envelope(
    client: httpx.AsyncClient, runtime: Runtime, alice: Account
) -> None:
    for method, body, error in BAD_INPUT:
        response = await post(client, method, alice, **body)
        assert (response.status_code, response.json()) == (400, {"status": "failure", "error": error}), body
    assert await event_actions(runtime, alice.user_id) == []


async def test_odd_but_harmless_values_are_accepted(client: httpx.AsyncClient, alice: Account) -> None:
    body = {
        **BATMAN,
        "progress": 180,
        "message": "a\x00b" + "é" * 300,
        "venue_id": {"nested": True},
        "share": "yes",
        "url": "http://trakt.tv/movie/batman-begins-2005",
        "images": {"poster": "x"},
    }
    response = await post(client, "movie/checkin", alice, **body)
    assert response.status_code == 200
    assert (await post(client, "movie/cancelcheckin", alice)).status_code == 200
    assert (await post(client, "movie/watching", alice, **body)).status_code == 200


async def test_malformed_json_body(client: httpx.AsyncClient, alice: Account) -> None:
    response = await client.post(f"/movie/scrobble/{alice.key}", content=b'{"title": ')
    assert response.status_code == 400
    assert response.json()["status"] == "failure"


PERMISSIONS = [
    ("movie/watching", "scrobble"),
    ("movie/scrobble", "scrobble"),
    ("movie/cancelwatching", "scrobble"),
    ("show/watching", "scrobble"),
    ("show/scrobble", "scrobble"),
    ("show/cancelwatching", "scrobble"),
    ("movie/checkin", "checkin"),
    ("movie/cancelcheckin", "checkin"),
    ("show/checkin", "checkin"),
    ("show/cancelcheckin", "checkin"),
]


async def test_developer_permissions(client: httpx.AsyncClient, runtime: Runtime, alice: Account) -> None:
    async with catalog_writer(runtime) as conn:
        keys = {
            permission: await accounts.add_api_key(
                conn, user_id=alice.user_id, permissions={other}, now=START
            )
            for permission, other in (("scrobble", Permission.CHECKIN), ("checkin", Permission.SCROBBLE))
        }
        plain = await accounts.add_api_key(conn, user_id=alice.user_id, permissions=(), now=START)
    for method, permission in PERMISSIONS:
        response = await client.post(f"/{method}/{keys[permission].key}", json={**alice.body, **BATMAN})
        assert response.status_code == 401
        assert response.json()["error"] == f"invalid development API permission ({permission})"
        response = await client.post(f"/{method}/{plain.key}", json={**alice.body, **BATMAN})
        assert (response.status_code, response.json()["error"]) == (401, "invalid development API key")


async def test_credentials_are_required(client: httpx.AsyncClient, alice: Account) -> None:
    for method in ("movie/scrobble", "show/watching", "movie/checkin", "show/cancelcheckin"):
        response = await client.post(f"/{method}/{alice.key}", json=BATMAN)
        assert (response.status_code, response.json()) == (
            401,
            {"status": "failure", "error": "failed authentication"},
        )
        wrong = {"username": alice.username, "password": "0" * 40}
        response = await client.post(f"/{method}/{alice.key}", json={**BATMAN, **wrong})
        assert response.status_code == 401


async def test_the_watching_event_is_emitted_once_per_viewing(
    client: httpx.AsyncClient, runtime: Runtime, alice: Account, clock: FrozenClock
) -> None:
    for _ in range(3):
        await post(client, "movie/watching", alice, **BATMAN, duration=141, progress=10)
        clock.advance(15 * 60)
    await post(client, "movie/scrobble", alice, **BATMAN, duration=141, progress=90)
    actions = [(action, kind) for action, kind, _ in await event_actions(runtime, alice.user_id)]
    assert actions == [("watching", "movie"), ("scrobble", "movie")]


def shape(value: Any) -> Any:
    """Keys in order and JSON types, without the values."""
    if isinstance(value, dict):
        return [(key, shape(item)) for key, item in value.items()]
    return type(value).__name__


async def test_responses_have_the_shapes_of_the_spec_examples(
    client: httpx.AsyncClient, alice: Account, shared_dir: Path
) -> None:
    spec = shared_dir / "spec" / "v1"
    cases = [
        ("movie", "movie/watching", "movie/watching", BATMAN),
        ("movie", "movie/checkin", "movie/checkin", BATMAN),
        ("show", "show/watching", "show/watching", PILOT),
        ("show", "show/checkin", "show/checkin", PILOT),
    ]
    for section, heading, method, body in cases:
        response = await post(client, method, alice, **body, duration=60)
        assert shape(response.json()) == shape(example(spec, section, heading)), method
        await post(client, "show/cancelcheckin", alice)


async def test_a_repeated_ping_is_recognised_without_resolving_the_item_again(
    client: httpx.AsyncClient, runtime: Runtime, alice: Account, clock: FrozenClock
) -> None:
    await post(client, "movie/watching", alice, **BATMAN, duration=140, progress=10)
    # The catalogue forgets the IMDb id: resolving the same body again would now find nothing
    # by id, but the ping of the viewing under way is recognised from how it named the movie.
    async with catalog_writer(runtime) as conn:
        await conn.execute(update(movies).where(movies.c.imdb_id == BATMAN_IMDB).values(imdb_id=None))
    clock.advance(15 * 60)
    body = {"imdb_id": BATMAN_IMDB, "duration": 140}
    response = await post(client, "movie/watching", alice, **BATMAN, duration=140, progress=20)
    assert response.json()["message"] == "watching Batman Begins (2005)"
    # Named differently, the body is resolved afresh; the id alone now names no movie.
    assert (await post(client, "movie/watching", alice, **body)).json()["error"] == "movie not found"
    scrobbled = await post(client, "movie/scrobble", alice, **BATMAN, duration=140, progress=95)
    assert scrobbled.json()["message"] == "scrobbled Batman Begins (2005)"


async def test_a_scrobble_waits_for_the_users_write_in_progress_then_refuses_the_duplicate(
    client: httpx.AsyncClient, runtime: Runtime, alice: Account
) -> None:
    """Forced: another write of alice's (on another instance, say) holds her lock and has recorded
    the play, uncommitted. The request must wait for it rather than check for duplicates first."""
    async with open_write(runtime) as other:
        movie_id = await other.scalar(select(movies.c.id).where(movies.c.imdb_id == BATMAN_IMDB))
        batman = await movie_item(other, movie_id)
        assert batman is not None
        await service.scrobble(other, alice.user_id, batman, duration=None, now=START)
        rival = asyncio.create_task(post(client, "movie/scrobble", alice, **BATMAN, progress=95))
        assert await waits_for_a_lock(runtime, rival)
    response = await rival
    assert (response.status_code, response.json()) == (
        409,
        {"status": "failure", "error": "scrobbled Batman Begins (2005) already"},
    )
    assert await movie_play_rows(runtime, alice.user_id) == [(movie_id, START, "scrobble")]


class _DatabaseRefusal(Exception):
    """What the driver raises, carrying PostgreSQL's SQLSTATE."""

    def __init__(self, sqlstate: str) -> None:
        super().__init__(f"SQLSTATE {sqlstate}")
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    "sqlstate",
    [
        pytest.param("53300", id="too-many-connections"),
        pytest.param("40P01", id="deadlock"),
        pytest.param("40001", id="serialization-failure"),
    ],
)
async def test_a_transient_database_failure_answers_over_capacity(
    client: httpx.AsyncClient,
    runtime: Runtime,
    alice: Account,
    monkeypatch: pytest.MonkeyPatch,
    sqlstate: str,
) -> None:
    """PostgreSQL refusing one more connection, or ending a transaction to break a deadlock, leaves
    nothing written: the client is told to retry later (503, which script.trakt retries), not 500."""

    async def refused(conn: AsyncConnection, user_id: int) -> Session:
        raise DBAPIError("INSERT INTO playback_sessions ...", None, _DatabaseRefusal(sqlstate))

    monkeypatch.setattr(service, "lock_session", refused)
    response = await post(client, "movie/scrobble", alice, **BATMAN, progress=95)
    assert (response.status_code, response.json()) == (
        503,
        {"status": "failure", "error": "server is over capacity"},
    )
    assert await movie_play_rows(runtime, alice.user_id) == []
