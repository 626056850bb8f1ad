"""Build the knowledge graph: the ontology and the cases, validated, optionally reasoned over.

>>> result = build(reason=False, progress=False)
>>> result.conforms
True
>>> result.summary()["cases"] >= 21
True
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS
from tqdm import tqdm

from kg.loader import LoadResult, case_files
from kg.namespace import CMR
from kg.ontology import PREFIXES, ontology_graph
from kg.reasoner import ReasonerReport, classify
from kg.resources import CASES_DIR
from kg.validate import ValidationReport, validate_files

__all__ = ["BuildResult", "build"]


@dataclass
class BuildResult:
    """The built graph and what was found on the way."""

    graph: Graph
    loaded: LoadResult
    report: ValidationReport
    reasoner: ReasonerReport | None = None
    inferred: Graph = field(default_factory=Graph)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def conforms(self) -> bool:
        """Every file parsed, the data conforms and, if reasoned, the ontology is coherent."""
        reasoned_ok = self.reasoner is None or self.reasoner.coherent
        return not self.loaded.syntax_errors and self.report.conforms and reasoned_ok

    def summary(self) -> dict[str, object]:
        """Counts a user wants to see after a build."""
        g = self.graph

        def count(cls: URIRef) -> int:
            return len(set(g.subjects(RDF.type, cls)))

        classes: Counter[str] = Counter()
        for o in self.inferred.objects(None, RDF.type):
            label = ontology_graph().value(o, RDFS.label)
            classes[str(label or o)] += 1
        return {
            "files": len(self.loaded.files),
            "triples": len(g),
            "cases": count(CMR.Case),
            "lesions": len(set(g.subjects(RDF.type, CMR.MetastaticLesion)))
            + count(CMR.LocalRecurrence),
            "route assertions": count(CMR.RouteAssertion),
            "source excerpts": count(CMR.SourceExcerpt),
            "population statistics": count(CMR.PopulationStatistic),
            "publications": count(CMR.Publication),
            "violations": self.report.count("violation"),
            "warnings": self.report.count("warning"),
            "infos": self.report.count("info"),
            "consistent": None if self.reasoner is None else self.reasoner.consistent,
            "unsatisfiable classes": None
            if self.reasoner is None
            else len(self.reasoner.unsatisfiable),
            "inferred lesion classes": dict(sorted(classes.items())),
            "seconds": {k: round(v, 2) for k, v in self.seconds.items()},
        }


def _lesion_classes() -> set[str]:
    onto = ontology_graph()
    return {
        str(c)
        for c in onto.transitive_subjects(RDFS.subClassOf, CMR.MetastaticLesion)
        if isinstance(c, URIRef) and c != CMR.MetastaticLesion
    }


def build(
    paths: Sequence[Path] | None = None,
    *,
    reason: bool = True,
    progress: bool = True,
) -> BuildResult:
    """Build the graph from the ontology and the case files (default: the shipped cases).

    The data is validated with the shapes and, if ``reason``, HermiT classifies the lesions.

    Inferred lesion types are added to the graph, so that plain SPARQL sees them, and are also
    kept apart in :attr:`BuildResult.inferred`, so that a caller can tell them from asserted ones.
    """
    files = list(paths) if paths is not None else case_files(CASES_DIR)
    steps = ["load and validate", "reason"] if reason else ["load and validate"]
    seconds: dict[str, float] = {}
    with tqdm(total=len(steps), desc="build", unit="step", disable=not progress) as bar:
        bar.set_postfix_str("load and validate")
        started = time.perf_counter()
        loaded, report = validate_files(files)
        cases = loaded.graph()
        # the shapes ran on the ontology and the cases together: reuse that graph
        graph = report.data if report.data is not None else ontology_graph() + cases
        for name, ns in PREFIXES.items():
            graph.bind(name, ns, override=True)
        seconds["load and validate"] = time.perf_counter() - started
        bar.update()
        reasoner = None
        inferred = Graph()
        if reason and not loaded.syntax_errors:
            bar.set_postfix_str("reason")
            started = time.perf_counter()
            lesions = [
                s for s in cases.subjects(RDF.type, CMR.MetastaticLesion) if isinstance(s, URIRef)
            ]
            reasoner = classify(graph, lesions)
            wanted = _lesion_classes()
            for iri, types in reasoner.types.items():
                for cls in sorted(types & wanted):
                    triple = (URIRef(iri), RDF.type, URIRef(cls))
                    if triple not in graph:
                        inferred.add(triple)
            graph += inferred
            seconds["reason"] = time.perf_counter() - started
            bar.update()
    return BuildResult(graph, loaded, report, reasoner, inferred, seconds)
