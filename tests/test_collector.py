"""The garbage collector as each server process runs it once started."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pytest

from opentrakt import app as app_module
from opentrakt.app import GC_YOUNG_THRESHOLD, Application, settle_collector


@pytest.fixture
def collector_restored() -> Iterator[None]:
    before = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*before)


def test_settling_freezes_the_heap_and_spaces_young_collections(collector_restored: None) -> None:
    gc.unfreeze()
    gc.set_threshold(700, 10, 10)
    settle_collector()
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == (GC_YOUNG_THRESHOLD, 10, 10)


async def test_each_server_process_settles_its_collector_at_start_up(
    app: Application, monkeypatch: pytest.MonkeyPatch, collector_restored: None
) -> None:
    settled: list[bool] = []
    monkeypatch.setattr(app_module, "settle_collector", lambda: settled.append(True))
    messages = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return next(messages)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app({"type": "lifespan"}, receive, send)
    assert settled == [True]
    assert [m["type"] for m in sent] == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
