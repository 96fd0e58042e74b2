"""stop30 at a working group's invitation (the same reading as at a suggestion or an introduction request):
a need or an offer said with the yes is kept as a draft and said, the yes still taken."""

from __future__ import annotations

import pytest

from tests.core.people import deliver
from tests.core.test_groups import clock, invitation, make_group, rows, territory  # noqa: F401  (fixtures)
from tests.core.test_keep5_defects import _to_english

pytestmark = pytest.mark.backends


async def _invited(app, people, english: bool):  # type: ignore[no-untyped-def]
    asso = people["asso"]
    if english:
        await _to_english(asso)
    await make_group(people["marie"], "tonkin, gratte", "Ceinture alimentaire", None)
    await people["marie"].press("Envoyer les invitations")
    await deliver(app)
    return asso


@pytest.mark.parametrize(
    ("english", "typed", "word"),
    [
        (False, "Ça nous intéresse beaucoup. Nous pourrions aussi mettre notre chambre froide à disposition des membres", "chambre froide"),
        (True, "Count us in, sounds great! btw we also need volunteers for our Saturday food drive", "volunteers"),
    ],
)
async def test_a_yes_with_an_offer_at_a_group_invitation_takes_both(territory, english: bool, typed: str, word: str) -> None:
    app, (console, _, _), people = territory
    asso = await _invited(app, people, english)
    invitation(console, "asso")
    await asso.say(typed)
    said = asso.text()
    assert rows(app, "SELECT COUNT(*) FROM group_members WHERE status = 'accepted'") == [(1,)], said  # the yes taken
    assert word in said and ("draft" in said if english else "brouillon" in said), said
