"""Defects found by a person playing a new user in the console (stop30, 1 Dec 2026):

1. a message sent in two parts became a listing with a meaningless description: during onboarding
   « on cherche qqn pour » then « nous aider a faire la compta … » were two drafts, the first resumed by
   /besoin without its description asked, and published as « On cherche qqn pour »; at the menu the second
   part, refused at the category question, was thrown away;
2. at the zone question « ok » was silently taken as the commune;
3. /reglages, /settings or /pause typed in the middle of a need or an offer left it as a draft silently
   (the menu came back); and paused, the settings' options were renumbered."""

from __future__ import annotations

import pytest

from tests.core.people import Person
from tests.core.test_coordination import rows
from tests.core.test_dur9_durations import _english
from tests.core.test_first_message_drafts import _finish

pytestmark = pytest.mark.backends


# ---------------------------------------------------------------- 1. what a sentence cut in two is


@pytest.mark.parametrize(
    "text",
    [
        "on cherche qqn pour",
        "On cherche aussi qqn pour",
        "nous aurions besoin de",
        "on peut prêter notre salle avec",
        "des bénévoles et",
        "il nous faudrait le",
        "on cherche des bras pour la…",
        "on cherche des bras pour la...",
        "on voudrait des gens qui",
        "we need someone to",
        "We can lend our van for",
        "looking for volunteers with",
        "we need help with the",
        "tables and",
    ],
)
def test_a_sentence_cut_in_two_is_unfinished(text: str) -> None:
    from conversations.understanding import unfinished  # new: imported here, the base fails row by row

    assert unfinished(text)


@pytest.mark.parametrize(
    "text",
    [
        "On cherche des bénévoles pour la distribution du samedi matin",
        "on peut prêter notre salle le lundi",
        "nous aider à faire la compta de l'asso",
        "On cherche un local.",
        "Qui peut nous aider ?",
        "des bénévoles pour le tri, la distribution, etc...",
        "tables, chairs, etc…",
        "we need a van on Saturday",
        "We can lend our hall.",
        "",
    ],
)
def test_a_whole_sentence_is_not_unfinished(text: str) -> None:
    from conversations.understanding import unfinished

    assert not unfinished(text)


def test_both_parts_make_one_sentence() -> None:
    from conversations.understanding import completed

    assert completed("On cherche qqn pour", "tondre la pelouse") == "On cherche qqn pour tondre la pelouse"
    assert completed("on cherche des bras pour la…", "…distribution") == "on cherche des bras pour la distribution"
    assert completed("on cherche qqn pour", "On cherche qqn pour tondre") == "On cherche qqn pour tondre"  # typed again whole


# ---------------------------------------------------------------- 1. during onboarding: the second part completes the draft


@pytest.mark.parametrize(
    ("first", "rest", "whole"),
    [
        (
            "Hi, I'm the treasurer of the Bron Choir, we need someone to",
            "help with our accounts every month",
            "We need someone to help with our accounts every month",
        ),
        (
            "Bonjour, je suis trésorière de l'amicale laïque de bron, on cherche qqn pour",
            "nous aider a faire la compta de l'asso chaque mois",
            "On cherche qqn pour nous aider a faire la compta de l'asso chaque mois",
        ),
        (
            "slt c le club photo de caluire, on cherche des bénévoles pour",
            "accrocher notre expo de juin",
            "On cherche des bénévoles pour accrocher notre expo de juin",
        ),
        (
            "je suis président de la chorale de st priest, il nous faudrait quelqu'un avec",
            "une voiture pour porter les pupitres",
            "Il nous faudrait quelqu'un avec une voiture pour porter les pupitres",
        ),
    ],
)
async def test_the_second_part_of_a_need_typed_in_onboarding_completes_it(app, person, first: str, rest: str, whole: str) -> None:
    english = first.startswith("Hi")
    someone: Person = person("someone", "en" if english else "fr")
    await someone.say("/start")
    await someone.say(first)
    asked = someone.question.text
    await someone.say(rest)
    said = someone.text()
    whole = f"“{whole}”" if english else f"« {whole} »"
    assert whole in said and someone.question.text == asked, said  # one sentence, the question again
    said_all = [said]
    for _ in range(5):  # up to the themes: the type, the commune (typed when not read), its confirmation
        question = someone.question
        if "thèmes" in question.text or "themes" in question.text:
            break
        labels = [choice.label for choice in question.choices]
        if "Association" in labels:
            await someone.press("Association")
        elif any("(69)" in label for label in labels):  # « Plusieurs communes correspondent » : the one of the Rhône
            await someone.press(next(label for label in labels if "(69)" in label))
        elif "municipality" in question.text or ("commune" in question.text and not labels):
            await someone.say("Villeurbanne")
        else:
            await someone.say("yes" if english else "oui")
        said_all.append(someone.text())
    await _finish(someone, said_all)
    assert whole in said_all[-1] or whole[:58] in said_all[-1], said_all  # the draft announced: the whole sentence
    await someone.say("/need" if english else "/besoin")
    for _ in range(3):  # its category when not read, the zone
        if rows(app, "SELECT id FROM listings"):
            break
        assert "Décrivez" not in someone.question.text and "Describe" not in someone.question.text, (
            someone.text()
        )  # never its description asked again
        await someone.press(someone.question.choices[0].label)
    assert rows(app, "SELECT description FROM listings") == [(whole.strip("«»“” "),)], someone.text()


