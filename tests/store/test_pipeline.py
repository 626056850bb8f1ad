"""The build on the Oxigraph store: the same findings as ``kg validate``, a persistent cache,
adding one case without rebuilding, and the Oxigraph engine answering as rdflib does.

Totals and the pinned query results are checked on the frozen fixture cohort (tests/fixtures/
cohort/); the rest on the live ``cases/`` folder."""

from __future__ import annotations

import csv
import shutil
import tomllib
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.engine.graphstore import GraphStore
from kg.model.namespace import CMR
from kg.model.resources import CASES_DIR
from kg.sparql.catalogue import run_named
from kg.store.cache import open_store, source_fingerprint
from kg.store.cases import CaseStore
from kg.store.intake import add_file, check_file
from kg.store.pipeline import build_store
from kg.validation.loader import case_files
from tests.conftest import COHORT, COHORT_FILES, REPO

BAD = REPO / "tests" / "bad_inputs"
EXPECTED = tomllib.loads((BAD / "expected.toml").read_text(encoding="utf-8"))
FIXTURES = REPO / "tests" / "fixtures"
RUNS = tomllib.loads((FIXTURES / "queries.toml").read_text(encoding="utf-8"))["runs"]
SHIPPED = case_files(CASES_DIR)


def violations(report_issues: list, name: str) -> Counter[tuple[object, ...]]:  # type: ignore[type-arg]
    return Counter(
        (i.rule, i.line, i.column, i.message)
        for i in report_issues
        if i.severity == "violation" and i.file is not None and i.file.endswith(name)
    )


def expected(name: str) -> Counter[tuple[object, ...]]:
    return Counter(
        (v["rule"], v["line"], v["column"], v["message"]) for v in EXPECTED[name]["violations"]
    )


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if n.endswith(".ttl")))
def test_a_build_reports_each_curator_mistake_as_kg_validate_does(name: str) -> None:
    # five case files per shard: the mistake and the cases it points at sit in different shards
    built = build_store([*SHIPPED, BAD / name], reason=False, progress=False, shard=5)
    found = violations(built.report.issues, name)
    want = expected(name)
    unknown = any("unknown term" in str(m) for _, _, _, m in want)
    if unknown:  # kg validate holds the shapes back until the terms are fixed; a build does not
        assert not (want - found), want - found
    else:
        assert found == want
    assert not built.conforms
    shipped = {p.name for p in SHIPPED}
    assert not any(
        i.severity == "violation" and i.file and Path(i.file).name in shipped
        for i in built.report.issues
    )


@pytest.mark.parametrize(
    "name",
    [
        "16-dangling-reference.ttl",
        "17-duplicate-case-id.ttl",
        "43-route-about-other-case-lesion.ttl",
        "56-excerpt-from-other-publication.ttl",
    ],
)
def test_a_sharded_build_finds_what_a_single_one_does(name: str) -> None:
    files = [*SHIPPED, BAD / name]
    single = build_store(files, progress=False)
    sharded = build_store(files, progress=False, shard=3)
    assert sharded.report.issues == single.report.issues
    assert len(sharded.store) == len(single.store)  # the ontology and sources are not repeated
    assert isomorphic(sharded.inferred(), single.inferred())


def test_a_sharded_build_into_a_folder_is_the_single_build_on_disk(tmp_path: Path) -> None:
    single = build_store(SHIPPED, progress=False)
    sharded = build_store(SHIPPED, progress=False, shard=4, into=tmp_path / "store")
    assert sharded.store.path == tmp_path / "store" and sharded.conforms
    assert isomorphic(sharded.store.to_rdflib(), single.store.to_rdflib())
    assert set(sharded.seconds) == {"parse", "classify", "routes", "reason", "validate", "index"}


def test_a_file_that_does_not_parse_is_left_out_and_located() -> None:
    built = build_store([*COHORT_FILES, BAD / "01-unterminated-string.ttl"], progress=False)
    assert [
        (e.path.endswith("01-unterminated-string.ttl"), e.line) for e in built.syntax_errors
    ] == [(True, expected("01-unterminated-string.ttl").most_common(1)[0][0][1])]
    assert built.count(CMR.Case) == 21


