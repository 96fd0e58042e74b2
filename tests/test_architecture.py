"""The layers run one way (see ``docs/architecture.md``): every project module is parsed, and an
import against the layer order, or SQL executed outside ``storage/``, fails here.

Lazy imports inside functions count like the others: a cycle hidden in a function is still a cycle.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("core", "matching", "territories", "conversations", "storage", "services", "bot")
ALLOWED: dict[str, frozenset[str]] = {
    "core": frozenset({"core"}),
    "matching": frozenset({"core", "matching"}),
    "territories": frozenset({"core", "territories"}),
    "conversations": frozenset({"core", "matching", "territories", "conversations"}),
    "storage": frozenset({"core", "matching", "territories", "storage"}),
    "services": frozenset({"core", "matching", "territories", "conversations", "storage", "services"}),
    "bot": frozenset(PACKAGES),
}
"""What each top-level package may import from the project (itself included)."""
SQL_CALLS = frozenset({"execute", "executemany", "executescript"})
SQL_ALLOWED: dict[str, str] = {}
"""Files outside storage/ that may run SQL, and why."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One line that breaks the rule."""

    path: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}"


def modules() -> list[Path]:
    """Every Python file of the project's packages."""
    return sorted(path for package in PACKAGES for path in (ROOT / package).rglob("*.py"))


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def imported(tree: ast.AST, path: Path) -> list[tuple[int, str]]:
    """(line, top-level package) of every import in the module, at any depth."""
    found: list[tuple[int, str]] = []
    own = _relative(path).split("/")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name.split(".")[0]) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: inside its own package
                found.append((node.lineno, own))
            elif node.module:
                found.append((node.lineno, node.module.split(".")[0]))
    return found


def import_findings(path: Path) -> list[Finding]:
    """Imports of ``path`` against the layer order."""
    package = _relative(path).split("/")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return [
        Finding(_relative(path), line, f"{package} imports {target}")
        for line, target in imported(tree, path)
        if target in PACKAGES and target not in ALLOWED[package]
    ]


def sql_findings(path: Path) -> list[Finding]:
    """Calls of ``.execute``/``.executemany``/``.executescript`` outside ``storage/``."""
    relative = _relative(path)
    if relative.startswith("storage/") or relative in SQL_ALLOWED:
        return []
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return [
        Finding(relative, node.lineno, f"SQL outside storage/ (.{node.func.attr})")
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SQL_CALLS
    ]


def test_the_project_has_modules_in_every_layer() -> None:
    """The checks below look at real files (a moved folder would make them pass on nothing)."""
    found = {_relative(path).split("/")[0] for path in modules()}
    assert found == set(PACKAGES)


def test_imports_follow_the_layers() -> None:
    findings = [finding for path in modules() for finding in import_findings(path)]
    assert not findings, "imports against the layer order:\n" + "\n".join(map(str, findings))


def test_sql_runs_only_in_storage() -> None:
    findings = [finding for path in modules() for finding in sql_findings(path)]
    assert not findings, "SQL outside storage/:\n" + "\n".join(map(str, findings))


def test_sql_exceptions_still_exist() -> None:
    """An allowed exception that no longer exists is removed from the list."""
    assert all((ROOT / path).is_file() for path in SQL_ALLOWED)


@pytest.mark.parametrize(
    ("package", "source", "expected"),
    [
        ("storage", "def f():\n    from conversations.model import Session\n", ["storage imports conversations"]),
        ("conversations", "import storage.identities\n", ["conversations imports storage"]),
        ("services", "from bot.config import Config\n", ["services imports bot"]),
        ("core", "from matching import Suggestion\n", ["core imports matching"]),
        ("bot", "from services import coordination\nfrom core.types import Reply\n", []),
        ("storage", "from .files import restrict\n", []),
    ],
)
def test_the_checker_sees_lazy_and_plain_imports(tmp_path: Path, package: str, source: str, expected: list[str]) -> None:
    """The checker itself: a lazy import inside a function is found like a plain one."""
    path = ROOT / package / "_architecture_probe.py"
    tree = ast.parse(source)
    found = [f"{package} imports {target}" for _, target in imported(tree, path) if target in PACKAGES and target not in ALLOWED[package]]
    assert found == expected


def test_the_checker_sees_sql_calls() -> None:
    tree = ast.parse("def f(conn):\n    return conn.execute('SELECT 1').fetchone()\n")
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in SQL_CALLS]
    assert len(calls) == 1
