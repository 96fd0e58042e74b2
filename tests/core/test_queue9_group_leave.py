"""Queue9 (1 December): a member of a working group runs /supprimer.

Her data was erased, but the group's coordinator and its other members were not told that a member
left, and the confirmation did not say she was in groups. Now the confirmation names each group she
will leave; after the erasure the coordinator and the members who said yes get « Un membre a quitté
le groupe « … » » — nothing of her (the erasure keeps nothing), never erased with her."""

from __future__ import annotations

import pytest

from tests.core.people import Person, deliver
from tests.core.test_groups import clock, invitation, make_group, rows, territory  # noqa: F401  (fixtures)

pytestmark = pytest.mark.backends

GROUP = "Ceinture alimentaire"
LEAVES = {"fr": f"vous quitterez le groupe « {GROUP} »", "en": f"you will leave the group “{GROUP}”"}
LEFT = {"fr": f"Un membre a quitté le groupe « {GROUP} »", "en": f"A member left the group “{GROUP}”"}
YES = {"fr": "Oui, tout supprimer", "en": "Yes, delete everything"}


async def _english(someone: Person) -> None:
    await someone.say("/settings")
    await someone.say("language")
    await someone.say("English")


async def _group_joined(app, adapters, people) -> None:  # type: ignore[no-untyped-def]
    """Marie's « Ceinture alimentaire »: the Asso du Tonkin, the Jardins and the Ferme join; the boulangerie does not answer."""
    console, _, matrix = adapters
    await make_group(people["marie"], "tonkin, gratte, jardins, ferme", GROUP, None)
    await people["marie"].press("Envoyer les invitations")
    await deliver(app)
    for name, adapter in (("asso", console), ("jardins", matrix), ("ferme", matrix)):
        person = people[name]
        await person.send(person.incoming(choice="join", prompt_id=invitation(adapter, person.user_id).prompt_id))
    await deliver(app)


def _since(adapter, chat: str, before: int) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(reply.text for reply in adapter.replies_to(chat)[before:])


@pytest.mark.parametrize(
    ("language", "command", "member"),
    [("fr", "/supprimer", "fr"), ("fr", "/delete", "fr"), ("en", "/delete", "fr"), ("en", "/supprimer", "en"), ("fr", "/supprimer", "en")],
)
async def test_a_member_who_erases_their_data_leaves_their_groups_and_they_are_told(
    territory,
    language: str,
    command: str,
    member: str,  # type: ignore[no-untyped-def]
) -> None:
    """``member``: the language of the Jardins (a member told); the coordinator, without a profile, is
    told in French as of every arrival in her group (services.groups._tell_coordinator)."""
    app, adapters, people = territory
    console, telegram, matrix = adapters
    asso = people["asso"]
    if language == "en":
        await _english(asso)
    await _group_joined(app, adapters, people)
    if member == "en":
        await _english(people["jardins"])
    seen = {
        chat: len(adapter.replies_to(chat))
        for chat, adapter in (("marie", console), ("@jardins:localhost", matrix), ("@ferme:localhost", matrix), ("boulangerie", telegram))
    }
    await asso.say(command)
    await asso.press(YES[language])
    assert rows(app, "SELECT 1 FROM actors WHERE name = 'Asso du Tonkin'") == []
    await deliver(app)
    told = _since(console, "marie", seen["marie"])
    assert LEFT["fr"] in told and "Tonkin" not in told, told
    for chat, said_in in (("@jardins:localhost", member), ("@ferme:localhost", "fr")):  # who said yes: told of arrivals, and of this
        said = _since(matrix, chat, seen[chat])
        assert LEFT[said_in] in said and "Tonkin" not in said, said
    assert LEFT["fr"] not in _since(telegram, "boulangerie", seen["boulangerie"])  # never joined: nothing to tell
    assert rows(app, "SELECT id FROM outbox WHERE payload LIKE '%Tonkin%'") == []  # nothing of her stays


@pytest.mark.parametrize("language", ["fr", "en"])
async def test_someone_in_no_group_is_told_of_no_group(territory, language: str) -> None:  # type: ignore[no-untyped-def]
    app, adapters, people = territory
    lille = people["lille"]
    if language == "en":
        await _english(lille)
    await lille.say("/supprimer")
    assert LEAVES[language].split("«")[0].split("“")[0] not in lille.question.text, lille.question.text


@pytest.mark.parametrize(("language", "command"), [("fr", "/supprimer"), ("fr", "/delete"), ("en", "/delete"), ("en", "/supprimer")])
async def test_the_confirmation_names_the_groups_left(territory, language: str, command: str) -> None:  # type: ignore[no-untyped-def]
    app, adapters, people = territory
    asso = people["asso"]
    if language == "en":
        await _english(asso)
    await _group_joined(app, adapters, people)
    await asso.say(command)
    assert LEAVES[language] in asso.question.text, asso.question.text
    assert rows(app, "SELECT 1 FROM actors WHERE name = 'Asso du Tonkin'") != []  # asked only
