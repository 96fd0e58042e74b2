"""The type of structure and its name (trial 31, 2 December 2026): a town or street name typed at « Quel type
de structure ? » made the person a Collectivité silently (« gratte ciel villeurbanne »: « ville » read in
« Villeurbanne »); shops and trades were refused (« on est une boulangerie »); a protest right after the type
said back (« non c pas une collectivite on est une entreprise !! ») became the public name; an aside to the bot
stayed in a name (« Acme Logistics (I already said that...) »); a bare type (« it's a charity ») became the
presentation too; a deletion wish in words at an onboarding question was searched as a commune; « oui aux
deux » at a choice moved an English speaker's interface to French."""

from __future__ import annotations

import pytest

from tests.core.people import Person
from tests.core.test_intro7_first_messages import _data

pytestmark = pytest.mark.backends

_NOT_UNDERSTOOD = {"fr": "Je n'ai pas reconnu ce choix", "en": "I did not recognise that choice"}


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("fr", "gratte ciel villeurbanne"),
        ("fr", "quartier des gratte-ciel à Villeurbanne"),
        ("fr", "on est dans le centre-ville de Bron"),
        ("fr", "Villefranche-sur-Saône centre"),
        ("fr", "avenue Henri Barbusse villeurbanne"),
        ("en", "near villeurbanne town centre"),
    ],
)
async def test_a_place_is_never_a_local_authority(app, person, language: str, typed: str) -> None:
    someone: Person = person("sam", language)
    await someone.say("/start")
    asked = someone.question.text
    await someone.say(typed)
    data = _data(app)
    assert data.get("kind") != "collectivite", (someone.text(), data)
    if "kind" not in data:
        assert someone.question.text == asked, someone.text()  # asked again, with its options


@pytest.mark.parametrize(
    ("language", "typed", "said"),
    [
        ("fr", "on est une epicerie a villeurbanne", "C'est noté : Entreprise."),
        ("fr", "on est une boulangerie", "C'est noté : Entreprise."),
        ("fr", "Boulangerie Chez Lulu", "C'est noté : Entreprise."),
        ("fr", "un petit restaurant à Bron", "C'est noté : Entreprise."),
        ("fr", "je suis plombier", "C'est noté : Entreprise."),
        ("fr", "salon de coiffure", "C'est noté : Entreprise."),
        ("fr", "un commerce de proximité", "C'est noté : Entreprise."),
        ("en", "we run a grocery store in Lyon", "Noted: Company."),
        ("en", "I'm an electrician", "Noted: Company."),
    ],
)
async def test_a_shop_or_a_trade_is_a_company(app, person, language: str, typed: str, said: str) -> None:
    someone: Person = person("sam", language)
    await someone.say("/start")
    await someone.say(typed)
    assert said in someone.text(), someone.text()
    assert _data(app).get("kind") == "entreprise", _data(app)


@pytest.mark.parametrize(
    ("language", "typed", "kind"),
    [
        ("fr", "la mairie de Villeurbanne", "collectivite"),
        ("fr", "la ville de Bron", "collectivite"),
        ("fr", "communauté de communes du Pays de Gex", "collectivite"),
        ("fr", "on est une épicerie solidaire", None),  # a company or an association: asked, never guessed
        ("fr", "garage associatif", None),
    ],
)
async def test_what_says_a_local_authority_and_what_is_asked(app, person, language: str, typed: str, kind: str | None) -> None:
    someone: Person = person("sam", language)
    await someone.say("/start")
    await someone.say(typed)
    assert _data(app).get("kind") == kind, (someone.text(), _data(app))


@pytest.mark.parametrize(
    ("language", "typed", "kind"),
    [
        ("en", "it's a charity", "association"),
        ("en", "we're a small business", "entreprise"),
        ("fr", "c'est une asso", "association"),
        ("fr", "on est une petite entreprise", "entreprise"),
        ("fr", "nous sommes une association", "association"),
        ("fr", "on est une boulangerie", "entreprise"),
    ],
)
async def test_a_type_alone_is_no_presentation(app, person, language: str, typed: str, kind: str) -> None:
    someone: Person = person("sam", language)
    await someone.say("/start")
    await someone.say(typed)
    data = _data(app)
    assert data.get("kind") == kind, (someone.text(), data)
    assert "description" not in data, data
    assert "présentation" not in someone.text() and "presentation" not in someone.text(), someone.text()


