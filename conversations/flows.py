"""The guided conversations, declared as data: onboarding, needs and offers, listings,
profile, settings, deletion and the main menu. Step ids are stable: saved sessions refer
to them, so rename a step only with a migration of the ``sessions`` table.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from rapidfuzz.distance import OSA

from conversations import todo
from conversations.contacts import contact_lines, handle_option_params, is_matrix_id, phone_valid, shown_handle
from conversations.engine import (
    CUT,
    KEPT_CONTACT,
    START,
    Answer,
    Finish,
    Flow,
    InputError,
    Option,
    Step,
    communes_named,
    parse_choice,
    parse_multi,
)
from conversations.expiry import (
    end_from_description,
    end_named_in,
    event_day_in,
    event_redated,
    format_day_in,
    months_after,
    read_expiry,
    with_event_day,
)
from conversations.i18n import normalise_language, translate, translate_plural
from conversations.model import (
    Context,
    CreateActor,
    CreateListing,
    DeleteActor,
    ListingView,
    Place,
    Session,
    UpdateActor,
    UpdateListing,
    language_of,
)
from conversations.moments import WrongWeekday
from conversations.pauses import pause_last_day, pause_until, pause_wish, read_pause_end, resume_day
from conversations.understanding import (
    CLOSE_WORDS,
    FOOD_CATEGORY,
    FREQUENCY_WORDS,
    KIND_WORDS,
    LANGUAGE_WORDS,
    LISTING_KIND_WORDS,
    RENEW_WORDS,
    THEME_ANSWER_WORDS,
    alerts_wanted,
    asides_of,
    category_named,
    completed,
    confirms_deletion,
    consents_named,
    contact_spans,
    email_attempt,
    excerpt,
    find_email,
    find_phone,
    fold,
    frequency_shift,
    guess_listing,
    is_question,
    name_in_answer,
    name_with_commune_spelt,
    names_food,
    only_contact,
    only_place,
    phone_begun,
    reads_as_sentence,
    self_corrected,
    spelt_email,
    themes_said,
    unfinished,
    without_aside,
    without_contacts,
    without_courtesy,
    without_hedges,
    without_place,
    word_count,
    yes_no,
)
from core import catalog
from core.clock import iso
from core.types import Reply

YES_NO = (Option("yes", key="common.yes"), Option("no", key="common.no"))
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ACCOUNT_WORDS = re.compile(r"\b(mon compte|notre compte|my account|our account)\b", re.IGNORECASE)
"""Words by which someone writing an e-mail or phone also asks to share their account."""
PHONE_RE = re.compile(r"^\+?[0-9][0-9 .\-]{7,18}[0-9]$")


def _yes(value: str) -> bool:
    return value == "yes"


def _validate_email(text: str) -> str | None:
    return None if EMAIL_RE.match(text) else "error.email"


def _validate_description(text: str) -> str | None:
    """A listing's description: more than a contact, which a listing never shows (:func:`only_contact`)."""
    return "error.description_only_contact" if only_contact(text) else None


def _validate_phone(text: str) -> str | None:
    return None if PHONE_RE.match(text) and phone_valid(text) else "error.phone_digits"


def validate_name(text: str) -> str | None:
    """A structure's name: some letters, not a bare number (a postcode typed one question early), a
    question to the bot ("sorry, I do not speak French, can you use English?"), a yes or a no, nor
    any other sentence that speaks rather than names ("je ne sais pas", "nous sommes une asso",
    "on cherche un frigo"): :func:`~conversations.understanding.reads_as_sentence`."""
    if not any(ch.isalnum() for ch in text):
        return "error.name"
    if not any(ch.isalpha() for ch in text):
        return "error.name_number"
    if EMAIL_RE.match(text.strip()):  # « nadia.basket@orange.fr »: a contact, asked a little later
        return "error.name_email"
    if not reads_as_sentence(text):
        return None
    if "?" in text or is_question(text):
        return "error.name_question"
    if yes_no(text) is not None:  # "non", "oui merci": an answer, not a name
        return "error.name_yes_no"
    return "error.name_sentence"


def _name_not_a_commune(value: Any, session: Session, context: Context) -> str | None:
    """A commune's name alone typed as the name of an association or another structure (« Villeurbanne »): the
    commune, typed one question early, refused and said (it is asked just after). A local authority may bear it, and
    a company that of a town (brands are: « Orange », « Évian »), never that of a city (« Lille »)."""
    kind = session.data.get("kind")
    if session.flow != "onboarding" or kind == "collectivite":
        return None
    typed = str(value)
    found = communes_named(typed, context.territories)
    if not found or found[0].matched != "name" or fold(found[0].name) != fold(typed).strip(" .!"):
        return None
    if kind == "entreprise" and (found[0].population or 0) < CITY_POPULATION:
        return None
    raise InputError("error.name_is_commune", commune=found[0].name)


CITY_POPULATION = 100_000
"""From this population a commune's name alone is no company's name (« Lille »), while a town's may be (« Orange »)."""


def _themes_options(_: Session, __: Context) -> list[Option]:
    return [Option(theme, key=f"theme.{theme}", words=THEME_ANSWER_WORDS.get(theme, ())) for theme in catalog.THEME_VALUES]


WHO_WRITES = "_who_writes"
"""Onboarding data: a first message that said who writes (« je suis trésorière du club de foot … »), no
presentation, read for the themes it names only."""


def _profile_themes(session: Session, context: Context) -> Sequence[str]:
    """The profile's themes; while it is being made, those its presentation or the need typed on the
    way say ("trésoriere du club de foot" → Sport), ticked before anything is chosen."""
    if context.actor is not None:
        return context.actor.themes
    if session.flow != "onboarding":
        return ()
    draft = (session.draft or {}).get("data") or {}
    typed = (session.data.get("description"), session.data.get(WHO_WRITES), draft.get("description"))
    said = " . ".join(str(text) for text in typed if text)
    return themes_said(said) if said else ()


_NOT_SAID = frozenset(
    """et ou and or le la les l de du des d un une a au aux en the an of in on at to for with avec pour mon ma mes notre nos
    my our me moi nous us we i je j c est it is s its voici voila here aussi also plus svp stp merci please thanks thank you
    oui yes ok okay d accord sur par by via theme themes contact numero num no number tel telephone phone portable mobile
    mail email e courriel adresse address joindre joignez joignable appeler appelez appelle call reach text ecrire ecrivez
    write contacter contactez compte account surtout mainly mostly principalement mais but tout tous toutes all both deux
    sinon plutot rather ou bien alors so that ce cet cette this that dans entre chez autour among between within around on fait fais faisons font do we peu quoi genre
    bit lot stuff things trucs choses beaucoup notamment too well egalement maybe perhaps probably peut etre
    add adds ajoute ajouter ajoutez rajoute rajouter rajoutez coche cocher cochez tick""".split()
)
"""Words that say nothing of their own next to an answer (« et », « mon numéro c'est », "my phone is")."""


THEME_TALK = (
    "aide",
    "aides",
    "soutien",
    "help",
    "support",
    "animation",
    "animations",
    "animer",
    "lien",
    "liens",
    "vie",
    "associative",
    "associatif",
    "activite",
    "activites",
    "action",
    "actions",
    "domaine",
    "domaines",
    "secteur",
    "secteurs",
    "life",
    "activities",
    "field",
    "fields",
    "area",
    "areas",
)
"""Words that say a field of action without a theme of their own (« l'animation de la vie locale », « le lien
social »): with a theme understood, part of the answer."""


_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_ARTICLES = frozenset("le la les l the in on en un une".split())


def unused_words(text: str, used: Sequence[str]) -> str | None:
    """What ``text`` says besides the answer read from it: its words that are none of the words of
    ``used`` (the phrases the answer was read from) found in it, nor :data:`_NOT_SAID` — « le soir »
    of « sport le soir » (an article before the first such word kept); None when nothing else is said."""
    folded = f" {fold(text)} "
    found = {
        word
        for phrase in used
        if phrase and phrase.strip() and re.search(r"(?<!\w)" + re.escape(fold(phrase)), folded)
        for word in re.split(r"[\W_]+", fold(phrase))
        if word
    }
    tokens = _WORD.findall(text)

    vocabulary = {word for phrase in used if phrase for word in re.split(r"[\W_]+", fold(phrase)) if len(word) >= 5}

    def plain(word: str) -> bool:
        return (
            word in _NOT_SAID
            or any(word == w or (len(w) >= 4 and word.startswith(w)) for w in found)
            or (len(word) >= 5 and any(OSA.distance(word, w, score_cutoff=1) <= 1 for w in vocabulary))  # « environement »
        )

    def said(token: str) -> bool:
        word = fold(token)
        return (
            len(word) > 1
            and not any(ch.isdigit() for ch in word)
            and not plain(word)
            and not all(plain(part) for part in re.split(r"['’-]", word) if part)  # « l'éducation » of Éducation et jeunesse
        )

    content = [index for index, token in enumerate(tokens) if said(token)]
    if not content:
        return None
    first, last = content[0], content[-1]
    if first > 0 and fold(tokens[first - 1]) in _ARTICLES:
        first -= 1
    while last + 1 < len(tokens) and any(ch.isdigit() for ch in tokens[last + 1]) and fold(tokens[last + 1]) not in found:
        last += 1  # « après 18h »: the hour with its word
    return " ".join(tokens[first : last + 1])


def _unused_note(text: str | None, used: Sequence[str], lang: str, listing: bool = False) -> str | None:
    """The line saying that words typed with an answer were not used (never dropped silently); ``listing``: the
    answer is a listing's, and the line says where a detail of it goes (never said of a profile: no listing there)."""
    left = unused_words(text, used) if text else None
    plain = unused_words(without_hedges(text), used) if left and text else None  # « environnement je pense »: nothing more said
    if left and plain and fold(re.sub(r"\W+", " ", plain)).strip() != fold(re.sub(r"\W+", " ", left)).strip():
        left = plain  # « sport le soir je pense »: « le soir »
    elif not plain:
        left = None
    return translate(lang, "echo.unused" if listing else "echo.unused_answer", typed=excerpt(left, 60)) if left else None


