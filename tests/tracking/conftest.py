"""A user and a write connection (one transaction, rolled back) for each tracking test."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.db.engine import write_connection
from opentrakt.runtime import Runtime
from tests.support import Account, make_user


@pytest.fixture
async def account(runtime: Runtime) -> Account:
    return await make_user(runtime, "alice")


@pytest.fixture
async def user_id(account: Account) -> int:
    return account.user_id


@pytest.fixture
async def conn(runtime: Runtime, account: Account) -> AsyncIterator[AsyncConnection]:
    async with runtime.engine.connect() as connection:
        connection = await write_connection(connection)
        async with connection.begin() as transaction:
            yield connection
            await transaction.rollback()
