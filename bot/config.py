"""Settings from a TOML file and environment variables (the environment wins).

Every key is declared once in :data:`SETTINGS` with its TOML location, its environment
variable and its parser, so that an unknown or malformed key is reported by name before
anything starts.
"""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from conversations.i18n import LANGUAGES as SPOKEN
from conversations.i18n import translate
from core.errors import ConfigError

LANGUAGES = ("fr", "en")
PLATFORMS = ("console", "telegram", "matrix")
LOG_FORMATS = ("text", "json")


def wrong(key: str, text: str, /, **params: object) -> ConfigError:
    """The error for setting ``key``: catalog message ``text`` (English in logs, the configured language at the terminal)."""
    return ConfigError(key, translate("en", text, **params), text, params)


def _text(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise wrong(key, "config.expected_string")
    return value.strip()


def _optional_text(key: str, value: Any) -> str | None:
    text = _text(key, value)
    return text or None


MAX_RATE = 10_000.0
"""Sends per second: anything above is a typo (Telegram allows ~30, Matrix servers less)."""
MAX_COUNT = 10_000


def _positive_float(key: str, value: Any) -> float:
    try:
        if isinstance(value, bool):
            raise TypeError
        number = float(value)
    except (TypeError, ValueError):
        raise wrong(key, "config.expected_number", value=repr(value)) from None
    if not math.isfinite(number) or not 0 < number <= MAX_RATE:
        raise wrong(key, "config.number_range", most=f"{MAX_RATE:g}", value=repr(value))
    return number


def _port(key: str, value: Any) -> int:
    try:
        if isinstance(value, (bool, float)):
            raise TypeError
        number = int(value)
    except (TypeError, ValueError):
        raise wrong(key, "config.expected_port", value=repr(value)) from None
    if not 0 < number < 65536:
        raise wrong(key, "config.port_range", value=number)
    return number


def _log_format(key: str, value: Any) -> str:
    text = _text(key, value).lower()
    if text not in LOG_FORMATS:
        raise wrong(key, "config.expected_one_of", choices=", ".join(LOG_FORMATS), value=repr(value))
    return text


def _language(key: str, value: Any) -> str:
    text = _text(key, value).lower()
    if text not in LANGUAGES:
        raise wrong(key, "config.unsupported_language", value=repr(text), choices=", ".join(LANGUAGES))
    return text


def _timezone(key: str, value: Any) -> str:
    text = _text(key, value)
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise wrong(key, "config.unknown_timezone", value=repr(text)) from None
    return text


def _weekday(key: str, value: Any) -> str:
    text = _text(key, value).lower()[:3]
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    if text not in days:
        raise wrong(key, "config.expected_weekday", days=", ".join(days), value=repr(value))
    return text


def _positive_int(key: str, value: Any) -> int:
    try:
        if isinstance(value, (bool, float)):
            raise TypeError
        number = int(value)
    except (TypeError, ValueError):
        raise wrong(key, "config.expected_whole", value=repr(value)) from None
    if not 0 < number <= MAX_COUNT:
        raise wrong(key, "config.whole_range", most=MAX_COUNT, value=repr(value))
    return number


def _admins(key: str, value: Any) -> tuple[tuple[str, str], ...]:
    if isinstance(value, str):
        items = [item.strip() for item in value.split(",") if item.strip()]
    elif isinstance(value, list):
        items = [_text(key, item) for item in value]
    else:
        raise wrong(key, "config.expected_admins")
    admins: list[tuple[str, str]] = []
    for item in items:
        platform, sep, user_id = item.partition(":")
        if not sep or platform not in PLATFORMS or not user_id.strip():
            raise wrong(key, "config.bad_admin", value=repr(item), platforms=", ".join(PLATFORMS))
        admins.append((platform, user_id.strip()))
    return tuple(admins)


@dataclass(frozen=True, slots=True)
class Setting:
    """One configuration key: where it lives in TOML, its environment variable, its parser."""

    section: str
    name: str
    env: str
    parse: Callable[[str, Any], Any]

    @property
    def toml_key(self) -> str:
        """The dotted TOML key, as shown in error messages."""
        return f"{self.section}.{self.name}"


SETTINGS: tuple[Setting, ...] = (
    Setting("traitdunion", "db", "TRAITDUNION_DB", _text),
    Setting("traitdunion", "admins", "TRAITDUNION_ADMINS", _admins),
    Setting("traitdunion", "timezone", "TRAITDUNION_TIMEZONE", _timezone),
    Setting("traitdunion", "language", "TRAITDUNION_LANGUAGE", _language),
    Setting("traitdunion", "suggestion_day", "TRAITDUNION_SUGGESTION_DAY", _weekday),
    Setting("traitdunion", "fairness_cap", "TRAITDUNION_FAIRNESS_CAP", _positive_int),
    Setting("traitdunion", "calls_per_week", "TRAITDUNION_CALLS_PER_WEEK", _positive_int),
    Setting("traitdunion", "call_report_minutes", "TRAITDUNION_CALL_REPORT_MINUTES", _positive_int),
    Setting("traitdunion", "http_port", "TRAITDUNION_HTTP_PORT", _port),
    Setting("traitdunion", "http_host", "TRAITDUNION_HTTP_HOST", _text),
    Setting("traitdunion", "log_format", "TRAITDUNION_LOG_FORMAT", _log_format),
    Setting("telegram", "bot_token", "TELEGRAM_BOT_TOKEN", _optional_text),
    Setting("telegram", "api_url", "TELEGRAM_API_URL", _optional_text),
    Setting("telegram", "webhook_url", "TELEGRAM_WEBHOOK_URL", _optional_text),
    Setting("telegram", "webhook_port", "TELEGRAM_WEBHOOK_PORT", _port),
    Setting("telegram", "webhook_secret", "TELEGRAM_WEBHOOK_SECRET", _optional_text),
    Setting("telegram", "rate_per_second", "TELEGRAM_RATE_PER_SECOND", _positive_float),
    Setting("telegram", "rate_per_chat", "TELEGRAM_RATE_PER_CHAT", _positive_float),
    Setting("matrix", "homeserver", "MATRIX_HOMESERVER", _optional_text),
    Setting("matrix", "user_id", "MATRIX_USER_ID", _optional_text),
    Setting("matrix", "password", "MATRIX_PASSWORD", _optional_text),
    Setting("matrix", "access_token", "MATRIX_ACCESS_TOKEN", _optional_text),
    Setting("matrix", "store", "MATRIX_STORE", _optional_text),
    Setting("matrix", "rate_per_second", "MATRIX_RATE_PER_SECOND", _positive_float),
)


@dataclass(frozen=True, slots=True)
class TelegramSettings:
    """Telegram adapter settings; the adapter is enabled when ``bot_token`` is set."""

    bot_token: str | None = None
    api_url: str | None = None
    webhook_url: str | None = None
    webhook_port: int = 8443
    webhook_secret: str | None = None
    rate_per_second: float = 30.0
    rate_per_chat: float = 1.0

    def __repr__(self) -> str:  # never print the token
        return f"TelegramSettings(enabled={self.bot_token is not None}, api_url={self.api_url!r})"


@dataclass(frozen=True, slots=True)
class MatrixSettings:
    """Matrix adapter settings; the adapter is enabled when a homeserver and user are set."""

    homeserver: str | None = None
    user_id: str | None = None
    password: str | None = None
    access_token: str | None = None
    store: str | None = None
    rate_per_second: float = 5.0

    def __repr__(self) -> str:  # never print secrets
        return f"MatrixSettings(homeserver={self.homeserver!r}, user_id={self.user_id!r})"


@dataclass(frozen=True, slots=True)
class Config:
    """The whole configuration of one bot instance."""

    db: str = "./traitdunion.db"
    admins: tuple[tuple[str, str], ...] = ()
    timezone: str = "Europe/Paris"
    language: str = "fr"
    suggestion_day: str = "mon"
    fairness_cap: int = 5
    calls_per_week: int = 2
    call_report_minutes: int = 60
    """A call's report goes at the latest this long after it started, counting what is not delivered yet."""
    http_port: int | None = None
    """Port of the /healthz and /metrics listener (none when unset)."""
    http_host: str = "127.0.0.1"
    log_format: str = "text"
    telegram: TelegramSettings = field(default_factory=TelegramSettings)
    matrix: MatrixSettings = field(default_factory=MatrixSettings)

    @property
    def telegram_enabled(self) -> bool:
        """True when a Telegram token is configured."""
        return bool(self.telegram.bot_token)

    @property
    def matrix_enabled(self) -> bool:
        """True when a Matrix homeserver and user id are configured."""
        return bool(self.matrix.homeserver and self.matrix.user_id)

    @property
    def matrix_store(self) -> Path:
        """Directory of the Matrix crypto store (default: beside the database; ``./matrix-store`` with PostgreSQL)."""
        if self.matrix.store:
            return Path(self.matrix.store)
        if self.db.startswith(("postgresql://", "postgres://")):  # no file to sit beside
            return Path("matrix-store").resolve()
        return Path(self.db).resolve().parent / "matrix-store"

    def secrets(self) -> tuple[str, ...]:
        """Every configured secret (never to be logged or printed)."""
        values = (self.telegram.bot_token, self.telegram.webhook_secret, self.matrix.password, self.matrix.access_token)
        return tuple(value for value in values if value)

    def is_admin(self, platform: str, user_id: str) -> bool:
        """Whether this platform identity is an administrator."""
        return (platform, user_id) in self.admins


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise wrong("--config", "config.file_not_found", path=path) from None
    except tomllib.TOMLDecodeError as exc:
        raise wrong("--config", "config.malformed_toml", path=path, error=exc) from None


def load_config(path: str | Path | None = None, environ: Mapping[str, str] | None = None) -> Config:
    """Read the TOML file (if any) then the environment; raise :class:`ConfigError` on a bad key."""
    env = os.environ if environ is None else environ
    document = _read_toml(Path(path)) if path else {}
    known = {(s.section, s.name) for s in SETTINGS}
    for section, table in document.items():
        if not isinstance(table, dict):
            raise wrong(section, "config.not_a_table")
        if section not in {s.section for s in SETTINGS}:
            raise wrong(section, "config.unknown_section")
        for name in table:
            if (section, name) not in known:
                raise wrong(f"{section}.{name}", "config.unknown_key")
    values: dict[str, dict[str, Any]] = {"traitdunion": {}, "telegram": {}, "matrix": {}}
    for setting in SETTINGS:
        if setting.env in env and env[setting.env].strip() != "":
            values[setting.section][setting.name] = setting.parse(setting.env, env[setting.env])
        elif setting.name in document.get(setting.section, {}):
            raw = document[setting.section][setting.name]
            values[setting.section][setting.name] = setting.parse(setting.toml_key, raw)
    core = values["traitdunion"]
    defaults = Config()
    config = Config(
        db=core.get("db", defaults.db),
        admins=core.get("admins", defaults.admins),
        timezone=core.get("timezone", defaults.timezone),
        language=core.get("language", defaults.language),
        suggestion_day=core.get("suggestion_day", defaults.suggestion_day),
        fairness_cap=core.get("fairness_cap", defaults.fairness_cap),
        calls_per_week=core.get("calls_per_week", defaults.calls_per_week),
        call_report_minutes=core.get("call_report_minutes", defaults.call_report_minutes),
        http_port=core.get("http_port", defaults.http_port),
        http_host=core.get("http_host", defaults.http_host),
        log_format=core.get("log_format", defaults.log_format),
        telegram=TelegramSettings(**values["telegram"]),
        matrix=MatrixSettings(**values["matrix"]),
    )
    _check_consistency(config)
    return config


def _check_consistency(config: Config) -> None:
    if config.matrix.homeserver and not config.matrix.user_id:
        raise wrong("MATRIX_USER_ID", "config.required_with", other="MATRIX_HOMESERVER")
    if config.matrix_enabled and not (config.matrix.password or config.matrix.access_token):
        raise wrong("MATRIX_PASSWORD", "config.password_or_token")
    if config.telegram.webhook_url and not config.telegram.webhook_secret:
        raise wrong("TELEGRAM_WEBHOOK_SECRET", "config.required_with", other="TELEGRAM_WEBHOOK_URL")


def configured_language(path: str | Path | None = None, environ: Mapping[str, str] | None = None) -> str | None:
    """The language setting read alone, so that an error in another setting is told in it.

    None when the language setting itself is wrong (say it in every language); the default
    (French) when it is unset or the file cannot be read.
    """
    env = os.environ if environ is None else environ
    setting = next(s for s in SETTINGS if s.name == "language")
    try:
        if env.get(setting.env, "").strip():
            return str(setting.parse(setting.env, env[setting.env]))
        table = _read_toml(Path(path)).get(setting.section) if path else None
        if isinstance(table, dict) and setting.name in table:
            return str(setting.parse(setting.toml_key, table[setting.name]))
    except ConfigError as error:
        if error.key in (setting.env, setting.toml_key):
            return None
    return Config().language


def spoken_languages(path: str | Path | None = None, environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The languages to tell a configuration problem in: the configured one, or French and English when it is itself wrong."""
    language = configured_language(path, environ)
    return (language,) if language else SPOKEN
