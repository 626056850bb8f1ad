"""Synthetic cohorts shaped like the curated one, for benchmarks (``kg synth``).

Nothing here is clinical data. Every case is ``case:synth-S-NNNNNN`` (``S`` the seed), says so in
its ``cmr:description``, is ``cmr:describedIn`` the publication-like node ``pub:synthetic-S``
of the generated ``sources/synthetic-S.ttl`` and rests, node by node, on excerpts of that file
that state the statement is synthetic.

How a case is sampled. The distributions are read at run time from the shipped cohort (the
curated case files and the ontology); no clinical value is written in this module.

1. **Template.** A curated case is drawn uniformly, so rich case reports and small table rows
   keep the cohort's proportion. Its structure is kept: which nodes it has (lesions, findings,
   procedures, treatments, intervals, route assertions, ...), their classes and the links
   between them. Free text (descriptions, quotes, approaches) is dropped; node names become
   ``lesion-1``, ``finding-2``, ...
2. **Primary.** A curated primary (classes, organ, side) is drawn. A template with nodes tied to
   its primary's organ (treatments, procedures, diagnoses, local recurrences: every full case
   report) draws among primaries of the same organ, so a gastrectomy stays with a gastric
   cancer; a table row draws among all primaries. Diagnoses name the drawn class.
3. **Lesions.** A lesion's *signature* is its class and, for each site, the set of site kinds
   (``cmr:admitsSiteType`` of the compartments) the site falls under. The sites are those of a
   curated lesion with the same signature, so every site is one the cohort uses, stays allowed
   in the template's compartment and keeps its findings and routes plausible (a root for a
   root, a cord structure for a cord structure). A level range, where the template has one, is
   the span of the sites' own levels (``cmr:atLevel``), else the source lesion's (or the
   template's) range shifted by at most one level; it is ordered. Side and multiplicity come
   from curated lesions of the same signature, timing from all curated lesions; sizes are
   curated sizes with jitter.
4. **Values.** Age: a curated age +/- 5 years; sex: among curated patients with the same
   primary organ; durations: a curated duration between the same kinds of events (say,
   treatment to outcome) with +/-25 % jitter; outcome: a curated outcome class; stance: among
   curated assertions of the same route. Everything else is the template's: findings,
   procedures, treatments with their drugs and doses, markers, misdiagnoses, the routes
   asserted and their evidence codes.

Case ``i`` depends only on the seed and ``i``: the same seed and N give byte-identical files,
and the first 1,000 cases of a 100,000-case cohort are the 1,000-case cohort. Files are Turtle
written from string templates, one case at a time, so memory stays bounded.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from operator import itemgetter
from pathlib import Path
from typing import Any, TypeVar

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node
from tqdm import tqdm

from kg.errors import KGError
from kg.loader import case_files, load_files
from kg.namespace import CMR
from kg.ontology import DATA_NS, ontology_graph
from kg.resources import CASES_DIR

__all__ = [
    "Cohort",
    "OutputNotEmptyError",
    "SynthSummary",
    "generate",
    "load_cohort",
    "synthetic_case_id",
]

Key = tuple[str, ...]
T = TypeVar("T")

_ANY: Key = ("*",)

_CASE_NS = DATA_NS + "case/"
_PREFIXES = {
    "cmr": "https://w3id.org/cmr/",
    "obo": "http://purl.obolibrary.org/obo/",
    "unit": "http://qudt.org/vocab/unit/",
}


@cache
def _curie(iri: Node) -> str:
    """``iri`` with the cmr, obo or unit prefix where its local name allows, else ``<iri>``."""
    text = str(iri)
    for prefix, ns in _PREFIXES.items():
        local = text[len(ns) :]
        if text.startswith(ns) and local.replace("_", "a").replace("-", "a").isalnum():
            return f"{prefix}:{local}"
    return f"<{text}>"


# CURIEs written for every case, read from the closed namespace once (its look-up is slow).
_SITE, _COMPARTMENT = _curie(CMR.hasSite), _curie(CMR.inCompartment)
_UPPER, _LOWER = _curie(CMR.upperLevel), _curie(CMR.lowerLevel)
_SIDE, _TIMING, _MULTIPLICITY = (
    _curie(CMR.laterality),
    _curie(CMR.timingRelation),
    _curie(CMR.multiplicity),
)
_ORGAN, _SEX, _STANCE = _curie(CMR.arisesFrom), _curie(CMR.sex), _curie(CMR.stance)
_DIAGNOSED_AS = _curie(CMR.diagnosedAs)
_AGE, _SIZE, _DURATION = _curie(CMR.age), _curie(CMR.size), _curie(CMR.duration)
_PRIMARY_NEOPLASM = _curie(CMR.PrimaryNeoplasm)
_ASSERTED_BY, _SUPPORTED_BY = _curie(CMR.assertedBy), _curie(CMR.supportedBy)
_CASE, _CASE_ID, _DESCRIBED_IN = _curie(CMR.Case), _curie(CMR.caseId), _curie(CMR.describedIn)
_DESCRIPTION = _curie(CMR.description)

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
_ROLES = {role: _curie(prop) for prop, role in _ROLE_PROPERTIES.items()} | {"marker": None}
#: roles whose nodes tie a template to its primary's organ
_ORGAN_BOUND = frozenset({"treatment", "procedure", "diagnosis", "misdiagnosis", "marker"})
#: properties whose values are drawn anew, by role (the rest of a node is kept)
_RESAMPLED = {
    "lesion": frozenset({_SITE, _COMPARTMENT, _UPPER, _LOWER, _SIDE, _TIMING, _MULTIPLICITY}),
    "primary": frozenset({_ORGAN, _SIDE}),
    "patient": frozenset({_SEX}),
    "route": frozenset({_STANCE}),
    "diagnosis": frozenset({_DIAGNOSED_AS}),
}
_DROPPED = frozenset({CMR.supportedBy, CMR.description, CMR.assertedBy})
_PLAIN_LITERALS = frozenset({XSD.integer, XSD.decimal, XSD.boolean})


class OutputNotEmptyError(KGError):
    """The output folder already holds files; nothing is overwritten."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        super().__init__(
            f"output folder {directory} is not empty; choose a new or empty folder "
            "(nothing was written)"
        )


