"""The shared request path's shortcuts: the key and the caller read together, the caller reused
for their own user/* reads, reads outside a transaction on PostgreSQL, and the benchmark's bare
route, which exists only when its setting is on."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from opentrakt.accounts import service as accounts
from opentrakt.accounts.passwords import sha1_hex
from opentrakt.app import BARE_ROUTE, Application, create_app
from opentrakt.clock import FrozenClock
from opentrakt.config import Settings
from opentrakt.db.engine import read_connection
from opentrakt.runtime import Runtime
from tests.catalog.statements import recorded_statements
from tests.support import Account, make_user


def user_queries(sent: list[str]) -> list[str]:
    return [s for s in sent if "FROM users" in s or "JOIN users" in s]


# --- The key and the caller in one query -----------------------------------------------------


async def test_key_and_user_come_from_one_query(runtime: Runtime, client: httpx.AsyncClient) -> None:
    alice = await make_user(runtime, "alice")
    with recorded_statements(runtime.engine) as sent:
        response = await client.get(f"/user/lastactivity.json/{alice.key}/alice", headers=alice.basic)
    assert response.status_code == 200
    assert "all" in response.json()
    key_reads = [s for s in sent if "api_keys" in s]
    assert len(key_reads) == 1
    assert "users" in key_reads[0]


async def test_key_and_user_lookup_results(runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    bob = await make_user(runtime, "bob", password="other")
    async with runtime.engine.connect() as conn, conn.begin():
        key, user = await accounts.get_api_key_and_user(conn, alice.key, "ALICE", alice.sha1)
        assert key is not None and key.user_id == alice.user_id
        assert user is not None and user.id == alice.user_id
        # Any valid key works with any user's credentials: the key names the app.
        key, user = await accounts.get_api_key_and_user(conn, alice.key, "bob", bob.sha1)
        assert key is not None and key.user_id == alice.user_id
        assert user is not None and user.id == bob.user_id
        key, user = await accounts.get_api_key_and_user(conn, alice.key, "alice", sha1_hex("wrong"))
        assert key is not None and user is None
        key, user = await accounts.get_api_key_and_user(conn, alice.key, "nobody", alice.sha1)
        assert key is not None and user is None
        key, user = await accounts.get_api_key_and_user(conn, "0" * 40, "alice", alice.sha1)
        assert key is None and user is None
        key, user = await accounts.get_api_key_and_user(conn, "bad\x00key", "alice", alice.sha1)
        assert key is None and user is None
        key, user = await accounts.get_api_key_and_user(conn, alice.key, "not a name!", alice.sha1)
        assert key is not None and user is None


@pytest.mark.parametrize("how", ["body", "basic"])
async def test_a_bad_key_is_reported_before_bad_credentials(
    runtime: Runtime, client: httpx.AsyncClient, how: str
) -> None:
    await make_user(runtime, "alice")
    wrong = Account("alice", "wrong", "0" * 40, 0)
    kwargs = {"json": wrong.body} if how == "body" else {"headers": wrong.basic}
    response = await client.post(f"/movie/seen/{'0' * 40}", **kwargs)
    assert (response.status_code, response.json()) == (
        401,
        {"status": "failure", "error": "invalid API key"},
    )


async def test_wrong_credentials_with_a_good_key_fail_authentication(
    runtime: Runtime, client: httpx.AsyncClient
) -> None:
    alice = await make_user(runtime, "alice")
    wrong = Account("alice", "wrong", alice.key, alice.user_id)
    response = await client.post(f"/movie/seen/{alice.key}", json=wrong.body)
    assert (response.status_code, response.json()["error"]) == (401, "failed authentication")


# --- The caller reused for their own reads ---------------------------------------------------


async def test_own_reads_look_the_user_up_once(runtime: Runtime, client: httpx.AsyncClient) -> None:
    alice = await make_user(runtime, "alice")
    with recorded_statements(runtime.engine) as sent:
        response = await client.get(
            f"/user/library/movies/watched.json/{alice.key}/ALICE/min", headers=alice.basic
        )
    assert (response.status_code, response.json()) == (200, [])
    assert len(user_queries(sent)) == 1


async def test_reads_of_someone_else_still_find_them(runtime: Runtime, client: httpx.AsyncClient) -> None:
    alice = await make_user(runtime, "alice")
    await make_user(runtime, "bob", protected=True)
    with recorded_statements(runtime.engine) as sent:
        response = await client.get(f"/user/library/movies/watched.json/{alice.key}/bob", headers=alice.basic)
    assert (response.status_code, response.json()) == (200, [])  # protected: empty, not 401
    assert len(user_queries(sent)) >= 2
    response = await client.get(f"/user/library/movies/watched.json/{alice.key}/nobody", headers=alice.basic)
    assert response.status_code == 404


# --- Reads outside a transaction on PostgreSQL -----------------------------------------------


async def test_read_connections_run_outside_a_transaction_only_on_postgresql(runtime: Runtime) -> None:
    postgres = runtime.engine.dialect.name == "postgresql"
    probe = "SELECT pg_current_xact_id()::text" if postgres else "SELECT 1"
    async with runtime.engine.connect() as conn:
        conn = await read_connection(conn)
        async with conn.begin():
            first = (await conn.exec_driver_sql(probe)).scalar_one()
            second = (await conn.exec_driver_sql(probe)).scalar_one()
            in_transaction = (await conn.get_raw_connection()).driver_connection
    if postgres:
        assert first != second  # each statement was a transaction of its own
        assert not in_transaction.is_in_transaction()
    else:
        assert first == second == 1


async def test_reads_and_writes_answer_through_the_router(
    runtime: Runtime, client: httpx.AsyncClient
) -> None:
    alice = await make_user(runtime, "alice")
    write = await client.post(
        f"/movie/seen/{alice.key}",
        json={**alice.body, "movies": [{"imdb_id": "tt0000001", "title": "A Film", "year": 2001}]},
    )
    assert (write.status_code, write.json()["status"]) == (200, "success")
    read = await client.get(f"/user/library/movies/watched.json/{alice.key}/alice/min", headers=alice.basic)
    assert read.status_code == 200
    assert [movie["imdb_id"] for movie in read.json()] == ["tt0000001"]


# --- The bare route --------------------------------------------------------------------------


async def test_bare_route_answers_an_empty_object_when_on(tmp_path: Path, database_url: str) -> None:
    settings = Settings(database_url=database_url, data_dir=tmp_path, bench_bare_route=True)
    app = create_app(settings, FrozenClock(1_700_000_000))
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as http:
            response = await http.get(BARE_ROUTE)
        assert (response.status_code, response.content) == (200, b"{}")
        assert response.headers["content-type"] == "application/json"
    finally:
        await app.runtime.engine.dispose()


async def test_bare_route_is_not_mounted_by_default(app: Application, client: httpx.AsyncClient) -> None:
    assert not app.runtime.settings.bench_bare_route
    response = await client.get(BARE_ROUTE)
    assert response.status_code == 404
    assert response.json()["status"] == "failure"
