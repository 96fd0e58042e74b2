"""The project's own exceptions: adapters translate platform errors into these at the edge."""

from __future__ import annotations

from collections.abc import Mapping


class TraitDUnionError(Exception):
    """Base class of the project's errors."""


class ConfigError(TraitDUnionError):
    """A setting is missing or wrong; ``key`` names it.

    ``message`` is the English sentence (for logs); ``text`` and ``params``, when given, are the
    catalog message that tells the person at the terminal, in their language, what is wrong.
    """

    def __init__(self, key: str, message: str, text: str | None = None, params: Mapping[str, object] | None = None) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key
        self.message = message
        self.text = text
        self.params: Mapping[str, object] = params or {}


class DeliveryError(TraitDUnionError):
    """A message could not be delivered."""


class TemporaryDeliveryError(DeliveryError):
    """Try again later (rate limit, network down); ``retry_after`` in seconds if known."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PermanentDeliveryError(DeliveryError):
    """The recipient cannot be reached (bot blocked, user gone): do not retry."""
