"""The playback services against a real database: states, lapses, duplicates, check-ins."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest
from sqlalchemy import select

from opentrakt.clock import FrozenClock
from opentrakt.db.tables.playback import playback_sessions
from opentrakt.errors import Conflict
from opentrakt.playback import service
from opentrakt.playback.errors import CheckinInProgress
from opentrakt.playback.models import CheckinRequest, Share, State
from opentrakt.runtime import Runtime
from tests.conftest import START
from tests.playback.support import (
    BATMAN_RUNTIME,
    Player,
    batman_item,
    episode_play_rows,
    event_actions,
    movie_play_rows,
    open_write,
    session_state,
    waits_for_a_lock,
    walking_dead_items,
)
from tests.support import make_user

MINUTE = 60


async def player(runtime: Runtime, name: str = "alice") -> Player:
    return Player(runtime, (await make_user(runtime, name)).user_id)


async def test_watching_starts_refreshes_and_switches(runtime: Runtime, clock: FrozenClock) -> None:
    alice = await player(runtime)
    batman = await batman_item(runtime)
    pilot, guts, *_ = await walking_dead_items(runtime)

    first = await alice.watch(batman, progress=10)
    assert (first.started_at, first.ends_at) == (START, START + 30 * MINUTE)
    clock.advance(10 * MINUTE)
    refreshed = await alice.watch(batman, progress=17)
    assert refreshed.started_at == START  # the same viewing goes on
    assert refreshed.ends_at == clock.now() + 30 * MINUTE
    clock.advance(MINUTE)
    switched = await alice.watch(pilot, progress=0)
    assert switched.started_at == clock.now()
    await alice.watch(guts, progress=0)
    # One "watching" event per viewing, not one per ping.
    assert [action for action, _, _ in await event_actions(runtime, alice.user_id)] == ["watching"] * 3
    assert await alice.state() is State.WATCHING
    assert await movie_play_rows(runtime, alice.user_id) == []


async def test_watching_lapses_when_the_remaining_runtime_has_passed(
    runtime: Runtime, clock: FrozenClock
) -> None:
    alice = await player(runtime)
    batman = await batman_item(runtime)
    await alice.watch(batman, duration=140, progress=80)  # 28 of 140 minutes left
    clock.advance(28 * MINUTE - 1)
    assert await alice.state() is State.WATCHING
    clock.advance(1)
    assert await alice.state() is None
    # The row says "watching" until the duty or a write tidies it; reads already ignore it.
    assert await session_state(runtime, alice.user_id) == "watching"


async def test_watching_lapses_30_minutes_after_the_last_ping(runtime: Runtime, clock: FrozenClock) -> None:
    alice = await player(runtime)
    batman = await batman_item(runtime)
    await alice.watch(batman, progress=5)
    clock.advance(25 * MINUTE)
    await alice.watch(batman, progress=20)  # a refresh moves the lapse 30 minutes past this ping
    clock.advance(30 * MINUTE - 1)
    assert await alice.state() is State.WATCHING
    clock.advance(1)
    assert await alice.state() is None


async def test_scrobble_records_one_play_and_refuses_a_duplicate_within_the_runtime(
    runtime: Runtime, clock: FrozenClock
) -> None:
    alice = await player(runtime)
    batman = await batman_item(runtime)
    await alice.watch(batman, duration=141, progress=90)
    result = await alice.scrobble(batman, duration=141)
    assert result.watched_at == START
    assert await alice.state() is None  # the scrobble ended watching
    clock.advance(BATMAN_RUNTIME * MINUTE - 1)
    with pytest.raises(Conflict, match=r"^scrobbled Batman Begins \(2005\) already$"):
        await alice.scrobble(batman, duration=141)
    clock.advance(1)
    await alice.scrobble(batman, duration=141)
    assert await movie_play_rows(runtime, alice.user_id) == [
        (batman.movie.id, START, "scrobble"),
        (batman.movie.id, START + BATMAN_RUNTIME * MINUTE, "scrobble"),
    ]
    actions = [action for action, _, _ in await event_actions(runtime, alice.user_id)]
    assert actions == ["watching", "scrobble", "scrobble"]


async def test_duplicate_window_uses_the_clients_duration_then_an_hour(
    runtime: Runtime, clock: FrozenClock
) -> None:
    alice = await player(runtime)
    pilot, guts, *_ = await walking_dead_items(runtime)
    # Nothing in the catalogue knows these runtimes.
    pilot = replace(pilot, show=replace(pilot.show, runtime=None))
    guts = replace(guts, show=replace(guts.show, runtime=None))
    await alice.scrobble(pilot)
    clock.advance(60 * MINUTE - 1)
    with pytest.raises(Conflict, match=r"^scrobbled The Walking Dead 1x01 already$"):
        await alice.scrobble(pilot)
    clock.advance(1)
    await alice.scrobble(pilot)
    await alice.scrobble(guts, duration=20)
    clock.advance(20 * MINUTE)
    await alice.scrobble(guts, duration=20)
    assert len(await episode_play_rows(runtime, alice.user_id)) == 4


async def test_checkin_is_one_per_user_and_reports_the_wait(runtime: Runtime, clock: FrozenClock) -> None:
    alice = await player(runtime)
    batman = await batman_item(runtime)
    pilot, *_ = await walking_dead_items(runtime)
    checked = await alice.check_in(batman)
    assert (checked.started_at, checked.ends_at) == (START, START + BATMAN_RUNTIME * MINUTE)
    assert checked.message == "I'm watching Batman Begins (2005)"
    assert checked.shared == Share()  # nothing is ever posted anywhere
    clock.advance(40 * MINUTE)
    with pytest.raises(CheckinInProgress) as raised:
        await alice.check_in(pilot)
    assert raised.value.wait == (BATMAN_RUNTIME - 40) * MINUTE
    assert await alice.state() is State.CHECKIN


async def test_a_finished_checkin_becomes_a_play_at_its_end_on_the_next_write(
    runtime: Runtime, clock: FrozenClock
) -> None:
    alice = await player(runtime)
    batman = await batman_item(runtime)
    pilot, *_ = await walking_dead_items(runtime)
    share = Share(facebook=True, path=True)
    await alice.check_in(
        batman, CheckinRequest(duration=100, message="m" * 300, venue_id="42", venue_name="Sofa", share=share)
    )
    async with runtime.engine.connect() as conn:
        stored = (await conn.execute(select(playback_sessions))).one()
    assert (stored.message, stored.venue_id, stored.venue_name) == ("m" * 100, "42", "Sofa")
    assert (stored.share_facebook, stored.share_twitter, stored.share_path) == (True, False, True)
    clock.advance(100 * MINUTE)
    assert await alice.state() is None  # reads see it over at once
    await alice.check_in(pilot)
    assert await movie_play_rows(runtime, alice.user_id) == [
        (batman.movie.id, START + 100 * MINUTE, "checkin")
    ]
    assert await alice.state() is State.CHECKIN


async def test_cancelled_checkin_records_no_play(runtime: Runtime, clock: FrozenClock) -> None:
    alice = await player(runtime)
    batman = await batman_item(runtime)
    assert not await alice.cancel_checkin()
    await alice.check_in(batman)
    assert await alice.cancel_checkin()
    assert not await alice.cancel_checkin()
    clock.advance(BATMAN_RUNTIME * MINUTE)
    await alice.cancel_watching()
    assert await movie_play_rows(runtime, alice.user_id) == []
    assert await session_state(runtime, alice.user_id) == "idle"


async def test_watching_and_checkin_replace_each_other(runtime: Runtime, clock: FrozenClock) -> None:
    alice = await player(runtime)
    batman = await batman_item(runtime)
    pilot, *_ = await walking_dead_items(runtime)
    await alice.watch(pilot, duration=60, progress=0)
    await alice.check_in(batman)
    assert await alice.state() is State.CHECKIN
    # The media centre reports real playback: it wins, and the check-in records nothing.
    await alice.watch(pilot, duration=60, progress=5)
    assert await alice.state() is State.WATCHING
    clock.advance(BATMAN_RUNTIME * MINUTE)
    await alice.cancel_watching()
    assert await movie_play_rows(runtime, alice.user_id) == []


async def test_cancel_watching_reports_whether_something_was_playing(
    runtime: Runtime, clock: FrozenClock
) -> None:
    alice = await player(runtime)
    batman = await batman_item(runtime)
    assert not await alice.cancel_watching()
    await alice.watch(batman)
    assert await alice.cancel_watching()
    assert not await alice.cancel_watching()
    await alice.watch(batman)
    clock.advance(30 * MINUTE)
    assert not await alice.cancel_watching()  # it had lapsed already
    assert await alice.state() is None


async def test_concurrent_scrobbles_of_one_episode_leave_one_play(runtime: Runtime) -> None:
    alice = await player(runtime)
    pilot, *_ = await walking_dead_items(runtime)

    async def scrobble() -> bool:
        try:
            await alice.scrobble(pilot, duration=60)
        except Conflict:
            return False
        return True

    outcomes = await asyncio.gather(*(scrobble() for _ in range(20)))
    assert sorted(outcomes) == [False] * 19 + [True]
    assert await episode_play_rows(runtime, alice.user_id) == [(pilot.episode.id, START, "scrobble")]


async def test_a_rival_scrobble_waits_for_the_first_to_commit_and_then_sees_its_play(
    runtime: Runtime,
) -> None:
    """The race behind duplicate plays, forced: the first scrobble creates the user's lock row and
    records its play, uncommitted; the rival must wait for it, and only then check for duplicates."""
    alice = await player(runtime)
    pilot, *_ = await walking_dead_items(runtime)
    assert await session_state(runtime, alice.user_id) is None
    async with open_write(runtime) as first:
        await service.scrobble(first, alice.user_id, pilot, duration=60, now=START)
        rival = asyncio.create_task(alice.scrobble(pilot, duration=60))
        assert await waits_for_a_lock(runtime, rival)
    with pytest.raises(Conflict):
        await rival
    assert await episode_play_rows(runtime, alice.user_id) == [(pilot.episode.id, START, "scrobble")]


async def test_a_rival_write_waits_while_the_lock_is_held_to_resolve_an_item(runtime: Runtime) -> None:
    """``lock`` (taken before resolving a named item) holds off every other write of the user."""
    alice = await player(runtime)
    batman = await batman_item(runtime)
    async with open_write(runtime) as first:
        locked = await service.lock(first, alice.user_id)
        rival = asyncio.create_task(alice.scrobble(batman))
        assert await waits_for_a_lock(runtime, rival)
        await service.scrobble(first, alice.user_id, batman, duration=None, now=START, locked=locked)
    with pytest.raises(Conflict):
        await rival
    assert await movie_play_rows(runtime, alice.user_id) == [(batman.movie.id, START, "scrobble")]


async def test_concurrent_checkins_of_one_user_leave_one_active(runtime: Runtime) -> None:
    alice = await player(runtime)
    episodes = await walking_dead_items(runtime)

    async def check_in(index: int) -> bool:
        try:
            await alice.check_in(episodes[index % len(episodes)])
        except CheckinInProgress:
            return False
        return True

    outcomes = await asyncio.gather(*(check_in(i) for i in range(12)))
    assert outcomes.count(True) == 1
    assert await alice.state() is State.CHECKIN


async def test_a_ping_after_a_lapse_starts_a_new_viewing(runtime: Runtime, clock: FrozenClock) -> None:
    alice = await player(runtime)
    batman = await batman_item(runtime)
    await alice.watch(batman, progress=10)
    clock.advance(30 * MINUTE)
    again = await alice.watch(batman, progress=40)
    assert again.started_at == clock.now()
    assert [action for action, _, _ in await event_actions(runtime, alice.user_id)] == ["watching"] * 2


async def test_a_ping_of_the_checked_in_item_replaces_the_checkin(
    runtime: Runtime, clock: FrozenClock
) -> None:
    alice = await player(runtime)
    batman = await batman_item(runtime)
    await alice.check_in(batman)
    clock.advance(MINUTE)
    watching = await alice.watch(batman, duration=140, progress=1)
    assert watching.started_at == clock.now()
    assert await alice.state() is State.WATCHING
