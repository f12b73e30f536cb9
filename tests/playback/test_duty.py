"""The background duty: check-ins completed at their end, exactly once; lapsed watching cleared."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.clock import FrozenClock
from opentrakt.db.engine import create_engine
from opentrakt.errors import NotFound
from opentrakt.playback import duty as duty_module
from opentrakt.playback import service
from opentrakt.playback.duty import PlaybackDuty, expire_watching, run_due_checkins
from opentrakt.playback.models import CheckinRequest, Session, State
from opentrakt.runtime import Runtime
from tests.conftest import START
from tests.playback.support import (
    BATMAN_RUNTIME,
    Player,
    add_users,
    batman_item,
    episode_play_rows,
    movie_play_rows,
    open_write,
    session_state,
    waits_for_a_lock,
    walking_dead_items,
)
from tests.support import make_user

MINUTE = 60


async def test_due_checkins_become_plays_at_their_end(runtime: Runtime, clock: FrozenClock) -> None:
    alice = Player(runtime, (await make_user(runtime, "alice")).user_id)
    bob = Player(runtime, (await make_user(runtime, "bob")).user_id)
    batman = await batman_item(runtime)
    pilot, *_ = await walking_dead_items(runtime)
    await alice.check_in(batman)  # 140 minutes
    await bob.check_in(pilot, CheckinRequest(duration=30))

    clock.advance(30 * MINUTE - 1)
    assert await run_due_checkins(runtime.engine, clock.now()) == 0
    clock.advance(1)
    assert await run_due_checkins(runtime.engine, clock.now()) == 1
    assert await episode_play_rows(runtime, bob.user_id) == [
        (pilot.episode.id, START + 30 * MINUTE, "checkin")
    ]
    assert await session_state(runtime, bob.user_id) == "idle"
    assert await bob.state() is None
    assert await alice.state() is State.CHECKIN

    clock.advance(3 * 60 * MINUTE)  # the duty runs late: the play keeps the check-in's end
    assert await run_due_checkins(runtime.engine, clock.now()) == 1
    assert await run_due_checkins(runtime.engine, clock.now()) == 0
    assert await movie_play_rows(runtime, alice.user_id) == [
        (batman.movie.id, START + BATMAN_RUNTIME * MINUTE, "checkin")
    ]
    assert await episode_play_rows(runtime, bob.user_id) == [
        (pilot.episode.id, START + 30 * MINUTE, "checkin")
    ]


async def test_duty_completes_in_batches(runtime: Runtime, clock: FrozenClock) -> None:
    pilot, *_ = await walking_dead_items(runtime)
    players = [Player(runtime, account.user_id) for account in await add_users(runtime, 5)]
    for player in players:
        await player.check_in(pilot, CheckinRequest(duration=10))
    clock.advance(10 * MINUTE)
    assert await run_due_checkins(runtime.engine, clock.now(), batch=2) == 5
    for player in players:
        assert len(await episode_play_rows(runtime, player.user_id)) == 1


async def test_duties_racing_on_one_database_complete_each_checkin_once(
    runtime: Runtime, clock: FrozenClock
) -> None:
    episodes = await walking_dead_items(runtime)
    players = [Player(runtime, account.user_id) for account in await add_users(runtime, 24)]
    for n, player in enumerate(players):
        await player.check_in(episodes[n % len(episodes)], CheckinRequest(duration=5 + n % 3))
    clock.advance(10 * MINUTE)
    # Separate engines stand for separate server processes.
    engines = [create_engine(str(runtime.engine.url.render_as_string(hide_password=False))) for _ in range(3)]
    try:
        counts = await asyncio.gather(
            *(run_due_checkins(engine, clock.now(), batch=4) for engine in engines for _ in range(2))
        )
    finally:
        for engine in engines:
            await engine.dispose()
    assert sum(counts) == len(players)
    for n, player in enumerate(players):
        ends = START + (5 + n % 3) * MINUTE
        assert await episode_play_rows(runtime, player.user_id) == [
            (episodes[n % len(episodes)].episode.id, ends, "checkin")
        ]


async def test_a_request_and_the_duty_complete_a_checkin_once(runtime: Runtime, clock: FrozenClock) -> None:
    alice = Player(runtime, (await make_user(runtime, "alice")).user_id)
    batman = await batman_item(runtime)
    pilot, *_ = await walking_dead_items(runtime)
    await alice.check_in(batman, CheckinRequest(duration=1))
    clock.advance(MINUTE)
    await asyncio.gather(run_due_checkins(runtime.engine, clock.now()), alice.watch(pilot))
    assert await movie_play_rows(runtime, alice.user_id) == [(batman.movie.id, START + MINUTE, "checkin")]
    assert await alice.state() is State.WATCHING


async def test_the_duty_leaves_a_checkin_to_the_request_completing_it(
    runtime: Runtime, clock: FrozenClock
) -> None:
    """Forced: a request has completed the due check-in but not committed. The duty must not
    complete it again: PostgreSQL's duty skips the locked row; SQLite's waits for the commit and
    then finds nothing due."""
    alice = Player(runtime, (await make_user(runtime, "alice")).user_id)
    batman = await batman_item(runtime)
    pilot, *_ = await walking_dead_items(runtime)
    await alice.check_in(batman, CheckinRequest(duration=1))
    clock.advance(MINUTE)
    async with open_write(runtime) as request:
        await service.watch(request, alice.user_id, pilot, duration=None, progress=None, now=clock.now())
        duty = asyncio.create_task(run_due_checkins(runtime.engine, clock.now()))
        if runtime.engine.dialect.name == "postgresql":
            assert await asyncio.wait_for(asyncio.shield(duty), 15) == 0
        else:
            assert await waits_for_a_lock(runtime, duty)
    assert await duty == 0
    assert await movie_play_rows(runtime, alice.user_id) == [(batman.movie.id, START + MINUTE, "checkin")]
    assert await alice.state() is State.WATCHING


async def test_lapsed_watching_states_are_reset(runtime: Runtime, clock: FrozenClock) -> None:
    alice = Player(runtime, (await make_user(runtime, "alice")).user_id)
    bob = Player(runtime, (await make_user(runtime, "bob")).user_id)
    batman = await batman_item(runtime)
    await alice.watch(batman, duration=140, progress=90)  # 14 minutes left
    await bob.watch(batman, progress=0)  # 30 minutes
    clock.advance(14 * MINUTE)
    assert await expire_watching(runtime.engine, clock.now()) == 1
    assert await session_state(runtime, alice.user_id) == "idle"
    assert await session_state(runtime, bob.user_id) == "watching"
    assert await expire_watching(runtime.engine, clock.now()) == 0
    assert await movie_play_rows(runtime, alice.user_id) == []


async def test_the_duty_runs_in_the_background_on_the_runtime_clock(
    runtime: Runtime, clock: FrozenClock
) -> None:
    alice = Player(runtime, (await make_user(runtime, "alice")).user_id)
    batman = await batman_item(runtime)
    await alice.check_in(batman, CheckinRequest(duration=5))
    fast = Runtime(
        settings=runtime.settings.model_copy(update={"duty_interval_seconds": 0.01}),
        engine=runtime.engine,
        clock=clock,
    )
    duty = PlaybackDuty(fast)
    duty.start()
    try:
        await asyncio.sleep(0.1)
        assert await movie_play_rows(runtime, alice.user_id) == []  # not due on the frozen clock
        clock.advance(5 * MINUTE)
        for _ in range(500):
            if await movie_play_rows(runtime, alice.user_id):
                break
            await asyncio.sleep(0.01)
    finally:
        await duty.stop()
    assert await movie_play_rows(runtime, alice.user_id) == [(batman.movie.id, START + 5 * MINUTE, "checkin")]


async def test_a_zero_interval_turns_the_duty_off(runtime: Runtime) -> None:
    off = Runtime(
        settings=runtime.settings.model_copy(update={"duty_interval_seconds": 0}),
        engine=runtime.engine,
        clock=runtime.clock,
    )
    duty = PlaybackDuty(off)
    duty.start()
    assert duty._task is None
    await duty.stop()


async def test_a_checkin_whose_play_fails_is_dropped_without_holding_up_the_rest(
    runtime: Runtime, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = Player(runtime, (await make_user(runtime, "alice")).user_id)
    bob = Player(runtime, (await make_user(runtime, "bob")).user_id)
    pilot, *_ = await walking_dead_items(runtime)
    await alice.check_in(pilot, CheckinRequest(duration=10))
    await bob.check_in(pilot, CheckinRequest(duration=20))
    real = duty_module.record_checkin_play

    async def failing_for_alice(conn: AsyncConnection, session: Session) -> None:
        if session.user_id == alice.user_id:
            raise NotFound("episode not found")
        await real(conn, session)

    monkeypatch.setattr(duty_module, "record_checkin_play", failing_for_alice)
    clock.advance(20 * MINUTE)
    assert await run_due_checkins(runtime.engine, clock.now()) == 2
    assert await episode_play_rows(runtime, alice.user_id) == []
    assert await episode_play_rows(runtime, bob.user_id) == [
        (pilot.episode.id, START + 20 * MINUTE, "checkin")
    ]
    assert await session_state(runtime, alice.user_id) == "idle"
