"""The vocabularies the conversations offer: actor types, themes, listing categories.

Values are stable identifiers stored in the database; labels live in the translation
catalogs under ``<vocabulary>.<value>``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Theme:
    """A theme of action, mapped to the RNA/JOAFE nomenclature of associations' objects."""

    value: str
    rna_codes: tuple[str, ...]


ACTOR_TYPES: tuple[str, ...] = ("association", "entreprise", "collectivite", "autre")

THEMES: tuple[Theme, ...] = (
    Theme("alimentation", ("024", "020")),
    Theme("sante", ("017",)),
    Theme("environnement", ("024",)),
    Theme("emploi_insertion", ("030",)),
    Theme("education_jeunesse", ("015",)),
    Theme("culture", ("006",)),
    Theme("sport", ("011",)),
    Theme("solidarite_social", ("019", "020")),
    Theme("numerique", ("015", "030")),
    Theme("logement", ("032",)),
    Theme("mobilite", ("024", "030")),
    Theme("citoyennete", ("001", "002")),
)
THEME_VALUES: tuple[str, ...] = tuple(theme.value for theme in THEMES)

CATEGORIES: tuple[str, ...] = (
    "benevoles",
    "competences",
    "financement",
    "locaux",
    "materiel",
    "partenariat",
    "autre",
)
SKILLS: tuple[str, ...] = (
    "juridique",
    "comptabilite",
    "communication",
    "numerique",
    "gestion_projet",
    "autre",
)
LISTING_KINDS: tuple[str, ...] = ("need", "offer")
FREQUENCIES: tuple[str, ...] = ("weekly", "biweekly", "monthly", "paused")
PAUSED_FREQUENCY = "paused"
"""The settings' frequency « En pause »: never stored as a frequency, it is the pause (``actors.paused``), as /pause."""
ZONE_KINDS: tuple[str, ...] = ("commune", "epci", "departement", "radius")
RADII_KM: tuple[int, ...] = (10, 35)
EXPIRY_MONTHS: tuple[int, ...] = (1, 3, 6, 12)
DEFAULT_EXPIRY_MONTHS = 3
LANGUAGES: tuple[str, ...] = ("fr", "en")
OUTCOME_KINDS: tuple[str, ...] = ("volunteers", "skills", "premises", "equipment", "project", "funding")
"""What a collaboration (an introduction, a working group) can launch, as a follow-up lists them."""
