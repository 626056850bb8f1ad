"""A published case and its lesions, as Python objects built from the small term kinds.

:class:`Case` gathers the patient, primary tumour, lesions, findings, treatments and route
assertions of one case; :class:`Lesion` gives a lesion's sites, levels, classes and the routes
asserted for it. Both read the graph through the :class:`~kg.api.graph.KnowledgeGraph` they hold.
"""

from __future__ import annotations

import difflib

from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from kg.api.terms import Finding, Patient, Publication, RouteAssertion, Site, Term, Treatment
from kg.model.namespace import CMR

__all__ = ["Case", "Lesion"]


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
        return [t for t in self.types if t.label.endswith("metastasis")]

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
        """How it got there: the authors' assertions, then those the rules inferred."""
        return self.authors_assertions + self.inferred_assertions

    @property
    def authors_assertions(self) -> list[RouteAssertion]:
        """The routes the authors assert (proposed, favoured or rejected), by IRI."""
        return [a for a in self._assertions() if not a.inferred]

    @property
    def inferred_assertions(self) -> list[RouteAssertion]:
        """The candidate routes the graph's rules inferred, by IRI."""
        return [a for a in self._assertions() if a.inferred]

    def _assertions(self) -> list[RouteAssertion]:
        found = self.kg.graph.subjects(CMR.aboutLesion, self.node)
        return sorted((RouteAssertion(self.kg, str(a)) for a in found), key=lambda a: a.iri)

    @property
    def quotes(self) -> list[str]:
        """The sentences this lesion's facts rest on."""
        return self._quotes()

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
        kinds = [t for t in found.types if t.curie != "cmr:PrimaryNeoplasm"]
        graph = self.kg.graph
        most_specific = [
            k
            for k in kinds
            if not any(
                o != k and URIRef(k.iri) in graph.transitive_objects(URIRef(o.iri), RDFS.subClassOf)
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
        names = {les.iri.rsplit("/", 1)[-1]: les for les in self.lesions}
        for local, les in names.items():
            if name in (les.iri, local):
                return les
        close = difflib.get_close_matches(name.rsplit("/", 1)[-1], list(names), n=3)
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        raise KeyError(f"case {self.id} has no lesion {name!r}{hint}")

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
        return found.types[0] if found else None

    @property
    def route_assertions(self) -> list[RouteAssertion]:
        """Every route assertion of the case: the authors', then those the rules inferred.

        ``RouteAssertion.inferred`` tells them apart; :attr:`authors_assertions` and
        :attr:`inferred_assertions` give one kind.

        >>> import kg
        >>> case = kg.load().case("seed-001")
        >>> [(a.inferred, a.route.label) for a in case.route_assertions][::7]
        [(False, 'arterial spread'), (True, 'drop metastasis route')]
        >>> len(case.authors_assertions), len(case.inferred_assertions)
        (7, 4)
        """
        return self.authors_assertions + self.inferred_assertions

    @property
    def authors_assertions(self) -> list[RouteAssertion]:
        """The routes the authors assert (proposed, favoured or rejected), by IRI."""
        return [RouteAssertion(self.kg, t.iri) for t in self._all(CMR.hasRouteAssertion)]

    @property
    def inferred_assertions(self) -> list[RouteAssertion]:
        """The candidate routes the graph's rules inferred for its lesions, along the neuraxis."""
        return [a for les in self.lesions for a in les.inferred_assertions]
