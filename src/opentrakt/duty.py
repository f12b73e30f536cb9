"""A background duty: work a server process repeats on a fixed interval while it serves."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from opentrakt.runtime import Runtime

log = logging.getLogger("opentrakt.duty")


class Duty:
    """Runs ``run_once`` every ``settings.duty_interval_seconds`` (0 turns the duty off).

    Every server process runs its own duties, so ``run_once`` must be safe when several
    processes run it at the same time.
    """

    name = "duty"

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self._task: asyncio.Task[None] | None = None

    async def run_once(self) -> None:
        raise NotImplementedError

    def start(self) -> None:
        if self._task is None and self.runtime.settings.duty_interval_seconds > 0:
            self._task = asyncio.create_task(self._loop(), name=f"opentrakt-{self.name}")

    async def stop(self) -> None:
        if self._task is None:
            return
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None

    async def _loop(self) -> None:
        interval = self.runtime.settings.duty_interval_seconds
        while True:
            await asyncio.sleep(interval)
            try:
                await self.run_once()
            except Exception:
                # A database hiccup must not end the duty; the next pass retries.
                log.exception("%s pass failed", self.name)
