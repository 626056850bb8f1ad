"""Build the knowledge graph: the ontology and the cases, reasoned over and validated.

The work is done by :mod:`kg.store.pipeline` on an Oxigraph store; :class:`BuildResult` adds what a
user wants to see afterwards.

>>> result = build(progress=False)
>>> result.conforms
True
>>> result.summary()["cases"] >= 21
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from rdflib import Graph

from kg.engine.graphstore import GraphStore
from kg.model.namespace import CMR
from kg.model.resources import CASES_DIR
from kg.reasoning.closure import tbox
from kg.store.pipeline import StoreBuild, build_store
from kg.validation.issues import ValidationReport
from kg.validation.loader import case_files

__all__ = ["BuildResult", "build"]


@dataclass
class BuildResult:
    """The built graph and what was found on the way."""

    built: StoreBuild

    @property
    def store(self) -> GraphStore:
        """The store holding the built graph."""
        return self.built.store

    @property
    def report(self) -> ValidationReport:
        """Syntax errors, the loader's checks and the shapes' results."""
        return self.built.report

    @property
    def seconds(self) -> dict[str, float]:
        """Seconds per step (parse, reason, validate, index)."""
        return self.built.seconds

    @property
    def conforms(self) -> bool:
        """Every file parsed and the data conforms."""
        return self.built.conforms

    @cached_property
    def graph(self) -> Graph:
        """The built graph as an rdflib graph (converted once, on first use)."""
        return self.store.to_rdflib()

    @cached_property
    def inferred(self) -> Graph:
        """The lesion types the reasoning added, apart from the asserted ones."""
        return self.built.inferred()

    @cached_property
    def routes(self) -> Graph:
        """The candidate routes the rules (:mod:`kg.reasoning.routes`) added (inferred)."""
        return self.store.construct(
            "CONSTRUCT { ?a ?p ?o } WHERE { ?a cmr:stance cmr:Inferred ; ?p ?o }"
        )

    def _classes(self) -> dict[str, int]:
        rows = self.store.select(
            """SELECT ?label (COUNT(DISTINCT ?x) AS ?n) WHERE {
                 ?x cmr:inferredType ?c . ?c rdfs:label ?label } GROUP BY ?label ORDER BY ?label"""
        ).rows
        return {str(label): int(str(n)) for label, n in rows}

    def summary(self) -> dict[str, object]:
        """Counts a user wants to see after a build."""
        count = self.built.count
        return {
            "files": len(self.built.files),
            "triples": len(self.store),
            "cases": count(CMR.Case),
            "lesions": count(CMR.MetastaticLesion) + count(CMR.LocalRecurrence),
            "route assertions": count(CMR.RouteAssertion),
            "inferred route assertions": self._inferred_routes(),
            "source excerpts": count(CMR.SourceExcerpt),
            "population statistics": count(CMR.PopulationStatistic),
            "publications": count(CMR.Publication),
            "violations": self.report.count("violation"),
            "warnings": self.report.count("warning"),
            "infos": self.report.count("info"),
            # HermiT checks the ontology (a build raises if it is inconsistent); the cases are
            # checked by the shapes, not by HermiT
            "ontology consistent": True if self.built.reasoned else None,
            "unsatisfiable classes": len(tbox().unsatisfiable) if self.built.reasoned else None,
            "inferred lesion classes": self._classes(),
            "seconds": {k: round(v, 2) for k, v in self.seconds.items()},
        }

    def _inferred_routes(self) -> int:
        rows = self.store.select(
            f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a <{CMR.stance}> <{CMR.Inferred}> }}"
        ).rows
        return int(str(rows[0][0]))


def build(
    paths: Sequence[Path] | None = None,
    *,
    reason: bool = True,
    progress: bool = True,
    into: Path | None = None,
) -> BuildResult:
    """Build the graph from the ontology and the case files (default: the shipped cases).

    With ``reason``, the lesions are classified (HermiT's classification of the ontology,
    compiled and applied in one pass, :mod:`kg.reasoning.classify`; inferred types are stated with
    ``rdf:type`` and marked with ``cmr:inferredType``) and the route rules propose candidate
    routes. The data is then validated with the loader's checks and the shapes. The graph is
    built in memory; with ``into`` (a folder that does not exist yet) it is then kept in an
    on-disk store there.
    """
    files = list(paths) if paths is not None else case_files(CASES_DIR)
    return BuildResult(build_store(files, into=into, reason=reason, progress=progress))
