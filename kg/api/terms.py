"""Named things of the graph as Python objects: the base :class:`Term` and the small kinds.

A term is an IRI read through the :class:`~kg.api.graph.KnowledgeGraph` that holds it: sites,
publications, route assertions, findings, treatments and patients. Lesions and cases, which
gather these, are in :mod:`kg.api.case`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from kg.model.namespace import CMR
from kg.model.vocabulary import Vocabulary
from kg.sparql.catalogue import run_named

if TYPE_CHECKING:
    from kg.api.case import Case, Lesion
    from kg.api.graph import KnowledgeGraph

__all__ = [
    "Finding",
    "Patient",
    "Publication",
    "RouteAssertion",
    "Site",
    "Term",
    "Treatment",
]


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

    def _quotes(self) -> list[str]:
        """The texts of the excerpts this node is ``cmr:supportedBy``, sorted."""
        g = self.kg.graph
        quotes = g.objects(self.node, CMR.supportedBy)
        return sorted(str(g.value(q, CMR.excerptText)) for q in quotes)

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
        return [self.kg.lesion(iri) for iri in seen]

    def cases(self) -> list[Case]:
        """Cases with a lesion within this structure."""
        return _unique_cases(les.case for les in self.lesions())


def _unique_cases(cases: Iterator[Case] | list[Case]) -> list[Case]:
    seen: dict[str, Case] = {}
    for c in cases:
        seen.setdefault(c.iri, c)
    return sorted(seen.values(), key=lambda c: c.id)


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
        return self._quotes()

    @property
    def lesion(self) -> Lesion:
        """The lesion the assertion is about."""
        found = self._one(CMR.aboutLesion)
        assert found is not None
        return self.kg.lesion(found.iri)


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
