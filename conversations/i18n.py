"""Translation catalogs (gettext ``.po`` files read with Babel); keys are the msgids.

French is the reference language: a key missing (or not formatting) in another catalog falls back to French,
and a key missing everywhere is returned as is (tests check that this never happens).
"""

from __future__ import annotations

import gettext
import logging
import re
from collections.abc import Callable, Mapping
from functools import cache
from importlib import resources

from babel.messages.pofile import read_po

LOG = logging.getLogger(__name__)
LANGUAGES: tuple[str, ...] = ("fr", "en")
DEFAULT_LANGUAGE = "fr"


@cache
def catalog(language: str) -> dict[str, str]:
    """All messages of ``language`` as a dict (loaded once)."""
    path = resources.files("conversations") / "locales" / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        po = read_po(handle, locale=language)
    return {str(message.id): str(message.string) for message in po if message.id and message.string and not message.pluralizable}


@cache
def plurals(language: str) -> tuple[Callable[[int], int], dict[str, tuple[str, ...]]]:
    """The plural rule of ``language`` and its plural messages (``msgid_plural`` entries)."""
    path = resources.files("conversations") / "locales" / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        po = read_po(handle, locale=language)
    messages = {
        str(message.id[0]): tuple(str(form) for form in message.string)
        for message in po
        if message.pluralizable and isinstance(message.string, (tuple, list)) and all(message.string)
    }
    return gettext.c2py(po.plural_expr), messages


def preload() -> None:
    """Read every catalog now (at start) rather than during the first step that speaks each language,
    which would hold up every step committed with it."""
    for language in LANGUAGES:
        catalog(language)
        plurals(language)


def translate_plural(language: str | None, key: str, count: int, /, **params: object) -> str:
    """The form of plural message ``key`` for ``count`` in ``language`` (``{count}`` filled), like ngettext."""
    lang = language if language in LANGUAGES else DEFAULT_LANGUAGE
    rule, messages = plurals(lang)
    if key not in messages:
        lang = DEFAULT_LANGUAGE
        rule, messages = plurals(lang)
    forms = messages.get(key)
    if forms is None:
        return key
    message = forms[min(rule(count), len(forms) - 1)]
    if lang == "fr" and params:
        message = _contracted(message, params)
    elif lang == "en" and params:
        message = _articled(message, params)
    try:
        return message.format(count=count, **params)
    except (KeyError, IndexError, ValueError, AttributeError) as error:
        LOG.error("plural message %r (%s) does not format: %r", key, lang, error)
        return message


def translate_counted(language: str | None, key: str, /, **params: object) -> str:
    """``key`` in ``language``: a plural message (``msgid_plural``) given a ``count`` takes that count's
    form (:func:`translate_plural`, the catalog's own ``Plural-Forms``); any other, :func:`translate`.
    For texts built from a key and parameters, such as a question's prompt or a refusal. A count of 0 takes the
    message ``<key>.zero`` where the catalog has one (nothing to list is said in words, never « 0 acteur »)."""
    lang = language if language in LANGUAGES else DEFAULT_LANGUAGE
    count = params.get("count")
    if count == 0 and has_key(lang, zero := f"{key}.zero"):  # « 0 acteur — … Choisissez-le »: nothing to count, said so
        return translate(language, zero, **params)
    if isinstance(count, int) and (key in plurals(lang)[1] or key in plurals(DEFAULT_LANGUAGE)[1]):
        return translate_plural(language, key, count, **{name: value for name, value in params.items() if name != "count"})
    return translate(language, key, **params)


def normalise_language(code: str | None) -> str | None:
    """Map a platform language code ("fr-FR", "en_GB") to a supported language, or None."""
    if not code:
        return None
    base = code.replace("_", "-").split("-", 1)[0].lower()
    return base if base in LANGUAGES else None


class _KeepMissing(dict[str, object]):
    """Formatting parameters where a missing one stays visible as ``{name}``."""

    def __missing__(self, name: str) -> str:
        return "{" + name + "}"


_BEFORE_NAME = re.compile(r"(?<!\w)(à|À|de|De) \{(\w+)\}")
_CONTRACTIONS = {("à", "le"): "au", ("à", "les"): "aux", ("de", "le"): "du", ("de", "les"): "des"}


_VOWEL_START = re.compile(r"^[aeiouæœàâäéèêëîïôöùûü]", re.IGNORECASE)
"""The first letters « de » is elided before (« d'Amicale laïque », « d'Écully », « d'Un Toit pour tous »); never « h »
nor « y », that a name may start with aspirated (« de Hockey Club », « de Yoga Lyon »)."""


