"""Translation catalogs: complete in both languages, same placeholders, every used key exists."""

from __future__ import annotations

import re
import string
from pathlib import Path

from conversations.i18n import catalog, plurals

ROOT = Path(__file__).resolve().parents[2]


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_catalogs_have_the_same_keys_and_placeholders() -> None:
    french, english = catalog("fr"), catalog("en")
    assert set(french) == set(english)
    for key in french:
        assert _placeholders(french[key]) == _placeholders(english[key]), key


def test_each_key_is_translated_once_per_catalog() -> None:
    """Branches append their texts at the end of the catalogs (merged as a union): a key two
    branches both added would keep only one of its texts, silently (a placeholder lost)."""
    for path in sorted((ROOT / "conversations" / "locales").glob("*/LC_MESSAGES/messages.po")):
        keys = re.findall(r'^msgid "(.+)"$', path.read_text(encoding="utf-8"), re.MULTILINE)
        assert not {key for key in keys if keys.count(key) > 1}, path


def test_every_literal_key_used_in_code_exists() -> None:
    keys = set(catalog("fr")) | set(plurals("fr")[1])  # a refusal or a prompt may be a plural message
    pattern = re.compile(
        r"""(?:translate\([^,()]+,\s*|key=|prompt=|message=|"choice", |"text", |"multi", |"territory", |InputError\()"([a-z_]+\.[a-z_.]+)\""""
    )
    missing = set()
    for folder in ("bot", "conversations"):
        for path in (ROOT / folder).rglob("*.py"):
            for key in pattern.findall(path.read_text(encoding="utf-8")):
                if key not in keys:
                    missing.add(f"{path.name}: {key}")
    assert not missing


def test_vocabularies_are_translated() -> None:
    from core import catalog as vocab

    keys = set(catalog("en"))
    expected = [f"actor_type.{v}" for v in vocab.ACTOR_TYPES] + [f"theme.{v}" for v in vocab.THEME_VALUES]
    expected += [f"category.{v}" for v in vocab.CATEGORIES] + [f"skill.{v}" for v in vocab.SKILLS]
    expected += [f"frequency.{v}" for v in vocab.FREQUENCIES]
    assert not [k for k in expected if k not in keys]
