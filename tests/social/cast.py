"""A protected user and everyone who might try to read their data.

``owner`` is protected; ``friend`` and the owner follow each other; ``pending`` asked to follow
the owner and is still waiting (the owner follows them, which does not make them friends);
``fan`` follows the owner with approval but is not followed back; ``stranger`` has no relation.
"""

from __future__ import annotations

from dataclasses import dataclass

from opentrakt.accounts import service as accounts
from opentrakt.accounts.models import User
from opentrakt.runtime import Runtime
from opentrakt.social import follows
from tests.catalog_fixtures import catalog_writer
from tests.conftest import START
from tests.support import Account, make_user

# Who may read the owner's data, by viewer (None is an anonymous call).
SEES_OWNER = {"owner": True, "friend": True, "pending": False, "fan": False, "stranger": False, None: False}


@dataclass(frozen=True)
class Cast:
    owner: Account
    friend: Account
    pending: Account
    fan: Account
    stranger: Account

    def viewer(self, name: str | None) -> Account | None:
        return None if name is None else getattr(self, name)


async def _user(runtime: Runtime, name: str) -> User:
    async with runtime.engine.connect() as conn:
        return await accounts.require_user(conn, name)


async def make_cast(runtime: Runtime) -> Cast:
    cast = Cast(
        owner=await make_user(runtime, "owner", protected=True, full_name="Owen Owner", location="Portland"),
        friend=await make_user(runtime, "friend"),
        pending=await make_user(runtime, "pending"),
        fan=await make_user(runtime, "fan"),
        stranger=await make_user(runtime, "stranger"),
    )
    owner, friend = await _user(runtime, "owner"), await _user(runtime, "friend")
    pending, fan = await _user(runtime, "pending"), await _user(runtime, "fan")
    async with catalog_writer(runtime) as conn:
        await follows.follow(conn, friend, owner, START)
        await follows.approve(conn, owner, friend, START)
        await follows.follow(conn, owner, friend, START)
        await follows.follow(conn, pending, owner, START)
        await follows.follow(conn, owner, pending, START)
        await follows.follow(conn, fan, owner, START)
        await follows.approve(conn, owner, fan, START)
    return cast
