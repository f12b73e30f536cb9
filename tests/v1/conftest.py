"""A second runtime and client that share what is the same for every caller (calendars, summary
counters) for ``TTL`` seconds; the ``runtime`` and ``client`` fixtures share nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from opentrakt.app import Application
from opentrakt.clock import FrozenClock
from opentrakt.config import Settings
from opentrakt.runtime import Runtime
from tests.v1.shared_cache import TTL


@pytest.fixture
async def cached_runtime(settings: Settings, clock: FrozenClock) -> AsyncIterator[Runtime]:
    """A runtime on the test's database whose shared results last ``TTL`` seconds."""
    runtime = Runtime.from_settings(settings.model_copy(update={"shared_cache_seconds": TTL}), clock)
    yield runtime
    await runtime.engine.dispose()


@pytest.fixture
async def cached_client(cached_runtime: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=Application(cached_runtime))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client
