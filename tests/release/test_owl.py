"""The OWL release with its anatomy classes stays consistent, every class satisfiable (HermiT)."""

from __future__ import annotations

from rdflib import Graph

from kg.model.namespace import CMR
from kg.reasoning.hermit import classify
from kg.release.header import ReleaseInfo, read_header
from kg.release.owl import owl_graph
from tests.release.conftest import DATE


def test_the_release_is_consistent_with_the_anatomy_as_classes(ontology: Graph) -> None:
    graph = owl_graph(ontology, read_header(ontology), ReleaseInfo(DATE), "cmr.owl")
    assert (CMR.NerveRootS1, None, None) in graph
    report = classify(graph)
    assert report.consistent and report.unsatisfiable == []
