"""Helpers for the operations tests: the ``traitdunion`` command in a subprocess, with a clean environment."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def clean_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The test's environment without any bot setting, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "MATRIX_", "TRAITDUNION_"))}
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra or {})
    return env


def traitdunion(
    *args: str,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    preexec_fn: Callable[[], None] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run ``traitdunion ARGS`` (``python -m bot.cli``) and capture its output."""
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=clean_env(env),
        cwd=cwd or ROOT,
        preexec_fn=preexec_fn,
    )


@pytest.fixture
def run_cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    return traitdunion
