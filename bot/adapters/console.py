"""The console adapter: a terminal conversation with the same engine and database.

Choices are numbered; the person types a number, several numbers, or text. Works with a
TTY or piped standard input, and ends cleanly at end of input (the app stops then).
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import sys
import tempfile
import threading
import uuid
from pathlib import Path
from typing import TextIO

from bot import console_files
from bot.adapters.base import Handler
from bot.fairness import Admission, FloodGate
from bot.rendering import render_plain
from conversations.i18n import translate
from core.types import Incoming, Reply
from storage.files import FILE_MODE, make_dirs, write_private

PLATFORM = "console"


class ConsoleAdapter:
    """Reads lines from ``stdin`` as one person (``user``) and prints the bot's replies."""

    platform = PLATFORM

    def __init__(
        self,
        user: str,
        language: str = "fr",
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
        files_dir: Path | None = None,
    ) -> None:
        self.user = user
        self.language = language
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.files_dir = files_dir
        """Where received files go (0700; the app gives the data directory's ``exports``), never the current one."""
        self._files: list[Path] = []
        self._saved: dict[str, Path] = {}
        """The file saved for each name received (``evenement-3.ics`` → ``…/evenement-3-alice.ics``)."""
        self._own_dir: Path | None = None
        self.only_chat = user  # the outbox keeps other people's messages for their own session
        self.finished = asyncio.Event()
        self._input_open = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._interactive = self.stdin.isatty() if hasattr(self.stdin, "isatty") else False
        self._shown_prompt: str | None = None
        """The question this window printed last: what a typed line answers (another window may move on)."""
        self.gate = FloodGate()
        """As on Telegram and Matrix: beyond a burst of lines typed or pasted in a terminal, one « doucement… »
        and the rest dropped (a pipe is a script, read at the pace it is answered: never dropped)."""

    def use_language(self, language: str) -> None:
        """The person's language, known before the banner (the app reads it; else the configured default)."""
        self.language = language

    async def start(self, handler: Handler) -> None:
        """Print the banner, remove the files sessions that never ended left, start reading lines in the background."""
        if self.files_dir is not None:
            await asyncio.to_thread(console_files.prune_stale, self.files_dir)
        self._print(translate(self.language, "console.banner", user=self.user))
        self._task = asyncio.create_task(self._read_loop(handler), name="console-reader")

    async def _read_loop(self, handler: Handler) -> None:
        loop = asyncio.get_running_loop()
        lines: asyncio.Queue[str | Admission | None] = asyncio.Queue()

        def arrive(line: str) -> None:  # on arrival, not once the lines before are answered
            admission = self.gate.arrive(self.user) if self._interactive and line.strip() else Admission.ADMIT
            if admission is not Admission.DROP:
                lines.put_nowait(line if admission is Admission.ADMIT else admission)

        def pump() -> None:  # a daemon thread, so that a blocked read never delays shutdown
            try:
                for line in iter(self.stdin.readline, ""):
                    loop.call_soon_threadsafe(arrive, line)
            except (OSError, ValueError):  # the terminal closed (EIO) or stdin did: the end of the input
                pass
            try:
                loop.call_soon_threadsafe(lines.put_nowait, None)
            except RuntimeError:  # the app already stopped and closed its loop: nobody waits for the end
                pass

        threading.Thread(target=pump, name="console-stdin", daemon=True).start()
        await self._input_open.wait()
        try:
            while True:
                try:
                    self._prompt()
                except (OSError, ValueError):  # the terminal is gone: nobody reads, nothing more will be typed
                    break
                line = await lines.get()
                if line is None:
                    break
                if isinstance(line, Admission):  # the first line beyond the burst
                    self._print(translate(self.language, "flood.slow_down"))
                    continue
                text = line.rstrip("\r\n")
                if not text.strip():
                    continue
                await handler(
                    Incoming(
                        platform=PLATFORM,
                        user_id=self.user,
                        chat_id=self.user,
                        event_id=uuid.uuid4().hex,
                        text=text,
                        display_name=self.user,
                        handle=self.user,
                        prompt_id=self._shown_prompt,
                    )
                )
        finally:
            try:
                self._print(translate(self.language, "console.goodbye"))
            except (OSError, ValueError):  # the reader left (`chat | tee`, its terminal closed: EPIPE, EIO): nobody to greet
                pass
            finally:
                self.finished.set()

    def resume_input(self) -> None:
        """Start handling typed lines (the app calls it once pending messages are shown)."""
        self._input_open.set()

    async def send(self, chat_id: str, reply: Reply) -> str | None:
        """Print the reply (and save its file, if any); a terminal keeps no message to edit."""
        self._print(render_plain(reply))
        if chat_id == self.user and reply.language:
            self.language = reply.language  # the goodbye follows the language the person is spoken to in
        if reply.prompt_id is not None:
            self._shown_prompt = reply.prompt_id
        if reply.attachment is not None:
            path = self._save(reply.attachment.filename, reply.attachment.data)
            self._print(translate(reply.language, "console.attachment_saved", path=path))
            self._print(translate(reply.language, "console.attachment_removed_at_exit"))
        return None

    def _directory(self) -> Path:
        """The directory for received files: created with mode 0700 on first use."""
        if self.files_dir is None:
            self._own_dir = self._own_dir or Path(tempfile.mkdtemp(prefix="traitdunion-"))
            return self._own_dir
        make_dirs(self.files_dir)
        return self.files_dir

    def _save(self, filename: str, data: bytes) -> Path:
        """Where the file named ``filename`` is saved: the file this session already saved under that
        name (an event's .ics asked again) is kept when its content is the same and replaced when it
        changed (the event moved), rather than a new copy each time; else a new file."""
        path = self._saved.get(filename)
        if path is not None and path.exists():
            if path.read_bytes() != data:
                write_private(path, data)
            return path
        path = self._new_file(filename)
        write_private(path, data)  # personal data: readable by the owner only
        self._saved[filename] = path
        if path not in self._files:
            self._files.append(path)
        if self.files_dir is not None:  # its owner's /supprimer finds it, whichever session wrote it
            console_files.record(self.files_dir, self.user, path)
        return path

    def _new_file(self, filename: str) -> Path:
        """A new file for ``filename`` in the files directory, named after this person and never an
        existing one ("evenement-1-alice.ics", then "evenement-1-alice-2.ics"): several people's
        consoles share the directory, and one's file must neither overwrite nor be deleted with
        another's. Created at once (``O_EXCL``), so that two windows cannot both take a name."""
        directory = self._directory()
        name = Path(filename).name
        stem, dot, suffix = name.rpartition(".") if "." in name else (name, "", "")
        owner = re.sub(r"[^A-Za-z0-9_-]+", "_", self.user).strip("_") or "console"
        number = 1
        while True:
            candidate = directory / f"{stem}-{owner}{'' if number == 1 else f'-{number}'}{dot}{suffix}"
            try:
                os.close(os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
            except FileExistsError:
                number += 1
                continue
            return candidate

    def remove_files(self) -> None:
        """Delete the files this session received (personal data is not left lying around); only
        those: the files of other people's consoles in the same directory stay."""
        if self.files_dir is not None:
            console_files.remove(self.files_dir, self.user, self._files)  # off the person's list too
        for path in self._files:
            path.unlink(missing_ok=True)
        self._files.clear()
        self._saved.clear()
        if self._own_dir is not None:
            shutil.rmtree(self._own_dir, ignore_errors=True)
            self._own_dir = None

    def forget_person(self, user_id: str) -> None:
        """``user_id`` erased their data (/supprimer): every file their consoles wrote goes now."""
        if user_id != self.user:
            return
        if self.files_dir is not None:
            console_files.erase(self.files_dir, user_id)
        self.remove_files()

    async def stop(self) -> None:
        """Stop reading; remove the files received during the session (even when the terminal is gone)."""
        try:
            if self._task is not None and not self._task.done():
                self._task.cancel()
                try:
                    await self._task
                except asyncio.CancelledError:
                    pass
        finally:
            self.remove_files()

    def _print(self, text: str) -> None:
        self.stdout.write(text + "\n\n")
        self.stdout.flush()

    def _prompt(self) -> None:
        if self._interactive:
            self.stdout.write("> ")
            self.stdout.flush()
