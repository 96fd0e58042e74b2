"""The version of Trait d'union: written here only (``pyproject.toml`` and ``traitdunion --version`` read it).

Bump it with a new section in ``CHANGELOG.md``.
"""

__version__ = "0.1.0"
