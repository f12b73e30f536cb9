"""The v1 success and failure envelopes, and the exception that carries a failure."""

from __future__ import annotations

from typing import Any

import orjson

JSON_HEADERS = [(b"content-type", b"application/json")]


class V1Error(Exception):
    """A failure answered as ``{"status":"failure","error":…}`` with an HTTP status."""

    def __init__(self, status: int, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.status = status
        self.error = error
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return failure(self.error, **self.extra)


def success(message: str | None = None, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"status": "success"}
    if message is not None:
        body["message"] = message
    body.update(fields)
    return body


def failure(error: str, **extra: Any) -> dict[str, Any]:
    return {"status": "failure", "error": error, **extra}


def dumps(payload: Any) -> bytes:
    return orjson.dumps(payload)


INVALID_API_KEY = "invalid API key"
INVALID_DEVELOPER_KEY = "invalid development API key"
FAILED_AUTHENTICATION = "failed authentication"


def invalid_permission(permission: str) -> str:
    return f"invalid development API permission ({permission})"