_ERASURE = {"fr": "/supprimer efface votre profil", "en": "/delete"}


@pytest.mark.parametrize("at", ["kind", "name", "place"])
@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("fr", "en fait je veux pas m'inscrire, supprimez tout ce que vous avez sur moi svp"),
        ("fr", "effacez tout ce que vous savez sur nous merci"),
        ("fr", "supprimez-moi de votre liste"),
        ("en", "actually delete everything you have on me"),
        ("en", "please erase everything you know about me"),
    ],
)
async def test_a_deletion_wish_at_any_onboarding_question(app, person, language: str, typed: str, at: str) -> None:
    someone: Person = person("sam", language)
    await someone.say("/start")
    if at != "kind":
        await someone.press("Association")
    if at == "place":
        await someone.say("Les Potes du Quartier")
    asked = someone.question.text
    before = _data(app)
    await someone.say(typed)
    text = someone.text()
    assert _ERASURE[language] in text, text
    assert "commune" not in text.split("\n")[0] and "municipality" not in text.split("\n")[0], text
    assert someone.question.text == asked and _data(app) == before, text  # nothing changed, the same question


@pytest.mark.parametrize(
    "sentence",
    ["on supprime tout le gaspillage avec notre épicerie", "nous aidons les seniors à effacer leurs données"],
)
def test_what_is_no_deletion_wish(sentence: str) -> None:
    from conversations.understanding import asks_erasure

    assert not asks_erasure(sentence)


@pytest.mark.parametrize(
    ("language", "noted", "protest", "kind"),
    [
        ("fr", "Collectivité", "non c pas une collectivite on est une entreprise !!", "entreprise"),
        ("fr", "Collectivité", "c'est pas une mairie, on est une asso", "association"),
        ("fr", "Entreprise", "non non on est une association", "association"),
        ("en", "Local authority", "no, we're a company", "entreprise"),
        ("en", "Association", "we're not a charity, we're a small business", "entreprise"),
    ],
)
async def test_a_protest_after_the_type_corrects_it(app, person, language: str, noted: str, protest: str, kind: str) -> None:
    someone: Person = person("sam", language)
    await someone.say("/start")
    await someone.press(noted)
    asked = someone.question.text
    await someone.say(protest)
    data = _data(app)
    assert data.get("kind") == kind and "name" not in data, (someone.text(), data)
    assert someone.question.text == asked, someone.text()  # the name asked again


@pytest.mark.parametrize(
    ("language", "noted", "protest"),
    [
        ("fr", "Collectivité", "non c pas ça"),
        ("fr", "Collectivité", "c'est pas une collectivité !!"),
        ("fr", "Entreprise", "non pas du tout"),
        ("en", "Local authority", "no that's wrong"),
        ("en", "Company", "we're not a company"),
    ],
)
async def test_a_protest_is_never_a_name(app, person, language: str, noted: str, protest: str) -> None:
    someone: Person = person("sam", language)
    await someone.say("/start")
    kind_asked = someone.question.text
    await someone.press(noted)
    await someone.say(protest)
    data = _data(app)
    assert "name" not in data and "kind" not in data, (someone.text(), data)
    assert someone.question.text == kind_asked, someone.text()  # the type asked again
    await someone.press("Association")
    await someone.say("Les Potes du Quartier")
    assert _data(app).get("name") == "Les Potes du Quartier", _data(app)