def _name_tidied(text: str) -> str:
    """The name an answer gives (:func:`~conversations.understanding.name_in_answer`), its first letter up when its
    first word is typed in lower case (« comité des fêtes de bron » → « Comité des fêtes de bron »; "eBay" kept)."""
    name = name_in_answer(text)
    return name[:1].upper() + name[1:] if name.split(" ")[0].islower() else name


def _name_with_its_commune(name: str, place: Any) -> str:
    """``name`` ending with the commune chosen, typed in lower case, spelt as the commune is (« Comité des fêtes de bron »
    in Bron (69) → « Comité des fêtes de Bron »)."""
    label = place.get("label") if isinstance(place, dict) else None
    if not isinstance(label, str):
        return name
    return name_with_commune_spelt(name, re.sub(r"\s*\([0-9AB]{2,3}\)$", "", label))


def _name_echo(value: Any, typed: str | None, session: Session, context: Context, lang: str) -> str | None:
    """The name kept, said back while a profile is made when what the answer said to the bot was taken
    out of it (« Acme Logistics (I already said that...) » → « Acme Logistics »): a name is public."""
    if session.flow == "profile" and typed and isinstance(value, str):  # « Bob Asso tel 06… » in /profil: said, never kept
        taken = [typed[a:b].strip() for a, b in contact_spans(typed) if typed[a:b].strip() not in value]
        if taken:
            return translate(lang, "name.contact_left_out", name=value, detail=excerpt(" ; ".join(taken), 80))
    if session.flow != "onboarding" or not typed or not isinstance(value, str):
        return None
    asides = asides_of(typed)
    if not asides or without_aside(typed) == " ".join(typed.split()):
        return None
    return translate(lang, "name.aside_left_out", name=value, aside=excerpt(" ; ".join(asides), 80))


def _themes_echo(value: Any, typed: str | None, session: Session, context: Context, lang: str) -> str | None:
    """The themes noted while a profile is made (an edit says them in its confirmation), and words
    typed with them that name no theme (« le soir »): said, never dropped silently."""
    themes = [str(v) for v in value] if isinstance(value, (list, tuple)) else []
    labels = [translate(language, f"theme.{t}") for t in catalog.THEME_VALUES for language in ("fr", "en")]
    markers = [marker for words in THEME_ANSWER_WORDS.values() for marker in words]
    chosen = set(themes)
    # the single words of the themes understood (« la vie du quartier » is Citoyenneté et vie locale, « l'éducation
    # des jeunes » Éducation et jeunesse): part of the answer, never quoted back as words not used
    markers += [
        word
        for theme in chosen
        for phrase in (*(translate(language, f"theme.{theme}") for language in ("fr", "en")), *THEME_ANSWER_WORDS.get(theme, ()))
        for word in re.split(r"[\W_]+", fold(phrase))
        if len(word) > 2
    ]
    if chosen:
        markers += THEME_TALK
    lines = []
    if session.flow == "onboarding" and themes:
        shown = ", ".join(translate(lang, f"theme.{t}") for t in themes)
        lines.append(translate(lang, "picker.chosen", choice=translate(lang, "echo.themes", themes=shown)))
    listing = session.flow in ("listing", "listings")  # a listing's themes (/annonces), not the profile's
    unused = _unused_note(typed, [*labels, *markers, "sans", "without", "except", "sauf"], lang, listing)
    if unused:
        lines.append(unused)
    return "\n".join(lines) or None


def _contact_echo(value: Any, typed: str | None, session: Session, context: Context, lang: str) -> str | None:
    """The contact noted (the account, the e-mail, the phone), and words typed with it that are no
    contact (« le soir »): said, never dropped silently."""
    written = value if isinstance(value, dict) else {}
    account = value == "handle" or bool(written.get("handle"))
    identity = context.identity
    shown = contact_lines(
        lang,
        platform=identity.platform if account else None,
        handle=identity.handle or identity.display_name if account else None,
        email=written.get("email"),
        phone=written.get("phone"),
        is_account=shown_handle(identity.platform, identity.handle) is not None,
    )
    lines = [translate(lang, "picker.chosen", choice=translate(lang, "echo.contact", contact=", ".join(shown)))] if shown else []
    spelt = typed is not None and find_email(typed) is None and spelt_email(typed) is not None  # « ruche at gmail point com »
    used = [str(written.get("email") or ""), str(written.get("phone") or "")]
    begun = phone_begun(typed) if typed and written.get("email") and not written.get("phone") else None
    if begun is not None:  # « kate@example.org or 06 12 »: the e-mail kept, the phone said incomplete (never dropped silently)
        lines.append(translate(lang, "contact.phone_incomplete_kept", typed=begun, kept=str(written["email"])))
        used.append(begun)
    unused = None if spelt else _unused_note(typed, used, lang)
    if unused:
        lines.append(unused)
    return "\n".join(lines) or None


def _handle(context: Context) -> str:
    identity = context.identity
    return identity.handle or identity.display_name or identity.user_id


def _contact_options(_: Session, context: Context) -> list[Option]:
    identity = context.identity
    params = handle_option_params(identity.platform, identity.handle)
    private = shown_handle(identity.platform, identity.handle) is None  # e.g. Telegram without a username
    return [
        Option("handle", key="contact.handle_private" if private else "contact.handle", params=params),
        Option("email", key="contact.email"),
        Option("phone", key="contact.phone"),
    ]


NO_CONTACT = re.compile(
    r"^\s*(?:passer|passe|skip|plus tard|later|rien|aucun|none|nothing|pas de contact|sans contact|no contact|pas maintenant|not now)\b"
)
"""A contact question answered by skipping it: a contact is required for introductions, said with why."""


PHONE_START = re.compile(r"^(?:\+\s*\d[\d .\-()]*|0\d[\d .\-()]*|\d{1,3}(?:[ .\-]\d{1,3}){2,}|\d{3,})$")
"""The beginning of a phone number typed at the contact question: digits only, starting with + or 0
(« 06 12 », « 0612 », "+33 6"), three digits or more, or three groups — never one or two option numbers."""


def _contact_from_text(text: str) -> dict[str, str] | None:
    """An e-mail and/or a phone number written anywhere in the answer ("joignez-moi à thomas@…")."""
    email, phone = find_email(text) or spelt_email(text), find_phone(text)  # « ruche at gmail point com »: ruche@gmail.com
    digits = sum(ch.isdigit() for ch in text)
    if email is None and phone is None and digits < 6 and PHONE_START.match(text.strip()):  # « 06 12 »: never two option numbers
        raise InputError("error.phone_incomplete", typed=excerpt(" ".join(text.split()), 40))
    if email is None and phone is None:
        if yes_no(text) is not None or NO_CONTACT.search(fold(text)):  # "passer", "ok", "non merci": it is required, say why
            raise InputError("error.contact_required")
        if email_attempt(text):  # « ruche@gmail », « ruche@@gmail.com », « ruche at gmail »: the form it takes, asked again
            raise InputError("error.email_form", typed=excerpt(" ".join(text.split()), 60))
        if digits >= 6:
            raise InputError("error.phone_digits")
        return None
    if phone is not None and not phone_valid(phone):  # "06 12 34 56 7": a digit missing, asked again, nothing kept
        raise InputError("error.phone_digits")
    written = {key: value for key, value in (("email", email), ("phone", phone)) if value}
    if ACCOUNT_WORDS.search(text):  # "mon compte et thomas@…": the account too, since they say so
        written["handle"] = "yes"
    return written


def _kept_contact_offer(session: Session, context: Context, lang: str) -> str | None:
    """« Je reprends kate@… ? »: the e-mail or phone typed at an earlier question of the profile, offered at the
    contact question (a yes takes it); None when none was kept."""
    kept = session.data.get(KEPT_CONTACT)
    if not isinstance(kept, str) or not kept:
        return None
    detail = " / ".join(found for found in (find_email(kept), find_phone(kept)) if found)
    return translate(lang, "contact.kept_offer", detail=detail) if detail else None


def _quick_contact_options(session: Session, context: Context) -> list[Option]:
    """The one-tap choice of the quick contact step: the person's own account, named as above."""
    return _contact_options(session, context)[:1]


CONSENTS = ("yes", "matching", "calls", "no")


def _after_contact(data: Mapping[str, Any]) -> str | None:
    mode = data.get("contact_mode")
    if mode == "email":
        return "contact_email"
    if mode == "phone":
        return "contact_phone"
    return None if data.get("_edit") else "consent_matching"


GIVEN = "_given"
"""Onboarding data: the answers a first message already gave ("Paul de l'association Les Jardins
partagés à Vaulx-en-Velin…": the name, the commune), whose questions are not asked."""
ASKED_IN_ORDER = ("kind", "name", "place", "themes")


def unanswered(step_id: str | None, data: Mapping[str, Any]) -> str | None:
    """``step_id``, or the first question after it that a first message did not already answer."""
    given = data.get(GIVEN) or ()
    while step_id in given and step_id in ASKED_IN_ORDER and step_id in data:
        step_id = ASKED_IN_ORDER[ASKED_IN_ORDER.index(step_id) + 1]
    return step_id


FOUND_PLACES = "_places"
"""Onboarding data: the communes a first message named that several places bear ("à Saint-Priest"),
proposed when the commune is asked."""


READ_PLACE = "_read_place"
"""Onboarding data: the place a first message named ({"text": "lille", "codes": [...]}); when the
commune chosen is another one, the presentation taken from that message no longer says it."""


def _place_prefill(session: Session, context: Context) -> list[dict[str, Any]]:
    """The communes proposed before anything is typed: an invitation's, or those a first message named."""
    if session.flow != "onboarding":
        return []
    if context.invite:
        return [context.invite]
    return list(session.data.get(FOUND_PLACES) or [])


def _then(step_id: str | None) -> Any:
    """Go to ``step_id`` during onboarding (or past it when already given), finish when a single field is being edited."""

    def choose(data: Mapping[str, Any]) -> str | None:
        return None if data.get("_edit") else unanswered(step_id, data)

    return choose


