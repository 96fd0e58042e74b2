"""Translation catalogs: complete in both languages, same placeholders, every used key exists."""

from __future__ import annotations

import ast
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


_TRANSLATORS = {"translate", "translate_plural", "translate_counted"}


def _keys_given_to_translators(tree: ast.AST) -> set[str]:
    """Every string constant in the key argument of a ``translate*`` call, however it is chosen
    (« "a" if listing else "b" », « x or "c" »)."""
    keys: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or len(node.args) < 2:
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        if name in _TRANSLATORS:
            keys |= {c.value for c in ast.walk(node.args[1]) if isinstance(c, ast.Constant) and isinstance(c.value, str)}
    return keys


def test_every_key_a_translate_call_may_choose_exists() -> None:
    """A key chosen by an expression (the literal search above sees only a key written alone)."""
    keys = set(catalog("fr")) | set(plurals("fr")[1])
    missing = set()
    for folder in ("bot", "conversations", "services", "core"):
        for path in (ROOT / folder).rglob("*.py"):
            for key in _keys_given_to_translators(ast.parse(path.read_text(encoding="utf-8"))):
                if "." in key and not key.endswith(".") and key not in keys:  # "listing." + kind: a prefix
                    missing.add(f"{path.name}: {key}")
    assert not missing


def test_vocabularies_are_translated() -> None:
    from core import catalog as vocab

    keys = set(catalog("en"))
    expected = [f"actor_type.{v}" for v in vocab.ACTOR_TYPES] + [f"theme.{v}" for v in vocab.THEME_VALUES]
    expected += [f"category.{v}" for v in vocab.CATEGORIES] + [f"skill.{v}" for v in vocab.SKILLS]
    expected += [f"frequency.{v}" for v in vocab.FREQUENCIES]
    assert not [k for k in expected if k not in keys]
