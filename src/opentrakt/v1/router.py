"""One ASGI endpoint that serves every registered v1 method the same tolerant way."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from opentrakt.accounts import service as accounts
from opentrakt.accounts.models import ApiKey, Permission, User
from opentrakt.db.engine import read_connection, write_connection, writer_turn
from opentrakt.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from opentrakt.runtime import Runtime
from opentrakt.v1 import credentials as creds
from opentrakt.v1.body import decode_body, read_body
from opentrakt.v1.call import V1Call
from opentrakt.v1.envelopes import (
    FAILED_AUTHENTICATION,
    INVALID_API_KEY,
    INVALID_DEVELOPER_KEY,
    V1Error,
    dumps,
    failure,
    invalid_permission,
)
from opentrakt.v1.paths import bind_segments, masked_path, match_method, split_path
from opentrakt.v1.registry import Auth, Registry, V1Method

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

access_log = logging.getLogger("opentrakt.access")
error_log = logging.getLogger("opentrakt.error")

_DOMAIN_STATUS: dict[type[DomainError], int] = {NotFound: 404, Invalid: 400, Conflict: 409, Forbidden: 403}
_HEX_SEGMENT = re.compile(r"^[0-9a-fA-F]{24,64}$")
_MAX_KEY_LENGTH = 128


class V1Router:
    def __init__(self, runtime: Runtime, registry: Registry) -> None:
        self.runtime = runtime
        self.registry = registry

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        raw_path = scope.get("raw_path") or scope["path"].encode()
        parts = split_path(raw_path.decode("utf-8", "replace"))
        key_index = -1
        try:
            parsed = match_method(parts, self.registry)
            if parsed is None:
                raise V1Error(404, "method not found")
            key_index = parsed.key_index
            status, payload = await self._serve(
                scope, receive, parsed.method, parsed.api_key, parsed.segments
            )
        except V1Error as exc:
            status, payload = exc.status, exc.body()
        except Exception:
            error_log.exception("unhandled error serving %s %s", scope["method"], _mask(parts, key_index))
            status, payload = 500, failure("internal server error")
        await send_json(send, status, payload)
        elapsed_ms = (time.perf_counter() - started) * 1000
        access_log.info("%s %s %d %.1fms", scope["method"], _mask(parts, key_index), status, elapsed_ms)

    async def _serve(
        self,
        scope: Scope,
        receive: Receive,
        method: V1Method,
        api_key: str | None,
        raw_segments: tuple[str, ...],
    ) -> tuple[int, Any]:
        verb = "GET" if scope["method"] == "HEAD" else scope["method"]
        if verb not in method.verbs:
            raise V1Error(405, f"{method.name} must be called with {' or '.join(method.verbs)}")
        if not api_key or len(api_key) > _MAX_KEY_LENGTH:
            raise V1Error(401, INVALID_API_KEY)
        headers = dict(scope["headers"])
        body = decode_body(await read_body(headers, receive, self.runtime.settings.max_body_bytes))
        query = dict(parse_qsl(scope.get("query_string", b"").decode("utf-8", "replace")))
        segments = bind_segments(method, raw_segments, query)
        try:
            engine = self.runtime.engine
            async with writer_turn(engine, method.writes), engine.connect() as conn:
                if method.writes:
                    conn = await write_connection(conn)
                else:
                    conn = await read_connection(conn)
                async with conn.begin():
                    key, user = await self._authenticate(
                        conn, method, api_key, body, headers.get(b"authorization")
                    )
                    if segments is None:
                        missing = method.required[len([s for s in raw_segments if s]) :]
                        raise V1Error(400, f"missing parameter: {missing[0] if missing else 'unknown'}")
                    call = V1Call(
                        method=method,
                        conn=conn,
                        runtime=self.runtime,
                        now=self.runtime.clock.now(),
                        api_key=key,
                        user=user,
                        segments=segments,
                        query=query,
                        body=body,
                    )
                    try:
                        result = await method.handler(call)
                    except DomainError as exc:
                        raise V1Error(_DOMAIN_STATUS.get(type(exc), 400), exc.message) from None
        except (PoolTimeout, DBAPIError) as exc:
            if isinstance(exc, DBAPIError) and not _is_transient(exc):
                raise
            raise V1Error(503, "server is over capacity") from None
        return 200, result

    def _check_key(self, method: V1Method, key: ApiKey | None) -> None:
        if key is None:
            raise V1Error(401, INVALID_API_KEY)
        needed = method.permission
        if needed is None:
            return
        if needed is Permission.CREATE_ACCOUNT and self.runtime.settings.open_registration:
            return
        if needed not in key.permissions:
            if not key.permissions:
                raise V1Error(401, INVALID_DEVELOPER_KEY)
            raise V1Error(401, invalid_permission(needed.value))

    async def _authenticate(
        self, conn: Any, method: V1Method, api_key: str, body: dict[str, Any], authorization: bytes | None
    ) -> tuple[ApiKey, User | None]:
        """The API key and the caller, checked in that order (a bad key is reported first).

        When credentials came with the request, the key and the user are read in one query."""
        given: creds.Credentials | None = None
        malformed = False
        if method.auth is not Auth.NONE:
            try:
                given = creds.resolve(body, authorization)
            except creds.MalformedCredentials:
                malformed = True
        if given is None:
            key, user = await accounts.get_api_key(conn, api_key), None
        else:
            key, user = await accounts.get_api_key_and_user(conn, api_key, given.username, given.password)
        self._check_key(method, key)
        assert key is not None
        if method.auth is Auth.NONE:
            return key, None
        if (
            malformed
            or (given is None and method.auth is Auth.REQUIRED)
            or (given is not None and user is None)
        ):
            raise V1Error(401, FAILED_AUTHENTICATION)
        return key, user


# PostgreSQL refusing a connection (too many clients, out of resources, starting up) or ending a
# transaction to break a deadlock or a serialisation conflict: nothing was written, and a retry
# succeeds, which is what 503 tells a client.
_TRANSIENT_SQLSTATES = ("53", "57P03", "40001", "40P01")


def _is_transient(exc: DBAPIError) -> bool:
    sqlstate = getattr(exc.orig, "sqlstate", None) or ""
    if sqlstate.startswith(_TRANSIENT_SQLSTATES):
        return True
    # SQLite: another writer held the database past the busy timeout.
    return isinstance(exc, OperationalError) and "locked" in str(exc).lower()


def _mask(parts: list[str], key_index: int) -> str:
    # Key-like segments are masked wherever they are: a client may put its key in the wrong place.
    hidden = ["<key>" if _HEX_SEGMENT.match(p) else p for p in parts]
    return masked_path(hidden, key_index)


async def send_json(send: Send, status: int, payload: Any) -> None:
    body = dumps(payload)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
