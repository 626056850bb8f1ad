"""The Python traversal API: the built graph as cases, lesions, sites, routes and publications.

It also explains a case's routes (:mod:`kg.api.explain`). It may import every layer below it
(model, engine, validation, reasoning, store, sparql), never kg.cli.
"""

from kg.api.case import Case, Lesion
from kg.api.graph import KnowledgeGraph, Rows, load
from kg.api.terms import Finding, Patient, Publication, RouteAssertion, Site, Term, Treatment

__all__ = [
    "Case",
    "Finding",
    "KnowledgeGraph",
    "Lesion",
    "Patient",
    "Publication",
    "RouteAssertion",
    "Rows",
    "Site",
    "Term",
    "Treatment",
    "load",
]