def _contracted(message: str, params: Mapping[str, object]) -> str:
    """French "à" and "de" before a name starting with "Le " or "Les " are contracted, as they are
    said ("Je propose aux Tréteaux de Vaulx", "au Mans", "du Secours populaire"): the article of the
    name goes into the word before it; "de" before a name starting with a vowel is elided (« l'invitation
    d'Amicale laïque », « autour d'Écully »), "de l'…" and "de La …" kept as written."""

    def contract(match: re.Match[str]) -> str:
        value = params.get(match[2])
        if match[1].lower() == "de" and isinstance(value, str) and _VOWEL_START.match(value):
            return ("D'" if match[1][:1].isupper() else "d'") + "{" + match[2] + "}"
        article = str(value).split(" ", 1)[0] if isinstance(value, str) and " " in value else ""
        merged = _CONTRACTIONS.get((match[1].lower(), article.lower()))  # « les mains vertes » too: « aux mains vertes »
        if merged is None:
            return match[0]
        merged = merged.capitalize() if match[1][:1].isupper() else merged  # « À {name} » starting a sentence: « Aux … »
        return f"{merged} {str(value).split(' ', 1)[1]}".replace("{", "{{").replace("}", "}}")

    return _BEFORE_NAME.sub(contract, message)


_TERRITORY_PARAMS = ("epci", "area", "zone", "territory")
"""The parameters that name a territory (a commune, an intercommunality, a département)."""
_BEFORE_TERRITORY = re.compile(
    r"(?<!\w)(in|of|for|across|throughout|within|to|from|coordinates|In|Of|For|Across|Within|To|From) \{("
    + "|".join(_TERRITORY_PARAMS)
    + r")\}"
)
_TAKES_THE = re.compile(r"^(?:Métropole|Metropole|Eurométropole|Eurometropole|Communauté|Communaute|CC|CA|CU)\b")
"""The intercommunalities English names with "the" (« the Métropole de Lyon », "the CC du Pays de Gex",
"the Eurométropole de Strasbourg"); never a commune nor a département ("in Villeurbanne", "in Rhône"),
nor a body whose name starts with its city ("in Toulouse Métropole")."""


def with_the(name: str) -> str:
    """``name`` as English says it after a preposition: "the Métropole de Lyon", "Villeurbanne"."""
    return f"the {name}" if _TAKES_THE.match(name) else name


def _articled(message: str, params: Mapping[str, object]) -> str:
    """English counterpart of :func:`_contracted`: a territory after a preposition ("in {epci}") that
    English names with "the" gets it ("in the Métropole de Lyon"), as French writes « dans la {epci} »."""

    def article(match: re.Match[str]) -> str:
        value = params.get(match[2])
        if not isinstance(value, str) or with_the(value) == value:
            return match[0]
        return f"{match[1]} the {{{match[2]}}}"

    return _BEFORE_TERRITORY.sub(article, message)


def translate(language: str | None, key: str, /, **params: object) -> str:
    """The message ``key`` in ``language`` with ``{placeholders}`` filled from ``params``.

    A translation that does not format (a misspelt placeholder, a stray brace) is logged and
    replaced by the French reference; if that fails too, the known placeholders are filled and
    the others left visible — never a raw template with every value missing.
    """
    lang = language if language in LANGUAGES else DEFAULT_LANGUAGE
    message = catalog(lang).get(key) or catalog(DEFAULT_LANGUAGE).get(key) or key
    if not params:
        return message
    if lang == "fr" and any(word + " {" in message for word in ("à", "À", "de", "De")):
        message = _contracted(message, params)
    elif lang == "en" and any(name in params for name in _TERRITORY_PARAMS):
        message = _articled(message, params)
    try:
        return message.format(**params)
    except (KeyError, IndexError, ValueError, AttributeError) as error:
        LOG.error("message %r (%s) does not format with %s: %r", key, lang, sorted(params), error)
    reference = catalog(DEFAULT_LANGUAGE).get(key)
    if reference and reference != message:
        try:
            return reference.format(**params)
        except (KeyError, IndexError, ValueError, AttributeError):
            pass
    try:
        return message.format_map(_KeepMissing(params))
    except (IndexError, ValueError, AttributeError):
        return message


def has_key(language: str, key: str) -> bool:
    """Whether ``key`` is translated in ``language``."""
    return key in catalog(language)


def first_of_month(written: str, day: int, language: str | None) -> str:
    """A date Babel wrote (``written``) with the first of a month as French writes it: « 1er mars 2027 »,
    never « 1 mars 2027 »; other days and other languages unchanged."""
    if day == 1 and (language or "").startswith("fr"):
        return re.sub(r"^1(?=\s)", "1er", written, count=1)
    return written
