"""The ontology's quality report: ROBOT ``report``'s standard checks, one SPARQL query a rule.

The rules live in ``ontology/quality/*.rq`` and run on the embedded Oxigraph engine. Each names
in its header its ``level`` (ERROR, WARN or INFO; ROBOT's default for ROBOT's checks), its
``origin`` (``ROBOT`` or ``cmr``), what it looks for and the ``fix``, and selects ``?entity
?property ?value`` for every offence, as ROBOT's queries do.

Before the rules run, each named class's superclasses are added to a copy of the graph as
``kgq:superClass`` statements (:data:`SUPERCLASS`), so that a rule can ask what is implied
without a reasoner of its own: from HermiT's classification when the caller has one
(``superclasses``), else from the asserted structure (:func:`asserted_superclasses`).

>>> from kg.model.ontology import ontology_graph
>>> [v for v in quality_report(ontology_graph()) if v.level == "ERROR"]
[]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDFS

from kg.engine.graphstore import GraphStore
from kg.model.queryfile import QueryFile, read_query_dir
from kg.model.resources import QUALITY_DIR

__all__ = [
    "LEVELS",
    "SUPERCLASS",
    "QualityViolation",
    "asserted_superclasses",
    "failing",
    "quality_report",
    "quality_rules",
    "rule_level",
]

#: The levels, most severe first.
LEVELS: tuple[str, ...] = ("ERROR", "WARN", "INFO")
#: ``class kgq:superClass ancestor``: the superclass relation the rules may read (not itself).
SUPERCLASS = URIRef("urn:kg:quality#superClass")


@dataclass(frozen=True, order=True)
class QualityViolation:
    """One offence against one rule: ROBOT's Level, Rule Name, Subject, Property and Value."""

    level: str
    rule: str
    entity: str
    property: str
    value: str
    #: whether ``value`` is an IRI (written as a CURIE) rather than a literal's text
    value_is_iri: bool = field(default=False, compare=False)


def quality_rules(directory: Path = QUALITY_DIR) -> list[QueryFile]:
    """The quality rules, sorted by name."""
    return read_query_dir(directory)


def rule_level(rule: QueryFile) -> str:
    """The level a rule's header gives (ERROR when it gives none)."""
    return rule.header.get("level", "ERROR").upper()


def _named_conjuncts(graph: Graph, expression: object) -> set[URIRef]:
    """The named classes an equivalent-class expression implies: itself, or an intersection's."""
    if isinstance(expression, URIRef):
        return {expression}
    out: set[URIRef] = set()
    if isinstance(expression, BNode):
        for members in graph.objects(expression, OWL.intersectionOf):
            out |= {m for m in Collection(graph, members) if isinstance(m, URIRef)}
    return out


def asserted_superclasses(graph: Graph) -> dict[str, set[str]]:
    """Each named class's superclasses as the asserted structure implies them, without a reasoner.

    A class is under its asserted named parents, under the named classes of its equivalent-class
    intersections, and under a named class it is asserted equivalent to; and so on upward.
    """
    direct: dict[URIRef, set[URIRef]] = {}
    for cls, parent in graph.subject_objects(RDFS.subClassOf):
        if isinstance(cls, URIRef) and isinstance(parent, URIRef):
            direct.setdefault(cls, set()).add(parent)
    for cls, expression in graph.subject_objects(OWL.equivalentClass):
        if isinstance(cls, URIRef):
            direct.setdefault(cls, set()).update(_named_conjuncts(graph, expression))
            if isinstance(expression, URIRef):
                direct.setdefault(expression, set()).add(cls)
    closure: dict[str, set[str]] = {}
    for cls in direct:
        seen: set[URIRef] = set()
        todo = list(direct[cls])
        while todo:
            parent = todo.pop()
            if parent not in seen:
                seen.add(parent)
                todo.extend(direct.get(parent, ()))
        closure[str(cls)] = {str(c) for c in seen if c != cls and c != OWL.Thing}
    return closure


def _store(graph: Graph, superclasses: Mapping[str, Iterable[str]]) -> GraphStore:
    """An in-memory Oxigraph store of ``graph`` and its ``kgq:superClass`` statements."""
    implied = Graph()
    for cls, ancestors in superclasses.items():
        for ancestor in ancestors:
            if ancestor not in (cls, str(OWL.Thing)):
                implied.add((URIRef(cls), SUPERCLASS, URIRef(ancestor)))
    store = GraphStore.in_memory()
    store.add_graph(graph)
    store.add_graph(implied)
    return store


def quality_report(
    graph: Graph,
    directory: Path = QUALITY_DIR,
    superclasses: Mapping[str, Iterable[str]] | None = None,
) -> list[QualityViolation]:
    """Run every rule on ``graph``; return the violations, errors first.

    ``superclasses`` maps each named class IRI to its named ancestors (HermiT's classification,
    :attr:`kg.reasoning.closure.TBox.ancestors`); without it they come from the asserted
    structure.
    """
    if superclasses is None:
        superclasses = asserted_superclasses(graph)
    store = _store(graph, superclasses)
    out = []
    for rule in quality_rules(directory):
        level = rule_level(rule)
        for entity, prop, value in store.select(rule.text, source=rule.name).rows:
            out.append(
                QualityViolation(
                    level,
                    rule.name,
                    "" if entity is None else str(entity),
                    "" if prop is None else str(prop),
                    "" if value is None else str(value),
                    isinstance(value, URIRef),
                )
            )
    order = {level: i for i, level in enumerate(LEVELS)}
    return sorted(set(out), key=lambda v: (order.get(v.level, 3), v.rule, v.entity, v.value))


def failing(violations: Iterable[QualityViolation], fail_on: str) -> bool:
    """Whether a violation is at ``fail_on`` or worse (``none``: never), as ROBOT's --fail-on."""
    if fail_on.upper() == "NONE":
        return False
    worst = LEVELS.index(fail_on.upper())
    return any(v.level in LEVELS[: worst + 1] for v in violations)
