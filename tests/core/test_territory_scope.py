"""Coordinators of Paris, Lyon and Marseille and their arrondissements."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import App
from bot.config import Config
from core.clock import iso, utcnow
from storage import coordination
from storage.stats import impact
from territories.municipal import ARRONDISSEMENTS, commune_codes
from tests.core.people import Person, RecordingAdapter
from tests.core.test_coordination import onboard

pytestmark = pytest.mark.backends

LYON = coordination.Area("commune", "69123", "Lyon (69)")
LYON_3 = coordination.Area("commune", "69383", "Lyon 3e Arrondissement (69)")


def test_the_arrondissements_are_those_of_the_packaged_data(territories) -> None:
    for commune, codes in ARRONDISSEMENTS.items():
        for code in codes:
            found = territories.commune(code)
            assert found is not None and found.kind == "arrondissement" and found.parent == commune
    assert commune_codes("69266") == ("69266",)


async def test_a_city_includes_its_arrondissements_and_an_arrondissement_is_its_own(db_path: Path, territories) -> None:
    adapter = RecordingAdapter()
    app = await App.open(Config(db=str(db_path)), adapters=[adapter], territories=territories)
    app.run_jobs = False
    await app.start()
    try:
        for name, place in (("troisieme", "Lyon 3e"), ("septieme", "Lyon 7e"), ("centre", "Lyon")):
            await onboard(Person(app.runtime, adapter, name), f"Asso {name}", place)
        stored = await app.db.run(lambda conn: sorted(r[0] for r in conn.execute("SELECT commune_code FROM actors")))
        assert stored == ["69123", "69383", "69387"]
        since = iso(utcnow())

        def sizes(conn) -> tuple[int, ...]:
            return tuple(coordination.audience_size(conn, coordination.AudienceSpec(a), since, 5) for a in (LYON, LYON_3))

        assert await app.db.run(sizes) == (3, 1)  # the preview counted 1 of 3 for Lyon
        found = await app.db.run(lambda conn: coordination.actors_in_area(conn, LYON, "Asso"))
        assert len(found) == 3
        today = utcnow().date()
        figures = await app.db.run(lambda conn: impact(conn, "commune", "69123", today, today))
        assert figures.actors_total == 3
        # An arrondissement can be coordinated; it does not reach the rest of the city.
        await app.db.transaction(lambda conn: coordination.add_coordinator(conn, "test", "mairie3", LYON_3, "cli", since))
        mairie = Person(app.runtime, adapter, "mairie3")
        await mairie.say("/diffuser")  # one commune of a territory that is one: a choice that changes nothing, not offered
        assert "Une seule commune de mon territoire" not in [c.label for c in mairie.question.choices]
        assert "C'est noté : Lyon 3e Arrondissement" in mairie.text() and mairie.question.multi, mairie.text()  # nothing to choose
        await app.db.transaction(lambda conn: coordination.add_coordinator(conn, "test", "mairie", LYON, "cli", since))
        city = Person(app.runtime, adapter, "mairie")
        await city.say("/diffuser")  # a city of arrondissements: one of them is a smaller audience
        await city.press("Une seule commune de mon territoire")
        await city.say("Villeurbanne")
        await city.press("Oui")
        assert "hors de votre territoire" in city.text()
    finally:
        await app.stop()