@dataclass(frozen=True)
class Quantity:
    """A number with a QUDT unit (written as a CURIE)."""

    value: float
    unit: str

    def turtle(self) -> str:
        """The quantity as a Turtle blank node."""
        return f"[ a cmr:Quantity ; cmr:numericValue {_number(self.value)} ; cmr:unit {self.unit} ]"


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


@dataclass(frozen=True)
class PrimaryDraw:
    """A curated primary: its neoplasm classes, organs and sides."""

    classes: tuple[str, ...]
    organs: Key
    sides: tuple[str, ...]


@dataclass(frozen=True)
class LesionSource:
    """A curated lesion's sites and level range (level indexes)."""

    sites: tuple[str, ...]
    site_span: tuple[int, int] | None
    levels: tuple[int, int] | None


@dataclass(frozen=True)
class Cohort:
    """The curated cohort as templates and the pools values are drawn from."""

    templates: tuple[CaseTemplate, ...]
    primaries: Mapping[Key, tuple[PrimaryDraw, ...]]
    lesions: Mapping[Key, tuple[LesionSource, ...]]
    sides: Mapping[Key, tuple[str, ...]]
    multiplicities: Mapping[Key, tuple[str, ...]]
    timings: tuple[str, ...]
    sizes: Mapping[Key, tuple[Quantity, ...]]
    ages: tuple[Quantity, ...]
    sexes: Mapping[Key, tuple[str, ...]]
    durations: Mapping[Key, tuple[Quantity, ...]]
    outcomes: tuple[tuple[str, ...], ...]
    stances: Mapping[Key, tuple[str, ...]]
    level_index: Mapping[str, int]
    level_names: Mapping[int, str]


