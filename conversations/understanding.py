"""Understanding what people type: forgiving choices, yes and no, contacts and places
inside sentences, and a first guess of what a free sentence asks for.

Pure text functions, no I/O and no translation: the engine turns their results into
questions and answers. Matching works on folded text (lower case, no accents, single
spaces) so "Environnement", "environnement" and "ENVIRONNEMENT" are the same word.
Typos are matched with rapidfuzz (already used by the territory resolver) rather than a
hand-written distance.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, Indel

from core.text import strip_accents

FUZZY_ACCEPT = 85.0
"""A typo is accepted when its similarity (0–100) reaches this and no other option is close."""
FUZZY_MARGIN = 8.0
FUZZY_PROPOSE = 70.0
"""Below acceptance but above this, the closest options are proposed back."""
MIN_PREFIX = 3
SHORT_WORD = 6
"""Below this many letters, one letter changed makes another word ("lille" is not « ville »,
"sete" not « sme »): a typo of a short word is only a letter more, a letter less or two letters
swapped, with the first letter right."""


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced text for comparisons."""
    if text.isascii():  # what people type, mostly: nothing to decompose (a step folds 2 texts or more)
        return " ".join(text.split()).lower()
    return _fold_unicode(text)


@functools.lru_cache(maxsize=4096)
def _fold_unicode(text: str) -> str:
    """:func:`fold` of a text with accents (option labels, mostly: the same ones again and again)."""
    stripped = strip_accents(text, ligatures=False)  # "œ" stays "œ": options are folded the same way
    return re.sub(r"\s+", " ", stripped).strip().lower()


_GLUED_UNIT = re.compile(r"(?<=\d)(?=(?:km|kms|kilometres?|h|min|mn|ans|euros?)\b)")
"""A number glued to its unit ("10km", "2h", "500euros"): read as written apart."""
_KILOMETRES = re.compile(r"(?<=\d )(?:kms|kilometres?)\b")
"""Kilometres after a number, however written ("10 kms", "10 kilomètres"): "km", as the zone options say."""


GREETINGS = ("bonjour", "bonsoir", "salut", "slt", "coucou", "cc", "bjr", "bsr", "yo", "hello", "hi", "hey", "hiya")
"""The greetings a message starts with, as typed and in SMS style (« slt », « cc », « bjr », « bsr »): one list for
every reader (never part of a name, a presentation, a need)."""
HELLO = "(?:" + "|".join(r"cc(?![ \-]+(?:de|du|des|d['’ ]))" if word == "cc" else word for word in GREETINGS) + ")"
""":data:`GREETINGS` as a pattern; « cc » before « de/du » is a communauté de communes."""
_SMS = {"jsuis": "je suis", "jsui": "je suis", "chui": "je suis", "dispo": "disponible", "dispos": "disponibles", "resp": "responsable"}
_SMS_WORDS = re.compile(
    r"\b(?:" + "|".join(_SMS) + r")\b|\bpr(?= (?:du|de|des|d|le|la|les|l|un|une|nos|notre|vos|votre|ce|cette|ces|[a-z]+(?:er|ir))\b)"
)
"""Everyday SMS French read as written in full (« jsuis », « dispo », « pr du bénévolat »): « pr » only before what
« pour » introduces (PR, public relations, stays)."""


def _sms(match: re.Match[str]) -> str:
    return _SMS.get(match.group(0), "pour")


_NOT_WORD = re.compile(r"[^\w@+]+")
_SPACES = re.compile(r"\s+")


@functools.lru_cache(maxsize=1024)
def _words(text: str) -> str:
    """Folded text with punctuation turned into spaces ("Oui, bien sûr !" → "oui bien sur"), units
    apart from their number ("10km" → "10 km").

    Remembered for the latest texts: one step reads the same text several times (is it a yes, a
    sentence, a listing?), each time through these words."""
    words = _GLUED_UNIT.sub(" ", _SPACES.sub(" ", _NOT_WORD.sub(" ", fold(text).replace("’", "'"))).strip())
    words = _SMS_WORDS.sub(_sms, words)
    return _KILOMETRES.sub("km", words)


# ---------------------------------------------------------------- choices


@dataclass(frozen=True, slots=True)
class Match:
    """The outcome of matching typed text against labelled options.

    ``index`` is the chosen option (0-based) or None; ``close`` lists the closest options
    when the text could mean several of them (ask again with those).
    """

    index: int | None = None
    close: tuple[int, ...] = ()


YES_NO_MAX_WORDS = 6
"""A yes or no word chooses an option only in a short answer ("Oui, volontiers, pour les deux."),
never at the start of a sentence of its own ("Oui on peut tenir un stand avec nos légumes…")."""
SENTENCE_MAX_WORDS = 12
"""Longer than this, a text is a message of its own, not the choice of an option it happens to name."""
ALL_WORDS = frozenset(("tous", "toutes", "tout", "tout le monde", "all", "everything", "everyone", "all of them", "tous les types"))
"""What selects every option of a multiple choice ("tous", "all")."""


def word_count(text: str) -> int:
    """The number of words of ``text`` ("Oui, bien sûr !" → 3)."""
    words = _words(text)
    return len(words.split(" ")) if words else 0


def free_sentence(text: str) -> bool:
    """Whether ``text`` reads as a message of its own rather than the choice of an option: more
    than :data:`SENTENCE_MAX_WORDS` words, or four words or more that ask a question ("Forum des
    associations le 12 décembre : qui veut tenir un stand ?")."""
    count = word_count(text)
    return count > SENTENCE_MAX_WORDS or (count >= 4 and "?" in text)


_NOT_ALNUM = re.compile(r"[\W_]+")


def not_an_answer(text: str) -> bool:
    """Whether ``text`` cannot be a written answer: a single character or only a number ("1", "?", "42")."""
    stripped = _NOT_ALNUM.sub("", fold(text))
    return len(stripped) <= 1 or stripped.isdigit()


_WRAPPED_NUMBER = re.compile(r"^[\s\"'«»“”‘’(\[]*(\d{1,9})\s*[)\].:]?[\s\"'«»“”‘’)\]]*$")
_NUMBER_AND_LABEL = re.compile(
    r"^[\s\"'«»“”‘’(\[]*(?P<n>\d{1,2})\s*(?:[)\].:\-–—]\s*|\s)(?P<label>[^\W\d_].*?)[\s\"'«»“”‘’\]]*$", re.DOTALL
)


def option_number(text: str) -> str | None:
    """The number of an option typed with the marks around it that people add (« (1) », « "1" »,
    « 1) », « 1. »), as digits; None for anything else ("12 bénévoles", "1er mai")."""
    found = _WRAPPED_NUMBER.match(text)
    return found[1] if found else None


def number_and_label(text: str) -> tuple[int, str] | None:
    """An option typed with its number and its label, as the list shows it (« 1. Association »,
    « "1 - association" », « (1) Oui aux deux »): (the number, the label typed); None otherwise."""
    found = _NUMBER_AND_LABEL.match(text)
    return (int(found["n"]), found["label"].strip()) if found and found["label"].strip() else None


def match_choice(text: str, labels: Sequence[Sequence[str]]) -> Match:
    """Match ``text`` against options, each known by one or more labels.

    In order: the option's number, an exact label, a label or one of its words starting
    with the text when only one option does ("asso" → "Association"; several: ``close``),
    a label containing the text, a typo close to one label only ("environement" →
    "Environnement"), then the only option a short sentence names ("nous sommes une entreprise");
    a message of its own (:func:`free_sentence`) never chooses an option by a word it contains.
    """
    folded = option_number(text) or fold(text).strip(" .!?")
    if not folded:
        return Match()
    if folded.isdigit():
        index = int(folded) - 1
        return Match(index if 0 <= index < len(labels) else None)
    words = _words(text)
    folded_labels = [[_words(label) for label in option if label] for option in labels]
    exact = [i for i, option in enumerate(folded_labels) if words in option or folded in option]
    if len(exact) == 1:
        return Match(exact[0])
    words = re.sub(r"^(?:le|la|les|l|the|un|une|a) ", "", words) or words
    folded_labels = _same_polarity(words, folded_labels)
    if len(words) >= MIN_PREFIX:
        started = [i for i, option in enumerate(folded_labels) if any(_starts(label, words) for label in option)]
        if len(started) == 1:
            return Match(started[0])
        if len(started) > 1:
            return Match(close=tuple(started[:3]))
    if len(words) >= 4:
        sought = _without_sought_giving(words, folded_labels)
        if sought != words:  # "we look for corporate giving": no company, nor any option a word left is close to
            said = phrases_in_sentence(text, folded_labels)
            return Match(said[0]) if len(said) == 1 else Match()
        contained = [i for i, option in enumerate(folded_labels) if len(words) >= SHORT_WORD and any(words in label for label in option)]
        if len(contained) == 1:
            return Match(contained[0])
        fuzzy = _fuzzy(words, folded_labels)
        if fuzzy.index is None and len(words.split(" ")) >= 2 and not free_sentence(text):  # "Nous sommes une entreprise de…"
            # "on est une asso d'aide alimentaire", "sports club, non profit": the one option it names
            said = phrases_in_sentence(text, folded_labels) or [i for i in labels_in_sentence(text, labels) if folded_labels[i]]
            if len(said) == 1:
                return Match(said[0])
        return fuzzy
    return Match()


_CHOICE_LEAD = re.compile(
    r"^(?:(?:euh|bon|ben|bah|alors|ok|oui|okay|well|so|hmm+|ah|oh)\b[\s,.!:]*)*"
    r"(?:je (?:choisis|choisirais|prends|prendrais|veux|voudrais|prefere|preferes|prefererais|vais prendre|pars sur|dirais|mets)|"
    r"j aimerais|on (?:choisit|prend|prendra|veut|voudrait|prefere|part sur)|nous (?:choisissons|prenons|voulons|voudrions|preferons)|"
    r"(?:ce sera|ca sera|ca serait|ce serait|disons|mettons|va pour|plutot|de preference|ok pour|d accord pour|allez)|"
    r"(?:(?:all )?(?:good|fine|ok|okay|happy) (?:with|for)|(?:i m|we re|i am|we are) (?:ok|okay|fine|happy|good) (?:with|for))|"
    r"(?:(?:passer|passe|passez|passons|bascule|basculer|basculez|change|changer|changez|mets|mettez|met|ecris|ecrivez|ecrire|parle|parlez|parler|reponds|repondez)"
    r"(?: moi| nous)?(?: (?:le tout|tout|ca|la langue))? en)|"
    r"i ll (?:take|have|go with|choose|pick)|i will (?:take|have|go with|choose|pick)|i d (?:take|choose|pick|like|prefer|go with|say)|"
    r"i (?:take|choose|pick|want|prefer|would prefer|would like|go with)|let s (?:go with|say|do)|go with|make it|"
    r"(?:switch|change|set|put)(?: (?:me|it|us|the language|everything))?(?: (?:to|into|in))|"
    r"(?:write|speak|talk|answer)(?: to)?(?: me| us)? in|in|only|just|juste|seulement|uniquement)"
    r"(?: (?:plutot|rather|instead|please|svp|stp|s il vous plait))?\b[\s:,.-]*"
)
"""What opens the choice of an option said in a sentence (« je choisis : … », « je prends … », « passer en … »,
« mets-moi en … », "I'll take …", "switch to …"): folded, ahead of the option itself."""
_CHOICE_TAIL = re.compile(
    r"[\s,.!:;-]*(?:\b(?:c est|c|ce sera|ca sera|ce serait|ca serait|ca me semble|ca|cela|it s|it is|that s|that is|that d be|it d be|would be|will be|"
    r"is|s|be|are|sont|seront|seraient|me semblent|me semble|look|looks|sound|sounds)? ?"
    r"(?:bien|tres bien|bon|parfait|top|nickel|suffisant|assez|ok|good|fine|great|perfect|enough|plenty)|"
    r"\b(?:ca|cela|ce) (?:suffira|suffit|suffirait|ira|irait|me va|m ira|nous va|nous ira|fera l affaire|devrait aller)|"
    r"\b(?:me|m|nous) (?:va|vont|ira|iront|irait|iraient|convient|conviennent|conviendra|conviendront|plait|plaisent)|"
    r"\b(?:suits?|suit) (?:me|us)|\bwork(?: for (?:me|us))|"
    r"\b(?:suffira|suffit|will do|works(?: for (?:me|us))?|would do|sounds good|does it|is all|that s all)|"
    r"\b(?:pour (?:moi|nous)|for (?:me|us)|max|maximum|au max|at most|plutot|rather|instead|merci|thanks|thank you|thx|svp|stp|"
    r"s il (?:vous|te) plait|please|pls|lol|mdr|stp)|[!.?]+)+$"
)
"""What follows the option said in a sentence (« … ça suffira », « … c bien », « … ça ira », "… is fine",
"… is enough", "… please"): an appraisal of the choice, no part of it."""
_WITHIN = re.compile(r"^(?:within|up to|around|about|dans un rayon de|rayon de|a moins de|jusqu a|sur|environ|autour de)\b ?")


def choice_reading(text: str) -> str | None:
    """The option a sentence names without the words around it (« je choisis : la boulangerie » →
    "la boulangerie", « une fois par mois ça suffira » → "une fois par mois", "switch to French please"
    → "french", « 10 km c bien » → "10 km"): folded, words apart; None when nothing was around it, or
    nothing is left."""
    words = _words(text)
    core = words
    for _ in range(3):
        shorter = _WITHIN.sub("", _CHOICE_TAIL.sub("", _CHOICE_LEAD.sub("", core)).strip()).strip()
        if shorter == core:
            break
        core = shorter
    return core if core and core != words else None


_NUMBER_WORDS = {"cinq": 5, "five": 5, "dix": 10, "ten": 10, "quinze": 15, "fifteen": 15, "vingt": 20, "twenty": 20,
                 "trente": 30, "thirty": 30, "trente cinq": 35, "thirty five": 35, "cinquante": 50, "fifty": 50}  # fmt: skip
_RADIUS = re.compile(r"\b(\d{1,3}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r") km\b")


def radius_named(text: str) -> int | None:
    """The one distance in kilometres a short answer names (« 10 km c bien », "within 10 km is fine",
    « dans un rayon de dix kilomètres »); None for none, several, a denial or a message of its own."""
    words = re.sub(r"(\d)(?=km\b)", r"\1 ", _words(text).replace("-", " "))
    words = re.sub(r"\b(?:kms|kilometres?|kilometers?|bornes?)\b", "km", words)  # « 10 bornes autour », "10 kilometers"
    found = {int(n) if n.isdigit() else _NUMBER_WORDS[n] for n in _RADIUS.findall(words)}
    numbers = set(re.findall(r"\b\d+\b", words))  # « 10 ou 35 km »: two distances, not one
    if len(found) != 1 or len(numbers) > 1 or negated(words) or free_sentence(text):
        return None
    return found.pop()


_CHOICE_LEAD_TYPED = re.compile(
    r"^\s*(?:(?:euh|bon|ben|alors|ok|okay|well|so)\b[\s,.!]*)?"
    r"(?:je\s+(?:choisis|choisirais|prends|prendrais|vais\s+prendre|retiens|garde|veux|voudrais)|j['’ ]\s*(?:prends|choisis|retiens)|"
    r"on\s+(?:choisit|prend|retient|garde)|nous\s+(?:choisissons|prenons|retenons)|ce\s+sera|va\s+pour|"
    r"i['’ ]?ll\s+(?:take|have|go\s+with|choose|pick)|i\s+will\s+(?:take|go\s+with|choose|pick)|"
    r"i\s+(?:take|choose|pick|want|go\s+with)|let['’ ]?s\s+(?:go\s+with|take|have)|go\s+with)\b\s*(?:[:,\-–—]\s*)?(?=\S)",
    re.IGNORECASE,
)


def without_choice_lead(text: str) -> str:
    """``text`` without what opens a choice before the names it gives (« je choisis : la boulangerie, les
    jardins », « je prends … », "I'll take …"), as typed otherwise; ``text`` itself when none opens it."""
    return _CHOICE_LEAD_TYPED.sub("", text, count=1)


_BACK_AGAIN = (
    r"(?:c est|c|it s|its|it is)? ?(?:encore|re|toujours|again)? ?moi(?: encore| again)?|(?:it s |its |it is )?me again|(?:me )?revoila|me voila|"
    r"je suis (?:de retour|revenue?|la)|i m back|i am back|back again|de retour"
)
_GREETING_ONLY = re.compile(
    r"^(?:re ?|re )?(?:" + HELLO[3:-1] + r"|good (?:morning|afternoon|evening)|rebonjour|resalut|recoucou|re)"
    r"(?: (?:again|encore|a nouveau|de nouveau|a vous|a toi|a tous|a toutes|tout le monde|everyone|all|there|toi|vous|you))*"
    r"(?: (?:" + _BACK_AGAIN + r"))?(?: (?:lol|mdr|haha|hihi))?$"
    r"|^(?:" + _BACK_AGAIN + r")$"
)


def greeting_only(text: str) -> bool:
    """Whether ``text`` only greets (« re bonjour », « coucou c'est encore moi », "hello again", "hi, it's
    me again", « me revoilà »): nothing it says answers a question."""
    return _GREETING_ONLY.match(_words(text)) is not None


_NEGATIONS = frozenset(("pas", "non", "ne", "n", "ni", "aucun", "aucune", "jamais", "not", "no", "never", "none"))
_NOT_NEGATIONS = re.compile(r"\b(?:non|not) (?:for )?(?:profit|lucratif)\b|\bsans but lucratif\b|\bnon gouvernementale?\b")
"""Words with "non" that say what something is ("non profit", "non lucratif"): no negation."""


_SHORT_NOT = re.compile(
    r"\b(?:don|doesn|didn|won|isn|aren|wasn|shouldn|wouldn|couldn|can) t\b|\b(?:doesnt|didnt|isnt|arent|wasnt|cannot)\b"
)
"""English negations written short ("don't", "won't", "can't" — "don t" once folded, "doesnt"); never "dont", a French word
(« les assos dont on parle »)."""


def negated(words: str) -> bool:
    """Whether folded ``words`` deny something ("pas", "ni", "not"…; "non profit" denies nothing)."""
    words = _NOT_NEGATIONS.sub("", words.replace("'", " "))
    return any(word in _NEGATIONS for word in words.split(" ")) or _SHORT_NOT.search(words) is not None


PHRASE_MIN_CHARS = 3
"""A label or word shorter than this ("a", "de") never chooses an option from inside a sentence."""


_SOUGHT_GIVING = re.compile(
    r"\b(?:cherch\w*|recherch\w*|besoin|demand\w*|sollicit\w*|looking|look|seek\w*|need\w*|want\w*|apply\w*|request\w*|ask\w*)"
    r"(?: \w+){0,4}? (?:mecenat\w*|mecene\w*|corporate (?:giving|philanthropy|sponsorship|donations?)|csr|rse|sponsor\w*)\b"
    r"(?: (?:d|des|de|du|from|by|of)(?: la part d| local| les| la)? (?:entreprises?|companies|company|businesses|business|societes?|pme))?"
)
"""Giving sought (« nous cherchons du mécénat », "looking for corporate giving"): said by who receives
it, never the company that gives (:data:`KIND_WORDS`)."""


def _without_sought_giving(words: str, folded_labels: Sequence[Sequence[str]]) -> str:
    """Folded ``words`` without the giving they seek (:data:`_SOUGHT_GIVING`) when the options are
    types of structure (one of them known by "corporate giving"); as they are for any other options
    (« Financement / mécénat » is what « nous cherchons du mécénat » chooses among categories)."""
    if ("mecen" in words or "corporate" in words or "csr" in words or "rse" in words or "sponsor" in words) and any(
        "corporate giving" in option for option in folded_labels
    ):
        return " ".join(_SOUGHT_GIVING.sub(" ", words.replace("'", " ")).split())
    return words


def phrases_in_sentence(text: str, folded_labels: Sequence[Sequence[str]]) -> list[int]:
    """The options one of whose (folded) labels or words stands whole in ``text``: "asso" in "on
    est une asso d'aide alimentaire", "club" in "sports club, non profit"; a giving sought ("we are
    looking for corporate giving") names no company."""
    padded = f" {_without_sought_giving(_words(text), folded_labels)} "
    return [
        index
        for index, option in enumerate(folded_labels)
        if any(len(label) >= PHRASE_MIN_CHARS and f" {label} " in padded for label in option)
    ]


def _same_polarity(words: str, folded_labels: Sequence[Sequence[str]]) -> list[list[str]]:
    """The labels a text may choose by a word inside them: none of an option whose label says "not"
    when the text does not ("je suis intéressée" is not "Pas intéressé"), nor the other way round
    ("je ne veux pas me présenter" is not "Me présenter"). An emptied option is never matched.

    The polarity is the option's shown label's (its first): the other words that choose it are
    synonyms and never make it a "not" option ("non profit" for Association is no "non")."""
    denied = negated(words)
    return [list(option) if bool(option) and negated(option[0]) == denied else [] for option in folded_labels]


_STOPWORDS = frozenset(("autre", "action", "structure", "other", "and", "les", "des", "pour", "avec"))


def labels_in_sentence(text: str, labels: Sequence[Sequence[str]]) -> list[int]:
    """The options a sentence names ("nous agissons pour l'insertion et le numérique" → Emploi et
    insertion, Numérique): a significant word of a label (5 letters or more) starting a word of the text."""
    typed = _words(text).split(" ")
    found: list[int] = []
    for index, option in enumerate(labels):
        significant = {w for label in option for w in _words(label).split(" ") if len(w) >= 5 and w not in _STOPWORDS}
        if any(_inflected(word, w) for w in significant for word in typed):
            found.append(index)
    return found


LABEL_ENDING_MAX = 4
"""Letters a word of the text may have beyond a label's word and still be that word with an ending
(« sportives » for « sport », « culturelles » for « culture »): « Villeurbanne » is no « ville »."""


def _inflected(word: str, label_word: str) -> bool:
    """Whether ``word`` is ``label_word`` with an ending (its last letter may change: « sportif »,
    « communes »), never a longer word that starts the same (« villeurbanne », « villefranche »)."""
    return word.startswith(label_word[:-1]) and len(word) <= len(label_word) + LABEL_ENDING_MAX


def _starts(label: str, words: str) -> bool:
    """``label``, or its end from one of its words of three letters or more ("de", "la" are skipped), starts with ``words``."""
    if label.startswith(words):
        return True
    parts = label.split(" ")
    return any(" ".join(parts[i:]).startswith(words) for i in range(1, len(parts)) if len(parts[i]) > 2)


def _fuzzy(words: str, folded_labels: Sequence[Sequence[str]]) -> Match:
    """A typo of one label only; a typo of only some words of a label ("commune" for "…projet commun")
    may be another word altogether: proposed back, never taken silently."""
    scores: list[tuple[float, int]] = []
    whole: dict[int, float] = {}
    for index, option in enumerate(folded_labels):
        best = 0.0
        for label in option:
            ratio = _typo(words, label)
            whole[index] = max(whole.get(index, 0.0), ratio)
            best = max(best, ratio, _partial_words(words, label))
        scores.append((best, index))
    scores.sort(reverse=True)
    if not scores:
        return Match()
    top_score, top = scores[0]
    second = scores[1][0] if len(scores) > 1 else 0.0
    if top_score >= FUZZY_ACCEPT and top_score - second >= FUZZY_MARGIN:
        return Match(top) if whole[top] >= FUZZY_ACCEPT else Match(close=(top,))
    close = tuple(index for score, index in scores[:3] if score >= FUZZY_PROPOSE)
    return Match(close=close)


def _partial_words(words: str, label: str) -> float:
    """Similarity of ``words`` to the same number of consecutive words of ``label`` (typo in one word of a long label)."""
    size = len(words.split(" "))
    parts = label.split(" ")
    if size >= len(parts):
        return 0.0
    return max(_typo(words, " ".join(parts[i : i + size])) for i in range(len(parts) - size + 1))


def _typo(words: str, label: str) -> float:
    """How close (0–100) ``words`` are to ``label`` as a typo of it: their similarity, but 0 between
    two words one of which is short (:data:`SHORT_WORD`) unless they are near-exact."""
    if min(len(words), len(label)) >= SHORT_WORD:
        return fuzz.ratio(words, label)
    return fuzz.ratio(words, label) if _near_exact(words, label) else 0.0


def _near_exact(words: str, label: str) -> bool:
    """A letter more or less ("vile", "assos"), or two neighbours swapped ("asos"), the first letter
    right, and a label of four letters or more: "pme", "sas", "ong" have no typos."""
    if len(label) < 4 or words[:1] != label[:1]:
        return False
    if Indel.distance(words, label, score_cutoff=1) <= 1:
        return True
    return len(words) == len(label) and OSA.distance(words, label, score_cutoff=1) <= 1 and sorted(words) == sorted(label)


_DECIMAL = re.compile(r"(?<![\w.])\d+\.\d+(?![\w.])")


def number_list(text: str) -> list[int] | None:
    """The numbers of "2 3", "2,3", "2 et 3", "2 and 3", "2+3"; None when the text is not a list of numbers,
    nor for one decimal number (« 1.5 », "2.0"), which names no two options."""
    if _DECIMAL.search(text):  # « 1.5 », « 7 5 1.5 »
        return None
    folded = _words(text.replace("+", " ").replace("&", " "))
    if not folded:
        return None
    tokens = [t for t in folded.split(" ") if t not in ("et", "and", "puis")]
    if not tokens or not all(t.isdigit() for t in tokens):
        return None
    return [int(t) for t in tokens]


# ---------------------------------------------------------------- yes and no

_YES = (
    "oui",
    "ouais",
    "ouaip",
    "o",
    "yes",
    "y",
    "yep",
    "yeah",
    "ok",
    "okay",
    "oki",
    "d accord",
    "dac",
    "daccord",
    "volontiers",
    "bien sur",
    "avec plaisir",
    "absolument",
    "tout a fait",
    "certainement",
    "evidemment",
    "parfait",
    "c est ca",
    "c est bien ca",
    "c ca",
    "c sa",
    "cest ca",
    "c est sa",
    "c bien ca",
    "exact",
    "exactement",
    "exactly",
    "carrement",
    "go",
    "vas y",
    "allez",
    "sure",
    "of course",
    "certainly",
    "definitely",
    "please",
    "correct",
    "right",
    "that s right",
    "alright",
    "all right",
)
_NO = (
    "non",
    "nan",
    "n",
    "no",
    "nope",
    "pas du tout",
    "surtout pas",
    "jamais",
    "pas vraiment",
    "pas question",
    "non merci",
    "merci non",
    "pas pour l instant",
    "pas maintenant",
    "no thanks",
    "no thank you",
    "not really",
    "never",
    "not at all",
    "nah",
)
_YES_TYPOS = frozenset(
    ("ui", "oi", "wi", "oiu", "uoi", "iou", "ouai", "oue", "ouep", "ouip", "yup", "yeap", "yea", "ye", "yse", "ys", "oke", "okey", "oky")
)
_NO_TYPOS = frozenset(("nn", "nno", "onn", "nop", "nah", "nope"))
"""Slips of the fingers on "oui", "yes", "ok" and "non" ("ui", "oiu", "yse"), read only as a whole answer
(never the start of a longer one: "wi fi" is no yes); letters held down ("ouiii", "yesss", "nooon")
are read as one ("ouii" is "oui"; "noon" keeps its two o)."""
_HELD_INSIDE = re.compile(r"(\w)\1{2,}")
_HELD_AT_END = re.compile(r"(\w)\1+$")
_AGREEING = re.compile(
    r"\b(?:(?:il n y a |y a )?pas de (?:souci|soucis|probleme|problemes|pb|prob)|aucun (?:souci|probleme)|sans (?:souci|probleme)|"
    r"(?:ca|cela) (?:marche|me va|nous va|roule|va)|pas d inconvenient|no (?:problem|problems|prob|worries)|not a problem|"
    r"fine by me|sounds good|why not|pourquoi pas)\b"
)
"""Everyday ways of agreeing, some with a "pas" or a "no" that negates nothing (folded words): read as "ok"."""
_YES_ALONE = (
    "super",
    "genial",
    "top",
    "nickel",
    "impeccable",
    "excellent",
    "bingo",
    "great",
    "perfect",
    "spot on",
    "that s the one",
    "c est juste",
    "c est bien elle",
    "c est bien lui",
    "c est bien nous",
)
"""Words of delight that say yes only as a whole answer (« super », « génial », « top merci », "great", "perfect"),
never at the start of a longer one (« Super U », "Great Lakes Club" are names)."""
_YES_COURTESY = ("merci", "merci beaucoup", "thanks", "thank you", "beaucoup", "bien", "tres", "vraiment", "really", "so")
_YES_ONLY = re.compile(
    r"(?:" + "|".join(re.escape(p) for p in sorted({*_YES, *_YES_ALONE}, key=len, reverse=True)) + r")"
    r"(?: (?:" + "|".join(re.escape(p) for p in sorted({*_YES, *_YES_ALONE, *_YES_COURTESY}, key=len, reverse=True)) + r"))*"
)
"""An answer made of yes words only, with courtesy around them (« top merci », « nickel c'est ça », "great thanks")."""
_YES_WHOLE, _YES_STARTS = frozenset(_YES), tuple(phrase + " " for phrase in _YES)
_NO_WHOLE, _NO_STARTS = frozenset(_NO), tuple(phrase + " " for phrase in _NO)
"""A phrase said alone, or followed by more words (one ``startswith`` over the tuple, in C)."""
_DENYING = re.compile(r"\b(non|no|pas)\b")
_EMOJI_YES = ("👍", "✅", "👌")
_EMOJI_NO = ("👎", "❌")


_DONE = (
    "c est bon",
    "c bon",
    "cest bon",
    "valider",
    "valide",
    "je valide",
    "on valide",
    "ca ira",
    "ca suffit",
    "ca me va",
    "c est tout",
    "c tout",
    "c est fini",
    "c est ok",
    "c est parfait",
    "voila",
    "termine",
    "fini",
    "confirmer",
    "je confirme",
    "confirme",
    "suivant",
    "done",
    "i m done",
    "we re done",
    "all done",
    "that s it",
    "that s all",
    "that will do",
    "that ll do",
    "good",
    "fine",
    "finished",
    "confirm",
    "submit",
    "next",
    "merci",
    "thanks",
    "thank you",
)
"""What finishes a list of ticks besides a yes (« c'est bon », « valider », « ça ira », "done", "that's it")."""
_DONE_PHRASE = "|".join(re.escape(p) for p in sorted({*_DONE, *_YES}, key=len, reverse=True))
_DONE_ONLY = re.compile(rf"(?:{_DONE_PHRASE})(?: (?:{_DONE_PHRASE}))*")


def says_done(text: str) -> bool:
    """True when ``text`` only says that the ticks are done: a yes (« oui », "yes", « ok », « ouiii »,
    « d'accord »), « c'est bon », « valider », « ça ira », "done", "that's it", or several of them
    (« oui c'est bon merci »). Never a no, never a label with a yes in front ("ok sport")."""
    words = _AGREEING.sub("ok", _words(text))
    if not words:
        return text.strip() in _EMOJI_YES
    if _DONE_ONLY.fullmatch(words) is not None:
        return True
    return " " not in words and yes_no(text) is True  # a slip on one word ("ouii", "yse")


def yes_no(text: str) -> bool | None:
    """True for the usual ways of saying yes, False for no, None when it is neither or both, or
    when the text is longer than a short answer (:data:`YES_NO_MAX_WORDS`): "Oui mais nous avons
    déménagé à Bron" is not a yes."""
    if word_count(text) > YES_NO_MAX_WORDS:
        return None
    stripped = text.strip()
    if stripped in _EMOJI_YES:
        return True
    if stripped in _EMOJI_NO:
        return False
    words = _AGREEING.sub("ok", _words(text))  # "oui pas de souci": its "pas" is no negation
    if not words:
        return None
    if " " not in words and words not in _YES_WHOLE and words not in _NO_WHOLE:  # "ouiii", "oiu", "yess": a slip
        unheld = _HELD_AT_END.sub(r"\1", _HELD_INSIDE.sub(r"\1", words))
        if unheld in _YES_WHOLE or unheld in _YES_TYPOS:
            return True
        if unheld in _NO_WHOLE or unheld in _NO_TYPOS:
            return False
    yes = words in _YES_WHOLE or words.startswith(_YES_STARTS) or _YES_ONLY.fullmatch(words) is not None
    no = words in _NO_WHOLE or words.startswith(_NO_STARTS)
    if no and words.startswith(("non", "no ", "nan")):
        return False
    if yes and not no:
        return None if _DENYING.search(words) else True
    if no and not yes:
        return False
    return None


_OPENING_YES = re.compile(
    r"^(?:(?:ah|oh|eh|bah|ben|alors|well|oh well)\s+)*"
    r"(?:oui|ouais|ouaip|yes|yep|yeah|yup|bien sur|avec plaisir|volontiers|sure|of course|absolument|carrement|"
    r"certainement|evidemment|tout a fait|d accord|with pleasure|gladly|certainly|definitely|absolutely|"
    r"super|genial|parfait|perfect|great|nickel|exactement|exactly|c est bien ca|c est ca)(?= |$)"
)
"""A clear yes opening an answer (folded words): « oui », « ouais », « bien sûr », « avec plaisir », "yes", "sure"…"""
_REVERSING = re.compile(
    r"\b(?:mais|but|enfin|sauf|except|cependant|pourtant|however|though|although|non|no|not|pas|plutot|rather|"
    r"jamais|never|peut etre|maybe|perhaps|sinon|otherwise|ni|nor|plus tard|later|une autre fois|another time|"
    r"(?:can|won|don|doesn|isn|aren|couldn|wouldn|shouldn|didn|wasn|weren) t|cannot|unfortunately|malheureusement|"
    r"hesite|hesitons|unsure)\b"
)
"""What takes back or doubts a yes said first (« oui mais pas ce mois-ci », « oui enfin non », "yes but not now",
"yes, later"), on folded words."""


def opens_with_yes(text: str) -> bool:
    """Whether ``text`` starts with a clear yes that nothing after it takes back, whatever its length
    (« Oui ! On sera là avec nos bénévoles », "Yes! We'll be there with two volunteers"); never a
    question (« oui ? »), never a yes followed by a but, a no, a later or a doubt (« oui mais pas ce
    mois-ci », « oui enfin non », "yes but not now")."""
    if "?" in text:
        return False
    words = _AGREEING.sub("ok", _words(text).replace("'", " "))
    opening = _OPENING_YES.match(words)
    return opening is not None and _REVERSING.search(words[opening.end() :]) is None


def answers_yes_no(text: str) -> bool | None:
    """A yes/no question's reading of ``text``: :func:`yes_no`, and a longer answer that opens with a clear
    yes nothing takes back (:func:`opens_with_yes`) is a yes too: its other words are details, kept by the
    question that has a place for them (a call's answer)."""
    said = yes_no(text)
    if said is None:
        return True if agrees(text) else None
    if said and _OPENING_YES.match(_words(text).replace("'", " ")) and not opens_with_yes(text):
        return None  # « oui ? », "yes but not now": asked again
    return said


def said_beyond_yes(text: str) -> bool:
    """Whether a yes says more than a short answer does (« oui avec plaisir, on viendra à deux », "Yes! We'll
    be there with two volunteers") — words worth keeping where the question has a place for them; a short
    yes (« oui on veut un stand ! », "OK, ça nous intéresse") and courtesy (« oui merci beaucoup ») do not."""
    if not opens_with_yes(text):  # « Intéressé·e » typed: the button's own label
        return False
    words = _AGREEING.sub("ok", _words(text).replace("'", " "))
    while True:
        opening = _OPENING_YES.match(words) or _SAYING_YES_ONLY.match(words)
        if opening is None or not opening.group(0):
            break
        words = words[opening.end() :].strip()
    return len(words.split()) >= 2


_SAYING_YES_ONLY = re.compile(
    r"(?:ok|merci|thanks|thank you|beaucoup|bien|tres|volontiers|avec plaisir|super|genial|top|parfait|great|"
    r"(?:ca|cela) (?:nous|m|me) interesse|(?:on est |nous sommes |je suis )?(?:interesse|interessee|interesses|interessees|partant|"
    r"partante|partants|partantes)|(?:we re|we are|i m|i am) (?:interested|in)|interested|count (?:us|me) in)(?= |$)"
)
"""Words that only say the yes again (« merci », « ça nous intéresse », « partants », "count us in"): no words worth keeping."""

_UNSURE = re.compile(
    r"^(?:(?:bof|euh|hmm|hum|um|ben|bah|well)\b|(?:je |j )?(?:ne )?(?:sais|sait) pas\b|(?:on |nous )?(?:ne )?(?:savons|sait) pas\b|"
    r"aucune idee\b|chais pas\b|(?:i |we )?(?:don t|do not|dont) know\b|dunno\b|not sure\b|(?:i m|i am|we re|we are) not sure\b|"
    r"no idea\b|skip\b|pass\b|next\b|passer\b|on passe\b|je passe\b|suivant\b|bof\b)"
)


def unsure(text: str) -> bool:
    """Whether ``text`` neither takes nor refuses what is asked but leaves it (« bof je sais pas 🤷 », « je passe »,
    "not sure", "skip", "dunno"): the question stays waiting, nothing is answered for the person."""
    return "?" not in text and _UNSURE.match(_words(text).replace("'", " ")) is not None


_DECLINING = re.compile(
    r"^(?:(?:ah|oh|euh|bah|ben|bon|bof|alors|well|um|hmm|sorry|desole|desolee)\s+)*(?:"
    r"(?:non|nan|nope|nah|no)(?:\s(?!(?:problem|problems|probleme|pb|worries|worry|soucis?|seulement|doubt|matter)\b)|$)|merci mais non|thanks but no|sans facon|"
    r"(?:on est |on n est |nous ne sommes |we re |we are |i m |i am )?(?:pas|not) (?:interesse|interessee|interesses|interessees|"
    r"interested|pour nous|pour moi|notre truc|notre domaine|for us|for me|our thing|our field)\b|"
    r"(?:ca|cela) ne (?:nous|m|me) interesse pas|(?:ca|cela) (?:nous|m) interesse pas|"
    r"(?:this|that|it) (?:is|s) not (?:for us|for me|our thing)|"
    r"(?:we re|we are|i m|i am) not interested|no thanks?|no thank you)"
)
"""The start of a refusal (« non merci », « non, on ne fait pas de compta », « pas intéressé », « ça ne nous
intéresse pas », "no thanks", "not for us", "no, we don't …"), on :func:`_words`."""


_UNAVAILABLE = re.compile(
    r"^(?:(?:ah|oh|euh|bah|ben|bon|alors|helas|malheureusement|dommage|desole|desolee|desoles|desolees|mais|"
    r"merci(?: beaucoup)?(?: (?:pour|de) (?:l|votre) (?:invitation|invit))?|well|sorry|so sorry|unfortunately|alas|sadly|but|"
    r"(?:thanks|thank you)(?: (?:so much|a lot))?(?: for (?:the|your) (?:invitation|invite))?)\s+)*(?:"
    r"(?:(?:on|nous|je|j|moi|perso)\s+)?(?:(?:ne|n)\s+)?(?:(?:est|sommes|suis|sera|serons|serai|serait|serions|serais)\s+)?"
    r"(?:malheureusement\s+|vraiment\s+|helas\s+)?pas (?:disponibles?|libres?|la|presente?s?|des votres|de la partie|possible)\b|"
    r"(?:(?:on|nous|je|j)\s+)?(?:(?:ne|n)\s+)?(?:pourra|pourrons|pourrai|pourrais|pourrait|pourrions|peut|peux|pouvons|va|vais|allons)\s+"
    r"(?:malheureusement\s+|vraiment\s+|helas\s+)?pas\s+(?:pouvoir\s+)?(?:venir|etre la|etre present|y aller|y etre|participer|"
    r"assister|se deplacer|nous deplacer|me deplacer|en etre|etre des votres|etre de la partie|passer)\b|"
    r"(?:(?:on|nous|je|j)\s+)?(?:(?:ne|n)\s+)?(?:viendra|viendrons|viendrai|viens|vient|venons)\s+pas\b|"
    r"(?:(?:on|nous|je|j)\s+)?(?:(?:est|sommes|suis|sera|serons|serai)\s+)(?:indisponibles?|empeche(?:e|s|es)?|absente?s?|"
    r"deja pris(?:e|es)?|pris(?:e|es)? ailleurs|en deplacement|en vacances|en conge)\b|"
    r"(?:indisponibles?|empeche(?:e|s|es)?|absente?s?)\b|(?:ce sera |ca sera |ce coup ci )?sans (?:nous|moi)\b|"
    r"(?:on |nous |je )?(?:passe|passons) (?:notre|mon) tour\b|"
    r"(?:(?:i|we)\s+)?(?:can t|cannot|can not|couldn t|could not|won t be able to|will not be able to|(?:am|are|re|m) (?:not able|unable) to|"
    r"unable to)\s+(?:make it|come|attend|be there|join|go|participate|take part)\b|"
    r"(?:(?:i|we)\s+)?(?:won t|will not)\s+(?:be (?:there|coming|around|attending)|come|make it|attend)\b|"
    r"(?:(?:i m|i am|we re|we are|i ll be|we ll be|i will be|we will be)\s+)?(?:not available|unavailable|not free|not coming|"
    r"away that|busy that|out of town)\b|count (?:us|me) out\b|"
    r"(?:(?:i|we)(?: ll| will)?(?: have to| must)?|have to|must)\s+(?:pass|sit this one out|give it a miss)(?: on (?:this|that)(?: one)?| this time)?$)"
)
"""An unavailability said at the start of an answer (folded words): « pas dispo ce jour-là désolé », « on pourra pas
venir », « je ne serai pas là », « on est empêchés », « ce sera sans nous », "can't make it that day sorry", "we won't
be able to come", "not available", "count us out" — a no to what was proposed, never a need nor an offer
(« on peut prêter des tables ce jour-là » says no unavailability)."""


def starts_declining(text: str) -> bool:
    """Whether ``text`` starts by refusing what was proposed (« non merci, on ne fait pas de compta »,
    « pas intéressé », "no thanks, we don't do accounting", "not for us"), or by saying one cannot be there
    (:data:`_UNAVAILABLE`: « pas dispo ce jour-là », "can't make it"), whatever follows: its answer
    is a no, never a need nor an offer of its own — nor a « non » that takes back an earlier answer
    (« ah non attendez je me suis trompée, oui pour la mairie », :func:`takes_back_no`)."""
    words = _words(text).replace("'", " ")
    return (_DECLINING.match(words) is not None or _UNAVAILABLE.match(words) is not None) and not takes_back_no(text)


def says_unavailable(text: str) -> bool:
    """Whether ``text`` starts by saying one cannot be there (:data:`_UNAVAILABLE`: « pas dispo ce jour-là », « on pourra pas
    venir », "can't make it", "we won't be there"): only an invitation is answered so, never a suggestion."""
    return _UNAVAILABLE.match(_words(text).replace("'", " ")) is not None and not takes_back_no(text)


_MISTAKE = re.compile(
    r"\b(?:(?:je me suis|on s est|nous nous sommes|me suis) trompe(?:e|s|es)?|trompe(?:e|s|es)? de (?:bouton|touche|reponse|chiffre)|"
    r"mauvais (?:bouton|chiffre|numero|touche)|mal (?:clique|appuye|tape|lu)|(?:appuye|clique|tape) (?:sur )?(?:le )?mauvais|"
    r"par erreur|erreur de ma part|(?:c etait|c est) une erreur|je voulais dire|oups|oops|whoops|oopsie|"
    r"my (?:mistake|bad)|(?:a|by) mistake|i made a mistake|i was wrong|wrong (?:button|number|key|answer)|"
    r"(?:pressed|hit|tapped|clicked|typed) (?:the )?wrong|i meant)\b"
)
"""Saying one's previous answer was a slip (folded words): « je me suis trompée », « mauvais bouton », « oups »,
"my mistake", "sorry I pressed the wrong button"."""
_WAIT = re.compile(r"\b(?:attendez|attends|attend|minute|wait|hold on|hang on)\b")
_CHANGED_MIND = re.compile(
    r"\b(?:finalement|en fin de compte|apres reflexion|tout compte fait|j ai change d avis|on a change d avis|"
    r"actually|after all|on second thought|on second thoughts|changed (?:my|our) minds?)\b"
)
_YES_ANYWHERE = re.compile(r"\b(?:oui|ouais|yes|yeah|ok|d accord|accepte|accept|j accepte|on accepte|volontiers)\b")
_SOME_INTEREST = re.compile(r"\b(?:interess(?:e|ee|es|ees|ant|ante|ants|antes)|interested|interesting)\b")
_NO_INTEREST = re.compile(
    r"\b(?:(?:ne|n) (?:m|nous|me) interess|(?:pas|plus|guere|not|no longer|never) (?:tres |vraiment |really |very )?interess?|uninterest)"
)
"""Saying an interest (folded words): « ça m'intéresse », « c'est intéressant », "I am interested" — not « ça ne
m'intéresse pas », « pas intéressé », "not interested"."""
_LEADING_NO = re.compile(r"(?:non|nan|no)\b")
_YES_FOR = re.compile(r"\b(?:oui|yes|ok|d accord)\s+(?:pour|a|au|avec|to|for|with)\s+\w")


def takes_back_no(text: str) -> bool:
    """Whether ``text`` takes back an earlier no rather than answering the question on screen: a slip said
    (« je me suis trompée », « erreur de ma part », « oups », "my mistake", "sorry I pressed the wrong button"),
    or a wait (« attendez », "wait") with a yes, or with an interest after a no or with a change of mind
    (« non attendez, c'est intéressant finalement », "wait, that one is interesting actually"), or a change of
    mind (« finalement », "actually") with a yes — the latter naming whom (« oui pour la mairie finalement », "actually yes to the town hall"): never a no to what is shown."""
    words = _words(text).replace("'", " ")
    if _MISTAKE.search(words):
        return True
    reversed_interest = (  # « attendez, ça m'intéresse » alone is a yes to what is shown
        _SOME_INTEREST.search(words) is not None
        and _NO_INTEREST.search(words) is None
        and (_CHANGED_MIND.search(words) is not None or _LEADING_NO.match(words) is not None)
    )
    if _WAIT.search(words) and (_YES_ANYWHERE.search(words) is not None or reversed_interest):
        return True
    return _CHANGED_MIND.search(words) is not None and _YES_FOR.search(words) is not None and bool(taken_back_name(text))


_REVERSAL_WORDS = re.compile(
    r"\b(?:ah|oh|euh|non|nan|no|attendez|attends|wait|hold on|sorry|desole|desolee|je me suis trompee?|my mistake|my bad|oups|oops|"
    r"erreur|finalement|actually|after all|oui|yes|ok|d accord|pour|to|for|with|avec|the|la|le|les|l|de|du|des|a|au|en fait|i|"
    r"pressed|wrong|button|mauvais|bouton|je|j|voulais|dire|meant|c|etait|une|par|ma|part|it|was|is|moi|nous|eux|elle|elles|lui|vous|"
    r"me|us|them|they|please|svp|stp|merci|thanks|ca|that|this|ceux la|celle la|celui la|ci|est|sont|aux|d|of|our|their|c est|it s)\b"
)


def taken_back_name(text: str) -> str:
    """What is left of a taking back once its words of slip, yes and change of mind are dropped (« ah non
    attendez je me suis trompée, oui pour la mairie finalement » → « mairie »): the name of whom it is about,
    or an empty text."""
    return " ".join(_REVERSAL_WORDS.sub(" ", _words(text).replace("'", " ")).split())


_REFUSAL_WORD = re.compile(
    r"^[\W_]*(?:(?:ah|oh|euh|bah|ben|bon|alors|well|um|hmm|sorry|d[ée]sol[ée]e?)[\W_]+)*(?:non|nan|nope|nah|no)\b"
    r"(?:[\W_]+(?:merci|thanks|thank you|thx)\b)?",
    re.IGNORECASE,
)
_REFUSAL_CLAUSE = re.compile(r"[,;.!:—–]|\s(?:mais|but)\s", re.IGNORECASE)
_CONNECTOR = re.compile(
    r"^[\W_]*(?:(?:mais|but|par contre|en revanche|plut[ôo]t|however|instead|actually|en fait|sinon|otherwise|though|merci|thanks|"
    r"et|and|puis|then|par ailleurs|d'ailleurs|au passage|btw|by the way)\b[\W_]*)*",
    re.IGNORECASE,
)
_SEEKING_OR_GIVING = re.compile(
    r"\b(?:cherch\w*|recherch\w*|besoin|il nous faut|il nous manque|looking for|look for|need|needs|needed|search\w*|"
    r"want|wants|would like|aimerions|aimerait|voudrions|voudrait|voudrais|propos\w*|donn\w*|pret\w*|offr\w*|offer\w*|lend|"
    r"give|giving|share|could|can|pourr\w*|peut|peux|pouvons|dispo\w*|available)\b"
)
"""Words that say what one looks for or gives (folded words): a sentence without them merely explains a no."""
_EXPLAINING = re.compile(r"\b(?:deja|already|not|never|don t|doesn t|didn t|do not|does not|cannot|can t|won t|no longer|plus besoin)\b")


def wish_after_refusal(text: str) -> str | None:
    """The need or the offer a refusal goes on to say (« non mais on cherche aussi des tables » → « on cherche
    aussi des tables », "no thanks, what we need is a van" → "what we need is a van"), as written; None when
    what follows the no only explains it (« non merci, on ne fait pas de compta », "not for us, we already
    have an accountant") or when ``text`` starts with no refusal."""
    if not starts_declining(text):
        return None
    lead = _REFUSAL_WORD.match(text)
    if lead is not None:
        rest = text[lead.end() :]
    else:  # « pas pour nous, par contre on cherche… »: what follows its first clause
        parts = _REFUSAL_CLAUSE.split(text, maxsplit=1)
        rest = parts[1] if len(parts) == 2 else ""
    return listing_wish(rest)


def listing_wish(text: str) -> str | None:
    """``text`` as a need or an offer of one's own, its leading connector dropped (« et on cherche aussi un
    local » → « On cherche aussi un local », "but we could lend our van"), or None when it only explains
    or asks (« date de la manifestation », « on ne fait pas de compta », a question)."""
    rest = text[_CONNECTOR.match(text).end() :].strip()  # type: ignore[union-attr]  # the pattern matches the empty string
    words = _words(rest).replace("'", " ")
    if word_count(rest) < 3 or "?" in rest or negated(words) or _EXPLAINING.search(words) or not _SEEKING_OR_GIVING.search(words):
        return None
    guess = guess_listing(rest)
    return rest[0].upper() + rest[1:] if guess.is_listing else None


_INTEREST = re.compile(
    r"\b(?:(?:ca|cela|ceci|vous|nous|m|t|les|la|le) (?:nous |m |me )?interesse(?:nt|rait|raient)?|"
    r"(?:sommes|serions|suis|serais|serait|seraient|est|sont|tres|vraiment|fort|bien|effectivement|particulierement) interess(?:e|es|ee|ees)\b|"
    r"(?:tres|vraiment|super|fort|particulierement) interessant|mettez (?:nous|moi) en (?:relation|contact|lien)|presentez nous|"
    r"(?:we re|we are|we d be|we would be|i m|i am|i d be|i would be|very|really|definitely|quite|genuinely|so|most) interested|"
    r"sounds (?:great|good|perfect|lovely|interesting|brilliant)|(?:please )?(?:connect|introduce) (?:us|me)|"
    r"(?:happy|glad|keen) to (?:talk|meet|connect|chat|speak)|(?:would|d) love to (?:talk|meet|connect|chat|speak|hear))\b"
    r"|^interess(?:e|es|ee|ees|ant)\b|^interested\b"
)
"""Interest said in words (folded): « Cela nous intéresse beaucoup », « Nous serions intéressés par un échange »,
"We'd be interested in talking to them", "sounds great, please connect us"."""
_CONDITION = re.compile(r"\b(?:si|if|unless|sauf|a condition|provided|depend\w*|selon)\b")


def says_interest(text: str) -> bool:
    """Whether ``text`` says, in words of interest rather than a yes, that the other side interests us
    (« Cela nous intéresse beaucoup », "We'd be interested in talking to them"); never denied (« ça ne nous
    intéresse pas », "not interested"), conditional (« intéressés si c'était gratuit »), taken back ("but not
    this year") nor asked (« c'est intéressant ? »)."""
    if "?" in text:
        return False
    words = _words(text).replace("'", " ")
    return _INTEREST.search(words) is not None and _REVERSING.search(words) is None and _CONDITION.search(words) is None


def agrees(text: str) -> bool:
    """A yes said whole: an answer opening with a clear yes nothing takes back (:func:`opens_with_yes`), or
    interest said in words (:func:`says_interest`)."""
    return opens_with_yes(text) or says_interest(text)


_CLAUSE_BEFORE_QUESTION = re.compile(
    r"^(?P<yes>.+?[,;.!…]|.+?\s[-–—]\s|.+?(?=\s+(?:et|mais|but|and)\s))\s*(?P<asked>[^,;.!…?]+\?[\s?!]*)$", re.DOTALL
)


def yes_then_question(text: str) -> tuple[str, str] | None:
    """A yes said whole, then a question of its own (« ah oui grave ça m'intéresse, c'est gratuit ? »,
    "yes definitely, is it free?"): (the yes, the question); None for anything else — a yes asked
    (« oui ? »), taken back (« oui mais c'est payant ? »), or a question alone."""
    found = _CLAUSE_BEFORE_QUESTION.match(" ".join(text.split()))
    if found is None:
        return None
    said, asked = found["yes"].strip(" ,;-–—"), found["asked"].strip()
    if word_count(asked) < 2 or not agrees(said) or yes_taken_back(said) or re.match(r"(?i)(?:mais|but)\b", asked):
        return None
    return said, asked


def yes_taken_back(text: str) -> bool:
    """Whether ``text`` opens with a yes that what follows takes back or doubts (« oui mais pas ce mois-ci »,
    "yes but not now") — a question mark alone takes nothing back."""
    words = _AGREEING.sub("ok", _words(text).replace("'", " "))
    opening = _OPENING_YES.match(words)
    return opening is not None and _REVERSING.search(words[opening.end() :]) is not None


_YES_WORD = re.compile(
    r"^[\W_]*(?:(?:ah|oh|eh|bah|ben|alors|well)[\W_]+)*(?:oui|ouais|yes|yep|yeah|yup|sure|bien s[uû]r|avec plaisir|volontiers|"
    r"of course|absolument|absolutely|carr[ée]ment|d'accord|ok|okay|certainly|definitely|gladly|great|super|parfait|perfect)\b"
    r"(?:[\W_]+(?:merci|thanks|thank you|avec plaisir|volontiers)\b)*",
    re.IGNORECASE,
)
_ALSO = re.compile(
    r"^[\W_]*(?:(?:et|and|also|aussi|par ailleurs|d'ailleurs|en plus|de plus|by the way|btw|sinon|otherwise|au passage|"
    r"par contre|en revanche|however)\b[\W_]*)*",
    re.IGNORECASE,
)
_SEEKING_OR_OFFERING = re.compile(
    r"\b(?:cherch\w*|recherch\w*|besoin|il nous faut|il nous manque|looking for|look for|need|needs|needed|searching|"
    r"propos\w*|pret\w*|offr\w*|offer\w*|lend|give away|donn(?:ons|er|erions|erait))\b"
)
"""Words that say what one looks for or gives, strictly (folded): « on peut les voir mardi » says neither."""


_OFFERING_MORE = re.compile(
    r"\b(?:(?:a|at) (?:leur|votre|ta|sa|la|their|your) disposition|mettre a disposition|disposal|"
    r"(?:pourr\w*|peut|peux|pouvons|pouvez|can|could) (?:(?:aussi|egalement|also|leur|vous|lui|les|them|you) )*"
    r"(?:accueillir|heberger|fournir|mettre|host|provide|supply|share|lend|offer|give|bring|apporter))\b"
)
"""Offers said with a verb of giving (folded words): « nous pourrions mettre une salle à leur disposition »,
« on peut aussi accueillir … », "we could also host …"."""
_ASIDE = re.compile(
    r"\b(?:aussi|egalement|also|as well|too|par ailleurs|d ailleurs|au passage|en plus|de plus|btw|by the way|"
    r"incidentally|sinon|otherwise|par contre|en revanche|another thing|autre chose|de notre cote|on our side|besides)\b"
)
"""What says a sentence is said besides the answer (folded words): « on cherche aussi … », "btw we can lend …"."""
_CLAUSE = re.compile(
    r"[.!;…\n]+|,|\s(?=(?:et|and|btw|by the way|sinon|otherwise|mais|but|however|plus)\b)",
    re.IGNORECASE,
)
"""Where a clause may start: after a sentence's end or a comma, before a connector (« et », "btw") — never before
an adverb inside a sentence (« nous pourrions par ailleurs … », "we can also …")."""


def _own_wish(clause: str, rest: str) -> str | None:
    """``rest`` as a need or an offer of one's own when its first clause ``clause`` says one strictly, else None."""
    words = _words(clause).replace("'", " ")
    if word_count(rest) < 3 or "?" in rest or negated(words) or _EXPLAINING.search(words) or _DEFERRING.search(words):
        return None  # "I need to check with my manager first": a later, no need
    if _SEEKING_OR_OFFERING.search(words) is None and _OFFERING_MORE.search(words) is None:
        return None
    return rest[0].upper() + rest[1:] if guess_listing(rest).is_listing else None


def _without_connectors(text: str) -> str:
    """``text`` without the connectors it starts with (« mais aussi », "and btw", « par ailleurs »)."""
    while True:
        rest = text[_ALSO.match(text).end() :]  # type: ignore[union-attr]  # the pattern matches the empty string
        rest = rest[_CONNECTOR.match(rest).end() :].strip()  # type: ignore[union-attr]
        if rest == text:
            return rest
        text = rest


def wish_besides(text: str, aside: bool = False) -> str | None:
    """The need or the offer a message says besides its answer, from the clause that says it to the end, as
    written (« oui, et on cherche aussi des tables » → « On cherche aussi des tables », « Cela nous intéresse
    beaucoup. Nous pourrions par ailleurs mettre une salle municipale à leur disposition. » → « Nous pourrions
    … », "please connect us! btw we can also lend our meeting room" → "We can also lend our meeting room").
    Never the answer's own first words; None when what follows only says more of the answer (« Oui ! On sera
    là avec nos bénévoles », « on peut les voir mardi »). ``aside``: only a sentence said to be besides
    (« aussi », « par ailleurs », "also", "btw") — a call's written answer offers or asks by itself."""
    starts = [match.span() for match in _CLAUSE.finditer(text)]
    lead = _YES_WORD.match(text)
    if lead is not None and lead.end() < len(text):  # « oui on cherche… », "yes we also need…": after the yes
        starts.insert(0, (lead.end(), lead.end()))
    for index, (begin, end) in enumerate(starts):
        if not _words(text[:begin]):
            continue
        rest = _without_connectors(text[end:])
        if not rest:
            continue
        following = next((b for b, _ in starts[index + 1 :] if b > end and text[end:b].strip(" ,.;!…\n")), len(text))
        clause = text[end:following]
        if aside and _ASIDE.search(_words(text[begin:following]).replace("'", " ")) is None:
            continue
        wish = _own_wish(clause, rest)
        if wish is not None:
            return wish
    return None


def wish_after_yes(text: str) -> str | None:
    """The need or the offer a yes — or interest said in words — goes on to say (« oui, et on cherche aussi des
    tables » → « On cherche aussi des tables », "yes! and we also need a van" → "We also need a van", « Cela nous
    intéresse. Nous pourrions par ailleurs mettre une salle à leur disposition. »), as written; None when what
    follows the yes only says more about the yes (« Oui ! On sera là avec nos bénévoles ») or when the yes is
    taken back."""
    return wish_besides(text) if agrees(text) else None


_DEFERRING = re.compile(
    r"\b(?:plus tard|later|une autre fois|another time|on verra|we ll see|a voir|"
    r"(?:je|on|nous) (?:dois|doit|devons|vais|va|allons) (?:d abord )?(?:voir|verifier|en parler|en discuter|demander|consulter|reflechir|checker|valider|faire valider|me renseigner|nous renseigner|y reflechir)|"
    r"(?:il faut|faut) (?:d abord )?que (?:je|j|on|nous) (?:voie|verifie|en parle|demande|consulte|reflechisse|valide)|"
    r"(?:laissez|laisse|donnez|donne) (?:(?:moi|nous) )?(?:le temps|du temps|un peu de temps|(?:y |en |le )?(?:reflechir|voir|verifier|consulter|demander|en parler|en discuter|checker|regarder|digerer))|"
    r"(?:je|on) (?:reviens|revient|revenons|reviendrai|reviendra) vers vous|je vous (?:redis|tiens au courant)|"
    r"(?:je|on|nous) (?:reflechis|reflechit|reflechissons)|pas encore (?:decide|sur|sure|sures)|je ne sais pas encore|"
    r"let (?:me|us) (?:think|check|see|ask|talk|discuss|consult|confirm|sleep on|mull|look into|run it|get back|come back|have a think)|"
    r"i (?:need|have|ll have|will need) to (?:check|ask|talk|discuss|consult|think|run it|see)|"
    r"(?:we|i) (?:need|have|ll have) to (?:check|ask|talk|discuss|consult|think)|need to check|(?:i|we) ll get back|get back to you|"
    r"(?:i|we) (?:m|are) not sure yet|not sure yet|thinking about it|think about it|give me (?:some )?time)\b"
)
"""A later or a maybe (folded words): « peut-être plus tard », « je dois voir avec mon bureau », « laissez-moi
réfléchir », "let me check" — never "let me" alone: « laissez-moi leur écrire », "let me know who they are" put
nothing off."""
_MONTHS = (
    "janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre|"
    "january|february|march|april|may|june|july|august|september|october|november|december"
)
_LATER_TIME = re.compile(
    r"\b(?:pas (?:tout de suite|maintenant|pour le moment|pour l instant|encore|avant|cette (?:semaine|annee|fois)|ce mois ci|aujourd hui)|"
    r"not (?:right now|now|right away|yet|until|before|at the moment|for now|today|this (?:week|month|year|time))|"
    r"plus tard|later|(?:le mois|la semaine|l annee|l an) prochaine?|next (?:week|month|year|term|season|spring|summer|autumn|fall|winter)|"
    r"a la rentree|after the (?:holidays|summer|break)|apres (?:les (?:fetes|vacances)|l ete|la rentree)|"
    r"dans (?:quelques|deux|trois|\d+) (?:jours|semaines|mois)|in (?:a few|two|three|\d+) (?:days|weeks|months)|"
    rf"(?:en|in|d ici|from|a partir de|after|apres|vers|around|debut|fin|early|late|mid|plutot|rather) (?:{_MONTHS}))\b"
)
"""When an answer is put off to (folded words): « pas tout de suite », « plutôt en janvier », "not right now", "next month"."""
_NOT_NOW = re.compile(
    r"^(?:(?:ah|oh|euh|bah|ben|bon|alors|well|um|hmm|sorry|desole|desolee|non|no|nope|merci|thanks|thank you)\s+)*"
    r"(?:pas (?:pour le moment|pour l instant|maintenant|tout de suite|cette fois(?:ci)?|pour cette fois|encore|aujourd hui|ce mois ci|cette annee)|"
    r"not (?:right now|now|at the moment|for now|this time|yet|today|at this time|this year)|maybe not|plutot pas)\b"
)
"""A refusal for now, in words (folded): « pas pour le moment », « non merci pas cette fois », "not right now"."""


_MAYBE = re.compile(r"\b(?:peut etre|maybe|perhaps|possibly|possible)\b")
MAYBE_MAX_WORDS = 4
"""A maybe alone (« peut-être », "maybe not yet") puts an answer off; in a longer sentence it may say
an offer (« peut-être qu'on pourrait leur prêter des tables »)."""


def defers(text: str) -> bool:
    """Whether ``text`` puts the answer off (« peut-être plus tard », « je dois voir avec mon bureau », "maybe
    later", "let me check with my manager") — never a yes nor a need said with it."""
    if "?" in text:  # « ça veut dire quoi, plus tard ? »: a question about the button
        return False
    words = _words(text).replace("'", " ")
    said = _DEFERRING.search(words) is not None or (_MAYBE.search(words) is not None and word_count(text) <= MAYBE_MAX_WORDS)
    return (said and not agrees(text) and _NOT_NOW.match(words) is None) or yes_for_later(text)


def yes_for_later(text: str) -> bool:
    """Whether ``text`` says yes (or its interest), but later: what takes the yes back is when (« oui mais pas tout
    de suite, plutôt en janvier », « ça nous intéresse, mais pas avant la rentrée », "yes but not right now, maybe
    in january") — a later, never a no nor a sentence to explain the buttons."""
    if "?" in text:
        return False
    words = _AGREEING.sub("ok", _words(text).replace("'", " "))
    turn = _REVERSING.search(words)
    if turn is None or not turn.start():
        return False
    head, tail = words[: turn.start()].strip(), words[turn.start() :]
    agreed = _OPENING_YES.match(head) is not None or yes_no(head) is True or says_interest(head)
    return agreed and _LATER_TIME.search(tail) is not None


def not_now(text: str) -> bool:
    """Whether ``text`` says no for now in words (« pas pour le moment », « non merci pas cette fois », "not
    right now sorry", "not at the moment, thanks")."""
    return "?" not in text and _NOT_NOW.match(_words(text).replace("'", " ")) is not None


_ABOUT_THEM = re.compile(
    r"\b(?:ils|elles|eux|leur|leurs|they|them|their|theirs|qui sont|who are|c est qui|c qui|qui c est|qui est ce|qui ca|"
    r"who is (?:it|this|that)|who s (?:it|this|that)|cette (?:asso\w*|structure|entreprise|epicerie|organisation|collectivite|mairie)|"
    r"ce (?:groupe|club|collectif)|le groupe|du groupe|dans (?:ce|le) groupe|les autres (?:membres|structures|assos?|participants)|"
    r"qui d autre|(?:qui|quelles? \w+) (?:en )?(?:fait|font) partie|this (?:org\w*|company|association|group|charity|club)|the group|the other side|"
    r"the other (?:members|organi[sz]ations|structures|participants)|who else|in (?:the|this) group|in it)\b"
)


_COMMON_WORDS = frozenset(
    (
        "nous vous notre votre nos vos leur leurs pour avec dans cette sont etre faire tout tous toutes plus "
        "mais aussi merci bonjour peut peux pouvons pourrions serait serions sommes avons avez etes quoi "
        "comment quand alors donc bien tres chez entre also with your have this that they them their will "
        "would could what which from more about please thanks thank there here when where some just very well "
        "sure yes plaisir volontiers interesse interesses interessee interessees interested"
    ).split()
)
"""Words too common to say what a message is about (folded, four letters or more)."""


def _subject_words(text: str) -> set[str]:
    return {word.rstrip("s") for word in _words(text).replace("'", " ").split(" ") if len(word) >= 4 and word not in _COMMON_WORDS}


def shares_subject(text: str, other: str) -> bool:
    """Whether ``text`` speaks of what ``other`` is about: a word that says something (not a pronoun, a courtesy nor
    a yes) in both (« Oui on peut tenir un stand » and "Qui veut tenir un stand ?" share « tenir », « stand »)."""
    return bool(_subject_words(text) & _subject_words(other))


_TELL_ME = re.compile(
    r"\b(?:(?:dites|dis) (?:moi|nous)|tell (?:me|us)|let (?:me|us) know|(?:j aimerais|je voudrais|on voudrait|nous voudrions|"
    r"i d like to|we d like to|i would like to|we would like to) (?:savoir|know|en savoir)|en savoir plus|know more|more about)\b"
)
"""Asking without a question mark (folded words): « dites-moi qui c'est », "let me know who they are"."""


def asks_about_them(text: str) -> bool:
    """Whether ``text`` asks about the other side of a question (« qu'est-ce qu'ils cherchent exactement ? »,
    "what do they need exactly? how many volunteers?", « c'est qui cette asso ? », « c'est qui ? », "let me know
    who they are", « dites-moi qui c'est »)."""
    words = _words(text).replace("'", " ")
    return ("?" in text or _TELL_ME.search(words) is not None) and _ABOUT_THEM.search(words) is not None


# ---------------------------------------------------------------- contacts and places

EMAIL_IN_TEXT = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
PHONE_IN_TEXT = re.compile(r"(?<![\w+])(?:\+|00)?\d[\d .\-/()]{7,18}\d(?!\w)")


def find_email(text: str) -> str | None:
    """The first e-mail address in ``text`` ("joignez-moi à thomas@exemple.fr" → "thomas@exemple.fr")."""
    match = EMAIL_IN_TEXT.search(text)
    return match.group(0).rstrip(".").lower() if match else None


_SPELT_AT = re.compile(r"\s*(?:@|[(\[]\s*(?:at|arobase)\s*[)\]]|\b(?:at|arobase|arrobase|arobas)\b)\s*", re.IGNORECASE)
_SPELT_DOT = re.compile(r"\s*(?:\.|[(\[]\s*(?:dot|point)\s*[)\]]|\b(?:dot|point)\b)\s*", re.IGNORECASE)
_SPELT_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
SPELT_EMAIL_MAX_WORDS = 9


def spelt_email(text: str) -> str | None:
    """The e-mail address an answer spells out in words or with spaces (« ruche at gmail point com »,
    « ruche arobase gmail.com », "ruche @ gmail . com", "ruche(at)gmail.com" → "ruche@gmail.com"), when
    the whole answer is that address; None otherwise (a sentence, a name, « ruche@gmail »)."""
    words = " ".join(text.split()).strip(" .!")
    if not words or len(words.split()) > SPELT_EMAIL_MAX_WORDS or len(_SPELT_AT.findall(words)) != 1:
        return None
    joined = _SPELT_DOT.sub(".", _SPELT_AT.sub("@", words))
    return joined.lower() if _SPELT_EMAIL.fullmatch(joined) else None


def email_attempt(text: str) -> bool:
    """Whether a short answer tries to write an e-mail address (an @, « arobase », " at " with a « point » / "dot" after it)."""
    words = " ".join(text.split())
    if "@" in words:
        return True
    return (
        len(words.split()) <= SPELT_EMAIL_MAX_WORDS
        and re.search(
            r"\b(?:at|arobase|arrobase|arobas)\b.*\b(?:dot|point)\b|\b(?:arobase|arrobase|arobas)\b|[(\[]at[)\]]|^[\w.\-]+ at [\w.\-]+$",
            words,
            re.IGNORECASE,
        )
        is not None
    )


_PHONE_BEGUN = re.compile(r"(?<![\w+@.])(?:\+\s*\d|0\d)(?:[ .\-]?\d)*(?![\w@])")


def phone_begun(text: str) -> str | None:
    """The beginning of a phone number written beside an e-mail and cut short (« kate@example.org or 06 12 » →
    « 06 12 », "+33 6"): 4 to 8 digits starting with 0 (3 after +), as written; None when ``text`` has none, or a whole one."""
    without_mail = EMAIL_IN_TEXT.sub(" ", text)
    if find_phone(without_mail) is not None:
        return None
    for match in _PHONE_BEGUN.finditer(without_mail):
        digits = sum(ch.isdigit() for ch in match.group(0))
        if (4 if match.group(0)[0] == "0" else 3) <= digits <= 8:  # never a lone « 06 » (« le 06/12 »)
            return " ".join(match.group(0).split())
    return None


def find_phone(text: str) -> str | None:
    """The first phone number in ``text``, its digits grouped as written (9 to 15 digits)."""
    without_mail = EMAIL_IN_TEXT.sub(" ", text)
    for match in PHONE_IN_TEXT.finditer(without_mail):
        raw = match.group(0).strip()
        digits = re.sub(r"\D", "", raw)
        if 9 <= len(digits) <= 15:
            return re.sub(r"\s+", " ", raw)
    return None


def _phones_in(text: str) -> list[re.Match[str]]:
    """The phone numbers written in ``text`` (9 to 15 digits, as :func:`find_phone` reads them)."""
    return [m for m in PHONE_IN_TEXT.finditer(text) if 9 <= len(re.sub(r"\D", "", m.group(0))) <= 15]


_CLAUSE_EDGE = re.compile(r"[.!?;,()\n]|\s[-–—]\s")
_FULL_STOPS = frozenset(".!?\n")


def _clause_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the clause holding ``text[start:end]``, with the separator that opens it (« , appelez … »,
    « (call … ») or, for a whole sentence, the stop that closes it."""
    before = next(reversed(list(_CLAUSE_EDGE.finditer(text, 0, start))), None)
    after = _CLAUSE_EDGE.search(text, end)
    opens_sentence = before is None or before.group(0) in _FULL_STOPS
    first = 0 if before is None else before.end() if opens_sentence else before.start()
    if after is None:
        return first, len(text)
    closes = after.group(0) == ")" or (opens_sentence and after.group(0) in _FULL_STOPS)
    return first, after.end() if closes else after.start()


def _blanked(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` with the characters of ``spans`` turned to spaces (its length, hence every other span, kept)."""
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def contact_spans(text: str, with_web: bool = False) -> list[tuple[int, int]]:
    """Where ``text`` gives an e-mail address or a phone number (and, ``with_web``, a web address):
    the one reading of contact details that :func:`without_contacts` and :func:`without_contact_details` share.
    Addresses first, so that no phone is read inside one (« 0612345678@sms.example »)."""
    found = [(m.start(), m.end()) for m in EMAIL_IN_TEXT.finditer(text)]
    if with_web:
        found += [(m.start(), m.end()) for m in _URL_IN_TEXT.finditer(_blanked(text, found))]
    found += [(m.start(), m.end()) for m in _phones_in(_blanked(text, found))]
    return sorted(found)


def without_contacts(text: str) -> tuple[str, tuple[str, ...]]:
    """``text`` without the e-mail addresses and phone numbers it gives — the whole clause that gives one
    (« …, appelez Mme Dupont au 06 12 34 56 78 »), or the bare contact when little else would be left — and
    what was taken out. A listing or a presentation is read by everyone, while contacts are exchanged only
    after a double yes."""
    found = contact_spans(text)
    if not found:
        return text, ()
    kept, removed, last = [], [], 0
    masked = text  # the clause edges read around the contacts, never inside them (« asso@ex.fr »)
    for start, end in found:
        masked = masked[:start] + "x" * (end - start) + masked[end:]
    for start, end in sorted(_clause_around(masked, start, end) for start, end in found):
        start = max(start, last)
        kept.append(text[last:start])
        removed.append(text[start:end].strip(" ,;:.!?-–—()\n"))
        last = max(last, end)
    kept.append(text[last:])
    cleaned = re.sub(r"\s{2,}", " ", "".join(kept)).strip(" ,;:-–—")
    if len(cleaned.split()) < 3:  # the contact was nearly all of it: only the contact goes, with the words asking to use it
        cleaned = text
        for start, end in sorted(found, reverse=True):
            first = _clause_around(masked, start, end)[0]
            asking = re.match(r"[\s,;:.(\-–—]*([^\W\d_]+)", fold(text[first:start]))
            if asking is not None and asking.group(1) in _ASKING_VERBS:  # « appelez moi au », « contactez-nous : »
                start = first
            cleaned = cleaned[:start] + " " + cleaned[end:]
        cleaned = re.sub(r"\s{2,}", " ", cleaned).strip(" ,;:-–—")
        removed = [text[start:end] for start, end in sorted(found)]
    return cleaned, tuple(part for part in removed if part)


_ASKING_VERBS = frozenset(
    "appelez appeler appelle appelles contactez contacter contacte joignez joindre ecrivez ecrire ecris telephonez "
    "call contact email mail write text phone ring reach tel".split()
)
"""The first words of a clause that asks to use a contact (« appelez Mme Dupont au … », "call Paul on …")."""

_ASKING_TO_REACH = _ASKING_VERBS | frozenset(
    """appel contacts joignable mails e-mail courriel mel tele telephone telephoner portable mobile numero num no
    adresse sms whatsapp signal par au aux a l la le les de du des sur ou et via chez moi nous me mon ma mes notre
    nos votre vos ici svp merci us my our number address on at or and by to please thanks is are""".split()
)
"""The words of a sentence that only says how to reach someone (« Appelez-moi au … », « call me on … »)."""


def only_contact(text: str) -> bool:
    """Whether ``text`` gives an e-mail address or a phone number and, besides it, nothing but words asking
    to use it (« fay@example.org », « Appelez-moi au 06 12 34 56 78 »): once the details are taken out of a
    listing, as they always are (:func:`without_contacts`), nothing would be left for a partner to read."""
    spans = contact_spans(text)
    if not spans:
        return False
    words = re.findall(r"[a-z0-9]+", fold(_blanked(text, spans)))
    return all(word in _ASKING_TO_REACH or len(word) < 2 for word in words)


_POSTCODE = re.compile(r"(?<!\d)(\d{5}|2[AB]\d{3})(?!\d)", re.IGNORECASE)
_NAME_WITH_CODE = re.compile(r"([A-ZÀ-Ý][\w'’\- ]*?)\s*\(?\s*(\d{5}|\d{2,3}|2[AB])\s*\)?", re.UNICODE)
_CODE_WITH_NAME = re.compile(
    r"(?<![\w\-])(\d{5}|2[AB]\d{3})\s+([A-ZÀ-Ý][\w'’\-]*(?:[ \-](?:[A-ZÀ-Ý]|sur|sous|en|de|du|des|la|le|les|d['’]|l['’])[\w'’\-]*)*)"
)
"""A postcode written before its commune (« (69290 Craponne) », « - 69290 Craponne »)."""
_LAST_PREPOSITION = re.compile(r"^.*\b(?:à|au|aux|en|sur|in|at)\s+(?=[A-ZÀ-Ý])")
_AFTER_PREPOSITION = re.compile(
    r"\b(?:à|a|au|aux|en|sur|de|du|dans|near|in|at)\s+((?:(?:l['’ ])|(?:la |le |les ))?[A-ZÀ-Ý][\w'’\-]*(?:[ \-](?:[A-ZÀ-Ý]|sur|sous|en|de|du|des|la|le|les|d['’ ]|l['’ ])[\w'’\-]*)*)"
)


_DISTRICT = re.compile(
    r"\s+(\d{1,2})(?:\s?(?:er|re|e|eme|ème|ieme|ième|th|st|nd|rd)\b(?:\s+arr(?:ondissement|t)?\b\.?)?|(?=\s*(?:[,.;:!?)]|$)))",
    re.IGNORECASE,
)
"""An arrondissement's number after a city ("Lyon 4e", "Paris 11ème", "Lyon 4th", "Lyon 4,")."""
_DISTRICT_OF = re.compile(
    r"\b(\d{1,2})\s?(?:er|re|e|eme|ème|ieme|ième|th|st|nd|rd)?\s+arr(?:ondissement|t)?\.?\s+(?:de|du|of|d['’ ])\s*(paris|lyon|marseille)\b",
    re.IGNORECASE,
)
"""An arrondissement named before its city ("le 4e arrondissement de Lyon", "2nd arrondissement of Lyon")."""
_DISTRICT_SUFFIX = re.compile(r"\s?(?:er|re|e|eme|ème|ieme|ième|th|st|nd|rd)\b", re.IGNORECASE)
_CITY_DISTRICT = re.compile(r"\b(paris|lyon|marseille)" + _DISTRICT.pattern, re.IGNORECASE)
"""An arrondissement of one of the three cities that have them, whatever comes before ("…, Paris 11e, …")."""
_PLACED = re.compile(
    r"\b(?:we['’ ]?re|we are|i['’ ]?m|i am|on est|nous sommes|je suis|based|located|bas[ée]e?s?|situ[ée]e?s?|install[ée]e?s?|"
    r"(?:office|offices|premises|bureaux?|locaux|local|si[èe]ge)\s+(?:is|are|est|sont)|"
    r"moved|relocated|d[ée]m[ée]nag[ée]e?s?)\s+(?:(?:just\s+|juste\s+|now\s+|maintenant\s+)?(?:à|au|in|at|near|sur|dans|to)\s+)"
    r"((?:(?!(?:and|et|we|on|nous|sorry|pardon|but|mais|so|donc|with|avec|for|pour|since|depuis|where|o[uù]|which|qui|the|area|r[ée]gion|centre|center|city|need|besoin|recherche|search|looking|touch|contact|last|this|now|maintenant|year|years|ans|ann[ée]e|l['’ ]an|depuis)\b)"
    r"[a-zà-ÿ][\w'’\-]*(?:\s+|$|(?=[,.;:!?)…]))){1,4})",
    re.IGNORECASE,
)
"""A commune written in lower case after words that say where one is ("we're in lille", « on est à
roubaix », "our office is in villeneuve d ascq"): its words, up to the next clause."""


def _nth(number: str) -> str:
    """An arrondissement's number as the commune's name writes it ("4" → "4e", "1" → "1er")."""
    return number + ("er" if number == "1" else "e")


_NAME_IN_BRACKETS = re.compile(
    r"\(\s*((?:[A-ZÀ-Ý][a-zà-ÿ][\w'’]*)(?:[\s\-](?:[A-ZÀ-Ý]|sur|sous|en|de|du|des|la|le|les|d['’]|l['’])[\w'’]*){0,4})\s*\)"
)
"""A capitalised name alone in brackets after a structure's name (« Les Mamans du Mas (Vaulx-en-Velin) »): where it is."""


def place_queries(text: str) -> list[str]:
    """Shorter searches for a place inside a sentence ("On est à Tourcoing (59200)" →
    ["Tourcoing (59200)", "Tourcoing", "59200"]), most precise first; [] for a bare place."""
    queries: list[str] = [f"{m.group(2)} ({m.group(1)})" for m in _CODE_WITH_NAME.finditer(text)]  # « (69290 Craponne) »
    for match in _NAME_WITH_CODE.finditer(text):
        if _DISTRICT_SUFFIX.match(text, match.end()):  # "Marseille 13ème": an arrondissement, not a département
            continue
        name = re.sub(r"^(?:On|Nous|Je|We|Our|Notre|Nos)\b.*?\b(?:à|a|au|en|sur|in|at)\s+", "", match.group(1)).strip()
        name = _LAST_PREPOSITION.sub("", name)  # « Les Amis du Vieux Lavoir à Craponne 69290 »: the commune alone
        if name:
            queries.append(f"{name} ({match.group(2)})")
    queries += [m.group(1) for m in _NAME_IN_BRACKETS.finditer(text)]  # « Les Mamans du Mas (Vaulx-en-Velin) »
    queries += [f"{m.group(2)} {_nth(m.group(1))}" for m in _DISTRICT_OF.finditer(text)]  # "4e arrondissement de Lyon"
    queries += [f"{m.group(1)} {_nth(m.group(2))}" for m in _CITY_DISTRICT.finditer(text)]  # "…, Paris 11e, …"
    for match in _AFTER_PREPOSITION.finditer(text):
        district = _DISTRICT.match(text, match.end())
        if district:  # "à Lyon 4e": the arrondissement, then the city
            queries.append(match.group(1).strip() + " " + _nth(district.group(1)))
        queries.append(match.group(1).strip())
    placed = [" ".join(m.group(1).split()) for m in _PLACED.finditer(text) if m.group(1)[:1].islower()]  # "we're in lille"
    queries += [query for query in placed if query not in ("la", "le", "les", "l'", "l’", "un", "une")]
    queries += [m.group(1) for m in _POSTCODE.finditer(text)]
    seen: list[str] = []
    for query in queries:
        query = _PLACE_TAIL.sub("", query)  # « à meyzieu en fait »: the commune's words alone
        if query and query != text.strip() and query not in seen:
            seen.append(query)
    return seen


_CORRECTING = re.compile(
    r"(?:\b(?:actually|en fait|plut[ôo]t|pardon|sorry|i mean|je veux dire|my bad|my mistake|correction|oops|oups|rather|d[ée]sol[ée]e?)\b"
    r"|\b(?:non|no)\b[\s,]+(?=c['’ ]est|cest\s|c\s|it['’ ]?s|it is))",
    re.IGNORECASE,
)
_PLACE_LEAD = re.compile(
    r"^(?:(?:non|no|mais|but|well|bon|ou|or|en fait|actually|plut[ôo]t|rather|c['’ ]est|cest|c(?=\s)|it['’ ]?s|it is|that['’ ]?s|"
    r"we['’ ]?re|we are|i['’ ]?m|i am|on est|nous sommes|je suis|our\s+(?:office|offices|premises)\s+(?:is|are)|"
    r"(?:notre|le|la|nos|les)\s+(?:bureau|bureaux|local|locaux|si[èe]ge|structure|asso|association)\s+(?:est|sont)|"
    r"based|located|bas[ée]e?s?|situ[ée]e?s?|install[ée]e?s?|just|juste|à|a|au|en|sur|dans|in|at|near)\b[\s,.…]*)+",
    re.IGNORECASE,
)
_PLACE_TAIL = re.compile(
    r"(?:[\s,.!…]+(?:sorry|pardon|d[ée]sol[ée]e?s?|oops|oups|merci|thanks|thank you|my bad|lol|en fait|actually))*[\s,.!?…]*$",
    re.IGNORECASE,
)


def corrected_place(text: str) -> str | None:
    """The place a correction at the commune question names last ("lille... actually our office is
    in villeneuve d ascq sorry" → "villeneuve d ascq", « Lille, en fait non, Roubaix » → "Roubaix",
    « pardon c'est Tourcoing »); None when the text corrects nothing or names nothing after."""
    text = " ".join(text.split())
    if len(text) > 160:
        return None
    for match in reversed(list(_CORRECTING.finditer(text))):
        rest = _PLACE_TAIL.sub("", _PLACE_LEAD.sub("", text[match.end() :].strip(" ,.;:!…-")))
        if rest and _CORRECTING.search(rest) is None:
            return rest
    return None


_PLACE_DETAILS = re.compile(
    r"(?:^|\s*[,;(]\s*|\s+)(?:(?:juste|just|right|tout|pas loin|not far|really|very)\s+)?"
    r"(?:pr[èe]s\s+(?:de|du|des|d['’ ]|l['’ ])|(?:[àa]\s+)?c[ôo]t[ée]\s+(?:de|du|des|d['’ ]|l['’ ])|vers\s+(?:le|la|les|l['’ ])|"
    r"non\s+loin\s+(?:de|du|des|d['’ ])|proche\s+(?:de|du|des|d['’ ])|en\s+face\s+(?:de|du|des|d['’ ])|derri[èe]re\s|"
    r"quartiers?\s|dans\s+le\s+quartier|au\s+(?:niveau|pied)\s+(?:de|du|des)|"
    r"near(?:by)?\b|close\s+to|next\s+to|by\s+the|around\s+the|behind|opposite|in\s+the\s+(?:\w+\s+)?(?:area|district|neighbou?rhood)|"
    r"(?:the\s+)?(?:\w+\s+)?(?:district|neighbou?rhood)\b)[^,;.!?()]*",
    re.IGNORECASE,
)
"""Where in a commune one is (« villeurbanne, près du métro », « bron vers le parc », "villeurbanne, near gratte ciel",
« … quartier des Gratte-Ciel »), up to the end of its clause: details, no commune ("we're next to the town hall, 69100
Villeurbanne" keeps what follows the comma); a hyphen (Saint-Julien-près-Bort) never starts them."""
_DENIED_PLACE = re.compile(
    r"[\s,;(]+(?:et\s+|and\s+|mais\s+|but\s+)?(?:pas|not|non\s+pas|plut[ôo]t\s+que|rather\s+than|instead\s+of)\s+"
    r"(?:[àa]\s+|au\s+|en\s+|in\s+|at\s+|sur\s+)?[^\s,;.!?()]+(?:[\s\-][^\s,;.!?()]+){0,3}?\s*(?=[,;.!?)]|$)",
    re.IGNORECASE,
)
"""A commune denied beside the one said (« on est à villeurbanne, pas lyon », "villeurbanne, not lyon")."""


_PLACE_SPOT = re.compile(
    r"\s*[,;(]\s*(?:(?:au|aux|[àa]\s+la|[àa]\s+l['’ ]|dans\s+(?:le|la|les|l['’ ])(?=\s*(?-i:[a-zà-ÿ]))|"
    r"rue|avenue|av\.?|bd|boulevard|place|chemin|impasse|all[ée]e|cours|quai|route)\s+)[^,;.!?()]*\)?",
    re.IGNORECASE,
)
"""A spot in the commune said after it (« vaulx en velin, au mas du taureau », « bron, rue de la République », « villeurbanne,
dans le quartier », never « dans le Rhône »): details, unless the answer corrects the commune (« lyon, pardon, à la mulatière »)."""


def without_place_details(text: str) -> str:
    """``text`` (an answer at the commune question) without where in the commune one is and without a commune it
    denies (« nan pardon on est a villeurbanne, pas lyon, juste à côté du métro » → « nan pardon on est a
    villeurbanne », « à Bron près du parc de Parilly » → « à Bron », "villeurbanne, near gratte ciel" →
    "villeurbanne"); ``text`` when nothing of a place would be left."""
    typed = " ".join(text.split())
    kept = _PLACE_DETAILS.sub("", typed).strip(" ,;.!…-")
    if _CORRECTING.search(kept) is None:  # « lyon, pardon, à la mulatière »: a correction, never a spot
        kept = _PLACE_SPOT.sub("", kept).strip(" ,;.!…-")
    denied = _DENIED_PLACE.sub("", kept).strip(" ,;.!…-")
    if _names_something(denied):
        kept = denied
    return kept if _names_something(kept) else typed


_FILLER_ONLY = re.compile(
    r"^(?:(?:non|no|nan|nope|oui|ouais|yes|yep|ok|okay|pardon|sorry|merci|thanks|en fait|actually|c est|it s)\b[\s,.!]*)*$"
)


def _names_something(text: str) -> bool:
    """Whether ``text`` has words beyond a yes, a no, an apology (« non, » is left of « non, près de Lyon »)."""
    return len(text) >= 2 and _FILLER_ONLY.match(_words(text).replace("'", " ")) is None


def place_said(text: str) -> str | None:
    """The words of a place an answer introduces (« c'est Vaulx », « c vaulx », « à Bron », "it's Bron" → the place), to
    look up when the whole answer names none; None when nothing introduces it."""
    plain = " ".join(text.split())
    rest = _PLACE_TAIL.sub("", _PLACE_LEAD.sub("", plain)).strip(" ,.;:!…-")
    return rest if rest and rest != plain else None


_TAKE_UP = re.compile(
    r"^(?:(?:oui|ok|ouais|yes|vas[\s\-]y|allez|go)[\s,!.]+)?(?:on\s+|je\s+)?(?:publie[rsz]?|publi[ée]|publish|post|reprend(?:re|s)?|resume)"
    r"(?:[\s\-]+(?:le|la|l['’]?|les|it|ça|ca|moi|mon|ma|my|the|brouillon|draft|besoin|offre|need|offer|maintenant|now|svp|stp|please))*"
    r"[\s.!]*$",
    re.IGNORECASE,
)


def takes_up(text: str) -> bool:
    """Whether ``text``, said where a kept draft is mentioned, takes it up: a yes, or « publie le », « publier »,
    « reprendre », "publish it"."""
    return answers_yes_no(text) is True or _TAKE_UP.match(" ".join(text.split())) is not None


_NO_THEN = re.compile(r"^(?:non|nan|nn|no|nope|nah|nop)\b[\s,.!…;:\-–—]+(?P<rest>\S.*)$", re.IGNORECASE)


def place_after_no(text: str) -> str | None:
    """The words a "no" at a commune proposed goes on with (« non, l'arbresle », « non c'est Bron »,
    « nan plutôt Vénissieux », "no, bron" → the commune's words), to look up; None for a bare no or
    one that goes on saying no (« non merci », « non pas du tout »)."""
    found = _NO_THEN.match(" ".join(without_as_said(text).split()))
    if found is None or _words(text) in _NO_WHOLE:  # « non merci »: a no, never Mercin-et-Vaux
        return None
    rest = _PLACE_TAIL.sub("", " " + _PLACE_LEAD.sub("", found.group("rest"))).strip(" ,.;:!…-–—")
    if len(rest) < 2 or yes_no(rest) is not None or negated(fold(rest)) or re.match(r"(?:merci|thanks?)\b", rest, re.IGNORECASE):
        return None
    return rest


def without_place(text: str, place: str, name: str = "") -> str:
    """``text`` (a presentation) without the words that locate its writer in ``place`` ("I work in
    CSR at Novatek, we're in lille." → "I work in CSR at Novatek."), once the commune chosen is
    another; ``name`` (the organisation's, « Secours Populaire de Lille ») is left whole. A clause
    left without a word of its own goes too."""
    words = [re.escape(word) for word in re.split(r"[\s\-'’]+", place.strip()) if word]
    if not words:
        return text
    kept = text.replace(name, "\0") if name else text
    located = re.compile(
        r"(?:\b(?:we['’ ]?re|we are|i['’ ]?m|i am|on est|nous sommes|je suis|based|located|bas[ée]e?s?|situ[ée]e?s?|install[ée]e?s?)\s+)?"
        r"\b(?:(?:à|a|au|aux|en|sur|dans|de|du|d['’ ]|in|at|near|from|of)\s+)"
        + r"[\s\-'’]+".join(words)
        + "(?:"
        + _DISTRICT_SUFFIX.pattern
        + r"(?:\s+arr(?:ondissement|t)?\b\.?)?|"
        + _DISTRICT.pattern
        + r")?\b",
        re.IGNORECASE,
    )
    kept = located.sub("", kept)
    clauses = [c for c in re.split(r"(?<=[,.;!?…])\s+", kept) if re.search(r"\w", c)]
    kept = " ".join(c for c in clauses if re.search(r"\w{3,}", c.replace("\0", name)) or "\0" in c)
    kept = re.sub(r"\s+([,.;!?…])", r"\1", re.sub(r"[,;]\s*(?=[.!?…]|$)", "", " ".join(kept.split()))).strip(" ,;")
    return kept.replace("\0", name)


# ---------------------------------------------------------------- free sentences

NEED_MARKERS = (
    "cherch",
    "recherch",
    "besoin",
    "il nous faut",
    "il me faut",
    "il nous faudra",  # « ah et il nous faudra aussi une rallonge »
    "il me faudra",
    "il nous manque",
    "faudrait",
    "manque",
    "aurait",
    "auriez",
    "avez vous",
    "aimerions",
    "voudrions",
    "souhaiterions",
    "perdu",
    "perdus",
    "galer",
    "au secours",
    "aidez",
    "sos",
    "looking for",
    "need",
    "we want",
    "we would like",
    "seeking",
    "wanted",
    "help us",
    "struggling",
    "we re lost",
    "does anyone have",
    "anyone have",
    "pas assez",
    "plus assez",
    "n a pas de",
    "n a pas d",
    "n avons pas de",
    "n avons pas d",
    "n a plus de",
    "n avons plus de",
    "not enough",
    "short of",
    "lack",
    "don t have",
    "do not have",
    "no longer have",
)
"""Words of someone who asks ("nous cherchons", "il nous faut", "besoin de", "we need", "on est perdus")."""
WISH_MARKERS = tuple(
    f"{wish} {what}"
    for wishes, whats in (
        (
            ("aimerait", "aimerais", "voudrait", "voudrais", "souhaiterait", "souhaiterais", "on reve de", "nous revons de", "je reve de"),
            ("trouver", "avoir", "recevoir", "rencontrer", "un", "une", "des", "du", "de l", "de la", "quelqu un"),
        ),
        (("on reve", "nous revons", "je reve"), ("d un", "d une", "d avoir", "d trouver")),
        (
            (
                "we d love",
                "we would love",
                "i d love",
                "i would love",
                "we d like",
                "i d like",
                "i would like",
                "we re hoping",
                "we are hoping",
            ),
            ("a", "an", "some", "help", "to find", "to have", "to get", "to meet", "to work with", "for", "someone"),
        ),
        (("we hope", "hoping"), ("to find", "to get", "to meet", "for")),
        (("help with",), ("our", "the", "my")),
    )
    for wish in wishes
    for what in whats
)
"""Words of a wish (« on aimerait », « on voudrait », « on rêve de », "we'd love", "we're hoping to find"): a need when
the sentence names what is wished (« on aimerait trouver une entreprise partenaire », "help with our accounts") and
gives nothing; alone they ask nothing (« je voudrais changer de commune »)."""
OFFER_MARKERS = (
    "nous pouvons",
    "nous pourrions",
    "nous proposons",
    "nous offrons",
    "nous donnons",
    "nous pretons",
    "nous mettons a disposition",
    "nous disposons",
    "nous avons a ",  # « nous avons à prêter », not « nous avons aussi besoin »
    "on peut",
    "on pourrait",
    "on propose",
    "on offre",
    "on donne",
    "on prete",
    "on met a disposition",
    "on dispose",
    "je peux",
    "je propose",
    "je donne",
    "je prete",
    "peut offrir",
    "peut proposer",
    "peut preter",
    "peut donner",
    "peut accompagner",
    "peut aider",
    "peut mettre a disposition",
    "peuvent",
    "propos",
    "a preter",
    "a donner",
    "a ceder",
    "a offrir",
    "a partager",
    "a disposition",
    "pret",
    "donn",
    "offr",
    "mettre a disposition",
    "mettons a disposition",
    "met a disposition",
    "disponible",
    "disponibles",
    "partag",
    "si vous avez besoin",
    "qui en ont besoin",
    "qui en a besoin",
    "en cas de besoin",
    "we can",
    "we could",
    "we offer",
    "we are offering",
    "we re offering",
    "we provide",
    "we have",
    "we ve got",
    "happy to",
    "i can",
    "to lend",
    "lend",
    "give",
    "donate",
    "available",
    "to share",
    "to give away",
    "if you need",
    "anyone who needs",
)
"""Words of someone who gives ("nous pouvons", "on peut", "nous proposons", "à prêter", "disponible pour", "we can offer")."""
RECEIVING = re.compile(
    r"\b(?:nous|me|m) (?:preter|donner|offrir|proposer|aider|fournir|filer|passer|mettre a disposition)\b"
    r"|\b(?:lend|give|offer|help|provide|donate) (?:us|me)\b"
)
"""An offer verb whose receiver is the speaker ("qui pourrait nous prêter…", "lend us a van"): they ask."""
OTHERS_NEED = ("si vous avez besoin", "qui en ont besoin", "qui en a besoin", "en cas de besoin", "if you need", "anyone who needs")
"""Someone else's need named in an offer ("si vous avez besoin d'un camion, on peut prêter le nôtre")."""
CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "benevoles": (
        "benevol",
        "benvol",
        "volontaire",
        "des bras",
        "de bras ",  # « besoin de bras pour samedi », « manque de bras »
        "bras en plus",
        "coup de main",
        "coups de main",
        "main forte",
        "renfort",
        "volunteer",
        "voluntier",
        "helpers",
        "helping hands",
        "extra hands",
        "pair of hands",
        "pairs of hands",
        "manpower",
        "chauffeur",
        "conducteur",
        "conductrice",
        "driver",
    ),
    "competences": (
        "competence",
        "expert",
        "comptab",
        "compta",
        "factur",
        "bilan",
        "fiche de paie",
        "fiches de paie",
        "paie",
        "payroll",
        "com ",
        "reseaux sociaux",
        "statuts",
        "graphiste",
        "bookkeeping",
        "invoices",
        "accounting",
        "juridique",
        "juriste",
        "avocat",
        "graphis",
        "communication",
        "site web",
        "site internet",
        "informati",
        "conseil",
        "mecenat de competence",
        "skill",
        "accountant",
        "lawyer",
        "legal",
        "designer",
        "website",
        "pro bono",
        "probono",
        "savoir faire",
        "know how",
        "expertise",
        "formation",
        "formateur",
        "training",
        "mentor",
        "coaching",
        "gestion de projet",
        "conduite de projet",
        "project management",
        "consultant",
        "consulting",
        "traduct",
        "translat",
        "ressources humaines",
        "human resources",
        "marketing",
        "developpeur",
        "developer",
        "temps de nos salarie",
        "temps de nos collaborateur",
        "temps de nos employe",
        "temps salarie",
        "heures de nos salarie",
        "our employees time",
        "our staff s time",
        "our staff time",
        "staff time",
        "employee time",
        "employee volunteering",
    ),
    "financement": (
        "financ",
        "subvention",
        "argent",
        "budget",
        "fonds",
        "euros",
        "€",
        "mecenat financier",
        "mecene",
        "donateur",
        "funding",
        "grant",
        "money",
        "sponsor",
        "cagnotte",
        "crowdfunding",
        "financial",
        "fundrais",
        "dons en argent",
        "don financier",
        "dons financiers",
        "levee de fonds",
        "cash",
    ),
    "locaux": (
        "salle",
        "un local",
        "le local",
        "notre local",
        "votre local",
        "leur local",
        "du local",
        "d un local",
        "ce local",
        "local associatif",
        "local commercial",
        "local de stockage",
        "local pour",
        "locaux",
        "bureau",
        "entrepot",
        "hangar",
        "garage",
        "stockage",
        "espace de",
        "espace pour",
        "un lieu",
        "lieu de",
        "lieu pour",
        "un endroit",
        "endroit pour",
        "gymnase",
        "room",
        "premises",
        "office space",
        "storage",
        "warehouse",
        "venue",
        "space to",
        "space for",
        "somewhere to",
        "place to store",
        "hall ",
        "preter notre cuisine",  # a kitchen lent or sought, not the cooking (« bénévoles pour la cuisine ») nor where
        "pretons notre cuisine",  # a thing is used (« rénovation de notre cuisine »)
        "prete notre cuisine",
        "preter nos cuisines",
        "disposition notre cuisine",
        "disposition nos cuisines",
        "proposons notre cuisine",
        "propose notre cuisine",
        "ouvrir notre cuisine",
        "ouvrons notre cuisine",
        "louer notre cuisine",
        "louons notre cuisine",
        "d une cuisine",
        "cherche une cuisine",
        "cherchons une cuisine",
        "une cuisine equipee",
        "une cuisine professionnelle",
        "lend our kitchen",
        "offer our kitchen",
        "share our kitchen",
        "our kitchen is available",
        "a kitchen to",
        "a kitchen for",
        "kitchen space",
        "commercial kitchen",
    ),
    "materiel": (
        "materiel",
        "camion",
        "vehicule",
        "voiture",
        "ordinateur",
        "table",
        "chaise",
        "frigo",
        "refrigerateur",
        "outil",
        "barnum",
        "tente",
        "sono",
        "equipment",
        "van",
        "truck",
        "computer",
        "fridge",
        "tools",
        "equipement",
        "materi",
        "matos",
        "minibus",
        "bus ",
        "utilitaire",
        "camionnette",
        "fourgon",
        "remorque",
        "mobilier",
        "meuble",
        "imprimante",
        "photocopieu",
        "projecteur",
        "ecran",
        "congelateur",
        "chambre froide",
        "palette",
        "transpalette",
        "etagere",
        "vaisselle",
        "gobelet",
        "groupe electrogene",
        "chapiteau",
        "tonnelle",
        "vehicle",
        "lorry",
        "trailer",
        "furniture",
        "printer",
        "projector",
        "laptop",
        "freezer",
        "pallet",
        "shelves",
        "shelving",
        "chairs",
        "tent",
        "gazebo",
        "sound system",
        "videoprojecteur",  # a word of its own: « projecteur » starts no word of it
        "video projecteur",
        "retroprojecteur",
        "pelle",  # garden tools (« pelles », « râteaux », « sécateurs »…)
        "rateau",
        "brouette",
        "secateur",
        "tondeuse",
        "binette",
        "beche",
        "arrosoir",
        "debroussailleuse",
        "outillage",
        "shovel",
        "spade",
        "rake",
        "wheelbarrow",
        "lawnmower",
        "lawn mower",
        "mower",
        "pruning shears",
        "secateurs",
        "nos buts ",  # sports gear lent (« nos buts », « des cages de but »), never « dans le but de »
        "buts de foot",
        "cage de but",
        "cages de but",
        "goalposts",
        "baby foot",  # games and toys for a youth club, a neighbourhood party (« un baby-foot et des jeux de société »)
        "babyfoot",
        "flipper",
        "billard",
        "ping pong",
        "jeux de societe",
        "jeu de societe",
        "jouet",
        "instruments de musique",
        "tatami",  # sports gear (« des tatamis pour le judo », « des tapis de gym »)
        "tapis de sol",
        "tapis de gym",
        "gym mat",
        "foosball",
        "board game",
        "toys",
        "pool table",
        "musical instruments",
    ),
    "partenariat": (
        "partenariat",
        "partenaire",
        "collaborer",
        "collaboration",
        "cooperation",
        "cooperer",
        "projet commun",
        "co organiser",
        "coorganiser",
        "partnership",
        "partner",
        "joint project",
        "team up",
        "work together",
        "travailler ensemble",
    ),
}
FOOD_WORDS: tuple[str, ...] = (
    "nourriture",
    "denree",
    "produits alimentaires",
    "dons alimentaires",
    "don alimentaire",
    "colis alimentaire",
    "invendu",
    "repas",
    "pain ",
    "pains ",
    "baguette",
    "viennoiserie",
    "legumes",
    "fruits et legumes",
    "conserves",
    "food",
    "meals",
    "bread",
    "groceries",
    "unsold",
    "leftovers",
    "surplus produce",
    "vegetables",
    "canned goods",
    "gateau",
    "patisserie",
    "buffet",
    "gouter",
    "cakes",
    "cake ",
    "pastries",
    "pastry",
    "baked goods",
)
"""Food and foodstuffs (« des invendus de pain », "food donations"): no category of their own, filed
with the other goods given or lent in kind, Matériel (the demo's bakery offer of unsold bread is)."""
FOOD_CATEGORY = "materiel"
"""The category food goes to: the one of goods in kind (never a category of its own: matching and its
benchmark compare categories)."""


def names_food(text: str) -> bool:
    """Whether ``text`` speaks of food or foodstuffs (:data:`FOOD_WORDS`)."""
    return _has(_listing_words(text), FOOD_WORDS)


def category_named(text: str) -> str | None:
    """The one category a short answer to « de quoi s'agit-il ? » names by its words (« un camion »:
    Matériel, « des bras »: Bénévoles), food included (« de la nourriture », "its food, bread":
    :data:`FOOD_CATEGORY`); None when it names none, or several."""
    words = _listing_words(text)
    categories = list(_named(f" {words} ", CATEGORY_WORDS))
    if not categories:
        categories = [category for category, markers in CATEGORY_HINTS.items() if _has(words, markers)]
    return categories[0] if len(categories) == 1 else None


CATEGORY_HINTS: dict[str, tuple[str, ...]] = {
    "materiel": (
        *FOOD_WORDS,
        "logisti",
        "transport de marchandise",
        "transporter des",
        "transporter les",
        "transporter nos",
        "livraison",
        "livrer",
        "acheminer",
        "acheminement",
        "delivery",
        "deliveries",
        "deliver ",
        "transport of goods",
        "haulage",
        "shipping",
    ),
    "benevoles": (
        "manutention",
        "aide au demenagement",
        "aider a demenager",
        "aider pour le demenagement",
        "help us move",
        "help moving",
        "porter des",
        "porter les",
        "decharger",
        "dechargement",
        "heavy lifting",
        "moving boxes",
        "unload",
    ),
}
"""Words that name a category only when the sentence names no other ("la logistique du forum" is
Matériel; "des bénévoles pour la logistique" stays Bénévoles): logistics, transport and delivery
call for vehicles and equipment, handling for hands."""
_CATEGORY_TYPOS: dict[str, str] = {
    word: category
    for category, words in (
        ("benevoles", ("benevoles", "benevolat", "volontaires", "volunteers", "volunteering")),
        ("competences", ("competences", "comptabilite", "communication", "juridique", "informatique", "expertise")),
        ("financement", ("financement", "subvention", "subventions", "sponsoring", "funding", "mecenat")),
        ("locaux", ("locaux", "entrepot", "stockage", "premises", "storage", "warehouse")),
        ("materiel", ("materiel", "equipement", "camion", "camionnette", "vehicule", "logistique", "equipment", "logistics")),
        ("partenariat", ("partenariat", "partenaire", "partnership", "collaboration")),
    )
    for word in words
}
_TYPO_WORDS = tuple(_CATEGORY_TYPOS)
"""Category words whose typos ("bénévloes", "matérial", "logistisque") are read as the word: only
for sentences that say need or offer and name no category."""
SKILL_WORDS: dict[str, tuple[str, ...]] = {
    "juridique": (
        "juridique",
        "juriste",
        "avocat",
        "droit",
        "statuts",
        "contrat",
        "notaire",
        "rgpd",
        "legal",
        "lawyer",
        "law ",
        "attorney",
        "solicitor",
        "notary",
        "contract",
        "bylaws",
        "gdpr",
    ),
    "comptabilite": (
        "comptab",
        "compta",
        "factur",
        "bilan",
        "compte",
        "paie",
        "fiche de paie",
        "tresorerie",
        "expert comptable",
        "fiscal",
        "accounting",
        "accountant",
        "bookkeep",
        "invoic",
        "our accounts",  # "help with our accounts", "keep the accounts": the books (Compétences by the skill)
        "the accounts",
        "annual accounts",
        "payroll",
        "tax return",
        "treasury",
        "audit",
    ),
    "communication": (
        "communication",
        "com ",
        "graphis",
        "reseaux sociaux",
        "affiche",
        "flyer",
        "marketing",
        "relations presse",
        "charte graphique",
        "comms",
        "designer",
        "graphic design",
        "social media",
        "press relations",
        "public relations",
        "poster",
        "leaflet",
        "branding",
    ),
    "numerique": (
        "site web",
        "site internet",
        "informati",
        "numerique",
        "web ",
        "webmaster",
        "developpeur",
        "developpement web",
        "logiciel",
        "cybersecurite",
        "website",
        "digital",
        "computer skills",
        "computing",
        "software",
        "web developer",
        "web design",
        "cybersecurity",
        "it people",
        "it staff",
        "it team",
        "it support",
        "it skills",
    ),
    "gestion_projet": (
        "gestion de projet",
        "chef de projet",
        "conduite de projet",
        "montage de projet",
        "pilotage",
        "project management",
        "project manager",
        "project planning",
    ),
    "autre": (
        "ressources humaines",
        "rh ",
        "recrutement",
        "levee de fonds",
        "recherche de fonds",
        "collecte de fonds",
        "traduction",
        "human resources",
        "hr ",
        "recruitment",
        "recruiting",
        "fundraising",
        "fund raising",
        "translation",
    ),
}
"""Skill words (folded, each the start of a word; a trailing space ends it: "law " is never
"lawn"), French and English side by side; "IT" is read from its capitals (:func:`_listing_words`)."""


KIND_WORDS: dict[str, tuple[str, ...]] = {
    "association": (
        "asso",
        "asso loi 1901",
        "association loi 1901",
        "loi 1901",
        "club",
        "collectif",
        "amicale",
        "federation",
        "ong",
        "nonprofit",
        "non profit",
        "not for profit",
        "non lucratif",
        "sans but lucratif",
        "charity",
        "ngo",
        "voluntary organisation",
    ),
    "entreprise": (
        "societe",
        "pme",
        "tpe",
        "eti",
        "sarl",
        "sas",
        "sasu",
        "eurl",
        "scop",
        "commerce",
        "commercant",
        "artisan",
        "auto entrepreneur",
        "micro entreprise",
        "start up",
        "startup",
        "boutique",
        "magasin",
        "cabinet",
        "business",
        "firm",
        "shop",
        "sme",
        "small business",
        "agency",
        "web agency",
        "agence web",
        "agence de communication",
        "consultancy",
        "ltd",
        # who works in a company's CSR or philanthropy says a company ("I work in CSR at Decathlon")
        "rse",
        "csr",
        "responsable rse",
        "corporate social responsibility",
        "responsabilite societale des entreprises",
        "responsabilite sociale des entreprises",
        "corporate philanthropy",
        "corporate giving",
        "responsable mecenat",
        "charge de mecenat",
        "chargee de mecenat",
        "charge du mecenat",
        "chargee du mecenat",
    ),
    "collectivite": (
        "mairie",
        "commune",
        "ville",
        "municipalite",
        "conseil municipal",
        "agglomeration",
        "agglo",
        "communaute de communes",
        "communaute d agglomeration",
        "communaute urbaine",
        "cc du",
        "cc de",
        "cc des",
        "ca du",
        "ca de",
        "ca des",
        "metropole",
        "intercommunalite",
        "departement",
        "conseil departemental",
        "region",
        "conseil regional",
        "ccas",
        "town hall",
        "city hall",
        "city council",
        "town council",
        "municipality",
        "council",
        "city",
        "town",
        "local authority",
        # who works for one says it ("je suis le maire", « élue à Roubaix », "I'm the mayor")
        "maire",
        "adjoint au maire",
        "adjointe au maire",
        "elu municipal",
        "elue municipale",
        "conseiller municipal",
        "conseillere municipale",
        "agent municipal",
        "agente municipale",
        "services municipaux",
        "mayor",
        "deputy mayor",
        "councillor",
        "councilor",
    ),
    "autre": ("fondation", "ecole", "lycee", "college", "universite", "hopital", "foundation", "school", "university", "hospital"),
}
"""Words people use for each kind of structure, in both languages (folded), beside the labels."""

LISTING_KIND_WORDS: dict[str, tuple[str, ...]] = {
    "need": (
        "on cherche",
        "nous cherchons",
        "je cherche",
        "cherche",
        "recherche",
        "besoin",
        "il nous faut",
        "il nous faudrait",
        "demande",
        "we need",
        "looking for",
        "we are looking",
    ),
    "offer": (
        "on propose",
        "nous proposons",
        "je propose",
        "propose",
        "on peut",
        "nous pouvons",
        "offre",
        "on donne",
        "a donner",
        "a preter",
        "we offer",
        "we can",
        "we have",
    ),
}
"""Words that say need or offer when the person is asked which (folded)."""

KIND_NOUNS: dict[str, frozenset[str]] = {
    "need": frozenset(("besoin", "besoins", "demande", "need", "request")),
    "offer": frozenset(("offre", "offres", "proposition", "offer")),
}
"""The nouns that name the kind of a listing, in both languages (folded words)."""
KIND_CORRECTION_MAX_WORDS = 8
_CORRECTION_WORDS = frozenset(
    "en fait c est ce n non pas plutot un une finalement ah oh oups pardon desole desolee mais je voulais dire donc du coup bien "
    "oui si vraiment plus tot "
    "actually it s is a an no not rather sorry oops i meant in fact so well it this that after all yes really".split()
)
"""The words around the noun of a correction of the listing's kind ("en fait c'est plutôt une offre")."""


def kind_named(text: str) -> str | None:
    """The kind of listing a short correction names ("en fait c'est un besoin", "actually it's an
    offer", "plutôt une offre", "non, pas un besoin" → the other one); None when it names none,
    both, or is a sentence of its own."""
    if word_count(text) > KIND_CORRECTION_MAX_WORDS:
        return None
    words = _words(text).replace("'", " ").split(" ")
    named = [kind for kind, nouns in KIND_NOUNS.items() if any(word in nouns for word in words)]
    if len(named) != 1 or any(word not in _CORRECTION_WORDS and word not in KIND_NOUNS[named[0]] for word in words):
        return None  # "besoin urgent de bras": a description, not a correction
    noun = next(i for i, word in enumerate(words) if word in KIND_NOUNS[named[0]])
    before = words[max(0, noun - 3) : noun]
    if any(word in ("pas", "not") for word in before) or (before and before[-1] in ("no", "non")):
        return "offer" if named[0] == "need" else "need"  # "pas un besoin", "not a need": the other kind
    return named[0]  # "non finalement c'est bien un besoin": a leading "non" takes back the last change


FREQUENCY_WORDS: dict[str, tuple[str, ...]] = {
    "weekly": ("toutes les semaines", "une fois par semaine", "1 fois par semaine", "chaque semaine", "hebdomadaire", "hebdo",
               "every week", "once a week", "each week", "weekly"),
    "biweekly": ("tous les quinze jours", "tous les 15 jours", "toutes les 2 semaines", "une semaine sur deux", "une fois tous les quinze jours",
                 "deux fois par mois", "2 fois par mois", "every two weeks", "every 2 weeks", "every other week", "fortnightly", "twice a month"),
    "monthly": ("tous les mois", "une fois par mois", "1 fois par mois", "chaque mois", "mensuel", "mensuelle", "mensuellement",
                "every month", "once a month", "each month", "monthly"),
    "paused": ("jamais", "plus jamais", "pause", "never", "no more"),
}  # fmt: skip
"""Words that choose a suggestion frequency in /reglages (« tous les mois », « une fois par semaine », "once a month")."""
_LESS_OFTEN = re.compile(
    r"\b(?:moins (?:souvent|frequemment|regulierement|de suggestions|de messages)|plus rarement|espacer|espacez|"
    r"less (?:often|frequently)|fewer (?:suggestions|messages|emails)|not (?:so|as) often|(?:a bit )?less)\b"
)
_MORE_OFTEN = re.compile(r"\b(?:plus (?:souvent|frequemment|regulierement)|more (?:often|frequently)|davantage)\b")


def frequency_shift(text: str) -> int | None:
    """How a short answer moves the suggestion frequency: 1 for less often (« moins souvent svp », "less often
    please"), -1 for more often (« plus souvent »); None when it says neither, denies it or is a message of its own."""
    words = _words(text).replace("'", " ")
    if free_sentence(text) or "?" in text or negated(_LESS_OFTEN.sub(" ", words)):
        return None
    less, more = _LESS_OFTEN.search(words) is not None, _MORE_OFTEN.search(words) is not None
    if less == more:
        return None
    return 1 if less else -1


_ALERTS = re.compile(r"\b(?:alertes?|alerts?|notifs?|notifications?)\b")
_ALERTS_OFF = re.compile(
    r"\b(?:desactiv\w*|coup(?:e|ez|er)|arret(?:e|ez|er)|enlev(?:e|ez|er)|supprim(?:e|ez|er)|stop(?:pe|pez|per)?|"
    r"plus d|pas d|sans|aucune?|non|nan|off|disable[ds]?|turn (?:them |it )?off|switch (?:them |it )?off|no|no more|"
    r"mute|don t|do not|without|pas besoin d|j en veux pas|je n en veux pas)\b"
)
_ALERTS_ON = re.compile(
    r"\b(?:activ\w*|reactiv\w*|remet(?:s|tez|tre)?|rallum\w*|oui|ouais|on|enable[ds]?|turn (?:them |it )?on|"
    r"switch (?:them |it )?on|yes|je veux|je voudrais|i want|i d like|keep)\b"
)


def alerts_wanted(text: str, named: bool = True) -> bool | None:
    """Whether short words turn the early alerts on or off (« désactiver les alertes », « plus d'alertes svp »,
    "turn alerts off", « réactiver les alertes »); None when they say neither, or both, or are a message of their
    own. With ``named``, the alerts must be named (« alertes », "notifications")."""
    words = _words(text).replace("'", " ")
    if free_sentence(text) or "?" in text or (named and _ALERTS.search(words) is None):
        return None
    off, on = _ALERTS_OFF.search(words) is not None, _ALERTS_ON.search(words) is not None
    if off == on:
        return None
    return on


LANGUAGE_WORDS: dict[str, tuple[str, ...]] = {
    "fr": ("francais", "french", "en francais", "in french"),
    "en": ("anglais", "english", "en anglais", "in english"),
}
"""Words that choose the language the bot writes in (« anglais », "French")."""
THEME_WORDS: dict[str, tuple[str, ...]] = {
    "alimentation": (
        "alimentaire",
        "aide alimentaire",
        "nourriture",
        "repas",
        "epicerie",
        "banque alimentaire",
        "food",
        "food aid",
        "food bank",
        "meals",
    ),
    "sante": ("soins", "medical", "medecin", "handicap", "health", "care", "disability"),
    "environnement": (
        "ecologie",
        "nature",
        "climat",
        "biodiversite",
        "recyclage",
        "dechets",
        "environment",
        "ecology",
        "climate",
        "recycling",
    ),
    "emploi_insertion": ("emploi", "insertion", "chomage", "travail", "employment", "jobs", "work"),
    "education_jeunesse": (
        "education",
        "jeunesse",
        "jeunes",
        "enfants",
        "gamins",
        "ados",
        "adolescents",
        "soutien scolaire",
        "devoirs",
        "youth",
        "children",
        "kids",
        "teenagers",
        "young people",
    ),
    "culture": (
        "musique",
        "theatre",
        "arts",
        "spectacle",
        "patrimoine",
        "fetes",
        "festivites",
        "festival",
        "music",
        "heritage",
        "festivals",
    ),
    "sport": ("sports", "football", "rugby", "sporting"),
    "solidarite_social": (
        "solidarite",
        "social",
        "action sociale",
        "entraide",
        "precarite",
        "pauvrete",
        "parentalite",
        "familles",
        "solidarity",
        "poverty",
        "parenting",
        "families",
    ),
    "numerique": ("informatique", "internet", "digital", "computers", "it"),
    "logement": ("hebergement", "habitat", "housing", "shelter"),
    "mobilite": ("transport", "transports", "velo", "mobility", "cycling"),
    "citoyennete": (
        "citoyen",
        "vie locale",
        "vie associative",
        "democratie",
        "quartier",
        "voisins",
        "voisinage",
        "citizenship",
        "community",
        "local life",
        "neighbourhood",
        "neighborhood",
        "neighbours",
        "neighbors",
    ),
}
"""Words people use for each theme, in both languages (folded), beside the labels."""

CLOSE_WORDS: tuple[str, ...] = (
    "supprimer",
    "effacer",
    "retirer",
    "enlever",
    "fermer",
    "terminer",
    "arreter",
    "delete",
    "remove",
    "close",
    "end",
)
"""Words for closing a listing ("Clôturer")."""
RENEW_WORDS: tuple[str, ...] = (
    "changer la date",
    "modifier la date",
    "changer la date de fin",
    "modifier la date de fin",
    "changer la duree",
    "modifier la duree",
    "corriger la date",
    "la date",
    "date de fin",
    "change the date",
    "change date",
    "change the end date",
    "edit the date",
    "fix the date",
    "change the duration",
    "the date",
    "end date",
    "extend",
)
"""Words for a listing's end ("Prolonger"): its date changed, its event's date corrected."""


@dataclass(frozen=True, slots=True)
class Guess:
    """What a free sentence seems to ask for: a need or an offer, a category, skills (those it names,
    whatever the category: a listing of skills uses them, the skills question shows them ticked)."""

    kind: str | None = None
    category: str | None = None
    skills: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    """Every category the sentence names ("des bénévoles et un local": volunteers and premises)."""

    @property
    def is_listing(self) -> bool:
        """Enough to start a need or an offer with this sentence as its description."""
        return self.kind is not None or self.category is not None


_MARKER_PATTERNS: dict[int, tuple[Sequence[str], re.Pattern[str]]] = {}
"""One compiled alternation per marker list (by identity): a scan in C instead of a loop of ``in``."""


def _markers_pattern(markers: Sequence[str]) -> re.Pattern[str]:
    cached = _MARKER_PATTERNS.get(id(markers))
    if cached is None or cached[0] is not markers:  # a list made for one call may reuse a freed id
        cached = (markers, re.compile(" (?:" + "|".join(re.escape(m) for m in sorted(markers, key=len, reverse=True)) + ")"))
        if len(_MARKER_PATTERNS) > 1024:  # bounded, whatever callers pass
            _MARKER_PATTERNS.clear()
        _MARKER_PATTERNS[id(markers)] = cached
    return cached[1]


def _has(words: str, markers: Sequence[str]) -> bool:
    """Whether one of ``markers`` starts a word of ``words``."""
    return _markers_pattern(markers).search(f" {words} ") is not None


_MARKERS_BY_FIRST: dict[int, tuple[Sequence[str], dict[str, list[tuple[int, str]]]]] = {}
"""The markers of a list by their first character (by identity, as :data:`_MARKER_PATTERNS`)."""


def _markers_by_first(markers: Sequence[str]) -> dict[str, list[tuple[int, str]]]:
    cached = _MARKERS_BY_FIRST.get(id(markers))
    if cached is None or cached[0] is not markers:
        index: dict[str, list[tuple[int, str]]] = {}
        for number, marker in enumerate(markers):
            index.setdefault(marker[:1], []).append((number, " " + marker))
        cached = (markers, index)
        if len(_MARKERS_BY_FIRST) > 1024:
            _MARKERS_BY_FIRST.clear()
        _MARKERS_BY_FIRST[id(markers)] = cached
    return cached[1]


def _said(words: str, markers: Sequence[str]) -> list[tuple[int, int]]:
    """Where ``markers`` start a word of ``words``: (start, end) spans, a longer one hiding those inside it.

    The alternation of all markers finds each place where one starts (a scan in C); only the
    markers of that first letter are tried there, each counted where it does not overlap itself
    (as successive str.find of each marker did, for ~2x less CPU with lists of 50 to 80 markers)."""
    padded = f" {words} "
    pattern = _markers_pattern(markers)
    match = pattern.search(padded)
    if match is None:  # most sentences name none of them
        return []
    by_first = _markers_by_first(markers)
    found: list[tuple[int, int, int]] = []  # marker's number, start, end
    free_from: dict[int, int] = {}
    while match is not None:
        at = match.start()
        for number, needle in by_first.get(padded[at + 1], ()):
            if at >= free_from.get(number, 0) and padded.startswith(needle, at):
                found.append((number, at, at + len(needle)))
                free_from[number] = at + len(needle)
        match = pattern.search(padded, at + 1)
    found.sort()  # in the markers' order, then the text's: as the markers were looked for one after the other
    kept: list[tuple[int, int]] = []
    for _, start, end in sorted(found, key=lambda span: span[1] - span[2]):
        if all(end <= other_start or start >= other_end for other_start, other_end in kept):
            kept.append((start, end))
    return kept


SKILLS_SAID = "competencesdites"
"""How "mécénat de compétences", "bénévolat de compétences", "skills-based volunteering" are read:
a word of Compétences that also says skills were named as what is given or asked (:func:`_guess`)."""

_OURS_CAN = re.compile(
    r"\b(?:our|my) (?:[a-z]+ ){1,3}?(?:can|could|are able to|are happy to|would be (?:happy|glad) to)\b(?! (?:use|t|not|no longer)\b)"
    r"|\b(?:nos|notre|mes|mon|ma) (?:(?!ne\b|n\b)[a-z]+ ){1,3}?(?:peut|peuvent|pourrait|pourraient|sait|savent)\b(?! pas\b)"
)
_POSSESSIVES = (" our ", " my ", " nos ", " notre ", " mes ", " mon ", " ma ")
_POSSESSIVE_WORDS = tuple(possessive[1:] for possessive in _POSSESSIVES)
_MODALS = ("can ", "could ", "able ", "happy ", "glad ", "peu", "pourr", "sai", "sav")
_DOING_GIVING = re.compile(
    r"\b(?<!qui )(?<!who )(?<!that )(?:fai\w*|font|pratiqu\w*|do|does|doing|practi[cs]e\w*|work|works|working) "
    r"(?:(?:du|de|le|la|l|des|en|some|a lot of|lots of|of)\s)*(?:" + SKILLS_SAID + r"|pro bono|mecenat financier|benevolat)\b"
)
GIVINGS = (SKILLS_SAID, "pro bono", "mecenat", "benevolat")
"""Giving said without an offer word: what "our lawyers", « nos salariés » can do ("our lawyers can
work pro bono", « notre équipe peut… »), and doing a kind of giving (« notre entreprise fait du
mécénat de compétences », "we do pro bono work"); not someone else's ("une entreprise qui fait du
mécénat"). Each looked for only when its words are there (most sentences have none)."""


def _giving(words: str) -> list[re.Match[str]]:
    """Where :data:`_OURS_CAN` and :data:`_DOING_GIVING` say giving in ``words`` (str.find first:
    a regular expression tried at every position of every sentence cost more than the rest of the guess)."""
    padded = f" {words} "
    found = []
    if _has(words, _MODALS) and _has(words, _POSSESSIVE_WORDS):
        for possessive in _POSSESSIVES:
            at = padded.find(possessive)
            while at != -1:  # the possessive starts at ``at`` in ``words`` (one space less in front)
                match = _OURS_CAN.match(words, at)
                if match is not None:
                    found.append(match)
                at = padded.find(possessive, at + 1)
    if _has(words, GIVINGS):
        found += _DOING_GIVING.finditer(words)
    return found


_DENIED_AFTER = re.compile(r" (?:pas|plus|jamais|not|never|no longer)\b")
"""What, right after an offer word, takes it back (« nos bénévoles ne peuvent plus porter… »)."""


_SOUGHT_THING = re.compile(r"(?:^|\s)(?:un|une|le|la|les|l|du|des|d|notre|nos|votre|vos|leur|leurs|ce|cet|cette|ces|the|a|an|some)\s$")
"""An article just before a giving word (« un prêt de camion », « une offre de transport », "the loan of"): a thing named."""
_SOUGHT_QUALITY = re.compile(r"(?:disponibles?|available)\b")
"""« disponible(s) », "available" said of what is sought (« des bénévoles disponibles le samedi »)."""


_SHORT_FAUT = re.compile(
    r"^(?:(?:et|bon|bah|ben|alors|donc|sinon|ah|oh)\s+)*(?:faut|faudra)\s+(?:aussi\s+|encore\s+|juste\s+)?(?:un|une|des|du|de|d|qq|quelqu)\b"
)
"""« faut un camion », « faudra des tables » at the start of a sentence: « il nous faut » typed short (« il faut aussi un
permis B » inside a listing is a precision, not another need)."""


def _kind(words: str, asked_before: bool = False) -> str | None:
    """Need or offer from the words of a sentence; None when it says neither, or both as much (ask). ``asked_before``:
    the sentence follows a need (« on cherche des bénévoles, et un prêt de camion »): what it names is sought too."""
    receiving = [(m.start(), m.end() + 1) for m in RECEIVING.finditer(words)]
    others = _said(words, OTHERS_NEED)
    asks = [s for s in _said(words, NEED_MARKERS) if not any(o[0] <= s[0] < o[1] for o in others)]
    gives = [s for s in _said(words, OFFER_MARKERS) if not any(r[0] <= s[0] < r[1] for r in receiving)]
    for match in _giving(words):  # spans as _said's: from the first letter to one past the last
        start, end = match.start(), match.end() + 1
        if not any(g[0] < end and start < g[1] for g in gives) and not any(r[0] <= start < r[1] for r in receiving):
            gives.append((start, end))
    gives = [g for g in gives if not _DENIED_AFTER.match(words, g[1] - 1)]  # « ne peuvent plus », "can not"
    if asks or receiving or asked_before:  # « on cherche un prêt de camion », « … des bénévoles disponibles »: sought, no offer
        gives = [g for g in gives if not _SOUGHT_THING.search(words, 0, g[0]) and not _SOUGHT_QUALITY.match(words, g[0])]
    if _SHORT_FAUT.match(words):  # « faut aussi un camion pr la brocante »: « il nous faut » typed short
        asks.append((0, 1))
    need, offer = len(asks) + len(receiving), len(gives)
    if need > offer:
        return "need"
    if offer > need:
        return "offer"
    return None


_READ_AS_WORDS: dict[str, str] = {
    "donnee": " ",  # "nos données": no offer
    "ca donne quoi": " ",  # « alors ça donne quoi la vogue »: how it goes, nothing given
    "ca donne koi": " ",
    "donnees": " ",
    "a propos": " ",  # "à propos": no offer
    **{  # « je sais pas si c le bon endroit pour demander », "not sure this is the right place to ask": about the bot, no room
        phrase: " "
        for phrase in (
            "au bon endroit",
            "bon endroit pour demander",
            "bon endroit pour poser",
            "bon endroit pour ecrire",
            "bon endroit pour en parler",
            "bon endroit pour ca",
            "bon endroit ici",
            "right place to ask",
            "right place to post",
            "right place for this",
            "in the right place",
        )
    },
    "mecenat": "mecenat financier",  # "mécénat" alone is money ("mécénat de compétences" is not: below)
    "mecenat de competence": SKILLS_SAID,
    "mecenat en competence": SKILLS_SAID,
    "benevolat de competence": SKILLS_SAID,  # skills-based volunteering is Compétences, not Bénévoles
    "benevolat en competence": SKILLS_SAID,
    "volontariat de competence": SKILLS_SAID,
    "benevoles competents": "competence",
    "benevoles qualifies": "competence",
    "skills based volunteer": SKILLS_SAID,
    "skill based volunteer": SKILLS_SAID,
    "skills based volunteering": SKILLS_SAID,
    "skill based volunteering": SKILLS_SAID,
    "skilled volunteer": "skill",
    "professional volunteer": "skill",
    "pro bono": "pro bono skill",
    "avec chauffeur": " ",  # "un minibus avec chauffeur": one thing, the vehicle
    "avec son chauffeur": " ",
    "with driver": " ",
    "with a driver": " ",
    "we would like to offer": "we offer",  # "we'd like to offer": an offer, not the "we would like" of a need
    "we d like to offer": "we offer",
    "we would love to offer": "we offer",
    "we d love to offer": "we offer",
    "we want to offer": "we offer",
    "we wish to offer": "we offer",
    "we would like to provide": "we provide",
    "we d like to provide": "we provide",
    "we would like to give": "we offer",
    "we d like to give": "we offer",
    **{  # « on aimerait proposer notre salle », "we're hoping to lend our van": the wish is to give
        f"{wish} {verb}": f"peut {verb}"  # never « nous mettre à disposition », which receives
        for wish in (
            "aimerait",
            "aimerais",
            "aimerions",
            "voudrait",
            "voudrais",
            "voudrions",
            "souhaiterait",
            "souhaiterais",
            "souhaiterions",
        )
        for verb in ("proposer", "offrir", "donner", "preter", "partager", "mettre a disposition", "ceder")
    },
    **{
        f"{wish} to {verb}": "we offer"
        for wish in ("we re hoping", "we are hoping", "we hope", "i d love", "i would love", "i d like", "i would like")
        for verb in ("offer", "provide", "give", "lend", "share", "donate")
    },
}
_READ_AS = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(_READ_AS_WORDS, key=len, reverse=True)) + r")s?\b")
"""Phrases read as another word before guessing (one pass): "mécénat de compétences" and "bénévolat
de compétences" are skills, "mécénat" alone is money, "nos données" gives nothing."""


def _read_as(match: re.Match[str]) -> str:
    found = match.group(0)
    return _READ_AS_WORDS.get(found) or _READ_AS_WORDS.get(found[:-1], found)


CATEGORY_TYPO_SCORE = 84.0
"""How close (0–100) a word must be to a category word to be read as its typo."""


_SCANS: dict[int, tuple[Mapping[str, Sequence[str]], re.Pattern[str], dict[str, str]]] = {}


def _named(padded: str, vocabulary: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    """The keys of ``vocabulary`` one of whose markers starts a word of `` padded `` (in the
    vocabulary's order): one scan of one alternation for all of them, not one per key."""
    scan = _SCANS.get(id(vocabulary))
    if scan is None or scan[0] is not vocabulary:
        owner = {marker: key for key, markers in reversed(list(vocabulary.items())) for marker in markers}
        pattern = re.compile(" (" + "|".join(re.escape(m) for m in sorted(owner, key=len, reverse=True)) + ")")
        scan = (vocabulary, pattern, owner)
        _SCANS[id(vocabulary)] = scan
    pattern, owner = scan[1], scan[2]
    found = set()
    at = 0
    while (match := pattern.search(padded, at)) is not None:  # overlapping: "un local" does not hide "local pour"
        found.add(owner[match.group(1)])
        at = match.start() + 1
    return tuple(key for key in vocabulary if key in found)


def _category_typo(words: str) -> list[str]:
    """The categories whose words ``words`` misspell ("bénévloes", "matérial", "logistisque"): long
    words only (6 letters or more), one category at most."""
    found = set()
    for word in words.split(" "):
        if len(word) >= 6:
            best = process.extractOne(word, _TYPO_WORDS, scorer=fuzz.ratio, score_cutoff=CATEGORY_TYPO_SCORE)
            if best is not None:
                found.add(_CATEGORY_TYPOS[best[0]])
    return list(found) if len(found) == 1 else []


def guess_listing(text: str) -> Guess:
    """Guess need/offer and category from a sentence ("on cherche des bénévoles le samedi matin").

    The kind is the side the sentence says more of: asking words ("nous cherchons", "il nous
    faut", "besoin de", "we need") against giving words ("nous pouvons", "on peut", "nous
    proposons", "à prêter", "disponible pour", "we can offer", "we have … to lend"); an offer verb
    received by the speaker ("qui pourrait nous prêter") asks. Neither, or as much of both: None,
    and the person is asked. Skills-based volunteering said in so many words ("du bénévolat de
    compétences : nos menuisiers peuvent fabriquer du mobilier") is Compétences alone, unless the
    sentence cuts into two listings or both asks and offers."""
    words = _listing_words(text)
    if len(words.split(" ")) < 3 and not _has(words, ("compta", "factur", "paie", "bilan")):
        return Guess()
    guess = _guess(words)
    skills_said = len(guess.categories) > 1 and f" {SKILLS_SAID} " in f" {words} "
    if skills_said and not (_has(words, NEED_MARKERS) and _has(words, OFFER_MARKERS)) and not listing_parts(text):
        # "du bénévolat de compétences : nos menuisiers peuvent fabriquer du mobilier": what the skills make, one listing
        return replace(guess, category="competences", categories=("competences",))
    return guess


def _listing_words(text: str) -> str:
    """The folded words of ``text`` as :func:`guess_listing` reads them (phrases read as others). Contact details say
    nothing of what is asked or offered: « ecrivez a jardins.tonkin@gmail.com » names no Compétences (communication)."""
    if "@" in text or any(ch.isdigit() for ch in text):
        text = without_contact_details(text)
    if "IT" in text:  # "skills in IT": the capitals say computing, never the pronoun "it" (nor "WE NEED IT")
        text = _IT.sub(" informatique ", text)
    words = _READ_AS.sub(_read_as, _words(text).replace("'", " ").replace("-", " "))
    return _SHARED_THING.sub(r"\1 commun", words) if " partage" in words else words


_SHARED_THING = re.compile(
    r"\b(?!(?:on|nous|je|j|vous|tu|il|elle|ils|elles|a|ai|as|avons|avez|ont|est|sont|etre|peut|peux|pouvons|pouvez|peuvent|"
    r"pourrait|pourrions|pourraient|veut|voulons|se|s|en|le|la|les|l|du|de|d|des|au|aux|et|ou|un|une|qui|que|pour)\b)"
    r"([a-z]+) partage(?:e|es|s)?\b"
)
"""A thing said shared (« jardin partagé », « cuisine partagée », « des outils partagés »): what it is,
not an offer to share (« on partage notre local », « nous avons partagé », « à partager » still are)."""


_IT = re.compile(r"(?<![\w'’])(?<![A-Z]{2} )IT(?![\w'’])(?! [A-Z]{2,}\b)")


OBJECT_CATEGORIES = ("locaux", "materiel", "financement")
"""The categories of a thing sought or given (a room, a van, money), whatever it is for."""
_PURPOSE = re.compile(r" (?:pour|pr|for|afin de|afin d|destinee?s? a|dediee?s? a|to host|to hold)\b")
_PURPOSE_END = re.compile(r" (?:et|and|mais|but|ainsi que|as well as|ou|or|puis|then|aussi|also|plus)\b")


_TASK_AFTER = re.compile(
    r" (?:nous |vous |les |leur |lui )?(?!(?:notre|votre|leur|leurs|nos|vos|le|la|les|un|une|des|du|ce|cette)\b)\w+(?:er|ir|re)\b"
)
"""A task just after « pour » (« des bénévoles pour animer des jeux de société »): the people are what is asked,
whatever the task handles."""


def _object_over_purpose(padded: str, categories: list[str]) -> list[str]:
    """The category of the thing a sentence names before what it is for (« une salle pour une formation »,
    « un camion pour nos bénévoles », "a room for our volunteers' meeting": Locaux, Matériel), when the
    other categories are named only in that purpose; ``categories`` otherwise (« une salle et des
    bénévoles pour la formation », « des bénévoles pour notre salle »: two things, or people, asked)."""
    for purpose in _PURPOSE.finditer(padded):
        named = _named(padded[: purpose.end()] + " ", CATEGORY_WORDS)  # "local pour", "space for" end with it
        if not named:
            continue
        for_a_task = tuple(named) == ("benevoles",) and _TASK_AFTER.match(padded, purpose.end()) is not None
        if len(named) > 1 or (named[0] not in OBJECT_CATEGORIES and not for_a_task):  # « des bénévoles pour notre salle »
            return categories
        end = _PURPOSE_END.search(padded, purpose.end())
        if end is not None and set(_named(padded[end.start() :], CATEGORY_WORDS)) - set(named):
            return categories
        return list(named)
    return categories


_PEOPLE_FOR_A_TASK = re.compile(
    r" (?:des gens|du monde|de monde|quelqu un|quelqu une|qqn|qq1|des personnes|une personne|quelques personnes|"
    r"(?:\d+|deux|trois|quatre|cinq|six|dix) personnes|someone|somebody|anyone|people|persons|a hand|help|helpers)"
    r"(?: (?:pour|pr|afin de) (?:nous |vous |les |leur |lui )?(?!(?:notre|votre|leur|leurs|nos|vos|le|la|les|un|une|des|du|ce|cette)\b)"
    r"\w+(?:er|ir|re)\b| to (?!(?:the|a|an|our|your|their|this|that|us|me)\b)\w+\b| \w+ing\b)"
)
"""People asked for a task (« du monde pour servir les repas », "someone to prepare the parcels", "help cooking
meals"): Bénévoles, whatever the task handles — a food word then names no category."""


def _guess(words: str) -> Guess:
    """:func:`guess_listing` of words already read."""
    kind = _kind(words)
    padded = f" {words} "
    skills = _named(padded, SKILL_WORDS)
    categories = list(_named(padded, CATEGORY_WORDS))
    if len(categories) > 1:  # « une salle pour une formation »: the object wins over the purpose
        categories = _object_over_purpose(padded, categories)
    if not categories and not skills and _PEOPLE_FOR_A_TASK.search(padded):  # « du monde pour servir les repas »: people, not food;
        # a skill named (« someone to keep the accounts ») is Compétences, as before
        categories = ["benevoles"]
    if not categories:  # "la logistique du forum", "de la manutention": a category only when none other is named
        categories = [category for category, markers in CATEGORY_HINTS.items() if _has(words, markers)]
        if not categories and kind is not None:  # "on cherche des bénévloes": a typo of a category word
            categories = _category_typo(words)
    if skills and set(categories) == {"benevoles", "competences"}:  # "des bénévoles pour tenir la compta"
        categories = ["competences"]
    category = categories[0] if len(categories) == 1 else None
    if category is None and skills and ("competences" in categories or not categories):
        category = "competences"
    if kind is None and (categories or category) and _has(words, WISH_MARKERS) and not _has(words, OFFER_MARKERS):
        kind = "need"  # « on aimerait trouver une entreprise partenaire », "we'd love a partner company": a wish of a thing
    return Guess(
        kind=kind, category=category, skills=skills, categories=tuple(categories)
    )  # kept when another category wins: ticked if skills are chosen later


def shorten(text: str, maximum: int) -> str:
    """The first ``maximum`` characters of ``text``, cut at a word and ending with "…" when cut."""
    if len(text) <= maximum:
        return text
    cut = text[: maximum - 1]
    if " " in cut[maximum // 2 :] and not text[maximum - 1].isspace():  # a word whole up to the cut is kept
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.-") + "…"


EXCERPT_CHARS = 120
"""How much of what a person wrote is quoted back to them in a question or a refusal."""


def excerpt(text: str, maximum: int = EXCERPT_CHARS) -> str:
    """What a question or a refusal quotes of a person's text: one line (every run of spaces and
    line breaks made one space), at most ``maximum`` characters, cut at a word with "…" — never
    the whole of a long message again at every re-prompt."""
    return shorten(" ".join(text.split()), maximum)


# ---------------------------------------------------------------- the language people write in

_LANGUAGE_WORDS: dict[str, frozenset[str]] = {  # never a word both languages use ("me", "an", "local")
    "en": frozenset(
        "the we our us i my is are am and of to for with yes please thanks thank you your hello hi what how "
        "can need help want would like this that it be have has do does not our company other none skip back "
        "both neither authority looking offer who where when which work working works in at from run small business "
        "charity council nonprofit team".split()
    ),
    "fr": frozenset(
        "le la les nous notre nos je est sommes suis et de des du pour avec oui non merci bonjour salut une un au aux "
        "vous votre quoi comment besoin aide entreprise collectivite autre aucun passer retour tous deux ni ce cette "
        "il elle sur dans pas cherchons proposons qui ou quand quel quelle".split()
    ),
}


STRONG_LANGUAGE_WORDS = 2
"""How many small words of one language (and none of the other) make a sentence strong evidence of it."""


STRONG_LANGUAGE_RATIO = 3
"""A sentence with a word of the other language (a greeting, "Hello, nous cherchons…"; a loan word) is still strong
evidence when it has this many times more of its own."""
_RAW_WORD = re.compile(r"\S+")
_SENTENCE_STOPS = frozenset(".!?…:;")
_NAME_LINKS = frozenset("de du des d la le les l of the and et & von van".split())
_I_WORDS = re.compile(r"^I(?:['’](?:m|d|ve|ll))?$")
_BOTH_LANGUAGES = re.compile(r"\bnon profits?\b")
"""English words that hold a French one ("non profit", "non-profit"): neither language's evidence."""


def _common_words(text: str) -> list[str]:
    """The words of ``text`` that can tell its language: all but those of proper names — a capitalised
    word inside a sentence, an acronym, the small words between two such (« Les Restos du Cœur »,
    "FC Bron", "US Villeurbanne" in "Hi, I'm Tom from Les Restos du Cœur, we need…"): a name is
    written in its own language, whoever writes."""
    raw = [(match.start(), match.group(0)) for match in _RAW_WORD.finditer(text)]
    named = []
    end = None  # where the previous word ends (None: this is the first word)
    for start, token in raw:
        word = token.strip("\"'«»“”‘’()[]{},.;:!?…")
        # A sentence starts after a stop or a line break (read from the previous word and the blank
        # between, not by searching the whole text before each word: that was quadratic).
        first = end is None or "\n" in text[end:start] or text[end - 1] in _SENTENCE_STOPS
        end = start + len(token)
        acronym = len(word) >= 2 and word.isupper() and word.isalpha()
        named.append(bool(word) and not _I_WORDS.match(word) and (acronym or (word[:1].isupper() and not first)))
    for index, (_, token) in enumerate(raw):  # « du » in « Restos du Cœur »: a name's
        if 0 < index < len(raw) - 1 and named[index - 1] and named[index + 1] and fold(token) in _NAME_LINKS:
            named[index] = True
    kept = " ".join(token for (_, token), name in zip(raw, named, strict=True) if not name)
    return _BOTH_LANGUAGES.sub(" ", _words(kept).replace("'", " ")).split(" ")


def _language_counts(text: str) -> dict[str, int]:
    words = _common_words(text)
    return {lang: sum(1 for word in words if word in known) for lang, known in _LANGUAGE_WORDS.items()}


def written_language(text: str, strong: bool = False) -> str | None:
    """The language ``text`` is written in, from its small common words ("we are a company" →
    "en", "nous sommes une entreprise" → "fr"); None when it does not say (a name, a number, "ok").
    Proper names are no evidence (« Les Restos du Cœur » in an English sentence), nor "non profit".
    With ``strong``, only a sentence that says it plainly — several of its words, and of the other
    language's at most a greeting or a loan word among many of its own — counts: "sports club, non
    profit" or "asso ok" say nothing."""
    counts = _language_counts(text)
    best = max(counts, key=lambda lang: counts[lang])
    others = max((count for lang, count in counts.items() if lang != best), default=0)
    if strong and (counts[best] < STRONG_LANGUAGE_WORDS or counts[best] < STRONG_LANGUAGE_RATIO * others):
        return None
    return best if counts[best] >= 1 and counts[best] >= 2 * others and counts[best] > others else None


# ---------------------------------------------------------------- questions asked to the bot

_QUESTION_START = re.compile(
    r"^(?:comment|pourquoi|est ce que|est ce qu|qu est ce|c est quoi|ou est|ou sont|ou puis|puis je|peut on|"
    r"how|why|what|where|can i|could i|is it possible|do i|do you)\b"
)

QUESTION_TOPICS: dict[str, tuple[str, ...]] = {
    "next": (
        "il se passe quoi",
        "se passe t il",
        "qu est ce qui se passe",
        "que se passe",
        "et maintenant",
        "et apres",
        "la suite",
        "prochaine etape",
        "what happens",
        "what now",
        "what next",
        "next step",
        "and now",
    ),
    "duration": (
        "combien de temps",
        "jusqu a quand",
        "en ligne",
        "how long",
        "until when",
        "online",
        "stay up",
        "expire",
    ),
    "listings": ("annonce", "listing", "mon besoin", "mon offre", "my need", "my offer"),
    "place": ("ville", "commune", "demenag", "adresse", "move", "moving", "city", "town", "address"),
    "language": ("francais", "anglais", "english", "french", "langue", "language"),
    "delete": ("supprimer", "effacer", "desinscri", "mes donnees", "delete", "erase", "unsubscribe", "my data"),
    "contact": ("contact", "coordonnees", "mail", "email", "e mail", "telephone", "phone", "numero"),
    "pause": ("pause", "vacances", "moins de messages", "frequence", "holiday", "fewer messages", "frequency"),
    "events": (
        "evenement",
        "forum",
        "inscrire au",
        "inscrire a",
        "inscrire pour",
        "agenda",
        "event",
        "sign up for",
        "register for",
        "rsvp",
    ),
    "directory": (
        "annuaire",
        "liste des",
        "qui est actif",
        "qui sont actifs",
        "qui est inscrit",
        "qui est deja",
        "inscrits",
        "inscrites",
        "quels acteurs",
        "quelles assos",
        "quelles associations",
        "quelles entreprises",
        "directory",
        "who is active",
        "who is registered",
        "who else",
        "list of",
        "which organisations",
        "which associations",
    ),
}
"""What a question about using the bot is about (folded markers, first topic found wins)."""
INTENT_TOPICS = frozenset(("events", "directory"))
"""Topics that a plain wish says as well as a question ("je veux m'inscrire au forum", "I'd like the
list of the registered associations"): answered by the command that does it."""


_SAYING = re.compile(
    r"^(?:je|j|tu|i|i m|im|i d|i ll)\b"  # "je ne sais pas", "j'ai une asso", "I run a club": the first person speaks
    r"|^(?:on|nous|vous|we|you|they|ils|elles|il|elle) (?:ne |n )?(?:sommes|est|sont|etes|avons|avez|a|ont|"
    r"cherch\w*|recherch\w*|voul\w*|veu\w*|peu\w*|pouv\w*|propos\w*|fai\w*|allons|va|vont|sai\w*|"
    r"aim\w*|souhait\w*|appel\w*|s appel\w*|nous appelons|are|re|have|ve|need|want|can|would|do|don t|run|work)\b"
    r"|^(?:c est|c etait|ce sont|ca s appelle|it s|it is|this is|that s|there is|there are|il y a|voila|euh|heu|hum|bah|ben|bof|"
    r"aucune idee|no idea|not sure|pas sur|idk|jsp|chais pas|sais pas|dunno)\b"
    r"|\b(?:sais pas|sait pas|savons pas|don t know|dont know|do not know|aucune idee|no idea)\b"
)


def reads_as_sentence(text: str) -> bool:
    """Whether ``text`` is something said rather than a name: a question, a yes or a no, a bare
    number, or a sentence whose words speak ("je ne sais pas", "nous sommes une association",
    "on cherche un frigo", "c'est la mairie", "I don't know"). Names ("Nous Toutes", "Les Restos du
    Cœur", "Association des parents d'élèves") are none of these."""
    if not_an_answer(text) or "?" in text or yes_no(text) is not None:
        return True
    words = _words(text).replace("'", " ")
    if _SAYING.search(words) or (_DOING.match(words) and len(words.split(" ")) >= 4):
        return True
    if len(words.split(" ")) >= 4 and writes_oneself(text):  # « bjr c nadia la tresoriere de lasso … »: who writes, no name
        return True
    return is_question(text) and len(words.split(" ")) > 2


_DOING = re.compile(r"^(?:nous (?:ne |n )?[a-z]+ons|(?:on|il|elle|ils|elles) (?:ne |n )?[a-z]+(?:e|es|ent)|(?:we|they) [a-z]+)\b")
"""A subject and its verb saying what a structure does, in a sentence of four words or more (« nous aidons les jeunes
du quartier », « on aide les seniors isolés », "we help young people"), never a name that starts with a pronoun
(« Nous Toutes », « Nous les Femmes », "We Are Family", "On Track Mentoring")."""


_ASKING_START = re.compile(
    r"^(?:(?:et|and|so|alors|du coup|mais|but)\s+)?(?:(?:c est|ce sera|ca sera|c etait|it s|is it|is this|this is)\s+)?(?:(?:pour|for|a|at|on|in)\s+)?"
    r"(?:quand|ou|combien|comment|pourquoi|quel|quelle|quels|quelles|qui|est ce|faut il|faut t il|y a t il|peut on|peut etre|doit on|"
    r"when|where|what|which|how|who|why|whom|do|does|did|is|are|can|could|should|shall|will|would|may|must|have)\b"
)
"""The first words of a sentence that asks (folded): « c'est pour quelle période », « quand est-ce que ça a lieu »,
"what dates is this for", "do we need to bring anything"."""
_SENTENCES = re.compile(r"(?<=[.!?…])\s+|\n+")


def only_asks(text: str) -> bool:
    """Whether every sentence of ``text`` asks something (a question mark, or asking first words) once greetings and
    thanks are set aside: « c'est pour quelle période exactement ? », "what dates is this for?" — never a sentence
    that says something besides (« On peut tenir un stand. Il faut apporter des tables ? » answers, and asks too)."""
    sentences = [without_courtesy(sentence) for sentence in _SENTENCES.split(text.strip())]
    sentences = [sentence for sentence in sentences if re.search(r"[^\W\d_]{2}", sentence)]
    if not sentences:
        return False
    for sentence in sentences:
        words = _words(sentence).replace("'", " ")
        if words.startswith(("peut etre ", "maybe ")) and "?" not in sentence:  # « peut-être, je dois voir »: no question
            return False
        clauses = [_words(clause).replace("'", " ") for clause in re.split(r"[,;:]", sentence) if clause.strip()]
        asked = [_ASKING_START.match(clause) is not None or _QUESTION_START.match(clause) is not None for clause in clauses]
        if not asked[0] and not ("?" in sentence and len(clauses) == 1):  # « On peut venir samedi, ça vous va ? » answers
            return False
    return True


_SPOKEN_QUESTION = re.compile(
    r"^(?:" + HELLO + r"\s+)?(?:(?:c|cest|c est|ces|ca|sa|et)\s+)?(?:quoi|koi)\b"
    r"|\b(?:sert|servir|servent|passe|passer|fait|fais|faire|faut|fera|doit|dois)\s+(?:a\s+|a\s+part\s+)?(?:quoi|koi)\b"
    r"|\b(?:comment|pourquoi)\s*$"
)
"""A question asked as it is spoken, without a question mark (« c quoi ce truc », « ça sert à quoi », « et maintenant il
se passe quoi », « on fait comment »): never « de quoi manger », which asks for something."""


def is_question(text: str) -> bool:
    """Whether ``text`` asks something: a question mark, interrogative first words ("comment je fais…"), or a
    question as spoken (« c quoi ce truc »)."""
    if "?" in text:
        return True
    words = _words(text).replace("'", " ")
    return bool(_QUESTION_START.match(words) or _SPOKEN_QUESTION.search(words))


_WHO_ACTS = (
    r"(?:cherch\w*|recherch\w*|a besoin|ont besoin|avait besoin|propos\w*|offr\w*|prete\w*|pretent|recrut\w*|donn\w*|"
    r"need|needs|needed|(?:is|are) looking|look for|looks for|(?:is|are) offering|offer|offers|(?:is|are) lending|lend|lends|"
    r"(?:is|are) recruiting|recruit|recruits|(?:is|are) giving|give|gives|has|have)\b"
)
_ASKS_WHO = re.compile(
    r"\b(?:qui|who)\s+"
    + _WHO_ACTS
    + r"|\b(?:quel|quels|quelle|quelles|which|what)\s+(?:\w+\s+){1,5}?(?:qui\s+|that\s+)?"
    + _WHO_ACTS
    + r"|\b(?:les|des|the|any|some)\s+(?:assos?|associations?|entreprises?|structures?|acteurs?|clubs?|collectivites?|"
    r"charities|charity|organisations?|organizations?|companies|company|nonprofits?)\s+(?:\w+\s+){0,4}?"
    r"(?:(?:qui\s+|that\s+|who\s+)?"
    + _WHO_ACTS
    + r"|(?:looking for|offering|needing|lending|giving|recruiting|proposant|cherchant|offrant)\b)"
)
_HOW_TO_FIND = re.compile(
    r"^(?:" + HELLO + r"\s+)?(?:comment|ou|how|where)\s+(?:\w+\s+){0,6}?"
    r"(?:trouver|trouve|trouvons|find|get hold of|meet|rencontrer|contacter|contact)\b"
)
_SHOW_ME = re.compile(
    r"\b(?:montre\w*|affich\w*|list\w*|voir|trouver|show|find|tell me|see)\b"
    r"|^(?:y a t il|est ce qu il y a|is there|are there|any)\b"
)

_OWN_WISH = re.compile(r"^(?:" + HELLO + r"\s+)?(?:on|nous|je|j|we|i|our|notre|nos|my|mon|ma|mes)\b")
"""A sentence that starts with the person's own wish ("on cherche des bénévoles qui … ?"): theirs, not a question about others."""


def asks_who_needs_or_offers(text: str) -> bool:
    """Whether ``text`` asks the bot about other structures' needs or offers ("est-ce que vous
    pouvez me montrer les assos qui cherchent une salle ?", "qui cherche des bénévoles ?",
    "which charities need volunteers?"): a question, whose asking or offering is done by someone
    else ("qui cherchent", "which … need"), not by the person. /annuaire answers it; it is no listing.
    A need asked as a question ("qui pourrait nous prêter un camion ?") is none: its verb is the
    person's own wish."""
    if not is_question(text) and not _SHOW_ME.search(_words(text).replace("'", " ")):
        return False
    words = _words(text).replace("'", " ")
    if _HOW_TO_FIND.match(words):  # "où trouver une salle ?", "how can we find volunteers?"
        return True
    return not _OWN_WISH.match(words) and bool(_ASKS_WHO.search(words))


_CLAUSE_END = re.compile(r"(?<=[.!?;:…])\s+|\s*[\n]+\s*|(?<=[!?])(?=\w)")
_ABOUT_A_CODE = re.compile(
    r"\b(?:(?:ce|cet|le|un|mon|notre|votre|this|the|a|my|our|your|invitation|invite)\s+code(?!\s+de\s+la\s+route)|"
    r"code d (?:invitation|acces)|invitation|invite|invited)\b"
)
_SMALL_TALK = re.compile(
    r"^(?:(?:" + HELLO[3:-1] + r"|merci|merci beaucoup|thanks|thank you|cheers|"
    r"bonne journee|have a nice day|ca va|comment ca va|how are you|voila|et voila|ok|okay|svp|please|"
    r"a tous|a toutes|everyone|all|there|madame|monsieur)\s*)+$"
)


def describing_part(text: str) -> str:
    """What, in a message typed before /start, may describe the structure: its clauses that are
    neither greetings nor small talk ("Hi!", "merci") nor about an invitation code ("The volunteer
    centre gave me this code:", "voici mon code d'invitation"); "" when nothing is left."""
    kept = []
    for clause in _CLAUSE_END.split(" ".join(text.split())):
        words = _words(clause).replace("'", " ")
        if not words or _SMALL_TALK.match(words) or _ABOUT_A_CODE.search(words):
            continue
        kept.append(clause.strip())
    return " ".join(kept)


def question_topic(text: str) -> str | None:
    """What a question about using the bot is about ("comment changer de ville ?" → "place"), or None."""
    return next(iter(question_topics(text)), None)


def question_topics(text: str) -> list[str]:
    """Every subject a message asks about, in :data:`QUESTION_TOPICS`' order ("how long will it stay online? and who
    will see my email?" → duration, contact); how long a listing stays says more than listings in general."""
    words = _words(text).replace("'", " ")
    found = [topic for topic, markers in QUESTION_TOPICS.items() if _has(words, markers)]
    if "place" in found and not _has(_E_MAIL_ADDRESS.sub(" ", words), QUESTION_TOPICS["place"]):
        found.remove("place")  # « mon adresse mail », "my email address": a contact, no commune
    return [topic for topic in found if not (topic == "listings" and "duration" in found)]


_E_MAIL_ADDRESS = re.compile(r"\b(?:e ?mail|mail|courriel|web) address\b|\badresses? (?:e ?mail|mail|courriel|electronique|web)\b")


# ---------------------------------------------------------------- what a description keeps

_GREETING = re.compile(
    r"^\s*(?:(?:" + HELLO[3:-1] + r"|good (?:morning|afternoon|evening)|greetings|"
    r"dear (?:all|team|friends|sir or madam)|madame,? monsieur|mesdames,? messieurs|cher(?:e|s|es)? (?:amis?|amies?|tous|toutes))"
    r"(?:\s+(?:(?:a|à)\s+(?:vous\s+)?(?:tous|toutes|vous)|vous\s+(?:tous|toutes))(?:\s+et\s+(?:(?:a|à)\s+)?(?:tous|toutes))?|"
    r"\s+(?:(?:a|à)\s+)?(?:tout le monde|tt le monde|tlm)|\s+(?:to\s+)?(?:everyone|everybody|all)(?:\s+of\s+you)?|"
    r"\s+(?:there|team|folks|guys|l['’ ](?:é|e)quipe|the team|trait d['’ ]union))?\b[\s,!.:;\-–—]*)+",
    re.IGNORECASE,
)
AS_SAID = (
    r"(?:(?:je\s+|j['’ ]?)(?:vous\s+|te\s+|t['’ ]?)?l['’ ]?ai\s+(?:d[ée]j[àa]\s+)?(?:dit|donn[ée]|[ée]crit)"
    r"(?:\s+(?:plus\s+haut|avant|au\s+d[ée]but|tout\s+[àa]\s+l['’ ]heure))?|"
    r"(?:c['’ ]est\s+)?d[ée]j[àa]\s+dit(?=\s*[,:;!.…]|\s*$)|"
    r"comme\s+(?:(?:je\s+|j['’ ]?)(?:vous\s+|te\s+|t['’ ]?)?(?:l['’ ]?ai\s+|ai\s+)?(?:d[ée]j[àa]\s+)?(?:dit|disais|[ée]crit|[ée]crivais)"
    r"(?:\s+(?:plus\s+haut|avant|au\s+d[ée]but|tout\s+[àa]\s+l['’ ]heure))?|on\s+(?:l['’ ]?a\s+)?(?:dit|disait)|"
    r"(?:d[ée]j[àa]\s+)?dit(?:\s+(?:plus\s+haut|avant|pr[ée]c[ée]demment))?(?=\s*[,:;!.…]|\s*$|\s+(?:on|nous|je|j['’ ]|il|c['’ ]|ce|we|i)\b))|"
    r"je\s+(?:vous\s+)?(?:viens|venais)\s+de\s+(?:vous\s+)?le\s+dire|c['’ ]est\s+d[ée]j[àa]\s+dit|"
    r"(?:je\s+|j['’ ]?)(?:vous\s+|te\s+|t['’ ]?)?(?:le\s+|l['’ ]?)?r[ée]p[èée]te(?:\s+encore)?(?=\s*[,:;!.…]|\s*$)|"
    r"i\s+(?:already\s+)?(?:told\s+you|said\s+(?:it|so))|"
    r"(?:as|like)\s+(?:i\s+)?(?:already\s+)?(?:said|mentioned|told\s+you|wrote)(?:\s+(?:before|earlier|already|above))?|"
    r"(?:i\s+)?already\s+(?:told\s+you|said(?:\s+(?:it|so|that))?)|told\s+you\s+already|i\s+said(?=\s*[,:;!.…]|\s*$)|"
    r"i\s+repeat(?=\s*[,:;!.…]|\s*$))"
)
"""What someone says when saying again what they said (« comme je disais », « comme dit », "as I said"): no part of
what they say (a name, a need)."""
_AS_SAID_LEAD = re.compile(r"^(?:" + AS_SAID + r")\b[\s,:;!.…]*", re.IGNORECASE)
_AS_SAID_END = re.compile(r"[\s,;:]*\b(?:" + AS_SAID + r")[\s,:;!.…]*$", re.IGNORECASE)


def without_as_said(text: str) -> str:
    """``text`` (a name, a commune, a description typed again) without the words saying it was said
    before, at its start or its end (« les mains vertes jlai deja dit » → « les mains vertes », « st
    priest jlai dit » → « st priest », "as I said, Bron" → "Bron", « villeurbane je vous l'ai deja dit lol » →
    « villeurbane »); ``text`` when nothing else is left."""
    typed = " ".join(text.split())
    led = _AS_SAID_LEAD.sub("", typed)
    kept = _AS_SAID_END.sub("", led)
    if kept == led:  # « villeurbane je vous l'ai deja dit lol »: the interjection after the as-said goes with it
        closed = _INTERJECTION_END.sub("", led)
        kept = _AS_SAID_END.sub("", closed) if _AS_SAID_END.search(closed) else led
    kept = kept.strip(" ,;:")
    return kept or typed


_THANKS = r"(?:merci+s?|mci|mrc|mrci|je vous remercie|nous vous remercions|en vous remerciant)"
_THANKS_MORE = (
    r"(?: beaucoup| bcp| bien| encore| infiniment| mille fois| d['’ ]avance| d['’ ]av| par avance| (?:a|à) (?:vous|tous)|"
    r" pour (?:votre|ton|vos) (?:aide|retour|retours|attention|r(?:é|e)ponse))*"
)
_CLOSING = re.compile(
    r"[\s,;:\-–—]*\b(?<!dire )(?<!dit )(?<!de )(?<!du )(?<!le )(?<!les )(?<!des )(?<!nos )(?<!une )(?<!passer )"
    r"(?<!say )(?<!said )(?<!the )(?<!our )(?<!big )(?<!a )"
    r"(?:(?:d['’ ]avance|par avance|encore|un grand|mille) " + _THANKS + r"|" + _THANKS + _THANKS_MORE + r"|mille mercis|"
    r"thanks?(?: you| u)?(?: (?:so much|very much|a lot|in advance|for your help|heaps))*|thx|thnx|thanx|tks|tysm|"
    r"(?:thx|thnx|tks) in advance|many thanks|cordialement|bien cordialement|cdlt|cdt|bien (?:a|à) vous|amicalement|"
    r"(?:sinc(?:è|e)res |meilleures )?salutations|(?:gros |grosses )?(?:bisous?|bisoux|bises|biz+)|"
    r"(?:belle|bonne) (?:journ(?:é|e)e|soir(?:é|e)e|fin de journ(?:é|e)e|semaine)|bon (?:week[ -]?end|we|courage)|"
    r"(?:best|kind|warm)(?: regards| wishes)?|regards|cheers|xoxo|take care|have a (?:nice|good|great) (?:day|evening|weekend)|"
    r"(?:a|à) bient(?:o|ô)t|(?:a|à)\+|@\+|see you|svp|stp|please|pls|plz)"
    r"(?:[\s,.;!\-–—]+(?-i:[A-ZÀ-Ý])[\w'’.\-]*(?:\s+(?-i:[A-ZÀ-Ý])[\w'’.\-]*){0,2})?(?:[\s,.;!:)]|[^\w\s])*$",
    re.IGNORECASE,
)
"""Thanks or a closing ending a message, and the name signing it (a capital: « merci aux donateurs » is what is asked)."""
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=\S)")
_SIGNATURE = re.compile(r"\s+[—–-]{1,2}\s*[A-ZÀ-Ý][\w'’.\-]*(?:\s+[A-ZÀ-Ý][\w'’.\-]*){0,2}\s*$")
_PLEASE = re.compile(r"(?:[\s,]*\b(?:svp|stp|s['’ ]il vous pla[iî]t|s['’ ]il te pla[iî]t|please|pls|plz)\b[\s,]*)+", re.IGNORECASE)


_CONNECTIVE = (
    r"(?:(?:et|and|oh|ah|bon|alors|so)\s+)*(?:sinon|autre\s+chose|une\s+autre\s+chose|autre\s+point|aussi|(?:é|e)galement|"
    r"par\s+ailleurs|d['’ ]autre\s+part|de\s+plus|en\s+plus|en\s+outre|also|another\s+thing|one\s+more\s+thing|on\s+another\s+note|"
    r"otherwise|besides|additionally|in\s+addition|moreover|et|and|puis|pis|ensuite|then|plus|btw|by\s+the\s+way|au\s+passage|"
    r"d['’ ]ailleurs|oh\s+and|and\s+also|et\s+aussi|et\s+puis)"
)
_CONNECTIVE_LEAD = re.compile(
    r"^" + _CONNECTIVE + r"(?:\s*[,:;.!—–\-]+\s*|\s+(?=(?:on|nous|je|j['’]|we|i|our|notre|nos|il\s+nous|my|mon|ma|mes)\b))",
    re.IGNORECASE,
)
"""A connective starting what is said after something else (« et sinon, », « autre chose : », "also,", "and another
thing:"): no part of it."""
_CONNECTIVE_END = re.compile(
    r"[\s,.;:!]+(?:(?:oh|ah|bon)\s+)?(?:et|and)\s+(?:sinon|autre\s+chose|une\s+autre\s+chose|another\s+thing|one\s+more\s+thing)"
    r"[\s,.;:!]*$",
    re.IGNORECASE,
)
"""A connective ending a part, announcing the next one (« … samedi. Oh et autre chose », "… drive. And another thing")."""


_INTERJECTION_END = re.compile(r"[\s,;:]*\b(?:ah|oh|bah|ben|bref|voila|voilà|hop|lol|haha|hihi|mdr|xd)\b[\s.!…]*$", re.IGNORECASE)
"""A lone interjection closing a message (« … merci d'avance 🙏 ah », « …, bref »): nothing it asks."""


def without_courtesy(text: str) -> str:
    """``text`` without the greetings, "comme je disais", thanks, "svp" and signature around what it says ("Bonjour,
    nous cherchons un camion. Merci d'avance ! Paul" → "Nous cherchons un camion."); the words in
    between are kept as typed. "" when it was only courtesy ("Bonjour, merci !")."""
    text = " ".join(text.split())
    start = _GREETING.match(text)
    kept = text[start.end() :] if start else text
    said = _AS_SAID_LEAD.match(kept)  # « comme je disais, on aurait besoin … »: what follows
    if said is not None and said.end() < len(kept):
        kept, start = kept[said.end() :], start or said
    linked = _CONNECTIVE_LEAD.match(kept)  # « et sinon, on peut prêter … », "and another thing: we can lend …"
    if linked is not None and linked.end() < len(kept):
        kept, start = kept[linked.end() :], start or linked
    precised = _PRECISION.match(kept)  # « ah et pour préciser : on peut … », "oh and to be precise: …": what follows
    if precised is not None and 0 < precised.end() < len(kept):
        kept, start = kept[precised.end() :], start or precised
    kept = _CONNECTIVE_END.sub("", kept) or kept  # « … samedi. Oh et autre chose »: what follows it is another part
    for _ in range(6):  # "Merci d'avance ! Bonne journée, Paul", « … svp merci bcp bisous », « … merci d'avance 🙏 ah »
        shorter = _SIGNATURE.sub("", _CLOSING.sub("", _INTERJECTION_END.sub("", kept)))
        if shorter == kept:
            break
        kept = shorter
    kept = _AS_SAID_END.sub("", kept) or kept  # « …, je l'ai déjà dit »: what it says, not that it was said
    sentences = _SENTENCE_END.split(kept)
    if len(sentences) > 1:  # « … Merci d'avance ! On peut aussi … », "… Thanks in advance. We can …": the thanks alone go
        kept = " ".join(sentence for sentence in sentences if _CLOSING.sub("", sentence).strip(" ,.;:!…")) or kept
    kept = _PLEASE.sub(lambda m: " " if m.start() and m.end() < len(kept) else "", kept).strip()
    kept = re.sub(r"\s+,", ",", kept).strip(" ,;:-–—")
    if kept and kept != text and kept[0].islower() and (start or text[:1].isupper()):
        kept = kept[0].upper() + kept[1:]
    return kept


# ---------------------------------------------------------------- questions about the question

_ABOUT_THE_QUESTION = re.compile(
    r"^(?:pourquoi|why|quoi|what|comment|hein|huh|pardon|sorry|euh|kezako|quesaco)$|\b(?:c est quoi|c est koi|qu est ce que c est|qu est ce qu (?:un|une|on)|que veut dire|ca veut dire quoi|ca veut dire|"
    r"qu entendez vous|que voulez vous dire|vous voulez dire quoi|c est a dire|je (?:ne )?comprends? pas|j ai pas compris|"
    r"je n ai pas compris|pas compris|comment ca|comment ca marche|ca sert a quoi|a quoi ca sert|a quoi sert|pourquoi (?:vous|tu|me|on|cette|ca|c est|demander|faut il|il faut)|"
    r"je (?:dois|peux) (?:mettre|ecrire|repondre) quoi|qu est ce que je (?:dois|peux) (?:mettre|ecrire|repondre)|quoi (?:mettre|ecrire|repondre)|"
    r"par exemple|un exemple|exemple|comme quoi|(?:quelle est )?la difference|le (?:mieux|plus adapte)|lequel (?:choisir|prendre)|que choisir|"
    r"what s the difference|the difference|which (?:one )?(?:is|should i|do i) (?:best|better|choose|pick|take)|which (?:one )?is best|"
    r"what do you mean|what does (?:that|this|it|\w+) mean|what is (?:a|an|the|that|this)|what s (?:a|an|that|this)|what are|"
    r"what should i (?:write|put|say|answer)|what do i (?:write|put|say)|i don t understand|i do not understand|don t get it|"
    r"not sure what|why (?:do|are|is|does|should|would) (?:you|i|it|that|this)|why do you need|how does (?:it|this) work|"
    r"for example|an example|example|such as|like what|meaning|what happens|what kind of|what sort of|what can i|can i (?:write|put|say)|"
    r"on peut (?:mettre|ecrire)|je peux (?:mettre|ecrire)|puis je (?:mettre|ecrire)|qu est ce qui se passe|que se passe t il|et apres|"
    r"quel genre|quel type de (?:chose|truc)|c (?:quoi|koi)|ckoi|cest (?:quoi|koi)|(?<!c est )pourquoi(?! pas\b)|why(?! not\b)|"
    r"what s|whats|what is|kesako|quesaco|ca sert a quoi|sert a quoi)\b"
)
_ABOUT_KINDS = re.compile(r"\b(?:besoin|besoins|offre|offres|need|needs|offer|offers|annonce|annonces|listing|listings)\b")
_WHY = re.compile(r"\b(?:pourquoi|why)\b")
_ASKED_WITHOUT_MARK = re.compile(
    r"\b(?:comprends pas|pas compris|understand|sert a quoi|a quoi ca sert|c est quoi|c quoi|c koi|ckoi|what s the point|what is this)\b"
)
"""A question about the question said plainly without its question mark ("ça sert à quoi")."""


def question_about_the_question(text: str) -> str | None:
    """What a question about the question being asked is about ("c'est quoi une offre ?" → "kinds",
    "pourquoi vous demandez ça ?" → "why", "what do you mean?" → "what"); None for anything else,
    and for a need asked as a question ("qui pourrait nous prêter un camion ?", "on cherche … ?")."""
    words = _words(text).replace("'", " ").replace("-", " ")
    if len(text) > 200 or (not is_question(text) and not _ASKED_WITHOUT_MARK.search(words)):
        return None
    if not _ABOUT_THE_QUESTION.search(words):
        return None
    guess = guess_listing(text)
    if guess.category is not None and guess.kind is not None:  # "c'est quoi le plus simple pour trouver un camion ?"
        return None
    if _WHY.search(words):
        return "why"
    if _ABOUT_KINDS.search(words) and not re.search(r"\b(?:exemple|example)\b", words):
        return "kinds"
    return "what"


# ---------------------------------------------------------------- several listings in one sentence


@dataclass(frozen=True, slots=True)
class Part:
    """One need or offer of a sentence that names several ("… et un local pour stocker les denrées")."""

    text: str
    kind: str | None
    category: str | None
    """None: an offer or a need said with its own verb after the other kind, naming no category (« … Nous
    pouvons offrir le repas »)."""
    skills: tuple[str, ...] = ()


_PART_BREAK = re.compile(r"\s*(?:[,;]|[.!?…]+(?=\s)|\s(?:et|and|mais|but|ainsi que|as well as|&|\+)(?=\s))\s*", re.IGNORECASE)
_PART_LEAD = re.compile(r"^(?:(?:et|and|mais|but|ainsi que|as well as|also|aussi|puis|then)\b[\s,]*)+", re.IGNORECASE)


_LINKING = r"(?:aussi|(?:é|e)galement|also|additionally)"
_LINKING_LEAD = re.compile(
    r"^(?:(?:" + _LINKING + r"|de plus|en plus|par ailleurs|en outre|sinon|in addition|moreover|besides|plus)\b[\s,:]*)+(?=\w)",
    re.IGNORECASE,
)
_ONLY_LINKING = re.compile(
    r"^(?:(?:"
    + _LINKING
    + r"|de plus|en plus|par ailleurs|en outre|sinon|in addition|moreover|besides|plus|et|and|puis|then)\b[\s,:.]*)+$",
    re.IGNORECASE,
)
_LINKING_AFTER_WHO = re.compile(
    r"^(?P<who>(?:on|nous|je|j['’ ]\w+|we(?:['’]\w+)?|i(?:['’]\w+)?|il nous|il me|(?:notre|nos|our|my) \w+)"
    r"(?:\s+(?!" + _LINKING + r"\b)[\w'’]+){0,2}?)\s+" + _LINKING + r"\b,?(?=\s)",
    re.IGNORECASE,
)
_LINKING_END = re.compile(
    r"(?<!\bmoi)(?<!\bnous)(?<!\bvous)(?<!\beux)(?<!\bme)(?<!\bus)[\s,]+(?:aussi|(?:é|e)galement|too|as well)[\s.!]*$",
    re.IGNORECASE,
)


def without_linking(part: str) -> str:
    """A listing cut out of a message after another one, without the adverb linking it to the one
    before (« on peut aussi prêter notre camion » → « on peut prêter notre camion », « Également, on
    cherche… », "we can lend our chairs too", "we also need a van"): partners read it alone."""
    kept = _LINKING_LEAD.sub("", part)
    kept = _LINKING_AFTER_WHO.sub(r"\g<who>", kept, count=1)
    kept = _LINKING_END.sub("", kept)
    return kept if len(kept.split()) >= 2 else part


_HAVING = re.compile(
    r"^(?:(?:deja|aussi|also|already)\s)*(?:on a|nous avons|j ai|on possede|nous possedons|we have|we ve got|we got|i have|i ve got)\b"
)
"""A part that says what one has ("on a un camion", "we've got a minibus")."""
_LACKING = re.compile(r"^(?:pas de|pas d|plus de|aucun|aucune|personne pour|no|nobody|none)\b")
"""A part that says what is missing, its "mais"/"but" cut off ("pas de chauffeur", "no drivers")."""


_SENTENCE_END = re.compile(r"[.!?…]+(?=\s|$)")


def _detailed_lists(text: str) -> list[tuple[int, int]]:
    """The spans of lists that detail what precedes their colon (« accounting help: bookkeeping, annual accounts,
    budgets. »: one thing, its tasks), up to the sentence's end: never cut into parts. A colon after words naming no
    category (« On cherche : des bénévoles, un local ») opens a list of things, cut as usual."""
    spans: list[tuple[int, int]] = []
    for colon in re.finditer(r":", text):
        head_start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, colon.start())), default=0)
        if not _guess(_listing_words(text[head_start : colon.start()])).categories:
            continue
        end = _SENTENCE_END.search(text, colon.end())
        stop = end.start() if end else len(text)
        subject = _NEW_SUBJECT.search(text, colon.end(), stop)  # « …, et nous avons aussi 15 ordinateurs »: a clause of its own
        spans.append((colon.start(), subject.start() if subject else stop))
    return spans


_NEW_SUBJECT = re.compile(
    r"\s*[,;]\s*(?:(?:et|and|mais|but|puis|then)\s+)?(?:nous|on|we|i|je|j['’]|ils|elles|il|elle|they)\b", re.IGNORECASE
)


def listing_parts(text: str) -> list[Part]:
    """The needs and offers a sentence names one after the other, each with its own category and
    kind ("On cherche des bénévoles pour samedi et un local pour stocker les denrées" → a need of
    Bénévoles, a need of Locaux; "on a besoin d'un local et on peut prêter un minibus" → a need of
    Locaux, an offer of Matériel). A piece that names no category belongs to the one before it
    ("…, le matin, …"), one naming the same category too ("des tables et des chaises"); a part
    without asking or giving words takes the kind of the one before, but what one has beside what
    one lacks is offered ("On a un camion mais il nous manque des chauffeurs", "we have a van and
    need drivers": an offer of Matériel, a need of Bénévoles). [] when the sentence names
    one thing, or a piece names two categories at once ("une salle pour nos bénévoles"): it cannot
    be cut without guessing. A need or an offer said with its own first-person verb after one of the other kind is
    a part even when it names no category (« Nous cherchons des bénévoles. Nous pouvons offrir le repas »: its
    category None), never merged into the other."""
    bounds = [0]
    detailed = _detailed_lists(text)
    for match in _PART_BREAK.finditer(text):
        if not any(start < match.start() < end for start, end in detailed):
            bounds += [match.start(), match.end()]
    bounds.append(len(text))
    segments: list[list[Any]] = []  # [start, end, category, kind]
    for start, end in zip(bounds[::2], bounds[1::2], strict=True):
        if end <= start or not without_courtesy(text[start:end]):  # « Merci d'avance ! »: no part of a listing
            continue
        if _ONLY_LINKING.match(text[start:end].strip()):  # « … d'un local. Aussi, on peut … »: a link, of neither part
            continue
        words = _listing_words(text[start:end])
        guess = _guess(words)
        if len(guess.categories) > 1:
            return []
        category = guess.categories[0] if guess.categories else (guess.category or None)
        kind = guess.kind
        last = segments[-1] if segments else None
        # « … Nous pouvons offrir le repas »: the other kind said with its own first-person verb starts a part of its own
        turning = (
            last is not None
            and kind is not None
            and last[3] not in (None, kind)
            and (category is not None or starts_asking(_PART_LEAD.sub("", text[start:end])))
        )
        if last is not None and not turning and (category is None or last[2] is None or (category == last[2] and kind in (None, last[3]))):
            last[1] = end
            last[2] = last[2] or category
            last[3] = last[3] or kind
            continue
        segments.append([start, end, category, kind, turning])
    kinds = {segment[3] for segment in segments} - {None}
    if len(segments) < 2 or any(
        segment[2] is None and not segment[4] and not (len(kinds) > 1 and starts_asking(_PART_LEAD.sub("", text[segment[0] : segment[1]])))
        for segment in segments
    ):  # a part naming no category is one of its own when said with its own verb beside a part of the other kind
        return []
    pieces = []
    for start, end, category, _, _ in segments:
        piece = _PART_LEAD.sub("", text[start:end].strip(" ,;")).strip()
        words = _listing_words(piece)
        guess = _guess(words)
        kind = guess.kind or ("need" if _LACKING.match(words) else None)  # "… mais pas de chauffeur", "but no drivers"
        having = _HAVING.match(words) is not None and not _has(words, NEED_MARKERS)
        pieces.append((piece, category, guess, kind, having))
    asking = any(kind == "need" for _, _, _, kind, _ in pieces)
    parts: list[Part] = []
    for piece, category, guess, said, having in pieces:
        # "on a un camion mais il nous manque des chauffeurs": what one has, beside what one lacks, is offered
        if said == "offer" and parts and parts[-1].kind == "need" and _kind(_listing_words(piece), asked_before=True) is None:
            said = None  # « on cherche des bénévoles, et un prêt de camion »: the loan is sought too, no offer
        kind = said or ("offer" if having and asking else None) or (parts[-1].kind if parts else None)
        piece = without_courtesy(piece) or piece  # « … la collecte svp merci bcp, on peut … »: the thanks ended a part
        if parts:  # « … On peut aussi prêter notre camion »: read alone by partners, without what linked it
            piece = without_linking(piece)
            lead = _CAN_LEAD.match(parts[0].text)
            if lead is not None and _BARE_VERB.match(piece):  # "We can lend a van and offer 2 days…": "We can offer 2 days…"
                piece = f"{lead.group(0)} {piece[:1].lower()}{piece[1:]}"
        piece = piece[:1].upper() + piece[1:].rstrip(" .,")
        parts.append(Part(text=piece, kind=kind, category=category, skills=guess.skills))
    return parts


_CAN_LEAD = re.compile(
    r"^(?:(?:on|nous|je)\s+(?:peut|peux|pouvons|pourrait|pourrions|pourrais|aimerait|aimerions|souhaite|souhaitons|"
    r"souhaiterait|souhaiterions|voudrait|voudrions|va|allons|compte|comptons)|"
    r"(?:we|i)\s+(?:can|could|will|would\s+like\s+to|would\s+love\s+to|want\s+to|wish\s+to|are\s+able\s+to|"
    r"are\s+happy\s+to|am\s+able\s+to))\b",
    re.IGNORECASE,
)
"""Who can and what mood a listing's sentence opens with (« On peut », "We can"): what a part cut after it without its own
subject (« … et offrir 2 jours », "… and offer 2 days") says too."""
_BARE_VERB = re.compile(
    r"^(?!(?:[àa]|au|aux|un|une|des|du|de|le|la|les|notre|nos|votre|vos|leur|leurs|quelques|plusieurs|cette|ce|ces|"
    r"a|an|the|some|our|my|their|your|any|other|more|also)\b)"
    r"(?:[a-zàâçéèêëîïôûùüÿ]+(?:er|ir|re|oir)|offer|lend|provide|give|share|host|help|donate|run|organi[sz]e|teach|train|"
    r"support|sponsor|fund|welcome|deliver|repair|fix|make|do|bring|store|print|design|translate|cook|drive|transport|"
    r"mentor|coach|loan|take|hold|set\s+up|put)\b",
    re.IGNORECASE,
)
"""A part that starts with a verb and no subject (« offrir 2 jours », "offer 2 days"), never with an article."""


def several_listings(text: str) -> list[Part]:
    """The needs and offers of a message that names several (:func:`listing_parts`): looked for when
    it names several categories, or asks and gives at once (« nous cherchons des bénévoles. Nous
    pouvons prêter notre salle », "we need a van. We can offer our van on weekdays": cut by kind
    as well as by category). [] when it names one thing, or cannot be cut without guessing."""
    text = _ADDED_IN_BRACKETS.sub(r", \1", text)  # « des bénévoles (et un prêt de camion si possible) »: a second thing
    words = _listing_words(text)
    if len(_guess(words).categories) > 1 or (_has(words, NEED_MARKERS) and _has(words, OFFER_MARKERS)):
        return listing_parts(text)
    return []


_ADDED_IN_BRACKETS = re.compile(r"\s*\(\s*((?:et|and|ainsi que|plus|aussi|also|as well as)\b[^()]*?)\s*\)", re.IGNORECASE)
"""A thing added in brackets after another (« … (et un prêt de camion si possible) », "(and a van)"): cut as after a comma."""


_CLAUSE_BREAK = re.compile(r"\s*(?:,\s*(?:et|and|ainsi que|plus|puis)\s+|;\s*|[.!]\s+|\s+\(\s*(?:et|and)\s+|\))\s*", re.IGNORECASE)


def clauses_by_category(description: str, own: str, others: list[str]) -> dict[str, str]:
    """The description's clauses (cut at « , et », « ; », a full stop) given to the categories chosen: to each other
    category a later clause that names it (« …, et des outils genre bêches » → Matériel), the first ones to this listing's
    own (« des gens pour aider à bêcher » → Bénévoles, whatever they name); {} when a category finds none."""
    clauses = [clause.strip(" ,;.()") for clause in _CLAUSE_BREAK.split(description) if clause.strip(" ,;.()")]
    if len(clauses) < len(others) + 1:
        return {}
    given: dict[str, str] = {}
    taken: set[int] = set()
    for category in others:
        found = next((i for i in range(1, len(clauses)) if i not in taken and category in guess_listing(clauses[i]).categories), None)
        if found is None:
            return {}
        taken.add(found)
        given[category] = clauses[found][:1].upper() + clauses[found][1:]
    left = ", ".join(clause for i, clause in enumerate(clauses) if i not in taken)
    given[own] = left[:1].upper() + left[1:]
    return given


# ---------------------------------------------------------------- who writes: a first message that introduces

_NAME_WORD = r"[A-ZÀ-Ý][\w'’\-]+"
_NAME_WORD_ = r"[A-ZÀ-Ý][\w]+"
_NOT_A_NAME = frozenset(
    "Nous On Je We Our Notre Nos Bonjour Salut Hello Hi Hey Merci Thanks Ici Voici Moi The Le La Les Un Une Association Asso "
    "Club Collectif Amicale Comité Comite Union Ville Commune Mairie Métropole Metropole Conseil Communauté Fédération Société "
    "Cabinet Fondation Entreprise".split()
)
_I_AM = r"(?:je\s+suis|j['’]?\s*suis|chui?s?)"
"""« je suis » as typed in a message (« jsuis », « j'suis », « chui »)."""
_PERSON = re.compile(
    r"\b(?:i['’ ]?m|i am|my name is|this is|" + _I_AM + r"|je m['’ ]appelle|moi c['’ ]est|ici|c['’ ]est)\s+(" + _NAME_WORD + r")"
    r"|^" + HELLO + r"\b[\s,!.]*(" + _NAME_WORD + r")\s*,?\s+(?:de|du|des|d['’ ]|from|of|at|chez)\s"
    r"|^(?:" + HELLO + r"\b[\s,!.]*)?(" + _NAME_WORD + r")\s+here\b",  # "Tom here from GreenLoop"
    re.IGNORECASE,
)
_LOWER_PERSON = re.compile(
    r"^(?:"
    + HELLO
    + r"\b[\s,!.]*)?(?P<lead>(?:moi\s+c['’ ]?\s*est|c['’ ]?\s*est\s+moi|c['’ ]?\s*est|c|ici|moi|"
    + _I_AM
    + r")\s+)?(?P<name>[a-zà-ÿ][a-zà-ÿ\-]{1,20})"
    r"\s*,?\s+(?=(?:de|du|des|d['’ ])\s*\S)",
    re.IGNORECASE,
)
"""A first name written in lower case in an SMS introduction, before whose it is (« slt c karim du FC Bron », « ici
hélène du comité des fêtes … », « moi c'est paul de l'asso … »): taken only when a structure is named right after it."""
_NOT_A_LOWER_PERSON = frozenset(
    "c ici moi nous on je j vous tu il elle ils elles la le les un une des du de d pas plus bien super top tout tous rien "
    "besoin envie urgent vrai possible dommage merci bonjour salut coucou slt bjr cc hello hi hey bonsoir quoi oui non ok "
    "membre parent parents maman papa part partie sorte madame monsieur mme mr mlle question demande message equipe "
    # what « je suis … de » says of someone, never their name (« je suis ravie de… », « je suis chargée de… »)
    "ravi ravie content contente heureux heureuse desole desolee charge chargee nouveau nouvelle interesse interessee "
    "referent referente directeur directrice coordinateur coordinatrice fier fiere seul seule la passe passee venu venue "
    "issu issue originaire parti sorti sortie allee dispo disponible disponibles pret prete proche loin".split()
)
_ORG_STOP = (
    r"(?=\s+(?i:in|at|near|based|à|a|au|sur|dans|basée?s?|située?s?|et|and|we|on|nous|qui|who|chez|ici|here|speaking|"
    r"propos\w*|cherch\w*|recherch\w*|peu\w*|pourr\w*|offr\w*|souhait\w*|voudr\w*|aimer\w*|ont|met|mettent|pr[êe]t\w*|"
    r"need\w*|offer\w*|can|could|is|are|would|want\w*|looking|seek\w*|lend\w*)\b|\s*[,.;:!?()]|\s+[—–-]\s|$)"
)
_ORG_KINDS = (
    r"association|asso|club|collectif|amicale|f[ée]d[ée]ration|entreprise|soci[ée]t[ée]|cabinet|fondation|mairie|ccas|"
    r"comit[ée]|union|ville|commune|m[ée]tropole|conseil\s+(?:d[ée]partemental|r[ée]gional|municipal)|"
    r"communaut[ée]\s+(?:de\s+communes|d['’ ]agglom[ée]ration|urbaine)|cc|ca|"
    r"charity|nonprofit|non-profit|company|firm|foundation|organisation|organization|ngo|ong"
)
_OWN_KIND = re.compile(
    r"(?i:club|collectif|amicale|f[ée]d[ée]ration|soci[ée]t[ée]|cabinet|fondation|mairie|ccas|comit[ée]|union|ville|commune|"
    r"m[ée]tropole|conseil\s+\w+|communaut[ée]\s.*|cc|ca|foundation)$"
)
"""The words of a type of structure that are part of its name (« le Club Photo de Caluire », « la Ville
de Villeurbanne », « Comité des fêtes »): kept in it, where "l'association", "the company" are not."""
_ROLES = (
    r"tr[ée]sori[eè]re?|pr[ée]sidente?|vice[\s\-]pr[ée]sidente?|secr[ée]taire|b[ée]n[ée]vole|membre|coach|entra[iî]neur|entra[iî]neuse|"
    r"responsable|fondat(?:eur|rice)|animat(?:eur|rice)|[ée]ducat(?:eur|rice)|salari[ée]e?|adh[ée]rente?|"
    r"treasurer|president|chair|chairman|chairwoman|chairperson|secretary|volunteer|member|founder|trustee|captain|organi[sz]er|"
    r"(?-i:HR|RH|DRH|hr|rh|drh)|human\s+resources|ressources\s+humaines|g[ée]rante?|owner|employee|stagiaire|intern"
)
"""The roles a person writes they have in a structure (« trésorier du FC Bron », "treasurer of Riverside Rugby Club")."""
_CLUB_INITIALS = r"(?:FC|AS|US|ES|SC|RC|AC|CS|JS|SO|UA|OC|CO|EC|ESC|ASC|USC|FCO|ASPTT|AL|ALS|MJC)"
"""The initials a sports or leisure club's name starts with (« FC Bron », « AS Vaulx », « US Villeurbanne », « MJC Monplaisir »)."""
_CLUB_NAMED = re.compile(
    r"^"
    + _CLUB_INITIALS
    + r"\s+(?P<place>"
    + _NAME_WORD_
    + r"(?:[\s\-](?:(?:en|sur|sous|les|lès|le|la|de|du|d['’]|l['’])[\s\-]?)?"
    + _NAME_WORD_
    + r")*)"
)
"""The commune a club's name says after its initials (« FC Bron » → Bron, « AS Vaulx-en-Velin basket » → Vaulx-en-Velin)."""
_SORT_WORDS = (
    r"(?:atelier|[ée]picerie|chorale|harmonie|fanfare|compagnie|troupe|cercle|ligue|foyer|maison|centre|espace|[ée]cole|"
    r"coll[èe]ge|lyc[ée]e|m[ée]diath[èe]que|biblioth[èe]que|ressourcerie|recyclerie|banque|cantine|caf[ée]|jardins?|"
    r"coop[ée]rative|groupement|r[ée]seau|collectif|amicale|comit[ée]|association|asso|club)"
    r"(?:\s+(?!(?:à|a|au|aux|la|le|les|l|et|ou|pour|avec|sur|dans|chez|en|un|une|qui|que|on|nous)\b)[a-zà-ÿ][\w'’\-]*){0,3}"
    r"(?<!\sde)(?<!\sdu)(?<!\sdes)"  # « l'amicale laïque du Tonkin »: the type's words before « du <Name> » are read apart
)
"""The lower-case words of a structure's sort before its capitalised name (« l'atelier vélo solidaire Roue Libre », « la
chorale Les Voix du Rhône », « la maison de quartier Les Brosses »)."""
_SORT_IN_NAME = re.compile(r"(?:maison|centre|espace|[ée]cole|coll[èe]ge|lyc[ée]e|m[ée]diath[èe]que|biblioth[èe]que|foyer)\b")
"""The sorts of a place that are part of its name (« Maison de quartier Les Brosses », « École Jean Moulin »); an atelier's,
a choir's name is its own (« Roue Libre », « Les Voix du Rhône »)."""
_NAME_LINK = r"(?:(?P<link>(?i:de\s+la|de\s+l['’ ]|de|du|des|d['’ ]))\s*)?"
_ORGANISATION = re.compile(
    r"\b(?P<by>(?i:de\s+l['’ ]|de\s+la\s+|du\s+|de\s+|des\s+(?=[A-ZÀ-Ý])|chez\s+|from\s+the\s+|"
    r"from\s+|of\s+the\s+|at\s+the\s+|with\s+the\s+|for\s+the\s+|run\s+the\s+|we\s+are\s+the\s+|we['’ ]re\s+the\s+|"
    r"(?:nous\s+sommes|on\s+est|we\s+are|we['’ ]re)\s+(?:l['’ ]|la\s+|le\s+|the\s+)?|"
    r"(?i:(?:our|the|my)\s+(?:(?:organi[sz]ation|association|club|company|charity|group)(?:['’]s)?\s+)?name\s+is|"
    r"(?:we['’ ]re|we\s+are|it['’ ]?s)\s+called|(?:our|my)\s+(?:organi[sz]ation|association|club|company|charity|group)\s+is\s+called|"
    r"(?:notre|mon)\s+(?:nom|association|asso|structure|club|entreprise|soci[ée]t[ée]|collectif|organisation)\s+(?:c['’ ]est|est|s['’ ]appelle)|"
    r"le\s+nom\s+de\s+(?:notre|mon|ma|la|l['’ ]?)\s*\w*\s+(?:c['’ ]est|est)|on\s+s['’ ]appelle|nous\s+nous\s+appelons)\s+(?i:l['’ ]|la\s+|le\s+|the\s+|les\s+(?=[A-ZÀ-Ý]))?|(?:c['’ ]est|ici)\s+(?:l['’ ]|la\s+|le\s+|(?P<les>les\s+)(?=[A-ZÀ-Ý]))|"
    r"^(?:" + HELLO + r"[\s,!.]+)?(?:l['’ ]|la\s+|le\s+|the\s+)?(?=(?:" + _ORG_KINDS + r")\s)|"
    r"(?:work(?:s|ing)?|manager|director|officer|head|lead|coordinator|philanthropy|giving|csr|rse|responsibility|m[ée]c[ée]nat|"
    + _ROLES
    + r")(?:\s+(?:in|on)\s+\S+)?\s+(?:at|for|of|chez|de\s+l['’ ]|de\s+la|de|du|[àa]\s+l['’ ]|[àa]\s+la|au)\s*)"
    r"|(?:(?<=^)|(?<=[,.;:!?]\s)|(?<=\bdans\s)|(?<=\bici\s)|(?<=\b[àa]\s)|(?<=\bvoici\s))"  # « …, l'asso X », « dans le club X »
    r"(?:l['’ ]|le\s+|la\s+)(?=(?:asso|association|club)\s+[A-ZÀ-Ý0-9])"  # never « pour le club X » (what is asked)
    r"|(?<![\w'’])(?:[àa]\s+l['’ ]?|au\s+|du\s+|de\s+l['’ ]?)(?=" + _CLUB_INITIALS + r"\s+[A-ZÀ-Ý])"  # « à l'US Villeurbanne »
    r")"
    r"(?:(?P<kind>(?i:"
    + _ORG_KINDS
    + r"))\s+"
    + _NAME_LINK
    + r"|(?P<sort>"
    + _SORT_WORDS
    + r")\s+(?=[A-ZÀ-Ý0-9]))?(?P<name>(?:[A-ZÀ-Ý0-9][\w'’&\-]*(?:\.\w+)*)(?:\s+(?:[\w'’&\-]+(?:\.\w+)*))*?)"
    + _ORG_STOP,
)


_OF_LINK = re.compile(r"(?i:de\s+la|de\s+l['’ ]?|de|du|des|d['’ ]?)")
_KIND_BEFORE = re.compile(
    r"(?:(?P<who>\b(?:" + _ROLES + r"))\s+|\b)(?i:du|de\s+la|de\s+l['’]|des|de|d['’]|l['’]|le|la)\s*"
    r"(?P<kind>(?i:comit[ée]|club|amicale|association|asso|collectif|maison|foyer|cercle|ligue|f[ée]d[ée]ration|union|centre|"
    r"chorale|harmonie|compagnie|troupe|atelier|[ée]picerie|entente|sou|conseil\s+(?:citoyen|de\s+quartier)|groupement|"
    r"coop[ée]rative|r[ée]seau)(?:\s+[a-zà-ÿ][\w'’\-]*){0,3})\s+$"
)
"""The lower-case words of a type of structure before « de la <Name> » (« … du comité des fêtes de la Grappinière »,
« … de l'amicale laïque du Tonkin »): the start of the structure's name; ``who`` the role said before them."""
_KIND_AFTER = re.compile(r"\s+(?i:association|asso|charity|organisation|organization|company|nonprofit|non-profit)$")
"""The type of structure written after its name ("the Green Bikes association"): no part of the name."""


@dataclass(frozen=True, slots=True)
class Introduced:
    """What a message that introduces its writer says about them ("Hi, I'm Sarah from the Green Bikes
    workshop in Villeurbanne, we need volunteers"): their first name, their organisation's name, and
    where to look for its commune (searched by the caller)."""

    person: str | None = None
    organisation: str | None = None
    places: tuple[str, ...] = ()
    guessed: tuple[str, ...] = ()
    """Places only guessed (a name's last word, « Decathlon Lyon »; lower case, « de villeurbanne »): proposed, never taken."""
    located: tuple[str, ...] = ()
    """Those of ``guessed`` said after « à », « a », "in" (« a villeurbane »): a place for sure, looked up even misspelt."""


_ELISION_TYPED = re.compile(r"(?<![\w'’])([dlDL]) (?=[aeiouyàâéèêëîïôûœh]\w)")
"""« de l asso », « d amis » typed without the apostrophe (an SMS): « de l'asso »."""


def introduced(text: str) -> Introduced:
    """The first name, organisation and places a message introducing its writer names: "Paul de
    l'association Les Jardins partagés à Vaulx-en-Velin, on cherche…" → Paul, "Les Jardins partagés",
    ("Vaulx-en-Velin",). An organisation is a capitalised name after "de l'association", "from the",
    "chez"…, up to a place ("à", "in"), a comma or the next clause; the words of a need or an offer
    are never a name ("from the food bank" names none)."""
    text = spoken_presenting(_ELISION_TYPED.sub(r"\1'", " ".join(text.split())[:400]))
    person = None
    for match in _PERSON.finditer(text):
        name = match.group(1) or match.group(2) or match.group(3)
        if name and name[:1].isupper() and name not in _NOT_A_NAME and not (len(name) > 1 and name.isupper()):  # "CCAS de …": no one
            person = name
            break
    lower_person = _LOWER_PERSON.match(text) if person is None else None
    if lower_person is not None and (
        (lower_person.group("lead") is None and re.match(HELLO + r"\b", lower_person.group(0), re.IGNORECASE) is None)
        or fold(lower_person.group("name")) in _NOT_A_LOWER_PERSON
        or (len(lower_person.group("name")) > 1 and lower_person.group("name").isupper())  # « CCAS de … »: no one
        or lower_person.group("name").capitalize() in _NOT_A_NAME
        or re.fullmatch(r"(?:" + _ORG_KINDS + r"|" + _LOWER_KINDS + r")", lower_person.group("name"), re.IGNORECASE)
        or re.fullmatch(_ROLES, lower_person.group("name"), re.IGNORECASE)
        or lower_person.group("name").lower() in GREETINGS
    ):
        lower_person = None  # « besoin de … », « trésorier du … »: no one's first name
    organisation = None
    for match in _ORGANISATION.finditer(text):
        name = _KIND_AFTER.sub("", match.group("name").strip(" '’-"))
        if person is not None and name == person:
            continue
        kind, link = match.group("kind"), match.group("link")
        if kind and (link or (kind[:1].isupper() and _OWN_KIND.match(kind))):  # « le Club Photo », « la ville de … »: its own words
            kind = " ".join(kind.split())
            name = kind[:1].upper() + kind[1:] + " " + (link.strip() + ("" if link.endswith(("'", "’")) else " ") if link else "") + name
        elif not kind and not match.group("by").strip():  # a greeting alone before a name: not an introduction
            continue
        sort = match.group("sort")
        if sort and _SORT_IN_NAME.match(sort):  # « la maison de quartier Les Brosses »: its sort is its name's first words
            name = sort[:1].upper() + sort[1:] + " " + name
        if (match.group("les") or re.search(r"\bles\s+$", match.group("by"), re.IGNORECASE)) and not kind:
            # « ici les Amis du Vieux Lavoir », « on s'appelle les Jardins de Bron »: the article is the name's
            name = "Les " + name
        own = _KIND_BEFORE.search(text[: match.start()]) if not kind and _OF_LINK.fullmatch(match.group("by").strip()) else None
        if own is not None:  # « Hélène du comité des fêtes de la Grappinière »: the type's words are the name's
            link = " ".join(match.group("by").split())
            name = own.group("kind")[:1].upper() + own.group("kind")[1:] + " " + link + ("" if link.endswith(("'", "’")) else " ") + name
        if own is None and fold(match.group("by")).strip() == "des":
            continue  # « des Minguettes » names a structure only after its type's words (« du club de foot des Minguettes »)
        writer = lower_person is not None and (own.start() if own else match.start()) <= lower_person.end() + 1
        capitals = sum(1 for word in name.split(" ") if word[:1].isupper() or word[:1].isdigit())
        introducing = (
            person is not None or writer or kind or (own and own.group("who")) or not match.group("by").lower().startswith(("de", "du"))
        )
        if introducing and 2 <= len(name) <= 80 and capitals and len(name.split(" ")) <= 8 and not reads_as_sentence(name):
            organisation = name
            if writer and lower_person is not None:  # « c karim du FC Bron »: karim writes
                person = lower_person.group("name")[:1].upper() + lower_person.group("name")[1:]
            break
    lower = organisation is None and _LOWER_KIND_WORD.search(text[:1].lower() + text[1:]) is not None  # cheap, first
    if lower:
        cut = _split_request(text)[0]
        presentation = cut or _CLAUSE_SPLIT.split(without_courtesy(text) or text)[0]  # « bonsoir, collectif … ici »: not « bonsoir, »
        if cut or _kind(_listing_words(presentation)) is None:  # « on cherche un camion pour le club de foot »: names no one
            organisation = _lower_organisation(presentation, person)
    inside = organisation or ""
    places = [q for q in place_queries(text) if re.sub(r"^(?:l['’ ]|la |le |les )", "", q) not in inside and q != person]
    ending = places_in_name(inside)
    guessed = []
    if ending and _CLUB_NAMED.match(inside.strip()) and not _NAME_ENDING.search(inside.strip()):
        guessed += ending  # « FC Bron »: a commune the name only suggests (a club may play elsewhere), proposed, never taken
    else:
        places += ending  # "Secours Populaire de Villeurbanne": its commune too, after any named apart
    located = []
    last = re.search(r"\s(" + _NAME_WORD + r")$", inside)
    if last and not ending and not _OWN_KIND.match(inside.split(" ")[0]) and not _LOWER_KIND_WORD.fullmatch(last.group(1).lower()):
        guessed.append(last.group(1))  # "Decathlon Lyon": a commune perhaps ("Riverside Rugby Club": none)
    for found in (
        m for clause in _CLAUSE_SPLIT.split(text) if clause for m in _LOWER_PLACE.finditer(_SMS_AT.sub(r"\1 à ", clause))
    ):  # « l'asso des jardins de villeurbanne »: the words after "de"
        words = found.group(1).split(" ")[-4:]  # its last words, longest first (« saint genis laval » is not Laval)
        guessed += [" ".join(words[start:]) for start in range(len(words)) if words[start] not in _LINK_WORDS]
        if _AT_PLACE.match(found.group(0)):  # « à villeurbane », « a villeurbane » (SMS), "in villeurbane"
            located.append(found.group(1))
    if lower and organisation:  # « jardins de la source »: only the commune a lower-case name ends with (« … de saint-genis-laval »)
        named = _LOWER_ENDING.search(organisation)
        guessed = [g for g in guessed if fold(g) not in fold(organisation) or (named is not None and named.group(1).endswith(g))]
    places = [p for p in places if p[:1].isupper() or not _LOWER_NOT_A_PLACE.match(p)]  # « on est au port »: a word, no Port
    guessed = [g for g in guessed if g not in places and not _LOWER_NOT_A_PLACE.match(g)]
    located = [g for g in located if g in guessed or g in places]  # "based in villeurbane": a place for sure, even misspelt
    return Introduced(
        person=person, organisation=organisation, places=tuple(places), guessed=tuple(dict.fromkeys(guessed)), located=tuple(located)
    )


_AT_PLACE = re.compile(r"(?:à|au|in|at|near)\s", re.IGNORECASE)
"""The prepositions that say where (« à », "in"), not whose (« de »): what follows is a place, even misspelt."""


_LOWER_KINDS = (
    r"comit[ée]|club|amicale|association|asso|collectif|union|soci[ée]t[ée]|jardins?|maison|centre|f[ée]d[ée]ration|foyer|"
    r"cercle|ligue|chorale|harmonie|fanfare|compagnie|troupe|atelier|[ée]picerie|banque|secours|restos?|entente|[ée]cole|"
    r"sou|conseil\s+(?:citoyen|de\s+quartier)|groupement|coop[ée]rative|r[ée]seau|mjc|csf|apel|fcpe|ccas|"
    r"mairie|ville|municipalit[ée]|m[ée]tropole|communaut[ée]\s+(?:de\s+communes|d['’]agglom[ée]ration)|agglo|"
    r"d[ée]partement|r[ée]gion|syndicat|office|m[ée]diath[èe]que|biblioth[èe]que|th[ée][âa]tre|mus[ée]e|coll[èe]ge|lyc[ée]e|"
    r"cabinet|entreprise|agence|r[ée]gie|ressourcerie|recyclerie|fondation|mutuelle|ehpad|cin[ée]ma|crèche|centre\s+social"
)
_LOWER_ORGANISATION = re.compile(
    r"(?:^(?:" + HELLO + r"[\s,!.]+)?|\b(?:du|de\s+la|de\s+l['’]|des|de|d['’]|l['’]|le|la|les|chez|au|à\s+l['’]|à\s+la)\s*)"
    r"(?P<name>(?:" + _LOWER_KINDS + r")\b(?:[\s\-'’]+[\w\-'’]+)*?)"
    r"(?=\s+(?:à|a|au|sur|dans|et|on|nous|qui|ici|depuis|en\s+tant|basée?s?|située?s?|in|at|and|we|who)\b|\s*[,.;:!?()]|$)",
    re.IGNORECASE,
)
"""A structure's name written in lower case inside a presentation (« trésorière du comité des fêtes de
saint-genis-laval », « on est l'asso des jardins partagés de villeurbanne »): a word of a type of
structure and the words after it, up to a place, a link to a next clause or the clause's end."""


def _lower_organisation(presentation: str, person: str | None = None) -> str | None:
    """The name a presentation written in lower case gives its structure (« je fais partie de l'amicale
    laïque de bron » → « Amicale laïque de bron »: its first letter up, its commune spelt by who looks
    it up; in English its type last, "of the green bikes club" → "Green Bikes Club"); None when no word of a
    type of structure starts one, or the words after it speak."""
    words = " ".join(presentation.split())
    english = _LOWER_ENGLISH.search(words)  # its own words in lower case: whatever else has capitals ("I'm Tom, …")
    if english is not None and not reads_as_sentence(english.group("name")):  # "of the green bikes club" → Green Bikes Club
        return " ".join(w if w in _ENGLISH_SMALL_WORDS else w[:1].upper() + w[1:] for w in english.group("name").split(" "))
    own = fold(person or "")  # « moi c'est Karim, président du club de boxe … »: the writer's first name is no capital of a name
    if not words or any(
        word[:1].isupper() for word in words.split(" ")[1:] if fold(word) not in _PRESENTING_WORDS and fold(word).strip(" ,.;:!") != own
    ):
        return None  # a capital somewhere: the names written that way are read by the rule above
    for found in _LOWER_ORGANISATION.finditer(words):
        name = found.group("name").strip(" '’-")
        if len(name.split(" ")) < 2 or len(name) > 80 or len(name.split(" ")) > 10 or reads_as_sentence(name):
            continue  # « l'association » alone names nothing
        return name[:1].upper() + name[1:]
    return None


_ENGLISH_KINDS = (
    r"club|association|society|charity|collective|committee|union|trust|foundation|cent(?:re|er)|gardens?|choir|league|network|"
    r"co-?op|cooperative|workshop|bank|pantry|kitchen|company|orchestra|band|team|federation|council|school|alliance"
)
_ENGLISH_SMALL_WORDS = frozenset("of the and for in on at de du des la le les".split())
_LOWER_ENGLISH = re.compile(
    r"\b(?:of|from|at|with|for|run|join|joined|are|re|is|s)\s+the\s+"
    r"(?P<name>(?!(?:small|little|tiny|local|big|new|same|other)\b)[a-z0-9][\w\-'’&]*(?:\s+[a-z0-9][\w\-'’&]*){0,4}?\s+(?:"
    + _ENGLISH_KINDS
    + r"))(?=\s+(?:in|at|of|from|near|based|and|we|who|here|speaking)\b|\s*[,.;:!?()]|$)"
)
"""A structure's name written in lower case in an English presentation, its type last ("i'm the treasurer of the green
bikes club in lyon", "we're the riverside food bank"): the words after "of the", "we're the"…, up to the type's word."""


_LOWER_KIND_WORD = re.compile(r"\b(?:" + _LOWER_KINDS + r"|" + _ENGLISH_KINDS + r")\b")
"""A word of a type of structure written in lower case (« Les Jardins Partagés » has none)."""
_LOWER_ENDING = re.compile(r"\b(?:de|du|d['’]|à|sur)\s*(?!(?:la|le|les)\s|l['’])([\w\-]+(?:\s[\w\-]+){0,3})$", re.IGNORECASE)
"""The commune a lower-case name ends with (« … de ste foy les lyon »), never words after an article (« … de la source »)."""
_PRESENTING_WORDS = frozenset(("je", "j", "i", "i'm", "i’m", "jsuis", *GREETINGS))


_NAME_ENDING = re.compile(
    r"(?:\s(?:de|du|d['’ ]|of)\s*("
    + _NAME_WORD
    + r"(?:[\s\-]"
    + _NAME_WORD
    + r")*)|\s\(\s*("
    + _NAME_WORD
    + r"(?:[\s\-]"
    + _NAME_WORD
    + r")*)\s*\))$"
)


def places_in_name(name: str) -> list[str]:
    """The commune a structure's name ends with ("Secours Populaire de Villeurbanne", « Club Photo
    de Caluire », "Amicale Laïque (Vénissieux)" → its words, to look up); [] when it names none."""
    ending = _NAME_ENDING.search(name.strip())
    if ending:
        return [ending.group(1) or ending.group(2)]
    club = _CLUB_NAMED.match(name.strip())
    return [club.group("place")] if club else []


_AUTHORITY_OF = re.compile(
    r"^(?:(?:la|le|l['’])\s*)?(?:ville|mairie|commune|h[ôo]tel de ville|ccas|centre communal d['’ ]action sociale|"
    r"m[ée]tropole(?:\s+europ[ée]enne)?|town of|city of)\s+(?:de\s+la\s+|de\s+l['’ ]|de\s+|du\s+|d['’ ]\s*|of\s+)?(?P<commune>[^\s,;.!?()][^,;.!?()]*?)[\s.!]*$"
    r"|^(?P<before>[A-ZÀ-Ý][^,;.!?()]*?)\s+(?:city council|town council|city hall|town hall)[\s.!]*$",
    re.IGNORECASE,
)


def authority_commune(name: str) -> str | None:
    """The commune a local authority's name says it is («  Ville de Villeurbanne », « Mairie de
    Bron », « Métropole de Lyon » → its seat, "Lyon City Council"): its words, to look up; None for
    any other name (« Conseil départemental du Rhône » governs no one commune)."""
    found = _AUTHORITY_OF.match(" ".join(name.split()))
    if found is None:
        return None
    said = (found.group("commune") or found.group("before") or "").strip()
    return said if len(said) >= 2 and fold(said) not in _LINK_WORDS else None  # « Ville de »: none


def name_with_commune_spelt(name: str, commune: str) -> str:
    """``name`` whose last words, typed in lower case, are the commune ``commune`` (« Mairie de rillieux-la-pape », «
    … de st genis laval »), ending with the commune's own spelling (« Mairie de Rillieux-la-Pape »); unchanged
    otherwise: a name written with capitals is written as its writer wants (« Decathlon Lyon », « MAIRIE DE BRON »)."""
    parts = re.split(r"([\s\-'’]+)", name.rstrip())
    wanted = [_SAINT.get(word, word) for word in re.split(r"[\s\-'’]+", fold(commune)) if word]
    start = len(parts) - (2 * len(wanted) - 1)
    if not wanted or start < 2 or not re.search(r"[\s\-'’]", parts[start - 1]):
        return name  # the whole name a commune, or glued to it: nothing to respell
    typed = parts[start:]
    if [_SAINT.get(fold(word), fold(word)) for word in typed[::2]] != wanted or any(ch.isupper() for ch in "".join(typed)):
        return name
    return "".join(parts[:start]) + commune


_SAINT = {"st": "saint", "ste": "sainte"}
"""The short ways of writing a saint's commune (« st genis laval », « ste foy »)."""
_LINK_WORDS = frozenset("de du des d la le les l sur en et chez".split())
_HERE = r"(?:ici|here|speaking)"
"""The word after a name that says who writes (« Collectif zéro déchet ici », "Green Bikes here")."""
_LOWER_PLACE_WORD = r"(?!" + _HERE + r"\b)[a-zà-ÿ][\w\-]*"
_LOWER_PLACE = re.compile(
    r"\b(?:de|du|d['’]|à|au|sur|chez|in|at|near|from)"
    r"\s+((?:l['’]|la |le |les )?" + _LOWER_PLACE_WORD + r"(?:[ \-'’]" + _LOWER_PLACE_WORD + r"){0,3})"
    r"(?:\s+" + _HERE + r")?\s*(?=[,.;:!?)…]|$)"
)
"""Words in lower case after "de", "à", "in" that end a clause of a presentation (« …partagés de villeurbanne »,
« … de villeurbanne ici »)."""
_SMS_AT = re.compile(
    r"\b((?!(?:on|il|elle|qui|ca|ça|cela|ce|tout|y|qu|n|l|j|m|t|s)\b)[\w\-]+['’]?[\w\-]*)\s+a\s+"
    r"(?=(?:st|ste|saint|sainte)\b|(?!(?:besoin|envie|pas|plus|jamais|rien|d[ée]j[àa]|un|une|des|du|de|le|la|les|l|toujours|aussi|"
    r"encore|bien|tout|tous|trop|peu|beaucoup|vraiment|souvent|pris|mis|dit|fait|vu|eu|su|pu|lu|ouvert|offert|re[çc]u|obtenu|perdu|"
    r"rendu|vendu|pr[ée]vu|voulu|[\w\-]*é(?:e|s|es)?)\b)[a-zà-ÿ])"
)
"""« a » written for « à » after a name, lower case too, or a verb of place (« chez Lumibat a venissieux », « l'asso les
p'tits crampons a st priest », « on est a bron »), never « on a », « il a », nor before what « a » does (« a besoin »,
« a trouvé », « a pris », « a des »)."""
_LOWER_NOT_A_PLACE = re.compile(
    r"^(?:l['’]|la |le |les |the )?(?:rse|csr|quartiers?|centre|center|port|bois|plaine|mont|monts|ville|village|gare|march[ée]|"
    r"parc|plage|lac|for[êe]t|montagne|vall[ée]e|campagne|ferme|moulin|[ée]glise|ch[âa]teau|pont|rivi[èe]re|mer|[îi]les?|coin|"
    r"secteur|cit[ée]|bourg|hameau|plateau|colline|c[ôo]te|rue|place|jardins?|[ée]cole|coll[èe]ge|lyc[ée]e|mairie|r[ée]gion|"
    r"d[ée]partement|commune|monde|nord|sud|est|ouest|midi|val|vall[ée]es|bas|haut|sport|foot|vie|c[œo]e?ur|zone|banlieue|"
    r"neighbou?rhood|area|town|city|district|park|beach|station|market|harbou?r|wood|woods|hill|valley|lake)$",
    re.IGNORECASE,
)
"""Lower-case words that are no commune in a sentence, whatever village bears them (« les jeunes du quartier » is no
Le Quartier (63), « au port » no Port (01)): a common word needs a capital, a postcode or « à <Commune> » written as a name."""


_NAME_LEAD = re.compile(
    r"^(?:(?:ben|bah|bé|bein|euh|heu|hum|bon|alors|eh bien|well|um|uh|so|oh|yes|oui|si|mais|but)\b[\s,!.]*)*"
    r"(?:(?:c['’ ]est|ça s['’ ]appelle|ca s['’ ]appelle|on s['’ ]appelle|nous nous appelons|le nom c['’ ]est|notre nom c['’ ]est|"
    r"notre nom est|le nom est|it['’ ]s|it is|we['’ ]re called|we are called|our name is|the name is|"
    r"nous sommes|on est|we are|we['’ ]re)\s+)?",
    re.IGNORECASE,
)


_NAME_INTRO = re.compile(
    r"^(?:(?:ben|bah|bé|euh|heu|hum|bon|alors|eh bien|well|um|uh|so|oh|yes|oui|alors)\b[\s,!.]*)*"
    r"(?:il\s+s['’ ]\s*agit|ils?\s+s['’ ]\s*agit|c['’ ]\s*est|ce\s+sont|nous\s+sommes|on\s+est|je\s+repr[ée]sente|"
    r"nous\s+repr[ée]sentons|on\s+repr[ée]sente|je\s+suis\s+(?:de|du|chez)|j['’ ]\s*appartiens\s+[àa]|"
    r"we\s+are|we['’ ]re|this\s+is|it['’ ]s|it\s+is|i\s+represent|we\s+represent|i['’ ]m\s+(?:with|from)|i\s+am\s+(?:with|from))"
    r"(?:\s+(?:de|d['’ ]|du|des|of|from))?(?:\s+(?:le|la|the)\b|\s+l['’])?\s*",
    re.IGNORECASE,
)
"""What an answer to the name question says before the name (« Il s'agit de la », « nous sommes », « je représente
le », "we are", "this is", "it's"): never part of the name."""
_FINAL_PERIOD = re.compile(r"(?<=[^\W\d_]{4})\.$|(?<=[)»\"])\.$")


def without_final_period(text: str) -> str:
    """``text`` without the period that ends a sentence (« Les Jardins du Tonkin. » → « Les Jardins du Tonkin »); an
    abbreviation's (« Dupont & Cie. », « S.A. ») kept."""
    typed = text.strip()
    return _FINAL_PERIOD.sub("", typed) if not typed.endswith("..") else typed


_TO_THE_BOT = (
    r"(?:" + AS_SAID + r"|lol|mdr|ptdr|xd|svp|stp|s il vous plait|s il te plait|please|pls|plz|merci|thanks|thank you|thx|"
    r"again|encore|bis|re|jk|haha|hihi|hein|ok|voila)"
)
_ASIDE_IN_BRACKETS = re.compile(r"\s*[(\[]([^()\[\]]*)[)\]]")
_ASIDE_AT_END = re.compile(
    r"(?:[\s,;:!.…-]+(?:lol|mdr|ptdr|xd|svp|stp|please|pls|plz|merci|thanks|thx|haha|jk)\b)+[\s!.…]*$", re.IGNORECASE
)


_REMARK = re.compile(
    r"\b(?:"
    # a negation: « pas la mairie centrale », "not HQ", "no, not the big one"
    r"pas|jamais|ne|n est|n ai|n a|non|not|no|never|isn t|aren t|don t|doesn t|"
    # an interjection: « hein », « bref », « quoi » at the end, "you know"
    r"hein|bref|bon ben|ben|bah|euh|heu|hum|lol|mdr|ptdr|xd|haha|hihi|hehe|oups|oops|jk|btw|you know|"
    # a first or second person: « c'est nous les jardiniers », « vous la connaissez », "we're the small one"
    r"je|j ai|j crois|j pense|j imagine|moi|nous|tu|toi|vous|i m|i ve|i am|i said|i mean|me|my|we|we re|us|our|you|your|"
    # a hedge: « enfin je crois », « il me semble », « peut-être », "I think"
    r"enfin|je crois|je pense|il me semble|me semble|peut etre|normalement|a priori|sans doute|je suppose|"
    r"maybe|perhaps|probably|i think|i guess|i believe|i suppose|not sure|"
    # what talks about the answer: « c'est le nom officiel », "that's the official name"
    r"c est|ce sont|il s agit|it s|it is|that s|this is|officiel|official"
    r")\b|\bquoi\s*$"
)
"""The words of a remark said beside a name, to the bot or about the answer: a negation, an interjection, a first or
second person, a hedge, words about the answer; none is in a bracket that is part of a name (an acronym « (MJC) », a
branch « (antenne de Bron) », a place « (Villeurbanne) »)."""
_REMARK_AFTER_DASH = re.compile(r"\s+[-–—]+\s+([^-–—]+)$")


def _is_remark(said: str) -> bool:
    """Whether the words of a bracket or of what follows a dash talk to the bot or about the answer (a need or an
    offer said there is none: what reads the answer keeps it)."""
    words = _words(said).replace("'", " ").strip(" .!…")
    if not words:
        return False
    if re.fullmatch(r"(?:" + _TO_THE_BOT + r"\b[\s,;:!.…]*)+", words + " ", re.IGNORECASE) or _AS_SAID_LEAD.match(words):
        return True
    if guess_listing(said).is_listing:  # « Green Wheels - we need volunteers »: a need said after the name, read as such
        return False
    return "!" in said or "?" in said or _REMARK.search(words) is not None


def asides_of(text: str) -> list[str]:
    """The remarks a name's answer says beside the name (:func:`without_aside` takes them out), as typed."""
    typed = " ".join(text.split())
    found = [bracket.group(1).strip() for bracket in _ASIDE_IN_BRACKETS.finditer(typed) if _is_remark(bracket.group(1))]
    dashed = _REMARK_AFTER_DASH.search(_ASIDE_IN_BRACKETS.sub("", typed))
    if dashed is not None and _is_remark(dashed.group(1)):
        found.append(dashed.group(1).strip())
    ending = _ASIDE_AT_END.search(typed)
    if ending is not None:
        found.append(ending.group(0).strip(" ,;:!.…-"))
    kept = without_aside(typed, as_said=False)
    bare = _AS_SAID_LEAD.sub("", _AS_SAID_END.sub("", kept))
    if bare != kept and bare.strip(" ,;:"):  # « FC Bron comme j'ai dit », "as I said, Green Wheels": said to the bot
        lead = _AS_SAID_LEAD.match(kept)
        end = _AS_SAID_END.search(_AS_SAID_LEAD.sub("", kept))
        found += [part.group(0).strip(" ,;:!.…") for part in (lead, end) if part is not None]
    return [said for said in found if said]


def without_aside(text: str, as_said: bool = True) -> str:
    """A name without what it says to the bot or about the answer: a parenthesised aside (« Acme Logistics (I already
        said that...) », « Mairie de Villeurbanne (pas la mairie centrale hein) », « Vélo Cité (enfin je crois que c'est le
        nom officiel) », "Acme Logistics (the Lyon branch, not HQ!)"), a remark after a dash (« Vélo Cité - enfin je crois »)
        or trailing words (« Les Potes lol », « Vélo Cité svp »); a bracket that is part of the name (« Les Jardins (Lyon
        8e) », « Maison des Jeunes (MJC) », « Secours populaire (antenne de Bron) ») kept; with ``as_said``, the words saying
    it was said before too (« FC Bron comme je vous ai dit », "Green Wheels, as I said"). ``text`` when nothing else is left."""

    def aside(found: re.Match[str]) -> str:
        return "" if _is_remark(found.group(1)) else found.group(0)

    kept = _ASIDE_IN_BRACKETS.sub(aside, " ".join(text.split()))
    dashed = _REMARK_AFTER_DASH.search(kept)
    if dashed is not None and _is_remark(dashed.group(1)):
        kept = kept[: dashed.start()]
    kept = _ASIDE_AT_END.sub("", kept).strip(" ,;:")
    if not as_said:
        return kept or text
    bare = _AS_SAID_LEAD.sub("", _AS_SAID_END.sub("", kept)).strip(" ,;:")
    return (bare or kept) or text  # « FC Bron comme je vous ai dit »: the name alone


def name_in_answer(text: str) -> str:
    """The name an answer to "what is your structure's name?" gives inside a sentence ("ben Les Mains
    Vertes, je viens de le dire", "euh c'est Code & Quartiers", "well, our name is Green Wheels"): its
    one part that, once its filler words are off, starts with a capital and does not speak. The text
    unchanged when it does not read as a sentence (a name) or names nothing that way (refused as a
    sentence by the name's check, or kept as typed)."""
    text = without_final_period(without_as_said(without_aside(text)))  # « les mains vertes jlai deja dit »: the name alone
    introduced = _NAME_INTRO.match(text)
    if introduced is not None and introduced.end() < len(text):  # « Il s'agit de la Ville de X, Direction … »: what follows
        named = text[introduced.end() :].strip(" ,;:!…'\"«»")
        if len(named) >= 2 and (named[:1].isupper() or named[:1].isdigit()) and not reads_as_sentence(named):
            return named
    kind = _KIND_AFTER_FILLER.match(text)
    if kind is not None and kind.end("name") > kind.start("name") and (kind.start("name") > 0):
        named = kind.group("name")
        speaks = re.search(r"\b(?:on|nous|je|j['’]|vous|qui|il|elle|we|i|you)\b", named, re.IGNORECASE)
        if len(named.split(" ")) >= 2 and not speaks and not reads_as_sentence(named):  # « bah la mairie de rillieux »
            return named[:1].upper() + named[1:]
    head, rest = name_and_rest(text)
    if rest:  # "US St Martin foot, on est a st martin en haut (69)": the name, without what follows
        return head
    if not text[:1].islower() and not reads_as_sentence(text):  # "well, our name is …" starts lower
        return text
    framed = _framed_name(text)
    if framed is not None:  # « ben je vous l'ai dit c'est le comité des fêtes de st genis laval »
        return framed
    found = []
    for part in re.split(r"\s*[,;:!.…]+\s+|\s+[—–-]\s+|\s*[,;!…]+$", text.strip()):
        name = _NAME_LEAD.sub("", part.strip(" ,;:!.…")).strip(" ,;:!.…'\"«»")
        if len(name) >= 2 and (name[:1].isupper() or name[:1].isdigit()) and not reads_as_sentence(name):
            found.append(name)
    return found[0] if len(found) == 1 else text


_FILLERS = r"ben|bah|bé|bein|euh|heu|hum|bon|alors|eh bien|mais|oui"
"""The words someone starts an answer with before saying it (« ben », « euh », « bon »)."""
_KIND_AFTER_FILLER = re.compile(
    r"^(?i:(?:" + _FILLERS + r"|ouais)\b[\s,!.]*)*(?:(?:le|la|les)\s+|l['’]\s*)?"
    r"(?P<name>(?:" + _LOWER_KINDS + r")\b[^,;:!?]*?)[\s.!…]*$"
)
"""A structure's name in lower case after a filler or an article at the name question (« bah la mairie de rillieux »,
« euh l'amicale laïque de bron »): the name from the word of its sort, without them."""


_FRAMING = re.compile(
    r"^(?:(?:" + _FILLERS + r"|well|um|uh|so|oh|yes|but)\b[\s,!.]*)*"
    r"(?:" + AS_SAID + r"\b[\s,:;!.…]*)?"
    r"(?:(?P<called>on\s+s['’ ]appelle|nous\s+nous\s+appelons|[çc]a\s+s['’ ]appelle|(?:le|notre)\s+nom\s+(?:c['’ ]est|est)|"
    r"we['’ ]re\s+called|we\s+are\s+called|our\s+name\s+is|it['’ ]s\s+called)|"
    r"(?:c['’ ]est|on\s+est|nous\s+sommes|it['’ ]s|it\s+is|we['’ ]re|we\s+are)(?:\s+(?:le|la|les|the)\b|\s+l['’])?)"
    r"\s*(?P<name>\S.*?)[\s.!…]*$",
    re.IGNORECASE,
)


def _framed_name(text: str) -> str | None:
    """The name a sentence gives with a framing (« ben je vous l'ai dit c'est le comité des fêtes de st
    genis laval » → « Comité des fêtes de st genis laval », « on s'appelle les jardins de la source »):
    what follows « c'est le », « on s'appelle »…, when it is a name — written with a capital, after a
    verb that names (« on s'appelle »), or starting with a word of a type of structure (« comité »)."""
    found = _FRAMING.match(" ".join(text.split()))
    if found is None:
        return None
    name = found.group("name").strip(" ,;:!.…'\"«»")
    if len(name) < 2 or len(name) > 80 or len(name.split(" ")) > 10 or reads_as_sentence(name) or re.search(r"[,;:!?]", name):
        return None
    if not (name[:1].isupper() or found.group("called") or re.match(r"(?:" + _LOWER_KINDS + r")\b", name, re.IGNORECASE)):
        return None  # « c'est une asso de quartier »: what it is, not its name
    if not (name[:1].isupper() or found.group("called")) and len(name.split(" ")) < 2:
        return None  # « c'est la mairie »: which one, not said
    return name[:1].upper() + name[1:]


_ONLY_TOWN = r"(?:(?:la\s+)?(?:commune|ville)\s+(?:de\s+|d['’ ]\s*)|(?:the\s+)?(?:town|city|municipality)\s+of\s+)"
_ONLY_AT = r"(?:(?:sur|à|a|dans|en|pour|in|on|at|within|for)\s+)"
_ONLY_PLACE = re.compile(
    r"^(?:(?:juste|seulement|uniquement|que|only|just|solely)\s+)" + _ONLY_AT + "?" + _ONLY_TOWN + r"?(?P<place>[^\s].*?)[\s.!]*$"
    r"|^" + _ONLY_AT + "?" + _ONLY_TOWN + r"?(?P<before>[^\s].*?)\s+(?:seulement|uniquement|only)[\s.!]*$"
    r"|^" + _ONLY_AT + "?" + _ONLY_TOWN + r"(?P<town>[^\s].*?)[\s.!]*$",
    re.IGNORECASE,
)
_ONLY_COURTESY = re.compile(
    r"(?:[\s,.;!]*(?:s['’ ]il\s+vous\s+pla[iî]t|s['’ ]il\s+te\s+pla[iî]t|svp|stp|merci(?:\s+beaucoup)?|please|thanks|thank\s+you|pls))+[\s,.;!]*$",
    re.IGNORECASE,
)


def only_place(text: str) -> str | None:
    """The place a zone answer restricts itself to ("juste Tourcoing", "seulement sur Tourcoing",
    "only in Roubaix", "Lille only", « sur la commune de Villeurbanne uniquement, s'il vous plaît »,
    "the town of Lyon" → the place's words); None when the text says no "only" nor "the commune of"."""
    found = _ONLY_PLACE.match(_ONLY_COURTESY.sub("", " ".join(text.split())).rstrip(" ,.;!"))
    if found is None:
        return None
    return found.group("place") or found.group("before") or found.group("town")


def what_is_asked(text: str) -> str:
    """The part of a message that asks or offers something, from its first clause that does ("Hi,
    I'm Sarah from the Green Bikes workshop in Villeurbanne, we need volunteers" → "we need
    volunteers"); the whole text when no clause alone does."""
    return _split_request(text)[1]


def who_we_are(text: str) -> str:
    """The part of a message that presents its writer, before what it asks or offers ("Nous sommes
    Code & Quartiers, une asso de Vénissieux. On cherche des ordinateurs" → "Nous sommes Code &
    Quartiers, une asso de Vénissieux."); "" when the message starts with what it asks, or asks
    nothing a clause alone says."""
    return without_here(_split_request(text)[0])


_NOT_A_WHO = r"(?:on|nous|je|j|vous|we|i|you|il|ils|elle|elles|they|it|there)\b"
_HERE_AFTER_WHO = re.compile(r"^(?P<who>(?!" + _NOT_A_WHO + r")\w.*?)\s+(?:ici|here|speaking)$", re.IGNORECASE)
"""A clause that names who writes, then « ici » / "here" (« collectif zéro déchet de villeurbanne ici »)."""
_HERE_AFTER_PRESENTING = re.compile(
    r"^(?P<who>(?i:je\s+suis|nous\s+sommes|on\s+est|c['’]est|i\s+am|i['’]m|we\s+are|we['’]re|this\s+is)\s+"
    r"(?:(?i:le|la|les|l['’]|un|une|the|a|an)\s*\w.*|[A-ZÀ-Ý].*|.*\s(?i:de|du|des|d['’]|from|of|at|chez)\s*\w.*))\s+(?i:ici|here)$"
)
"""« ici » / "here" after a presenting verb and who it names (« nous sommes le Club Photo de Caluire ici »), never after
what says where or how they are (« nous sommes nouveaux ici », « je suis bénévole ici »)."""
_HERE_BEFORE_WHO = re.compile(r"^(?:ici|here\s+is|here['’]s)\s+(?P<who>(?!" + _NOT_A_WHO + r")\w.*)$", re.IGNORECASE)
"""« ici » / "here is" before who writes (« ici le Repair Café de Lyon »)."""
_HERE_INSIDE_WHO = re.compile(
    r"^(?P<who>(?!" + _NOT_A_WHO + r")\w.*?)\s+(?:ici|here)\s+(?P<rest>(?:from|of|at|with|de|du|des|d['’]|chez)\b.*)$", re.IGNORECASE
)
"""« ici » / "here" between who writes and where from ("Sarah here from Green Bikes")."""
_CLAUSE_MARKS = re.compile(r"(\s*[,.;:!?…]+\s*)")


_NAME_ONLY_LEAD = re.compile(
    r"^(?:(?:ici|voici|c est|nous sommes|on est|we are|we re|this is|it s|on s appelle|nous nous appelons|"
    r"(?:our|the|my) (?:(?:organi[sz]ation|association|club|company|charity|group)(?: s)? )?name is|(?:we re|we are|it s) called|"
    r"(?:our|my) (?:organi[sz]ation|association|club|company|charity|group) is called|"
    r"(?:notre|mon) (?:nom|association|asso|structure|club|entreprise|societe|collectif|organisation) (?:c est|est|s appelle)|"
    r"le nom de (?:notre|mon|ma|la|l) ?\w* (?:c est|est))\s+)?(?:(?:l|la|le|les|the)\s+)?"
)


_JOINING = re.compile(
    r"^(?:(?:je|j|on|nous|i|we)\s+(?:voudrais|voudrait|voudrions|souhaite|souhaitons|souhaiterais|souhaiterions|aimerais|aimerait|"
    r"aimerions|veux|veut|voulons|vais|va|would like to|d like to|want to|wish to|wanna|need to|d love to|d like|would like)\s+|"
    r"(?:comment|how (?:do|can|could|would) (?:i|we)|puis je|est ce que je peux|est ce qu on peut|can i|could i|may i|can we)\s+)?"
    r"(?:on |je |nous |i |we )?(?:m |me |nous |s |to )?(?:inscri\w*|enregistr\w*|rejoindre|adherer|join|sign up|signup|register|subscribe|get started|"
    r"creer (?:un|mon|notre) (?:compte|profil)|create (?:an|a|my|our) (?:account|profile)|faire (?:mon|notre) (?:inscription|profil)|"
    r"(?:une |l )?inscription|(?:a |an )?(?:account|registration))"
    r"(?: (?:svp|stp|please|(?:sur |a |to |on )?trait d union|ici|here|chez vous|sur le bot|"
    r"(?:mon|ma|notre|our|my|the) (?:asso|association|club|entreprise|societe|structure|company|organi[sz]ation|charity)|"
    r"on the bot|to the bot|au bot|merci|thanks|thank you|pour (?:mon|notre) (?:asso|association|club|entreprise|structure)|"
    r"for (?:my|our) (?:association|club|company|organi[sz]ation|charity)))*$"
)


def asks_to_join(text: str) -> bool:
    """Whether ``text`` only asks to join the bot (« Bonjour, je voudrais m'inscrire », "Hello, I'd like to sign up",
    « comment on s'inscrit ? »): what /start does — no presentation of anyone."""
    words = " ".join(re.findall(r"\w+", fold(without_courtesy(text) or text).replace("'", " ")))
    return bool(words) and _JOINING.fullmatch(words) is not None


def says_only_the_name(presentation: str, name: str) -> bool:
    """Whether ``presentation`` says nothing but the structure's name (« La mairie de Rillieux-la-Pape », « Ici le Repair
    Café de Lyon » for « Repair Café de Lyon »): no presentation of what it does."""
    said = _NAME_ONLY_LEAD.sub("", _words(presentation).replace("'", " "))
    named = _NAME_ONLY_LEAD.sub("", _words(name).replace("'", " "))
    return bool(said) and said == named


def without_here(presentation: str) -> str:
    """A presentation without the « ici » / "here" that only says who writes, as on the phone
    (« Collectif zéro déchet de villeurbanne ici » → « Collectif zéro déchet de villeurbanne »,
    « Ici le Repair Café de Lyon » → « Le Repair Café de Lyon », "Green Bikes here" → "Green Bikes");
    a place said with it is kept (« nous sommes nouveaux ici », "we've been here ten years")."""
    parts = _CLAUSE_MARKS.split(" ".join(presentation.split()))
    kept: list[str] = []
    for index, part in enumerate(parts):
        if index % 2 == 0 and 0 < len(part.split()) <= 10:  # a clause (odd parts: the marks between clauses)
            found = _HERE_AFTER_WHO.match(part) or _HERE_AFTER_PRESENTING.match(part) or _HERE_BEFORE_WHO.match(part)
            inside = None if found else _HERE_INSIDE_WHO.match(part)
            if found:
                part = found.group("who")
            elif inside:
                part = inside.group("who") + " " + inside.group("rest")
            elif fold(part) in ("ici", "here"):
                part = ""
        if part or index % 2:
            kept.append(part)
    text = "".join(kept).strip(" ,;:")
    if not text or not re.search(r"\w", text):
        return ""
    return text[:1].upper() + text[1:] if presentation.strip()[:1].isupper() else text


_CLAUSE_SPLIT = re.compile(
    r"(?<=[,.;:!?…])\s+|\s+(?=(?:et|and|mais|but|so|donc|alors)\s+(?:nous|on|we|i|je|j['’ ]|our|notre|nos|il nous|they|ils|elles)\b)"
    r"|(?<=\w)\s+(?!nous\s+\w+(?:er|ir|re|oir)\b)(?=(?:(?:nous|on|we|je|i)\s+|j['’]\s*|j\s+|we['’]d\s+|i['’]d\s+|we['’]ll\s+)"
    r"(?:(?:ne\s+|n['’ ])?(?:cherch|recherch|propos|pouv|peu|voudr|voul|aimer|souhait|avons\s+besoin|a\s+besoin|ai\s+besoin|"
    r"aur\w*\s+(?:besoin|bien\s+besoin|aussi\s+besoin)|need|can|could|are\s+looking|look|offer|would|want|wish|lend|pr[êe]t|offr|met|"
    r"like|love|have\s+to|require|donn|cède|c[eè]d))|il\s+(?:nous|me|m['’])\s*(?:fau|manqu))",
    re.IGNORECASE,
)
"""Where a message goes on to another clause: after a punctuation mark, before "and we…", « et on… »,
or before a need or an offer said in the first person with no comma (« on est l'asso … on cherche … »);
never before « nous » followed by an infinitive, an object (« on cherche quelqu'un pour nous prêter un camion »)."""
_ASKING_BEING = (
    r"(?! (?:a la recherche|en recherche|en quete|preneurs?|pret|prets|prete|pretes|disponibles?|looking|seeking|searching|"
    r"hoping|trying|offering|able|happy|glad|in need|in search|after)\b)"
)
"""What follows « nous sommes », "we are" when it says what is asked or given (« nous sommes à la recherche de »,
"we are looking for", "we're happy to lend"), not who writes."""
_WHO_WRITES = (
    r"^(?:" + HELLO + r"\b[\s,!.]*)?(?:(?:nous sommes|on est|we are|we re|i am|i m|je suis)" + _ASKING_BEING + r"|ici|c est|"
    r"this is|my name is|je m appelle|moi c est|je m occupe|je travaille|i work|i run|i manage|je gere|je dirige|"
    r"(?!(?:on|nous|je|j|we|i|il|ils|elle|elles|they)\b)\w+(?: \w+){0,7} " + _HERE + r"$"
)
_PRESENTING = re.compile(_WHO_WRITES + r"|notre|our)\b")
"""The start of a clause that presents its writer (« nous sommes … », "we're a small company …")."""
_SAYING_WHO = re.compile(_WHO_WRITES + r")\b")
"""A clause that says who writes with a verb (« je suis bénévole au … »), not « notre … » / "our …", which usually
starts what is offered or asked (« Notre entreprise peut offrir du mécénat de compétences … »)."""


def presents_itself(text: str) -> bool:
    """Whether a message starts by presenting its writer ("Hi, we're a small company in Lyon. We can
    lend…", « on est l'asso des jardins … on cherche … »), before what it asks or offers."""
    before = _split_request(text)[0]
    return bool(before) and _PRESENTING.match(_words(before).replace("'", " ")) is not None


_ROLE = re.compile(
    r"^(?:" + HELLO + r"\b[\s,!.]*)?(?:je m occupe|je gere|je suis (?:en charge|charge|chargee|responsable|directeur|directrice)|"
    r"je travaille|i work|i m in charge|i am in charge|i manage|i m (?:the |a )?(?:\w+ )?(?:manager|officer|lead|head|director)|"
    r"i am (?:the |a )?(?:\w+ )?(?:manager|officer|lead|head|director))\b"
)
_ABOUT_THE_STRUCTURE = re.compile(
    r"\b(?:nous sommes|on est|we are|we re|notre|nos|our|c est une?|it s an?|it is an?|\d+ (?:salaries|employees|staff|people|personnes)|"
    r"(?:une?|a|an) (?:\w+ )?(?:pme|tpe|eti|entreprise|societe|asso|association|company|charity|firm|business|startup|cabinet|agence|agency|"
    r"collectivite|structure))\b"
)


_ONLY_A_PERSON = re.compile(
    r"^(?:" + HELLO + r"\b[\s,!.]*)?(?:je suis|je m appelle|moi c est|c est|ici|i m|i am|my name is|this is)\s+\S+$"
)


def role_only(text: str) -> bool:
    """Whether a first message says only who writes — their role and a wish (« Je m'occupe de la RSE
    chez Decathlon Lyon, on aimerait aider des assos »), their first name (« Je suis Marie ») —:
    no presentation of the structure to publish."""
    words = _words(text).replace("'", " ")
    return (_ROLE.match(words) is not None and _ABOUT_THE_STRUCTURE.search(words) is None) or _ONLY_A_PERSON.match(words) is not None


_FOLDED_ROLES = (
    r"(?:co\s?|vice\s)?(?:tresorier|tresoriere|president|presidente|secretaire|benevole|responsable|directeur|directrice|charge|"
    r"chargee|coordinateur|coordinatrice|membre|salarie|salariee|animateur|animatrice|gerant|gerante|fondateur|fondatrice|"
    r"entraineur|entraineuse|educateur|educatrice|adherent|adherente|coach|treasurer|chair|chairman|chairwoman|chairperson|"
    r"secretary|volunteer|manager|director|member|coordinator|founder|head|trustee|captain|organiser|organizer)"
)
_HOW_THINGS_ARE = (
    r"urgent|urgente|urgentissime|important|importante|presse|pressee|pressant|grave|serieux|critique|crucial|essentiel|"
    r"necessaire|complique|compliquee|simple|facile|difficile|dur|long|court|rapide|bon|bien|ok|okay|vrai|sur|clair|ca|"
    r"cool|super|top|genial|parfait|nickel|dommage|fini|parti|possible|impossible|tard|tot|quoi|pour|"
    r"urgently|pressing|serious|critical|essential|necessary|complicated|easy|hard|difficult|tricky|quick|short|fine|"
    r"good|great|true|sure|clear|done|over|late|early|about|for|because|time|not|just|all|that|what|really|quite|also|been"
)
"""What « c'est » / "it's" may say of how things are (« c'est urgent, … », "It's simple, we need …"): never a first name."""
_NOT_A_FIRST_NAME = (
    r"(?!(?:la|le|les|l|un|une|des|du|de|the|a|an|nous|on|we|en|au|aux|dans|sur|pour|et|and|pas|ne|tres|very|so|really|"
    r"ravi|ravie|content|contente|heureux|heureuse|nouveau|nouvelle|nouveaux|new|happy|glad|looking|sorry|desole|desolee|"
    r"here|ici|moi|me|interesse|interessee|interested|" + _HOW_THINGS_ARE + r"|" + _LOWER_KINDS + r"|" + _ENGLISH_KINDS + r")\b)"
)
_NOT_PEOPLE_OF = (
    r"(?!(?:besoin|membres?|parents?|benevoles?|adherents?|equipe|enfants|jeunes|familles|habitants|salaries|amis|voisins|"
    r"eleves|joueurs|joueuses|licencies|locaux|activites|projets?|actions?|ateliers?)\b)"
)
"""The people or things of a structure (« les bénévoles de l'amicale », « parents de l'école »): never a first name."""
_WRITES_ONESELF = re.compile(
    r"^(?:" + HELLO + r"\b[\s,!.]*)?(?:"
    r"(?:je suis|jsuis|j suis|chui|chuis|c est|cest|c|ce|moi c est|moi c|ici|i m|im|i am|this is|it s|its|"
    r"je fais partie|je travaille|i work|i coach|i volunteer|je coache)\s+(?:moi\s+)?(?:(?:la|le|l|un|une|the|a|an)\s*)?"
    r"(?:(?:csr|rse|hr|rh|it|marketing|communication|comms|sales|finance|community|partnerships?|operations|projects?|program|programme)\s+)?"
    + _FOLDED_ROLES
    + r"\b"
    r"|(?:je suis|jsuis|chui|c est moi|c moi|c est|c|moi c est|moi c|ici|i m|im|i am|this is|it s|its|my name is|je m appelle)\s+"
    + _NOT_A_FIRST_NAME
    + r"[a-z][\w\-]+(?:\s+(?:de|du|des|d|from|of|at|chez|here|ici|et|and)\b|\s*[,.!;:]|\s*$|\s+(?:(?:la|le|l|the)\s*)?"
    + _FOLDED_ROLES
    + r"\b)"
    r"|"
    + _NOT_A_FIRST_NAME
    + _NOT_PEOPLE_OF
    + r"[a-z][\w\-]+\s+(?:here|ici|from|(?:de|du|d)\s+(?:l\s+|la\s+|le\s+)?(?:"
    + _LOWER_KINDS
    + r"))\b"
    r"|(?:je\s+(?:vous\s+|te\s+)?(?:ecris|contacte|sollicite|adresse|envoie|me\s+permets)\w*|je\s+me\s+permets\s+de\s+vous\s+\w+|"
    r"i\s+(?:am|m)\s+(?:writing|contacting|reaching\s+out|getting\s+in\s+touch)|im\s+(?:writing|contacting|reaching\s+out)|"
    r"i\s+(?:write|contact\s+you|reach\s+out))\b(?:\s+[\w\-]+){0,4}?\s+"
    r"(?:en\s+(?:qualite|tant|ma\s+qualite)|au\s+nom|de\s+la\s+part|pour\s+le\s+compte|as|in\s+my\s+(?:capacity|role)|on\s+behalf)\b"
    r"|(?:en\s+(?:qualite|ma\s+qualite)\s+de|en\s+tant\s+que|in\s+my\s+(?:capacity|role)\s+as)\s"
    r")"
)
"""The start of a message that says who writes — a person, by a role (« ici la présidente de … », « je suis trésorier du
FC Bron », "I'm the treasurer of …", « c lanimatrice du club », its apostrophe left out) or a first name (« c Karim du
club … », "I'm Sarah from …", "Hi, Tom here from …") —, on folded text with its punctuation."""


def writes_oneself(text: str) -> bool:
    """Whether ``text`` starts by saying who writes, a person — their role (« C la tresoriere du club de
    foot », « je suis le président de … », "I'm the treasurer of …", « ici la présidente de … »), their
    first name (« c Karim du club … », "I'm Sarah from …", "Tom here from …") —: a chat line about a
    person, never published as the structure's presentation unless they write one, which follows
    (:func:`structure_part`). The one reading of who writes: the router asks it, the cut between who
    writes and what is asked (:func:`_a_person_writes`) too."""
    folded = fold(text).replace("'", " ").replace("’", " ").strip()
    return _WRITES_ONESELF.match(folded) is not None


_ABOUT_US = re.compile(
    r"^(?:(?:et|and|mais|but|so|donc|alors)\s+)?(?:nous|on|we|we['’](?:re|ve)|our|notre|nos|ils|elles|they|c['’]est\s+une?|"
    r"it['’]?s\s+an?|it\s+is\s+an?|une?\s+(?:petite?\s+)?(?:asso|association|structure|entreprise|soci[ée]t[ée]|collectif|pme|tpe)|"
    r"an?\s+(?:small\s+|little\s+|local\s+)?(?:association|charity|non[\s\-]?profit|company|organi[sz]ation|business|firm))\b",
    re.IGNORECASE,
)
"""A clause about the structure (« nous cultivons… », "we're a non profit that…", « une asso qui… »), not about who writes."""
_BARE_TYPE = re.compile(
    r"^(?:(?:et|and)\s+)?(?:(?:nous\s+sommes|on\s+est|we\s+are|we['’]re|c['’]est|it['’]?s|it\s+is)\s+)?"
    r"(?:(?:une?|a|an|the|l['’]|la|le)\s*)?(?:(?:petite?|small|little|local|jeune|young|new|nouvelle)\s+)?"
    r"(?:(?:association|asso|club|charity|non[\s\-]?profit|nonprofit|not[\s\-]for[\s\-]profit|company|entreprise|structure|"
    r"collectif|organi[sz]ation|ngo|ong|loi\s+1901|sans\s+but\s+lucratif|[àa]\s+but\s+non\s+lucratif|de\s+quartier|"
    r"b[ée]n[ée]vole|sportive?|culturelle?|pme|tpe|business|shop|firm|commerce|soci[ée]t[ée]|sarl|sas|start[\s\-]?up|"
    r"boulangerie|[ée]picerie|garage|restaurant|bakery|mairie|collectivit[ée]|local\s+authority|town\s+council)[\s,]*)+"
    r"(?:(?:[àa]|au|in|at|based\s+in|bas[ée]e?s?\s+[àa]|sur|(?:de|d['’]|from)(?=\s*(?-i:[A-ZÀ-Ý])))\s*[\w\-'’]+(?:\s+[\w\-'’]+){0,3})?"
    r"[\s.!…]*$",
    re.IGNORECASE,
)
"""What only says a type of structure and its commune (« nous sommes une asso de Bron », "we're a non profit", "a
charity in Lyon"): no description of what it does."""


def bare_type(text: str) -> bool:
    """Whether ``text`` only says a type of structure and its commune ("we're a non profit", « une asso de Bron »)."""
    return _BARE_TYPE.match(" ".join(text.split())) is not None


_TYPE_SAYS_WHAT = re.compile(
    r"\b(?:de quartier|sportive?s?|sporti(?:f|ve)s?|culturelle?s?|b[ée]n[ée]voles?|solidaires?|sports?|cultural|neighbou?rhood)\b",
    re.IGNORECASE,
)
"""Words of a type that say what a structure does or where it acts (« une petite asso de quartier », « un club
sportif », "a neighbourhood charity"): a presentation, however short."""


def type_alone(text: str) -> bool:
    """Whether ``text`` says a type of structure and nothing of what it does (« c'est une asso », "we're a small
    business", « on est une boulangerie »): :func:`bare_type` without the words of :data:`_TYPE_SAYS_WHAT`."""
    return bare_type(text) and _TYPE_SAYS_WHAT.search(text) is None


def about_the_structure(text: str) -> str:
    """What a message that starts by saying who writes (:func:`writes_oneself`) says of the structure:
    its clauses from the first about it (« …, nous cultivons des légumes avec les habitants », "…, we're
    a non profit that repairs bikes"), when they say more than a type and a commune; "" otherwise
    ("I'm Sarah from Bike Kitchen Lyon in Villeurbanne, we're a non profit": who writes, and a type)."""
    clauses = [clause for clause in _CLAUSE_SPLIT.split(spoken_presenting(" ".join(text.split()))) if clause]
    asking = [
        _WISHING.match(_PART_LEAD.sub("", clause)) is not None or _guess(_listing_words(clause)).kind is not None for clause in clauses
    ]
    for index, clause in enumerate(clauses):
        if index and not asking[index] and _ABOUT_US.match(_PART_LEAD.sub("", clause).strip(" ,;:.!")):
            end = next((later for later in range(index, len(clauses)) if asking[later]), len(clauses))  # never what is asked
            found = _PART_LEAD.sub("", " ".join(clauses[index:end])).strip(" ,;:")
            if not found or bare_type(found):
                return ""
            return found[:1].upper() + found[1:]
    return ""


_WORKS_AT = re.compile(r"\b(?:chez|at)\s+([^,]+,\s*(?:une?|a|an)\s.*)$", re.IGNORECASE)
"""The structure a writer works at, when the message says what it is (« chez Dupont & Fils, une PME de 80 salariés »)."""
_WE_ARE = re.compile(r"[,;.!]\s*((?:nous sommes|on est|we are|we're|we re)\b.*)$", re.IGNORECASE)
"""A writer's « nous sommes … », "we are …" clause, after who writes."""


_ONLY_WHERE = re.compile(
    r"^\s*(?:(?:nous sommes|on est)\s+(?:(?:bas|situ|install|implant)\w*\s+)?(?:a|à|au|aux|en|dans|sur|pres de|près de)"
    r"|(?:we are|we['’]re|we re)\s+(?:(?:based|located)\s+)?(?:in|at|near))\s+[^.!;]*[.!]?\s*$",
    re.IGNORECASE,
)
"""A clause that only says where the structure is (« on est à Lyon 3e », "we're based in Lyon"): its commune."""
_SENTENCE_END = re.compile(r"(?<=[.!;])\s+")


def structure_part(sentence: str) -> str:
    """What a message saying who writes (:func:`writes_oneself`) says of the structure: its « nous sommes … »,
    "we are …" clause (« je suis la présidente du club, nous sommes une asso de foot » → « Nous sommes une asso
    de foot »), what the structure a writer works at is (« … chez Dupont & Fils, une PME de 80 salariés »),
    what it does (:func:`about_the_structure`), or nothing."""
    found = who_we_are(sentence) or ((match.group(1) if (match := _WE_ARE.search(sentence)) else "") or "")
    if _ONLY_WHERE.match(found):  # "…, we're in Lyon 3e": where it is (the commune), not what it is
        found = ""
    if not found and (place := _WORKS_AT.search(sentence)) is not None:  # « … chargée RSE chez Dupont & Fils, une PME de … »
        found = " ".join(part for part in _SENTENCE_END.split(place.group(1)) if not _ONLY_WHERE.match(part))
    if not found or writes_oneself(found):  # « …, nous cultivons des légumes … »: what the structure does
        found = about_the_structure(sentence)
    if bare_type(found) or _ONLY_WHERE.match(found):  # "…, we're a non profit": a type (read apart), no presentation
        return ""
    return found[:1].upper() + found[1:]


WORKPLACE_WORDS: dict[str, tuple[str, ...]] = {
    "entreprise": (
        "boulangerie",
        "patisserie",
        "boucherie",
        "charcuterie",
        "fromagerie",
        "garage",
        "pharmacie",
        "librairie",
        "imprimerie",
        "traiteur",
        "bakery",
        "butcher",
        "pharmacy",
        "bookshop",
        "bookstore",
        "print shop",
        "epicerie",
        "boulanger",
        "boulangere",
        "patissier",
        "patissiere",
        "boucher",
        "bouchere",
        "charcutier",
        "primeur",
        "baker",
        "butcher",
        "shopkeeper",
        "superette",
        "supermarche",
        "restaurant",
        "brasserie",
        "cafe restaurant",
        "salon de coiffure",
        "coiffeur",
        "coiffeuse",
        "fleuriste",
        "opticien",
        "plombier",
        "electricien",
        "menuisier",
        "agence immobiliere",
        "cabinet comptable",
        "cabinet d architecte",
        "grocery",
        "grocery store",
        "grocer",
        "hair salon",
        "hairdresser",
        "florist",
        "plumber",
        "electrician",
        "carpenter",
        "mecenat",
        "corporate sponsorship",
    ),
}
"""Words that say a type of structure only where the writer says who they are (« CSR at Boulangerie Dupont », « je
m'occupe du mécénat chez … », « c'est le garage Martin »), beside :data:`KIND_WORDS`: in what is asked they are what
is sought (« on cherche un garage pour stocker », "a bakery that could give its unsold bread")."""
_NOT_A_BUSINESS = re.compile(
    r"\b(?:solidaire|solidaires|solidarity|benevole|benevoles|volunteer|volunteers|associatif|associative|insertion|social|sociale|community)\b"
)
"""A business noun that names no company (« le garage solidaire », « bénévole à la boulangerie associative », "community bakery")."""


_TOWN_PARTS = re.compile(
    r"\b(?:(?:en |au |dans le |in the |in )?(?:centre|center) (?:de la )?ville|centre ville|hyper ?centre|"
    r"(?:city|town) (?:centre|center|hall square)|downtown|old town|vieille ville|ville nouvelle|new town)\b"
)
"""A part of a town where someone is (« dans le centre-ville », "near the town centre"): a place, never the
local authority that « ville », "town" say elsewhere."""


def without_town_parts(text: str) -> str:
    """``text`` (folded words) without the parts of a town it names (:data:`_TOWN_PARTS`); ``text`` when none."""
    words = _words(text).replace("'", " ")
    kept = " ".join(_TOWN_PARTS.sub(" ", words).split())
    return kept if kept != words else text


def business_named(text: str) -> bool:
    """Whether an answer to « Quel type de structure ? » names a shop or a trade, so a company (« on est une
    boulangerie », « Boulangerie Chez Lulu », « une épicerie à Villeurbanne », "we run a grocery store"): a
    business noun (:data:`WORKPLACE_WORDS`) said without denying it nor calling it solidaire or associative."""
    words = fold(text)
    if negated(words) or _NOT_A_BUSINESS.search(words) is not None:
        return False
    return bool(phrases_in_sentence(text, [list(WORKPLACE_WORDS["entreprise"])]))


_STRUCTURE_DOES = re.compile(
    r"\s+(?:ne\s+|n['’]\s*)?(?:cherche|cherchons|recherche|recherchons|voudrait|voudrions|souhaite|souhaitons|souhaiterait|"
    r"aimerait|aimerions|propose|proposons|peut|pouvons|offre|offrons|donne|donnons|pr[eê]te|pr[eê]tons|a\s+besoin|"
    r"would|wants|want|needs|need|is\s+looking|are\s+looking|looking|can|could|offers|lends|gives|seeks)\b",
    re.IGNORECASE,
)
"""The verb after a structure that says what it does or wants, in one clause (« la ville de Bron cherche … », "our
company would like …"): what comes before it is who writes."""


def _writer_part(sentence: str) -> str:
    """The part of a first message that says who writes, before what it asks or offers (« Emma here, CSR at
    Boulangerie Dupont » before "We'd like to offer …", « la ville de Bron » before « cherche une entreprise »); ""
    when it starts with what it asks."""
    before = _split_request(sentence)[0]
    if before:
        return before
    found = _STRUCTURE_DOES.search(" ".join(sentence.split()))
    return sentence[: found.start()] if found is not None else ""


def writer_kind(sentence: str, options: Sequence[tuple[str, Sequence[str]]]) -> int | None:
    """The one type of structure (``options``: each value and its folded labels and words) a first message says its
    writer is: named where they say who they are (« Emma, responsable RSE chez Dupont, on voudrait aider une
    association » → a company, "Bron town council here, we'd like to work with a company" → a local authority), a
    business they work at only there (:data:`WORKPLACE_WORDS`: « CSR at Boulangerie Dupont »); else named once in
    the whole message (« notre entreprise voudrait … »). None when it names none or several, or denies it."""
    labels = [list(words) for _, words in options]
    sentence = without_town_parts(sentence)  # « on est dans le centre-ville de Bron »: a place, no « ville »
    who = _writer_part(sentence)
    if who and not negated(fold(who)):
        named = phrases_in_sentence(who, labels)
        if not named and _NOT_A_BUSINESS.search(fold(who)) is None:  # « c'est le garage Martin »: a business where who writes is said
            named = phrases_in_sentence(who, [list(WORKPLACE_WORDS.get(value, ())) for value, _ in options])
        if len(named) == 1:
            return named[0]
        if named:  # « je suis bénévole au club et à la mairie »: several, none proposed
            return None
    if negated(fold(sentence)):
        return None
    named = phrases_in_sentence(sentence, labels)
    return named[0] if len(named) == 1 else None


_SMS_PRESENTING: tuple[tuple[re.Pattern[str], Any], ...] = (
    (re.compile(r"\b(moi)\s+c(?=\s+\w)(?!\s+est\b)", re.IGNORECASE), r"\1 c'est"),
    (re.compile(r"(^(?:" + HELLO + r"\b[\s,!.]*)?|[,.;:!?]\s*)(c)\s+moi\b", re.IGNORECASE), r"\1\2'est moi"),
    (  # "hi its karim, president of the …", "Karim here, chair of the …": "this is karim, …" when a structure follows
        re.compile(
            r"^((?:" + HELLO + r"\b[\s,!.]*)?)(?:it['’]?s|it is)\s+([\w\-]+)(\s*,?\s+)(?=(?:[\w\-]+\s+){0,3}(?:of|from|at|with)\s+the\b)"
            r"|^((?:" + HELLO + r"\b[\s,!.]*)?)(?!(?:we|i|you|they|everyone|nobody|someone|people)\b)([\w\-]+)\s+here(\s*,?\s+)"
            r"(?=(?:[\w\-]+\s+){0,3}(?:of|from|at|with)\s+the\b)",
            re.IGNORECASE,
        ),
        lambda m: f"{m[1] or m[4] or ''}this is {m[2] or m[5]}{m[3] or m[6]}",
    ),
)


def spoken_presenting(text: str) -> str:
    """``text`` with the SMS way of saying who writes spelt out (« moi c karim » → « moi c'est karim »,
    « c moi karim du club … » → « c'est moi karim du club … »), read as any presentation; unchanged otherwise."""
    for pattern, written in _SMS_PRESENTING:
        text = pattern.sub(written, text)
    return text


_MONTHS = (
    r"(?:janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre|"
    r"january|february|march|april|may|june|july|august|september|october|november|december)"
)
_WEEKDAYS = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?"
_CONTEXT_LEAD = re.compile(
    r"^(?:(?:et|and|also|aussi)\s+)?(?:dans\s+le\s+cadre|[àa]\s+l['’ ]\s*occasion|en\s+vue|en\s+pr[ée]vision|en\s+amont|"
    r"dans\s+la\s+perspective|afin|lors|[àa]\s+la\s+suite|suite\s+[àa]|durant|pendant|comme\s+chaque\s+ann[ée]e|"
    r"pour\s+(?:l['’ ]|la|le|les|notre|nos|cette|ce|cet|un|une|pr[ée]parer|organiser|accompagner|r[ée]aliser|mener)|"
    r"as\s+part\s+of|in\s+(?:preparation|view|the\s+run[\s\-]up)|ahead\s+of|on\s+the\s+occasion|following|during|"
    r"for\s+(?:our|the|this|next|a|an|its)|to\s+(?:prepare|organi[sz]e|run|help\s+with|set\s+up)|every\s+year|"
    r"(?:ce|cette|cet|this|next|le|les|on|on\s+the)?\s*"
    + _WEEKDAYS
    + r"|(?:le|on\s+the|on)?\s*\d{1,2}(?:er|st|nd|rd|th)?\s+"
    + _MONTHS
    + r"|(?:d[ée]but|fin|mi)[\s\-]"
    + _MONTHS
    + r"|(?:en|in|this|next|cet|ce)\s+(?:"
    + _MONTHS[3:-1]
    + r"|[ée]t[ée]|automne|hiver|printemps|summer|autumn|fall|winter|spring))\b",
    re.IGNORECASE,
)
"""The start of a clause that sets what is asked in its context — an event, a date, a purpose (« Dans le cadre de la
Fête des associations du 13 juin, », "As part of our spring fair on Saturday,"): part of what is asked, never who
writes."""


def _with_its_context(clauses: Sequence[str], index: int) -> int:
    """Where what is asked at ``clauses[index]`` starts with its context: the earliest clause before it that sets an
    event, a date or a purpose (:data:`_CONTEXT_LEAD`), with no clause presenting who writes in between."""
    start = index
    for earlier in range(index - 1, -1, -1):
        clause = clauses[earlier]
        words = _words(clause).replace("'", " ")
        if _CONTEXT_LEAD.match(without_courtesy(clause) or clause):
            start = earlier
        elif _PRESENTING.match(words) or writes_oneself(clause) or _GREETING.match(clause) or earlier == 0:
            break
    return start


def _split_request(text: str) -> tuple[str, str]:
    before, asked = _split_request_only(text)
    if not before:
        return before, asked
    clauses = [clause for clause in _CLAUSE_SPLIT.split(spoken_presenting(" ".join(text.split()))) if clause]
    cut = next((index for index in reversed(range(len(clauses))) if " ".join(clauses[index:]).endswith(asked[1:])), None)
    if cut is None:
        return before, asked
    start = _with_its_context(clauses, cut)
    if start == cut:
        return before, asked
    return _cut_at(clauses, start) if start else ("", text)


def _split_request_only(text: str) -> tuple[str, str]:
    clauses = [clause for clause in _CLAUSE_SPLIT.split(spoken_presenting(" ".join(text.split()))) if clause]
    wished = None
    for index, clause in enumerate(clauses):
        guess = _guess(_listing_words(clause))
        if guess.kind is None and index and _WISHING.match(clause):  # « … on voudrait des tables »: a wish is a need
            guess = replace(guess, kind="need")
        if guess.kind is not None and guess.categories:  # "Les Jardins partagés" offers nothing: a name
            if index == 0 and len(clauses) > 1 and _SAYING_WHO.match(_words(clause).replace("'", " ")):
                presenting = next((i for i in range(1, len(clauses)) if _asks_in_first_person(clauses[i])), None)
                if presenting is not None:  # « je suis bénévole au secours populaire … on a besoin de chauffeurs »
                    return _cut_at(clauses, presenting)
            if wished is not None and starts_asking(clauses[wished]):
                # « nous sommes le FC Bron, on cherche des maillots … et on peut prêter nos buts »: the need named
                # no category, the offer after it does — what is asked starts with the need, never left in who writes
                return _cut_at(clauses, wished)
            return _cut_at(clauses, index)
        if guess.kind is not None and wished is None and index:
            wished = index
    before = " ".join(clauses[: wished or 0])
    if wished is not None and (_PRESENTING.match(_words(before).replace("'", " ")) or _a_person_writes(before)):
        # « Nous sommes la Ville de X, nous proposons un accompagnement », "Emma here, CSR at …. We'd like to offer …":
        # no category, still cut — who writes (a structure, a person) is never what is offered
        return _cut_at(clauses, wished)
    return "", text


_IT_IS = re.compile(r"^(?:" + HELLO + r"\b[\s,!.]*)?(?:it s|its|it is)\b")
"""« It's … » at a message's start: a person only with a structure after it ("It's Karim from the …", read apart), else
how things are ("It's urgent, …")."""


def _a_person_writes(text: str) -> bool:
    """Whether ``text`` says who writes, a person by a first name or a role ("Emma here, CSR at …", « c Karim du club
    … »), never "It's urgent"."""
    return writes_oneself(text) and _IT_IS.match(_words(text).replace("'", " ")) is None


_WISHING = re.compile(
    r"^(?:nous|on|je|j['’]\s*|we|i|we['’]d|i['’]d)\s*(?:voudr|voul|aimer|souhait|would\s+like|like|want)\w*\b", re.IGNORECASE
)
"""A clause that starts with a wish said in the first person (« on voudrait des tables », "we'd like a van")."""


def _asks_in_first_person(clause: str) -> bool:
    """Whether a clause asks or offers something in the first person (« on a besoin de chauffeurs »)."""
    return bool(_guess(_listing_words(clause)).categories) and starts_asking(clause)


def starts_asking(text: str) -> bool:
    """Whether ``text`` starts by asking or offering in the first person (« on aurait besoin d'un
    vidéoprojecteur », "we can lend…"), whatever it names: no presentation of who writes."""
    start = _CLAUSE_SPLIT.search("a " + text)  # the cut before a first-person verb, at its start
    return start is not None and start.start() == 1 and _guess(_listing_words(text)).kind is not None


def _cut_at(clauses: Sequence[str], index: int) -> tuple[str, str]:
    kept = _PART_LEAD.sub("", " ".join(clauses[index:])).strip(" ,;")
    kept = _AS_SAID_LEAD.sub("", kept) or kept  # « …, comme je disais, on cherche des outils »: in neither part
    before = re.sub(r"\s+(?:et|and|mais|but|so|donc|alors)$", "", " ".join(clauses[:index]).strip(" ,;:"), flags=re.IGNORECASE)
    before = _AS_SAID_END.sub("", before)
    return before[:1].upper() + before[1:], kept[:1].upper() + kept[1:]


# ---------------------------------------------------------------- consents, erasure, what the bot is

_CONSENT_TOPICS = {
    "matching": frozenset(
        "suggestion suggestions suggerer suggere suggeres relation relations propositions matching introductions".split()
    ),
    "calls": frozenset("appel appels call calls coordinateurs coordinateur coordinators".split()),
}
_CONSENT_NEGATIONS = frozenset("pas ni sans aucun aucune jamais non no not without nor neither never dont".split())
_ONLY = re.compile(r"\b(?:seulement|uniquement|juste|que|only|just)\b")


def consents_named(text: str) -> str | None:
    """The consents a sentence gives, by what it names and what it denies ("les suggestions
    seulement, pas les appels svp" → "matching"; "no suggestions, calls only" → "calls"; "ni
    suggestions ni appels" → "no"; "les suggestions et les appels" → "yes"). A negation says no
    only to the word it stands before. None when it names neither, or says nothing clear."""
    words = _words(text).replace("'", " ")
    tokens = re.sub(r"[,;.!?:]+", " , ", fold(text).replace("'", " ").replace("’", " ")).split()
    said: dict[str, bool] = {}
    for index, token in enumerate(tokens):
        topic = next((name for name, nouns in _CONSENT_TOPICS.items() if token in nouns), None)
        if topic is None or topic in said:
            continue
        denied = False
        for before in reversed(tokens[max(0, index - 3) : index]):
            if before == "," or any(before in nouns for nouns in _CONSENT_TOPICS.values()):
                break
            denied = denied or before in _CONSENT_NEGATIONS
        said[topic] = not denied
    if not said:
        return None
    matching, calls = said.get("matching"), said.get("calls")
    if matching is None or calls is None:  # one named: "seulement les suggestions", "pas les appels"
        only = bool(_ONLY.search(words))
        named = matching if matching is not None else calls
        if named and only:
            calls, matching = (False, True) if matching is not None else (True, False)
        elif named is False and only:  # "pas les appels, seulement…": nothing clear
            return None
        elif named is False:  # "pas les appels" alone: the other one yes
            matching, calls = (False, True) if matching is not None else (True, False)
        else:
            return None
    return {(True, True): "yes", (True, False): "matching", (False, True): "calls", (False, False): "no"}[(bool(matching), bool(calls))]


_ERASURE = re.compile(
    r"\b(?:(?:effac|supprim|retir|detrui|delete|eras|remov)\w*\b.{0,40}\b(?:donnees|donnee|data|compte|account|profil|profile|informations|infos)|"
    r"(?:droit a l oubli|rgpd|gdpr|right to be forgotten))\b"
)
_ERASURE_OF_ME = re.compile(
    r"\b(?:(?:effac|supprim|detrui|delete|eras|wipe)\w*\b(?: \w+)?? (?:tout|everything|all)\b.{0,30}\b(?:sur moi|sur nous|de moi|"
    r"me concernant|nous concernant|vous avez|vous savez|tu as|tu sais|you have|you ve got|you hold|you know|on me|about me|on us|about us)|"
    r"(?:effacez|supprimez|efface|supprime|delete|erase|remove|wipe) (?:moi|me|nous|us))\b"
)
"""A wish to be forgotten said to the bot (« supprimez tout ce que vous avez sur moi », "delete everything you have
on me", « supprimez-moi »): the person's own data, whatever else the sentence says."""


def asks_erasure(text: str) -> bool:
    """Whether a sentence asks to delete one's data or account ("je veux que vous effaciez toutes mes
    données svp, RGPD", "how do I delete my account and all my data?"): pointed to /supprimer and
    /mesdonnees, never acted on (deleting takes its own command and confirmation)."""
    if len(text) > 300 or word_count(text) < 2:
        return False
    words = _words(text).replace("'", " ")
    if _ERASURE_OF_ME.search(words):
        return True
    # about one's own data ("mes données", "my account"): "nous aidons les seniors à effacer leurs données" is a description
    return bool(_ERASURE.search(words)) and bool(
        re.search(r"\b(?:mes|mon|ma|nos|notre|moi|my|our|me|us|rgpd|gdpr|oubli|forgotten)\b", words)
    )


_ABOUT_THE_BOT = re.compile(
    r"\b(?:(?:c est|c etait|cest) (?:pour|quoi) (?:quoi|ce bot|ce robot|ce truc|ca)|(?:a )?quoi (?:il |ca |tu )?sert(?: ce)?(?: bot| robot| truc)?|"
    r"(?:ce|le) (?:bot|robot) (?:fait|sert)|tu (?:fais|sers) quoi|vous (?:faites|servez) (?:a )?quoi|qui (?:es tu|etes vous)|"
    r"what (?:is|s) (?:this|this bot|it|trait d union)|what (?:does|do) (?:this bot|this|it|you) do|who are you|what (?:is|s) this for|how does (?:this|it) work)\b"
    r"|^(?:\w+ )?(?:c est|c etait|cest|c|ces|c koi) (?:pour )?(?:quoi|koi)(?: (?:ce|cet|cette|ton|votre|le) (?:bot|robot|truc|machin|appli|application|service|outil|site|chat|compte)| trait d union| ca| exactement)?$"
    r"|\b(?:ca|sa|ce bot|ce truc|il|tu|vous) (?:sert|sers|servez) (?:a|à) (?:quoi|koi)\b"
)
"""What the bot is asked (« c'est pour quoi ce bot ? », « c quoi ce truc », « ça sert à quoi ? », "what is this?")."""


def asks_about_the_bot(text: str) -> bool:
    """Whether a message asks what the bot is or does ("salut 👋 c'est pour quoi ce bot ?", "what is this?")."""
    return len(text) <= 200 and bool(_ABOUT_THE_BOT.search(_words(text).replace("'", " ")))


_EVENT_LEAVE = re.compile(
    r"\b(?:annul\w*|desinscri\w*|desister|retir\w* (?:mon|notre|nos) (?:inscription|place)\w*|"
    r"(?:ne )?(?:pourr\w*|peu\w*|sera\w*|viendr\w*|vien\w*) pas (?:venir|la|present\w*)|plus venir|"
    r"cancel\w*|unregister|withdraw|(?:can t|cannot|can not|won t|will not|not) (?:make it|come|be there|attend))\b"
)
_EVENT_JOIN = re.compile(
    r"\b(?:inscri\w*|je (?:viens|viendrai)|on (?:vient|viendra)|nous (?:venons|viendrons)|partant\w*|"
    r"sign (?:me|us) up|count (?:me|us) in|register|we ll come|i ll come|we will come|i will come)\b"
)


def event_intent(text: str) -> str | None:
    """What a sentence at an event's details wants: "leave" ("finalement on ne pourra pas venir,
    annulez mon inscription", "we can't make it, cancel my place"), "join" ("inscrivez-nous",
    "count me in"), or None (neither, or both)."""
    if len(text) > 300:
        return None
    words = _words(text).replace("'", " ")
    leave, join = bool(_EVENT_LEAVE.search(words)), bool(_EVENT_JOIN.search(words))
    if leave:  # "annulez mon inscription" names the registration it leaves
        return "leave"
    return "join" if join else None


# ---------------------------------------------------------------- an answer that goes on, a correction, "all", others' listings

_GOES_ON_BREAK = re.compile(r"\s*[,;]\s+|\s+[—–-]\s+|\s*\(\s*(?=[a-zà-ý])")
_PLACE_CLAUSE = re.compile(
    r"^(?:(?:on est|on se trouve|nous sommes|we are|we re|we r|located|based|situe\w*|installe\w*|implante\w*|base|basee?s?|"
    r"domicilie\w*|sis|sise)\s+)*(?:a|au|aux|en|sur|dans|in|at|near|pres de|vers|from)\s+(?P<place>.+)$"
)


def name_and_rest(text: str) -> tuple[str, str]:
    """A name answer that goes on in a sentence ("US St Martin foot, on est a st martin en haut (69)",
    "Green Wheels - we are based in Lyon"): the name before the break, and what follows; ``(text, "")``
    when nothing follows that speaks or says where (a name with a comma, "Secours populaire,
    antenne de Lyon", stays whole)."""
    parts = _GOES_ON_BREAK.split(text.strip(), maxsplit=1)
    if len(parts) < 2:
        return text, ""
    head, rest = parts[0].strip(" ,;.!"), parts[1].strip(" ,;.!")
    if rest.count(")") > rest.count("("):  # "Vélo Cité (on est à Roubaix)"
        rest = rest.rstrip(" )")
    words = _words(rest).replace("'", " ")
    if len(head) < 2 or not (head[:1].isupper() or head[:1].isdigit()) or reads_as_sentence(head) or not words:
        return text, ""
    if not (reads_as_sentence(rest) or _PLACE_CLAUSE.match(words)):
        return text, ""
    return head, rest


def place_in_rest(rest: str) -> str | None:
    """The place words of what followed a name ("on est a st martin en haut (69)" → "st martin en
    haut (69)", "we are based in Lyon" → "Lyon"); None when it says no place."""
    words = " ".join(rest.replace("’", "'").split()).strip(" .!")
    found = _PLACE_CLAUSE.match(_words(words).replace("'", " "))
    if found is None:
        return None
    kept = found.group("place")
    count = len(kept.split(" "))  # the same last words of the text as typed (parentheses, capitals kept)
    typed = words.split(" ")
    return " ".join(typed[-count:]) if len(typed) >= count else kept


_CORRECTION_LEAD = re.compile(
    r"^(?:(?:non|no|nope|nan|pardon|sorry|desole|desolee|oups|oops|en fait|actually|finalement|plutot|rather|"
    r"je me suis trompe\w*|i made a mistake|my mistake|wrong|erreur|hmm|hum|euh|well|ah|oh|wait|attendez)\b\s*)+"
)


def without_correction(text: str) -> str:
    """A correction's words without its leading "no", "sorry", "actually" ("no its a company, Novatek"
    → "its a company, Novatek"); "" when nothing else is said."""
    words = _words(text).replace("'", " ")
    found = _CORRECTION_LEAD.match(words)
    if found is None or not found.group(0).strip():
        return text.strip()
    lead = found.group(0).split()
    kept = text.strip()
    for word in lead:  # the same words off the text as typed (its capitals are a name's)
        at = re.search(r"[\w’']+", kept)
        if at is None or fold(at.group(0)).replace("'", "") != word:
            break
        kept = kept[at.end() :]
    return kept.strip(" ,;:.!-—")


_AFFIRMING = re.compile(r"\b(?:on est|nous sommes|c est|cest|c|we re|we are|it s|its|it is|mais|but|plutot|rather|juste|just)\b")
"""Words that say what something is, after a denial (« c pas une collectivite, on est une entreprise »)."""


def affirmed_after_denial(text: str) -> str:
    """What a sentence that denies says instead (« non c pas une collectivite on est une entreprise !! » → « une
    entreprise », "no we're not a charity, we're a company" → "a company"): the folded words after its last
    affirming words that deny nothing; the folded sentence when it denies nothing; "" when it only denies."""
    words = _words(text).replace("'", " ")
    if not negated(words):
        return words
    for found in reversed(list(_AFFIRMING.finditer(words))):
        tail = words[found.end() :].strip()
        if tail and not negated(tail):
            return tail
    return ""


_DENIES_PREVIOUS = re.compile(
    r"^(?:(?:non|no|nope|nan|mais non|euh|hein|what|quoi)\b[\s,!.]*)*"
    r"(?:c est pas|c pas|cest pas|ce n est pas|ce nest pas|c etait pas|pas ca|pas du tout|ca va pas|that s wrong|that is wrong|"
    r"wrong|that s not|that is not|thats not|it s not|its not|it is not|not (?:a|an|that|it|right|correct)|we re not|we are not|"
    r"on n est pas|on est pas|nous ne sommes pas|je ne suis pas|je suis pas|i m not|i am not|erreur|mistake)\b"
)
"""The start of a protest at what was just noted (« non c pas ça », « c'est pas une collectivité », "no that's
wrong", "we're not a council")."""


def denies_previous(text: str) -> bool:
    """Whether ``text`` protests against the answer just noted (:data:`_DENIES_PREVIOUS`): never a name."""
    return _DENIES_PREVIOUS.match(_words(text).replace("'", " ")) is not None


_NAME_IS = re.compile(
    r"^(?:(?:le|notre|son|the|our|its|it s)\s+)?(?:nom|name)\s+(?:c est|est|is|should be|doit etre|serait|would be)\s+|"
    r"^(?:on s appelle|nous nous appelons|ca s appelle|we re called|we are called|it s called|it is called|called|appelee?s?)\s+"
)


def name_given(text: str) -> str | None:
    """The name a sentence gives outright at another question ("the name is Novatek", "le nom c'est
    Les Mains Vertes", "on s'appelle Vélo Cité"): the name as typed, None otherwise."""
    words = _words(without_correction(text) or text).replace("'", " ")
    found = _NAME_IS.match(words)
    if found is None:
        return None
    count = len(words[found.end() :].split(" "))
    typed = " ".join((without_correction(text) or text).split()).strip(" .!").split(" ")
    name = " ".join(typed[-count:]).strip(" \"'«»“”")
    return name if len(name) >= 2 else None


def company_then_name(text: str) -> str | None:
    """The name that follows a type given in a sentence ("its a company, Novatek", "c'est une
    entreprise : Novatek", "a company called Novatek"): its last part, a capitalised name; None
    when no such part follows."""
    kept = without_correction(text)
    found = re.search(r"(?:[,:;]|\b(?:called|named|appelee?s?|nommee?s?|qui s['’]appelle))\s*(?P<name>[A-ZÀ-Ý0-9][^,;:]*)$", kept)
    if found is None:
        return None
    name = found.group("name").strip(" .!\"'«»“”")
    return name if len(name) >= 2 and not reads_as_sentence(name) else None


_ALL_MEANT = re.compile(
    r"^(?:(?:un peu|a bit|a little)\s+)?(?:(?:de|of)\s+)?(?:tout|tous|toutes|everything|all|all of them|all of it|all themes|"
    r"tous les themes|tous les sujets|toutes les thematiques|any|anything)(?:\s+(?:un peu|ca|of them|les themes|themes|please|svp|merci))*$"
)


_BOTH_MEANT = re.compile(
    r"^(?:(?:oui|yes|ok)\s+)?(?:(?:a|aux|pour|to|for)\s+)?(?:(?:tous|toutes|les|the|all)\s+(?:les\s+)?(?:deux|2|two)|both(?:\s+of\s+them)?|"
    r"l un et l autre|l une et l autre|(?:les|the)\s+(?:deux|2|two)\s+(?:options|choix|choices))"
    r"(?:\s+(?:svp|stp|please|merci|thanks|thank you|options|choix))*$"
)


def means_both(text: str) -> bool:
    """Whether an answer takes both of two things ("les 2", "les deux", "tous les deux", "both of them",
    "l'un et l'autre"): at a question whose one option says yes to both (« Oui aux deux »), that option."""
    return bool(_BOTH_MEANT.match(_words(text).replace("'", " ").strip()))


def means_all(text: str) -> bool:
    """Whether an answer to a list of options takes them all ("un peu tout", "de tout", "un peu de
    tout", "de tout un peu", "all of them", "a bit of everything")."""
    words = _words(text).replace("'", " ").strip()
    return bool(words) and (words in ALL_WORDS or bool(_ALL_MEANT.match(words)))


_OTHERS_LISTINGS = re.compile(
    r"\b(?:les|des|the|quels sont les|quelles sont les|what are the|which|what|any|other|autres|all the|toutes les|tous les)\s+"
    r"(?:(?!mes|nos|my|our)\w+\s+){0,2}?(?:besoins|offres|needs|offers|annonces|listings|demandes|requests|propositions)\b"
)
_WISH_TO_SEE = re.compile(
    r"^(?:" + HELLO + r"\s+)?(?:je|j|on|nous|we|i|i d|i would|we d|we would)\s+(?:\w+\s+){0,3}?"
    r"(?:voir|consulter|regarder|parcourir|connaitre|savoir|see|view|browse|look at|check|know|find out)\b"
)


def asks_about_listings(text: str) -> bool:
    """Whether ``text`` asks to see the needs or offers of others ("c quoi les besoins des assos de
    villeurbanne ?", "je veux voir les besoins des associations", "show me the needs", "what are
    the offers here?"): a question or a wish to see, naming listings that are not the person's own."""
    words = _words(text).replace("'", " ")
    if not _OTHERS_LISTINGS.search(words):
        return False
    if _WISH_TO_SEE.match(words):
        return True
    return (is_question(text) or bool(_SHOW_ME.search(words))) and not _OWN_WISH.match(words)


_SOMEONE = r"(?:quelqu un|quelquun|qqn|qq1|qqun|kelkun|kelk1|quelque un|des gens|personne|anyone|anybody|someone|somebody|people)"
_LISTING_NOUN = (
    r"(?:annonces?|besoins?|offres?|demandes?|propositions?|publications?|"
    r"listings?|ads?|adverts?|adverti[sz]ements?|posts?|needs?|offers?|requests?|announcements?)"
)
_OWN_LISTING = re.compile(
    r"\b(?:mon|ma|mes|notre|nos|my|our)\s+(?:\w+\s+){0,2}?" + _LISTING_NOUN + r"\b"
    r"|\b(?:l|cette|the|this)\s+(?:annonce|listing|ad)\b"
)
"""The person's own listing named (« mon annonce de pain », « notre besoin de bénévoles », "my bread offer",
"our van request", « l'annonce »): possessive, or one listing with the definite article (« les annonces » are others')."""
_LISTING_STATE = re.compile(
    r"\b(?:vu(?! qu)|vue|vues|lu|lue|lues|consulte\w*|regarde|regardee|repondu|reponses?|retours?|reagi|contacte\w*|"
    r"(?:des|de|pas de|aucune?) nouvelles?|nouvelles? (?:de|du|des|pour|sur|concernant)|"
    r"(?:toujours|encore|bien|tjrs|tjs|est|est elle|est il|sont|sont elles|sont ils) "
    r"(?:en ligne|visible\w*|active?|actif|publiee?s?|la|dispo\w*|ouverte?s?)|"
    r"publiee?s?|expiree?s?|cloturee?s?|ca donne quoi|donne quoi|ou en est|ou en sont|ou ca en est|quoi de neuf|ca avance|"
    r"ca a marche|ca marche|statut|"
    r"seen|viewed|answered|replied|responded|repl(?:y|ies)|responses?|news|updates?|heard|contacted|"
    r"(?:shown|showed|any) interest|any luck|how (?:is|s|are)|(?:still|is it|are they|is it still|are they still|it s|they re) "
    r"(?:up|online|live|visible|active|there|running|open|on|published)|status|(?:s|is) happening)\b"
)
"""What asks how one's listing is doing: seen, answered, news, still online (« toujours en ligne »), how it goes
(« ça donne quoi »)."""
_ANSWERS_RECEIVED = re.compile(
    r"\b(?:j|g|jai|on|nous|je)\s*(?:ai|a|avons)?\s+(?:eu|recu)\s+(?:des|une|de|d|du|quelque|aucune?)?\s*"
    r"(?:reponses?|retours?|nouvelles|messages?|contacts?|propositions?)\b"
    r"|\b(?:y|ya|il y)\s*(?:a|a t il|a til)?\s*(?:eu\s+)?(?:des|une|de|d|du|quelques?)\s+(?:reponses?|retours?)\b"
    r"|\b" + _SOMEONE + r"\s+(?:m a|nous a|n a|a|ont|m ont|nous ont|n ont)\s+(?:deja\s+|encore\s+|pas\s+|jamais\s+)*"
    r"(?:repondu|reagi|contacte\w*|ecrit)\b"
    r"|\b(?:toujours pas|pas encore|aucune?|pas) de (?:reponses?|retours?|nouvelles)\b"
    r"|\b(?:did|have|has|had)\s+(?:i|we|anyone|anybody|someone|somebody)\s+(?:got|get|gotten|had|received|receive|heard)?\s*"
    r"(?:any|a|some)?\s*(?:repl(?:y|ies)|answers?|responses?|news|back)\b"
    r"|\b(?:did|has|have)\s+(?:anyone|anybody|someone|somebody|people)\s+(?:replied|answered|responded|reply|answer|respond|"
    r"contacted|contact|written|wrote|got in touch|gotten in touch|been in touch)\b"
    r"|\b(?:anyone|anybody|someone|somebody)\s+(?:replied|answered|responded|got in touch|been in touch)\b"
    r"|^(?:any|no)\s+(?:repl(?:y|ies)|answers?|responses?|news|updates?|luck)\b"
    r"|^(?:(?:et|alors|sinon|bonjour|salut)\s+)?(?:des|pas de|toujours pas de|aucune?) (?:nouvelles|reponses?|retours?)\b"
)
"""What asks whether answers came (« j'ai eu des réponses ? », « y a eu des réponses ? », « qqn a répondu ? »,
"did I get any replies?", "any news?"): about the person's listings, whichever names none."""
_HOW_IT_GOES = (
    r"(?:des nouvelles|du nouveau|rien de neuf|quoi de neuf|toujours rien|ca avance|ca donne quoi|ou ca en est|ca en est ou|"
    r"ou en est|any news|any updates?|anything new|how is it going|how s it going|hows it going|how are things going)"
)
_PROGRESS_ASKED = re.compile(
    r"\b" + _HOW_IT_GOES + r"\s+(?:\w+\s+){0,2}?(?:(?:pour|du|de|des|sur|concernant|avec|for|on|about|with)\s+)?"
    r"(?:le|la|les|l|mon|ma|mes|notre|nos|the|my|our)\s+\w+"
    r"|\b(?:pour|concernant|for|about)\s+(?:le|la|les|l|mon|ma|mes|notre|nos|the|my|our)\s+\w+(?:\s+\w+){0,3}?\s+" + _HOW_IT_GOES + r"\b"
)
"""How a thing named with an article or a possessive goes (« des nouvelles pour le camion », « ça avance le camion », « et pour
le camion, du nouveau », "how is it going with the van"): the person's listing that speaks of it, asked about."""
_THING_ASKED_AFTER = re.compile(
    r"^(?:(?:et|alors|du coup|bon|bah|ben|sinon|and|so|what about|how about)\s+)+(?:(?:pour|concernant|niveau|cote|for)\s+)?"
    r"(?:le|la|les|l|mon|ma|mes|notre|nos|the|my|our)\s+\w+(?:\s+\w+)?(?:\s+(?:alors|du coup|then|now))?\s*$"
)
"""A thing named alone after « alors » or « et », asked (« alors pour les barnums ? », « et les barnums alors ? », « alors
les tables ? », "and the van?"): how the person's listing about it goes, no new listing."""
_ASKS_STATE = re.compile(
    r"^(?:(?:" + HELLO + r"|et|and|so|alors|du coup|sinon|au fait|dites|dis)\s+)*"
    r"(?:est ce que|est ce qu|est ce|" + _SOMEONE + r"|y a|ya|il y a|j ai|jai|g|on a|avons nous|ai je|"
    r"des nouvelles|pas de nouvelles|toujours pas|ca donne|ou en|quoi de neuf|"
    r"any|no|has|have|had|did|does|do|is|are|was|were|how|what|whats|where|still)\b"
)
"""First words that make a sentence without a question mark ask (« qqn a vu mon annonce », « des nouvelles du
camion », "any news about my van request")."""
_OWN_STATE_ASIDE = frozenset(
    (
        *"est ce que qu quelqu quelque un quelquun qqn qq1 qqun kelkun kelk1 des gens personne a as ai avons avez ont eu recu m n nous "
        "vu vue vues lu lue lues consulte consultee regarde regardee repondu reponse reponses retour retours reagi contacte "
        "contactee contactes ecrit nouvelle nouvelles mon ma mes notre nos votre vos l la le les un une de du d pour sur au "
        "aux propos concernant annonce annonces besoin besoins offre offres demande demandes proposition propositions "
        "publication publications toujours encore tjrs tjs en ligne visible visibles active actif publiee publie publiees "
        "expiree expire cloturee cloture ligne depuis hier aujourd hui semaine dernier derniere maintenant jours mois y ya il elle ils elles ca c donne quoi ou sont neuf avance marche suite suites statut etat "
        "j je jai g on vous tu pas deja bien alors et sinon au fait dites dis svp stp merci bonjour salut coucou hello hi "
        "aucun aucune jamais quelques quelque dispo disponible valable ouverte ouvert cette ces ce t til "
        "has have had anyone anybody someone somebody people seen saw viewed read answered replied responded reply replies "
        "answer answers response responses any news update updates about on for my our the a an of is are was were it its "
        "still up online live there running open did do does i we get got gotten received receive heard back from how "
        "what whats s happening with doing going listing listings ad ads advert adverts advertisement post posts need "
        "needs offer offers request requests announcement announcements luck yet please thanks hey so and this that "
        "shown showed interest contacted contact written wrote touch been in me us no status published expired closed "
        "since yesterday today week last now ago days voudrais voudrait voudrions aimerais aimerait savoir demandais demande "
        "ete etait wondering wonder know tell whether".split(),
        *GREETINGS,
    )
)
"""Words of a question about one's listing that do not name it (all but « pain » in « est-ce que quelqu'un a vu mon
annonce de pain ? »)."""
_NEED_WORDS = frozenset(("besoin", "besoins", "demande", "demandes", "need", "needs", "request", "requests"))
_OFFER_WORDS = frozenset(("offre", "offres", "proposition", "propositions", "offer", "offers"))


@dataclass(frozen=True, slots=True)
class OwnListingQuestion:
    """A question about the person's own listings (:func:`asks_about_own_listing`)."""

    kind: str | None
    """"need" or "offer" when the question says which (« mon besoin », "my offer"), else None."""
    words: tuple[str, ...]
    """The folded words that may name the listing (« pain » in « quelqu'un a vu mon annonce de pain ? »), none when it
    names none."""
    answers: bool = False
    """Whether it asks if answers came (« y a eu des réponses ? », « qqn a répondu ? », "any replies?")."""
    call: bool = False
    """Whether it names a coordinator's call (« des nouvelles de mon appel ? », "any replies to my call?")."""


def asks_about_own_listing(text: str) -> OwnListingQuestion | None:
    """Whether ``text`` asks about the person's own listings rather than declaring one: how one is doing
    (« est-ce que quelqu'un a vu mon annonce de pain ? », « mon besoin de bénévoles est toujours en ligne ? »,
    « ça donne quoi mon offre de salle », "has anyone seen my bread offer?", "is my listing still up?") or whether
    answers came (« j'ai eu des réponses pour le camion ? », « y a eu des réponses ? », "any news about my van
    request?"). A need asked as a question (« vous auriez quelqu'un pour nous prêter un camion ? », "does anyone have
    a van to lend?") is none: it names no listing of theirs nor answers received. None when it is no such question."""
    words = _words(text).replace("'", " ")
    if not words:
        return None
    own = _OWN_LISTING.search(words)
    about = (
        (own is not None and _LISTING_STATE.search(words) is not None)
        or _ANSWERS_RECEIVED.search(words) is not None
        or (("?" in text or _LISTING_ASKED.search(words) is not None) and _PROGRESS_ASKED.search(words) is not None)
        or ("?" in text and _THING_ASKED_AFTER.match(words) is not None)
    )
    if not about or not ("?" in text or _ASKS_STATE.match(words) or _LISTING_ASKED.search(words)):
        return None
    if _WISH_SAID.search(words):  # « on a eu des retours, on cherche maintenant une salle ? »: a need said besides
        return None
    said = words.split(" ")
    kinds = {"need" for word in said if word in _NEED_WORDS} | {"offer" for word in said if word in _OFFER_WORDS}
    call = any(word in _CALL_WORDS for word in said)
    named = tuple(dict.fromkeys(w for w in said if len(w) >= 3 and not w.isdigit() and w not in _OWN_STATE_ASIDE and w not in _CALL_WORDS))
    answers = _ANSWERS_RECEIVED.search(words) is not None
    return OwnListingQuestion(kind=next(iter(kinds)) if len(kinds) == 1 else None, words=named, answers=answers, call=call)


_CALL_WORDS = frozenset(("appel", "appels", "diffusion", "diffusions", "call", "calls", "broadcast", "broadcasts"))
"""The words naming a coordinator's call (« mon appel », "my call"): no listing of theirs."""


_WISH_SAID = re.compile(
    r"(?<!qu )(?<!que )(?<!that )\b(?:on|nous|je|j|we|i)\s+(?:\w+\s+)?"
    r"(?:cherch\w*|recherch\w*|propos\w*|offr\w*|pret\w*|donn\w*|aurions besoin|avons besoin|ai besoin|"
    r"need|needs|look for|looking for|offer|offering|lend|lending|give|giving)\b"
)
"""A need or an offer said in the same message (« on cherche », "we need"): the message declares one."""
_LISTING_ASKED = re.compile(
    r"\b(?:ca donne quoi|donne quoi|ou en est|ou en sont|quoi de neuf|des nouvelles|any news|any replies|any luck|"
    r"savoir si|demand\w* si|dites moi si|dis moi si|wonder\w* if|wonder\w* whether|know if|know whether|tell me if)\b"
)
"""Words that ask without a question mark (« ça donne quoi », « je voudrais savoir si … », "I was wondering if …")."""


THEME_HINTS: dict[str, tuple[str, ...]] = {
    "alimentation": ("aide alimentaire", "banque alimentaire", "epicerie solidaire", "distribution alimentaire", "restos du coeur",
                     "food bank", "food aid", "soup kitchen", "food parcels"),
    "sante": ("sante", "soins", "handicap", "medical", "health", "disability", "disabled"),
    "environnement": ("ecologi", "climat", "biodiversite", "recyclage", "dechets", "compost", "jardin partage", "jardins partages",
                      "jardin", "environment", "climate", "recycling", "community garden", "gardening"),
    "emploi_insertion": ("insertion", "emploi", "chomage", "employment", "unemploy", "job seekers"),
    "education_jeunesse": ("soutien scolaire", "aide aux devoirs", "jeunesse", "periscolaire", "youth", "homework", "tutoring"),
    "culture": ("musique", "theatre", "danse", "cinema", "chorale", "spectacle", "patrimoine", "bibliotheque", "music", "dance",
                "choir", "heritage", "library"),
    "sport": ("sport", "foot", "futsal", "basket", "rugby", "tennis", "handball", "volley", "natation", "judo", "karate", "boxe",
              "athletisme", "gymnasti", "escalade", "randonnee", "petanque", "soccer", "swimming", "athletics", "climbing"),
    "solidarite_social": ("solidarite", "precarite", "pauvrete", "sans abri", "entraide", "solidarity", "homeless", "poverty"),
    "numerique": ("inclusion numerique", "mediation numerique", "digital inclusion", "fracture numerique"),
    "logement": ("logement", "hebergement", "housing", "shelter"),
    "mobilite": ("velo", "mobilite", "covoiturage", "cycling", "bike", "bicycle", "carpool"),
    "citoyennete": ("vie de quartier", "citoyennete", "democratie", "comite de quartier", "citizenship", "residents association"),
}  # fmt: skip
"""Words that, in a presentation or a first message, say what the structure works on ("notre club de
foot" → Sport): the themes proposed ticked at the themes question (folded, each the start of a word)."""
THEME_ANSWER_WORDS: dict[str, tuple[str, ...]] = {
    theme: tuple(dict.fromkeys((*THEME_WORDS.get(theme, ()), *(w for w in THEME_HINTS.get(theme, ()) if " " not in w))))
    for theme in dict.fromkeys((*THEME_WORDS, *THEME_HINTS))
}
"""What answers the themes question: the words people use for a theme and the single words that say it
in a presentation (« foot et basket », « danse », "homework"): one vocabulary, whichever way it is said.
A hint of several words stays out: the question reads an option by any long word of its phrases, and
« épicerie solidaire », "residents association" would tick a theme for « solidaire », "association"."""


def themes_said(text: str) -> tuple[str, ...]:
    """The themes a presentation says ("trésorière du club de foot …" → ("sport",)), in the
    vocabulary's order; () when it names none."""
    return _named(f" {_words(text).replace(chr(39), ' ').replace('-', ' ')} ", THEME_HINTS)


# ---------------------------------------------------------------- asking for the other language

_LANGUAGE_NAMES: dict[str, str] = {"francais": "fr", "french": "fr", "anglais": "en", "english": "en"}
_NAMED_LANGUAGE = r"(?P<lang>francais|french|anglais|english)"
_REQUEST_VERB = (
    r"(?:parl\w*|ecri\w*|continu\w*|(?:re)?pass\w*|reven\w*|revenir|repond\w*|discut\w*|echang\w*|communiqu\w*|prefer\w*|utilis\w*|"
    r"speak\w*|writ\w*|talk\w*|switch\w*|carry on|answer\w*|repl\w*|chat|change|go on|use|rather)"
)
_BETWEEN = r"(?:\s+(?:pas|not|bien|well|un peu|en|in|to|au|a|l|le|the|plutot|only|seulement|uniquement|juste|just|me|moi|vous|you|nous|us|maintenant|now))*"
_LANGUAGE_VERB = re.compile(rf"\b{_REQUEST_VERB}{_BETWEEN}\s+{_NAMED_LANGUAGE}\b")
_REQUEST_MARK = re.compile(
    r"\b(?:peux|peut|pouvez|pouvons|pourrait|pourriez|pourrions|possible|svp|stp|plait|please|pls|plz|can|could|may|"
    r"prefere\w*|prefer\w*|rather|plutot|voudrais|voudrait|voudrions|veux|aimerais|want|would|lets|merci|thanks|"
    r"parlez|ecrivez|continuez|repondez|passons|continuons|switch|do you|est ce que)\b"
)
_ONLY_POLITE = frozenset(
    "en in le the au a l svp stp please pls plz s il vous te plait merci thanks si possible if ok okay plutot rather only "
    "seulement maintenant now back to switch go again retour revenir repasser repasse repassez vers oops oups".split()
)
"""Words that may stand with a language name in a clause that only asks for it (« retour au français », "oops, back to
English please")."""
_NEGATED = re.compile(r"\b(?:ne|n|pas|dont|don t|do not|not|cannot|cant|can t|no)\b")
_CLAUSES = re.compile(r"[,;.!?…:\n]+")


def language_requested(text: str) -> str | None:
    """The language a message explicitly asks for: "en français svp", « je peux écrire en
    français ? », « on préfère continuer en français », "can we speak English?", "English
    please", "in English" → that language; "je ne parle pas anglais" → the other one. A language
    named in passing ("des cours de français pour adultes", "we teach English") asks nothing: the
    language must be the whole of a clause (with "please", "en", "svp"…), or follow a verb of
    speaking or writing in a message that asks (a "?", "svp", "can", « peux »…)."""
    lowered = text.lower()
    if "fran" not in lowered and "fren" not in lowered and "ngl" not in lowered:  # no language named (most messages): nothing to read
        return None
    folded = fold(text).replace("’", "'").replace("'", " ").replace("-", " ")
    asks = "?" in text or _REQUEST_MARK.search(folded) is not None
    for clause in _CLAUSES.split(folded):
        words = clause.split()
        named = [word for word in words if word in _LANGUAGE_NAMES]
        if len(named) != 1:
            continue
        said = None
        if all(word in _ONLY_POLITE or word in _LANGUAGE_NAMES for word in words):
            said = named[0]
        else:
            found = _LANGUAGE_VERB.search(" ".join(words))
            after = words[words.index(named[0]) + 1 :]
            # the language ends the clause: not "on peut parler anglais dans nos ateliers"
            ends = all(word in _ONLY_POLITE or word in _FILLER or word in ("with", "avec") for word in after)
            negated = _NEGATED.search(" ".join(words[: words.index(named[0])])) is not None
            if found is not None and ends and (asks or negated):
                said = found.group("lang")
        if said is None:
            continue
        language = _LANGUAGE_NAMES[said]
        if _NEGATED.search(" ".join(words[: words.index(said)])):  # "je ne parle pas anglais": the other one
            language = "en" if language == "fr" else "fr"
        return language
    return None


_FILLER = frozenset(
    "ah oh euh eh hum hmm pardon desole desolee sorry oops oups excusez excuse moi me bonjour hello hi salut ok okay "
    "d accord alors bon well actually en fait au fait merci thanks please svp".split()
)


def answer_besides_request(text: str) -> str | None:
    """What a message asking for another language answers besides: the clause before the request
    (« Transports Delmotte, ah pardon je peux écrire en français ? » → "Transports Delmotte"),
    unless it is only "ah pardon", "sorry", "hello"…; None when nothing comes before."""
    clauses = [clause.strip() for clause in re.split(r"[,;!?…\n]+", text)]
    first = clauses[0] if clauses else ""
    if not first or language_requested(first) is not None:
        return None
    if all(word in _FILLER for word in _words(first).replace("'", " ").split()):
        return None
    return first


LONG_SENTENCE_WORDS = 3
"""How many small words of one language (and none of the other) make a statement plainly in it."""


def asks_something(text: str) -> bool:
    """Whether ``text`` is a question ("why do you need my contact?", « pourquoi ? »)."""
    return "?" in text or _QUESTION_START.match(_words(text).replace("'", " ")) is not None


def plainly_written(text: str) -> str | None:
    """The language of a statement plainly in one language — at least :data:`LONG_SENTENCE_WORDS`
    of its small words, none of the other's, and not a question (« nous pouvons prêter des salles
    aux associations le soir » → "fr"); None for a question, a name, a list, "oui"."""
    if asks_something(text):
        return None
    counts = _language_counts(text)
    plain = [lang for lang, count in counts.items() if count >= LONG_SENTENCE_WORDS]
    if len(plain) == 1 and all(count == 0 for lang, count in counts.items() if lang != plain[0]):
        return plain[0]
    return None


_LIST_DONE_TAIL = re.compile(rf"^(.*?) ((?:{_DONE_PHRASE})(?: (?:{_DONE_PHRASE}))*)$")
_LIST_FILLERS = frozenset(
    (
        "juste",
        "seulement",
        "uniquement",
        "que",
        "only",
        "just",
        "les",
        "des",
        "la",
        "le",
        "l",
        "the",
        "aux",
        "a",
        "pour",
        "for",
        "to",
        "toutes",
        "all",
        "of",
    )
)
"""Words around the options named in a list (« juste les assos », "only the companies"), left out to read it."""


def list_named(text: str) -> str:
    """What a typed list of options names, without its fillers and the done-words after it
    (« juste les assos » → « asso », « les assos et les collectivités, c'est tout » → « asso et
    collectivite », « tous c bon » → « tous »): plural words made singular, « et » kept between them. A decimal
    number (« 1.5 ») names nothing: "" (it is no list of two numbers)."""
    if _DECIMAL.search(text):
        return ""
    words = _words(re.sub(r"[,;/]", " et ", text)).replace("'", " ")
    tail = _LIST_DONE_TAIL.match(words)
    if tail is not None and tail[1].strip():
        words = re.sub(r"(?: (?:et|and))+$", "", tail[1])
    if words in ALL_WORDS or means_all(words):
        return "tous"
    kept = words.split()
    if len(kept) > 1:  # « tous » alone means every option; « tous les … » names some
        kept = [word for word in kept if word not in _LIST_FILLERS and word != "tous"] or kept
    singular = [re.sub(r"ies$", "y", word) if len(word) > 4 else word for word in kept]
    singular = [
        word[:-1] if len(word) > 3 and word[-1] in "sx" and not word.endswith("ss") and word not in ALL_WORDS else word for word in singular
    ]
    return " ".join(singular)


_EXCLUDING = re.compile(
    r"\b(?:sauf|excepte|exceptes|exceptees?|hormis|a part|en dehors des?|mis a part|sans|pas|ni|"
    r"except|excepting|excluding|but not|but|not|without|apart from|aside from|other than|minus)\b"
)
"""Words that take options out of a list answer (« tous sauf les collectivités », « pas les entreprises »,
"everyone except companies", "all but the local authorities")."""
_ALL_PREFIX = re.compile(
    r"(?:(?:en fait|actually|bon|ok|alors) )?(?:(?P<all>tous|toutes|tout|tout le monde|everyone|everybody|all|all of them)"
    r"(?: (?:les|the) (?:structures?|types?|acteurs?|actors?|organisations?|organizations?))?(?: (?:d acteurs|of actors))?)?"
)
"""What may stand before an exclusion in a list answer: nothing, or every option (« tout le monde sauf … »)."""


class Exclusion(NamedTuple):
    """What a list answer leaves out (:func:`list_excluded`)."""

    named: str
    """The options named after the exclusion, as :func:`list_named` reads them ("" when it names nothing)."""
    from_all: bool
    """Whether the answer started from every option (« tous sauf … », "everyone except …"), not from the exclusion."""


def list_excluded(text: str) -> Exclusion | None:
    """What a typed list answer leaves out (« tous sauf les entreprises » → « entreprise », "everyone except
    the local authorities" → « local authority »), or None when ``text`` excludes nothing: it then means
    every option but those."""
    words = _words(text).replace("'", " ")
    found = _EXCLUDING.search(words)
    lead = _ALL_PREFIX.fullmatch(words[: found.start()].strip()) if found is not None else None
    if found is None or lead is None:  # « Restos sans frontières »: a name
        return None
    rest = _EXCLUDING.sub(" ", words[found.end() :])  # « sauf les entreprises et pas les collectivités »
    named = list_named(rest) if rest.strip() else ""
    return Exclusion("" if named == "tous" else named, lead["all"] is not None)


_BROADCAST_VERB = re.compile(
    r"\b(?:envoyer|envoie|envoi|envoye|diffuser|diffuse|ecrire|ecris|prevenir|previens|informer|contacter|relayer|transmettre|"
    r"send|sending|broadcast|message|write|email|mail|notify|inform|contact|reach|tell)\b"
)
_BROADCAST_AUDIENCE = re.compile(
    r"\b(?:a |aux |to )?(?:toutes les|tous les|tout le monde|l ensemble des|all the|all|every|everyone|everybody|tous|toutes)\b"
    r"(?: (\w+(?: \w+)?))?"
)
_KIND_PLURALS: dict[str, tuple[str, ...]] = {
    "association": ("assos", "asso", "associations", "association", "associatif", "associatifs", "clubs"),
    "entreprise": ("entreprises", "entreprise", "boites", "commerces", "companies", "company", "businesses", "firms"),
    "collectivite": ("collectivites", "collectivite", "mairies", "communes", "local authorities", "councils", "town halls"),
}


def broadcast_wish(text: str) -> tuple[str, ...] | None:
    """The types of actors a coordinator's wish to write to all of them names (« je veux envoyer un
    message à toutes les assos » → association; "message all the companies" → entreprise); () when it
    names all of them or no type; None when the text is no such wish."""
    words = _words(text).replace("'", " ")
    if len(words.split()) > 25 or _BROADCAST_VERB.search(words) is None:
        return None
    audience = _BROADCAST_AUDIENCE.search(words)
    if audience is None:
        return None
    named = audience[1] or ""
    kinds = tuple(kind for kind, plurals in _KIND_PLURALS.items() if any(re.search(rf"\b{p}\b", named) for p in plurals))
    if kinds or not named or re.search(r"\b(?:acteurs?|actors?|structures?|membres?|members?|organisations?|organizations?)\b", named):
        return kinds
    return None


_DELETION_YES = re.compile(r"\b(?:oui|yes|ouais|yeah|ok|okay|d'accord|je confirme|i confirm|confirme|confirmed?)\b")
_DELETION_VERB = re.compile(r"\b(?:supprimer|supprime|supprimez|supprimes|effacer|efface|effacez|delete|erase|remove|wipe)\b")
_DELETION_ALL = re.compile(
    r"\b(?:tout|toutes?|everything|all|it all|mon profil|le profil|mes donnees|toutes mes donnees|my profile|my data|my account|mon compte)\b"
)
_DELETION_NOT = re.compile(r"\b(?:ne|n'|pas|non|no|not|don't|dont|never|jamais|rien|nothing|sauf|except|but)\b")
_DELETION_WORDS = re.compile(r"^[a-z' ]+$")


def confirms_deletion(text: str) -> bool:
    """A clear, explicit yes to deleting everything, the action said again (« oui tout supprimer », « oui,
    je veux tout effacer », "yes delete everything", "yes, delete it all"): a yes, a verb that deletes and
    what — never a bare yes (« oui », "yes delete", « oui tout »), never with a negation or anything else."""
    words = " ".join(re.sub(r"[,.;:!]+", " ", fold(text).replace("’", "'")).split())
    if not _DELETION_WORDS.match(words) or len(words.split()) > 8 or _DELETION_NOT.search(words):
        return False
    return bool(_DELETION_YES.search(words) and _DELETION_VERB.search(words) and _DELETION_ALL.search(words))


# ---------------------------------------------------------------- contact details and hedges typed at a choice

_URL_IN_TEXT = re.compile(
    r"(?i)(?:\bhttps?://\S+|\bwww\.\S+|(?<![@\w.\-])[a-z0-9][a-z0-9\-]*(?:\.[a-z0-9\-]+)*\."
    r"(?:fr|com|org|net|eu|io|be|ch|info|asso|coop|bzh|paris|lyon|co|uk)\b(?:/\S*)?)"
)
"""A web address written in a message (« www.sport-lyon.fr », "https://acme.example/about", « monasso.fr »)."""


def contact_detail(text: str) -> str | None:
    """What kind of contact detail ``text`` holds — "email", "phone" (starting with 0, + or 00) or
    "url" —, else None. Words inside one are never an answer's words (« acme-digital » is no theme)."""
    if find_email(text) is not None:
        return "email"
    phone = find_phone(text)
    if phone is not None and phone.lstrip("( ")[:1] in ("0", "+"):  # never a list of option numbers (« 1 2 3 4 5 6 7 8 9 »)
        return "phone"
    if _URL_IN_TEXT.search(text) is not None:
        return "url"
    return None


_HEDGES = (
    r"je (?:ne )?sais pas(?: trop| vraiment| bien)?|j sais pas|je sais plus|jsp|chais pas|sais pas|aucune idee|pas sur|pas sure|"
    r"je dirais|je dirai|j dirais|je pense|je crois|je suppose|il me semble|a mon avis|on va dire|disons|peut etre|"
    r"probablement|sans doute|plutot|surtout|principalement|bof|euh+|heu+|hum+|hmm+|ben|bah|genre|"
    r"i guess|i think|i d say|i would say|i suppose|i believe|maybe|perhaps|probably|i m not sure|not sure|dunno|"
    r"i don t know|i dont know|idk|let s say|mostly|mainly|kind of|sort of|um+|uh+|er+m?|well"
)
_HEDGE = re.compile(r"(?<![\w'])(?:" + _HEDGES + r")(?![\w'])")


def without_hedges(text: str) -> str:
    """``text`` without the words that only hedge it (« je sais pas trop… environnement et alimentation
    je dirais ? 🥕 » → « environnement et alimentation », "I guess education and environment?" →
    "education and environment"), its question mark and signs; ``text`` itself when none is there."""
    words = _words(text).replace("'", " ")
    if not _HEDGE.search(words):
        return text
    kept = _HEDGE.sub(" ", words)
    return " ".join(kept.replace(",", " , ").split()).strip(" ,.!?…")


def without_contact_details(text: str) -> str:
    """``text`` without the e-mail addresses, web addresses and phone numbers written in it."""
    return " ".join(_blanked(text, contact_spans(text, with_web=True)).split())


UNFINISHED_ENDINGS = frozenset(
    (
        # French: prepositions, articles, conjunctions, possessives a sentence never ends on
        *("pour", "de", "d", "du", "des", "avec", "et", "le", "la", "les", "l", "un", "une", "a", "à", "au", "aux"),
        *("en", "par", "sur", "dans", "chez", "qui", "que", "qu", "ou", "mais", "sans", "vers", "entre", "notre"),
        *("nos", "votre", "vos", "leur", "leurs", "son", "sa", "ses", "mon", "ma", "mes", "ce", "cet", "cette", "ces"),
        *("afin", "comme", "pendant", "depuis", "parce", "puis", "donc", "car", "si", "dont"),
        # English
        *("for", "to", "with", "and", "the", "an", "of", "in", "on", "at", "or", "but", "by", "from", "our", "your"),
        *("their", "my", "into", "about", "some", "who", "which", "because", "if", "these"),
    )
)
"""The last words of a message cut in two (« on cherche qqn pour », "we need someone to")."""


def unfinished(text: str) -> bool:
    """Whether ``text`` stops in the middle of its sentence — on « … », on a comma or a colon, or on a
    preposition, an article or a conjunction (« on cherche qqn pour », "we need someone to help with the"):
    the beginning of a message sent in two parts, no description on its own."""
    stripped = text.strip()
    if not stripped:
        return False
    if stripped.endswith(("…", "...", ",", ":", "-", "–")):
        return re.search(r"\betc\W*$", stripped.lower()) is None  # « le tri, etc… » ends its list
    if stripped[-1] in '.!?)»"”':
        return False
    words = re.findall(r"[\w']+", stripped.lower())
    if not words:
        return False
    last = words[-1].split("'")[-1] or words[-1].rstrip("'")
    before = words[-2].split("'")[-1] if len(words) > 1 else ""
    if last == "a" and before in _HAS_SUBJECTS:  # « si qqn en a », « s'il y en a »: the verb, no « à »
        return False
    return last in UNFINISHED_ENDINGS or words[-1].rstrip("'") in UNFINISHED_ENDINGS


_HAS_SUBJECTS = frozenset(("en",))
"""The words after which a final « a » is « avoir » with all it needs (« si quelqu'un en a », « s'il y en a »), not « à »
typed without its accent (« qqn qui a », « il y a » still wait for what)."""


def completed(fragment: str, rest: str) -> str:
    """``rest`` read as the end of ``fragment`` (a message cut in two): both joined into one sentence, or
    ``rest`` alone when it says the whole sentence again (« on cherche qqn pour tondre … »)."""
    rest = " ".join(rest.split()).lstrip("….").strip()
    head = " ".join(fragment.split()).rstrip(" …").removesuffix("...").rstrip()
    if fold(rest).startswith(fold(head)):
        return rest
    return f"{head} {rest}"


# ---------------------------------------------------------------- how many people come

_NUMBER_WORDS = {
    "un": 1, "une": 1, "one": 1, "deux": 2, "two": 2, "trois": 3, "three": 3, "quatre": 4, "four": 4, "cinq": 5, "five": 5,
    "six": 6, "sept": 7, "seven": 7, "huit": 8, "eight": 8, "neuf": 9, "nine": 9, "dix": 10, "ten": 10, "onze": 11,
    "eleven": 11, "douze": 12, "twelve": 12, "quinze": 15, "fifteen": 15, "vingt": 20, "twenty": 20,
}  # fmt: skip
_COUNT = r"(-?\d{1,6}|" + "|".join(_NUMBER_WORDS) + r")"
_PEOPLE = (
    r"(?:personnes?|pers|gens|benevoles?|collegues?|membres?|adherents?|salaries?|representants?|animateurs?|jeunes|enfants|"
    r"amis?|people|persons?|volunteers?|colleagues?|members?|staff|friends?|of us|de nous|d entre nous)"
)
_WITH_OTHERS = re.compile(r"\b(?:avec|with|bring|bringing|amene|amenerai|ramene|plus|\+)\s+" + _COUNT + r"\s+" + _PEOPLE + r"\b")
_SMALLER = r"(?:(?:plus que|que|qu|seulement|juste|finalement|plutot|only|just|finally|actually)\s+)?"
"""« on sera que 2 », « nous ne serons que 3 », "we'll only be 2": the word of a smaller number between the verb and it."""
_GROUP_OF = re.compile(
    r"\b(?:on sera|nous serons|on ne sera|on n sera|nous ne serons|on est|nous sommes|on viendra a|on vient a|nous viendrons a|"
    r"on viendra|we ll be|we will be|we ll only be|we will only be|we are|we re|there will be|there ll be|ce sera|pour)\s+"
    + _SMALLER
    + _COUNT
    + r"\b(?!\s*(?:h|heures?|min|km|euros?|ans|jours?|pm|am)\b)"
    r"|\b" + _COUNT + r"\s+" + _PEOPLE + r"\b|\ba\s+" + _COUNT + r"$|\b" + _COUNT + r"\s+(?:will come|coming|will be there)\b"
)
_ALONE = re.compile(r"\b(?:je|j|moi|i|i ll|i will|me)\b")
_ONE_ALONE = re.compile(
    r"\b(?:(?:(?:je|j)\s+|j)(?:viendrai|viens|vais venir|serai|serai la|y serai|y vais|y irai|participerai)\s+(?:finalement\s+|plutot\s+)?"
    r"(?:tout\s+|toute\s+)?(?:seul|seule|seul e|solo)|(?:ce sera|ca sera|c est|c sera|y aura|on sera)\s+(?:juste|seulement|que)\s+moi|"
    r"(?:juste|seulement|que|rien que)\s+moi(?:\s+(?:seul|seule|seul e|finalement|en fait))?|moi\s+(?:seul|seule|seul e)|"
    r"(?:i ll|i will|i m going to|i am going to|i)\s+(?:come|be there|be coming|attend|be)\s+(?:alone|by myself|on my own|solo)|"
    r"(?:it ll|it will|it s|it is)\s+(?:be\s+(?:just|only)|(?:just|only)\s+be|just|only)\s+me|(?:just|only)\s+(?:me|myself)|by myself|on my own)\b"
)
"""« je viendrai seule », « ce sera juste moi », "just me", "I'll come alone": one person coming, the one who writes."""


def _count_value(word: str) -> int:
    return _NUMBER_WORDS[word] if word in _NUMBER_WORDS else int(word)


_HYPHEN_RANGE = re.compile(r"(?<![\w-])(\d{1,6})\s*[-–]\s*(\d{1,6})\b")
"""« on sera 2-3 »: a range written with a hyphen (read as « 2 à 3 »)."""
_UNSIGNED = r"(\d{1,6}|" + "|".join(_NUMBER_WORDS) + r")"
_RANGE = re.compile(rf"\b(?:entre|between)\s+{_UNSIGNED}\s+(?:et|and)\s+{_UNSIGNED}\b|\b{_UNSIGNED}\s+(?:ou|a|voire|or|to)\s+{_UNSIGNED}\b")
"""« 2 ou 3 », « entre 2 et 4 », "2 or 3", "2 to 4": a number of people said as a range (folded words)."""


def _upper_bounds(words: str) -> str:
    """``words`` with each range of numbers (« 2 ou 3 ») written as its upper bound (« 3 »): the places to hold."""

    def upper(match: re.Match[str]) -> str:
        low, high = (value for value in match.groups() if value is not None)
        return str(max(_count_value(low), _count_value(high)))

    return _RANGE.sub(upper, words)


def _people_words(text: str) -> str:
    """The folded words :func:`people_coming` reads, before the ranges are read."""
    return _words(_HYPHEN_RANGE.sub(r"\1 à \2", text.replace("’", "'"))).replace("'", " ")


def people_range_said(text: str) -> bool:
    """Whether the number of people ``text`` says (:func:`people_coming`) is a range (« on sera 2 ou 3 », "2 or 3 of
    us"): its upper bound is what is reserved, and said so."""
    words = _people_words(text)
    upper = _upper_bounds(words)
    return upper != words and _people_said(upper) is not None


def people_coming(text: str) -> int | None:
    """How many people a sign-up says will come, when it says it: « on sera là avec 3 bénévoles » → 3, « on viendra à 4 » → 4,
    « je viendrai avec deux collègues » → 3 (the one who writes, and two), "yes, 3 of us will come" → 3, "I'll bring 2
    colleagues" → 3; a range, its upper bound, the places to hold (« on sera 2 ou 3 », « entre 2 et 4 », "2 or 3 of us" →
    3, 4, 3); None when it says no number of people (« oui avec plaisir », « le 12 à 18h », « le 2 ou le 3 juin »).
    Nonsense numbers (0, negative, hundreds) are returned as said: the caller refuses them."""
    said = _people_said(_upper_bounds(_people_words(text)))
    if said is not None and re.search(rf"(?<![\w-])-\s?{said}\b", text):  # « on sera -2 »: kept negative, refused
        return -said
    return said


def _people_said(words: str) -> int | None:
    """:func:`people_coming` on folded words (no sign)."""
    with_others = _WITH_OTHERS.search(words)
    if with_others is not None:
        count = _count_value(with_others.group(1))
        before = words[: with_others.start()]
        return count + 1 if _ALONE.search(before) and not re.search(r"\b(?:on|nous|we)\b", before) else count
    group = _GROUP_OF.search(words)
    if group is None:
        return 1 if _ONE_ALONE.search(words) else None
    return _count_value(next(g for g in group.groups() if g is not None))


# ---------------------------------------------------------------- a precision of what was just said

_PRECISION = re.compile(
    r"^(?:(?:oh|ah|euh|eh|bon|alors|ok|okay|oups|oops|sorry|pardon|désolée?|desolee?|attendez|attends|attendez\s+svp|wait|hold\s+on|"
    r"oh\s+wait|et|and|ah\s+et|oh\s+et|oh\s+and|ah\s+and|also|aussi|juste)[\s,.!…]+)*"
    r"(?:(?:je\s+(?:veux|voudrais|voulais|vais|dois|peux)\s+(?:juste\s+)?(?:vous\s+)?(?:pr[ée]ciser|ajouter\s+une\s+pr[ée]cision|compl[ée]ter|rajouter)"
    r"|j['’]?\s*(?:ai|aurais)\s+oubli[ée]\s+de\s+(?:pr[ée]ciser|dire)|je\s+pr[ée]cise|pr[ée]cision|petite\s+pr[ée]cision|"
    r"pour\s+(?:[eê]tre\s+)?(?:plus\s+)?pr[ée]cis(?:er|e)?|plus\s+pr[ée]cis[ée]ment|pour\s+pr[ée]ciser|je\s+compl[èe]te|pour\s+compl[ée]ter|"
    r"(?:to\s+be|more)\s+(?:more\s+)?precise(?:ly)?|let\s+me\s+(?:clarify|be\s+(?:more\s+)?precise|add|specify)|"
    r"i\s+(?:want|wanted|would\s+like|d\s+like)\s+to\s+(?:clarify|be\s+(?:more\s+)?precise|add|specify)|to\s+clarify|"
    r"i\s+forgot\s+to\s+(?:say|mention|add)|(?:a\s+)?clarification|(?:a\s+)?precision|more\s+specifically|specifically)"
    r"(?:\s+(?:que|that))?)[\s,.!…]*[:;—–\-,]?\s*",
    re.IGNORECASE,
)
"""What opens a precision of what was just said: « je veux préciser : », « plus précisément, », « ah et pour préciser : »,
"to be precise:", "let me clarify:" (with the interjections before it: « attendez », "oh and")."""


def precision_of(text: str) -> str | None:
    """What ``text`` adds when it opens as a precision of what was just said (« attendez je veux preciser : on a
    besoin de qqn pour le bilan », "oh and to be precise: our staff can help…"): the words after the preamble,
    their first letter upper-case; None when it does not open so, or says nothing after it."""
    typed = " ".join(text.split())
    found = _PRECISION.match(typed)
    if found is None:
        return None
    rest = typed[found.end() :].strip(" ,.;:!…—–-")
    if len(rest.split()) < 2:
        return None
    return rest[0].upper() + rest[1:]


_ADDING = re.compile(r"\b(?:aussi|egalement|en plus|de plus|en outre|par ailleurs|also|too|as well|additionally|in addition|besides)\b")
_ADDING_LEAD = re.compile(
    r"^(?:(?:en fait|au fait|actually|oh|ah|bon|alors|et|and|so|also|aussi|de plus|en plus|en outre|par ailleurs|in addition|"
    r"additionally|besides|btw|by the way|ps|p\.s\.?|oh and|ah et)(?:[\s,:;.!…—–-]+|$))+",
    re.IGNORECASE,
)
_OPENS_ADDITION = re.compile(r"^(?:en fait|au fait|actually|btw|by the way|ps|p s)\b")
ADDITION_MIN_WORDS = 4
"""A detail added in words has at least this many words (« en fait il faut aussi un permis B »)."""


def added_detail(text: str) -> str | None:
    """What ``text`` adds to a description it is about (« en fait il faut aussi un permis B » → « Il faut aussi un
    permis B », "also it needs to be available on Sundays" → "It needs to be available on Sundays", a precision
    (:func:`precision_of`)): the words after the opening, their first letter upper-case; None for a question, a
    short answer, or a sentence that neither opens as an addition nor says « aussi », "also"."""
    precised = precision_of(text)
    if precised is not None:
        return precised
    words = _words(text).replace("'", " ")
    if "?" in text or word_count(text) < ADDITION_MIN_WORDS:
        return None
    if _ADDING.search(words) is None and _OPENS_ADDITION.match(words) is None:
        return None
    rest = _ADDING_LEAD.sub("", " ".join(text.split())).strip(" ,.;:!…—–-")
    if word_count(rest) < ADDITION_MIN_WORDS - 1:
        return None
    return rest[0].upper() + rest[1:]


# ---------------------------------------------------------------- an answer to a call, not a listing

_NOT_A_LISTING = re.compile(
    r"\b(?:(?:c(?:e n)?['’ ]?\s*(?:est|etait)\s+)?pas\s+(?:une|d['’ ]?\s*)\s*annonce|pas\s+(?:a|pour)\s+publier|ne\s+(?:le\s+|la\s+)?publiez\s+pas|"
    r"(?:c['’ ]?\s*(?:est|etait)|c)\s+(?:(?:une\s+)?reponse\s+a\s+l['’ ]?\s*appel|pour\s+l['’ ]?\s*appel)|"
    r"not\s+(?:a|an)\s+(?:listing|ad|post|announcement)|no\s+listing|(?:don\s*t|do\s+not)\s+publish|not\s+to\s+(?:be\s+)?publish(?:ed)?|"
    r"(?:it\s*s|it\s+is|that\s*s|that\s+is|that\s+was|it\s+was)\s+(?:an\s+answer\s+to\s+the\s+call|for\s+the\s+call))\b",
    re.IGNORECASE,
)
_LISTING_MEANT = re.compile(
    r"^(?:(?:non|no|nope|en\s+fait|actually|mais|but)[\s,!.]+)*(?:c['’ ]?\s*(?:est|etait)\s+|it\s*s\s+|it\s+is\s+|it\s+was\s+|make\s+it\s+|faites[- ]en\s+)?"
    r"(?:une\s+annonce|an?\s+(?:listing|ad|post)|annonce|listing|publiez(?:[- ]la|[- ]le)?|publier|publish(?:\s+it)?|a\s+new\s+listing|une\s+nouvelle\s+annonce)"
    r"(?:\s+(?:svp|please|plutot|instead|rather))?[\s!.]*$",
    re.IGNORECASE,
)


def says_not_a_listing(text: str) -> bool:
    """« non c pour le forum ça, pas une annonce », "no that's for the event, not a listing", « c'est une réponse à
    l'appel »: what was typed was meant for a call, not to be published."""
    return _NOT_A_LISTING.search(fold(text)) is not None


def says_listing_meant(text: str) -> bool:
    """« annonce », « non c'est une annonce », "make it a listing", "publish it": the text just added to a call's answer
    was meant as a listing."""
    return _LISTING_MEANT.match(fold(text).strip()) is not None


_SELF_CORRECTION_MARKER = re.compile(
    r"(?:[,;:.…!]+\s*|\s+[-–—]+\s+)"
    r"(?:(?:ah|oh|euh|heu|hum|oups|oops|um|uh)\s*,?\s*)*"
    r"(?:non\s*,?\s*(?:pardon|attendez|attends|en\s+fait|plut[oô]t|je\s+veux\s+dire|je\s+me\s+suis\s+tromp[ée]e?)|"
    r"(?<=\s)non\s*,?\s*(?=(?:c['’]\s*est|ce\s+sont)\b(?!\s+(?:pas|plus|rien|bon|ok|grave)\b))|"
    r"pardon\s*,?\s*(?:je\s+veux\s+dire|plut[oô]t)|je\s+me\s+suis\s+tromp[ée]e?|correction\s*:|"
    r"(?:wait|hang\s+on)\s*,?\s*(?:no|sorry)|no\s*,?\s*(?:wait|sorry|actually|i\s+mean(?:t)?)|sorry\s*,?\s*(?:i\s+mean(?:t)?|make\s+that)|"
    r"actually\s*,?\s*no|scratch\s+that)"
    r"(?:(?<=\w)\b|(?<=[:\s]))[\s,;:.…!-]*",
    re.IGNORECASE,
)
"""Where a sentence corrects itself (« …, ah non pardon … », « …, non attendez, … », "…, wait no …", "…, sorry I mean …",
"…, no wait, …"), with what opens the correction: a no with a word that says it corrects, never a bare « non » (« une salle
non chauffée », "no heating required") nor a bare « je veux dire », "I mean" (often a precision, not a correction)."""
_SELF_CORRECTION_LEAD = re.compile(
    r"^(?:(?:en\s+fait|plut[oô]t|c['’]\s*est|ce\s+sont|il\s+s['’]\s*agit(?:\s+de|\s+d['’])?|actually|rather|it['’]s|it\s+is|"
    r"they['’]re|they\s+are|make\s+that|i\s+mean)\b[\s,]*)+",
    re.IGNORECASE,
)
_ANCHOR_GROUPS = (
    ("un", "une", "des", "du", "le", "la", "les", "a", "an", "the", "some"),
    ("pour", "for"),
    ("de", "d", "of"),
    ("à", "a", "au", "aux", "to", "at"),
    ("avec", "with"),
    ("sans", "without"),
    ("dans", "en", "in"),
    ("sur", "on"),
    ("chez",),
    ("par", "by"),
)
"""Words that open a correction (« pour les ados », "for teenagers") and the words of the sentence it takes the place
of from their last one on: the same word, or one of its kind (« un camion, non pardon une camionnette »)."""
_SUBJECT_START = re.compile(r"^(?:on|nous|je|j['’]|notre|nos|we|i|our|they|ils|elles?)\b", re.IGNORECASE)
_CORRECTED_WORD = re.compile(r"[\w'’-]+|\S", re.UNICODE)


def self_corrected(text: str) -> tuple[str, str, str] | None:
    """A sentence that corrects itself, with only its corrected words: (the sentence corrected, the words it
    corrected, the correction). « un coach pour les enfants, ah non pardon c'est pour les ados » → (« un coach pour
    les ados », « pour les enfants », « pour les ados »); « on peut prêter 10 tables, non attendez, 20 tables » → (« on
    peut prêter 20 tables », « 10 tables », « 20 tables »). What the correction replaces is found from the last word
    of its first word's kind (a preposition, an article, a number, a day); a correction that is a sentence of its own
    (« … ah non en fait on a besoin d'une camionnette ») replaces all that came before; a short one without such a
    word replaces as many words at the end. None when nothing is corrected, or nothing is left either side."""
    typed = " ".join(text.split())
    found = _SELF_CORRECTION_MARKER.search(typed)
    if found is None:
        return None
    before = typed[: found.start()].strip(" ,;:.…!-")
    correction = _SELF_CORRECTION_LEAD.sub("", typed[found.end() :].strip(" ,;:-")).strip(" ,;:-")
    if len(before.split()) < 2 or not re.search(r"\w", correction):
        return None
    words = before.split(" ")
    first = correction.split(" ")[0]
    folded_words = [fold(word).strip(",;:.!…").split("'")[0].split("’")[0] for word in words]
    first_folded = fold(first).strip(",;:.!…").split("'")[0].split("’")[0]
    start: int | None = None
    if re.fullmatch(r"\d+(?:[.,]\d+)?\w*", first_folded):
        numbers = [i for i, word in enumerate(folded_words) if re.fullmatch(r"\d+(?:[.,]\d+)?\w*", word)]
        start = numbers[-1] if numbers else None
    elif re.fullmatch(_WEEKDAYS, first_folded):
        days = [i for i, word in enumerate(folded_words) if re.fullmatch(_WEEKDAYS, word)]
        start = days[-1] if days else None
    else:
        group = next((group for group in _ANCHOR_GROUPS if first_folded in (fold(word) for word in group)), None)
        if group is not None:
            kind = {fold(word) for word in group}
            places = [i for i, word in enumerate(folded_words) if word in kind and i > 0]
            start = places[-1] if places else None
    if start is None and (_SUBJECT_START.match(correction) or len(correction.split()) > 3):
        start = 0  # a sentence of its own: it takes the place of all that came before
    if start is None and len(words) > len(correction.split()) + 1:
        start = len(words) - len(correction.split())  # « des cours pour enfants, non pardon pour ados » had its anchor
    if start is None:
        return None
    replaced = " ".join(words[start:]).strip(" ,;:.…!-")
    kept = " ".join(words[:start])
    corrected = f"{kept} {correction}".strip() if kept else correction[:1].upper() + correction[1:] if before[:1].isupper() else correction
    return corrected, replaced, correction


_PROFILE_FIELD_WORDS = {
    "name": r"nom|name",
    "place": r"commune|ville|town|city|municipality",
    "description": r"description|presentation",
}
_FIELD = "(?P<field>" + "|".join(f"(?P<{key}>{words})" for key, words in _PROFILE_FIELD_WORDS.items()) + ")"
_QUOTED = r"[«\"“']?\s*(?P<value>.+?)\s*[»\"”']?"
_VALUE_FIRST = re.compile(
    r"^(?:(?:mettez|mettre|mets|met|notez|noter|note|ecrivez|ecrire|ecris|put|write|use|set)\s+)?(?:plutot\s+|instead\s+)?"
    + _QUOTED
    + r"\s+(?:comme|en|as|pour)\s+(?:(?:le|la|notre|nouveau|nouvelle|the|our|new)\s+)*"
    + _FIELD
    + r"(?:\s+(?:plutot|instead|svp|stp|please))?\s*[.!]*$"
)
_FIELD_FIRST = re.compile(
    r"^(?:(?:changez|changer|change|modifiez|modifier|modify|mettez|mettre|set|update|corrigez|corriger|correct)\s+)?"
    r"(?:(?:le|la|mon|ma|notre|the|our|my|new|nouveau|nouvelle)\s+|l['’]\s*)*"
    + _FIELD
    + r"\s*(?:(?:c['’ ]\s*est|est|sera|doit etre|:|=|->|→|pour|par|en|to|is|will be|should be)\s*)+(?:plutot\s+|rather\s+)?"
    + _QUOTED
    + r"\s*[.!]*$"
)


def _aligned_fold(text: str) -> tuple[str, str] | None:
    """``text`` single-spaced, and its folded form (’ as ') character for character, so that a span found in the
    folded form cuts the text as typed; None when folding changes the length (a ligature)."""
    line = " ".join(text.split())
    folded = fold(line).replace("’", "'")
    return (line, folded) if len(folded) == len(line) else None


def profile_field_and_value(text: str) -> tuple[str, str] | None:
    """A profile field named with its new value (« mettez plutôt X comme nom », « le nom c'est X », « changez la
    commune pour Bron », "change the name to X", « nom : X »): the field (``name``, ``place``, ``description``) and
    the value as typed; None for a field named alone (« nom », « Nom de la structure »)."""
    aligned = _aligned_fold(text)
    if aligned is None:
        return None
    line, folded = aligned
    for pattern in (_VALUE_FIRST, _FIELD_FIRST):
        found = pattern.match(folded)
        if found is None:
            continue
        value = line[found.start("value") : found.end("value")].strip(" «»\"“”'")
        if not re.search(r"[^\W_]", value):
            continue
        field = next(key for key in _PROFILE_FIELD_WORDS if found.group(key))
        return field, value
    return None


_JOINING_LEAD = re.compile(
    r"^(?:(?:c'est|c est|ce serait|c'etait|je viens|on vient|nous venons|i'm here|we're here|i am here|we are here|this is|it's)\s+)?"
    r"(?:pour|to)\s+(?:m'|me |nous |s'|se )?(?:inscri\w*|enregistr\w*|register|sign up|join)\b"
    r"|^(?:je|j'|on|nous|i|we|i'd|we'd)\s*(?:voudrais|voudrait|voudrions|souhaite|souhaitons|souhaiterais|souhaiterions|aimerais|"
    r"aimerait|aimerions|veux|veut|voulons|vais|va|would like to|like to|want to|wish to|love to)\s+(?:m'|me |nous |s'|se )?"
    r"(?:inscri\w*|enregistr\w*|register|sign up|signup|join)\b"
)
_NEW_CLAUSE = re.compile(r"^(?:[,;:.!—–-]\s*)+(?=\S)")


def joining_lead(text: str) -> tuple[str, bool] | None:
    """A first message that starts by asking to join (« c'est pour inscrire notre asso de foot à Villeurbanne »,
    « je voudrais inscrire notre club », "I'd like to register our club"): what follows the request, and whether
    it is a clause of its own (« on voudrait s'inscrire, on est une asso de foot ») rather than the object of the
    request (« … inscrire notre asso de foot »: facts about the structure, no presentation). None otherwise."""
    aligned = _aligned_fold(text)
    if aligned is None:
        return None
    line, folded = aligned
    found = _JOINING_LEAD.match(folded)
    if found is None:
        return None
    rest = line[found.end() :]
    clause = _NEW_CLAUSE.match(rest) is not None
    return rest.strip(" ,;:.!—–-"), clause


_UNAMBIGUOUS_DROP = r"laisse tomber|laissez tomber|forget it|forget that|forget about it|never mind|nevermind|scratch that|cancel that"
_RETRACTION = re.compile(
    r"^(?:(?:ah|oh|euh|bon|ben|bah|hmm|well|oops|oups|wait|attends|attendez|ok)\s+)*"
    r"(?:(?:(?:en fait|finalement|actually|non|nan|no|nope|pardon|sorry|desole|mais)\s+)+"
    r"(?:" + _UNAMBIGUOUS_DROP + r"|oublie|oubliez|annule|annulez|pas ca|not that)|(?:" + _UNAMBIGUOUS_DROP + r"))"
    r"(?:\s+(?:ca|cela|tout ca|finalement))?(?:\s+(?P<rest>.*))?$"
)
"""A change of mind: « laisse tomber », "never mind" at the start, or « annule », « oublie » after a word that takes
back (« ah non oublie ça », « en fait non annule »), never a text that starts with « Annulez … » or « Oubliez … »."""
_INSTEAD_LEAD = re.compile(
    r"^(?:(?:mais|but|et|and|alors|so)\s+)?(?:(?:je|on|nous|i|we)\s+(?:veux|voudrais|veut|voulons|voudrait|prefere|preferons|"
    r"prefer|want to|d like to|would like to|d rather)\s+)?(?:(?:plutot|rather|instead)\s+)?"
)
_INSTEAD_END = re.compile(r"\s+(?:plutot|instead|a la place|rather)$")


def retracted(text: str) -> str | None:
    """What a change of mind asks for instead (« en fait non laisse tomber, plutôt changer la zone » → « changer la
    zone », "actually no, forget it, change the zone instead" → "change the zone"; « ah non oublie ça » → ""), on
    folded words; None when ``text`` takes nothing back."""
    words = _words(text).replace("'", " ")
    found = _RETRACTION.match(words)
    if found is None:
        return None
    rest = _INSTEAD_END.sub("", found["rest"] or "")
    return _INSTEAD_LEAD.sub("", rest, count=1).strip()


_NOT_NEEDED = re.compile(
    r"\b(?:(?:on|nous|j|je)\s+(?:n\s+)?(?:en\s+)?(?:a|avons|ai)\s+(?:plus|pas)\s+besoin|plus besoin|"
    r"(?:we|i)\s+(?:don t|do not|no longer|dont)\s+need\s+(?:it|this|that|one|them|any)|(?:not|no longer)\s+needed)"
    r"(?:\s+(?:anymore|any more|after all|finalement|du coup|merci|thanks|en fait|c est bon|desole|sorry))*$"
)


def no_longer_needed(text: str) -> bool:
    """Whether ``text`` ends by saying the need is gone (« ah non en fait on a trouvé, c bon on en a plus besoin »,
    « finalement on n'en a plus besoin », "we don't need it anymore"), never « on a plus besoin de bénévoles » nor
    « celle qu'on avait, on n'en a plus besoin, on cherche plus grand » (the need goes on after it)."""
    words = _words(text).replace("'", " ")
    return _NOT_NEEDED.search(words) is not None