# ---------------------------------------------------------------- onboarding and profile

PROFILE_STEPS: dict[str, Step] = {
    step.id: step
    for step in (
        Step(
            "kind",
            "choice",
            "onboarding.kind",
            next=_then("name"),
            options=tuple(Option(kind, key=f"actor_type.{kind}", words=KIND_WORDS[kind]) for kind in catalog.ACTOR_TYPES),
        ),
        Step(
            "name",
            "text",
            "onboarding.name",
            next=_then("place"),
            min_length=2,
            max_length=120,
            validate=validate_name,
            check=_name_not_a_commune,
            announce_limit=True,
            tidy=_name_tidied,
            echo=_name_echo,
        ),
        Step(
            "place",
            "territory",
            "onboarding.place",
            next=_then("themes"),
            prefill=_place_prefill,
        ),
        Step(
            "themes",
            "multi",
            "onboarding.themes",
            next=_then("contact"),
            options=_themes_options,
            preselect=_profile_themes,
            typed_adds=True,
            echo=_themes_echo,
        ),
        Step(
            "description",
            "text",
            "onboarding.description",
            next=_then("contact"),
            skippable=True,
            min_length=3,
            max_length=280,
            announce_limit=True,
            cut_long=True,
            tidy=without_courtesy,
        ),
        Step(
            "contact",
            "choice",
            "onboarding.contact_quick",
            next=_then("consents"),
            options=_quick_contact_options,
            understand=_contact_from_text,
            takes_text=True,
            echo=_contact_echo,
            arrival=_kept_contact_offer,
        ),
        Step(
            "consents",
            "choice",
            "onboarding.consents",
            next=None,
            options=tuple(Option(value, key=f"consents.{value}", takes_all=value == "yes") for value in CONSENTS),
            understand=consents_named,  # "les suggestions seulement, pas les appels": what is named, less what is denied
        ),
        # older versions asked the contact in two steps and the consents in two: kept for saved sessions
        Step("contact_mode", "choice", "onboarding.contact", next=_after_contact, options=_contact_options),
        Step(
            "contact_email",
            "text",
            "onboarding.contact_email",
            next=_then("consent_matching"),
            max_length=254,
            validate=_validate_email,
        ),
        Step(
            "contact_phone",
            "text",
            "onboarding.contact_phone",
            next=_then("consent_matching"),
            max_length=24,
            validate=_validate_phone,
        ),
        Step("consent_matching", "choice", "onboarding.consent_matching", next=_then("consent_calls"), options=YES_NO, convert=_yes),
        Step("consent_calls", "choice", "onboarding.consent_calls", next=None, options=YES_NO, convert=_yes),
    )
}

PROFILE_FIELDS: tuple[str, ...] = (
    "kind",
    "name",
    "place",
    "themes",
    "description",
    "contact_mode",
    "consent_matching",
    "consent_calls",
)


def _actor_fields(data: Mapping[str, Any], context: Context) -> dict[str, Any]:
    fields = {key: data[key] for key in PROFILE_STEPS if key in data}
    contact = fields.pop("contact", None)
    if contact is not None:  # only what the person chose or wrote is shared: never the account unasked
        written = contact if isinstance(contact, dict) else {}
        fields["contact_handle"] = _handle(context) if contact == "handle" or written.get("handle") else None
        fields["contact_email"] = written.get("email")
        fields["contact_phone"] = written.get("phone")
    consents = fields.pop("consents", None)
    if consents is not None:
        fields["consent_matching"] = consents in ("yes", "matching")
        fields["consent_calls"] = consents in ("yes", "calls")
    mode = data.get("contact_mode")
    if mode is not None:
        fields["contact_handle"] = _handle(context) if mode == "handle" else None
        if mode != "email":
            fields["contact_email"] = None
        if mode != "phone":
            fields["contact_phone"] = None
    fields.pop("contact_mode", None)
    return fields


LANGUAGE_KEY = "_language"
"""The language the conversation was held in (the platform's, or the one the person wrote in)."""


def _finish_onboarding(data: Mapping[str, Any], context: Context) -> Finish:
    fields = _actor_fields(data, context)
    if isinstance(fields.get("name"), str):
        fields["name"] = _name_with_its_commune(fields["name"], data.get("place"))
    read = data.get(READ_PLACE)
    place = data.get("place")
    if (
        isinstance(read, dict)
        and isinstance(place, dict)
        and place.get("code") not in (read.get("codes") or ())
        and fields.get("description")
    ):
        fields["description"] = without_place(str(fields["description"]), str(read.get("text") or ""), str(data.get("name") or "")) or None
    fields.setdefault("description", None)
    fields.setdefault("contact_email", None)
    fields.setdefault("contact_phone", None)
    fields.setdefault("contact_handle", None)
    fields.setdefault("language", data.get(LANGUAGE_KEY) or normalise_language(context.identity.language_code) or context.default_language)
    fields["description"], contacts = _presentation_without_contacts(fields["description"])
    told = _contacts_removed(contacts, str(fields["language"]), "profile.contacts_removed")
    return Finish(
        message="onboarding.done_free_text", params={"name": fields.get("name") or data["name"]}, effects=(CreateActor(fields),), extra=told
    )


def _presentation_without_contacts(description: object) -> tuple[str | None, tuple[str, ...]]:
    """A presentation is read by everyone, like a listing: the contact details it gives are taken out
    (:func:`without_contacts`); the profile's own contact is what an introduction passes on."""
    if not description:
        return None, ()
    cleaned, contacts = without_contacts(str(description))
    return cleaned or None, contacts


ONBOARDING = Flow(
    "onboarding",
    PROFILE_STEPS,
    first=lambda session, _: unanswered("kind", session.data),
    finish=_finish_onboarding,
    requires_actor=False,
)


def _profile_params(_: Session, context: Context) -> dict[str, Any]:
    return {"summary": profile_summary(context)}


def profile_summary(context: Context) -> str:
    """A multi-line description of the actor's profile, in the actor's language."""
    actor = context.actor
    if actor is None:
        return ""
    lang = actor.language
    themes = ", ".join(translate(lang, f"theme.{t}") for t in actor.themes) or "—"
    identity = context.identity
    own = actor.contact_handle is not None and actor.contact_handle == identity.handle
    matrix = not own and is_matrix_id(actor.contact_handle)
    contacts = contact_lines(
        lang,
        platform="matrix" if matrix else identity.platform,
        handle=actor.contact_handle,
        email=actor.contact_email,
        phone=actor.contact_phone,
        name=actor.name,
        is_account=own or matrix,
    ) or ["—"]
    private = identity.platform == "telegram" and shown_handle("telegram", identity.handle) is None
    if actor.contact_handle and not matrix and private:  # their own Telegram account, without a username
        contacts[0] = translate(lang, "contact.handle_private", platform="Telegram")
    return translate(
        lang,
        "profile.summary",
        kind=translate(lang, f"actor_type.{actor.kind}"),
        name=actor.name,
        place=actor.place.label,
        themes=themes,
        description=actor.description or "—",
        contact=" · ".join(contacts),
        consent_matching=translate(lang, "common.yes" if actor.consent_matching else "common.no"),
        consent_calls=translate(lang, "common.yes" if actor.consent_calls else "common.no"),
        frequency=translate(lang, f"frequency.{actor.frequency}"),
        paused=translate(lang, "common.yes" if actor.paused else "common.no"),
    )


def _edit_target(data: Mapping[str, Any]) -> str | None:
    """The step that edits the chosen field; the contact is given in one answer (e-mail and/or phone)."""
    field = data.get("field")
    return "contact" if field == "contact_mode" else field


def _finish_profile(data: Mapping[str, Any], context: Context) -> Finish:
    """Save the edited field; a new commune takes along the listings whose zone was drawn from the
    old one (its commune, EPCI, département, or a radius around it), and says which moved."""
    fields = _actor_fields(data, context)
    told: tuple[Reply, ...] = ()
    if fields.get("description"):  # read by everyone: the contact details it gives are taken out, said
        fields["description"], contacts = _presentation_without_contacts(fields["description"])
        told = _contacts_removed(contacts, language_of(context), "profile.contacts_removed")
    if str(data.get("field") or "") == "contact_mode":
        told = (*told, *_contact_dropped(fields, context))
    finished = _profile_saved(fields, context, str(data.get("field") or ""))
    return replace(finished, extra=(*finished.extra, *told)) if told else finished


def _contact_dropped(fields: Mapping[str, Any], context: Context) -> tuple[Reply, ...]:
    """A new shared contact leaves out what was shared before (only what is typed is shared): said, with how to
    share both, never silently (« 06 … » typed where the e-mail was shared)."""
    actor = context.actor
    if actor is None or not any(key in fields for key in ("contact_handle", "contact_email", "contact_phone")):
        return ()
    lang = language_of(context)
    dropped = contact_lines(
        lang,
        platform=context.identity.platform if actor.contact_handle and not fields.get("contact_handle") else None,
        handle=actor.contact_handle if not fields.get("contact_handle") else None,
        email=actor.contact_email if actor.contact_email and actor.contact_email != fields.get("contact_email") else None,
        phone=actor.contact_phone if actor.contact_phone and actor.contact_phone != fields.get("contact_phone") else None,
        name=actor.name,
        is_account=shown_handle(context.identity.platform, context.identity.handle) is not None,
    )
    if not dropped:
        return ()
    return (Reply(text=translate(lang, "profile.contact_dropped", dropped=" · ".join(dropped)), language=lang),)


PROFILE_VALUE_CHARS = 120
"""The most of a new presentation said back after a change in /profil (the whole of it is in /profil)."""