@dataclass
class SynthSummary:
    """What :func:`generate` wrote."""

    directory: Path
    cases: int = 0
    lesions: int = 0
    route_assertions: int = 0
    templates: dict[str, int] = field(default_factory=dict)


# ------------------------------------------------------------------ Turtle text


def _string(text: str) -> str:
    """A Turtle string literal, escaped."""
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f'"{escaped}"'


def _number(value: float) -> str:
    """An integer or decimal Turtle literal."""
    if value == int(value):
        return str(int(value))
    return repr(round(value, 3))


def _node_text(subject: str, types: Iterable[str], props: list[tuple[str, str]]) -> str:
    """One Turtle statement: ``subject a types ; p o, o ; ...``, properties in sorted order."""
    props.sort(key=itemgetter(0))
    out = [subject, " a ", ", ".join(sorted(types))]
    last = None
    for predicate, obj in props:
        if predicate == last:
            out += (", ", obj)
        else:
            out += (" ;\n    ", predicate, " ", obj)
            last = predicate
    out.append(" .\n")
    return "".join(out)


# ------------------------------------------------------------------ reading the cohort


@dataclass
class _Anatomy:
    """What the ontology says about sites and levels."""

    graph: Graph
    kinds: tuple[URIRef, ...] = ()
    level_index: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, graph: Graph) -> _Anatomy:
        """Read the compartments' site kinds and the levels' indexes from the ontology."""
        kinds = {
            k
            for c in graph.subjects(RDF.type, CMR.TumourCompartment)
            for k in graph.objects(c, CMR.admitsSiteType)
            if isinstance(k, URIRef)
        }
        levels = {
            _curie(level): int(index.toPython())
            for level, index in graph.subject_objects(CMR.levelIndex)
            if isinstance(index, Literal)
        }
        return cls(graph, tuple(sorted(kinds)), levels)

    def site_kinds(self, site: str) -> str:
        """The compartment site kinds ``site`` falls under, as one sorted key."""
        classes: set[Node] = set()
        for cls in self.graph.objects(_expand(site), RDF.type):
            classes.update(
                c for c in self.graph.transitive_objects(cls, RDFS.subClassOf) if c is not None
            )
        return "+".join(_curie(k) for k in self.kinds if k in classes)

    def site_level(self, site: str) -> int | None:
        """The level index of a site that has one (a vertebra, a root, a segment)."""
        level = self.graph.value(_expand(site), CMR.atLevel)
        return None if level is None else self.level_index.get(_curie(level))


def _expand(curie: str) -> URIRef:
    prefix, _, local = curie.partition(":")
    return URIRef(_PREFIXES[prefix] + local)


def load_cohort(paths: Sequence[Path] | None = None) -> Cohort:
    """Read the curated cohort (default: the shipped cases) into templates and pools."""
    loaded = load_files(paths if paths is not None else case_files(CASES_DIR))
    if loaded.syntax_errors:
        raise loaded.syntax_errors[0]
    graph = loaded.graph()
    anatomy = _Anatomy.of(ontology_graph())
    cases = sorted(
        (str(case_id), case)
        for case, case_id in graph.subject_objects(CMR.caseId)
        if isinstance(case, URIRef)
    )
    if not cases:
        raise KGError("the curated cohort holds no case to model synthetic cases on")
    templates = tuple(_template(case_id, case, graph, anatomy) for case_id, case in cases)
    return _pools(templates, anatomy)


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
    for role in _ROLES:
        nodes = sorted(str(n) for n, r in roles.items() if r == role)
        for number, node in enumerate(nodes, start=1):
            single = role in ("patient", "primary") and len(nodes) == 1
            names[URIRef(node)] = role if single else f"{role}-{number}"
    return names


