"""Rendering of replies for each platform: numbered choices for text-only platforms, and
command references written the way each network expects.

Catalog strings name commands with a slash (``/besoin``, ``/start {code}``): that slash is
the command prefix placeholder. :func:`localise_commands` rewrites every such reference to the
platform's prefix at render time (``!besoin`` on Matrix, where Element intercepts ``/``), so
one catalog serves every network and strings added later are converted without extra work.
"""

from __future__ import annotations

import re

from conversations.engine import BACK, SKIP
from conversations.i18n import translate
from core.types import Reply

COMMAND_PREFIX = "/"
"""How catalogs and the core write commands (Telegram and the console show them as is)."""

_COMMAND_REFERENCE = re.compile(r"""(?<![^\s(«"'“‘\[\u00a0\u202f])/(?P<name>[^\W\d_][\w-]*)(?![/@\w]|\.\w)""")
"""A ``/name`` at the start of a word (not inside a URL, a path or a date), not followed by
``/``, ``@`` or ``.x`` (file names)."""


def localise_commands(text: str, prefix: str) -> str:
    """``text`` with every ``/command`` reference written with ``prefix`` (``!besoin``)."""
    if prefix == COMMAND_PREFIX or "/" not in text:
        return text
    return _COMMAND_REFERENCE.sub(lambda match: prefix + match.group("name"), text)


def command_references(text: str) -> list[str]:
    """The ``/command`` references in ``text`` (names without the slash)."""
    return [match.group("name") for match in _COMMAND_REFERENCE.finditer(text)]


NAVIGATION = frozenset((BACK, SKIP))


def _written_answer(reply: Reply, command_prefix: str) -> str:
    """A question answered in writing whose only buttons go back or skip it: those are named as the
    words to type ("retour", "passer"), without numbers, so that a number typed is never taken for them."""
    values = {choice.value for choice in reply.choices}
    key = (
        "render.hint_text_back_skip"
        if SKIP in values and BACK in values
        else "render.hint_text_skip"
        if SKIP in values
        else "render.hint_text_back"
    )
    lines = [reply.text, "", translate(reply.language, key)]
    return localise_commands("\n".join(lines), command_prefix)


def render_plain(reply: Reply, command_prefix: str = COMMAND_PREFIX) -> str:
    """The reply text, then its choices numbered from 1 and a hint on how to answer.

    Text-only platforms have no "Valider" button: a multi-choice is answered by typing numbers,
    and when some options are already ticked the hint says that "ok" keeps them.
    """
    if not reply.choices:
        return localise_commands(reply.text, command_prefix)
    lines = [reply.text, ""]
    selected = set(reply.selected)
    numbered = any(choice.number is not None for choice in reply.choices)  # their own numbers (a call's n°)
    navigation = not reply.multi and all(choice.value in NAVIGATION for choice in reply.choices)
    if navigation:  # a written answer: "↩ Retour" is a word to type, not a number ("1" is no name)
        return _written_answer(reply, command_prefix)
    for index, choice in enumerate(reply.choices, start=1):
        tick = " ✅" if choice.value in selected else ""
        mark = (f"{choice.number}." if choice.number is not None else "•") if numbered else f"{index}."
        lines.append(f"{mark} {choice.label}{tick}")
    if reply.multi:
        hint = translate(reply.language, "render.hint_multi")
        if selected:
            numbers = " ".join(str(i) for i, c in enumerate(reply.choices, start=1) if c.value in selected)
            hint += (
                f" ({translate(reply.language, 'render.selected')} : {numbers})"
                if reply.language == "fr"
                else (f" ({translate(reply.language, 'render.selected')}: {numbers})")
            )
            hint += " " + translate(reply.language, "render.hint_keep")
    elif reply.meta.get("takes_text") or all(choice.value.startswith("_") for choice in reply.choices):
        hint = translate(reply.language, "render.hint_text")
    elif (yes_no := reply.meta.get("yes_no")) is not None:  # a yes/no question: "oui"/"non", or its numbers
        hint = translate(reply.language, "render.hint_yes_no", yes=yes_no[0], no=yes_no[1])
    else:
        hint = translate(reply.language, "render.hint_single")
    lines.extend(("", hint))
    return localise_commands("\n".join(lines), command_prefix)
