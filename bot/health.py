"""The optional HTTP listener (``TRAITDUNION_HTTP_PORT``): ``/healthz`` and ``/metrics``.

``/healthz`` answers 200 when the process is up, the database takes a write, every adapter is
connected and the scheduler ticked recently; otherwise 503, with a JSON body naming what is
wrong (never a secret, a person or a message). Container healthchecks and load balancers
read the status; people read the body. ``/metrics`` is Prometheus' text format
(:mod:`bot.metrics`).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any, Protocol

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from bot import metrics
from bot.adapters.base import Adapter
from core.clock import iso
from storage import health as store
from storage.database import Database

__all__ = ["HealthServer", "Monitored", "status"]

LOG = logging.getLogger(__name__)
WRITE_TIMEOUT = 5.0


class Monitored(Protocol):
    """What the health check reads of the running application (:class:`bot.app.App`)."""

    db: Database
    adapters: list[Adapter]
    heartbeat_seconds: float
    last_tick: datetime | None

    def clock(self) -> datetime: ...

    def connected(self, adapter: Adapter) -> bool: ...

    @property
    def scheduler_running(self) -> bool: ...


async def status(app: Monitored) -> tuple[bool, dict[str, Any]]:
    """(healthy, details) of ``app``."""
    now = app.clock()
    details: dict[str, Any] = {}
    try:
        await asyncio.wait_for(app.db.transaction(lambda conn: store.beat(conn, "healthz", iso(now)), durable=False), WRITE_TIMEOUT)
        details["database"] = {"ok": True}
    except Exception as error:  # noqa: BLE001 - reported, not raised
        details["database"] = {"ok": False, "error": type(error).__name__ if isinstance(error, TimeoutError) else str(error)[:200]}
    details["adapters"] = {adapter.platform: {"ok": app.connected(adapter)} for adapter in app.adapters}
    tick = app.last_tick
    late = tick is None or now - tick > timedelta(seconds=3 * app.heartbeat_seconds)
    details["scheduler"] = {"ok": app.scheduler_running and not late, "last_tick": iso(tick) if tick else None}
    healthy = details["database"]["ok"] and details["scheduler"]["ok"] and all(a["ok"] for a in details["adapters"].values())
    details["ok"] = healthy
    return healthy, details


class HealthServer:
    """An aiohttp site serving ``/healthz`` and ``/metrics`` for ``app``."""

    def __init__(self, app: Monitored, host: str, port: int) -> None:
        self.app = app
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        """Listen (``OSError`` when the port is taken)."""
        server = web.Application()
        server.router.add_get("/healthz", self._healthz)
        server.router.add_get("/metrics", self._metrics)
        runner = web.AppRunner(server, access_log=None, handle_signals=False)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.port)
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        sockets = getattr(site._server, "sockets", None) or ()  # noqa: SLF001
        if sockets:
            self.port = sockets[0].getsockname()[1]  # the real one when 0 was asked (tests)
        LOG.info("health and metrics on http://%s:%d/healthz and /metrics", self.host, self.port)

    async def stop(self) -> None:
        """Stop listening."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _healthz(self, request: web.Request) -> web.Response:
        healthy, details = await status(self.app)
        return web.json_response(details, status=200 if healthy else 503)

    async def _metrics(self, request: web.Request) -> web.Response:
        try:
            await metrics.refresh(self.app.db, self.app.clock)
        except Exception:  # the counters are still worth serving
            LOG.warning("metrics: database gauges not refreshed", exc_info=True)
        response = web.Response(body=metrics.exposition())
        response.headers["Content-Type"] = CONTENT_TYPE_LATEST
        return response