def _template(case_id: str, case: URIRef, graph: Graph, anatomy: _Anatomy) -> CaseTemplate:
    roles = _case_nodes(case, graph)
    names = _names(roles)
    nodes = tuple(
        _node_template(node, name, roles[node], graph, names, roles, anatomy)
        for node, name in names.items()
    )
    recurrence = _curie(CMR.LocalRecurrence)
    bound = any(n.role in _ORGAN_BOUND or recurrence in n.types for n in nodes)
    primary = next((n for n in nodes if n.role == "primary"), None)
    organ = primary.values(_ORGAN) if primary is not None else ()
    return CaseTemplate(case_id, nodes, organ if bound else None)


def _node_template(
    node: Node,
    name: str,
    role: str,
    graph: Graph,
    names: Mapping[Node, str],
    roles: Mapping[Node, str],
    anatomy: _Anatomy,
) -> NodeTemplate:
    types = tuple(sorted(_curie(t) for t in graph.objects(node, RDF.type)))
    fixed: list[tuple[str, str]] = []
    quantities: list[tuple[str, Quantity]] = []
    own: dict[str, list[str]] = defaultdict(list)
    for predicate, obj in sorted(graph.predicate_objects(node)):
        if predicate == RDF.type or predicate in _DROPPED:
            continue
        p = _curie(predicate)
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
                own[p].append(_curie(obj))
            else:
                fixed.append((p, _curie(obj)))
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
    anatomy: _Anatomy,
) -> Key:
    """The pool a node's drawn values come from."""
    if role == "lesion":
        sites = own.get(_SITE, [])
        return (*types, *sorted(anatomy.site_kinds(s) for s in sites))
    if role == "interval":
        ends = (graph.value(node, CMR.fromEvent), graph.value(node, CMR.toEvent))
        return tuple("" if end is None else roles.get(end, "") for end in ends)
    if role == "route":
        what = graph.value(node, CMR.assertsRoute) or graph.value(node, CMR.assertsNerveInvolvement)
        return (_curie(what),) if what is not None else ()
    return (role,)


def _quantity(node: BNode, graph: Graph) -> Quantity | None:
    value, unit = graph.value(node, CMR.numericValue), graph.value(node, CMR.unit)
    if not isinstance(value, Literal) or unit is None:
        return None
    return Quantity(float(value.toPython()), _curie(unit))


def _lists() -> defaultdict[Key, list[Any]]:
    return defaultdict(list)


@dataclass
class _Pools:
    """The values the templates hold, grouped by the key draws use."""

    primaries: defaultdict[Key, list[PrimaryDraw]] = field(default_factory=_lists)
    lesions: defaultdict[Key, list[LesionSource]] = field(default_factory=_lists)
    sides: defaultdict[Key, list[str]] = field(default_factory=_lists)
    multiplicities: defaultdict[Key, list[str]] = field(default_factory=_lists)
    timings: list[str] = field(default_factory=list)
    sizes: defaultdict[Key, list[Quantity]] = field(default_factory=_lists)
    ages: list[Quantity] = field(default_factory=list)
    sexes: defaultdict[Key, list[str]] = field(default_factory=_lists)
    durations: defaultdict[Key, list[Quantity]] = field(default_factory=_lists)
    outcomes: list[tuple[str, ...]] = field(default_factory=list)
    stances: defaultdict[Key, list[str]] = field(default_factory=_lists)

    def add(self, node: NodeTemplate, organ: Key, anatomy: _Anatomy) -> None:
        """Add a template node's values."""
        for predicate, quantity in node.quantities:
            if predicate == _SIZE:
                self.sizes[(node.role,)].append(quantity)
            elif predicate == _AGE:
                self.ages.append(quantity)
            elif predicate == _DURATION:
                self.durations[node.key].append(quantity)
        if node.role == "primary":
            classes = tuple(t for t in node.types if t != _PRIMARY_NEOPLASM)
            draw = PrimaryDraw(classes, organ, node.values(_SIDE))
            self.primaries[organ].append(draw)
            self.primaries[_ANY].append(draw)
        elif node.role == "lesion":
            self.lesions[node.key].append(_lesion_source(node, anatomy))
            self.sides[node.key].extend(node.values(_SIDE))
            self.multiplicities[node.key].extend(node.values(_MULTIPLICITY))
            self.timings.extend(node.values(_TIMING))
        elif node.role == "patient":
            self.sexes[organ].extend(node.values(_SEX))
            self.sexes[_ANY].extend(node.values(_SEX))
        elif node.role == "outcome":
            self.outcomes.append(node.types)
        elif node.role == "route":
            self.stances[node.key].extend(node.values(_STANCE))


