"""Trial 33 (a new user on the console), communes read from free words: « …avec les jeunes du quartier » in a first
message proposed Le Quartier (63); a commune with words around it (« vaulx en velin, au mas du taureau », « on a
déménagé à meyzieu en fait », « Bron comme j'ai dit, pas Lyon ») was not found; a commune in brackets after a name
(« Les Mamans du Mas (Vaulx-en-Velin) ») or misspelt after "based in" was asked again. A lower-case common word is no
commune of a sentence; the words around a commune are left out by the readers of details and asides already there."""

from __future__ import annotations

import pytest

from conversations.understanding import introduced
from tests.core.people import Person
from tests.core.test_coordination import territory  # noqa: F401  (fixture)

pytestmark = pytest.mark.backends


async def _first_message_to_commune(someone: Person, text: str) -> list[str]:
    """``text`` typed first, then /start; the questions answered (a type, a name) until the commune is asked or
    proposed, or the themes; every text said."""
    await someone.say(text)
    await someone.say("/start")
    said = [someone.text()]
    for _ in range(4):
        asked = someone.question.text
        if "commune" in asked or "thèmes" in asked or "themes" in asked:
            break
        labels = [c.label for c in someone.question.choices]
        if "Répondez « oui »" in someone.text() or "Reply “yes”" in someone.text():
            await someone.say("oui")
        elif "Association" in labels:
            await someone.press("Association")
        elif "nom" in asked or "name" in asked:
            await someone.say("Les Potes")
        else:
            break
        said.append(someone.text())
    return said


# ---------------------------------------------------------------- 1. a common word is no commune of a first message


@pytest.mark.parametrize(
    "text",
    [
        "Salut, moi c'est Jules, on répare des vélos avec les jeunes du quartier",
        "Bonjour, on est une asso, on répare des vélos avec les jeunes du quartier",
        "on anime des ateliers pour les enfants du centre",
        "on fait du nettoyage au port avec les habitants",
        "on organise des balades dans le bois",
        "on est un club de foot de la plaine",
    ],
)
async def test_a_common_word_of_a_first_message_is_no_commune(app, person, text: str) -> None:
    someone: Person = person("jules", "fr")
    said = "\n".join(await _first_message_to_commune(someone, text))
    for village in ("Le Quartier", "Port (", "Bois (", "Plaine (", "Centre (", "Saint-Eloy"):
        assert village not in said, said


@pytest.mark.parametrize(
    "text",
    ["les jeunes du quartier", "on est au port", "dans le bois", "les enfants du centre", "near the port", "de la plaine"],
)
def test_a_common_word_is_not_read_as_a_place(text: str) -> None:
    who = introduced(text)
    assert not who.places and not who.guessed, who


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("l'asso des jardins de villeurbanne, on cherche des bénévoles", "Villeurbanne (69)"),
        ("Bonjour, Paul de l'association Les Jardins partagés à Vaulx-en-Velin, on cherche des bénévoles", "Vaulx-en-Velin (69)"),
        ("ici les Amis du Vieux Lavoir (69290 Craponne)", "Craponne (69)"),
        ("Hi, I'm Sam from the Green Bikes workshop in Villeurbanne, we need volunteers", "Villeurbanne (69)"),
    ],
)
async def test_a_commune_of_a_first_message_is_still_read(app, person, text: str, place: str) -> None:
    someone: Person = person("jules", "fr")
    said = "\n".join(await _first_message_to_commune(someone, text))
    assert place in said, said


# ---------------------------------------------------------------- 2. a commune with words around it


async def _at_commune(someone: Person) -> str:
    await someone.say("/start")
    await someone.press("Association")
    await someone.say("Les Potes")
    return someone.question.text


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("vaulx en velin, au mas du taureau", "Vaulx-en-Velin (69)"),
        ("Vaulx-en-Velin (au Mas du Taureau)", "Vaulx-en-Velin (69)"),
        ("bron, rue de la République", "Bron (69)"),
        ("villeurbanne, dans le quartier des gratte-ciel", "Villeurbanne (69)"),
        ("Bron comme j'ai dit, pas Lyon", "Bron (69)"),
        ("villeurbanne comme je disais, pas lyon", "Villeurbanne (69)"),
        ("on a déménagé à meyzieu en fait", "Meyzieu (69)"),
        ("on est à bron en fait", "Bron (69)"),
        ("we're in villeurbanne actually", "Villeurbanne (69)"),
    ],
)
async def test_a_commune_with_words_around_it_is_found(app, person, typed: str, shown: str) -> None:
    someone: Person = person("vera", "fr")
    await _at_commune(someone)
    await someone.say(typed)
    assert shown in someone.text() and "Je ne trouve pas" not in someone.text(), someone.text()
    await someone.say("oui")
    assert "thèmes" in someone.question.text, someone.text()


@pytest.mark.parametrize(("typed", "shown"), [("on a déménagé à meyzieu en fait", "Meyzieu"), ("Bron comme j'ai dit, pas Lyon", "Bron")])
async def test_a_commune_with_words_around_it_in_profil(app, person, typed: str, shown: str) -> None:
    from tests.core.test_coordination import onboard

    someone: Person = person("vera", "fr")
    await onboard(someone, "Les Potes", "Villeurbanne")
    await someone.say("/profil")
    await someone.press(next(c.label for c in someone.question.choices if "Commune" in c.label))
    await someone.say(typed)
    assert f"{shown} (69)" in someone.text() and "Je ne trouve pas" not in someone.text(), someone.text()


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("lyon, pardon, à la mulatière", "La Mulatière"), ("lyon en fait non, à la mulatière", "La Mulatière"), ("non, à Bron", "Bron")],
)
async def test_a_correction_after_a_comma_is_no_detail(app, person, typed: str, kept: str) -> None:
    someone: Person = person("vera", "fr")
    await _at_commune(someone)
    await someone.say(typed)
    assert kept in someone.question.text, someone.text()


@pytest.mark.parametrize("typed", ["sport", "culture", "merci"])
async def test_a_common_word_at_the_question_is_still_no_commune(app, person, typed: str) -> None:
    someone: Person = person("vera", "fr")
    asked = await _at_commune(someone)
    await someone.say(typed)
    assert "Port" not in someone.text() and "Je ne trouve pas" in someone.text(), someone.text()
    assert someone.question.text == asked


# ---------------------------------------------------------------- 3. a commune of a first message is not asked again


@pytest.mark.parametrize(
    ("language", "text", "shown"),
    [
        ("fr", "Les Mamans du Mas (Vaulx-en-Velin)", "Vaulx-en-Velin (69)"),
        ("fr", "Les Potes du Coin (Villeurbanne)", "Villeurbanne (69)"),
        ("en", "Hi, we're a bike repair group based in villeurbane", "Villeurbanne (69)"),
        ("en", "we are a small charity based in venissieu", "Vénissieux (69)"),
        ("fr", "on est une asso basée à villeurbane", "Villeurbanne (69)"),
    ],
)
async def test_a_commune_of_a_first_message_is_taken_or_proposed(app, person, language: str, text: str, shown: str) -> None:
    someone: Person = person("mina", language)
    said = await _first_message_to_commune(someone, text)
    assert any(shown in text for text in said), said
