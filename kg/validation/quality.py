"""An ontology quality report in the spirit of ROBOT's ``report``: one SPARQL query a rule.

The rules live in ``ontology/quality/*.rq``; each names its ``level`` (ERROR, WARN or INFO) in
its header and selects ``?entity ?property ?value`` for every offending entity.

>>> from kg.model.ontology import ontology_graph
>>> [v for v in quality_report(ontology_graph()) if v.level == "ERROR"]
[]
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from kg.model.queryfile import QueryFile, read_query_dir
from kg.model.resources import QUALITY_DIR

__all__ = ["QualityViolation", "quality_report", "quality_rules"]


@dataclass(frozen=True, order=True)
class QualityViolation:
    """One entity that breaks one rule."""

    level: str
    rule: str
    entity: str
    property: str
    value: str


def quality_rules(directory: Path = QUALITY_DIR) -> list[QueryFile]:
    """The quality rules, sorted by name."""
    return read_query_dir(directory)


def quality_report(graph: Graph, directory: Path = QUALITY_DIR) -> list[QualityViolation]:
    """Run every rule on ``graph``; return the violations, errors first."""
    out = []
    for rule in quality_rules(directory):
        level = rule.header.get("level", "ERROR").upper()
        for row in graph.query(rule.text):
            entity, prop, value = (str(x) if x is not None else "" for x in row)  # type: ignore[union-attr]
            out.append(QualityViolation(level, rule.name, entity, prop, value))
    order = {"ERROR": 0, "WARN": 1, "INFO": 2}
    return sorted(out, key=lambda v: (order.get(v.level, 3), v.rule, v.entity, v.value))
