"""Defects found by the safety trial of 1 December 2026 (helper safety4). Each test failed before its fix."""

from __future__ import annotations

import pytest

from tests.backends import connect
from tests.core.test_coordination import territory  # noqa: F401  (fixture)

# ---------------------------------------------------------------- 2. /delete is as strict in English as /supprimer in French


async def _to_english(person) -> None:  # noqa: ANN001
    await person.say("/reglages")
    await person.press("Langue")
    await person.press("English")


def _has_profile(app, user: str) -> bool:  # noqa: ANN001
    with connect(app.config.db) as conn:
        return conn.execute("SELECT COUNT(*) FROM identities WHERE user_id = ?", (user,)).fetchone() != (0,)


@pytest.mark.parametrize(
    ("language", "command", "refused", "accepted"),
    [
        ("fr", "/supprimer", ("oui", "Oui !", "yes", "ouais", "oui tout"), "Oui, tout supprimer"),
        ("fr", "/supprimer", ("oui",), "1"),
        ("en", "/delete", ("yes", "Yes!", "y", "yeah", "yes delete", "oui"), "Yes, delete everything"),
        ("en", "/delete", ("yes", "YES"), "1"),
    ],
)
async def test_an_irreversible_deletion_takes_only_its_option_or_number_in_every_language(
    territory, language: str, command: str, refused: tuple[str, ...], accepted: str
) -> None:
    """Tester: « oui » at /supprimer was refused but « yes » at /delete deleted everything at once (the
    option's internal value "yes" was accepted as if it were its label)."""
    app, _, people = territory
    asso = people["asso"]
    if language == "en":
        await _to_english(asso)
    await asso.say(command)
    for answer in refused:
        await asso.say(answer)
        assert _has_profile(app, "asso"), answer
        assert "Toutes vos données" not in asso.text() and "All your data" not in asso.text(), answer
    await asso.say(accepted)
    assert not _has_profile(app, "asso")
    assert "Toutes vos données sont supprimées" in asso.text() or "All your data is deleted" in asso.text(), asso.text()


@pytest.mark.parametrize(("language", "command", "keep"), [("fr", "/supprimer", "non"), ("en", "/delete", "no")])
async def test_no_at_a_deletion_keeps_everything_in_every_language(territory, language: str, command: str, keep: str) -> None:
    """The answer that changes nothing stays accepted in words."""
    app, _, people = territory
    asso = people["asso"]
    if language == "en":
        await _to_english(asso)
    await asso.say(command)
    await asso.say(keep)
    assert _has_profile(app, "asso")
    assert "Rien n'a été supprimé" in asso.text() or "Nothing was deleted" in asso.text(), asso.text()
