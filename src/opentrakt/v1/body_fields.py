"""Reading the loosely typed scalar fields of write bodies: flags and texts."""

from __future__ import annotations

from opentrakt.v1.envelopes import V1Error

_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off", ""})


def flag(value: object, name: str, default: bool | None = False) -> bool | None:
    """A boolean sent as ``true``, ``1`` or ``"true"`` (and their opposites); ``null`` or
    absent gives ``default``; anything else is a 400."""
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise V1Error(400, f"{name} must be true or false")


def text_field(value: object, name: str, *, required: bool = False) -> str | None:
    """A string field; numbers are taken as their text (a list named 2012). 400 on other types,
    or when a required one is missing."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if value is None:
        if required:
            raise V1Error(400, f"{name} is required")
        return None
    if not isinstance(value, str):
        raise V1Error(400, f"{name} must be a string")
    return value
