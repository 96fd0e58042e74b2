"""Plain-text rendering of replies for text-only platforms (console, Matrix)."""

from __future__ import annotations

from bot.types import Reply
from conversations.i18n import translate


def render_plain(reply: Reply) -> str:
    """The reply text, then its choices numbered from 1 and a hint on how to answer."""
    if not reply.choices:
        return reply.text
    lines = [reply.text, ""]
    selected = set(reply.selected)
    for index, choice in enumerate(reply.choices, start=1):
        tick = " ✅" if choice.value in selected else ""
        lines.append(f"{index}. {choice.label}{tick}")
    if reply.multi:
        hint = translate(reply.language, "render.hint_multi")
        if selected:
            numbers = " ".join(str(i) for i, c in enumerate(reply.choices, start=1) if c.value in selected)
            hint += f" ({translate(reply.language, 'render.selected')} : {numbers})" if reply.language == "fr" else (
                f" ({translate(reply.language, 'render.selected')}: {numbers})"
            )
    elif reply.meta.get("takes_text") or all(choice.value.startswith("_") for choice in reply.choices):
        hint = translate(reply.language, "render.hint_text")
    else:
        hint = translate(reply.language, "render.hint_single")
    lines.extend(("", hint))
    return "\n".join(lines)
