"""Timestamps as stored: ISO 8601 in UTC."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """``moment`` as stored in the database (ISO 8601, UTC, seconds)."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")
