"""Inline keyboards for choices, and the compact callback data their buttons carry.

Callback data is untrusted (a modified client can send anything, up to 64 bytes), so it is
versioned and parsed strictly:

- ``1|<prompt_id>|c|<value>``: a single choice;
- ``1|<prompt_id>|t|<value>``: toggle one option of a multi-select;
- ``1|<prompt_id>|ok``: submit a multi-select.

A multi-select keeps no server-side state: which options are ticked is read back from the
message's own keyboard (ticked labels start with :data:`TICK`), so it survives restarts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from core.types import Reply

VERSION = "1"
MAX_CALLBACK_BYTES = 64
TICK = "✅ "
SEPARATOR = "|"

Kind = Literal["c", "t", "ok"]


@dataclass(frozen=True, slots=True)
class ButtonData:
    """The decoded callback data of one button."""

    prompt_id: str
    kind: Kind
    value: str | None = None

    def encode(self) -> str:
        """The callback data string; raise ``ValueError`` if it cannot be encoded safely."""
        for part in (self.prompt_id, self.value or ""):
            if SEPARATOR in part or not part.isprintable():
                raise ValueError(f"prompt id and values must be printable without {SEPARATOR!r}: {part!r}")
        if not self.prompt_id or (self.kind != "ok") != bool(self.value):
            raise ValueError(f"incomplete button data: {self!r}")
        parts = [VERSION, self.prompt_id, self.kind] + ([self.value] if self.value else [])
        data = SEPARATOR.join(parts)
        if len(data.encode()) > MAX_CALLBACK_BYTES:
            raise ValueError(f"callback data longer than {MAX_CALLBACK_BYTES} bytes: {data!r}")
        return data


def decode(data: object) -> ButtonData | None:
    """Parse callback data from Telegram; ``None`` when it is malformed, unknown or forged."""
    if not isinstance(data, str) or not data or len(data.encode()) > MAX_CALLBACK_BYTES:
        return None
    parts = data.split(SEPARATOR)
    if parts[0] != VERSION or len(parts) not in (3, 4) or not all(p and p.isprintable() for p in parts):
        return None
    if len(parts) == 3:
        return ButtonData(parts[1], "ok") if parts[2] == "ok" else None
    kind = parts[2]
    if kind not in ("c", "t"):
        return None
    return ButtonData(parts[1], kind, parts[3])  # type: ignore[arg-type]


def build_keyboard(reply: Reply, submit_label: str) -> InlineKeyboardMarkup | None:
    """The inline keyboard of ``reply`` (one button per row), or ``None`` without choices."""
    if not reply.choices:
        return None
    if not reply.prompt_id:
        raise ValueError("a reply with choices needs a prompt_id")
    if not reply.multi:
        rows = [[InlineKeyboardButton(c.label, callback_data=ButtonData(reply.prompt_id, "c", c.value).encode())] for c in reply.choices]
        return InlineKeyboardMarkup(rows)
    toggles = [(c.value, c.label, c.value in reply.selected) for c in reply.choices]
    return multi_keyboard(reply.prompt_id, toggles, reply.submit_label or submit_label)


def multi_keyboard(prompt_id: str, toggles: list[tuple[str, str, bool]], submit_label: str) -> InlineKeyboardMarkup:
    """A multi-select keyboard from ``(value, label, ticked)`` rows plus the submit button."""
    rows = [
        [
            InlineKeyboardButton(
                (TICK + label) if ticked else label,
                callback_data=ButtonData(prompt_id, "t", value).encode(),
            )
        ]
        for value, label, ticked in toggles
    ]
    rows.append([InlineKeyboardButton(submit_label, callback_data=ButtonData(prompt_id, "ok").encode())])
    return InlineKeyboardMarkup(rows)


@dataclass(frozen=True, slots=True)
class KeyboardState:
    """What a message's keyboard says about one prompt, read back from Telegram."""

    toggles: list[tuple[str, str, bool]]
    """``(value, label without tick, ticked)`` of the multi-select buttons, in order."""
    choices: dict[str, str]
    """Single-choice ``value -> label``."""
    submit_label: str | None

    def ticked(self) -> tuple[str, ...]:
        """Values currently ticked, in keyboard order."""
        return tuple(value for value, _, ticked in self.toggles if ticked)

    def label(self, value: str) -> str | None:
        """The label of ``value`` (single choice or toggle)."""
        if value in self.choices:
            return self.choices[value]
        return next((label for v, label, _ in self.toggles if v == value), None)

    def toggled(self, prompt_id: str, value: str) -> InlineKeyboardMarkup:
        """The same keyboard with ``value`` ticked or unticked."""
        toggles = [(v, label, (not ticked) if v == value else ticked) for v, label, ticked in self.toggles]
        return multi_keyboard(prompt_id, toggles, self.submit_label or "OK")


def read_keyboard(markup: InlineKeyboardMarkup | None, prompt_id: str) -> KeyboardState:
    """Read the buttons of ``markup`` that belong to ``prompt_id`` (others are ignored)."""
    toggles: list[tuple[str, str, bool]] = []
    choices: dict[str, str] = {}
    submit_label: str | None = None
    for row in markup.inline_keyboard if markup else ():
        for button in row:
            data = decode(button.callback_data)
            if data is None or data.prompt_id != prompt_id:
                continue
            if data.kind == "ok":
                submit_label = button.text
            elif data.kind == "c" and data.value:
                choices[data.value] = button.text
            elif data.kind == "t" and data.value:
                ticked = button.text.startswith(TICK)
                toggles.append((data.value, button.text.removeprefix(TICK), ticked))
    return KeyboardState(toggles, choices, submit_label)
