"""Contacts exchanged after a double opt-in: the network is named and every contact is a link."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import App
from bot.config import Config
from conversations.contacts import contact_lines, international_phone
from tests.core.people import Person, RecordingAdapter
from tests.core.test_suggestions import (
    MONDAY_11H_PARIS,
    Clock,
    declare,
    deliver,
    inbox,
    last_decision,
    press_decision,
)

pytestmark = pytest.mark.backends

TG_ID = "718293645"


async def _onboard(person: Person, name: str, kind: str, contact_label: str | None = None) -> None:
    await person.say("/start")
    await person.press(kind)
    await person.say(name)
    await person.say("Villeurbanne")
    await person.press("Oui")
    await person.tick("Emploi et insertion")
    await person.press(contact_label or person.question.choices[0].label)
    await person.press("Oui aux deux")


@pytest.fixture
async def app(db_path: Path, territories) -> AsyncIterator[App]:
    telegram, matrix = RecordingAdapter(platform="telegram"), RecordingAdapter(platform="matrix")
    app = await App.open(Config(db=str(db_path)), adapters=[telegram, matrix], territories=territories, clock=Clock(MONDAY_11H_PARIS))
    app.run_jobs = False
    await app.start()
    yield app
    await app.stop()


def _people(app: App, telegram_handle: str | None) -> tuple[Person, Person]:
    telegram, matrix = (app.runtime.adapters[p] for p in ("telegram", "matrix"))
    thomas = Person(app.runtime, telegram, TG_ID)  # type: ignore[arg-type]
    jeanmarc = Person(app.runtime, matrix, "@jeanmarc:localhost")  # type: ignore[arg-type]
    thomas.incoming = _with(thomas.incoming, handle=telegram_handle, display_name="Thomas Textile")  # type: ignore[method-assign]
    jeanmarc.incoming = _with(jeanmarc.incoming, handle="@jeanmarc:localhost")  # type: ignore[method-assign]
    return thomas, jeanmarc


def _with(make, **overrides):  # type: ignore[no-untyped-def]
    def incoming(**fields):  # type: ignore[no-untyped-def]
        return make(**{**overrides, **fields})

    return incoming


async def _introduce(app: App, thomas: Person, jeanmarc: Person) -> tuple[str, str]:
    """Jean-Marc needs accounting help, Thomas offers it; both say yes; return what each received."""
    await declare(jeanmarc, "/besoin", "Un coup de main pour la comptabilité de fin d'année.")
    await declare(thomas, "/offre", "Du mécénat de compétences en comptabilité pour les associations.")
    await app.suggestion_round()
    await deliver(app)
    telegram, matrix = thomas.adapter, jeanmarc.adapter
    await press_decision(jeanmarc, last_decision(matrix, jeanmarc.user_id), "Me présenter")
    await deliver(app)
    await press_decision(thomas, last_decision(telegram, thomas.user_id), "Me présenter")  # his own suggestion: both said yes
    await deliver(app)
    to_thomas = "\n".join(r.text for r in inbox(telegram, thomas.user_id))
    to_jeanmarc = "\n".join(r.text for r in inbox(matrix, jeanmarc.user_id))
    return to_thomas, to_jeanmarc


async def test_contacts_across_networks_name_the_network_and_link(app: App) -> None:
    thomas, jeanmarc = _people(app, "thomas_textile")
    await thomas.say("/start")
    await thomas.press("Entreprise")
    await thomas.say("Textiles Thomas")
    await thomas.say("Villeurbanne")
    await thomas.press("Oui")
    await thomas.tick("Emploi et insertion")
    assert thomas.question.choices[0].label == "Mon compte Telegram (@thomas_textile)"
    await thomas.press("Mon compte Telegram (@thomas_textile)")
    await thomas.press("Oui aux deux")
    await _onboard(jeanmarc, "Banque alimentaire", "Association")

    to_thomas, to_jeanmarc = await _introduce(app, thomas, jeanmarc)
    assert "Matrix @jeanmarc:localhost — https://matrix.to/#/@jeanmarc:localhost" in to_thomas
    assert "Telegram @thomas_textile — https://t.me/thomas_textile" in to_jeanmarc
    assert TG_ID not in to_jeanmarc


async def test_a_telegram_account_without_username_is_never_shown_by_its_number(app: App) -> None:
    thomas, jeanmarc = _people(app, None)
    thomas.incoming = _with(thomas.incoming, handle=None, display_name="Thomas")  # type: ignore[method-assign]
    await thomas.say("/start")
    await thomas.press("Entreprise")
    await thomas.say("Textiles Thomas")
    await thomas.say("Villeurbanne")
    await thomas.press("Oui")
    await thomas.tick("Emploi et insertion")
    assert thomas.question.choices[0].label == "Mon compte Telegram (sans nom d'utilisateur public)"
    await thomas.press(thomas.question.choices[0].label)
    await thomas.press("Oui aux deux")
    await _onboard(jeanmarc, "Banque alimentaire", "Association")

    _, to_jeanmarc = await _introduce(app, thomas, jeanmarc)
    assert TG_ID not in to_jeanmarc and "t.me/Thomas" not in to_jeanmarc  # a display name is no username
    assert "Telegram (Textiles Thomas n'a pas de nom d'utilisateur public" in to_jeanmarc
    assert "c'est à Textiles Thomas de vous écrire" in to_jeanmarc


def test_email_and_phone_are_written_once_and_phones_international() -> None:
    lines = contact_lines("fr", platform=None, handle=None, email="contact@asso.fr", phone="06 12 34 56 78")
    assert lines == ["e-mail contact@asso.fr", "téléphone +33 6 12 34 56 78"]  # written once: apps link a number themselves
    assert international_phone("+33 6 12 34 56 78") == "+33 6 12 34 56 78"
    assert international_phone("0033612345678") == "+33 6 12 34 56 78"
    assert international_phone("04.78.12.34.56") == "+33 4 78 12 34 56"
    assert international_phone("+32 470 12 34 56") == "+32470123456"
