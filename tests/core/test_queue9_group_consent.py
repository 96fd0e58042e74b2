"""Queue9 (1 December): a group invitation respects « pas d'appels » and /pause, as calls do.

Someone who declined coordinators' calls, or is on /pause, still received a coordinator's group
invitation. An invitation to a group is a solicitation like a call: they are not invited, and the
coordinator is told how many of the chosen actors are left out and why — counted, never named
(a call's preview counts, never names, those it does not reach) — in the preview and once sent."""

from __future__ import annotations

import pytest

from tests.core.people import Person, deliver
from tests.core.test_groups import clock, onboard, rows, territory  # noqa: F401  (fixtures)

pytestmark = pytest.mark.backends

INVITED = {"fr": "{n} acteurs invités", "en": "{n} actors invited"}
SENT = {"fr": "j'ai invité {n} acteurs", "en": "I invited {n} actors"}
NO_CALLS = {
    "fr": "{n} acteur choisi n'est pas invité : il n'accepte pas les appels",
    "en": "{n} chosen actor is not invited: they do not accept",
}
PAUSED = {"fr": "{n} acteur choisi n'est pas invité : il est en pause", "en": "{n} chosen actor is not invited: they paused"}
SMALL = {"fr": "Un groupe réunit au moins 2 acteurs (ici : 1)", "en": "(here: 1)"}


async def _english(someone: Person) -> None:
    await someone.say("/settings")
    await someone.say("language")
    await someone.say("English")


async def _others(app, adapters, people, how: str) -> None:  # type: ignore[no-untyped-def]
    """The Épicerie declined calls (``how``: its answer to the consents question), the Recyclerie is on /pause."""
    console = adapters[0]
    people["epicerie"] = Person(app.runtime, console, "epicerie")
    people["recyclerie"] = Person(app.runtime, console, "recyclerie")
    epicerie = people["epicerie"]
    if how in ("Les suggestions seulement",):  # a button
        await epicerie.onboard("Épicerie Solidaire", "Villeurbanne", themes=("Alimentation",), consent=how)
    else:  # later, in /profil
        await epicerie.onboard("Épicerie Solidaire", "Villeurbanne", themes=("Alimentation",), consent="Oui aux deux")
        await epicerie.say("/profil")
        await epicerie.press("Appels des coordinateurs")
        await epicerie.press(how)
        assert rows(app, "SELECT 1 FROM actors WHERE name = 'Épicerie Solidaire' AND consent_calls = FALSE"), epicerie.text()
    await onboard(people["recyclerie"], "Recyclerie Croix-Luizet")
    await people["recyclerie"].say("/pause")


async def _group(marie: Person, language: str, names: str) -> str:
    """Marie's /groupe of ``names`` up to its preview; the preview's text."""
    await marie.say("/groupe" if language == "fr" else "/group")
    await marie.press("Des acteurs que je choisis" if language == "fr" else "Actors I choose")
    await marie.say(names)
    await marie.say("ok")
    await marie.say("Ceinture alimentaire")
    return marie.question.text


def _invited(app, name: str) -> bool:  # type: ignore[no-untyped-def]
    return bool(rows(app, "SELECT 1 FROM group_members m JOIN actors a ON a.id = m.actor_id WHERE a.name = ?", name))


@pytest.mark.parametrize(
    ("language", "names", "how"),
    [
        ("fr", "jardins, ferme, épicerie, recyclerie", "Les suggestions seulement"),
        ("fr", "Jardins Partagés et Ferme Urbaine et Épicerie Solidaire et Recyclerie Croix-Luizet", "Non"),
        ("en", "jardins, ferme, epicerie, recyclerie", "Les suggestions seulement"),
        ("en", "jardins and ferme and épicerie and recyclerie", "Non"),
    ],
)
async def test_who_declined_calls_or_paused_is_not_invited_and_the_coordinator_knows_how_many(
    territory,
    language: str,
    names: str,
    how: str,  # type: ignore[no-untyped-def]
) -> None:
    app, adapters, people = territory
    await _others(app, adapters, people, how)
    marie = people["marie"]
    if language == "en":
        await _english(marie)
    preview = await _group(marie, language, names)
    assert INVITED[language].format(n=2) in preview, preview
    assert NO_CALLS[language].format(n=1) in preview and PAUSED[language].format(n=1) in preview, preview
    await marie.press("Envoyer les invitations" if language == "fr" else "Send the invitations")
    said = marie.text()
    assert SENT[language].format(n=2) in said, said
    assert NO_CALLS[language].format(n=1) in said and PAUSED[language].format(n=1) in said, said
    assert "Épicerie" not in said and "Recyclerie" not in said, said  # counted, never named
    await deliver(app)
    for name in ("epicerie", "recyclerie"):
        assert not any(reply.prompt_id and reply.prompt_id.startswith("G") for reply in adapters[0].replies_to(name)), name
    assert not _invited(app, "Épicerie Solidaire") and not _invited(app, "Recyclerie Croix-Luizet")
    assert _invited(app, "Jardins Partagés") and _invited(app, "Ferme Urbaine")


@pytest.mark.parametrize("language", ["fr", "en"])
async def test_a_group_left_with_one_actor_who_may_be_invited_is_not_created(territory, language: str) -> None:  # type: ignore[no-untyped-def]
    app, adapters, people = territory
    await _others(app, adapters, people, "Les suggestions seulement")
    marie = people["marie"]
    if language == "en":
        await _english(marie)
    await _group(marie, language, "jardins, recyclerie")
    await marie.press("Envoyer les invitations" if language == "fr" else "Send the invitations")
    said = marie.text()
    assert SMALL[language] in said and PAUSED[language].format(n=1) in said, said
    assert rows(app, "SELECT 1 FROM working_groups") == []
