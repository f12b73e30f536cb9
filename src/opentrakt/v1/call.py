"""The parsed request every v1 handler receives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.accounts import service as accounts
from opentrakt.accounts.models import ApiKey, User
from opentrakt.runtime import Runtime
from opentrakt.v1.envelopes import V1Error
from opentrakt.v1.registry import V1Method


@dataclass(slots=True)
class V1Call:
    method: V1Method
    conn: AsyncConnection
    runtime: Runtime
    now: int
    api_key: ApiKey
    user: User | None  # the authenticated caller, if any
    segments: dict[str, str | None]
    query: dict[str, str]
    body: dict[str, Any]

    def param(self, name: str) -> str | None:
        """A positional segment, else the query-string parameter of the same name."""
        value = self.segments.get(name)
        if value is None:
            value = self.query.get(name) or None
        return value

    def require(self, name: str) -> str:
        value = self.param(name)
        if value is None:
            raise V1Error(400, f"missing parameter: {name}")
        return value

    async def named_user(self, username: str) -> User:
        """The user ``username`` names (``NotFound`` when none). Media centres mostly ask about
        their own account, so the caller is reused then instead of being looked up again."""
        if self.user is not None and accounts.username_key(username) == accounts.username_key(
            self.user.username
        ):
            return self.user
        return await accounts.require_user(self.conn, username)

    @property
    def caller(self) -> User:
        """The authenticated user on methods whose auth is required."""
        if self.user is None:
            raise V1Error(401, "failed authentication")
        return self.user
