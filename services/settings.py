"""The part of the bot's configuration the domain services read (``bot.config.Config`` has it)."""

from __future__ import annotations

from typing import Protocol


class Settings(Protocol):
    """What introductions, calls and suggestion rounds need to know of the configuration."""

    @property
    def timezone(self) -> str:
        """The IANA time zone of the territory (digests go out on its local day)."""
        ...

    @property
    def suggestion_day(self) -> str:
        """The weekday digests go out (``mon`` … ``sun``)."""
        ...

    @property
    def fairness_cap(self) -> int:
        """How many times one actor may be suggested in a round."""
        ...

    @property
    def calls_per_week(self) -> int:
        """How many coordinators' calls one actor receives per week at most."""
        ...

    @property
    def language(self) -> str:
        """The bot's default language (``fr``): for people whose language is unknown."""
        ...
