"""New-user trial of 1 Dec 2026: « je m inscris » with two events open asked which, then showed the
event chosen with « 1. M'inscrire » (one more message), and the list offered the event she was
already registered for. The event chosen after a wish to sign up is signed up at once, and events
already joined are not offered. Failed before the fix."""

from __future__ import annotations

import pytest

from tests.core.test_coordination import rows, territory  # noqa: F401  (fixture)
from tests.core.test_event_listing_defects import files, publish

pytestmark = pytest.mark.backends


def _registered(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        title
        for (title,) in rows(
            app,
            "SELECT e.title FROM event_people p JOIN events e ON e.id = p.event_id JOIN actors a ON a.id = p.actor_id"
            " WHERE a.name = 'Asso du Tonkin' AND p.status = 'registered' ORDER BY e.title",
        )
    ]


async def test_the_event_chosen_after_je_m_inscris_is_signed_up_at_once_and_joined_ones_are_not_offered(territory) -> None:
    app, _, people = territory
    marie, asso = people["marie"], people["asso"]
    await publish(marie, title="Forum des associations")
    await publish(marie, title="Apéro des bénévoles", days=12)
    await publish(marie, title="Atelier numérique", days=14)
    await asso.say("je m inscris")  # at the menu, three events: which one
    labels = [choice.label for choice in asso.question.choices if "Retour" not in choice.label]
    assert "À quel événement" in asso.text() and len(labels) == 3, (asso.text(), labels)
    await asso.press(next(label for label in labels if "Apéro" in label))
    assert "Inscrit·e à « Apéro des bénévoles »" in asso.text() and len(files(asso)) == 1, asso.text()
    assert "M'inscrire" not in [choice.label for choice in asso.question.choices]
    assert _registered(app) == ["Apéro des bénévoles"]
    await asso.say("je m'inscris")  # again: the two left, not the one joined
    labels = [choice.label for choice in asso.question.choices if "Retour" not in choice.label]
    assert len(labels) == 2 and not any("Apéro" in label for label in labels), labels
    await asso.say("2")
    assert "Inscrit·e à «" in asso.text(), asso.text()
    assert len(_registered(app)) == 2
    await asso.say("/evenements")
    await asso.say("je viens")  # at the list: the only event not joined yet, at once
    assert len(_registered(app)) == 3, asso.text()