def _frozen(pool: Mapping[Key, list[T]]) -> dict[Key, tuple[T, ...]]:
    return {key: tuple(values) for key, values in sorted(pool.items())}


def _pools(templates: tuple[CaseTemplate, ...], anatomy: _Anatomy) -> Cohort:
    """The cohort: its templates and every value they hold, pooled."""
    pools = _Pools()
    for template in templates:
        primary = next((n for n in template.nodes if n.role == "primary"), None)
        organ = primary.values(_ORGAN) if primary is not None else ()
        for node in template.nodes:
            pools.add(node, organ, anatomy)
    return Cohort(
        templates=templates,
        primaries=_frozen(pools.primaries),
        lesions=_frozen(pools.lesions),
        sides=_frozen(pools.sides),
        multiplicities=_frozen(pools.multiplicities),
        timings=tuple(pools.timings),
        sizes=_frozen(pools.sizes),
        ages=tuple(pools.ages),
        sexes=_frozen(pools.sexes),
        durations=_frozen(pools.durations),
        outcomes=tuple(pools.outcomes),
        stances=_frozen(pools.stances),
        level_index=dict(anatomy.level_index),
        level_names={i: name for name, i in anatomy.level_index.items()},
    )


def _lesion_source(node: NodeTemplate, anatomy: _Anatomy) -> LesionSource:
    sites = node.values(_SITE)
    site_levels = [anatomy.site_level(s) for s in sites]
    known = [level for level in site_levels if level is not None]
    span = (min(known), max(known)) if known and len(known) == len(sites) else None
    upper, lower = node.values(_UPPER), node.values(_LOWER)
    levels = None
    if upper and lower:
        levels = (anatomy.level_index[upper[0]], anatomy.level_index[lower[0]])
    return LesionSource(sites, span, levels)


# ------------------------------------------------------------------ drawing a case


@dataclass
class _Draw:
    """The random state and case-wide draws of one synthetic case."""

    rng: random.Random
    cohort: Cohort
    primary: PrimaryDraw
    seed: int

    def pick(self, pool: Sequence[T], default: T) -> T:
        """A value drawn from ``pool``, or ``default`` when the pool is empty."""
        return self.rng.choice(pool) if pool else default


def _draw_primary(template: CaseTemplate, cohort: Cohort, rng: random.Random) -> PrimaryDraw:
    key = template.organ if template.organ is not None else _ANY
    return rng.choice(cohort.primaries.get(key) or cohort.primaries[_ANY])


def _resample(node: NodeTemplate, draw: _Draw) -> tuple[tuple[str, ...], list[tuple[str, str]]]:
    """The node's types and properties for this case."""
    types, props = node.types, list(node.fixed)
    quantities = [(p, _draw_quantity(node, p, q, draw)) for p, q in node.quantities]
    if node.role == "primary":
        types = (_PRIMARY_NEOPLASM, *draw.primary.classes)
        props += [(_ORGAN, o) for o in draw.primary.organs]
        props += [(_SIDE, s) for s in draw.primary.sides]
    elif node.role == "lesion":
        props += _lesion_props(node, draw)
    elif node.role == "patient":
        pool = draw.cohort.sexes.get(draw.primary.organs) or draw.cohort.sexes.get(_ANY, ())
        props += [(_SEX, draw.pick(pool, s)) for s in node.values(_SEX)]
    elif node.role == "outcome":
        types = draw.pick(draw.cohort.outcomes, types)
    elif node.role == "route":
        pool = draw.cohort.stances.get(node.key, ())
        props += [(_STANCE, draw.pick(pool, s)) for s in node.values(_STANCE)]
        props.append((_ASSERTED_BY, f"pub:synthetic-{draw.seed}"))
    elif node.role == "diagnosis":
        props += [(_DIAGNOSED_AS, c) for c in draw.primary.classes[:1]]
    props += [(p, q.turtle()) for p, q in quantities]
    props.append((_SUPPORTED_BY, f"synth:q-{node.role}"))
    return types, props


