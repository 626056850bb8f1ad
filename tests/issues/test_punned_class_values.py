"""Regression: a class IRI used as the value of an object property (punning) made owlready2
lose inferred class axioms, so brain metastases were not classified as intracranial.

Fixed by making the class-valued properties (cmr:aboutTopic, cmr:diagnosedAs,
cmr:misdiagnosedAs) annotation properties. The check on HermiT with the whole cohort is
``tests/reasoning/test_closure.py::test_brain_lesions_are_intracranial_with_hermit_on_the_full_cohort``;
this one checks the built graph.
"""

from __future__ import annotations

from rdflib import URIRef

from kg.model.namespace import CMR
from kg.store.build import BuildResult

BRAIN = "https://w3id.org/cmr/data/case/{}/lesion-brain"


def test_brain_lesions_are_intracranial_in_the_built_graph(built: BuildResult) -> None:
    for case in ("seed-000", "seed-001", "seed-003"):
        lesion = URIRef(BRAIN.format(case))
        assert (lesion, CMR.inferredType, CMR.IntracranialMetastasis) in built.graph, case