@pytest.mark.parametrize(
    ("language", "typed", "name"),
    [
        ("en", "Acme Logistics (I already said that...)", "Acme Logistics"),
        ("en", "Green Bikes (as I said)", "Green Bikes"),
        ("en", "Green Bikes lol", "Green Bikes"),
        ("fr", "Les Potes du Quartier (je l'ai déjà dit !!)", "Les Potes du Quartier"),
        ("fr", "Vélo Cité (svp)", "Vélo Cité"),
        ("fr", "Vélo Cité svp", "Vélo Cité"),
        ("fr", "Les Jardins (Lyon 8e)", "Les Jardins (Lyon 8e)"),  # a bracket of the name is kept
        ("fr", "Les Amis du Rail (ARA)", "Les Amis du Rail (ARA)"),
    ],
)
async def test_an_aside_to_the_bot_is_no_part_of_a_name(app, person, language: str, typed: str, name: str) -> None:
    someone: Person = person("sam", language)
    await someone.say("/start")
    await someone.press("Association")
    await someone.say(typed)
    assert _data(app).get("name") == name, (someone.text(), _data(app))
    if name != typed:
        assert f"{name}" in someone.text().split("\n")[0], someone.text()  # said back


@pytest.mark.parametrize(
    ("language", "first", "name"),
    [
        ("en", "Hi! I'm Emma, HR at Acme Logistics in Villeurbanne, we'd like to help local associations", "Acme Logistics"),
        ("fr", "Bonjour, je suis Léa, RH chez Acme Logistique à Lyon, on voudrait aider une asso", "Acme Logistique"),
        ("en", "Hello, I'm the owner of Chez Lulu in Lyon, we can give unsold bread", "Chez Lulu"),
    ],
)
async def test_a_first_message_naming_the_organisation_gives_its_name(app, person, language: str, first: str, name: str) -> None:
    someone: Person = person("emma", language)
    await someone.say(first)
    await someone.say("/start")
    assert name in someone.text(), someone.text()  # said back, changed in /profil
    assert _data(app).get("name") == name, _data(app)


async def _english_until_consents(someone: Person) -> None:
    await someone.say("Hello, we are a sports club in Lyon")
    await someone.say("/start")
    await someone.say("Association")
    await someone.say("Green Bikes")
    await someone.say("Lyon")
    await someone.say("yes")
    await someone.say("Sport")  # refused at the contact, in English
    await someone.say("1")
    assert "May I suggest you" in someone.text(), someone.text()


@pytest.mark.parametrize("answer", ["oui aux deux", "oui les deux", "oui pour les deux svp", "les deux"])
async def test_a_short_answer_in_another_language_at_a_choice_keeps_the_language(app, person, answer: str) -> None:
    someone: Person = person("tom", None)  # Matrix, the console: no language told by the platform
    await _english_until_consents(someone)
    await someone.say(answer)
    assert "the profile of “Green Bikes” is saved" in someone.text(), someone.text()
    await someone.say("/help")
    assert "Merci" not in someone.text(), someone.text()


@pytest.mark.parametrize("answer", ["yes to both", "yes both please", "both"])
async def test_a_french_speaker_answering_in_english_at_a_choice_stays_in_french(app, person, answer: str) -> None:
    someone: Person = person("lea", None)
    await someone.say("Bonjour, nous sommes une association de quartier à Lyon")
    await someone.say("/start")
    await someone.say("Association")
    await someone.say("Les Potes du Quartier")
    await someone.say("Lyon")
    await someone.say("oui")
    await someone.say("Sport")
    await someone.say("1")
    assert "Dernière question" in someone.text() or "suggérer" in someone.text(), someone.text()
    await someone.say(answer)
    assert "le profil de « Les Potes du Quartier » est enregistré" in someone.text(), someone.text()


@pytest.mark.parametrize(
    ("language", "typed", "kind"),
    [
        ("fr", "on est une petite asso de quartier", "association"),
        ("fr", "nous sommes un club sportif", "association"),
        ("en", "we're a small neighbourhood charity", "association"),
    ],
)
async def test_a_type_that_says_what_it_does_is_a_presentation(app, person, language: str, typed: str, kind: str) -> None:
    """« une petite asso de quartier » says where it acts, « un club sportif » what it does: a short presentation,
    kept (ci of stop 31: the type-alone rule had dropped « Nous sommes une petite asso de quartier »)."""
    someone: Person = person("sam", language)
    await someone.say("/start")
    await someone.say(typed)
    data = _data(app)
    assert data.get("kind") == kind, (someone.text(), data)
    assert data.get("description"), (someone.text(), data)
