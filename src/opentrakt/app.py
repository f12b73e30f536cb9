"""The ASGI application: v1 methods, placeholder images, and the server's background duties."""

from __future__ import annotations

import gc
import logging
from typing import Any

from opentrakt import logs
from opentrakt.clock import Clock
from opentrakt.config import Settings
from opentrakt.discovery.neighbours import NeighbourDuty
from opentrakt.playback.duty import PlaybackDuty
from opentrakt.runtime import Runtime
from opentrakt.v1.handlers import load_handlers
from opentrakt.v1.images_route import PlaceholderImages
from opentrakt.v1.registry import registry
from opentrakt.v1.router import Receive, Scope, Send, V1Router, send_json

log = logging.getLogger("opentrakt")

# Mounted only with OPENTRAKT_BENCH_BARE_ROUTE: what a request costs the server before any routing.
BARE_ROUTE = "/bench/bare"

# New container objects before a young-generation collection (CPython's default is 700). A bulk
# write or a heavy user's list builds tens of thousands of objects that all live until the
# response is sent, and every early collection walked them again: ~10 % of a 10,000-episode
# write's CPU.
GC_YOUNG_THRESHOLD = 10_000


def settle_collector() -> None:
    """The garbage collector as each server process runs it once started.

    Everything loaded so far lives as long as the process: frozen out of the collector's reach,
    it is no longer walked by every full collection that a large response's short-lived objects
    trigger. Young collections run less often (``GC_YOUNG_THRESHOLD``).
    """
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, middle, oldest)


class Application:
    """Dispatches HTTP requests and runs start-up and shut-down for one server process."""

    def __init__(self, runtime: Runtime) -> None:
        load_handlers()
        self.runtime = runtime
        self.v1 = V1Router(runtime, registry)
        self.images = PlaceholderImages()
        self.playback_duty = PlaybackDuty(runtime)
        self.neighbour_duty = NeighbourDuty(runtime)
        self.bare_route = runtime.settings.bench_bare_route

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            if self.bare_route and scope["path"] == BARE_ROUTE:
                await send_json(send, 200, {})
            elif self.images.handles(scope["path"]):
                await self.images(scope, receive, send)
            else:
                await self.v1(scope, receive, send)
        elif scope["type"] == "lifespan":
            await self._lifespan(receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.playback_duty.start()
                self.neighbour_duty.start()
                settle_collector()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.playback_duty.stop()
                await self.neighbour_duty.stop()
                await self.runtime.engine.dispose()
                await send({"type": "lifespan.shutdown.complete"})
                return


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> Application:
    return Application(Runtime.from_settings(settings or Settings(), clock))


def create_app_from_env() -> Any:
    """Factory used by uvicorn when it starts several worker processes."""
    settings = Settings()
    # Worker processes don't run the CLI's logging set-up; without this they log no requests.
    logs.configure(settings.log_level)
    return create_app(settings)