@pytest.fixture(scope="module")
def rdflib_graph() -> Graph:
    """The frozen fixture cohort's built graph, whose answers are pinned."""
    return open_store(COHORT).to_rdflib()


@pytest.mark.parametrize("run_id", sorted(RUNS))
def test_the_store_answers_every_catalogue_run_as_rdflib_does(
    rdflib_graph: Graph, run_id: str
) -> None:
    run = RUNS[run_id]
    ours = run_named(open_store(COHORT), run["query"], run["params"])
    theirs = run_named(rdflib_graph, run["query"], run["params"])
    assert ours.columns == theirs.columns
    assert ours.as_text() == theirs.as_text()
    with (FIXTURES / "query_results" / run["expected"]).open(newline="") as handle:
        pinned = list(csv.reader(handle))
    assert [ours.columns, *[list(r) for r in ours.as_text()]] == pinned


def test_the_built_store_is_reopened_not_rebuilt(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    shutil.copytree(CASES_DIR, cases)
    first = open_store(cases)
    assert first.path is not None and first.path.name == f"store-{source_fingerprint(cases)}"
    marker = first.path / "build-complete"
    stamp = marker.stat().st_mtime_ns
    again = open_store(cases)
    assert again.path == first.path and marker.stat().st_mtime_ns == stamp
    assert len(again) == len(first)
    (cases / "seed-000-t01.ttl").write_text(
        (cases / "seed-000-t01.ttl").read_text(encoding="utf-8") + "\n# edited\n",
        encoding="utf-8",
    )
    changed = open_store(cases)
    assert changed.path != first.path  # a source changed: a new build under a new key


def test_adding_one_case_validates_it_alone_and_keeps_a_rejected_one_out() -> None:
    held = CASES_DIR / "seed-004.ttl"
    built = build_store([f for f in SHIPPED if f != held], progress=False)
    before = len(built.store)
    bad = BAD / "24-intraneural-spinal-cord.ttl"
    rejected = add_file(built.store, bad)
    assert not rejected.accepted and len(built.store) == before
    assert violations(rejected.report.issues, bad.name) == expected(bad.name)
    outcome = add_file(built.store, held)
    assert outcome.accepted and outcome.added is not None
    full = build_store(SHIPPED, progress=False)
    assert len(built.store) == len(full.store)  # the same graph as a full build, inferences too
    ask = "ASK { <https://w3id.org/cmr/data/case/seed-004/lesion-sciatic-nerve> cmr:inferredType cmr:IntraneuralMetastasis }"
    assert built.store.ask(ask)
    assert not check_file(built.store, held).accepted  # now a duplicate


def test_kg_add_carries_the_cached_build_forward(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    shutil.copytree(CASES_DIR, cases)
    (cases / "seed-004.ttl").unlink()
    old = open_store(cases).path
    incoming = tmp_path / "incoming.ttl"
    shutil.copy(CASES_DIR / "seed-004.ttl", incoming)
    result = CaseStore(cases).add(incoming)
    assert result.accepted
    assert old is not None and not old.exists()
    store = open_store(cases)  # reopened under the new key, not rebuilt
    assert store.path is not None and store.path.name == f"store-{source_fingerprint(cases)}"
    assert store.ask("ASK { ?c cmr:caseId 'seed-004' }")
    assert len(store) == len(build_store(case_files(cases), progress=False).store)


def test_a_store_round_trips_rdflib_terms() -> None:
    store = GraphStore.in_memory()
    store.load_text('<https://e/a> <https://e/p> "x"@en, 2, "y", _:b .')
    graph = store.to_rdflib()
    assert len(graph) == 4
    again = GraphStore.in_memory()
    again.add_graph(graph)
    assert isomorphic(again.to_rdflib(), graph)
    assert {type(o).__name__ for o in graph.objects()} == {"Literal", "BNode"}
