"""The W3C SHACL core test suite on the store's SHACL engine: how many tests pass.

``uv run python bench/w3c_shacl.py`` runs every test of ``tests/validation/w3c_shacl`` (from
pyshacl's source distribution) on :mod:`kg.validation.shacl`, judges each report with pyshacl's
``check_sht_result``, and prints the failures by the feature ``expected.toml`` files them under,
each with what the engine did, then the count. ``--pyshacl`` runs pyshacl instead, through the
same judge.
"""

from __future__ import annotations

import argparse
import logging
import time
import tomllib
from collections import defaultdict
from pathlib import Path

import pyshacl
from rdflib import Graph

from kg.validation.shaclsuite import Outcome, run_suite

SUITE = Path(__file__).resolve().parents[1] / "tests" / "validation" / "w3c_shacl"


def _pyshacl(data: Graph, shapes: Graph) -> Graph:
    report = pyshacl.validate(data, shacl_graph=shapes, inference="none")[1]
    assert isinstance(report, Graph)
    return report


def _print(outcomes: list[Outcome]) -> None:
    expected = tomllib.loads((SUITE / "expected.toml").read_text(encoding="utf-8"))["failures"]
    feature = {name: group for group, names in expected.items() for name in names}
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        if not outcome.passed:
            groups[feature.get(outcome.name, "not listed in expected.toml")].append(outcome)
    for group, failed in sorted(groups.items()):
        print(f"{group}:")
        for outcome in failed:
            print(f"  {outcome.name}: {outcome.note}")


def main() -> None:
    """Run the suite and print the failures and the count."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pyshacl", action="store_true", help="run pyshacl instead")
    args = parser.parse_args()
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)  # the suite's ill-typed literals
    start = time.perf_counter()
    if args.pyshacl:
        outcomes = run_suite(SUITE / "manifest.ttl", _pyshacl)
    else:
        outcomes = run_suite(SUITE / "manifest.ttl")
    seconds = time.perf_counter() - start
    _print(outcomes)
    engine = f"pyshacl {pyshacl.__version__}" if args.pyshacl else "the store engine"
    passed = sum(o.passed for o in outcomes)
    print(f"W3C SHACL core, {engine}: {passed} of {len(outcomes)} passed ({seconds:.1f} s)")


if __name__ == "__main__":
    main()
