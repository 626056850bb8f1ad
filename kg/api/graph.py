"""Traverse the knowledge graph from Python, without handling rdflib terms.

:func:`load` gives a :class:`KnowledgeGraph`: the entry points to traversal (cases, sites,
routes, primaries) and the named and free queries, whose answers come as :class:`Rows`. The
objects it hands out are in :mod:`kg.api.terms` and :mod:`kg.api.case`.

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
>>> sorted(c.id for c in graph.site("cmr:ConusMedullaris").cases)
['seed-001', 'seed-003']
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Identifier

from kg.api import navigation
from kg.api.case import Case, Lesion
from kg.api.deprecation import CallableList
from kg.api.terms import RouteAssertion, Site, Term, term_for
from kg.engine.graphstore import GraphStore
from kg.engine.results import QueryError, refuse_update
from kg.model.namespace import CMR
from kg.model.ontology import PREFIXES, TERM_NS
from kg.model.terms import TermError, parse_term
from kg.model.vocabulary import Vocabulary
from kg.sparql.catalogue import QueryResult, render_cell, run_named, run_sparql
from kg.sparql.remote import run_remote, run_remote_answer, run_remote_named
from kg.store.cache import CaseFiles, open_store
from kg.store.workspace import find_workspace

__all__ = ["KnowledgeGraph", "Rows", "load"]

_SITES = (CMR.AnatomicalEntity,)
_ROUTES = (CMR.DisseminationRoute, CMR.NerveInvolvementMode)
_ROUTE = "a route or mode of nerve involvement"


def load(cases: Path | None = None, *, reason: bool = True, cache: bool = True) -> KnowledgeGraph:
    """The embedded knowledge graph of ``cases`` (built once, then kept on disk).

    ``cases`` defaults to the workspace's cases (``$CMR_KG_WORKSPACE``, else the workspace
    found from the working directory upward), else the shipped cohort. Queries run on the
    Oxigraph store; traversal reads an rdflib copy made on first use.
    """
    folder = cases if cases is not None else find_workspace().cases
    store = open_store(CaseFiles.discover(folder), reason=reason, rebuild=not cache)
    return KnowledgeGraph(store=store)


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
        """The IRI of a term given as a CURIE or ``<IRI>``; terms the ontology lacks are refused.

        The message names the closest terms, or those mapped to ``name`` (``UBERON:0005437``).
        """
        if isinstance(name, URIRef):
            value = name
        else:
            try:
                value = parse_term(f"<{name}>" if "://" in name and "<" not in name else name)
            except TermError as err:
                local = name.strip().rsplit(":", 1)[-1].strip("<>")
                hint = self._mapped_to(name) or self.vocabulary.did_you_mean(TERM_NS + local)
                raise KeyError(f"{err}{hint}") from err
        if value not in self.vocabulary:
            curie = self.vocabulary.curie(str(value))
            hint = self._mapped_to(curie) or self.vocabulary.did_you_mean(str(value))
            raise KeyError(f"{curie} is not a term of the ontology{hint}")
        return value

    def _mapped_to(self, name: str) -> str:
        """``"; did you mean cmr:X (mapped to UBERON:1)?"`` for the terms mapped to ``name``."""
        target = name.strip().strip("<>").replace("obo:", "", 1).replace("_", ":", 1)
        found = [self.vocabulary.curie(str(t)) for t in navigation.mapped_to(target)]
        return f"; did you mean {' or '.join(found)} (mapped to {target})?" if found else ""

    def _individual(self, name: str, kinds: tuple[URIRef, ...], noun: str) -> URIRef:
        """:meth:`_iri`, refused also when the term is not an individual of one of ``kinds``."""
        value = self._iri(name)
        if not any(navigation.instance_of(value, k) for k in kinds):
            self._refuse(value, noun)
        return value

    def _refuse(self, value: URIRef, noun: str) -> None:
        curie = self.vocabulary.curie(str(value))
        raise KeyError(f"{curie} ({Term(self, str(value)).label}) is not {noun}")

    @cached_property
    def _cases(self) -> dict[str, Case]:
        return {str(cid): Case(self, str(c)) for c, cid in self.graph.subject_objects(CMR.caseId)}

    @property
    def cases(self) -> list[Case]:
        """Every case, by identifier (``graph.cases()`` still works, with a warning)."""
        return CallableList((self._cases[k] for k in sorted(self._cases)), "cases")

    def case(self, case_id: str) -> Case:
        """One case by identifier (``seed-000``)."""
        if case_id not in self._cases:
            close = difflib.get_close_matches(case_id, list(self._cases), n=3)
            raise KeyError(
                f"no case {case_id!r}" + (f"; did you mean {' or '.join(close)}?" if close else "")
            )
        return self._cases[case_id]

    def lesion(self, iri: str) -> Lesion:
        """The lesion with this full IRI (``case.lesion(name)`` also takes a local name)."""
        if (None, CMR.hasLesion, URIRef(iri)) not in self.graph:
            lesions = [str(x) for x in self.graph.objects(None, CMR.hasLesion)]
            close = difflib.get_close_matches(iri, lesions, n=3)
            hint = f"; did you mean {' or '.join(close)}?" if close else ""
            raise KeyError(f"no lesion {iri!r}{hint}")
        return Lesion(self, iri)

    def term(self, name: str) -> Term:
        """Any term of the ontology by CURIE or IRI: a class, a site, a route, a value.

        >>> import kg
        >>> graph = kg.load()
        >>> graph.term("cmr:CSFDissemination").children()[0].label
        'drop metastasis route'
        >>> graph.term("cmr:SpinalCordStructure").parents()[0].label
        'central nervous system structure'
        """
        return term_for(self, str(self._iri(name)))

    def site(self, name: str) -> Site:
        """An anatomical individual by CURIE (``cmr:CaudaEquina``) or IRI."""
        return Site(self, str(self._individual(name, _SITES, "an anatomical site")))

    def route(self, name: str) -> Term:
        """A dissemination route or mode of nerve involvement, by CURIE or IRI."""
        return Term(self, str(self._individual(name, _ROUTES, _ROUTE)))

    def assertions_for(self, route: str) -> list[RouteAssertion]:
        """Every assertion of a route or of a narrower one (``cmr:CSFDissemination``)."""
        target = self._individual(route, _ROUTES, _ROUTE)
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
        if not navigation.is_a(target, CMR.Neoplasm):
            self._refuse(target, "a neoplasm class")
        kinds = set(self.graph.transitive_subjects(RDFS.subClassOf, target))
        return [
            c
            for c in self.cases
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
            result = run_named(self.store, name, given)
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

    def answer(
        self, text: str, *, endpoint: str | None = None, timeout: int = 60
    ) -> Rows | bool | Graph:
        """Run any query: :class:`Rows` (SELECT), a bool (ASK) or a graph (CONSTRUCT, DESCRIBE).

        An Update is refused with a :class:`QueryError`.

        >>> import kg
        >>> kg.load().answer("ASK { ?c cmr:caseId 'seed-001' }")
        True
        """
        if endpoint is not None:
            found = run_remote_answer(endpoint, text, timeout=timeout)
        elif self.store is not None:
            found = self.store.answer(text)
        else:
            found = self._rdflib_answer(text)
        return Rows(found, self.vocabulary) if isinstance(found, QueryResult) else found

    def ask(self, text: str, *, endpoint: str | None = None, timeout: int = 60) -> bool:
        """Run an ASK query."""
        found = self.answer(text, endpoint=endpoint, timeout=timeout)
        if not isinstance(found, bool):
            raise QueryError("not an ASK query")
        return found

    def construct(self, text: str, *, endpoint: str | None = None, timeout: int = 60) -> Graph:
        """Run a CONSTRUCT or DESCRIBE query into an rdflib graph."""
        found = self.answer(text, endpoint=endpoint, timeout=timeout)
        if not isinstance(found, Graph):
            raise QueryError("not a CONSTRUCT or DESCRIBE query")
        return found

    def _rdflib_answer(self, text: str) -> QueryResult | bool | Graph:
        refuse_update(text, "query")
        try:
            found = self.graph.query(text, initNs=PREFIXES)
        except Exception as exc:  # pyparsing's ParseException names the line and column
            raise QueryError(f"query: SPARQL syntax error: {exc}") from exc
        if found.type == "ASK":
            return bool(found.askAnswer)
        if found.type in ("CONSTRUCT", "DESCRIBE"):
            assert found.graph is not None
            return found.graph
        return run_sparql(self.graph, text)