def _changed_value(field: str, fields: Mapping[str, Any], context: Context, lang: str) -> str | None:
    """What the field ``field`` edited in /profil now says, as the profile's summary shows it (« FC Bron »,
    « Bron (69) », « Non »); None when the field is not known (an old session: the change said without it)."""
    if field == "kind" and fields.get("kind"):
        return translate(lang, f"actor_type.{fields['kind']}")
    if field == "name" and fields.get("name"):
        return str(fields["name"])
    if field == "place" and fields.get("place"):
        return Place.from_json(fields["place"]).label
    if field == "description" and "description" in fields:
        return excerpt(str(fields["description"]), PROFILE_VALUE_CHARS) if fields["description"] else "—"
    if field in ("consent_matching", "consent_calls") and field in fields:
        return translate(lang, "common.yes" if fields[field] else "common.no")
    if field == "contact_mode" and any(key in fields for key in ("contact_handle", "contact_email", "contact_phone")):
        identity = context.identity
        handle = fields.get("contact_handle")
        lines = contact_lines(
            lang,
            platform=identity.platform if handle else None,
            handle=handle,
            email=fields.get("contact_email"),
            phone=fields.get("contact_phone"),
            name=context.actor.name if context.actor is not None else None,
            is_account=shown_handle(identity.platform, identity.handle) is not None,
        )
        return " · ".join(lines) or "—"
    return None


def _profile_saved(fields: dict[str, Any], context: Context, field: str = "") -> Finish:
    actor = context.actor
    if "themes" in fields and actor is not None:  # the whole list, so a change is never silent
        themes = ", ".join(translate(actor.language, f"theme.{t}") for t in fields["themes"])
        return Finish(message="profile.themes_updated", params={"themes": themes}, effects=(UpdateActor(fields),))
    lang = language_of(context)
    value = _changed_value(field, fields, context, lang) if field in PROFILE_FIELDS else None
    said = {"field": translate(lang, f"profile.field.{field}"), "value": value} if value is not None else {}
    if "place" not in fields or actor is None:  # the new value said with the change: « Nom : FC Bron — c'est modifié. »
        return Finish(message="profile.updated_value" if said else "profile.updated", params=said, effects=(UpdateActor(fields),))
    new = Place.from_json(fields["place"])
    moves = moved_zones(actor.place, new, context.listings, actor.language)
    if not moves:
        return Finish(message="profile.updated_value" if said else "profile.updated", params=said, effects=(UpdateActor(fields),))
    lines = "\n".join(
        translate(
            actor.language,
            "profile.listing_moved",
            listing=listing_label(listing, actor.language),
            before=listing.zone_label,
            after=zone["zone_label"],
        )
        for listing, zone in moves
    )
    return Finish(
        message="profile.updated_value_listings_moved" if said else "profile.updated_listings_moved",
        params={"moves": lines, **said},
        effects=(UpdateActor(fields), *(UpdateListing(listing.id, zone) for listing, zone in moves)),
    )


def moved_zones(old: Place, new: Place, listings: Sequence[ListingView], language: str) -> list[tuple[ListingView, dict[str, Any]]]:
    """The open listings whose zone was drawn from ``old`` with the same zone around ``new``
    (the commune, its EPCI, its département, the same radius); those still right stay out."""
    moves: list[tuple[ListingView, dict[str, Any]]] = []
    for listing in listings:
        if listing.status == "closed":
            continue
        kind, code = listing.zone_kind, listing.zone_code
        value = None
        if kind in ("commune", "radius") and code == old.code:
            value = f"commune:{new.code}" if kind == "commune" else f"radius:{listing.radius_km}"
        elif kind == "epci" and old.epci and code == old.epci:
            value = f"epci:{new.epci}" if new.epci else f"commune:{new.code}"
        elif kind == "departement" and old.departement and code == old.departement:
            value = f"departement:{new.departement}" if new.departement else f"commune:{new.code}"
        if value is None:
            continue
        zone = zone_fields_at(value, new, language)
        if (zone["zone_kind"], zone["zone_code"]) != (kind, code):
            moves.append((listing, zone))
    return moves


PROFILE = Flow(
    "profile",
    {
        "field": Step(
            "field",
            "choice",
            "profile.pick_field",
            next=_edit_target,
            options=tuple(Option(name, key=f"profile.field.{name}") for name in PROFILE_FIELDS),
            params=_profile_params,
            convert=None,
        ),
        **PROFILE_STEPS,
    },
    first="field",
    finish=_finish_profile,
)


# ---------------------------------------------------------------- needs and offers


def _category_options(_: Session, __: Context) -> list[Option]:
    return [Option(c, key=f"category.{c}") for c in catalog.CATEGORIES]


def _category_said(text: str, _: Session, __: Context) -> str | None:
    """A category named by its words at « de quoi s'agit-il ? » (« un camion », « de la nourriture »), or the
    one a sentence is read for at the menu (« on peut aussi faire des gâteaux pour vos événements »)."""
    return category_named(text) or (guess_listing(text).category if word_count(text) >= SENTENCE_CATEGORY_WORDS else None)


SENTENCE_CATEGORY_WORDS = 4
"""From this many words, an answer at « de quoi s'agit-il ? » is read as the menu reads a sentence."""


def category_shown(category: str, description: str, lang: str) -> str:
    """A category as a recap names it: food filed under Matériel says so (« Matériel — la nourriture
    et les denrées y sont classées… »), so the person sees where it went."""
    label = translate(lang, f"category.{category}")
    if category == FOOD_CATEGORY and names_food(description):
        return translate(lang, "category.food_filed", category=label)
    return label


def _category_echo(value: Any, typed: str | None, session: Session, context: Context, lang: str) -> str | None:
    """Said after a category typed in words, not its label: where the listing goes."""
    if typed is None or not isinstance(value, str) or fold(typed).strip(" .!") == fold(translate(lang, f"category.{value}")):
        return None
    if category_named(typed) != value:  # a number, a label: the question's own answer
        return None
    return translate(lang, "picker.chosen", choice=category_shown(value, typed, lang))


def _skill_options(_: Session, __: Context) -> list[Option]:
    return [Option(s, key=f"skill.{s}") for s in catalog.SKILLS]


_OTHER_SKILL = re.compile(
    r"^\s*(?:autres?|other|others|another|something else)(?:\s+(?:comp[ée]tences?|skills?))?\s*(?:[-–—:,;(=/]|\s)\s*(?P<what>\S.*?)[\s).!]*$",
    re.IGNORECASE,
)
"""« autre - mécanique vélo », « autre : mécanique vélo », "other - bike mechanics": the « autre » skill, and what it is."""
_OTHER_WORD = re.compile(r"\b(?:autres?|other|others|another|something else)\b", re.IGNORECASE)


def _other_skill_described(text: str, session: Session, context: Context, language: str) -> Answer | None:
    """« autre - mécanique vélo », "other: bike mechanics" at the skills: « Autre compétence » ticked (with those
    ticked already), the words after it the listing's description (added to one already written; too short to be
    one, the beginning of the description asked next). None for anything else (« autre », « autre et 2 »)."""
    text = " ".join(text.split())
    other = _OTHER_WORD.search(text)
    if other is None:
        return None
    before = re.sub(r"(?:\s+(?:et|and)|[,;+&])+$", "", text[: other.start()].strip(" ,;+&")).strip()
    named: list[str] = []
    if before:  # « 1 et autre : mécanique vélo », "legal, other: bike mechanics": the options named before it too
        try:
            named = [option.value for option in parse_multi(before, _skill_options(session, context), language)]
        except InputError:
            return None
    found = _OTHER_SKILL.match(text[other.start() :])
    if found is None:
        return None
    what = found["what"].strip(" -–—:,;")
    if not re.search(r"[^\W\d_]{2}", what) or fold(what) in ("competence", "competences", "skill", "skills"):
        return None
    try:  # « autre et comptabilité », « autre, 2 »: options named, read as usual
        parse_multi(re.sub(r"^(?:et|and|\+|&)\s+", "", what, flags=re.IGNORECASE), _skill_options(session, context), language)
        return None
    except InputError:
        pass
    ticked = (
        [str(value) for value in (session.data.get("skill") or ()) if value != "autre"]
        if isinstance(session.data.get("skill"), list)
        else []
    )
    description = str(session.data.get("description") or "")
    if description and fold(what) not in fold(description):
        also: dict[str, Any] = {"description": f"{description.rstrip(' .')} ({what})"}
    elif description:
        also = {}
    elif len(what) >= LISTING_STEPS["description"].min_length:
        also = {"description": what[:1].upper() + what[1:]}
    else:  # « autre - vélo »: the start of the description, completed at its question
        also = {START: what}
    return Answer(value=list(dict.fromkeys([*ticked, *named, "autre"])), also=also)


def _zone_options(_: Session, context: Context) -> list[Option]:
    actor = context.actor
    if actor is None:
        return []
    place = actor.place
    options = [Option(f"commune:{place.code}", key="zone.commune", params={"place": place.label})]
    if place.epci:
        options.append(Option(f"epci:{place.epci}", key="zone.epci", params={"name": place.epci_name or place.epci}))
    if place.departement:
        options.append(
            Option(
                f"departement:{place.departement}",
                key="zone.departement",
                params={"name": place.departement_name or place.departement, "code": place.departement},
            )
        )
    for radius in catalog.RADII_KM:
        options.append(Option(f"radius:{radius}", key="zone.radius", params={"km": radius, "place": place.label}))
    return options


_REMARK_AFTER = re.compile(
    r"\s*(?:[,;:(]|\s-\s|\s(?:ça|ca|c['’ ]est|cest|ce\s+sera|on|car|parce|puisque|de\s+toute|is|will|would|that['’]s|it['’]s|as|since|"
    r"because|anyway)\b).*$",
    re.IGNORECASE,
)
"""What follows the zone named in an answer (« juste villeurbanne, c'est à emporter », « seulement sur villeurbanne ça
suffit », "just Villeurbanne is enough"): a remark, not the zone — and never more of the description."""
_THE_COMMUNE = frozenset(
    fold(words)
    for words in (
        *("commune", "la commune", "ma commune", "notre commune", "la ville", "ma ville", "notre ville", "la commune même"),
        *("town", "the town", "my town", "our town", "the city", "my city", "our city", "the municipality"),
    )
)
"""The commune zone said without its name (« juste la commune », "just the town")."""


