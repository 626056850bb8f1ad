"""The seeded mutator of Turtle text (``kg.synth.mutate``) behind the intake fuzz harness."""

from __future__ import annotations

import random
import re
from itertools import product

import pytest

from kg.synth.mutate import (
    OPERATORS,
    Context,
    as_new_case,
    context_of,
    deep_nesting,
    mutant,
    mutants,
    read_texts,
)
from tests.conftest import COHORT, REPO

BAD_INPUTS = REPO / "tests" / "bad_inputs"
SEEDS = read_texts(COHORT)
ALL = read_texts(COHORT, COHORT / "sources", BAD_INPUTS)


def test_the_same_seed_gives_the_same_mutants_and_another_seed_others() -> None:
    first = list(mutants(ALL, 300, seed=3))
    assert first == list(mutants(ALL, 300, seed=3))
    assert [m.text for m in first] != [m.text for m in mutants(ALL, 300, seed=4)]
    assert first[123] == mutant(ALL, 123, seed=3)  # any mutant is made again on its own
    assert len({m.name for m in first}) == 300


def test_every_operator_fires_on_every_seed_case() -> None:
    """A block of len(texts) * len(OPERATORS) mutants applies each operator to each text once."""
    made = list(mutants(SEEDS, len(SEEDS) * len(OPERATORS), seed=0))
    originals = dict(SEEDS)
    assert {(m.source, m.operator) for m in made} == set(product(originals, OPERATORS))
    unchanged = [(m.source, m.operator) for m in made if m.text == originals[m.source]]
    assert unchanged == []


def test_mutants_are_writable_as_utf8() -> None:
    for m in mutants(ALL, 2000, seed=1):
        m.text.encode("utf-8")  # escapes such as \uD800 are written as text, not as surrogates


def test_the_seed_cases_are_renamed_as_new_cases_and_nothing_else() -> None:
    for (name, text), (_, original) in zip(SEEDS, read_texts(COHORT, new_cases=False), strict=True):
        (case_id,) = re.findall(r'cmr:caseId "([^"]+)"', original)
        assert f'cmr:caseId "fuzz-{case_id}"' in text, name
        assert text.replace(f"fuzz-{case_id}", case_id) == original, name
    assert as_new_case("no case here") == "no case here"


def test_mutants_claim_the_identifiers_given_in_the_context() -> None:
    stored = context_of(read_texts(COHORT, new_cases=False))
    assert "seed-001" in stored.case_ids and not any(i.startswith("fuzz-") for i in stored.case_ids)
    claimed = [
        m for m in mutants(SEEDS, 2000, seed=5, context=stored) if m.operator == "other_case_id"
    ]
    assert claimed and all(re.search(r'caseId "seed-', m.text) for m in claimed)


@pytest.mark.parametrize("seed", range(20))
def test_deep_nesting_is_100_to_200_levels(seed: int) -> None:
    text = dict(SEEDS)["cohort/seed-001.ttl"]
    nested = deep_nesting(text, random.Random(seed), Context())
    assert nested is not None
    depth = max(nested.count("[ cmr:description"), nested.count("( ") - text.count("( "))
    assert 100 <= depth <= 200
