"""Synthetic cohorts shaped like the curated one, for benchmarks and load tests.

The cohorts are clearly marked synthetic. The package may import :mod:`kg.model` and
:mod:`kg.validation`, nothing above.
"""

from kg.synth.cohort import Cohort, load_cohort
from kg.synth.sample import OutputNotEmptyError, SynthSummary, generate, synthetic_case_id

__all__ = [
    "Cohort",
    "OutputNotEmptyError",
    "SynthSummary",
    "generate",
    "load_cohort",
    "synthetic_case_id",
]
