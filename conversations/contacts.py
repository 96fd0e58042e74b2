"""How a shared contact is written: the network named with its capital, and a link people can
click whatever network they are on (``https://t.me/…``, ``https://matrix.to/#/…``, ``mailto:``,
``tel:``). Pure functions: the caller says which network an account handle belongs to.
"""

from __future__ import annotations

import re

from conversations.i18n import translate

PLATFORM_NAMES: dict[str, str] = {"telegram": "Telegram", "matrix": "Matrix", "console": "console"}
"""Networks as people write them (proper nouns: the same in every language)."""

_TELEGRAM_USERNAME = re.compile(r"^@?(?P<name>[A-Za-z][A-Za-z0-9_]{3,31})$")
_MATRIX_ID = re.compile(r"^@[^\s:@/]+:[A-Za-z0-9.\-\[\]:]+$")


def platform_name(platform: str) -> str:
    """``telegram`` → ``Telegram``."""
    return PLATFORM_NAMES.get(platform, platform)


def telegram_username(handle: str | None) -> str | None:
    """The public username in ``handle`` (``thomas_textile`` or ``@thomas_textile``), or None."""
    match = _TELEGRAM_USERNAME.match(handle or "")
    return match.group("name") if match else None


def is_matrix_id(handle: str | None) -> bool:
    """Whether ``handle`` is a Matrix user id (``@user:server``)."""
    return bool(_MATRIX_ID.match(handle or ""))


def shown_handle(platform: str, handle: str | None) -> str | None:
    """The account as people know it (``@thomas_textile``, ``@jeanmarc:example.org``), or None
    when ``handle`` is not a public account name (a Telegram account without a username)."""
    if platform == "telegram":
        username = telegram_username(handle)
        return f"@{username}" if username else None
    if platform == "matrix":
        return handle if is_matrix_id(handle) else None
    return handle or None


def international_phone(phone: str) -> str:
    """A phone number in international form: French national numbers get +33 (``06 12…`` →
    ``+33 6 12 34 56 78``); numbers already international keep their digits, grouped by two."""
    digits = re.sub(r"\D", "", phone)
    if phone.strip().startswith("+"):
        return "+" + digits if len(digits) < 4 else _group(digits)
    if phone.strip().startswith("00") and len(digits) > 4:
        return _group(digits[2:])
    if len(digits) == 10 and digits.startswith("0"):
        return "+33 " + digits[1] + " " + " ".join(digits[i : i + 2] for i in range(2, 10, 2))
    return phone.strip()


def _group(digits: str) -> str:
    if digits.startswith("33") and len(digits) == 11:
        return "+33 " + digits[2] + " " + " ".join(digits[i : i + 2] for i in range(3, 11, 2))
    if digits.startswith("447") and len(digits) == 12:  # a UK mobile: +44 7700 900123
        return f"+44 {digits[2:6]} {digits[6:]}"
    if digits.startswith("4420") and len(digits) == 12:  # London: +44 20 7946 0958
        return f"+44 20 {digits[4:8]} {digits[8:]}"
    return "+" + digits


def phone_valid(phone: str) -> bool:
    """Whether ``phone`` is a whole phone number: a French one has 10 digits starting with 0
    (``06 12 34 56 78``) or +33 (0033) and 9 digits (``+33 6 12 34 56 78``, ``+33 (0)6 …``
    accepted); another country's is written in international form, + and 10 to 15 digits
    (E.164's longest). No library: the project has no phone-number dependency, and these few
    rules are what the bot needs to refuse a number missing a digit (``06 12 34 56 7``)."""
    written = phone.strip()
    digits = re.sub(r"\D", "", written)
    if written.startswith("+") or written.startswith("00"):
        number = digits[2:] if written.startswith("00") else digits
        if number.startswith("330"):  # "+33 (0)6 12 34 56 78", "+33 06 …": the national 0 written too
            number = "33" + number[3:]
        if number.startswith("33"):
            return len(number) == 11 and number[2] != "0"
        return 10 <= len(number) <= 15 and number[0] != "0"
    return len(digits) == 10 and digits[0] == "0" and digits[1] != "0"


def account_line(language: str, platform: str, handle: str | None, name: str | None = None, is_account: bool = True) -> str:
    """One line for an account on a network, with its link (or why there is none).

    ``is_account`` False: ``handle`` is only a display name (a Telegram account without a public
    username): never turned into a link, which could open somebody else's account."""
    network = platform_name(platform)
    shown = shown_handle(platform, handle) if is_account else None
    links = {"telegram": f"https://t.me/{(shown or '')[1:]}", "matrix": f"https://matrix.to/#/{shown}"}
    if platform in links and shown:
        return translate(language, "contact.line_link", network=network, handle=shown, link=links[platform])
    if platform == "telegram":
        return translate(language, "contact.line_telegram_private", name=name or "?")
    return translate(language, "contact.line_plain", network=network, handle=shown or name or "?")


def contact_lines(
    language: str,
    *,
    platform: str | None,
    handle: str | None,
    email: str | None,
    phone: str | None,
    name: str | None = None,
    is_account: bool = True,
) -> list[str]:
    """The lines of a shared contact: account (if any), e-mail, phone — each with its link."""
    lines: list[str] = []
    if handle and platform:
        lines.append(account_line(language, platform, handle, name, is_account))
    if email:
        lines.append(translate(language, "contact.line_email", email=email))
    if phone:
        number = international_phone(phone)
        lines.append(translate(language, "contact.line_phone", phone=number))  # the number once: apps link it
    return lines


def handle_option_params(platform: str, handle: str | None) -> dict[str, str]:
    """The ``{platform}`` and ``{handle}`` of the "Mon compte Telegram (@…)" option."""
    return {"platform": platform_name(platform), "handle": shown_handle(platform, handle) or "—"}