def _draw_quantity(node: NodeTemplate, predicate: str, own: Quantity, draw: _Draw) -> Quantity:
    """Age, size and duration drawn from the cohort with jitter; other quantities kept."""
    rng, cohort = draw.rng, draw.cohort
    if predicate == _AGE:
        base = rng.choice(cohort.ages) if cohort.ages else own
        return Quantity(min(95, max(18, round(base.value) + rng.randint(-5, 5))), base.unit)
    if predicate == _SIZE:
        base = rng.choice(cohort.sizes.get((node.role,), (own,)))
        return Quantity(max(0.1, round(base.value * rng.uniform(0.8, 1.25), 1)), base.unit)
    if predicate == _DURATION:
        base = rng.choice(cohort.durations.get(node.key, (own,)))
        value = base.value * rng.uniform(0.75, 1.25)
        return Quantity(round(value) if value >= 3 else round(value, 1), base.unit)
    return own


def _lesion_props(node: NodeTemplate, draw: _Draw) -> list[tuple[str, str]]:
    rng, cohort = draw.rng, draw.cohort
    source = rng.choice(cohort.lesions[node.key])
    props = [(_SITE, site) for site in source.sites]
    props += [(_COMPARTMENT, c) for c in node.values(_COMPARTMENT)]
    upper, lower = node.values(_UPPER), node.values(_LOWER)
    if upper and lower:
        own = (cohort.level_index[upper[0]], cohort.level_index[lower[0]])
        top, bottom = source.site_span or _shifted(source.levels or own, cohort, rng)
        props.append((_UPPER, cohort.level_names[top]))
        props.append((_LOWER, cohort.level_names[bottom]))
    for predicate, pool in (
        (_SIDE, cohort.sides.get(node.key, ())),
        (_MULTIPLICITY, cohort.multiplicities.get(node.key, ())),
        (_TIMING, cohort.timings),
    ):
        props += [(predicate, draw.pick(pool, v)) for v in node.values(predicate)]
    return props


def _shifted(levels: tuple[int, int], cohort: Cohort, rng: random.Random) -> tuple[int, int]:
    """A level range moved up or down by at most one level, within the spine."""
    shift = rng.choice((-1, 0, 0, 1))
    top, bottom = levels[0] + shift, levels[1] + shift
    if top in cohort.level_names and bottom in cohort.level_names:
        return top, bottom
    return levels


# ------------------------------------------------------------------ writing


def _header(case_id: str, seed: int) -> str:
    return (
        f"@prefix : <{_CASE_NS}{case_id}/> .\n"
        f"@prefix case: <{_CASE_NS}> .\n"
        f"@prefix cmr: <{_PREFIXES['cmr']}> .\n"
        f"@prefix obo: <{_PREFIXES['obo']}> .\n"
        f"@prefix pub: <{DATA_NS}publication/> .\n"
        f"@prefix synth: <{DATA_NS}source/synthetic-{seed}/> .\n"
        f"@prefix unit: <{_PREFIXES['unit']}> .\n\n"
    )


def synthetic_case_id(seed: int, index: int) -> str:
    """The identifier of synthetic case ``index`` (from 1) of the cohort of ``seed``."""
    return f"synth-{seed}-{index:06d}"


