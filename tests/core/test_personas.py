"""Scripted people, as they really write, from /start to their first published listing:
each counts the messages and taps it took and how many were refused (run with -s to see them).

The association's first need must take at most 12 messages or taps (issue 10)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.app import App
from core.types import Outcome
from tests.backends import connect
from tests.core.people import Person

pytestmark = pytest.mark.backends


@dataclass
class Counted:
    """A person whose every message and tap is counted, refused ones apart."""

    person: Person
    sent: int = 0
    refused: int = 0

    async def say(self, text: str) -> None:
        await self.person.say(text)
        self._count()

    async def press(self, label: str) -> None:
        await self.person.press(label)
        self._count()

    async def tick(self, *labels: str) -> None:
        """Tick ``labels`` then press the submit button: one tap each on Telegram."""
        await self.person.tick(*labels)
        self._count()
        self.sent += len(labels)

    def _count(self) -> None:
        self.sent += 1
        if self.person.outcome is Outcome.REJECTED:
            self.refused += 1

    def report(self, who: str) -> str:
        line = f"{who}: {self.sent} messages or taps from /start to a published first listing, {self.refused} refused"
        print(line)
        return line


def listings(app: App, user: str) -> list[tuple]:
    with connect(app.config.db) as conn:
        return conn.execute(
            "SELECT l.kind, l.category, l.subcategory, l.zone_kind FROM listings l JOIN identities i ON i.actor_id = l.actor_id "
            "WHERE i.user_id = ? ORDER BY l.id",
            (user,),
        ).fetchall()


async def test_association_treasurer_on_a_phone_with_typos(app: App, person) -> None:
    """Short answers, typos, no accents, never reads the help."""
    martine = Counted(person("martine"))
    await martine.say("/start")
    await martine.say("asso")
    await martine.say("Restos du coeur villeurbanne")
    await martine.say("villeurbane")
    await martine.say("oui")
    await martine.say("alimentaton, solidarite")
    await martine.say("tresoriere.restos69@gmail.com")
    await martine.say("oui bien sur")
    await martine.say("on cherche des benevoles le samedi matin pour la distribution")
    await martine.say("la commune")
    assert listings(app, "martine") == [("need", "benevoles", None, "commune")]
    martine.report("Association treasurer (typos, phone)")
    assert martine.sent <= 12 and martine.refused == 0


async def test_association_through_the_menu_buttons(app: App, person) -> None:
    """The same path pressing the buttons only: /start, the menu's "Déclarer un besoin", a category."""
    lea = Counted(person("lea"))
    await lea.say("/start")
    await lea.press("Association")
    await lea.say("Les Jardins de la Doua")
    await lea.say("Villeurbanne")
    await lea.press("Oui")
    await lea.say("3")
    await lea.press(lea.person.question.choices[0].label)
    await lea.press("Oui aux deux")
    await lea.press("Déclarer un besoin")
    await lea.press("Matériel")
    await lea.say("Une camionnette pour aller chercher les invendus le mardi.")
    await lea.press("L'intercommunalité : Métropole de Lyon")
    assert listings(app, "lea") == [("need", "materiel", None, "epci")]
    lea.report("Association (buttons only)")
    assert lea.sent <= 12 and lea.refused == 0


async def test_association_on_telegram_ticking_buttons(app: App, person) -> None:
    """Buttons wherever there are some (two themes ticked: three taps), one sentence for the need."""
    sami = Counted(person("sami"))
    await sami.say("/start")
    await sami.press("Association")
    await sami.say("Les Petits Débrouillards")
    await sami.say("Villeurbanne")
    await sami.press("Oui")
    await sami.tick("Éducation et jeunesse", "Numérique")
    await sami.press(sami.person.question.choices[0].label)
    await sami.press("Oui aux deux")
    await sami.say("Nous cherchons des bénévoles pour animer un atelier de codage le mercredi")
    await sami.press("L'intercommunalité : Métropole de Lyon")
    assert listings(app, "sami") == [("need", "benevoles", None, "epci")]
    sami.report("Association on Telegram (buttons, two themes ticked)")
    assert sami.sent <= 12 and sami.refused == 0


async def test_company_csr_officer_writing_paragraphs(app: App, person) -> None:
    """Whole sentences everywhere; offers accounting and communication in one answer."""
    marc = Counted(person("marc"))
    await marc.say("/start")
    await marc.say("Bonjour, nous sommes une entreprise de services numériques.")
    await marc.say("Numérique & Co")
    await marc.say("Notre siège est à Villeurbanne (69100), près du Totem.")
    await marc.say("Oui, c'est bien ça.")
    await marc.say("Nous agissons surtout pour l'insertion professionnelle et le numérique.")
    await marc.say("Vous pouvez me joindre à rse@numerique-co.fr ou au 04 78 12 34 56.")
    await marc.say("Oui, volontiers, pour les deux.")
    await marc.say(
        "Nous pouvons proposer du mécénat de compétences en comptabilité et en communication "
        "pour des associations du quartier, quelques heures par mois."
    )
    await marc.say("Sur la Métropole de Lyon")
    assert listings(app, "marc") == [
        ("offer", "competences", "comptabilite", "epci"),
        ("offer", "competences", "communication", "epci"),
    ]
    with connect(app.config.db) as conn:
        assert conn.execute("SELECT kind, contact_email, contact_phone FROM actors").fetchall() == [
            ("entreprise", "rse@numerique-co.fr", "04 78 12 34 56")
        ]
    marc.report("Company CSR officer (paragraphs, two skills)")
    assert marc.refused == 0


async def test_collectivite_through_the_need_command(app: App, person) -> None:
    """A town hall: the /besoin command, a category typed in words, a zone typed as text."""
    mairie = Counted(person("mairie"))
    await mairie.say("/start")
    await mairie.say("collectivite")
    await mairie.say("Mairie de Tourcoing")  # its commune said by its name: taken, never asked (trial 11)
    assert "Tourcoing (59)" in mairie.person.text(), mairie.person.text()
    await mairie.say("citoyennete et solidarite")
    await mairie.say("1")
    await mairie.say("les suggestions seulement")
    await mairie.say("/besoin")
    await mairie.say("partenariat")
    await mairie.say("Des associations pour animer la fête des voisins du 30 mai dans trois quartiers.")
    await mairie.say("Métropole Européenne de Lille")
    assert listings(app, "mairie") == [("need", "partenariat", None, "epci")]
    mairie.report("Collectivité (/besoin, zone typed)")
    assert mairie.refused == 0
