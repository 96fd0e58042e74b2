"""A duration typed just after publishing, followed by another need or offer in the same message
(« pour 6 mois, on cherche aussi un local »): dur9 read the duration and dropped the rest of the message
without a word. The duration changes the listing just published, and the rest is kept as a draft, said."""

from __future__ import annotations

import pytest

from tests.core.test_coordination import rows, territory  # noqa: F401  (fixture)
from tests.core.test_dur9_durations import _english, _months_on, _today
from tests.core.test_event_listing_defects import _month_end, expiries, publish_need

pytestmark = pytest.mark.backends


@pytest.mark.parametrize(
    ("english", "typed", "word", "command", "months"),
    [
        (False, "pour 6 mois, on cherche aussi un local pour stocker", "local", "/besoin", 6),
        (False, "jusqu'à fin juin. Et on peut prêter notre camion le dimanche", "camion", "/offre", None),
        (True, "for 6 months, and we are also looking for a storage room", "storage room", "/need", 6),
        (True, "until the end of June. We can also lend our van on Sundays", "van", "/offer", None),
    ],
)
async def test_a_wish_after_a_duration_is_kept_as_a_draft(
    territory, english: bool, typed: str, word: str, command: str, months: int | None
) -> None:
    app, _, people = territory
    asso = people["asso"]
    if english:
        await _english(asso)
        await publish_need(asso, "We are looking for volunteers to hand out food on Saturday mornings")
    else:
        await publish_need(asso)
    await asso.say(typed)
    said = asso.text()
    expected = _months_on(_today(), months).isoformat() if months else _month_end(6)
    assert expiries(app) == [expected], said  # the duration: the listing just published
    assert word in said and ("draft" in said if english else "brouillon" in said), said  # the rest: kept, said
    assert command in said, said
    await asso.say(command)  # taken up as a sentence typed at the menu would be
    assert word in asso.text(), asso.text()


async def test_an_explanation_after_a_duration_is_no_draft(territory) -> None:
    app, _, people = territory
    asso = people["asso"]
    await publish_need(asso)
    await asso.say("Jusqu'au dimanche 13 juin inclus, date de la manifestation.")
    said = asso.text()
    assert "brouillon" not in said, said
    assert rows(app, "SELECT COUNT(*) FROM listings") == [(1,)]
    assert expiries(app)[0].endswith("-06-13"), said
