"""What the ``traitdunion`` command tells the person at the terminal: catalog messages in the
configured language (log lines stay English, for operators).

An expected error carries its catalog message (:class:`Told`, or a :class:`~core.errors.ConfigError`
given ``text``): its ``str()`` is the English sentence, for logs, and :func:`told` gives it in the
person's language, in one line, without a traceback.
"""

from __future__ import annotations

import sys

from bot.logs import redact
from conversations.i18n import translate, translate_plural
from core.errors import ConfigError

__all__ = ["Told", "database_reason", "say", "say_counted", "setting_message", "told"]


class Told(Exception):
    """An error told from the catalogs: ``text`` is the message key, ``params`` fill it; ``str()`` is English."""

    def __init__(self, text: str, /, **params: object) -> None:
        super().__init__(translate("en", text, **_english(params)))
        self.text = text
        self.params = params


def _english(params: dict[str, object]) -> dict[str, object]:
    return {name: told(value, "en") if isinstance(value, BaseException) else value for name, value in params.items()}


def told(error: BaseException, language: str | None) -> str:
    """What ``error`` says in ``language``: its catalog message when it has one, else its own text (a library's)."""
    if isinstance(error, Told):
        params = {name: told(value, language) if isinstance(value, BaseException) else value for name, value in error.params.items()}
        return translate(language, error.text, **params)
    if isinstance(error, ConfigError):
        return translate(language, "cli.setting_wrong", key=error.key, message=setting_message(error, language))
    return str(error)


def setting_message(error: ConfigError, language: str | None) -> str:
    """What is wrong with ``error.key``, in ``language`` (English as raised when it has no catalog message)."""
    return translate(language, error.text, **error.params) if error.text else error.message


def say(language: str | None, text: str, /, error: bool = False, **params: object) -> None:
    """Print catalog message ``text`` in ``language`` (to stderr when ``error``), secrets redacted."""
    print(redact(translate(language, text, **params)), file=sys.stderr if error else sys.stdout)


def say_counted(language: str | None, text: str, count: int, /, error: bool = False, **params: object) -> None:
    """Print the form of plural message ``text`` for ``count`` (gettext plurals)."""
    print(redact(translate_plural(language, text, count, **params)), file=sys.stderr if error else sys.stdout)


def database_reason(error: BaseException, language: str | None) -> str:
    """Why the database cannot be used, for ``cli.db_error``: a schema newer than the code in ``language``,
    what the driver or the system said otherwise (as they say it)."""
    from storage.database import DatabaseUnavailable
    from storage.migrations import SchemaTooNew

    cause = error if isinstance(error, SchemaTooNew) else error.__cause__
    if isinstance(cause, SchemaTooNew):
        return translate(language, "cli.schema_too_new", found=cause.found, known=cause.known)
    if isinstance(error, DatabaseUnavailable):
        return error.reason
    return str(error).splitlines()[0] if str(error) else type(error).__name__
