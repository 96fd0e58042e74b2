"""Chat platform adapters: the only package that imports ``telegram`` or ``nio``."""

from __future__ import annotations

from bot.adapters.base import Adapter, Handler
from bot.config import Config

__all__ = ["Adapter", "Handler", "build_adapters"]


def build_adapters(config: Config) -> list[Adapter]:
    """Create the adapters that ``config`` enables (platform libraries imported lazily)."""
    adapters: list[Adapter] = []
    if config.telegram_enabled:
        from bot.adapters.telegram import TelegramAdapter

        adapters.append(TelegramAdapter.from_config(config))
    if config.matrix_enabled:
        from bot.adapters.matrix import MatrixAdapter

        adapters.append(MatrixAdapter.from_config(config))
    return adapters
