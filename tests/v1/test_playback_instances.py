"""Two server instances on one PostgreSQL database: playback state lives in the database.

Each test starts two ``opentrakt serve`` processes on the same database, as two machines
behind a load balancer would run, and drives them over HTTP.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select, update

from opentrakt.db.tables.catalog import episodes, shows
from opentrakt.db.tables.playback import playback_sessions
from opentrakt.db.tables.tracking import episode_plays
from opentrakt.runtime import Runtime
from tests.catalog_fixtures import catalog_writer, the_walking_dead
from tests.playback.support import add_users, episode_play_rows
from tests.support import live_server, make_user

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)

PILOT = {"tvdb_id": 153021, "title": "The Walking Dead", "year": 2010, "season": 1, "episode": 1}


# Each server process may open twice its pool size in connections; PostgreSQL refuses clients
# past max_connections (100 by default), which the test database shares with everything else.
SMALL_POOL = {"OPENTRAKT_DB_POOL_SIZE": "5"}


@contextmanager
def two_servers(database_url: str, tmp_path: Path, **env: str) -> Iterator[tuple[str, str]]:
    env = {**SMALL_POOL, **env}
    with ExitStack() as stack:
        bases = []
        for name in ("a", "b"):
            data_dir = tmp_path / name
            data_dir.mkdir()
            bases.append(stack.enter_context(live_server(database_url, data_dir, **env)))
        yield bases[0], bases[1]


def server_logs(tmp_path: Path) -> str:
    """Both servers' logs (warnings and errors only), to explain a failed assertion."""
    return "\n".join(f"{log}:\n{log.read_text()}" for log in sorted(tmp_path.glob("*/server-*.log")))


async def test_a_checkin_made_on_one_instance_is_seen_and_cancelled_on_the_other(
    runtime: Runtime, database_url: str, tmp_path: Path
) -> None:
    alice = await make_user(runtime, "alice")
    async with catalog_writer(runtime) as conn:
        await the_walking_dead(conn)
    with two_servers(database_url, tmp_path) as (a, b):
        async with httpx.AsyncClient(timeout=30) as http:
            checked = await http.post(f"{a}/show/checkin/{alice.key}", json={**alice.body, **PILOT})
            assert checked.status_code == 200
            watching = await http.get(f"{b}/user/watching.json/{alice.key}/alice")
            assert (watching.json()["action"], watching.json()["episode"]["title"]) == (
                "checkin",
                "Days Gone Bye",
            )
            second = await http.post(
                f"{b}/movie/checkin/{alice.key}", json={**alice.body, "title": "X", "year": 2000}
            )
            assert second.status_code == 409
            assert 0 < second.json()["wait"] <= 3600
            cancelled = await http.post(f"{b}/show/cancelcheckin/{alice.key}", json=alice.body)
            assert cancelled.json() == {"status": "success", "message": "cancelled checkin"}
            assert (await http.get(f"{a}/user/watching.json/{alice.key}/alice")).json() == []
            again = await http.post(f"{a}/show/checkin/{alice.key}", json={**alice.body, **PILOT})
            assert again.status_code == 200
    assert await episode_play_rows(runtime, alice.user_id) == []


async def test_concurrent_scrobbles_through_both_instances_leave_one_play(
    runtime: Runtime, database_url: str, tmp_path: Path
) -> None:
    alice = await make_user(runtime, "alice")
    bob = await make_user(runtime, "bob")
    async with catalog_writer(runtime) as conn:
        await the_walking_dead(conn)
    # Bob's show is unknown: the racing requests also race to add it to the catalogue.
    unknown = {"title": "Night Shift Stories", "year": 2021, "season": 2, "episode": 4, "duration": 42}
    with two_servers(database_url, tmp_path) as (a, b):
        async with httpx.AsyncClient(timeout=30) as http:

            async def scrobble(
                base: str, account_body: dict[str, str], key: str, item: dict
            ) -> httpx.Response:  # type: ignore[type-arg]
                return await http.post(
                    f"{base}/show/scrobble/{key}", json={**account_body, **item, "progress": 95}
                )

            responses = await asyncio.gather(
                *(scrobble((a, b)[n % 2], alice.body, alice.key, PILOT) for n in range(20)),
                *(scrobble((a, b)[n % 2], bob.body, bob.key, unknown) for n in range(20)),
            )
    for first, account, label in ((0, alice, "The Walking Dead 1x01"), (20, bob, "Night Shift Stories 2x04")):
        batch = responses[first : first + 20]
        assert sorted(r.status_code for r in batch) == [200] + [409] * 19, server_logs(tmp_path)
        assert {r.json().get("error") for r in batch if r.status_code != 200} == {
            f"scrobbled {label} already"
        }
        assert len(await episode_play_rows(runtime, account.user_id)) == 1
    async with runtime.engine.connect() as conn:
        assert (
            await conn.scalar(
                select(func.count()).select_from(shows).where(shows.c.title == unknown["title"])
            )
            == 1
        )
        assert (
            await conn.scalar(select(func.count()).select_from(episodes).where(episodes.c.season == 2)) == 14
        )


async def test_the_duty_on_both_instances_completes_each_checkin_once(
    runtime: Runtime, database_url: str, tmp_path: Path
) -> None:
    async with catalog_writer(runtime) as conn:
        await the_walking_dead(conn)
    accounts = await add_users(runtime, 60)
    env = {"OPENTRAKT_DUTY_INTERVAL_SECONDS": "0.05", "OPENTRAKT_WORKERS": "2"}
    with two_servers(database_url, tmp_path, **env) as (a, b):
        async with httpx.AsyncClient(timeout=30) as http:
            checkins = [
                http.post(
                    f"{(a, b)[n % 2]}/show/checkin/{account.key}",
                    json={**account.body, **PILOT, "episode": 1 + n % 6, "duration": 1},
                )
                for n, account in enumerate(accounts)
            ]
            statuses = {r.status_code for r in await asyncio.gather(*checkins)}
            assert statuses == {200}, server_logs(tmp_path)
        # Let two minutes pass for every check-in at once, then leave it to the duties: no
        # request arrives that could complete them instead.
        async with catalog_writer(runtime) as conn:
            await conn.execute(
                update(playback_sessions).values(
                    started_at=playback_sessions.c.started_at - 120, ends_at=playback_sessions.c.ends_at - 120
                )
            )
            ends = dict(
                (await conn.execute(select(playback_sessions.c.user_id, playback_sessions.c.ends_at))).all()
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            async with runtime.engine.connect() as conn:
                waiting = await conn.scalar(
                    select(func.count())
                    .select_from(playback_sessions)
                    .where(playback_sessions.c.state == "checkin")
                )
            if not waiting:
                break
            await asyncio.sleep(0.1)
    assert waiting == 0
    async with runtime.engine.connect() as conn:
        plays = (
            await conn.execute(
                select(episode_plays.c.user_id, func.count(), func.min(episode_plays.c.watched_at)).group_by(
                    episode_plays.c.user_id
                )
            )
        ).all()
    assert len(plays) == len(accounts)
    assert all(count == 1 and watched_at == ends[user_id] for user_id, count, watched_at in plays)
