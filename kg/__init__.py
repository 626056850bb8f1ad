"""Knowledge graph of cancers, metastatic dissemination routes and anatomy.

>>> import kg
>>> graph = kg.load()                      # the shipped cases, built once and cached
>>> [c.id for c in graph.cases()][:2]
['seed-000', 'seed-000-t01']
"""

from kg.api import (
    Case,
    Finding,
    KnowledgeGraph,
    Lesion,
    Patient,
    Publication,
    RouteAssertion,
    Rows,
    Site,
    Term,
    Treatment,
    load,
)

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
