"""Timestamps as stored: ISO 8601 in UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """``moment`` as stored in the database (ISO 8601, UTC, seconds)."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def local(moment: datetime, timezone: str) -> datetime:
    """``moment`` in the configured time zone: its ``date()`` is "today" where people live."""
    return moment.astimezone(ZoneInfo(timezone))