def _commune_only(text: str, _: Session, context: Context) -> str | None:
    """ "juste Tourcoing", "only in Roubaix" at the zone question: the commune alone (not the radii
    around it that also bear its name), when the words are the profile's commune or say the commune
    (« juste la commune », "just the town"). A remark after it (« juste villeurbanne, c'est à emporter à pied
    de toute façon ») is read past: the step's own option is its answer, the remark is no description."""
    if context.actor is None:
        return None
    label = context.actor.place.label
    names = (fold(label), fold(re.sub(r"\s*\(\w+\)$", "", label)))
    whole = " ".join(text.split())
    for said in dict.fromkeys((whole, _REMARK_AFTER.sub("", whole))):
        place = only_place(said) if said else None
        if place is None:
            continue
        named = fold(place).strip(" .!")
        if named in names or named in _THE_COMMUNE:
            return f"commune:{context.actor.place.code}"
    return None


def _expiry_options(_: Session, __: Context) -> list[Option]:
    return [
        Option(str(months), key="expiry.default" if months == catalog.DEFAULT_EXPIRY_MONTHS else "expiry.months", params={"months": months})
        for months in catalog.EXPIRY_MONTHS
    ]


def _kind_params(session: Session, context: Context) -> dict[str, Any]:
    lang = language_of(context)
    kind = session.data.get("kind", "need")
    return {"kind": translate(lang, f"listing.kind.{kind}"), "kind_inline": translate(lang, f"listing.kind_inline.{kind}")}


def listing_kind(data: Mapping[str, Any]) -> str:
    """The kind of the listing being written: the one asked for, or the other one when the person said so."""
    kind = data.get("kind", "need")
    if data.get("confirm") == "switch":
        return "offer" if kind == "need" else "need"
    return kind


def _after_category(data: Mapping[str, Any]) -> str:
    """Skills chosen as the category: which ones, always (those a sentence named come ticked, to keep or correct)."""
    if data.get("category") == "competences":
        return "skill"
    return "zone" if described(data) else "description"


def _after_description(data: Mapping[str, Any]) -> str:
    """The zone, once the category is known; its category asked first when the description came first (« /besoin salle »)."""
    return "zone" if data.get("category") else "category_of"


def _after_skill(data: Mapping[str, Any]) -> str:
    return "zone" if described(data) else "description"


def described(data: Mapping[str, Any]) -> bool:
    """Whether a listing's description is written: a message cut in two (« on cherche qqn pour ») is not,
    its end is asked before anything is published."""
    description = str(data.get("description") or "")
    return bool(description) and not unfinished(description)


def _fragment_note(session: Session, _: Context, language: str) -> str | None:
    """Said before the description question when the description is the beginning of a sentence."""
    description = str(session.data.get("description") or "")
    if not description or not unfinished(description):
        return None
    return translate(language, "listing.description_unfinished", text=excerpt(description))


def _description_tidy(text: str) -> str:
    """A description typed without its courtesy, and with only its corrected words when it corrects itself
    (« un coach pour les enfants, ah non pardon c'est pour les ados » → « un coach pour les ados »)."""
    correcting = self_corrected(text)
    return without_courtesy(correcting[0] if correcting is not None else text)


def _description_echo(value: Any, typed: str | None, session: Session, context: Context, lang: str) -> str | None:
    """What a description that corrects itself took out, said back (« pour les enfants » → « pour les ados »)."""
    correcting = self_corrected(typed) if typed else None
    if correcting is None:
        return None
    return translate(lang, "listing.corrected", replaced=excerpt(correcting[1], 80), correction=excerpt(correcting[2], 80))


def _completing(value: Any, session: Session, _: Context) -> Any:
    """The description typed after the beginning of a sentence (« on cherche qqn pour », then « nous aider
    à faire la compta »): both joined, one description."""
    before = str(session.data.get("description") or "")
    if not isinstance(value, str) or not before or not unfinished(before):
        return value
    return completed(before, value)


def _after_confirm(data: Mapping[str, Any]) -> str | None:
    """A zone publishes at once; "it is an offer" asks the zone; "another category" asks it."""
    choice = data.get("confirm")
    if choice == "category":
        return "category_of"
    if choice == "switch":
        return "zone"
    return None


def _skills(data: Mapping[str, Any]) -> list[str | None]:
    """One listing per skill chosen ("2 3": accounting and communication), or one without skill."""
    skill = data.get("skill")
    if data.get("category") != "competences" or not skill:
        return [None]
    return [skill] if isinstance(skill, str) else list(skill)


def _confirm_options(session: Session, context: Context) -> list[Option]:
    """The zones (one tap publishes), then "it is rather an offer/need" and "another category"."""
    other = "offer" if session.data.get("kind", "need") == "need" else "need"
    return [
        *_zone_options(session, context),
        Option("switch", key=f"listing.confirm.switch.{other}"),
        Option("category", key="listing.confirm.category"),
    ]


def _confirm_params(session: Session, context: Context) -> dict[str, Any]:
    lang = language_of(context)
    data = session.data
    category = category_shown(str(data.get("category", "autre")), str(data.get("description") or ""), lang)
    skills = [s for s in _skills(data) if s]
    if skills:
        category += " (" + ", ".join(translate(lang, f"skill.{s}") for s in skills) + ")"
    return {**_kind_params(session, context), "category": category, "description": excerpt(data.get("description", ""))}


def _listing_first(session: Session, _: Context) -> str:
    """Straight to the confirmation when a free sentence already said what and which category
    (to its shortened description first when the sentence was too long); a sentence that says
    neither need nor offer asks which, a sentence without category asks it, quoting the sentence."""
    data = session.data
    sentence = data.get("description") or data.get(CUT)
    if sentence and not data.get("kind"):
        return "which"
    if data.get(START) and not data.get("description"):  # « /besoin salle »: too short, completed first, said why
        return "description"
    if not data.get("category"):
        return "category_of" if sentence else "category"
    if data.get(CUT) or (data.get("description") and not described(data)):  # a sentence cut in two: its end asked
        return "description"
    return "confirm" if data.get("description") else "category"


def _after_which(data: Mapping[str, Any]) -> str:
    if not data.get("category"):
        return "category_of"
    return "description" if data.get(CUT) or not described(data) else "confirm"


def _sentence_params(session: Session, context: Context) -> dict[str, Any]:
    """The sentence being classified, quoted in the question (and the kind, when known)."""
    sentence = session.data.get("description") or session.data.get(CUT) or session.data.get(START) or ""
    return {**_kind_params(session, context), "description": excerpt(sentence)}


def format_day(iso_day: str, context: Context) -> str:
    """An ISO date written the way the person reads dates ("24 février 2027")."""
    return format_day_in(iso_day, language_of(context))


REDATED = " "
"""Between a renewal's new last day and the event's new day (« c'est le 19 juin finalement » at « Prolonger pour
combien de temps ? »: "2027-06-20 2027-06-19"), when the listing's end came from the date in its description."""


def _read_renewal(text: str, session: Session, context: Context) -> str | None:
    """A duration typed at "Prolonger pour combien de temps ?" ("jusqu'à fin mars", "for 3 months",
    "sans date"): the new last day (ISO); a day past or too far is refused. The event's day said again
    (« ah non c'est le 19 juin finalement ») for a listing whose end came from its description's date: the
    new end and that day (:data:`REDATED`), its description said so when done."""
    listing = _chosen_listing(session, context)
    try:
        redated = None
        if listing is not None:
            with contextlib.suppress(ValueError):
                expires = date.fromisoformat(listing.expires_at[:10])
                redated = event_redated(text, listing.description, expires, context.now.date())
        if redated is not None:
            return f"{redated.end.isoformat()}{REDATED}{redated.day.isoformat()}"
        read = read_expiry(text, context.now.date())
    except WrongWeekday as wrong:  # « jusqu'au samedi 12 avril », a Monday
        raise InputError("when.wrong_weekday", **wrong.params(language_of(context))) from None
    if read is None:
        return None
    if read.error is not None or read.day is None:
        raise InputError(read.error or "when.past")
    return read.day.isoformat()


def _renewed_until(value: Any, context: Context) -> str:
    """The new expiry of a renewal: a number of months chosen, or the day typed."""
    text = str(value).split(REDATED)[0]
    return text if "-" in text else expires_at(context.now, int(text))


def expires_at(now: datetime, months: int) -> str:
    """The expiry date ``months`` calendar months after ``now`` (ISO date), as « pour 6 mois » typed (:func:`months_after`)."""
    return months_after(now.date(), months).isoformat()


def zone_fields(value: str, context: Context) -> dict[str, Any]:
    """Turn a zone option value (``epci:200046977``) into listing columns."""
    if context.actor is None:  # the listing flows start only for people with a profile
        raise ValueError("a zone needs the actor's commune")
    return zone_fields_at(value, context.actor.place, context.actor.language)


def zone_fields_at(value: str, place: Place, lang: str) -> dict[str, Any]:
    """The listing columns of zone option ``value`` drawn around ``place``."""
    kind, _, code = value.partition(":")
    if kind == "radius":
        return {
            "zone_kind": "radius",
            "zone_code": place.code,
            "zone_label": translate(lang, "zone.radius", km=int(code), place=place.label),
            "radius_km": int(code),
        }
    labels = {
        "commune": place.label,
        "epci": place.epci_name or code,
        "departement": f"{place.departement_name or code} ({code})",
    }
    return {"zone_kind": kind, "zone_code": code, "zone_label": labels.get(kind, code), "radius_km": None}


DUPLICATE = "duplicate"
"""Listing data: the answer to « Vous avez déjà publié ce besoin »: "keep" (nothing published) or "publish"."""


def _same_text(text: str) -> str:
    """A description up to case, accents, spacing and punctuation (« Une salle, SVP ! » = "une salle svp")."""
    return " ".join(re.sub(r"[\W_]+", " ", fold(text)).split())


