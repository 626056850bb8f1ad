"""The Python traversal API: the built graph as cases, lesions, sites, routes and publications.

It also navigates the ontology's terms (:mod:`kg.api.navigation`) and explains a case's routes
(:mod:`kg.api.explain`). Members without arguments are properties, lookups are methods; old
spellings warn for one release (:mod:`kg.api.deprecation`). It may import every layer below it
(model, engine, validation, reasoning, store, sparql), never kg.cli.
"""

from kg.api.case import Case, Lesion
from kg.api.graph import KnowledgeGraph, Rows, load
from kg.api.navigation import Mapping, Synonym
from kg.api.terms import Finding, Patient, Publication, RouteAssertion, Site, Term, Treatment

__all__ = [
    "Case",
    "Finding",
    "KnowledgeGraph",
    "Lesion",
    "Mapping",
    "Patient",
    "Publication",
    "RouteAssertion",
    "Rows",
    "Site",
    "Synonym",
    "Term",
    "Treatment",
    "load",
]
