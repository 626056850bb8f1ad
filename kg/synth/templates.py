"""Curated cases reduced to templates: their structure, without free text or names.

A template keeps a curated case's structure: which nodes it has (lesions, findings, procedures,
treatments, intervals, route assertions, ...), their classes and the links between them. Free
text (descriptions, quotes, approaches) is dropped; node names become ``lesion-1``,
``finding-2``, ... The values that are drawn anew for each synthetic case (sites, sides, sexes,
stances, ...) are kept apart, with the key of the pool they are drawn from. A lesion's key is
its *signature*: its class and, for each site, the set of site kinds (``cmr:admitsSiteType`` of
the compartments) the site falls under; an interval's is the kinds of its events.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from kg.model.namespace import CMR
from kg.model.ontology import DATA_NS
from kg.synth.turtle import (
    COMPARTMENT,
    DIAGNOSED_AS,
    LOWER,
    MULTIPLICITY,
    ORGAN,
    SEX,
    SIDE,
    SITE,
    STANCE,
    TIMING,
    UPPER,
    curie,
    expand,
    number_literal,
)

__all__ = [
    "ROLES",
    "Anatomy",
    "CaseTemplate",
    "Key",
    "NodeTemplate",
    "Quantity",
    "case_template",
]

#: the key of a pool of drawn values
Key = tuple[str, ...]

_ROLE_PROPERTIES = {
    CMR.hasPatient: "patient",
    CMR.hasPrimary: "primary",
    CMR.hasLesion: "lesion",
    CMR.hasFinding: "finding",
    CMR.hasProcedure: "procedure",
    CMR.hasTreatment: "treatment",
    CMR.hasOutcome: "outcome",
    CMR.hasInterval: "interval",
    CMR.hasRouteAssertion: "route",
    CMR.hasDiagnosis: "diagnosis",
    CMR.hasMisdiagnosis: "misdiagnosis",
    CMR.hasEvent: "event",
}
#: roles in the order their nodes are written, each with the case property that links it
ROLES = {role: curie(prop) for prop, role in _ROLE_PROPERTIES.items()} | {"marker": None}
#: roles whose nodes tie a template to its primary's organ
_ORGAN_BOUND = frozenset({"treatment", "procedure", "diagnosis", "misdiagnosis", "marker"})
#: properties whose values are drawn anew, by role (the rest of a node is kept)
_RESAMPLED = {
    "lesion": frozenset({SITE, COMPARTMENT, UPPER, LOWER, SIDE, TIMING, MULTIPLICITY}),
    "primary": frozenset({ORGAN, SIDE}),
    "patient": frozenset({SEX}),
    "route": frozenset({STANCE}),
    "diagnosis": frozenset({DIAGNOSED_AS}),
}
_DROPPED = frozenset({CMR.supportedBy, CMR.description, CMR.assertedBy})
_PLAIN_LITERALS = frozenset({XSD.integer, XSD.decimal, XSD.boolean})


@dataclass(frozen=True)
class Quantity:
    """A number with a QUDT unit (written as a CURIE)."""

    value: float
    unit: str

    def turtle(self) -> str:
        """The quantity as a Turtle blank node."""
        value = number_literal(self.value)
        return f"[ a cmr:Quantity ; cmr:numericValue {value} ; cmr:unit {self.unit} ]"


@dataclass(frozen=True)
class NodeTemplate:
    """One node of a curated case, reduced to its structure."""

    name: str
    role: str
    types: tuple[str, ...]
    #: (predicate, Turtle object) pairs written as they are
    fixed: tuple[tuple[str, str], ...]
    #: (predicate, quantity) pairs
    quantities: tuple[tuple[str, Quantity], ...]
    #: the node's own values of the properties that are drawn anew
    own: Mapping[str, tuple[str, ...]]
    #: the pool a drawn value comes from (a lesion's signature, an interval's kinds of event)
    key: Key = ()

    def values(self, predicate: str) -> tuple[str, ...]:
        """The template's own values of ``predicate`` (CURIEs)."""
        return self.own.get(predicate, ())


@dataclass(frozen=True)
class CaseTemplate:
    """A curated case's structure."""

    case_id: str
    nodes: tuple[NodeTemplate, ...]
    #: the primary's organs when the template has nodes tied to them, else None
    organ: Key | None


@dataclass
class Anatomy:
    """What the ontology says about sites and levels."""

    graph: Graph
    kinds: tuple[URIRef, ...] = ()
    level_index: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, graph: Graph) -> Anatomy:
        """Read the compartments' site kinds and the levels' indexes from the ontology."""
        kinds = {
            k
            for c in graph.subjects(RDF.type, CMR.TumourCompartment)
            for k in graph.objects(c, CMR.admitsSiteType)
            if isinstance(k, URIRef)
        }
        levels = {
            curie(level): int(index.toPython())
            for level, index in graph.subject_objects(CMR.levelIndex)
            if isinstance(index, Literal)
        }
        return cls(graph, tuple(sorted(kinds)), levels)

    def site_kinds(self, site: str) -> str:
        """The compartment site kinds ``site`` falls under, as one sorted key."""
        classes: set[Node] = set()
        for cls in self.graph.objects(expand(site), RDF.type):
            classes.update(
                c for c in self.graph.transitive_objects(cls, RDFS.subClassOf) if c is not None
            )
        return "+".join(curie(k) for k in self.kinds if k in classes)

    def site_level(self, site: str) -> int | None:
        """The level index of a site that has one (a vertebra, a root, a segment)."""
        level = self.graph.value(expand(site), CMR.atLevel)
        return None if level is None else self.level_index.get(curie(level))


