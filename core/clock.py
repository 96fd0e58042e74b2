"""Timestamps as stored: ISO 8601 in UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ISO_KEPT = 64
_iso_texts: dict[int, str] = {}
"""Texts of the latest seconds written by :func:`iso` (a step stamps its second 2-3 times, and its lease's)."""


def iso(moment: datetime) -> str:
    """``moment`` as stored in the database (ISO 8601, UTC, seconds)."""
    try:
        since = moment - _EPOCH  # exact whole seconds of the instant (no float rounding)
    except TypeError:  # naive: local time, as astimezone reads it
        return moment.astimezone(UTC).isoformat(timespec="seconds")
    second = since.days * 86400 + since.seconds
    text = _iso_texts.get(second)
    if text is None:
        if len(_iso_texts) >= _ISO_KEPT:  # (dict operations are atomic: threads may share it)
            _iso_texts.clear()
        text = _iso_texts[second] = moment.astimezone(UTC).isoformat(timespec="seconds")
    return text


def local(moment: datetime, timezone: str) -> datetime:
    """``moment`` in the configured time zone: its ``date()`` is "today" where people live."""
    return moment.astimezone(ZoneInfo(timezone))
