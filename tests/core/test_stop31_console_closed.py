"""Trial 30b: closing the console's terminal printed an OSError traceback of the stdin thread to stderr
(bot/adapters/console.py, ``readline`` failing with EIO once the terminal is gone), and the session never
said it finished. A closed terminal is the end of the input, as an empty line read at end of file is."""

from __future__ import annotations

import asyncio
import errno
import io
import threading

import pytest

from bot.adapters.console import ConsoleAdapter
from core.types import Incoming


class _ClosedTerminal(io.StringIO):
    """A terminal that answers the lines typed, then is closed: reads fail as a hung-up tty's do (EIO)."""

    def __init__(self, typed: str, failure: Exception) -> None:
        super().__init__(typed)
        self.failure = failure

    def isatty(self) -> bool:
        return True

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        line = super().readline()
        if not line:
            raise self.failure
        return line


class _GoneTerminal(io.StringIO):
    """Its output gone too: every write fails with EIO, as a closed pseudo-terminal's does."""

    def __init__(self) -> None:
        super().__init__()
        self.gone = False

    def write(self, text: str) -> int:
        if self.gone:
            raise OSError(errno.EIO, "Input/output error")
        return super().write(text)


@pytest.mark.parametrize(
    "failure", [OSError(errno.EIO, "Input/output error"), ValueError("I/O operation on closed file.")], ids=["eio", "closed"]
)
async def test_a_closed_terminal_ends_the_session_without_a_traceback(failure: Exception) -> None:
    crashed: list[BaseException | None] = []
    previous = threading.excepthook
    threading.excepthook = lambda args: crashed.append(args.exc_value)
    try:
        handled: list[str] = []
        out = _GoneTerminal()
        adapter = ConsoleAdapter("zoe", stdin=_ClosedTerminal("bonjour\n", failure), stdout=out)

        async def handler(incoming: Incoming) -> None:
            handled.append(incoming.text or "")
            out.gone = True  # the terminal closes while the bot answers

        await adapter.start(handler)  # type: ignore[arg-type]
        adapter.resume_input()
        await asyncio.wait_for(adapter.finished.wait(), 30)
        reader = adapter._task
        assert reader is not None
        await asyncio.wait({reader}, timeout=30)
        assert reader.exception() is None  # no « Task exception was never retrieved » either
        await adapter.stop()
        for thread in threading.enumerate():
            if thread.name == "console-stdin":
                thread.join(30)
    finally:
        threading.excepthook = previous
    assert handled == ["bonjour"]  # what was typed before the terminal closed is still answered
    assert crashed == []
