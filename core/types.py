"""What flows through the core: incoming events from adapters and outgoing replies to them."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, fields
from enum import Enum
from typing import Any

_DIRECTION_OVERRIDES = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
"""Bidirectional embeddings, overrides and isolates: shown to someone else, U+202E reverses what follows it on
their screen (a name made to read as another). Right-to-left writing needs none of them (marks U+200E/F stay)."""


def clean_text(value: str) -> str:
    """``value`` in NFC, with lone UTF-16 surrogates (possible in platform JSON) replaced by U+FFFD
    and text direction overrides taken out.

    A lone surrogate cannot be encoded in UTF-8: stored or logged as is, it would make every
    later step of that person fail.
    """
    if value.isascii():
        return value
    # UTF-16 round trip: a valid pair of surrogates becomes its character, a lone one U+FFFD.
    value = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return unicodedata.normalize("NFC", value.translate(_DIRECTION_OVERRIDES))


@dataclass(frozen=True, slots=True)
class UserKey:
    """A person on one platform: the key of a conversation (one lock, one session)."""

    platform: str
    user_id: str

    def __str__(self) -> str:
        return f"{self.platform}:{self.user_id}"


@dataclass(frozen=True, slots=True)
class Incoming:
    """A message or a button press from a person, already translated from the platform.

    ``event_id`` is stable across redeliveries (Telegram update id, Matrix event id...): the
    runtime uses it to process each event once. A button press carries ``choice`` (one value)
    or ``choices`` (a validated multi-select) together with the ``prompt_id`` of the message
    whose button was pressed, so that stale buttons can be detected.
    """

    platform: str
    user_id: str
    chat_id: str
    event_id: str
    text: str | None = None
    choice: str | None = None
    choices: tuple[str, ...] | None = None
    prompt_id: str | None = None
    display_name: str | None = None
    handle: str | None = None
    language_code: str | None = None

    def __post_init__(self) -> None:
        # Every text from a platform is cleaned once, here, before it reaches storage or a log
        # (``chat_id`` is kept as the platform gave it: replies must reach the same chat).
        # (the names are listed once: ``dataclasses.fields`` at every event cost more than the rest)
        for name in _INCOMING_CLEANED:
            value = getattr(self, name)
            if isinstance(value, str):
                if not value.isascii():  # ASCII is clean as it is
                    object.__setattr__(self, name, clean_text(value))
            elif isinstance(value, tuple):
                object.__setattr__(self, name, tuple(clean_text(v) if isinstance(v, str) else v for v in value))

    @property
    def key(self) -> UserKey:
        """The conversation this event belongs to."""
        return UserKey(self.platform, self.user_id)


_INCOMING_CLEANED = tuple(item.name for item in fields(Incoming) if item.name != "chat_id")
"""The fields of :class:`Incoming` cleaned when it is built (all but ``chat_id``)."""


@dataclass(frozen=True, slots=True)
class Choice:
    """One option of a question: ``value`` is stable, ``label`` is translated."""

    value: str
    label: str
    number: int | None = None
    """The number the person types for it when that is not its position in the list (a call's
    n°3): text platforms show it in front of the label instead of the position."""


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file to send (PNG chart, CSV or JSON export)."""

    filename: str
    mime_type: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Reply:
    """A message to show a person: translated text, optional choices, optional file.

    ``text`` is plain text (adapters escape it for their markup). ``multi`` makes the choices
    a multi-select validated with ``submit_label``; ``selected`` pre-ticks values. ``prompt_id``
    identifies the question: a button press is only valid with the current one. ``notice``
    marks messages that are not a direct answer (job notifications): they are addressed to the
    person and shown (and notified) like any other message. ``chatter`` marks the bot's own
    status chatter (a call's delivery progress, a hint in a group), which people need not be
    notified of (Matrix sends it as ``m.notice``). ``language`` is the language the text is
    in, so that adapters add hints in the same language.
    """

    text: str
    choices: tuple[Choice, ...] = ()
    multi: bool = False
    selected: tuple[str, ...] = ()
    submit_label: str | None = None
    prompt_id: str | None = None
    notice: bool = False
    chatter: bool = False
    attachment: Attachment | None = None
    language: str = "fr"
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    """Core-internal hints never sent as such (e.g. a chart to render before sending)."""


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A reply addressed to a chat on a platform."""

    platform: str
    chat_id: str
    reply: Reply
    user_id: str | None = None


class Outcome(Enum):
    """What the core did with an incoming event (adapters use it, e.g. to edit a keyboard)."""

    ACCEPTED = "accepted"
    """The event advanced the conversation."""
    REJECTED = "rejected"
    """Invalid or stale input: the person got an explanation, nothing changed."""
    DUPLICATE = "duplicate"
    """Already processed (redelivery): ignored."""
