"""Defects found by people trying the product from a fresh clone (start31, 2 Dec 2026):

1. a first message in two parts typed before /start (« salut on cherche qqn pour », then « réparer les vélos de
   l'asso ») lost its first part: the second became the presentation; and each line before /start was answered
   « Bonjour ! Tapez /start… » again, word for word;
2. the two parts of a need typed while a suggestion is on screen made two drafts;
3. /reglages in the middle of a need did not say the need was kept, and the end of its sentence typed there was
   refused;
4. /pause said only that suggestions pause (calls, reminders and invitations pause too), and a need published while
   paused said « Je vous suggérerai des partenaires »."""

from __future__ import annotations

import pytest

from tests.core.people import Person
from tests.core.test_coordination import rows
from tests.core.test_dur9_durations import _english
from tests.core.test_first_message_drafts import _finish
from tests.core.test_groups import clock  # noqa: F401  (fixture)
from tests.core.test_keep5_defects import _suggested
from tests.core.test_suggestions import two_sides  # noqa: F401  (fixture)

pytestmark = pytest.mark.backends


async def _onboard_after(someone: Person, english: bool, start: bool = True) -> list[str]:
    """From /start (typed unless ``start`` is False) to the saved profile, answering what is asked."""
    if start:
        await someone.say("/start")
    said = [someone.text()]
    for _ in range(8):
        question = someone.question
        if "thèmes" in question.text or "themes" in question.text:
            break
        labels = [choice.label for choice in question.choices]
        if "Association" in labels:
            await someone.press("Association")
        elif any("(69)" in label for label in labels):
            await someone.press(next(label for label in labels if "(69)" in label))
        elif "nom de votre structure" in question.text or "name of your" in question.text:
            await someone.say("Cycles Solidaires")
        elif "Dans quelle commune" in question.text or "municipality" in question.text:
            await someone.say("Villeurbanne")
        else:
            await someone.say("yes" if english else "oui")
        said.append(someone.text())
    await _finish(someone, said)
    return said


TWO_PARTS_BEFORE_START = [
    ("fr", ("salut on cherche qqn pour", "réparer les vélos de l'asso")),
    ("fr", ("Bonjour, nous aurions besoin de", "bénévoles pour tenir la buvette de la fête de quartier")),
    ("fr", ("slt c la tresoriere du club de foot, on cherche quelqu'un pour", "nous aider à faire la compta")),
    ("fr", ("on voudrait trouver une salle pour", "nos répétitions de théâtre le jeudi soir")),
    ("en", ("hi we're looking for someone to", "fix the bikes of our club")),
    ("en", ("Hello, we need volunteers for", "the food bank on Saturday mornings")),
]


@pytest.mark.parametrize(("language", "parts"), TWO_PARTS_BEFORE_START)
async def test_a_need_in_two_parts_before_start_is_the_need_draft_as_when_whole(app, person, language: str, parts: tuple[str, str]) -> None:
    """Both parts make one sentence, kept and said; after the profile it is the need draft, exactly as the
    whole sentence typed in one message is; nothing of it becomes the presentation."""
    english = language == "en"
    results = []
    for user, lines in (("cut", parts), ("whole", (f"{parts[0]} {parts[1]}",))):
        someone: Person = person(user, language)
        for line in lines:
            await someone.say(line)
        said = await _onboard_after(someone, english)
        description = rows(app, "SELECT name, description FROM actors ORDER BY id DESC")[0]
        results.append((description, said[0], someone))
    (cut_description, cut_start, cut), (whole_description, whole_start, whole) = results
    assert cut_description == whole_description and parts[1] not in str(cut_description), (cut_start, whole_start)
    assert parts[1] in cut_start and (parts[0].split()[-2] in cut_start), cut_start  # the whole sentence, said at /start
    for someone in (cut, whole):
        await someone.say("/need" if english else "/besoin")
    assert cut.text().replace("cut", "") == whole.text().replace("whole", ""), (cut.text(), whole.text())


@pytest.mark.parametrize(("language", "parts"), TWO_PARTS_BEFORE_START)
async def test_lines_typed_before_start_are_joined_and_never_answered_twice_alike(
    app, person, language: str, parts: tuple[str, str]
) -> None:
    someone: Person = person("new", language)
    answers = []
    for line in ("bonjour" if language == "fr" else "hello", *parts, "merci" if language == "fr" else "thanks"):
        await someone.say(line)
        answers.append(someone.text())
    assert len(set(answers)) == len(answers), answers  # never the same reply again, word for word
    greeting = "Bonjour !" if language == "fr" else "Hello!"
    assert greeting in answers[0] and not any(greeting in answer for answer in answers[1:]), answers  # greeted once
    answers = answers[1:]
    joined = answers[1]
    assert parts[0].split()[-1] in joined and parts[1] in joined and "/start" in joined, joined  # one sentence, and how to go on
    assert ("suite" in answers[0] or "rest" in answers[0]) and "/start" in answers[0], answers[0]  # its end awaited, said


