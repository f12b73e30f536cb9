"""Follows, follow requests and friends."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from opentrakt.accounts import service as accounts
from opentrakt.accounts.models import User
from opentrakt.db.tables.network import follows
from opentrakt.errors import Invalid, NotFound
from opentrakt.runtime import Runtime
from opentrakt.social import follows as network
from tests.catalog_fixtures import catalog_writer
from tests.conftest import START
from tests.support import make_user


async def _users(runtime: Runtime, *names: str, protected: tuple[str, ...] = ()) -> list[User]:
    found = []
    for name in names:
        await make_user(runtime, name, protected=name in protected)
        async with runtime.engine.connect() as conn:
            found.append(await accounts.require_user(conn, name))
    return found


async def test_following_a_public_user_takes_effect_at_once(runtime: Runtime) -> None:
    alice, bob = await _users(runtime, "alice", "bob")
    async with catalog_writer(runtime) as conn:
        result = await network.follow(conn, alice, bob, START)
        again = await network.follow(conn, alice, bob, START + 5)
        followers = await network.followers(conn, bob.id)
        following = await network.following(conn, alice.id)
        requests = await network.pending_requests(conn, bob.id)
    assert (result.pending, result.created) == (False, True)
    assert (again.pending, again.created) == (False, False)
    assert [(e.user.username, e.since) for e in followers] == [("alice", START)]
    assert [(e.user.username, e.since) for e in following] == [("bob", START)]
    assert requests == []


async def test_following_a_protected_user_waits_for_approval(runtime: Runtime) -> None:
    alice, carol = await _users(runtime, "alice", "carol", protected=("carol",))
    async with catalog_writer(runtime) as conn:
        result = await network.follow(conn, alice, carol, START)
        requests = await network.pending_requests(conn, carol.id)
        assert await network.followers(conn, carol.id) == []
        assert await network.following(conn, alice.id) == []
        await network.approve(conn, carol, alice, START + 30)
        followers = await network.followers(conn, carol.id)
        assert await network.pending_requests(conn, carol.id) == []
    assert result.pending
    assert [(r.user.username, r.requested) for r in requests] == [("alice", START)]
    assert [(e.user.username, e.since) for e in followers] == [("alice", START + 30)]


async def test_deny_and_withdraw_remove_the_request(runtime: Runtime) -> None:
    alice, bob, carol = await _users(runtime, "alice", "bob", "carol", protected=("carol",))
    async with catalog_writer(runtime) as conn:
        await network.follow(conn, alice, carol, START)
        await network.follow(conn, bob, carol, START + 1)
        await network.deny(conn, carol, alice)
        assert await network.unfollow(conn, bob, carol) is True
        assert await network.pending_requests(conn, carol.id) == []
        # A denied request can be made again.
        assert (await network.follow(conn, alice, carol, START + 2)).created


async def test_approving_or_denying_what_does_not_exist(runtime: Runtime) -> None:
    alice, bob, carol = await _users(runtime, "alice", "bob", "carol", protected=("carol",))
    async with catalog_writer(runtime) as conn:
        with pytest.raises(NotFound):
            await network.approve(conn, carol, alice, START)
        with pytest.raises(NotFound):
            await network.deny(conn, carol, alice)
        await network.follow(conn, alice, bob, START)
        # An approved follow is not a request any more.
        with pytest.raises(NotFound):
            await network.approve(conn, bob, alice, START)
        with pytest.raises(NotFound):
            await network.unfollow(conn, bob, alice)
        count = (await conn.execute(select(func.count()).select_from(follows))).scalar()
    assert count == 1


async def test_nobody_follows_themselves(runtime: Runtime) -> None:
    (alice,) = await _users(runtime, "alice")
    async with catalog_writer(runtime) as conn:
        with pytest.raises(Invalid):
            await network.follow(conn, alice, alice, START)
        assert await network.following(conn, alice.id) == []


async def test_friends_are_mutual_approved_follows(runtime: Runtime) -> None:
    alice, bob, carol, dave = await _users(runtime, "alice", "bob", "carol", "dave", protected=("carol",))
    async with catalog_writer(runtime) as conn:
        await network.follow(conn, alice, bob, START)
        await network.follow(conn, bob, alice, START + 10)
        await network.follow(conn, alice, carol, START + 20)  # pending
        await network.follow(conn, carol, alice, START + 30)
        await network.follow(conn, dave, alice, START + 40)  # one way only
        friends = await network.friends(conn, alice.id)
        assert await network.are_friends(conn, alice.id, bob.id)
        assert await network.are_friends(conn, bob.id, alice.id)
        assert not await network.are_friends(conn, alice.id, carol.id)
        assert not await network.are_friends(conn, alice.id, dave.id)
        assert not await network.are_friends(conn, alice.id, alice.id)
        await network.approve(conn, carol, alice, START + 50)
        later = await network.friends(conn, alice.id)
    assert [(e.user.username, e.since) for e in friends] == [("bob", START + 10)]
    assert [(e.user.username, e.since) for e in later] == [("carol", START + 50), ("bob", START + 10)]


async def test_unfollowing_ends_a_friendship(runtime: Runtime) -> None:
    alice, bob = await _users(runtime, "alice", "bob")
    async with catalog_writer(runtime) as conn:
        await network.follow(conn, alice, bob, START)
        await network.follow(conn, bob, alice, START)
        assert await network.unfollow(conn, alice, bob) is False
        assert await network.friends(conn, bob.id) == []
        assert [e.user.username for e in await network.followers(conn, alice.id)] == ["bob"]


async def test_the_same_follow_twice_at_once(runtime: Runtime) -> None:
    alice, bob = await _users(runtime, "alice", "bob")

    async def follow() -> bool:
        async with catalog_writer(runtime) as conn:
            return (await network.follow(conn, alice, bob, START)).created

    created = await asyncio.gather(follow(), follow(), follow())
    assert sorted(created) == [False, False, True]
    async with runtime.engine.connect() as conn:
        assert len(await network.followers(conn, bob.id)) == 1