def duplicate_of(data: Mapping[str, Any], listings: Sequence[ListingView]) -> ListingView | None:
    """The open listing of the actor that the one about to be published repeats: same kind, same
    category, same description up to case, spacing and punctuation; None when there is none."""
    description = data.get("description")
    if not isinstance(description, str) or not description.strip():
        return None
    kind, category, said = listing_kind(data), data.get("category"), _same_text(description)
    return next(
        (
            item
            for item in listings
            if item.status == "open" and item.kind == kind and item.category == category and _same_text(item.description) == said
        ),
        None,
    )


def about_to_publish(flow: str | None, data: Mapping[str, Any]) -> Mapping[str, Any]:
    """The listing a flow is about to publish: the one written (``listing``), or the other part of
    a cut sentence asked about in turn (:data:`MORE_FLOW`)."""
    if flow == MORE_FLOW:
        listing = data.get("listing")
        return listing if isinstance(listing, Mapping) else {}
    return data


def _duplicate_params(session: Session, context: Context) -> dict[str, Any]:
    """The listing already open that this one repeats, quoted with the day it was published."""
    data = about_to_publish(session.flow, session.data)
    same = duplicate_of(data, context.listings)
    kind = listing_kind(data)
    lang = language_of(context)
    return {
        "kind": translate(lang, f"listing.kind.{kind}"),
        "description": excerpt(same.description if same is not None else str(data.get("description", ""))),
        "published": format_day(same.created_at, context) if same is not None else "—",
    }


def _finish_listing(data: Mapping[str, Any], context: Context) -> Finish:
    """Publish the listing; themes default to the profile's and the duration to three months
    (both changeable in /annonces), so neither is asked on the way to a first need. A repeat of an
    open listing that its owner chose not to publish (:data:`DUPLICATE`) publishes nothing."""
    if data.get(DUPLICATE) == "keep":
        return Finish(message="listing.duplicate_kept")
    kind = listing_kind(data)
    zone = data.get("zone") or data["confirm"]  # the zone tapped on the confirmation
    themes = data.get("themes") or (context.actor.themes if context.actor else ())
    until = data.get(UNTIL)  # « oui, jusqu'à fin juin » at « Je l'enregistre aussi ? »: that day
    named = None if data.get("expiry") or until else end_named_in(str(data["description"]), context.now.date())
    lang = language_of(context)
    wrong: tuple[Reply, ...] = ()
    if named is not None and named.wrong is not None:  # « notre fête du samedi 13 juin », a Sunday: not its end, said
        said = named.wrong.params(lang)
        key = "listing.expiry_wrong_weekday"
        default = expires_at(context.now, int(data.get("expiry") or catalog.DEFAULT_EXPIRY_MONTHS))
        text = translate(lang, key, quoted=named.said, expires=format_day(default, context), **said)
        wrong, named = (Reply(text=text, language=lang),), None
    description, contacts = without_contacts(str(data["description"]))  # read by everyone: contacts go after a double yes
    fields: dict[str, Any] = {
        "kind": kind,
        "category": data["category"],
        "themes": list(themes),
        "description": description,
        "expires_at": named.day.isoformat()
        if named is not None  # « pour la fête de juin »: until the end of June, not three months
        else str(until)
        if until
        else expires_at(context.now, int(data.get("expiry") or catalog.DEFAULT_EXPIRY_MONTHS)),
        **zone_fields(zone, context),
    }
    effects = tuple(CreateListing({**fields, "subcategory": skill}) for skill in _skills(data))
    told = (
        (
            Reply(
                text=translate(lang, "listing.expiry_from_text", said=named.said, expires=format_day(fields["expires_at"], context)),
                language=lang,
            ),
        )
        if named is not None
        else wrong
    )
    told += _contacts_removed(contacts, lang)
    params = {
        "expires": format_day(fields["expires_at"], context),
        "themes": ", ".join(translate(lang, f"theme.{t}") for t in themes) or "—",
    }
    message = f"listing.published_n.{kind}"  # "Vos 2 offres sont enregistrées": one listing per skill
    actor = context.actor
    if actor is not None and actor.paused:  # no suggestion before the pause ends: said
        message = f"listing.published_paused_n.{kind}"
        params["resume"] = translate(lang, "pause.resume_command")
    return Finish(
        message=message,
        params=params,
        effects=effects,
        count=len(effects),
        extra=told,
    )


LISTING_STEPS: dict[str, Step] = {
    step.id: step
    for step in (
        Step(
            "confirm",
            "choice",
            "listing.confirm",
            next=_after_confirm,
            options=_confirm_options,
            params=_confirm_params,
            yes_takes_first=True,
            understand_in=_commune_only,
        ),
        Step(
            "category",
            "choice",
            "listing.category",
            next=_after_category,
            options=_category_options,
            params=_kind_params,
            understand_in=_category_said,
            echo=_category_echo,
        ),
        Step(
            "category_of",
            "choice",
            "listing.category_of",
            next=_after_category,
            options=_category_options,
            params=_sentence_params,
            store="category",
            understand_in=_category_said,
            echo=_category_echo,
        ),
        Step(
            "which",
            "choice",
            "listing.which",
            next=_after_which,
            options=(
                Option("need", key="listing.which.need", words=LISTING_KIND_WORDS["need"]),
                Option("offer", key="listing.which.offer", words=LISTING_KIND_WORDS["offer"]),
            ),
            params=_sentence_params,
            store="kind",
        ),
        Step("skill", "multi", "listing.skills", next=_after_skill, options=_skill_options, typed_adds=True, edit=_other_skill_described),
        # "themes" and "expiry" are no longer asked (profile themes, three months); kept for saved sessions
        Step("themes", "multi", "listing.themes", next="description", options=_themes_options, preselect=_profile_themes, typed_adds=True),
        Step(
            "description",
            "text",
            "listing.description",
            next=_after_description,
            min_length=10,
            max_length=1000,
            validate=_validate_description,
            params=_kind_params,
            announce_limit=True,
            cut_long=True,
            tidy=_description_tidy,
            echo=_description_echo,
            settle=_completing,
            arrival=_fragment_note,
        ),
        Step("zone", "choice", "listing.zone", next=None, options=_zone_options, understand_in=_commune_only),
        Step("expiry", "choice", "listing.expiry", next=None, options=_expiry_options),
        Step(
            DUPLICATE,
            "choice",
            "listing.duplicate",
            next=None,
            options=(Option("keep", key="listing.duplicate.keep"), Option("publish", key="listing.duplicate.publish")),
            params=_duplicate_params,
        ),
    )
}

NEW_LISTING = Flow("listing", LISTING_STEPS, first=_listing_first, finish=_finish_listing)


# ---------------------------------------------------------------- the other needs and offers of one sentence

MORE = "_more"
"""Listing data: the other needs or offers the sentence named (kind, category, skills, description),
asked about one at a time once the listing is published."""
MORE_FLOW = "listing_more"
CATEGORY_CHOSEN = "_category_chosen"
"""A listing of :data:`MORE` made by a category chosen beside the first (« bénévoles et matériel » at the category
question), not cut from the sentence: said so when it is asked about."""
UNTIL = "_until"
"""Listing data: the last day (ISO) said with the yes that publishes it (« oui ! et c jusqu'à fin juin en fait »
at « Je l'enregistre aussi ? »), instead of the duration of the one published before it."""
UNTIL_EVERY = "_until_every"
"""Listing data: the last day said for every listing of the sentence (« jusqu'à fin juin pour les deux »): the
next ones asked about take it too."""


def _more_params(session: Session, context: Context) -> dict[str, Any]:
    lang = language_of(context)
    listing = session.data.get("listing") or {}
    category = translate(lang, f"category.{listing.get('category', 'autre')}")
    skills = [s for s in _skills(listing) if s]
    if skills:
        category += " (" + ", ".join(translate(lang, f"skill.{s}") for s in skills) + ")"
    kind = translate(lang, f"queue.draft_kind.{listing.get('kind') or 'need'}")
    origin = translate(lang, "listing.more_origin.category" if listing.get(CATEGORY_CHOSEN) else "listing.more_origin.sentence")
    return {"kind": kind, "category": category, "description": excerpt(listing.get("description", "")), "origin": origin}


def _finish_more(data: Mapping[str, Any], context: Context) -> Finish:
    """Yes: the other need or offer is published with its own category and description, in the zone,
    themes and duration of the one just published; no: it is dropped (and said so)."""
    listing = data.get("listing") or {}
    if data.get("more") != "yes":
        return Finish(message="listing.more_dropped")
    if data.get(DUPLICATE) == "keep":  # the same as one already open: not published twice
        return Finish(message="listing.duplicate_kept")
    until = data.get(UNTIL) or data.get(UNTIL_EVERY)
    published = {**listing, "zone": data.get("zone"), "expiry": None if until else data.get("expiry"), "themes": data.get("themes")}
    if until:
        published[UNTIL] = until
    return _finish_listing(published, context)


LISTING_MORE = Flow(
    MORE_FLOW,
    {"more": Step("more", "choice", "listing.more", next=None, options=YES_NO, params=_more_params), DUPLICATE: LISTING_STEPS[DUPLICATE]},
    first="more",
    finish=_finish_more,
)


# ---------------------------------------------------------------- my listings


def listing_label(listing: ListingView, language: str, width: int = 40) -> str:
    """One line describing a listing: kind, category, status, start of the description (``width`` characters)."""
    category = translate(language, f"category.{listing.category}")
    if listing.subcategory:
        category += f" ({translate(language, f'skill.{listing.subcategory}')})"
    text = listing.description if len(listing.description) <= width else listing.description[: width - 1] + "…"
    return translate(
        language,
        "listings.line",
        kind=translate(language, f"listing.kind.{listing.kind}"),
        category=category,
        status=translate(language, f"listing.status.{listing.status}"),
        text=text,
    )


def _listing_options(_: Session, context: Context) -> list[Option]:
    lang = language_of(context)
    visible = [item for item in context.listings if item.status != "closed"]
    return [Option(str(item.id), label=listing_label(item, lang)) for item in visible]