@pytest.mark.parametrize(
    ("language", "fragment", "rest"),
    [
        ("fr", "on cherche aussi qqn pour", "faire la compta de l'asso"),
        ("fr", "il nous faudrait des bénévoles pour", "le tri des vêtements le mercredi"),
        ("fr", "on peut aussi prêter notre camion à", "des assos du quartier le dimanche"),
        ("en", "we also need someone to", "do the accounts of our charity"),
        ("en", "we are also looking for volunteers for", "sorting clothes on Wednesdays"),
    ],
)
async def test_two_parts_typed_at_a_suggestion_make_one_draft(two_sides, language: str, fragment: str, rest: str) -> None:
    app, alice, _ = two_sides
    token = await _suggested(app, alice, language == "en")
    await alice.say(fragment)
    await alice.say(rest)
    said = alice.text()
    assert alice.question.prompt_id == token, said  # the suggestion still waiting for its answer
    assert rest in said, said
    await alice.say("/listings" if language == "en" else "/annonces")
    listed = alice.text()
    joint = f"{fragment.split()[-1]} {rest.split()[0]}"  # both parts, one sentence
    assert joint in listed and ("Gardé aussi" not in listed and "Also kept" not in listed), listed  # one draft, the whole need
    assert len(rows(app, "SELECT id FROM listings")) == 2  # nothing published by it


async def _need_cut_in_two(alice: Person, language: str, fragment: str) -> str:
    await alice.onboard()
    if language == "en":
        await _english(alice)
    await alice.say("/need" if language == "en" else "/besoin")
    await alice.say("1")
    await alice.say(fragment)
    return alice.question.text


@pytest.mark.parametrize(
    ("language", "command", "fragment", "rest"),
    [
        ("fr", "/reglages", "on cherche qqn pour", "réparer les vélos de l'asso"),
        ("fr", "/réglages", "il nous faudrait des bras pour", "la distribution du samedi matin"),
        ("en", "/settings", "we need someone to", "fix the bikes of our club"),
    ],
)
async def test_settings_in_the_middle_of_a_need_say_it_is_kept_and_take_its_end(
    app, person, language: str, command: str, fragment: str, rest: str
) -> None:
    alice: Person = person()
    asked = await _need_cut_in_two(alice, language, fragment)
    await alice.say(command)
    said = alice.text()
    assert fragment in said and ("Je garde" in said or "I'm keeping" in said) and ("annuler" in said or "cancel" in said), said
    await alice.say(rest)
    said = alice.text()
    assert f"{fragment} {rest}" in said, said  # its end, joined and said
    assert asked == alice.question.text and ("zone" in asked or "area" in asked), said  # back at the need, its zone
    await alice.say("1")
    [(description,)] = rows(app, "SELECT description FROM listings")
    assert description.lower() == f"{fragment} {rest}".lower(), alice.text()


@pytest.mark.parametrize(("language", "command"), [("fr", "/reglages"), ("en", "/settings")])
async def test_a_settings_answer_is_still_a_settings_answer_in_the_middle_of_a_need(app, person, language: str, command: str) -> None:
    alice: Person = person()
    await _need_cut_in_two(alice, language, "on cherche qqn pour" if language == "fr" else "we need someone to")
    await alice.say(command)
    await alice.say("3")  # the alerts
    assert "prévenu" in alice.question.text or "hear about it" in alice.question.text, alice.text()


@pytest.mark.parametrize("language", ["fr", "en"])
async def test_pause_says_everything_that_pauses(app, person, language: str) -> None:
    alice: Person = person()
    await alice.onboard()
    if language == "en":
        await _english(alice)
    await alice.say("/pause")
    said = alice.text().lower()
    words = (
        ("suggestions", "appels", "événements", "groupes", "/reprendre")
        if language == "fr"
        else ("suggestions", "calls", "events", "working groups", "/resume")
    )
    assert all(word in said for word in words), said


@pytest.mark.parametrize(
    ("language", "command", "description", "said"),
    [
        ("fr", "/besoin", "On cherche des bénévoles pour la distribution du samedi matin", "quand elles reprendront"),
        ("fr", "/offre", "On peut prêter notre salle le lundi soir aux associations", "quand elles reprendront"),
        ("en", "/need", "We need volunteers for the food bank on Saturday mornings", "once they resume"),
        ("en", "/offer", "We can lend our hall on Monday evenings to local charities", "once they resume"),
    ],
)
async def test_a_listing_published_while_paused_says_when_suggestions_come(
    app, person, language: str, command: str, description: str, said: str
) -> None:
    alice: Person = person()
    await alice.onboard()
    if language == "en":
        await _english(alice)
    await alice.say("/pause")
    await alice.say(command)
    await alice.say("1")
    await alice.say(description)
    await alice.say("1")
    text = alice.text()
    assert rows(app, "SELECT id FROM listings") != [], text
    assert said in text and ("/reprendre" in text or "/resume" in text), text
    assert "Je vous suggérerai des partenaires qui peuvent y répondre." not in text and "I will suggest partners who can help." not in text
    await alice.say("/reprendre" if language == "fr" else "/resume")
    await alice.say(command)
    await alice.say("1")
    await alice.say(description + " (2)")
    await alice.say("1")
    assert said not in alice.text(), alice.text()  # not paused: as before


@pytest.mark.parametrize(("language", "parts"), TWO_PARTS_BEFORE_START[::2])
async def test_the_end_typed_after_start_goes_on_with_the_beginning_typed_before(
    app, person, language: str, parts: tuple[str, str]
) -> None:
    """The beginning before /start, its end at the first question: one need draft, the whole sentence."""
    someone: Person = person("late", language)
    await someone.say(parts[0])
    await someone.say("/start")
    asked = someone.question.text
    await someone.say(parts[1])
    said = someone.text()
    assert f"{parts[0].split()[-1]} {parts[1]}" in said and someone.question.text == asked, said  # joined, the type asked again
    said_all = await _onboard_after(someone, language == "en", start=False)
    assert parts[1] in said_all[-1], said_all  # the draft announced with the profile: the whole sentence
