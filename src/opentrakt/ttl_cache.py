"""A small in-process cache whose entries lapse after a time and whose size is capped."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class _Entry(Generic[V]):
    value: V
    expires_at: float


class TtlCache(Generic[K, V]):
    """Values kept until ``ttl_seconds`` after they were put, at most ``max_entries`` of them.

    Times are the caller's clock readings (Unix seconds), so a frozen test clock drives expiry.
    When full, a put evicts the entry put longest ago. Not thread-safe; one event loop uses it.
    """

    def __init__(self, max_entries: int) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self.max_entries = max_entries
        self._entries: OrderedDict[K, _Entry[V]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: K, *, now: float) -> V | None:
        """The value put under ``key``, or None when there is none or it has expired."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        if now >= entry.expires_at:
            del self._entries[key]
            return None
        return entry.value

    def put(self, key: K, value: V, *, now: float, ttl_seconds: float) -> None:
        """Keep ``value`` under ``key`` until ``now + ttl_seconds``, replacing any older value."""
        self._entries.pop(key, None)
        self._entries[key] = _Entry(value, now + ttl_seconds)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    async def fetch(
        self, key: K, compute: Callable[[], Awaitable[V]], *, now: float, ttl_seconds: float
    ) -> V:
        """The value kept under ``key``, else ``compute()``'s, kept for ``ttl_seconds``; with a
        ``ttl_seconds`` of 0 or less nothing is kept or read (caching off)."""
        if ttl_seconds <= 0:
            return await compute()
        value = self.get(key, now=now)
        if value is None:
            value = await compute()
            self.put(key, value, now=now, ttl_seconds=ttl_seconds)
        return value

    def clear(self) -> None:
        self._entries.clear()
