"""Term navigation on the shipped ontology: hierarchy, parts, definitions, synonyms, mappings.

Everything here reads the ontology graph of :mod:`kg.model.ontology` (parsed once per process),
never the built cohort. The hierarchy joins the ontology's three "is a" relations, so that a
class, an anatomical individual and a route are walked alike: ``rdfs:subClassOf`` (a class and
its superclasses), ``rdf:type`` (an individual and its classes) and ``cmr:broaderRoute`` (a route
and the broader one it specialises). Parts follow ``cmr:partOf`` and its inverse ``cmr:hasPart``.

>>> from kg.model.namespace import CMR
>>> [label(n) for n in walk(CMR.ConusMedullaris, parents)]
['spinal cord structure']
>>> [label(n) for n in walk(CMR.ConusMedullaris, wholes, None)]
['spinal cord', 'central nervous system']
>>> mappings(CMR.ConusMedullaris)[0]
Mapping(predicate='oboInOwl:hasDbXref', target='NCIT:C12832')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from kg.model.namespace import CMR
from kg.model.ontology import PREFIXES, ontology_graph

__all__ = [
    "Mapping",
    "Synonym",
    "children",
    "definition",
    "instance_of",
    "is_a",
    "label",
    "mapped_to",
    "mappings",
    "parents",
    "parts",
    "synonyms",
    "walk",
    "wholes",
]

_OBO = PREFIXES["obo"]
_OIO = PREFIXES["oboInOwl"]
_DEFINITION = URIRef(_OBO + "IAO_0000115")
_SCOPES = {"Exact": "EXACT", "Related": "RELATED", "Narrow": "NARROW", "Broad": "BROAD"}
_W3C = (str(OWL), str(RDF), str(RDFS), str(XSD))
_IS_A = (RDFS.subClassOf, RDF.type, CMR.broaderRoute)
#: Cross-reference and SKOS mapping predicates, with the CURIE a mapping pair names them by.
_MAPPINGS = {
    URIRef(_OIO + "hasDbXref"): "oboInOwl:hasDbXref",
    **{
        SKOS[m]: f"skos:{m}"
        for m in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")
    },
}

Step = Callable[[URIRef], Iterable[URIRef]]


class Synonym(NamedTuple):
    """A synonym and its scope (``EXACT``, ``RELATED``, ``NARROW`` or ``BROAD``, as in OBO)."""

    text: str
    scope: str


class Mapping(NamedTuple):
    """A cross-reference or SKOS match: the predicate's CURIE and the target's CURIE."""

    predicate: str
    target: str


def _graph() -> Graph:
    return ontology_graph()


def _named(nodes: Iterable[object]) -> set[URIRef]:
    """The IRIs among ``nodes``, without OWL's, RDF's and RDFS's own (``owl:Thing``, ...)."""
    return {n for n in nodes if isinstance(n, URIRef) and not str(n).startswith(_W3C)}


def label(node: URIRef) -> str:
    """The ontology's ``rdfs:label`` of ``node``, or '' when it has none."""
    return str(_graph().value(node, RDFS.label) or "")


def parents(node: URIRef) -> set[URIRef]:
    """One step up: superclasses, the classes of an individual, the broader route."""
    g = _graph()
    return _named(o for p in _IS_A for o in g.objects(node, p))


def children(node: URIRef) -> set[URIRef]:
    """One step down: subclasses, the individuals of a class, the narrower routes."""
    g = _graph()
    return _named(s for p in _IS_A for s in g.subjects(p, node))


def parts(node: URIRef) -> set[URIRef]:
    """The structures directly part of ``node`` (``cmr:partOf`` it, or its ``cmr:hasPart``)."""
    g = _graph()
    return _named([*g.subjects(CMR.partOf, node), *g.objects(node, CMR.hasPart)])


def wholes(node: URIRef) -> set[URIRef]:
    """The structures ``node`` is directly part of."""
    g = _graph()
    return _named([*g.objects(node, CMR.partOf), *g.subjects(CMR.hasPart, node)])


def walk(start: URIRef, step: Step, distance: int | None = 1) -> list[URIRef]:
    """The nodes ``step`` reaches from ``start`` within ``distance`` steps (``None``: all).

    Nearest first, and by label within one distance; ``start`` itself is left out.
    """
    found: list[URIRef] = []
    seen = {start}
    frontier = [start]
    depth = 0
    while frontier and (distance is None or depth < distance):
        reached = {n for f in frontier for n in step(f)} - seen
        frontier = sorted(reached, key=lambda n: (label(n).casefold(), str(n)))
        seen |= reached
        found += frontier
        depth += 1
    return found


def definition(node: URIRef) -> str | None:
    """The textual definition (``IAO:0000115``), if the ontology gives one."""
    value = _graph().value(node, _DEFINITION)
    return str(value) if value is not None else None


def synonyms(node: URIRef) -> list[Synonym]:
    """The synonyms with their scopes, by text."""
    g = _graph()
    found = {
        Synonym(str(text), scope)
        for name, scope in _SCOPES.items()
        for text in g.objects(node, URIRef(f"{_OIO}has{name}Synonym"))
    }
    return sorted(found)


def mappings(node: URIRef) -> list[Mapping]:
    """Cross-references and SKOS matches as (predicate, target) CURIE pairs, sorted."""
    g = _graph()
    return sorted(
        {
            Mapping(name, _target(value))
            for predicate, name in _MAPPINGS.items()
            for value in g.objects(node, predicate)
        }
    )


def _target(value: object) -> str:
    """``NCIT:C12832`` as written; an OBO PURL as ``UBERON:0005437``; else the IRI."""
    if isinstance(value, Literal):
        return str(value)
    text = str(value)
    if text.startswith(_OBO) and "_" in text:
        prefix, _, local = text[len(_OBO) :].partition("_")
        return f"{prefix}:{local}"
    for name, ns in PREFIXES.items():
        if text.startswith(ns) and name not in ("rdf", "rdfs", "owl", "xsd"):
            return f"{name}:{text[len(ns) :]}"
    return f"<{text}>"


def mapped_to(target: str) -> list[URIRef]:
    """The terms with a mapping to ``target`` (a CURIE such as ``UBERON:0005437``), sorted."""
    g = _graph()
    return sorted(
        {
            s
            for predicate in _MAPPINGS
            for s, value in g.subject_objects(predicate)
            if isinstance(s, URIRef) and _target(value) == target
        }
    )


def is_a(node: URIRef, kind: URIRef) -> bool:
    """True when ``node`` is the class ``kind`` or one of its subclasses."""
    return kind in _graph().transitive_objects(node, RDFS.subClassOf)


def instance_of(node: URIRef, kind: URIRef) -> bool:
    """True when ``node`` is an individual of the class ``kind`` or of one of its subclasses."""
    return any(is_a(t, kind) for t in _graph().objects(node, RDF.type) if isinstance(t, URIRef))
