"""Commands people can type, their French and English names, and the commands menu."""

from __future__ import annotations

from rapidfuzz import fuzz

from conversations.i18n import translate

# canonical name -> (French name, English name, other accepted aliases...)
COMMANDS: dict[str, tuple[str, ...]] = {
    "start": ("start", "start", "demarrer"),
    "menu": ("menu", "menu"),
    "besoin": ("besoin", "need"),
    "offre": ("offre", "offer"),
    "annonces": ("annonces", "listings"),
    "suggestions": ("suggestions", "suggestions"),
    "profil": ("profil", "profile"),
    "reglages": ("reglages", "settings", "réglages"),
    "pause": ("pause", "pause"),
    "reprendre": ("reprendre", "resume"),
    "aide": ("aide", "help"),
    "annuler": ("annuler", "cancel"),
    "mesdonnees": ("mesdonnees", "mydata"),
    "supprimer": ("supprimer", "delete"),
    "coordinateur": ("coordinateur", "coordinator"),
    "diffuser": ("diffuser", "broadcast"),
    "reponses": ("reponses", "answers", "réponses"),
    "presenter": ("presenter", "introduce", "présenter"),
    "stats": ("stats", "stats"),
    "organisation": ("organisation", "organisation", "organization"),
    "appels": ("appels", "calls"),
    "relancer": ("relancer", "relaunch"),
    "annuaire": ("annuaire", "directory"),
    "evenement": ("evenement", "event", "événement"),
    "evenements": ("evenements", "events", "événements"),
    "recommander": ("recommander", "recommend"),
    "groupe": ("groupe", "group"),
    "programme": ("programme", "programme"),
    "programmes": ("programmes", "programmes"),
}

_ALIASES: dict[str, str] = {alias: name for name, aliases in COMMANDS.items() for alias in aliases}

# Shown in the platforms' command menus, in this order.
MENU_COMMANDS: tuple[str, ...] = (
    "start",
    "menu",
    "besoin",
    "offre",
    "annonces",
    "suggestions",
    "profil",
    "reglages",
    "pause",
    "reprendre",
    "mesdonnees",
    "supprimer",
    "aide",
    "annuler",
)

_ENGLISH_NAMES: dict[str, str] = {name: aliases[1] for name, aliases in COMMANDS.items()}


def parse_command(text: str) -> tuple[str, str] | None:
    """Split ``/name args`` into (canonical name or ``?name`` when unknown, args); None if no command."""
    stripped = text.strip()
    if not stripped.startswith("/") or len(stripped) < 2:
        return None
    head, _, args = stripped[1:].partition(" ")
    name = head.split("@", 1)[0].lower()
    canonical = _ALIASES.get(name)
    return (canonical if canonical else "?" + name[:32], args.strip())


def command_name(name: str, language: str) -> str:
    """The name to show for a canonical command in ``language`` (English aliases in English)."""
    return _ENGLISH_NAMES[name] if language == "en" else COMMANDS[name][0]


def menu_commands(language: str) -> list[tuple[str, str]]:
    """(command without slash, translated description) for the platforms' command menus."""
    return [(command_name(name, language), translate(language, f"command.{name}")) for name in MENU_COMMANDS]


def command_language(text: str) -> str | None:
    """The language of a typed command's name: "/help" → "en", "/aide" → "fr"; None when it is not
    a command or both languages share the name ("/menu", "/start")."""
    stripped = text.strip()
    if not stripped.startswith("/"):
        return None
    head = stripped[1:].split(" ", 1)[0].split("@", 1)[0].lower()
    name = _ALIASES.get(head)
    if name is None or COMMANDS[name][0] == COMMANDS[name][1]:
        return None
    return "en" if head == COMMANDS[name][1] else "fr"


def closest_command(typed: str, language: str) -> str | None:
    """The command a mistyped name was probably meant as ("besion" → "besoin"), named in
    ``language``; None when none is close enough."""
    scored = sorted(((fuzz.ratio(typed.lower(), alias), name) for alias, name in _ALIASES.items()), reverse=True)
    if not scored or scored[0][0] < 75:
        return None
    best, name = scored[0]
    if any(score > best - 5 and other != name for score, other in scored[1:]):
        return None  # two commands as close: no guess
    return command_name(name, language)
