"""Pure Matrix helpers: commands, keycap reactions and message contents (no I/O, no nio)."""

from __future__ import annotations

import html
import re
import struct
from typing import Any

__all__ = [
    "KEYCAPS",
    "attachment_content",
    "command_text",
    "keycap_number",
    "mentions_user",
    "message_content",
    "plain_to_html",
    "strip_reply_fallback",
]

KEYCAPS: tuple[str, ...] = (*(f"{n}\ufe0f\u20e3" for n in range(1, 10)), "\U0001f51f")
"""1️⃣ … 9️⃣ then 🔟: the reactions that pick choice 1 to 10."""

WORD_COMMANDS: frozenset[str] = frozenset({"aide", "menu", "help", "annuler", "cancel"})
"""Plain words that mean the command of the same name."""

_COMMAND = re.compile(r"^[!/](?P<name>[A-Za-z][\w-]*)(?:\s+(?P<args>.*))?$", re.DOTALL)
_NUMBERED = re.compile(r"^\s*(?P<n>\d{1,3})[.)]\s+(?P<label>.*)$")


def command_text(body: str) -> str | None:
    """The core command for ``body`` ("!besoin" → "/besoin", "aide" → "/aide"), or None."""
    text = body.strip()
    match = _COMMAND.match(text)
    if match:
        name = match.group("name").lower()
        args = (match.group("args") or "").strip()
        return f"/{name} {args}" if args else f"/{name}"
    word = text.rstrip(" .!?").lower()
    if word in WORD_COMMANDS:
        return f"/{word}"
    return None


def keycap_number(key: str) -> int | None:
    """The number (1–10) a keycap reaction stands for, or None."""
    normalised = key.strip()
    if normalised == "\U0001f51f":
        return 10
    normalised = normalised.replace("\ufe0f", "")
    if len(normalised) == 2 and normalised[1] == "\u20e3" and normalised[0] in "123456789":
        return int(normalised[0])
    return None


def mentions_user(content: dict[str, Any], user_id: str, display_name: str | None) -> bool:
    """Whether a message content mentions ``user_id`` (intentional mentions, pill or name)."""
    mentions = content.get("m.mentions")
    if isinstance(mentions, dict) and user_id in (mentions.get("user_ids") or ()):
        return True
    body = str(content.get("body") or "").casefold()
    formatted = str(content.get("formatted_body") or "")
    if user_id.casefold() in body or f"matrix.to/#/{user_id}" in formatted:
        return True
    localpart = user_id[1:].split(":", 1)[0].casefold() if user_id.startswith("@") else ""
    names = {name for name in (display_name and display_name.casefold(), localpart) if name}
    return any(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", body) for name in names)


def plain_to_html(plain: str) -> str:
    """Escape ``plain`` for ``org.matrix.custom.html``; runs of numbered lines become ``<ol>``."""
    parts: list[str] = []
    lines: list[str] = []
    items: list[str] = []
    start = 1

    def flush_lines() -> None:
        if lines:
            parts.append("<p>" + "<br>".join(lines) + "</p>")
            lines.clear()

    def flush_items() -> None:
        if items:
            attr = f' start="{start}"' if start != 1 else ""
            parts.append(f"<ol{attr}>" + "".join(f"<li>{item}</li>" for item in items) + "</ol>")
            items.clear()

    for line in plain.split("\n"):
        match = _NUMBERED.match(line)
        if match:
            flush_lines()
            if not items:
                start = int(match.group("n"))
            items.append(html.escape(match.group("label"), quote=False))
        elif not line.strip():
            flush_items()
            flush_lines()
        else:
            flush_items()
            lines.append(html.escape(line, quote=False))
    flush_items()
    flush_lines()
    return "".join(parts)


def message_content(plain: str, notice: bool = False) -> dict[str, Any]:
    """An ``m.room.message`` content with a plain ``body`` and an HTML ``formatted_body``.

    ``m.text`` unless ``notice`` (the bot's status chatter: Element's default push rule
    ``.m.rule.suppress_notices`` silences ``m.notice``). ``m.mentions`` is always empty: the
    bot mentions nobody, so names in the text (an organisation called "@room", a display
    name) never trigger the legacy keyword mentions, and nothing is turned into a pill.
    """
    return {
        "msgtype": "m.notice" if notice else "m.text",
        "body": plain,
        "format": "org.matrix.custom.html",
        "formatted_body": plain_to_html(plain),
        "m.mentions": {},
    }


def _png_size(data: bytes) -> tuple[int, int] | None:
    if len(data) >= 24 and data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
        return width, height
    return None


def attachment_content(filename: str, mime_type: str, data: bytes, url: str, file_keys: dict[str, Any] | None) -> dict[str, Any]:
    """An ``m.image`` (PNG) or ``m.file`` content for an uploaded file.

    ``file_keys`` is nio's decryption info for an encrypted upload (then ``file`` replaces ``url``).
    """
    info: dict[str, Any] = {"mimetype": mime_type, "size": len(data)}
    is_image = mime_type.startswith("image/")
    if is_image and (size := _png_size(data)):
        info["w"], info["h"] = size
    content: dict[str, Any] = {
        "msgtype": "m.image" if is_image else "m.file",
        "body": filename,
        "filename": filename,
        "info": info,
    }
    if file_keys is not None:
        content["file"] = {"url": url, "mimetype": mime_type, **file_keys}
    else:
        content["url"] = url
    return content


def strip_reply_fallback(body: str) -> str:
    """``body`` without the quoted "> <@user> …" fallback that some clients put in replies."""
    if not body.startswith("> "):
        return body
    lines = body.split("\n")
    index = 0
    while index < len(lines) and lines[index].startswith(">"):
        index += 1
    rest = "\n".join(lines[index:]).lstrip("\n")
    return rest or body
