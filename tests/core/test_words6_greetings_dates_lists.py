"""Words as people read them (testers playing new users, 1 Dec 2026): a greeting with its audience
(« Bonjour à toutes et à tous, … ») was cut after « à toutes », and the published description began
« Et à tous, … »; the whole greeting phrase goes now. Each test failed before its fix; the guards
beside them pass on both."""

from __future__ import annotations

import pytest

from conversations.understanding import without_courtesy
from tests.core.people import Person
from tests.core.test_coordination import rows

pytestmark = pytest.mark.backends

GREETED = [
    (
        "fr",
        "Bonjour à toutes et à tous, pour la fête des voisins du 20 juin on a besoin de bénévoles",
        "Pour la fête des voisins du 20 juin on a besoin de bénévoles",
    ),
    ("fr", "Bonjour à toutes et à tous ! on a besoin d un local pour stocker nos tables", "On a besoin d un local pour stocker nos tables"),
    ("fr", "bonjour a toutes et a tous, on cherche des bénévoles pour samedi", "On cherche des bénévoles pour samedi"),
    ("fr", "Bonjour à tous et à toutes, on cherche des bénévoles pour samedi", "On cherche des bénévoles pour samedi"),
    ("fr", "Bonjour à toutes et tous, on cherche des bénévoles pour samedi", "On cherche des bénévoles pour samedi"),
    ("fr", "Bonjour à vous tous, on cherche des bénévoles pour samedi", "On cherche des bénévoles pour samedi"),
    ("fr", "Bonsoir tout le monde, on cherche des bénévoles pour samedi", "On cherche des bénévoles pour samedi"),
    ("fr", "slt tt le monde on cherche des benevoles pour samedi", "On cherche des benevoles pour samedi"),
    ("en", "Hello everybody, we are looking for volunteers on Saturday", "We are looking for volunteers on Saturday"),
    ("en", "Hello to all, we are looking for volunteers on Saturday", "We are looking for volunteers on Saturday"),
    ("en", "Hi all of you! We are looking for volunteers on Saturday", "We are looking for volunteers on Saturday"),
    ("en", "hey guys, we are looking for volunteers on Saturday", "We are looking for volunteers on Saturday"),
]

KEPT = [  # guards: what worked still works, and words after a greeting that are no audience stay
    ("fr", "Bonjour à tous, on cherche des bénévoles pour samedi", "On cherche des bénévoles pour samedi"),
    ("fr", "Salut tout le monde, on cherche des bénévoles pour samedi", "On cherche des bénévoles pour samedi"),
    ("en", "Hello everyone, we are looking for volunteers on Saturday", "We are looking for volunteers on Saturday"),
    ("en", "hi all, we are looking for volunteers on Saturday", "We are looking for volunteers on Saturday"),
    ("fr", "Bonjour, tous les samedis on cherche des bénévoles", "Tous les samedis on cherche des bénévoles"),
    ("fr", "Bonjour toutes les bonnes volontés sont les bienvenues samedi", "Toutes les bonnes volontés sont les bienvenues samedi"),
]


@pytest.mark.parametrize(("language", "typed", "kept"), GREETED + KEPT)
def test_the_whole_greeting_goes(language: str, typed: str, kept: str) -> None:
    assert without_courtesy(typed) == kept


async def _onboarded(person, language: str) -> Person:
    someone: Person = person("alice", language)
    if language == "fr":
        await someone.onboard()
    else:
        from tests.core.test_split5_several_listings import _english

        await _english(someone)
    return someone


@pytest.mark.parametrize(("language", "typed", "kept"), GREETED[:3] + GREETED[8:10] + KEPT[:1])
async def test_the_published_description_has_no_greeting_left(app, person, language: str, typed: str, kept: str) -> None:
    alice = await _onboarded(person, language)
    await alice.say(typed)
    said = [alice.text()]
    for _ in range(3):  # category or zone asked: the first choice, until it is published
        if rows(app, "SELECT description FROM listings"):
            break
        await alice.press(alice.question.choices[0].label)
        said.append(alice.text())
    assert rows(app, "SELECT description FROM listings") == [(kept,)], said


# ---------------------------------------------------------------- 2. the first of a month in French

from conversations.calls import show_day  # noqa: E402
from conversations.expiry import format_day_in  # noqa: E402


@pytest.mark.parametrize(
    ("iso_day", "language", "written"),
    [
        ("2027-03-01", "fr", "1er mars 2027"),
        ("2027-01-01T00:00:00", "fr", "1er janvier 2027"),
        ("2027-03-02", "fr", "2 mars 2027"),  # guard: other days as before
        ("2027-03-11", "fr", "11 mars 2027"),  # guard: « 11 » is no « 1 »
        ("2027-03-01", "en", "March 1, 2027"),  # guard: English unchanged
    ],
)
def test_the_first_of_a_month_is_1er_in_french(iso_day: str, language: str, written: str) -> None:
    assert format_day_in(iso_day, language) == written


@pytest.mark.parametrize(
    ("moment", "language", "written"),
    [
        ("2027-03-01T10:00:00+00:00", "fr", "1er mars 2027"),
        ("2027-03-21T10:00:00+00:00", "fr", "21 mars 2027"),
        ("2027-03-01T10:00:00+00:00", "en", "Mar 1, 2027"),
    ],
)
def test_a_short_day_says_1er_too(moment: str, language: str, written: str) -> None:
    assert show_day(moment, "Europe/Paris", language) == written


# ---------------------------------------------------------------- 3. themes in a sentence joined the language's way

from conversations.decisions import explanation  # noqa: E402


@pytest.mark.parametrize(
    ("themes", "language", "written"),
    [
        (("environnement", "mobilite"), "en", "you both work for the environment and mobility in the same commune"),
        (("environnement", "mobilite"), "fr", "vous agissez tous deux pour l'environnement et la mobilité dans la même commune"),
        (("alimentation", "environnement", "sante"), "fr", "vous agissez tous deux pour l'alimentation, l'environnement et la santé"),
        (("alimentation", "environnement", "sante"), "en", "you both work for food, the environment and health in the same commune"),
        (["environnement", "mobilite"], "en", "you both work for the environment and mobility in the same commune"),  # stored as JSON
        (("alimentation",), "fr", "vous agissez tous deux pour l'alimentation dans la même commune"),  # guard: one theme
    ],
)
def test_themes_in_a_suggestion_are_joined_with_and(themes: tuple[str, ...], language: str, written: str) -> None:
    said = explanation((("match.together_same_commune", {"themes_the": themes}),), language)
    assert said.startswith(written), said