@pytest.mark.parametrize(
    ("language", "fragment", "rest"),
    [
        ("fr", "on cherche qqn pour", "faire la compta de l'asso chaque mois"),
        ("fr", "on cherche des bénévoles pour", "la distribution du samedi matin"),
        ("fr", "on peut prêter notre camion à", "des associations du quartier le dimanche"),
        ("en", "we need someone to", "help with our accounts every month"),
        ("en", "We are looking for volunteers for", "our food bank on Saturdays"),
    ],
)
async def test_a_draft_that_is_a_fragment_is_never_published_without_its_end(app, person, language: str, fragment: str, rest: str) -> None:
    """Nothing followed the beginning: /besoin asks its end (said why) before the zone, and joins it."""
    alice: Person = person()
    await alice.onboard()
    if language == "en":
        await _english(alice)
    await alice.say(fragment)
    for _ in range(3):  # its category (asked, or kept as read), never its zone before its end
        if "Décrivez" in alice.question.text or "Describe" in alice.question.text:
            break
        assert "zone" not in alice.question.text and "area" not in alice.question.text, alice.text()
        await alice.press(alice.question.choices[0].label)
        said = alice.text()
    said = alice.text()
    assert ("s'arrête là" in said or "stops there" in said) and not any(
        "Garder" in c.label or "Keep" in c.label for c in alice.question.choices
    ), said
    await alice.say(rest)
    await alice.press(alice.question.choices[0].label)  # the zone
    assert rows(app, "SELECT description FROM listings") == [(f"{fragment[0].upper()}{fragment[1:]} {rest}",)] or rows(
        app, "SELECT description FROM listings"
    ) == [(f"{fragment} {rest}",)], alice.text()


# ---------------------------------------------------------------- 1. at the menu: the second part answers the category question


@pytest.mark.parametrize(
    ("language", "fragment", "rest"),
    [
        ("fr", "on cherche aussi qqn pour", "tondre la pelouse du jardin le samedi"),
        ("fr", "on cherche un bénévole avec", "une voiture pour livrer nos colis"),
        ("fr", "on peut prêter notre salle pour", "des réunions le lundi soir"),
        ("en", "we also need someone to", "mow the lawn of our garden on Saturdays"),
        ("en", "We are looking for someone to", "paint our community hall in May"),
    ],
)
async def test_the_second_part_typed_at_the_category_question_is_kept(app, person, language: str, fragment: str, rest: str) -> None:
    alice: Person = person()
    await alice.onboard()
    if language == "en":
        await _english(alice)
    await alice.say(fragment)
    await alice.say(rest)
    said = alice.text()
    assert "pas reconnu" not in said and "recognise" not in said and "stops there" not in said and "s'arrête" not in said, said
    for _ in range(3):
        if rows(app, "SELECT id FROM listings"):
            break
        await alice.press(alice.question.choices[0].label)
    [(description,)] = rows(app, "SELECT description FROM listings")
    assert description.lower() == f"{fragment} {rest}".lower(), alice.text()


# ---------------------------------------------------------------- 2. a word that is no place at the zone question


async def _at_the_zone(alice: Person, language: str) -> None:
    await alice.onboard()
    if language == "en":
        await _english(alice)
        await alice.say("/offer")
    else:
        await alice.say("/offre")
    await alice.say("1")
    await alice.say("We can lend our gym on Tuesday evenings" if language == "en" else "On prête notre salle de gym le mardi soir")
    assert alice.question.text in ("Sur quelle zone ?", "Over which area?"), alice.text()


