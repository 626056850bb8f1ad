"""Traverse the knowledge graph from Python, without handling rdflib terms.

>>> import kg
>>> graph = kg.load()
>>> case = graph.case("seed-000")
>>> case.patient is not None and (case.patient.age, case.patient.sex.label)
('53 years', 'male')
>>> case.primary.label
'lung carcinoma'
>>> root = case.lesion("lesion-s1-root")
>>> root.site.label, root.compartment.label if root.compartment else None
('S1 spinal nerve root', 'intradural extramedullary compartment')
>>> [s.label for s in root.site.part_of()]
['sacral nerve roots', 'lumbosacral nerve roots']
>>> sorted({a.route.label for a in root.route_assertions})[:2]
['arterial spread', 'cerebrospinal fluid dissemination']
>>> sorted(c.id for c in graph.site("cmr:ConusMedullaris").cases())
['seed-001', 'seed-003']
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Identifier, Node

from kg.graph import open_store
from kg.graphstore import GraphStore
from kg.namespace import CMR
from kg.ontology import PREFIXES
from kg.queries import QueryResult, parse_value, render_cell, run_named, run_sparql
from kg.remote import run_remote, run_remote_named
from kg.resources import CASES_DIR
from kg.vocabulary import Vocabulary

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

CASE_NS = PREFIXES["case"]


def load(cases: Path = CASES_DIR, *, reason: bool = True, cache: bool = True) -> KnowledgeGraph:
    """The embedded knowledge graph of the shipped cases (built once, then kept on disk).

    Queries run on the Oxigraph store; traversal reads an rdflib copy made on first use.
    """
    return KnowledgeGraph(store=open_store(cases, reason=reason, rebuild=not cache))


class Rows(list[dict[str, Any]]):
    """Query results: a list of rows (column to value); ``to_dataframe()`` needs pandas."""

    def __init__(self, result: QueryResult, vocabulary: Vocabulary) -> None:
        self.columns = result.columns
        super().__init__(
            {c: _python(v, vocabulary) for c, v in zip(result.columns, row, strict=True)}
            for row in result.rows
        )

    def to_dataframe(self) -> Any:
        """The rows as a pandas DataFrame (``pip install pandas``)."""
        import pandas

        return pandas.DataFrame(list(self), columns=self.columns)


def _python(value: Identifier | None, vocabulary: Vocabulary) -> Any:
    if value is None:
        return None
    if isinstance(value, Literal):
        return value.toPython()
    return render_cell(value, vocabulary)


@dataclass(frozen=True)
class Term:
    """Anything named in the graph: an IRI with its label."""

    kg: KnowledgeGraph
    iri: str

    @property
    def label(self) -> str:
        """The ``rdfs:label``, or the CURIE when there is none."""
        value = self.kg.graph.value(URIRef(self.iri), RDFS.label)
        return str(value) if value is not None else self.curie

    @property
    def curie(self) -> str:
        """The IRI shortened with the package prefixes."""
        return self.kg.vocabulary.curie(self.iri)

    @property
    def node(self) -> URIRef:
        """The rdflib IRI, for those who want it."""
        return URIRef(self.iri)

    def types(self) -> list[Term]:
        """The classes this node is typed with (asserted and inferred), by label."""
        found = [
            Term(self.kg, str(t))
            for t in self.kg.graph.objects(self.node, RDF.type)
            if isinstance(t, URIRef) and Vocabulary.is_term_iri(str(t))
        ]
        return sorted(found, key=lambda t: t.label)

    def _one(self, prop: URIRef) -> Term | None:
        value = self.kg.graph.value(self.node, prop)
        return Term(self.kg, str(value)) if isinstance(value, URIRef) else None

    def _all(self, prop: URIRef) -> list[Term]:
        return sorted(
            (
                Term(self.kg, str(v))
                for v in self.kg.graph.objects(self.node, prop)
                if isinstance(v, URIRef)
            ),
            key=lambda t: t.iri,
        )

    def _literal(self, prop: URIRef) -> Any:
        value = self.kg.graph.value(self.node, prop)
        return value.toPython() if isinstance(value, Literal) else None

    def _quantity(self, prop: URIRef) -> str | None:
        node = self.kg.graph.value(self.node, prop)
        return None if node is None else self._quantity_text(node)

    def _quantity_text(self, node: Node) -> str | None:
        """``3 centimetres``, ``1 year``: a quantity node as text."""
        number = self.kg.graph.value(node, CMR.numericValue)
        unit = self.kg.graph.value(node, CMR.unit)
        label = self.kg.graph.value(unit, RDFS.label) if unit is not None else None
        if number is None:
            return None
        text = format(number.toPython(), "g") if isinstance(number, Literal) else str(number)
        return f"{text} {label}s" if label and text != "1" else f"{text} {label or ''}".strip()

    def __str__(self) -> str:
        return self.label


class Site(Term):
    """An anatomical individual."""

    def part_of(self) -> list[Site]:
        """The structures this one is part of, nearest first (the transitive cmr:partOf chain)."""
        chain: list[Site] = []
        frontier = [self.node]
        seen = {self.node}
        while frontier:
            parents = sorted(
                (
                    p
                    for n in frontier
                    for p in self.kg.graph.objects(n, CMR.partOf)
                    if isinstance(p, URIRef) and p not in seen
                ),
                key=str,
            )
            seen.update(parents)
            chain += [Site(self.kg, str(p)) for p in parents]
            frontier = parents
        return chain

    @property
    def level(self) -> Term | None:
        """The spinal level this structure is at, if any."""
        return self._one(CMR.atLevel)

    def lesions(self) -> list[Lesion]:
        """Lesions within this structure (query ``lesions_in_structure``)."""
        rows = run_named(self.kg.graph, "lesions_in_structure", {"region": self.node})
        seen = dict.fromkeys(str(r[1]) for r in rows.rows)
        return [Lesion(self.kg, iri) for iri in seen]

    def cases(self) -> list[Case]:
        """Cases with a lesion within this structure."""
        return _unique_cases(les.case for les in self.lesions())


class Publication(Term):
    """A publication: a seed report or a reference it cites."""

    @property
    def authors(self) -> str | None:
        """The authors as the source gives them."""
        return self._literal(CMR.authors)  # type: ignore[no-any-return]

    @property
    def title(self) -> str | None:
        """The title, when the source gives it."""
        return self._literal(CMR.title)  # type: ignore[no-any-return]

    @property
    def label(self) -> str:
        """Authors and reference number, or the title, or the CURIE."""
        number = self._literal(CMR.referenceNumber)
        if self.authors:
            return f"{self.authors} [{number}]" if number else self.authors
        seed = self._literal(CMR.seedDocument)
        return self.title or (f"seed report {seed}" if seed else self.curie)


class RouteAssertion(Term):
    """What someone argues about how a lesion reached its site."""

    @property
    def route(self) -> Term:
        """The dissemination route or nerve involvement mode asserted."""
        found = self._one(CMR.assertsRoute) or self._one(CMR.assertsNerveInvolvement)
        assert found is not None
        return found

    @property
    def stance(self) -> Term:
        """Proposed, favoured, rejected or inferred."""
        found = self._one(CMR.stance)
        assert found is not None
        return found

    @property
    def by(self) -> list[Publication]:
        """The publications whose authors make the assertion."""
        return [Publication(self.kg, t.iri) for t in self._all(CMR.assertedBy)]

    @property
    def evidence(self) -> list[Term]:
        """ECO evidence codes."""
        return self._all(CMR.evidenceCode)

    @property
    def quotes(self) -> list[str]:
        """The sentences the assertion rests on."""
        return _quotes(self)

    @property
    def lesion(self) -> Lesion:
        """The lesion the assertion is about."""
        found = self._one(CMR.aboutLesion)
        assert found is not None
        return Lesion(self.kg, found.iri)


class Lesion(Term):
    """A lesion of a case (metastasis or recurrence)."""

    @property
    def case(self) -> Case:
        """The case this lesion belongs to."""
        owner = self.kg.graph.value(None, CMR.hasLesion, self.node)
        return Case(self.kg, str(owner))

    @property
    def sites(self) -> list[Site]:
        """Every site of the lesion."""
        return [Site(self.kg, t.iri) for t in self._all(CMR.hasSite)]

    @property
    def site(self) -> Site:
        """The (first) site."""
        return self.sites[0]

    @property
    def compartment(self) -> Term | None:
        """The tumour compartment, when stated."""
        return self._one(CMR.inCompartment)

    @property
    def laterality(self) -> Term | None:
        """The side, when stated."""
        return self._one(CMR.laterality)

    @property
    def levels(self) -> tuple[Term, Term] | None:
        """The level range (upper, lower), when stated."""
        upper, lower = self._one(CMR.upperLevel), self._one(CMR.lowerLevel)
        return (upper, lower) if upper is not None and lower is not None else None

    @property
    def size(self) -> list[str]:
        """The stated dimensions."""
        texts = (self._quantity_text(n) for n in self.kg.graph.objects(self.node, CMR.size))
        return sorted(t for t in texts if t)

    @property
    def classes(self) -> list[Term]:
        """The lesion classes it belongs to (asserted and inferred by HermiT)."""
        return [t for t in self.types() if t.label.endswith("metastasis")]

    @property
    def detected_by(self) -> list[Term]:
        """Procedures that showed it."""
        return self._all(CMR.detectedBy)

    @property
    def missed_by(self) -> list[Term]:
        """Procedures that were done while it was present but did not show it."""
        return self._all(CMR.missedBy)

    @property
    def route_assertions(self) -> list[RouteAssertion]:
        """What the authors (or the graph's rules) say about how it got there."""
        return sorted(
            (
                RouteAssertion(self.kg, str(a))
                for a in self.kg.graph.subjects(CMR.aboutLesion, self.node)
            ),
            key=lambda a: a.iri,
        )

    @property
    def quotes(self) -> list[str]:
        """The sentences this lesion's facts rest on."""
        return _quotes(self)

    @property
    def neuraxis_order(self) -> float:
        """Where the lesion lies along the neuraxis (brain first, non-neural sites last)."""
        g = self.kg.graph
        indices = [
            g.value(lv, CMR.levelIndex)
            for lv in [
                *g.objects(self.node, CMR.upperLevel),
                *(g.value(s.node, CMR.atLevel) for s in self.sites),
            ]
            if lv is not None
        ]
        numbers = [int(i) for i in indices if isinstance(i, Literal)]
        if not numbers:  # a root group: the levels of the roots that are part of it
            numbers = [
                int(i)
                for s in self.sites
                for m in g.subjects(CMR.partOf, s.node)
                for i in g.objects(g.value(m, CMR.atLevel), CMR.levelIndex)
                if isinstance(i, Literal)
            ]
        if numbers:
            return float(min(numbers))
        if any("brain" in t.label or "intracranial" in t.label for t in self.classes):
            return 0.0
        if any("nervous system" in t.label for t in self.classes):
            return 50.0
        return 100.0


class Finding(Term):
    """A symptom or sign."""

    @property
    def kinds(self) -> list[Term]:
        """The finding classes (with their HPO cross-references in the ontology)."""
        return self.types()


class Treatment(Term):
    """A treatment, with its doses where stated."""

    @property
    def kinds(self) -> list[Term]:
        """The treatment classes (a combined treatment has several)."""
        return self.types()

    @property
    def total_dose(self) -> str | None:
        """The total radiation dose."""
        return self._quantity(CMR.totalDose) or self._quantity(CMR.deliveredDose)

    @property
    def treats(self) -> list[Term]:
        """The tumours or lesions it was aimed at."""
        return self._all(CMR.treats)


class Patient(Term):
    """The patient of a case."""

    @property
    def age(self) -> str | None:
        """Age at presentation, with its unit."""
        return self._quantity(CMR.age)

    @property
    def sex(self) -> Term | None:
        """Male or female, when stated."""
        return self._one(CMR.sex)


class Case(Term):
    """One published case."""

    @property
    def id(self) -> str:
        """The case identifier (``seed-000``)."""
        return str(self._literal(CMR.caseId))

    @property
    def label(self) -> str:
        """The case identifier."""
        return self.id

    @property
    def source(self) -> Publication:
        """The publication that reports the case."""
        found = self._one(CMR.describedIn)
        assert found is not None
        return Publication(self.kg, found.iri)

    @property
    def reported_via(self) -> Publication | None:
        """The report whose table lists the case, for cases known from a table."""
        found = self._one(CMR.reportedVia)
        return Publication(self.kg, found.iri) if found else None

    @property
    def patient(self) -> Patient | None:
        """The patient, when the source describes one (a table row may not)."""
        found = self._one(CMR.hasPatient)
        return Patient(self.kg, found.iri) if found else None

    @property
    def primary(self) -> Term:
        """The primary tumour; its label is its most specific neoplasm class."""
        found = self._one(CMR.hasPrimary)
        assert found is not None
        kinds = [t for t in found.types() if t.curie != "cmr:PrimaryNeoplasm"]
        most_specific = [
            k
            for k in kinds
            if not any(
                (URIRef(o.iri), RDFS.subClassOf, URIRef(k.iri)) in self.kg.graph and o != k
                for o in kinds
            )
        ]
        return (most_specific or kinds or [found])[0]

    @property
    def organ(self) -> Site | None:
        """The organ the primary arose from, when stated."""
        primary = self._one(CMR.hasPrimary)
        organ = primary._one(CMR.arisesFrom) if primary else None
        return Site(self.kg, organ.iri) if organ else None

    @property
    def lesions(self) -> list[Lesion]:
        """Every lesion, in order along the neuraxis."""
        lesions = [Lesion(self.kg, t.iri) for t in self._all(CMR.hasLesion)]
        return sorted(lesions, key=lambda les: (les.neuraxis_order, les.iri))

    def lesion(self, name: str) -> Lesion:
        """One lesion by its local name (``lesion-s1-root``) or IRI."""
        for les in self.lesions:
            if les.iri == name or les.iri.endswith("/" + name):
                return les
        raise KeyError(f"case {self.id} has no lesion {name!r}")

    @property
    def findings(self) -> list[Finding]:
        """Symptoms and signs."""
        return [Finding(self.kg, t.iri) for t in self._all(CMR.hasFinding)]

    @property
    def treatments(self) -> list[Treatment]:
        """Treatments."""
        return [Treatment(self.kg, t.iri) for t in self._all(CMR.hasTreatment)]

    @property
    def outcome(self) -> Term | None:
        """The outcome class (death, alive at follow-up, ...), when stated."""
        found = self._one(CMR.hasOutcome)
        return found.types()[0] if found else None

    @property
    def route_assertions(self) -> list[RouteAssertion]:
        """Every route assertion of the case."""
        return [RouteAssertion(self.kg, t.iri) for t in self._all(CMR.hasRouteAssertion)]


def _quotes(term: Term) -> list[str]:
    g = term.kg.graph
    return sorted(str(g.value(q, CMR.excerptText)) for q in g.objects(term.node, CMR.supportedBy))


def _unique_cases(cases: Iterator[Case] | list[Case]) -> list[Case]:
    seen: dict[str, Case] = {}
    for c in cases:
        seen.setdefault(c.iri, c)
    return sorted(seen.values(), key=lambda c: c.id)


class KnowledgeGraph:
    """The graph, with named queries and traversal from cases, sites, routes and primaries.

    Give it an rdflib ``graph``, a :class:`GraphStore`, or both. Queries run on the store when
    there is one (else on the rdflib graph) or, with ``endpoint=URL``, on a SPARQL endpoint.
    """

    def __init__(self, graph: Graph | None = None, *, store: GraphStore | None = None) -> None:
        if graph is None and store is None:
            raise ValueError("KnowledgeGraph needs an rdflib graph or a GraphStore")
        self._graph = graph
        self.store = store
        self.vocabulary = Vocabulary.shipped()

    @property
    def graph(self) -> Graph:
        """The rdflib graph that traversal reads (copied from the store on first use)."""
        if self._graph is None:
            assert self.store is not None
            self._graph = self.store.to_rdflib()
        return self._graph

    def _iri(self, name: str) -> URIRef:
        value = parse_value(name)
        if not isinstance(value, URIRef):
            raise KeyError(f"{name!r} is not an IRI or a CURIE such as cmr:CaudaEquina")
        return value

    @cached_property
    def _cases(self) -> dict[str, Case]:
        return {str(cid): Case(self, str(c)) for c, cid in self.graph.subject_objects(CMR.caseId)}

    def cases(self) -> list[Case]:
        """Every case, by identifier."""
        return [self._cases[k] for k in sorted(self._cases)]

    def case(self, case_id: str) -> Case:
        """One case by identifier (``seed-000``)."""
        if case_id not in self._cases:
            close = difflib.get_close_matches(case_id, list(self._cases), n=3)
            raise KeyError(
                f"no case {case_id!r}" + (f"; did you mean {', '.join(close)}?" if close else "")
            )
        return self._cases[case_id]

    def site(self, name: str) -> Site:
        """An anatomical individual by CURIE (``cmr:CaudaEquina``) or IRI."""
        return Site(self, str(self._iri(name)))

    def route(self, name: str) -> Term:
        """A dissemination route by CURIE or IRI."""
        return Term(self, str(self._iri(name)))

    def assertions_for(self, route: str) -> list[RouteAssertion]:
        """Every assertion of a route or of a narrower one (``cmr:CSFDissemination``)."""
        target = self._iri(route)
        narrower = {target} | set(self.graph.transitive_subjects(CMR.broaderRoute, target))
        found = [
            RouteAssertion(self, str(a))
            for r in narrower
            for p in (CMR.assertsRoute, CMR.assertsNerveInvolvement)
            for a in self.graph.subjects(p, r)
        ]
        return sorted(found, key=lambda a: a.iri)

    def cases_with_primary(self, neoplasm: str) -> list[Case]:
        """Cases whose primary is of a neoplasm class or a subclass (``cmr:LungNeoplasm``)."""
        target = self._iri(neoplasm)
        kinds = set(self.graph.transitive_subjects(RDFS.subClassOf, target))
        return [
            c
            for c in self.cases()
            if any(
                t in kinds
                for t in self.graph.objects(self.graph.value(c.node, CMR.hasPrimary), RDF.type)
            )
        ]

    def query(
        self,
        name: str,
        params: Mapping[str, str] | None = None,
        *,
        endpoint: str | None = None,
        timeout: int = 60,
        **kwargs: str,
    ) -> Rows:
        """Run a catalogue query; parameters as keywords or a mapping (values as text).

        With ``endpoint``, the query runs on that SPARQL 1.1 endpoint instead.
        """
        given = {**(params or {}), **kwargs}
        if endpoint is not None:
            result = run_remote_named(endpoint, name, given, timeout=timeout)
        elif self.store is not None:
            result = self.store.run_named(name, given)
        else:
            result = run_named(self.graph, name, given)
        return Rows(result, self.vocabulary)

    def sparql(self, text: str, *, endpoint: str | None = None, timeout: int = 60) -> Rows:
        """Run any SELECT query (prefixes cmr:, case:, pub:, ... are predeclared)."""
        if endpoint is not None:
            return Rows(run_remote(endpoint, text, timeout=timeout), self.vocabulary)
        if self.store is not None:
            return Rows(self.store.select(text), self.vocabulary)
        return Rows(run_sparql(self.graph, text), self.vocabulary)
