"""Prometheus metrics of one bot process (``prometheus-client``), served on ``/metrics`` by :mod:`bot.health`.

Counters and histograms move where things happen (a step handled, a message sent, a delivery
failed, a round run); the gauges that describe the database (outbox backlog, broadcasts being
sent) are read from it at scrape time by :func:`refresh`. Labels are platforms and failure
kinds only: never a person, a chat or a text.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Info, generate_latest

from core.clock import utcnow
from core.types import Incoming, Outcome
from core.version import __version__
from storage import health as store
from storage.database import Database

__all__ = ["REGISTRY", "exposition", "failed", "instrument", "refresh", "round_finished", "sent"]

REGISTRY = CollectorRegistry(auto_describe=True)
"""The bot's own registry (not the library's global one): only what is defined here is served."""

BUILD = Info("traitdunion_build", "Version of Trait d'union", registry=REGISTRY)
BUILD.info({"version": __version__})
MESSAGES_IN = Counter(
    "traitdunion_messages_received", "Messages and button presses received, per platform", ["platform"], registry=REGISTRY
)
MESSAGES_OUT = Counter("traitdunion_messages_sent", "Messages delivered to a platform", ["platform"], registry=REGISTRY)
STEP_SECONDS = Histogram(
    "traitdunion_step_seconds",
    "Time to handle one incoming event (conversation step committed and replies sent)",
    ["platform"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
    registry=REGISTRY,
)
DELIVERY_FAILURES = Counter(
    "traitdunion_delivery_failures",
    "Deliveries that failed: temporary (retried), unreachable (person blocked the bot), refused, error (unexpected)",
    ["platform", "kind"],
    registry=REGISTRY,
)
OUTBOX_PENDING = Gauge("traitdunion_outbox_pending", "Messages waiting in the outbox", registry=REGISTRY)
OUTBOX_OLDEST = Gauge(
    "traitdunion_outbox_oldest_pending_seconds", "Age of the oldest message waiting in the outbox (0 when empty)", registry=REGISTRY
)
ROUND_SECONDS = Histogram(
    "traitdunion_round_seconds",
    "Duration of a suggestion round",
    buckets=(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600),
    registry=REGISTRY,
)
SUGGESTIONS_SENT = Counter("traitdunion_suggestions_sent", "Suggestions queued by suggestion rounds", registry=REGISTRY)
BROADCASTS_IN_FLIGHT = Gauge("traitdunion_broadcasts_in_flight", "Coordinators' calls still being sent", registry=REGISTRY)

Handler = Callable[[Incoming], Awaitable[Outcome]]


def instrument(handler: Handler) -> Handler:
    """``handler`` counting what it receives and timing each step."""

    async def handle(incoming: Incoming) -> Outcome:
        _child(MESSAGES_IN, incoming.platform).inc()
        start = time.perf_counter()
        try:
            return await handler(incoming)
        finally:
            _child(STEP_SECONDS, incoming.platform).observe(time.perf_counter() - start)

    return handle


def sent(platform: str) -> None:
    """One message delivered."""
    _child(MESSAGES_OUT, platform).inc()


_children: dict[tuple[int, str], Any] = {}
"""Per-platform series already looked up (``labels()`` takes a lock and checks its values at every call)."""


def _child(metric: Any, platform: str) -> Any:
    """The series of ``metric`` for ``platform``."""
    key = (id(metric), platform)
    child = _children.get(key)
    if child is None:
        child = _children[key] = metric.labels(platform)
    return child


def failed(platform: str, kind: str) -> None:
    """One delivery failed (``temporary``, ``unreachable``, ``refused`` or ``error``)."""
    DELIVERY_FAILURES.labels(platform, kind).inc()


def round_finished(seconds: float, suggestions: int) -> None:
    """A suggestion round ran for ``seconds`` and queued ``suggestions``."""
    ROUND_SECONDS.observe(seconds)
    SUGGESTIONS_SENT.inc(suggestions)


async def refresh(db: Database, now: Callable[[], datetime] = utcnow) -> None:
    """Read the gauges that describe the database."""
    backlog = await db.read(store.backlog)
    OUTBOX_PENDING.set(backlog.pending)
    age = (now() - datetime.fromisoformat(backlog.oldest)).total_seconds() if backlog.oldest else 0.0
    OUTBOX_OLDEST.set(max(age, 0.0))
    BROADCASTS_IN_FLIGHT.set(await db.read(store.broadcasts_in_flight))


def exposition() -> bytes:
    """The registry in Prometheus' text format."""
    return generate_latest(REGISTRY)
