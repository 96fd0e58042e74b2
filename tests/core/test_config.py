"""Configuration: TOML and environment, and wrong settings named before anything starts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import load_config
from core.errors import ConfigError


def test_defaults() -> None:
    config = load_config(environ={})
    assert (config.db, config.timezone, config.language, config.admins) == ("./traitdunion.db", "Europe/Paris", "fr", ())
    assert not config.telegram_enabled and not config.matrix_enabled


def test_toml_then_environment(tmp_path: Path) -> None:
    path = tmp_path / "bot.toml"
    path.write_text('[traitdunion]\ndb = "a.db"\nadmins = ["telegram:42"]\nlanguage = "en"\n[telegram]\nbot_token = "123:abc"\n')
    config = load_config(path, environ={"TRAITDUNION_DB": "b.db", "TRAITDUNION_ADMINS": "matrix:@ana:example.org, console:bob"})
    assert config.db == "b.db" and config.language == "en"
    assert config.admins == (("matrix", "@ana:example.org"), ("console", "bob"))
    assert config.telegram_enabled and "123:abc" not in repr(config)


@pytest.mark.parametrize(
    ("toml", "environ", "key"),
    [
        ("[traitdunion]\ndb = ", {}, "--config"),
        ("[traitdunion]\ncolour = 'blue'\n", {}, "traitdunion.colour"),
        ("[slack]\ntoken = 'x'\n", {}, "slack"),
        ("", {"TRAITDUNION_ADMINS": "telegram"}, "TRAITDUNION_ADMINS"),
        ("", {"TRAITDUNION_ADMINS": "icq:123"}, "TRAITDUNION_ADMINS"),
        ("", {"TRAITDUNION_TIMEZONE": "Mars/Olympus"}, "TRAITDUNION_TIMEZONE"),
        ("", {"TRAITDUNION_LANGUAGE": "de"}, "TRAITDUNION_LANGUAGE"),
        ("", {"MATRIX_HOMESERVER": "http://localhost:8008"}, "MATRIX_USER_ID"),
        ("[telegram]\nwebhook_port = 99999\n", {}, "telegram.webhook_port"),
    ],
)
def test_wrong_settings_name_the_key(tmp_path: Path, toml: str, environ: dict[str, str], key: str) -> None:
    path = tmp_path / "bot.toml"
    path.write_text(toml)
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ=environ)
    assert caught.value.key == key


def test_cli_exits_non_zero_before_starting(tmp_path: Path) -> None:
    env = {**os.environ, "TRAITDUNION_ADMINS": "telegram", "TRAITDUNION_DB": str(tmp_path / "x.db")}
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "run"], env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
    )
    assert done.returncode == 2
    assert "TRAITDUNION_ADMINS" in done.stderr
    assert not (tmp_path / "x.db").exists()
