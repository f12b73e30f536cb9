"""Reading and decoding request bodies the tolerant way old clients need."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

import orjson

from opentrakt.v1.envelopes import V1Error

Receive = Callable[[], Awaitable[dict[str, Any]]]


async def read_body(headers: dict[bytes, bytes], receive: Receive, limit: int) -> bytes:
    """The whole body, refusing with 413 as soon as it is known to exceed ``limit``."""
    declared = headers.get(b"content-length")
    if declared is not None:
        try:
            if int(declared) > limit:
                raise V1Error(413, f"request body is larger than {limit} bytes")
        except ValueError:
            raise V1Error(400, "invalid Content-Length header") from None
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        if chunk:
            size += len(chunk)
            if size > limit:
                raise V1Error(413, f"request body is larger than {limit} bytes")
            chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def decode_body(raw: bytes) -> dict[str, Any]:
    """JSON whatever the Content-Type says; form encoding when it isn't JSON."""
    text = raw.strip()
    if not text:
        return {}
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        # Only a body that opens like a JSON document is reported as broken JSON; anything
        # else (``username=…``, ``1=2``) gets its chance as a form.
        if text[:1] in (b"{", b"[", b'"'):
            raise V1Error(400, f"malformed JSON body: {exc.msg} at position {exc.pos}") from None
    else:
        if data is None:
            return {}
        if not isinstance(data, dict):
            raise V1Error(400, "the JSON body must be an object")
        return data
    try:
        decoded = text.decode("utf-8")
    except UnicodeDecodeError:
        raise V1Error(400, "the request body is not valid UTF-8") from None
    try:
        pairs = parse_qsl(decoded, keep_blank_values=True, strict_parsing=True, max_num_fields=10_000)
    except ValueError:
        raise V1Error(400, "the request body is neither JSON nor form-encoded") from None
    return dict(pairs)