def case_template(case_id: str, case: URIRef, graph: Graph, anatomy: Anatomy) -> CaseTemplate:
    """The template of the curated case ``case`` of ``graph``."""
    roles = _case_nodes(case, graph)
    names = _names(roles)
    nodes = tuple(
        _node_template(node, name, roles[node], graph, names, roles, anatomy)
        for node, name in names.items()
    )
    recurrence = curie(CMR.LocalRecurrence)
    bound = any(n.role in _ORGAN_BOUND or recurrence in n.types for n in nodes)
    primary = next((n for n in nodes if n.role == "primary"), None)
    organ = primary.values(ORGAN) if primary is not None else ()
    return CaseTemplate(case_id, nodes, organ if bound else None)


def _case_nodes(case: URIRef, graph: Graph) -> dict[Node, str]:
    """The nodes of a case with their roles (markers hang off lesions)."""
    roles: dict[Node, str] = {}
    for prop, role in _ROLE_PROPERTIES.items():
        for node in graph.objects(case, prop):
            roles[node] = role
    for node in [n for n, role in roles.items() if role == "lesion"]:
        for marker in graph.objects(node, CMR.markerResult):
            roles[marker] = "marker"
    return roles


def _names(roles: Mapping[Node, str]) -> dict[Node, str]:
    """Names by role (``lesion-1``, ...) in the order of the curated IRIs; one ``primary``."""
    names: dict[Node, str] = {}
    for role in ROLES:
        nodes = sorted(str(n) for n, r in roles.items() if r == role)
        for number, node in enumerate(nodes, start=1):
            single = role in ("patient", "primary") and len(nodes) == 1
            names[URIRef(node)] = role if single else f"{role}-{number}"
    return names


def _node_template(
    node: Node,
    name: str,
    role: str,
    graph: Graph,
    names: Mapping[Node, str],
    roles: Mapping[Node, str],
    anatomy: Anatomy,
) -> NodeTemplate:
    types = tuple(sorted(curie(t) for t in graph.objects(node, RDF.type)))
    fixed: list[tuple[str, str]] = []
    quantities: list[tuple[str, Quantity]] = []
    own: dict[str, list[str]] = defaultdict(list)
    for predicate, obj in sorted(graph.predicate_objects(node)):
        if predicate == RDF.type or predicate in _DROPPED:
            continue
        p = curie(predicate)
        if isinstance(obj, BNode):
            quantity = _quantity(obj, graph)
            if quantity is not None:
                quantities.append((p, quantity))
        elif isinstance(obj, Literal):
            if obj.datatype in _PLAIN_LITERALS:
                fixed.append((p, str(obj)))
        elif obj in names:
            fixed.append((p, f":{names[obj]}"))
        elif not str(obj).startswith(DATA_NS):  # other data (publications) is replaced
            if p in _RESAMPLED.get(role, ()):
                own[p].append(curie(obj))
            else:
                fixed.append((p, curie(obj)))
    key = _key(role, types, own, node, graph, roles, anatomy)
    return NodeTemplate(
        name,
        role,
        types,
        tuple(fixed),
        tuple(sorted(quantities, key=lambda pq: (pq[0], pq[1].unit, pq[1].value))),  # not BNodes
        {k: tuple(v) for k, v in own.items()},
        key,
    )


def _key(
    role: str,
    types: tuple[str, ...],
    own: Mapping[str, list[str]],
    node: Node,
    graph: Graph,
    roles: Mapping[Node, str],
    anatomy: Anatomy,
) -> Key:
    """The pool a node's drawn values come from."""
    if role == "lesion":
        sites = own.get(SITE, [])
        return (*types, *sorted(anatomy.site_kinds(s) for s in sites))
    if role == "interval":
        ends = (graph.value(node, CMR.fromEvent), graph.value(node, CMR.toEvent))
        return tuple("" if end is None else roles.get(end, "") for end in ends)
    if role == "route":
        what = graph.value(node, CMR.assertsRoute) or graph.value(node, CMR.assertsNerveInvolvement)
        return (curie(what),) if what is not None else ()
    return (role,)


def _quantity(node: BNode, graph: Graph) -> Quantity | None:
    value, unit = graph.value(node, CMR.numericValue), graph.value(node, CMR.unit)
    if not isinstance(value, Literal) or unit is None:
        return None
    return Quantity(float(value.toPython()), curie(unit))