def _chosen_listing(session: Session, context: Context) -> ListingView | None:
    wanted = session.data.get("listing")
    return next((item for item in context.listings if str(item.id) == wanted), None)


def _listing_params(session: Session, context: Context) -> dict[str, Any]:
    listing = _chosen_listing(session, context)
    lang = language_of(context)
    if listing is None:
        return {"listing": "", "zone": "", "expires": ""}
    return {
        "listing": listing_label(listing, lang),
        "description": listing.description,
        "zone": listing.zone_label,
        "expires": format_day(listing.expires_at, context),
        "themes": ", ".join(translate(lang, f"theme.{t}") for t in listing.themes) or "—",
    }


LISTING_ACTIONS = ("edit_description", "edit_themes", "edit_zone", "renew", "close")
_ACTION_WORDS = {
    "close": CLOSE_WORDS,
    "renew": RENEW_WORDS,
    "edit_zone": ("changer la zone", "la zone", "zone", "change the zone", "the zone", "change the area", "the area", "area"),
    "edit_description": ("changer la description", "la description", "change the description", "the description", "le texte"),
    "edit_themes": ("changer les themes", "les themes", "change the themes", "the themes"),
}
"""Other words for a listing's actions: « supprimer », « changer la date » ("change the date"); « changer la zone »
is the zone's, never read as « changer la date » with a typo."""


def _after_action(data: Mapping[str, Any]) -> str | None:
    return {"edit_description": "description", "edit_themes": "themes", "edit_zone": "zone", "renew": "renew"}.get(data.get("action", ""))


def _listing_themes(session: Session, context: Context) -> Sequence[str]:
    listing = _chosen_listing(session, context)
    return listing.themes if listing else ()


def _finish_listings(data: Mapping[str, Any], context: Context) -> Finish:
    listing_id = int(data["listing"])
    action = data.get("action")
    fields: dict[str, Any]
    listing = next((item for item in context.listings if item.id == listing_id), None)
    lang = language_of(context)
    extra: tuple[Reply, ...] = ()
    if action == "close":
        fields, message = {"status": "closed"}, "listings.closed"
    elif action == "renew":
        fields = {"status": "open", "expires_at": _renewed_until(data["renew"], context)}
        message = "listings.renewed"
        _, _, event = str(data["renew"]).partition(REDATED)
        rewritten = with_event_day(listing.description, date.fromisoformat(event), context.now.date()) if event and listing else None
        if rewritten is not None:  # « c'est le 19 juin finalement »: the description says the new day too
            fields["description"], said, written = rewritten
            expires = format_day(fields["expires_at"], context)
            message, extra = (
                "",
                (Reply(text=translate(lang, "listing.event_redated", old=said, new=written, expires=expires), language=lang),),
            )
    elif action == "edit_description":
        description, contacts = without_contacts(str(data["description"]))  # read by everyone: contacts after a double yes
        fields, message = {"description": description}, "listings.description_updated"
        if listing is not None:
            fields, extra = _end_follows_description(listing, description, fields, context)
        extra = _contacts_removed(contacts, lang) + extra
    elif action == "edit_themes":
        fields, message = {"themes": list(data["themes"])}, "listings.themes_updated"
    else:
        fields, message = zone_fields(data["zone"], context), "listings.zone_updated"
    if listing is not None and action in ("edit_description", "edit_themes", "edit_zone") and not extra and _unchanged(listing, fields):
        return Finish(message="listings.unchanged")  # « 1 », already ticked; the same text again: nothing written, said
    expires = format_day(fields["expires_at"], context) if "expires_at" in fields else ""
    themes = ", ".join(translate(lang, f"theme.{t}") for t in fields.get("themes", ())) or "—"
    shown = {"description": excerpt(str(fields.get("description") or ""), 200), "zone": str(fields.get("zone_label") or "")}
    return Finish(
        message=message, params={"expires": expires, "themes": themes, **shown}, effects=(UpdateListing(listing_id, fields),), extra=extra
    )


def _unchanged(listing: ListingView, fields: Mapping[str, Any]) -> bool:
    """Whether writing ``fields`` would leave ``listing`` as it is (themes in any order)."""
    for name, value in fields.items():
        current = getattr(listing, name, None)
        if name == "themes" and set(current or ()) != set(value):
            return False
        if name != "themes" and current != value:
            return False
    return True


def _end_follows_description(
    listing: ListingView, description: str, fields: dict[str, Any], context: Context
) -> tuple[dict[str, Any], tuple[Reply, ...]]:
    """A description edited in /annonces whose listing's end came from the date of its event (« samedi 12 juin »
    → visible until 13 June): its new date moves the end the same way (« 19 juin » → 20 June), said. A day of the
    week that is not the date's is never taken: the real day said, the end kept. Other listings: as they were."""
    lang, today = language_of(context), context.now.date()
    try:
        expires = date.fromisoformat(listing.expires_at[:10])
    except ValueError:
        return fields, ()
    if not end_from_description(listing.description, expires, today):
        return fields, ()
    named = end_named_in(description, today)
    if named is not None and named.wrong is not None:  # « samedi 20 juin », a Sunday: not its end, said
        text = translate(
            lang,
            "listing.expiry_wrong_weekday",
            quoted=named.said,
            expires=format_day(listing.expires_at, context),
            **named.wrong.params(lang),
        )
        return fields, (Reply(text=text, language=lang),)
    event = event_day_in(description, today - timedelta(days=1))
    if named is None or event is None or named.day != event[0] + timedelta(days=1) or named.day == expires:
        return fields, ()
    text = translate(lang, "listing.expiry_from_text", said=named.said, expires=format_day(named.day.isoformat(), context))
    return {**fields, "expires_at": named.day.isoformat()}, (Reply(text=text, language=lang),)


def _contacts_removed(removed: Sequence[str], language: str, key: str = "listing.contacts_removed") -> tuple[Reply, ...]:
    """Said when a listing's or a presentation's text gave contact details, taken out (:func:`without_contacts`)."""
    if not removed:
        return ()
    return (Reply(text=translate(language, key, removed=" ; ".join(removed)), language=language),)


LISTINGS = Flow(
    "listings",
    {
        "listing": Step("listing", "choice", "listings.pick", next="action", options=_listing_options),
        "action": Step(
            "action",
            "choice",
            "listings.action",
            next=_after_action,
            options=tuple(Option(a, key=f"listings.action.{a}", words=_ACTION_WORDS.get(a, ())) for a in LISTING_ACTIONS),
            params=_listing_params,
        ),
        "description": Step(
            "description",
            "text",
            "listings.new_description",
            next=None,
            min_length=10,
            max_length=1000,
            validate=_validate_description,
            params=_listing_params,
            announce_limit=True,
            cut_long=True,
            tidy=without_courtesy,
        ),
        "themes": Step(
            "themes",
            "multi",
            "listing.themes",
            next=None,
            options=_themes_options,
            preselect=_listing_themes,
            typed_adds=True,
            echo=_themes_echo,
        ),
        "zone": Step("zone", "choice", "listing.zone", next=None, options=_zone_options, understand_in=_commune_only),
        "renew": Step("renew", "choice", "listings.renew", next=None, options=_expiry_options, understand_in=_read_renewal),
    },
    first=lambda session, context: "listing" if _listing_options(session, context) else None,
    finish=_finish_listings,
    empty=lambda context: Finish(message="listings.none_open" if context.listings else "listings.empty"),  # all closed: not "yet"
)


# ---------------------------------------------------------------- settings


def _settings_params(_: Session, context: Context) -> dict[str, Any]:
    actor = context.actor
    if actor is None:
        return {"frequency": "", "language": "", "early": ""}
    # paused (/pause or « En pause »): said first, whatever the frequency (the option that resumes is offered), with its end
    if actor.paused and actor.paused_until:
        day = pause_last_day(actor.paused_until, context.now, actor.language)
        frequency = translate(actor.language, "settings.paused_until", day=day)
    else:
        frequency = translate(actor.language, "settings.paused" if actor.paused else f"frequency.{actor.frequency}")
    return {
        "frequency": frequency,
        "language": translate(actor.language, f"language.{actor.language}"),
        "early": translate(actor.language, "settings.early_state.on" if actor.early_alerts else "settings.early_state.off"),
    }


FREQUENCY_OPTIONS: tuple[Option, ...] = tuple(Option(f, key=f"frequency.{f}", words=FREQUENCY_WORDS[f]) for f in catalog.FREQUENCIES)
LANGUAGE_OPTIONS: tuple[Option, ...] = tuple(Option(lang, key=f"language.{lang}", words=LANGUAGE_WORDS[lang]) for lang in catalog.LANGUAGES)
NAMED_VALUE = "="
"""Joins a setting and its value named at the settings' menu (« tous les mois » → "frequency=monthly")."""


def _frequency_shifted(text: str, _: Session, context: Context) -> str | None:
    """« moins souvent svp », "more often": the frequency next to the profile's, that way (the least often one kept
    at its end); None when the text says neither or there is no profile."""
    shift = frequency_shift(text)
    if shift is None or context.actor is None:
        return None
    offered = [f for f in catalog.FREQUENCIES if f != catalog.PAUSED_FREQUENCY]
    current = context.actor.frequency if context.actor.frequency in offered else offered[0]
    return offered[max(0, min(len(offered) - 1, offered.index(current) + shift))]


UNTIL_MARK = "@"
"""Joins « En pause » and the moment the pause ends, read at the settings (« pause jusqu'au 15 janvier »)."""


def _pause_with_end(text: str, _: Session, context: Context) -> str | None:
    """« en pause jusqu'au 15 janvier svp », "paused for two weeks" at the settings: « En pause » with its end
    (``paused@<ISO end>``), read as /pause reads it; None without an end (the options read « pause » alone).
    An end past, too far or unread is said (:class:`InputError`), nothing changed."""
    wish = pause_wish(re.sub(r"(?i)\bpaused\b", "pause", text))
    if not wish:
        return None
    end = read_pause_end(wish, context.now.date())
    if end.error is not None:
        raise InputError(end.error)
    if end.day is None:  # « jusqu'à nouvel ordre »: until /reprendre
        return catalog.PAUSED_FREQUENCY
    return f"{catalog.PAUSED_FREQUENCY}{UNTIL_MARK}{iso(pause_until(end.day, context.now))}"


