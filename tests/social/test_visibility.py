"""The visibility rule: owner, friend, pending follower, one-way follower, stranger, anonymous."""

from __future__ import annotations

from dataclasses import dataclass

from opentrakt.accounts import service as accounts
from opentrakt.accounts.models import User
from opentrakt.runtime import Runtime
from opentrakt.social import follows as network
from opentrakt.social.visibility import can_view, redacted, visible_user_ids
from tests.catalog_fixtures import catalog_writer
from tests.conftest import START
from tests.support import make_user


@dataclass
class Cast:
    owner: User  # protected
    public: User
    friend: User
    pending: User  # asked to follow the owner, not approved
    fan: User  # follows the owner (approved) but is not followed back
    stranger: User


async def _cast(runtime: Runtime) -> Cast:
    names = ("owner", "public", "friend", "pending", "fan", "stranger")
    users = {}
    for name in names:
        await make_user(runtime, name, protected=name == "owner")
        async with runtime.engine.connect() as conn:
            users[name] = await accounts.require_user(conn, name)
    cast = Cast(**users)
    async with catalog_writer(runtime) as conn:
        await network.follow(conn, cast.friend, cast.owner, START)
        await network.approve(conn, cast.owner, cast.friend, START)
        await network.follow(conn, cast.owner, cast.friend, START)
        await network.follow(conn, cast.pending, cast.owner, START)
        await network.follow(conn, cast.owner, cast.pending, START)  # the owner follows them, not back
        await network.follow(conn, cast.fan, cast.owner, START)
        await network.approve(conn, cast.owner, cast.fan, START)
    return cast


async def test_can_view(runtime: Runtime) -> None:
    cast = await _cast(runtime)
    async with runtime.engine.connect() as conn:
        assert await can_view(conn, cast.owner, cast.owner)
        assert await can_view(conn, cast.friend, cast.owner)
        assert not await can_view(conn, cast.pending, cast.owner)
        assert not await can_view(conn, cast.fan, cast.owner)
        assert not await can_view(conn, cast.stranger, cast.owner)
        assert not await can_view(conn, None, cast.owner)
        # Anyone sees a public user.
        assert await can_view(conn, None, cast.public)
        assert await can_view(conn, cast.stranger, cast.public)


async def test_visible_user_ids_applies_the_same_rule_in_one_go(runtime: Runtime) -> None:
    cast = await _cast(runtime)
    everyone = [cast.owner, cast.public, cast.friend, cast.pending, cast.fan, cast.stranger]
    ids = [user.id for user in everyone]
    async with runtime.engine.connect() as conn:
        for viewer in [*everyone, None]:
            expected = {user.id for user in everyone if await can_view(conn, viewer, user)}
            assert await visible_user_ids(conn, viewer, ids) == expected
        assert await visible_user_ids(conn, None, []) == set()
        assert cast.owner.id not in await visible_user_ids(conn, None, ids + ids)


async def test_redacted_keeps_the_name_and_drops_the_profile(runtime: Runtime) -> None:
    await make_user(
        runtime,
        "owner",
        protected=True,
        full_name="Owner Name",
        gender="female",
        age=40,
        location="Here",
        about="Me",
    )
    async with runtime.engine.connect() as conn:
        owner = await accounts.require_user(conn, "owner")
    hidden = redacted(owner)
    assert (hidden.id, hidden.username, hidden.protected, hidden.joined) == (
        owner.id,
        "owner",
        True,
        owner.joined,
    )
    assert (hidden.full_name, hidden.gender, hidden.age, hidden.location, hidden.about) == (None,) * 5
    assert hidden.avatar_url is None