@pytest.mark.parametrize(
    ("language", "typed"),
    [("fr", "ok"), ("fr", "oui"), ("fr", "d'accord"), ("fr", "Ok !"), ("fr", "ouais"), ("en", "fine"), ("en", "ok"), ("en", "yes")],
)
async def test_a_word_that_is_no_place_is_not_the_zone(app, person, language: str, typed: str) -> None:
    alice: Person = person()
    await _at_the_zone(alice, language)
    zone = alice.question.text
    await alice.say(typed)
    assert rows(app, "SELECT id FROM listings") == [], alice.text()
    assert alice.question.text == zone and ("numéro" in alice.text() or "number" in alice.text()), alice.text()
    await alice.say("1")
    assert len(rows(app, "SELECT id FROM listings")) == 1, alice.text()


# ---------------------------------------------------------------- 3. /reglages, /pause in the middle of a listing


@pytest.mark.parametrize(("language", "command"), [("fr", "/reglages"), ("fr", "/réglages"), ("en", "/settings")])
async def test_a_settings_change_in_the_middle_of_a_listing_comes_back_to_it(app, person, language: str, command: str) -> None:
    alice: Person = person()
    await _at_the_zone(alice, language)
    zone = alice.question.text
    await alice.say(command)
    await alice.say("3")  # the alerts
    await alice.press(alice.question.choices[0].label)
    said = alice.text()
    assert ("Reprenons" in said or "pick up where you were" in said) and alice.question.text == zone, said
    await alice.say("1")
    assert len(rows(app, "SELECT id FROM listings")) == 1, alice.text()
    assert rows(app, "SELECT early_alerts FROM actors") == [(1,)] or rows(app, "SELECT early_alerts FROM actors") == [(True,)]


@pytest.mark.parametrize("language", ["fr", "en"])
async def test_the_language_changed_in_the_middle_of_a_listing_comes_back_to_it_in_that_language(app, person, language: str) -> None:
    alice: Person = person()
    await _at_the_zone(alice, language)
    await alice.say("/reglages" if language == "fr" else "/settings")
    await alice.say("2")
    await alice.press("English" if language == "fr" else "Français")
    said = alice.text()
    assert alice.question.text == ("Over which area?" if language == "fr" else "Sur quelle zone ?"), said
    assert "pick up where you were" in said if language == "fr" else "Reprenons" in said, said


@pytest.mark.parametrize(("language", "command"), [("fr", "/pause"), ("en", "/pause")])
async def test_pause_in_the_middle_of_a_listing_keeps_its_question(app, person, language: str, command: str) -> None:
    alice: Person = person()
    await _at_the_zone(alice, language)
    zone = alice.question.text
    await alice.say(command)
    said = alice.text()
    assert alice.question.text == zone and ("Reprenons" in said or "pick up where you were" in said), said
    assert rows(app, "SELECT paused FROM actors") in ([(1,)], [(True,)]), said
    await alice.say("1")
    assert len(rows(app, "SELECT id FROM listings")) == 1, alice.text()


@pytest.mark.parametrize("language", ["fr", "en"])
async def test_the_settings_options_keep_their_numbers_when_paused(app, person, language: str) -> None:
    alice: Person = person()
    await alice.onboard()
    if language == "en":
        await _english(alice)
    await alice.say("/reglages")
    before = [c.label for c in alice.question.choices]
    await alice.say("annuler" if language == "fr" else "cancel")
    await alice.say("/pause")
    await alice.say("/reglages")
    after = [c.label for c in alice.question.choices]
    assert after[: len(before)] == before and len(after) == len(before) + 1, (before, after)
    await alice.say("3")
    assert "prévenu" in alice.question.text or "hear about it" in alice.question.text, alice.text()  # still the alerts


@pytest.mark.parametrize(
    ("language", "command", "cancel"), [("fr", "/reglages", "annuler"), ("fr", "/reglages", "/annuler"), ("en", "/settings", "cancel")]
)
async def test_cancel_in_the_settings_opened_in_a_listing_comes_back_to_it(app, person, language: str, command: str, cancel: str) -> None:
    alice: Person = person()
    await _at_the_zone(alice, language)
    zone = alice.question.text
    await alice.say(command)
    await alice.say(cancel)
    said = alice.text()
    assert alice.question.text == zone and ("Reprenons" in said or "pick up where you were" in said), said
    await alice.say("1")
    assert len(rows(app, "SELECT id FROM listings")) == 1, alice.text()
