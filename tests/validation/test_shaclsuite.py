"""The W3C SHACL core test suite on the store engine: exactly the listed tests fail.

The suite (``w3c_shacl/``, from pyshacl's source distribution) is judged by pyshacl's
``check_sht_result``; ``w3c_shacl/expected.toml`` lists each failure with why.
"""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph

from kg.validation.shaclsuite import Outcome, run_suite, suite_tests

SUITE = Path(__file__).resolve().parent / "w3c_shacl"
MANIFEST = SUITE / "manifest.ttl"
EXPECTED: dict[str, dict[str, str]] = tomllib.loads(
    (SUITE / "expected.toml").read_text(encoding="utf-8")
)["failures"]
LISTED = {name: why for group in EXPECTED.values() for name, why in group.items()}


@pytest.fixture(scope="module")
def outcomes() -> list[Outcome]:
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)  # the suite's ill-typed literals
    return run_suite(MANIFEST)


def test_the_suite_is_read_whole() -> None:
    tests = suite_tests(MANIFEST)
    names = [t.name for t in tests]
    assert len(names) == len(set(names)) == 98  # the core suite of pyshacl 0.40.1
    assert {n.split("/")[1] for n in names} == {
        "complex",
        "misc",
        "node",
        "path",
        "property",
        "targets",
        "validation-reports",
    }
    assert set(LISTED) <= set(names)


def test_exactly_the_listed_tests_fail(outcomes: list[Outcome]) -> None:
    failed = {o.name: o.note for o in outcomes if not o.passed}
    newly_failing = {n: note for n, note in failed.items() if n not in LISTED}
    now_passing = sorted(set(LISTED) - set(failed))
    assert not newly_failing, f"tests that passed now fail: {newly_failing}"
    assert not now_passing, (
        f"listed failures now pass (remove them from expected.toml): {now_passing}"
    )


def test_refusals_name_the_listed_feature(outcomes: list[Outcome]) -> None:
    """A test listed as refused is refused, naming the SHACL parameter it lists."""
    notes = {o.name: o.note for o in outcomes}
    for name, why in LISTED.items():
        if "is not supported: the engine refuses" in why:
            feature = why.split(" ", 1)[0].removeprefix("sh:")
            assert notes[name].startswith("refused:"), (name, notes[name])
            assert f"shacl#{feature}" in notes[name], (name, notes[name])


def test_pyshacl_passes_the_suite_through_the_same_judge() -> None:
    """The runner reads and judges the suite soundly: pyshacl passes it but for one test.

    pyshacl takes ``sh:uniqueLang "1"^^xsd:boolean`` as true, where the test expects the
    constraint to be ignored.
    """

    def validate(data: Graph, shapes: Graph) -> Graph:
        report = pyshacl.validate(data, shacl_graph=shapes, inference="none")[1]
        assert isinstance(report, Graph)
        return report

    logging.getLogger("rdflib.term").setLevel(logging.ERROR)
    failed = {o.name for o in run_suite(MANIFEST, validate) if not o.passed}
    assert failed == {"core/property/uniqueLang-002"}
