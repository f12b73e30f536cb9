"""Playback failures that carry more than a message."""

from __future__ import annotations

from opentrakt.errors import Conflict


class CheckinInProgress(Conflict):
    """A check-in is already active; ``wait`` is the seconds until it ends."""

    def __init__(self, wait: int) -> None:
        super().__init__("there is already a checkin in progress")
        self.wait = wait
