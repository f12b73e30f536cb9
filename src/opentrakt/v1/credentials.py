"""Where a request's username and SHA1 password come from: body first, then HTTP Basic."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Credentials:
    username: str
    password: str


class MalformedCredentials(Exception):
    pass


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return ""
    if isinstance(value, (str, int, float)):
        return str(value)
    raise MalformedCredentials


def from_body(body: dict[str, Any]) -> Credentials | None:
    username = _text(body.get("username"))
    password = _text(body.get("password"))
    if not username and not password:
        return None
    return Credentials(username, password)


def from_basic(header: bytes | None) -> Credentials | None:
    """None for no header and for the empty ``Basic Og==`` some clients send when anonymous."""
    if not header:
        return None
    scheme, _, encoded = header.partition(b" ")
    if scheme.lower() != b"basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise MalformedCredentials from None
    username, _, password = decoded.partition(":")
    if not username and not password:
        return None
    return Credentials(username, password)


def resolve(body: dict[str, Any], authorization: bytes | None) -> Credentials | None:
    return from_body(body) or from_basic(authorization)
