"""Per-backend settings every connection of the pool keeps, however often it is reused."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from opentrakt.runtime import Runtime


async def test_postgres_connections_keep_jit_off_across_reuse(runtime: Runtime) -> None:
    if runtime.engine.dialect.name != "postgresql":
        pytest.skip("JIT compilation is PostgreSQL's")
    for _ in range(3):  # the pool hands back the same connection, after rolling its transaction back
        async with runtime.engine.connect() as conn:
            assert await conn.scalar(text("SHOW jit")) == "off"
            await conn.rollback()
        async with runtime.engine.connect() as conn, conn.begin():
            assert await conn.scalar(text("SHOW jit")) == "off"
