"""The release's classes and object properties, read once for the OBO and OBO Graphs writers.

Both formats hold what OBO can say: names, definitions, synonyms, cross-references, named
parents, ``P some C`` parents (relationships), equivalences to an intersection of named classes
and ``P some C`` (logical definitions; a ``P value X`` on an anatomy individual reads as
``P some X``, its class), obsoletion. An axiom that OBO cannot say (unions, datatype
properties, individuals other than the anatomy's) stays in ``cmr.owl`` only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from kg.model.ontology import TERM_NS
from kg.release.vocab import IAO, OIO, SKOS, SYNONYM_SCOPES, VIEW_SUBSET

__all__ = ["ClassTerm", "PropertyTerm", "Terms", "read_terms"]

#: Annotations written as OBO property values (the value's kind is kept).
VALUE_PROPERTIES = (
    IAO["0000119"],
    SKOS.exactMatch,
    SKOS.closeMatch,
    SKOS.broadMatch,
    SKOS.narrowMatch,
    SKOS.relatedMatch,
)

Restriction = tuple[URIRef, URIRef]


@dataclass
class Term:
    """What a class and an object property share: an IRI and its annotations."""

    iri: URIRef
    label: str | None = None
    definition: str | None = None
    synonyms: list[tuple[str, str]] = field(default_factory=list)
    xrefs: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    values: list[tuple[URIRef, URIRef | Literal]] = field(default_factory=list)
    deprecated: bool = False
    replaced_by: list[URIRef] = field(default_factory=list)
    parents: list[URIRef] = field(default_factory=list)


@dataclass
class ClassTerm(Term):
    """A class: its relationships (``P some C`` parents) and logical definition."""

    relations: list[Restriction] = field(default_factory=list)
    genus: list[URIRef] = field(default_factory=list)
    differentia: list[Restriction] = field(default_factory=list)
    subsets: list[URIRef] = field(default_factory=list)


@dataclass
class PropertyTerm(Term):
    """An object property: its characteristics, domain, range and inverse."""

    transitive: bool = False
    symmetric: bool = False
    functional: bool = False
    domain: URIRef | None = None
    range: URIRef | None = None
    inverse: URIRef | None = None


@dataclass
class Terms:
    """Every class and object property of the ``cmr:`` namespace, sorted by IRI."""

    classes: list[ClassTerm]
    properties: list[PropertyTerm]


def _own(graph: Graph, kind: URIRef) -> list[URIRef]:
    found = {s for s in graph.subjects(RDF.type, kind) if isinstance(s, URIRef)}
    return sorted(s for s in found if s.startswith(TERM_NS))


def _annotate(graph: Graph, term: Term) -> None:
    iri = term.iri
    term.label = _first(graph, iri, RDFS.label)
    term.definition = _first(graph, iri, IAO["0000115"])
    for prop, scope in SYNONYM_SCOPES.items():
        term.synonyms += [(scope, v) for v in sorted(str(v) for v in graph.objects(iri, prop))]
    term.xrefs = sorted(str(v) for v in graph.objects(iri, OIO.hasDbXref))
    term.comments = sorted(str(v) for v in graph.objects(iri, RDFS.comment))
    for prop in VALUE_PROPERTIES:
        found = (v for v in graph.objects(iri, prop) if isinstance(v, URIRef | Literal))
        term.values += [(prop, v) for v in sorted(found, key=str)]
    term.deprecated = any(
        isinstance(v, Literal) and v.toPython() is True for v in graph.objects(iri, OWL.deprecated)
    )
    term.replaced_by = _iris(graph.objects(iri, IAO["0100001"]))


def _member(node: Node | None, pool: set[URIRef]) -> URIRef | None:
    """``node`` if it is one of the IRIs in ``pool``."""
    return node if isinstance(node, URIRef) and node in pool else None


def _iris(nodes: Iterable[Node]) -> list[URIRef]:
    """The IRIs among ``nodes``, sorted."""
    return sorted(n for n in nodes if isinstance(n, URIRef))


def _first(graph: Graph, subject: URIRef, prop: URIRef) -> str | None:
    values = sorted(str(v) for v in graph.objects(subject, prop))
    return values[0] if values else None


def _restriction(graph: Graph, node: Node, classes: set[URIRef]) -> Restriction | None:
    """``(P, C)`` for a restriction ``P some C`` or ``P value C`` on a class ``C``."""
    prop = graph.value(node, OWL.onProperty)
    filler = graph.value(node, OWL.someValuesFrom) or graph.value(node, OWL.hasValue)
    target = _member(filler, classes)
    if isinstance(prop, URIRef) and target is not None:
        return prop, target
    return None


def _intersection(
    graph: Graph, node: Node, classes: set[URIRef]
) -> tuple[list[URIRef], list[Restriction]] | None:
    members = graph.value(node, OWL.intersectionOf)
    if members is None:
        return None
    genus: list[URIRef] = []
    differentia: list[Restriction] = []
    for member in Collection(graph, members):
        if (named := _member(member, classes)) is not None:
            genus.append(named)
        elif (found := _restriction(graph, member, classes)) is not None:
            differentia.append(found)
        else:
            return None  # a union or another construct OBO cannot say
    return genus, differentia


def _class(graph: Graph, iri: URIRef, classes: set[URIRef]) -> ClassTerm:
    term = ClassTerm(iri)
    _annotate(graph, term)
    for parent in sorted(graph.objects(iri, RDFS.subClassOf), key=str):
        if (named := _member(parent, classes)) is not None:
            term.parents.append(named)
        elif isinstance(parent, BNode) and (found := _restriction(graph, parent, classes)):
            term.relations.append(found)
    for definition in graph.objects(iri, OWL.equivalentClass):
        logical = _intersection(graph, definition, classes)
        if logical is not None and not term.genus:
            term.genus, term.differentia = logical
    term.relations.sort()
    if term.deprecated:  # OBO: an obsolete term has no logical axioms
        term.parents, term.relations, term.genus, term.differentia = [], [], [], []
    term.subsets = [s for s in _iris(graph.objects(iri, OIO.inSubset)) if s == VIEW_SUBSET]
    return term


def _property(graph: Graph, iri: URIRef, classes: set[URIRef], own: set[URIRef]) -> PropertyTerm:
    term = PropertyTerm(iri)
    _annotate(graph, term)
    kinds = set(graph.objects(iri, RDF.type))
    term.transitive = OWL.TransitiveProperty in kinds
    term.symmetric = OWL.SymmetricProperty in kinds
    term.functional = OWL.FunctionalProperty in kinds
    domain, range_ = graph.value(iri, RDFS.domain), graph.value(iri, RDFS.range)
    term.domain, term.range = _member(domain, classes), _member(range_, classes)
    inverse = graph.value(iri, OWL.inverseOf)
    term.inverse = _member(inverse, own)
    term.parents = [p for p in _iris(graph.objects(iri, RDFS.subPropertyOf)) if p in own]
    return term


def read_terms(graph: Graph) -> Terms:
    """The classes and object properties of ``graph`` (a release graph, with the class view)."""
    classes = set(_own(graph, OWL.Class))
    own_properties = set(_own(graph, OWL.ObjectProperty))
    return Terms(
        classes=[_class(graph, iri, classes) for iri in sorted(classes)],
        properties=[_property(graph, p, classes, own_properties) for p in sorted(own_properties)],
    )
