"""Demo data: fictional actors on two real territories, to see suggestions within a minute.

Demo actors are console identities (``traitdunion chat --user demo-…`` plays their side),
flagged ``is_demo``, listed by ``traitdunion demo --list``, removed by ``--remove``. The
matching engine pairs them only with demo and console-only actors, so they never reach
anybody on Telegram or Matrix.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from conversations.engine import candidate_dict, place_from_candidate
from conversations.flows import expires_at, zone_fields
from conversations.model import Context, Identity
from core.clock import iso
from storage import actors, identities, listings

PREFIX = "demo-"


@dataclass(frozen=True, slots=True)
class DemoActor:
    """One fictional actor and its listings: (kind, category, subcategory, themes, text, zone)."""

    user: str
    kind: str
    name: str
    commune: str
    themes: tuple[str, ...]
    description: str
    listings: tuple[tuple[str, str, str | None, tuple[str, ...], str, str], ...]


ACTORS: tuple[DemoActor, ...] = (
    # Métropole de Lyon
    DemoActor(
        "demo-epicerie-solidaire",
        "association",
        "Épicerie solidaire de la Soie",
        "69266",
        ("alimentation", "solidarite_social"),
        "Une épicerie à petits prix pour les familles du quartier.",
        (
            (
                "need",
                "benevoles",
                None,
                ("alimentation",),
                "Bénévoles pour tenir la caisse et ranger les livraisons le samedi matin.",
                "commune",
            ),
            ("need", "materiel", None, ("alimentation",), "Un réfrigérateur professionnel pour conserver les produits frais.", "epci"),
        ),
    ),
    DemoActor(
        "demo-boulangerie-gratte-ciel",
        "entreprise",
        "Boulangerie des Gratte-Ciel",
        "69266",
        ("alimentation",),
        "Boulangerie artisanale, engagée contre le gaspillage.",
        (
            (
                "offer",
                "materiel",
                None,
                ("alimentation",),
                "Invendus de pain et viennoiseries chaque soir, à récupérer avant 20 h.",
                "commune",
            ),
        ),
    ),
    DemoActor(
        "demo-cabinet-compta",
        "entreprise",
        "Cabinet Martin Expertise",
        "69123",
        ("emploi_insertion",),
        "Cabinet d'expertise comptable, mécénat de compétences.",
        (
            (
                "offer",
                "competences",
                "comptabilite",
                ("solidarite_social", "emploi_insertion"),
                "Deux jours par mois de mécénat de compétences en comptabilité pour des associations.",
                "epci",
            ),
        ),
    ),
    DemoActor(
        "demo-regie-quartier",
        "association",
        "Régie de quartier Villeurbanne Est",
        "69266",
        ("emploi_insertion", "logement"),
        "Insertion par l'activité économique : entretien, petits travaux.",
        (
            (
                "need",
                "competences",
                "comptabilite",
                ("emploi_insertion",),
                "Aide pour clôturer nos comptes annuels et préparer l'assemblée générale.",
                "epci",
            ),
            ("offer", "locaux", None, ("emploi_insertion",), "Une salle de réunion de 20 places libre le mardi et le jeudi.", "commune"),
        ),
    ),
    DemoActor(
        "demo-ville-villeurbanne",
        "collectivite",
        "Ville de Villeurbanne — vie associative",
        "69266",
        ("citoyennete", "solidarite_social"),
        "Service vie associative de la ville.",
        (
            ("offer", "locaux", None, ("citoyennete",), "Salles municipales prêtées aux associations le week-end.", "commune"),
            (
                "need",
                "partenariat",
                None,
                ("alimentation", "solidarite_social"),
                "Partenaires pour un projet de ceinture alimentaire de quartier.",
                "commune",
            ),
        ),
    ),
    DemoActor(
        "demo-club-foot",
        "association",
        "AS Vaulx Football",
        "69256",
        ("sport", "education_jeunesse"),
        "Club de football pour les jeunes de 6 à 18 ans.",
        (("need", "financement", None, ("sport",), "Un sponsor pour les maillots et les déplacements de la saison.", "epci"),),
    ),
    DemoActor(
        "demo-banque-locale",
        "entreprise",
        "Banque Coopérative Rhône",
        "69123",
        ("emploi_insertion", "sport"),
        "Banque coopérative, fonds de dotation local.",
        (
            (
                "offer",
                "financement",
                None,
                ("sport", "education_jeunesse"),
                "Mécénat financier pour des projets sportifs et éducatifs de la métropole.",
                "epci",
            ),
        ),
    ),
    DemoActor(
        "demo-repair-cafe",
        "association",
        "Repair Café Croix-Rousse",
        "69384",
        ("environnement",),
        "Ateliers de réparation d'objets du quotidien.",
        (("need", "locaux", None, ("environnement",), "Un local pour nos ateliers du samedi après-midi, une fois par mois.", "epci"),),
    ),
    DemoActor(
        "demo-numerique-solidaire",
        "association",
        "Connexions Solidaires",
        "69259",
        ("numerique", "solidarite_social"),
        "Accompagnement au numérique des personnes éloignées.",
        (("need", "materiel", None, ("numerique",), "Des ordinateurs portables reconditionnés pour nos ateliers.", "epci"),),
    ),
    DemoActor(
        "demo-esn-lyon",
        "entreprise",
        "Octet & Co",
        "69123",
        ("numerique",),
        "Entreprise de services numériques, politique RSE active.",
        (
            (
                "offer",
                "materiel",
                None,
                ("numerique",),
                "Une vingtaine d'ordinateurs portables à donner après renouvellement du parc.",
                "epci",
            ),
            ("offer", "competences", "numerique", ("numerique",), "Des développeurs bénévoles pour un site web associatif.", "departement"),
        ),
    ),
    DemoActor(
        "demo-jardins-bron",
        "association",
        "Jardins partagés de Bron",
        "69029",
        ("environnement", "alimentation"),
        "Jardins partagés et compostage collectif.",
        (("need", "benevoles", None, ("environnement",), "Des bras pour le chantier de printemps des jardins.", "commune"),),
    ),
    DemoActor(
        "demo-maison-sante",
        "autre",
        "Maison de santé Gerland",
        "69387",
        ("sante",),
        "Maison de santé pluriprofessionnelle.",
        (("need", "partenariat", None, ("sante", "solidarite_social"), "Associations pour des permanences de prévention santé.", "epci"),),
    ),
    # Métropole Européenne de Lille
    DemoActor(
        "demo-resto-tourcoing",
        "association",
        "Les Tables du Cœur Tourcoing",
        "59599",
        ("alimentation", "solidarite_social"),
        "Repas solidaires et distribution alimentaire.",
        (
            ("need", "benevoles", None, ("alimentation",), "Bénévoles pour la distribution du mercredi soir.", "commune"),
            ("need", "locaux", None, ("alimentation",), "Une chambre froide ou un local réfrigéré.", "epci"),
        ),
    ),
    DemoActor(
        "demo-supermarche-roubaix",
        "entreprise",
        "Supermarché du Pile",
        "59512",
        ("alimentation",),
        "Supermarché de quartier, partenaire anti-gaspillage.",
        (
            (
                "offer",
                "materiel",
                None,
                ("alimentation",),
                "Dons de produits frais proches de la date limite, trois fois par semaine.",
                "epci",
            ),
        ),
    ),
    DemoActor(
        "demo-avocats-lille",
        "entreprise",
        "Cabinet Delcourt Avocats",
        "59350",
        ("citoyennete",),
        "Cabinet d'avocats, pro bono pour les associations.",
        (
            (
                "offer",
                "competences",
                "juridique",
                ("citoyennete", "solidarite_social"),
                "Conseil juridique pro bono : statuts, contrats, emploi associatif.",
                "epci",
            ),
        ),
    ),
    DemoActor(
        "demo-asso-jeunesse-lille",
        "association",
        "Jeunes en Mouvement Lille-Sud",
        "59350",
        ("education_jeunesse", "sport"),
        "Accompagnement scolaire et sport pour les 11-17 ans.",
        (
            (
                "need",
                "competences",
                "juridique",
                ("education_jeunesse",),
                "Un avis juridique sur nos statuts avant de recruter un salarié.",
                "epci",
            ),
            ("need", "benevoles", None, ("education_jeunesse",), "Bénévoles pour l'aide aux devoirs en semaine.", "commune"),
        ),
    ),
    DemoActor(
        "demo-mel-vie-asso",
        "collectivite",
        "Ville de Roubaix — vie associative",
        "59512",
        ("citoyennete",),
        "Accompagnement des associations roubaisiennes.",
        (("offer", "locaux", None, ("citoyennete",), "Prêt de salles aux associations, en semaine.", "commune"),),
    ),
    DemoActor(
        "demo-velo-villeneuve",
        "association",
        "Vélo pour Tous Villeneuve",
        "59009",
        ("mobilite", "environnement"),
        "Atelier vélo participatif.",
        (("need", "financement", None, ("mobilite",), "Un mécène pour acheter l'outillage de l'atelier.", "epci"),),
    ),
    DemoActor(
        "demo-assurance-lille",
        "entreprise",
        "Mutuelle du Nord",
        "59350",
        ("sante", "mobilite"),
        "Mutuelle régionale, fondation d'entreprise.",
        (
            (
                "offer",
                "financement",
                None,
                ("mobilite", "sante"),
                "Fondation : soutien à des projets de mobilité douce et de santé.",
                "epci",
            ),
        ),
    ),
)


def load(conn: sqlite3.Connection, territories: object, now: datetime) -> int:
    """Insert the demo actors that are not there yet; return how many were added."""
    stamp = iso(now)
    added = 0
    for demo in ACTORS:
        _, existing = identities.identity_actor(conn, "console", demo.user)
        if existing is not None:
            continue
        candidate = territories.commune(demo.commune)  # type: ignore[attr-defined]
        if candidate is None:
            continue
        place = place_from_candidate(candidate_dict(candidate))
        actor_id = actors.create_actor(
            conn,
            {
                "kind": demo.kind,
                "name": demo.name,
                "place": place,
                "themes": list(demo.themes),
                "description": demo.description,
                "contact_handle": demo.user,
                "contact_email": f"{demo.user.removeprefix(PREFIX)}@exemple.org",
                "consent_matching": True,
                "consent_calls": True,
                "is_demo": True,
            },
            stamp,
        )
        identity = Identity("console", demo.user, demo.name, demo.user, "fr")
        identities.upsert_identity(conn, identity, demo.user, stamp)
        identities.link_actor(conn, "console", demo.user, actor_id)
        actor = actors.load_actor(conn, actor_id)
        context = Context(now, identity, actor, (), "fr", territories)  # type: ignore[arg-type]
        for kind, category, sub, themes, text, zone in demo.listings:
            zone_value = {
                "commune": f"commune:{place['code']}",
                "epci": f"epci:{place['epci']}",
                "departement": f"departement:{place['departement']}",
            }[zone]
            listings.create_listing(
                conn,
                actor_id,
                {
                    "kind": kind,
                    "category": category,
                    "subcategory": sub,
                    "themes": list(themes),
                    "description": text,
                    "expires_at": expires_at(now, 3),
                    **zone_fields(zone_value, context),
                },
                stamp,
            )
        added += 1
    return added


def listing(conn: sqlite3.Connection) -> list[tuple[str, str, str, str]]:
    """(console user, name, type, commune) of every demo actor."""
    return actors.demo_actors(conn)


def remove(conn: sqlite3.Connection) -> int:
    """Delete every demo actor and everything attached to them."""
    ids = actors.demo_ids(conn)
    for actor_id in ids:
        actors.delete_actor(conn, actor_id)
    return len(ids)
