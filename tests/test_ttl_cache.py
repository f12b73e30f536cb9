"""The time-limited, size-capped cache."""

from __future__ import annotations

import pytest

from opentrakt.ttl_cache import TtlCache


def test_values_last_until_their_time_is_up() -> None:
    cache: TtlCache[str, int] = TtlCache(max_entries=4)
    assert cache.get("a", now=100) is None
    cache.put("a", 1, now=100, ttl_seconds=60)
    assert cache.get("a", now=100) == 1
    assert cache.get("a", now=159) == 1
    assert cache.get("a", now=160) is None
    assert len(cache) == 0  # an expired value is dropped when found


def test_a_put_replaces_the_value_and_its_time() -> None:
    cache: TtlCache[str, int] = TtlCache(max_entries=4)
    cache.put("a", 1, now=100, ttl_seconds=10)
    cache.put("a", 2, now=105, ttl_seconds=10)
    assert cache.get("a", now=112) == 2
    assert len(cache) == 1


def test_a_full_cache_evicts_the_value_put_longest_ago() -> None:
    cache: TtlCache[str, int] = TtlCache(max_entries=2)
    cache.put("a", 1, now=100, ttl_seconds=60)
    cache.put("b", 2, now=101, ttl_seconds=60)
    cache.put("a", 3, now=102, ttl_seconds=60)  # put again: now the newest
    cache.put("c", 4, now=103, ttl_seconds=60)
    assert len(cache) == 2
    assert (cache.get("a", now=104), cache.get("b", now=104), cache.get("c", now=104)) == (3, None, 4)
    cache.clear()
    assert len(cache) == 0


def test_a_cache_holds_at_least_one_value() -> None:
    with pytest.raises(ValueError):
        TtlCache(max_entries=0)


async def test_fetch_computes_once_within_the_time_and_every_time_when_off() -> None:
    cache: TtlCache[str, int] = TtlCache(max_entries=4)
    calls: list[int] = []

    async def compute() -> int:
        calls.append(len(calls) + 1)
        return len(calls)

    assert await cache.fetch("a", compute, now=100, ttl_seconds=60) == 1
    assert await cache.fetch("a", compute, now=159, ttl_seconds=60) == 1
    assert await cache.fetch("a", compute, now=160, ttl_seconds=60) == 2
    assert await cache.fetch("b", compute, now=160, ttl_seconds=0) == 3
    assert await cache.fetch("b", compute, now=160, ttl_seconds=0) == 4
    assert cache.get("b", now=160) is None