def _frequency_answer(text: str, session: Session, context: Context) -> str | None:
    """The frequency question's words: a pause with its end, or « moins souvent svp »."""
    return _pause_with_end(text, session, context) or _frequency_shifted(text, session, context)


def _setting_value_named(text: str, session: Session, context: Context) -> str | None:
    """Words at the settings' menu that name a setting's value (« une fois par mois ça suffira », « moins souvent »,
    "in English please"): that setting and value ("frequency=monthly"), applied as one level down; None for a menu
    option, a number, or words that name no value."""
    if context.actor is None or fold(text).strip(" .!?").isdigit():
        return None
    alerts = alerts_wanted(text)  # « désactiver les alertes », "turn alerts off": before the menu's « Alertes »
    if alerts is not None:  # and before « plus … », "no more …" (a frequency)
        return f"early{NAMED_VALUE}{'on' if alerts else 'off'}"
    language = language_of(context, session)
    menu = SETTINGS.steps["setting"]
    try:
        parse_choice(text, list(menu.options(session, context) if callable(menu.options) else menu.options), language)
        return None  # « fréquence », « langue »: the menu's own option, asked one level down
    except InputError:
        pass
    paused = _pause_with_end(text, session, context) if context.actor is not None else None
    if paused is not None:  # « pause jusqu'au 15 janvier »: its end kept, as at the frequency question
        return f"frequency{NAMED_VALUE}{paused}"
    shifted = _frequency_shifted(text, session, context)
    if shifted is not None:
        return f"frequency{NAMED_VALUE}{shifted}"
    for setting, options in (("frequency", FREQUENCY_OPTIONS), ("language", LANGUAGE_OPTIONS)):
        try:
            return f"{setting}{NAMED_VALUE}{parse_choice(text, options, language).value}"
        except InputError:
            continue
    return None


def _alerts_said(text: str, _: Session, __: Context) -> str | None:
    """Words at the alerts' question that turn them on or off (« désactivez », "turn them off"), the alerts named or not."""
    wanted = alerts_wanted(text, named=False)
    return None if wanted is None else "on" if wanted else "off"


def _named_setting(data: Mapping[str, Any]) -> Mapping[str, Any]:
    """``data`` with a value named at the settings' menu (:data:`NAMED_VALUE`) as if chosen one level down."""
    setting = str(data.get("setting") or "")
    if NAMED_VALUE not in setting:
        return data
    name, value = setting.split(NAMED_VALUE, 1)
    return {**data, "setting": name, name: value}


def _finish_settings(data: Mapping[str, Any], context: Context) -> Finish:
    data = _named_setting(data)
    if data.get("setting") == "todo":  # coordinators' weekly to-do
        return todo.finish_setting(data)
    if data.get("setting") == "language":  # without a profile (a coordinator): kept in the conversation's language
        effects = (UpdateActor({"language": data["language"]}),) if context.actor is not None else ()
        return Finish(message="settings.language_set", effects=effects, language=data["language"])
    if data.get("setting") == RESUME:  # paused with /pause: as /reprendre
        return Finish(message="resume.done", effects=(UpdateActor(dict(RESUMED)),))
    if data.get("setting") == "early":
        return Finish(message=f"settings.early_set.{data['early']}", effects=(UpdateActor({"early_alerts": data["early"] == "on"}),))
    frequency, _, until = str(data["frequency"]).partition(UNTIL_MARK)
    if frequency == catalog.PAUSED_FREQUENCY:  # « En pause »: the pause, as /pause (its end said), the frequency kept
        return Finish(**pause_said(until or None, context.now, language_of(context)))
    if context.actor is not None and context.actor.paused:  # a frequency chosen while paused: the pause ends, said
        return Finish(
            message="settings.frequency_set_resumed",
            params={"frequency_key": frequency},
            effects=(UpdateActor({"frequency": frequency, **RESUMED}),),
        )
    return Finish(
        message="settings.frequency_set",
        params={"frequency_key": frequency},
        effects=(UpdateActor({"frequency": frequency}),),
    )


def pause_said(until: str | None, now: datetime, language: str) -> dict[str, Any]:
    """A pause (/pause, « En pause » in /reglages) ending at ``until`` (ISO; None: until /reprendre): what is said
    (``message``, ``params``) and changed (``effects``)."""
    if until is None:
        return {"message": "pause.done", "params": {}, "effects": (UpdateActor({"paused": True, "paused_until": None}),)}
    return {
        "message": "pause.done_until",
        "params": {"day": pause_last_day(until, now, language), "resume": resume_day(until, now, language)},
        "effects": (UpdateActor({"paused": True, "paused_until": until}),),
    }


RESUME = "resume"
"""The settings' option offered while suggestions are paused (/pause or « En pause »): they start again."""
RESUMED: Mapping[str, Any] = {"paused": False, "paused_until": None}
"""What /reprendre (and « Reprendre les suggestions ») changes: no pause, nor its end."""


SETTINGS = Flow(
    "settings",
    {
        "setting": Step(
            "setting",
            "choice",
            "settings.pick",
            next=lambda data: None if data.get("setting") == RESUME or NAMED_VALUE in str(data.get("setting")) else data.get("setting"),
            options=lambda session, context: [  # the same numbers paused or not: « reprendre » comes last
                Option("frequency", key="settings.frequency"),
                Option("language", key="settings.language"),
                Option("early", key="settings.early"),
                *todo.settings_option(session, context),
                *((Option(RESUME, key="settings.resume"),) if context.actor is not None and context.actor.paused else ()),
            ],
            params=_settings_params,
            understand_in=_setting_value_named,  # « une fois par mois ça suffira », "in English please": applied here
        ),
        "coordinator": todo.COORDINATOR_SETTING,  # a coordinator without a profile: only the to-do
        "todo": todo.TODO_SETTING,
        "frequency": Step(
            "frequency",
            "choice",
            "settings.frequency_prompt",
            next=None,
            options=FREQUENCY_OPTIONS,
            understand_in=_frequency_answer,  # « pause jusqu'au 15 janvier », « moins souvent svp »
        ),
        "language": Step(
            "language",
            "choice",
            "settings.language_prompt",
            next=None,
            options=LANGUAGE_OPTIONS,
        ),
        "early": Step(
            "early",
            "choice",
            "settings.early_prompt",
            next=None,
            options=(Option("on", key="settings.early.on"), Option("off", key="settings.early.off")),
            understand_in=_alerts_said,  # « désactive-les », "turn them off"
        ),
    },
    first=lambda _, context: "setting" if context.actor is not None else "coordinator",
    finish=_finish_settings,
)


# ---------------------------------------------------------------- deletion and menu


def _delete_scope(session: Session, context: Context) -> dict[str, Any]:
    """What this person's deletion removes, said before they confirm: their profile (or that they
    have none), and for a coordinator their appointments, the calls it cancels, what it leaves."""
    language = language_of(context, session)
    what = translate(language, "delete.what.profile" if context.actor is not None else "delete.what.no_profile")
    lines: list[str] = []
    if context.areas:
        areas = ", ".join(dict.fromkeys(area.label for area in context.areas))
        lines.append(translate(language, "delete.scope.appointments", areas=areas))
        scope = context.lookup.erasure_scope(context.areas) if context.lookup is not None else {}
        if scope.get("calls"):
            lines.append(translate_plural(language, "delete.scope.calls_n", int(scope["calls"])))
        kept = int(scope.get("events", 0)) + int(scope.get("groups", 0))
        if kept:
            lines.append(translate_plural(language, "delete.scope.kept_n", kept))
    if context.actor is not None and context.lookup is not None:  # a member's groups are told they left (no name)
        lines += [translate(language, "delete.scope.group", name=name) for name in context.lookup.joined_groups(context.actor.id)]
    extra = "".join("\n• " + line for line in lines)
    return {"what": what, "extra": extra}


def _delete_options(_: Session, context: Context) -> list[Option]:
    """Delete, or keep: one's profile, or (without one) nothing is deleted."""
    keep = "delete.no" if context.actor is not None else "delete.no_nothing"
    return [Option("yes", key="delete.yes"), Option("no", key=keep)]


def _deletion_confirmed(text: str, _: Session, __: Context) -> str | None:
    """« oui tout supprimer », "yes delete everything": the yes option, the action said again; None
    for anything else (a bare « oui » stays refused: only the label, its number or such words delete)."""
    return "yes" if confirms_deletion(text) else None


def _finish_delete(data: Mapping[str, Any], _: Context) -> Finish:
    if data.get("confirm") == "yes":
        return Finish(message="delete.done", effects=(DeleteActor(),), then_menu=False, reset=True)
    return Finish(message="delete.kept")


DELETE = Flow(
    "delete",
    {
        "confirm": Step(
            "confirm",
            "choice",
            "delete.confirm",
            next=None,
            params=_delete_scope,
            options=_delete_options,
            lenient=False,
            understand_in=_deletion_confirmed,
        )
    },
    first="confirm",
    finish=_finish_delete,
    requires_actor=False,  # someone who never finished onboarding can delete what they typed
)

MENU_ENTRIES: tuple[str, ...] = ("besoin", "offre", "suggestions", "annonces", "profil", "reglages", "aide")

MENU = Flow(
    "menu",
    {
        "main": Step(
            "main",
            "choice",
            "menu.prompt",
            next=None,
            options=tuple(Option(entry, key=f"menu.{entry}") for entry in MENU_ENTRIES),
            takes_text=True,
        )
    },
    first="main",
    finish=lambda data, context: Finish(),
)

FLOWS: dict[str, Flow] = {flow.id: flow for flow in (ONBOARDING, PROFILE, NEW_LISTING, LISTING_MORE, LISTINGS, SETTINGS, DELETE, MENU)}
