"""The playback fields of watching, scrobble and check-in bodies.

Numbers arrive as ints, floats (``91.0``) or numeric strings and are coerced; ``null`` and
empty strings mean absent. A value that cannot be a number of minutes or a percentage is
refused with the failure envelope rather than guessed at. Free text loses control characters
(PostgreSQL refuses NUL) and is cut to its column's length.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from opentrakt.catalog.identity import MAX_RUNTIME
from opentrakt.playback.models import CheckinRequest, Share
from opentrakt.v1.envelopes import V1Error

_NUMBER = re.compile(r"[+-]?(?:[0-9]{1,18}(?:\.[0-9]{0,18})?|\.[0-9]{1,18})")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TRUE = frozenset({"true", "1", "yes", "on"})
_VENUE_ID_LIMIT = 64
_VENUE_NAME_LIMIT = 200
# Longer than any sharing text survives (it is cut to 100), short enough to keep work bounded.
_MESSAGE_READ_LIMIT = 1000


@dataclass(frozen=True, slots=True)
class Progress:
    duration: int | None  # minutes
    progress: int | None  # percent, as sent (the domain clamps it)


def _number(value: object) -> float | None:
    """A finite number from a JSON number or numeric string; None when absent; raises on junk."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        number = float(value.strip())
    else:
        raise ValueError(value)
    if not math.isfinite(number):
        raise ValueError(value)
    return number


def duration(body: Mapping[str, Any]) -> int | None:
    """``duration`` in whole minutes; 0 counts as unknown."""
    try:
        number = _number(body.get("duration"))
    except ValueError:
        raise V1Error(400, "duration must be a number of minutes") from None
    if number is None:
        return None
    if number < 0 or number > MAX_RUNTIME:
        raise V1Error(400, f"duration must be between 0 and {MAX_RUNTIME} minutes")
    return round(number) or None


def progress(body: Mapping[str, Any]) -> Progress:
    """``duration`` and ``progress`` of a watching or scrobble body."""
    try:
        percent = _number(body.get("progress"))
    except ValueError:
        raise V1Error(400, "progress must be a percentage") from None
    return Progress(duration=duration(body), progress=None if percent is None else round(percent))


def _text(value: object, limit: int) -> str | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)  # Foursquare venue ids come as numbers or strings
    if not isinstance(value, str):
        return None
    cleaned = _CONTROL.sub("", value[: limit * 4]).strip()[:limit].strip()
    return cleaned or None


def _flag(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in _TRUE
    return value is True or (isinstance(value, int) and value == 1)


def _share(value: object) -> Share:
    if not isinstance(value, Mapping):
        return Share()
    return Share(
        facebook=_flag(value.get("facebook")),
        twitter=_flag(value.get("twitter")),
        tumblr=_flag(value.get("tumblr")),
        path=_flag(value.get("path")),
    )


def checkin_request(body: Mapping[str, Any]) -> CheckinRequest:
    """Everything a check-in body says besides the item."""
    return CheckinRequest(
        duration=duration(body),
        message=_text(body.get("message"), _MESSAGE_READ_LIMIT),
        venue_id=_text(body.get("venue_id"), _VENUE_ID_LIMIT),
        venue_name=_text(body.get("venue_name"), _VENUE_NAME_LIMIT),
        share=_share(body.get("share")),
    )
