"""The server's notion of "now", replaceable in tests."""

from __future__ import annotations

import time


class Clock:
    """Integer Unix seconds; every timestamp the server stores comes from here."""

    def now(self) -> int:
        return int(time.time())


class FrozenClock(Clock):
    """A clock that moves only when told to."""

    def __init__(self, start: int) -> None:
        self.current = start

    def now(self) -> int:
        return self.current

    def advance(self, seconds: int) -> None:
        self.current += seconds
