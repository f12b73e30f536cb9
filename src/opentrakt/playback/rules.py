"""The timing rules of playback, as pure functions of their inputs."""

from __future__ import annotations

import math

from opentrakt.playback.models import PlaybackItem

# An unrefreshed watching state lapses this long after the last ping (clients ping every 15 minutes).
WATCHING_TIMEOUT = 30 * 60
# Used for the duplicate-scrobble window and a check-in's length when no runtime is known.
DEFAULT_RUNTIME_MINUTES = 60
MESSAGE_LIMIT = 100
ITEM_PLACEHOLDER = "[item]"


def clamp_progress(progress: int | None) -> int:
    """Percent watched, 0–100; clients round and overshoot, so out-of-range values are clamped."""
    return 0 if progress is None else max(0, min(100, progress))


def watching_ends_at(now: int, duration: int | None, progress: int | None) -> int:
    """When a watching state pinged at ``now`` lapses: once the remaining runtime has passed or
    ``WATCHING_TIMEOUT`` after the ping, whichever comes first. ``duration`` is in minutes."""
    lapse = now + WATCHING_TIMEOUT
    if not duration:
        return lapse
    remaining = math.ceil(duration * 60 * (100 - clamp_progress(progress)) / 100)
    return min(lapse, now + remaining)


def runtime_minutes(item: PlaybackItem, duration: int | None) -> int:
    """The item's runtime, else what the client said it lasts, else ``DEFAULT_RUNTIME_MINUTES``."""
    return item.runtime or duration or DEFAULT_RUNTIME_MINUTES


def duplicate_window(item: PlaybackItem, duration: int | None) -> int:
    """Seconds after a play during which another scrobble of the same item is a duplicate."""
    return runtime_minutes(item, duration) * 60


def checkin_minutes(item: PlaybackItem, duration: int | None) -> int:
    """A check-in lasts what the client said, else the item's runtime, else the default."""
    return duration or item.runtime or DEFAULT_RUNTIME_MINUTES


def checkin_message(message: str | None, template: str, item: PlaybackItem) -> str:
    """The sharing text: the client's, else the user's "watching" text with the item filled in,
    cut to ``MESSAGE_LIMIT`` characters."""
    text = message.strip() if message else ""
    if not text:
        text = template.replace(ITEM_PLACEHOLDER, item.label)
    return text[:MESSAGE_LIMIT]
