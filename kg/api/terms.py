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

from kg.api import navigation
from kg.api.deprecation import CallableList
from kg.api.navigation import Mapping, Synonym
from kg.model.namespace import CMR
from kg.model.vocabulary import Vocabulary
from kg.sparql.catalogue import run_named

if TYPE_CHECKING:
    from kg.api.case import Case, Lesion
    from kg.api.graph import KnowledgeGraph

__all__ = [
    "Finding",
    "Mapping",
    "Patient",
    "Publication",
    "RouteAssertion",
    "Site",
    "Synonym",
    "Term",
    "Treatment",
    "term_for",
]


@dataclass(frozen=True)
class Term:
    """Anything named in the graph: an IRI with its label.

    An ontology term (a class, an anatomical site, a route) also has its definition, synonyms
    and mappings, and is navigated up, down and across parts (:mod:`kg.api.navigation`)::

        >>> import kg
        >>> conus = kg.load().site("cmr:ConusMedullaris")
        >>> conus.id, conus.label, conus.definition[:30]
        ('cmr:ConusMedullaris', 'conus medullaris', 'The tapering lower end of the ')
        >>> [t.label for t in conus.parents()]
        ['spinal cord structure']
        >>> [t.label for t in conus.parents(distance=None)][:3]
        ['spinal cord structure', 'central nervous system structure', 'nervous system structure']
        >>> [t.label for t in conus.part_of()], [t.label for t in conus.parts()][:2]
        (['spinal cord', 'central nervous system'], [])
        >>> [s.text for s in conus.synonyms]
        ['conus', 'medullary cone']
        >>> conus.mappings[1]
        Mapping(predicate='oboInOwl:hasDbXref', target='UBERON:0005437')
    """

    kg: KnowledgeGraph
    iri: str

    @property
    def label(self) -> str:
        """The ``rdfs:label``, or the CURIE when there is none."""
        known = self.kg.vocabulary.labels.get(self.node)
        if known is not None:
            return known
        value = self.kg.graph.value(self.node, RDFS.label)
        return str(value) if value is not None else self.curie

    @property
    def curie(self) -> str:
        """The IRI shortened with the package prefixes."""
        return self.kg.vocabulary.curie(self.iri)

    @property
    def id(self) -> str:
        """The identifier to look the term up by: its CURIE (a case's is its case id)."""
        return self.curie

    @property
    def node(self) -> URIRef:
        """The rdflib IRI, for those who want it."""
        return URIRef(self.iri)

    @property
    def types(self) -> list[Term]:
        """The classes this node is typed with (asserted and inferred), by label."""
        found = [
            Term(self.kg, str(t))
            for t in self.kg.graph.objects(self.node, RDF.type)
            if isinstance(t, URIRef) and Vocabulary.is_term_iri(str(t))
        ]
        return CallableList(sorted(found, key=lambda t: t.label), "types")

    @property
    def definition(self) -> str | None:
        """The ontology's textual definition (``IAO:0000115``), if any."""
        return navigation.definition(self.node)

    @property
    def synonyms(self) -> list[Synonym]:
        """The ontology's synonyms, each with its scope (``EXACT``, ``RELATED``, ...)."""
        return navigation.synonyms(self.node)

    @property
    def mappings(self) -> list[Mapping]:
        """Cross-references and SKOS matches, as (predicate, target) CURIE pairs."""
        return navigation.mappings(self.node)

    def parents(self, distance: int | None = 1) -> list[Term]:
        """The terms above: superclasses, an individual's classes, the broader route.

        ``distance`` steps up (``None``: every ancestor), nearest first.
        """
        return self._walk(navigation.parents, distance)

    def children(self, distance: int | None = 1) -> list[Term]:
        """The terms below: subclasses, a class's individuals, the narrower routes."""
        return self._walk(navigation.children, distance)

    def parts(self, distance: int | None = 1) -> list[Term]:
        """The structures part of this one (``distance`` steps down ``cmr:partOf``)."""
        return self._walk(navigation.parts, distance)

    def part_of(self, distance: int | None = None) -> list[Term]:
        """The structures this one is part of, nearest first (by default the whole chain)."""
        return self._walk(navigation.wholes, distance)

    def _walk(self, step: navigation.Step, distance: int | None) -> list[Term]:
        return [term_for(self.kg, str(n)) for n in navigation.walk(self.node, step, distance)]

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

    @property
    def level(self) -> Term | None:
        """The spinal level this structure is at, if any."""
        return self._one(CMR.atLevel)

    @property
    def lesions(self) -> list[Lesion]:
        """Lesions within this structure (query ``lesions_in_structure``)."""
        rows = run_named(self.kg.graph, "lesions_in_structure", {"region": self.node})
        seen = dict.fromkeys(str(r[1]) for r in rows.rows)
        return CallableList((self.kg.lesion(iri) for iri in seen), "lesions")

    @property
    def cases(self) -> list[Case]:
        """Cases with a lesion within this structure."""
        return CallableList(_unique_cases(les.case for les in self.lesions), "cases")


def term_for(kg: KnowledgeGraph, iri: str) -> Term:
    """The term of ``iri``: a :class:`Site` for an anatomical individual, else a :class:`Term`."""
    node = URIRef(iri)
    return Site(kg, iri) if navigation.instance_of(node, CMR.AnatomicalEntity) else Term(kg, iri)


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
    """What someone argues about how a lesion reached its site: the authors, or a rule.

    An assertion the graph's rules inferred is marked so, with its rule and the facts it used::

        >>> import kg
        >>> lesion = kg.load().case("seed-001").lesion("lesion-idem-conus")
        >>> drop = lesion.inferred_assertions[0]
        >>> drop.inferred, drop.stance.label, drop.rule.label
        (True, 'inferred', 'intracranial with spinal intradural disease rule')
        >>> [f.iri.rsplit("/", 1)[-1] for f in drop.used_facts]
        ['lesion-brain', 'lesion-idem-conus']
        >>> authors = lesion.authors_assertions[0]
        >>> authors.inferred, authors.rule, [p.id for p in authors.by]
        (False, None, ['pub:r001'])
    """

    @property
    def inferred(self) -> bool:
        """True when the graph's rules inferred it, False when authors assert it."""
        return (self.node, CMR.stance, CMR.Inferred) in self.kg.graph

    @property
    def rule(self) -> Term | None:
        """The route-inference rule that inferred it (``None`` for the authors' assertions)."""
        return self._one(CMR.inferredByRule)

    @property
    def used_facts(self) -> list[Term]:
        """The nodes (lesions, the primary) whose facts the rule used, by IRI."""
        return self._all(CMR.usedFact)

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
        return list(self.types)


class Treatment(Term):
    """A treatment, with its doses where stated."""

    @property
    def kinds(self) -> list[Term]:
        """The treatment classes (a combined treatment has several)."""
        return list(self.types)

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
