"""Fixtures for the Matrix adapter tests (offline fakes in :mod:`tests.matrix.mx_fakes`)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # plain `pytest` (not `python -m pytest`) must find tests.harness too
    sys.path.insert(0, str(ROOT))
