"""Regression: a class IRI used as the value of an object property (punning) made owlready2
lose inferred class axioms, so brain metastases were not classified as intracranial.

Fixed by making the class-valued properties (cmr:aboutTopic, cmr:diagnosedAs,
cmr:misdiagnosedAs) annotation properties.
"""

from __future__ import annotations

from kg.build import BuildResult

BRAIN = "https://w3id.org/cmr/data/case/{}/lesion-brain"
INTRACRANIAL = "https://w3id.org/cmr/IntracranialMetastasis"


def test_brain_lesions_are_intracranial_with_the_full_cohort(built: BuildResult) -> None:
    assert built.reasoner is not None
    for case in ("seed-000", "seed-001", "seed-003"):
        assert INTRACRANIAL in built.reasoner.types[BRAIN.format(case)], case
