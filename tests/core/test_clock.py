"""``iso`` (remembering the latest second it wrote) writes exactly what the plain conversion writes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from core.clock import iso, local


def _plain(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def test_iso_agrees_with_the_plain_conversion() -> None:
    paris = ZoneInfo("Europe/Paris")
    start = datetime(2026, 10, 25, 0, 59, 58, 999_999, tzinfo=UTC)  # around the end of summer time in Paris
    moments = [start + timedelta(microseconds=250_000 * n) for n in range(40)]
    moments += [local(m, "Europe/Paris") for m in moments]  # the runtime stamps local times
    moments += [
        datetime(1969, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),  # before the epoch
        datetime(1, 1, 1, tzinfo=UTC),
        datetime(9999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
        datetime(2026, 11, 30, 12, 0, 0, tzinfo=timezone(timedelta(hours=-5, minutes=-30))),
        datetime(2026, 11, 30, 12, 0, 0, tzinfo=paris),
        datetime(2026, 11, 30, 11, 0, 0, tzinfo=UTC),  # the same instant as the one before
        datetime(2026, 11, 30, 12, 0, 0),  # naive: local time
    ]
    for moment in moments + moments[::-1]:
        assert iso(moment) == _plain(moment), moment


def test_iso_stays_right_past_the_seconds_it_keeps() -> None:
    start = datetime(2026, 11, 30, 10, 0, 0, tzinfo=UTC)
    moments = [start + timedelta(seconds=n, microseconds=n) for n in range(300)]
    for moment in moments + moments:
        assert iso(moment) == _plain(moment), moment
