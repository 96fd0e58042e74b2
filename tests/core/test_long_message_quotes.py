"""New-user trial of 1 Dec 2026: a 3,000-character message at the menu was quoted back at ~1,000
characters, and again at every re-prompt. A question or a refusal quotes at most one line of
about 120 characters of what a person typed, cut at a word. Failed before the fix."""

from __future__ import annotations

import re

from bot.app import App

LONG = " ".join(
    f"On cherche des bénévoles pour la distribution numéro {n} du samedi matin,\nde 8 h à 12 h, au local de la rue Francis de Pressensé."
    for n in range(23)
)  # ~3,000 characters over 23 lines


def _quotes(text: str) -> list[str]:
    return re.findall(r"«\s*(.*?)\s*»", text, re.DOTALL)


def _assert_short(replies: list, what: str) -> None:  # type: ignore[type-arg]
    shown = "\n".join(reply.text for reply in replies)
    assert len(shown) < 900, (what, len(shown), shown[:300])
    for quote in _quotes(shown):
        assert len(quote) <= 121 and "\n" not in quote, (what, quote)


async def test_a_long_message_is_quoted_by_a_short_excerpt_at_every_question(app: App, person) -> None:
    alice = person("alice")
    await alice.onboard("Les Amis du Quartier", "Villeurbanne")
    assert 2900 < len(LONG) < 3100
    _assert_short(await alice.say(LONG), "the message at the menu")
    assert "On cherche des bénévoles pour la distribution numéro 0" in alice.question.text
    _assert_short(await alice.say("peut-être bien"), "a refused answer")
    _assert_short(await alice.say("oui"), "the kept text, then the zone")
    _assert_short(await alice.say("n'importe quoi de pas clair"), "a refused zone")
