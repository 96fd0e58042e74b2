"""A first message that clearly says what the writer's structure is proposes that type (one tap to confirm, as
intro7 proposes a commune), never fills it silently: a company by its CSR / « RSE », « mécénat », « notre
entreprise », "our company", a business noun (« boulangerie », « garage », « cabinet », "bakery"), « SARL », "Ltd";
an association by « asso », « club », « bénévole de l'association »; a local authority by « mairie », « la ville de
… », "town council". The type of who writes is read where they say who they are, never from who they address
(« on voudrait aider une association », "we'd like to sponsor a football club", « on cherche une entreprise »)."""

from __future__ import annotations

import pytest

from tests.core.people import Person
from tests.core.test_intro7_first_messages import _data

pytestmark = pytest.mark.backends

_ASK = {"fr": "D'après votre message, vous représentez : « {} ».", "en": "From your message, you represent: “{}”."}
_LABEL = {
    ("fr", "association"): "1. Association",
    ("fr", "entreprise"): "2. Entreprise",
    ("fr", "collectivite"): "3. Collectivité",
    ("en", "association"): "1. Association",
    ("en", "entreprise"): "2. Company",
    ("en", "collectivite"): "3. Local authority",
}

SAYS_ITS_TYPE = [
    # a company, who writes naming it while they address another type
    ("en", "Hi! Emma here, CSR at Boulangerie Dupont in Villeurbanne. We'd like to offer unsold bread to an association", "entreprise"),
    ("fr", "Bonjour, Emma, responsable RSE chez Dupont à Villeurbanne, on voudrait aider une association", "entreprise"),
    ("en", "Hi, I'm the CSR manager at Dupont Ltd in Lyon, we'd like to help a charity", "entreprise"),
    ("fr", "Bonjour, je m'occupe du mécénat à la Boulangerie Dupont, on peut donner du pain", "entreprise"),
    ("fr", "Bonjour, c'est le garage Martin à Bron, on peut prêter des outils", "entreprise"),
    ("en", "Hello, our company would like to sponsor a local football club", "entreprise"),
    ("fr", "Bonjour, notre entreprise voudrait soutenir un club de foot de Bron", "entreprise"),
    ("fr", "Bonjour, ici le cabinet Durand à Lyon, on voudrait aider une asso", "entreprise"),
    ("en", "Hello, Dupont Bakery in Lyon here, we can give unsold bread to a charity", "entreprise"),
    ("fr", "Bonjour, Martin Dupont de la SARL Dupont à Bron, on peut prêter une camionnette à une association", "entreprise"),
    # an association
    ("fr", "salut c Karim de l'asso Vélo Pour Tous, on cherche une entreprise pour nous prêter un local", "association"),
    ("fr", "Bonjour, je suis bénévole de l'association Les Potes à Lyon, on cherche une entreprise mécène", "association"),
    ("en", "Hi, I'm Sarah from the Green Bikes club, we're looking for a company to sponsor our jerseys", "association"),
    # a local authority
    ("fr", "Bonjour, la ville de Bron cherche une entreprise pour la fête de quartier", "collectivite"),
    ("fr", "Bonjour, ici la mairie de Bron, on voudrait travailler avec une entreprise", "collectivite"),
    ("en", "Hi, Bron town council here, we'd like to work with a company", "collectivite"),
]


@pytest.mark.parametrize(("language", "first", "kind"), SAYS_ITS_TYPE)
async def test_a_first_message_proposes_the_type_it_says(app, person, language: str, first: str, kind: str) -> None:
    someone: Person = person("someone", language)
    await someone.say(first)
    await someone.say("/start")
    said = someone.text()
    option = _LABEL[(language, kind)]
    assert _ASK[language].format(option) in said, said
    data = _data(app)
    assert data.get("_proposed", {}).get("choice") == kind, data
    assert "kind" not in data, data  # proposed, never filled silently
    await someone.say("oui" if language == "fr" else "yes")  # one tap to confirm
    assert _data(app).get("kind") == kind, _data(app)


@pytest.mark.parametrize(("language", "first", "kind"), SAYS_ITS_TYPE)
async def test_at_the_type_question_the_type_it_says_is_taken_and_said(app, person, language: str, first: str, kind: str) -> None:
    someone: Person = person("someone", language)
    await someone.say("/start")
    await someone.say(first)
    said = someone.text()
    label = _LABEL[(language, kind)].split(". ", 1)[1]
    assert _data(app).get("kind") == kind, (said, _data(app))
    assert label in said, said


@pytest.mark.parametrize(
    ("language", "first"),
    [
        ("fr", "Bonjour, je suis Marie, on cherche un garage pour stocker le matériel du club et une boulangerie partenaire"),
        ("fr", "Bonjour, je suis Marie, on cherche un garage pour stocker le matériel"),
        ("en", "Hi, I'm Tom, we're looking for a bakery that could give unsold bread"),
        ("fr", "Bonjour, nous ne sommes pas une entreprise, on voudrait aider une association"),
        ("fr", "Bonjour, c'est le garage solidaire de Bron, on peut réparer des vélos"),
        ("en", "Hi, Jo here, volunteer at the community bakery in Lyon, we can give bread"),
    ],
)
async def test_a_business_only_asked_for_proposes_no_company(app, person, language: str, first: str) -> None:
    someone: Person = person("someone", language)
    await someone.say(first)
    await someone.say("/start")
    assert (_data(app).get("_proposed") or {}).get("choice") != "entreprise", _data(app)