def _case_text(seed: int, index: int, cohort: Cohort) -> tuple[str, CaseTemplate]:
    """The Turtle text of synthetic case ``index``, and the template it was modelled on."""
    rng = random.Random(f"kg-synth:{seed}:{index}")
    template = rng.choice(cohort.templates)
    draw = _Draw(rng, cohort, _draw_primary(template, cohort, rng), seed)
    identifier = synthetic_case_id(seed, index)
    description = (
        f"Synthetic case {index} of the cohort generated by `kg synth` with seed {seed}, "
        f"shaped like the curated case {template.case_id}; not clinical data."
    )
    case_props = [
        (_CASE_ID, _string(identifier)),
        (_DESCRIBED_IN, f"pub:synthetic-{seed}"),
        (_DESCRIPTION, _string(description)),
        (_SUPPORTED_BY, "synth:q-case"),
    ]
    body = []
    for node in template.nodes:
        link = _ROLES[node.role]
        if link is not None:
            case_props.append((link, f":{node.name}"))
        types, props = _resample(node, draw)
        body.append(_node_text(f":{node.name}", types, props))
    head = _node_text(f"case:{identifier}", [_CASE], case_props)
    return _header(identifier, seed) + head + "\n" + "\n".join(body), template


def _source_text(seed: int) -> str:
    """The publication-like node and the excerpts every synthetic statement cites."""
    pub = f"pub:synthetic-{seed}"
    lines = [
        f"@prefix cmr: <{_PREFIXES['cmr']}> .\n"
        f"@prefix pub: <{DATA_NS}publication/> .\n"
        f"@prefix synth: <{DATA_NS}source/synthetic-{seed}/> .\n",
        _node_text(
            pub,
            [_curie(CMR.Publication)],
            [
                (
                    _curie(CMR.title),
                    _string(f"Synthetic cohort generated by `kg synth` (seed {seed})"),
                ),
                (
                    _DESCRIPTION,
                    _string(
                        "Not a publication and not clinical data: synthetic cases generated by "
                        f"`kg synth` with seed {seed} from the structure and value distributions "
                        "of the curated cohort, for benchmarks. No case describes a real patient."
                    ),
                ),
            ],
        ),
    ]
    for role in ("case", *_ROLES):
        text = (
            f"Synthetic statement ({role}) generated by `kg synth` with seed {seed}; "
            "it describes no real patient and quotes no publication."
        )
        props = [
            (_curie(CMR.excerptText), _string(text)),
            (_curie(CMR.inPublication), pub),
            (_curie(CMR.locator), _string(f"Synthetic cohort, seed {seed}, {role}")),
        ]
        lines.append(_node_text(f"synth:q-{role}", [_curie(CMR.SourceExcerpt)], props))
    return "\n".join(lines)


def _prepare(directory: Path) -> None:
    """Create ``directory`` (and ``sources/``), refusing one that already holds anything."""
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise OutputNotEmptyError(directory)
    (directory / "sources").mkdir(parents=True, exist_ok=True)


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8", newline="\n")


def generate(
    n: int,
    seed: int,
    directory: Path,
    *,
    progress: bool = True,
    cohort: Cohort | None = None,
) -> SynthSummary:
    """Write ``n`` synthetic cases and their source file into ``directory`` (new or empty).

    ``cohort`` defaults to the shipped cases (:func:`load_cohort`). Raises
    :class:`OutputNotEmptyError` rather than write into a folder that holds anything.
    """
    if n < 1 or seed < 0:
        raise KGError(f"need at least one case and a seed of 0 or more (got {n} and {seed})")
    _prepare(directory)
    cohort = cohort or load_cohort()
    _write(directory / "sources" / f"synthetic-{seed}.ttl", _source_text(seed))
    summary = SynthSummary(directory)
    for index in tqdm(range(1, n + 1), desc="synth", unit="case", disable=not progress):
        text, template = _case_text(seed, index, cohort)
        _write(directory / f"{synthetic_case_id(seed, index)}.ttl", text)
        summary.cases += 1
        summary.lesions += sum(1 for node in template.nodes if node.role == "lesion")
        summary.route_assertions += sum(1 for node in template.nodes if node.role == "route")
        summary.templates[template.case_id] = summary.templates.get(template.case_id, 0) + 1
    return summary
