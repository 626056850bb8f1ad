"""The one-pass classification a build runs adds exactly what the SPARQL updates add.

The updates (:func:`kg.reasoning.closure.lesion_updates`) are themselves checked against HermiT in
``test_closure.py``; here both readings of the compiled definitions run on the same stores:
the shipped cohort, HermiT's fixture of lesions, synthetic cases, every curator mistake that
parses, and lesions that are blank nodes.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from kg.engine.graphstore import GraphStore
from kg.model.errors import OntologyError
from kg.model.namespace import CMR
from kg.model.resources import ONTOLOGY_FILE
from kg.reasoning.classexpr import THING, AllOf, Some, Typed
from kg.reasoning.classify import classify_lesions, inferred_types
from kg.reasoning.closure import LesionRule, lesion_updates
from kg.synth import generate, load_cohort
from kg.validation.loader import LoadResult, case_files
from tests.conftest import COHORT_FILES, FIXTURES, REPO

BAD = REPO / "tests" / "bad_inputs"
MARKED = "SELECT ?x ?c WHERE { ?x <https://w3id.org/cmr/inferredType> ?c }"


def store_of(files: list[Path], data: Graph | None = None) -> ox.Store:
    store = ox.Store()
    for path in [ONTOLOGY_FILE, *files]:
        store.load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
    if data is not None:
        GraphStore(store).add_graph(data)
    return store


def by_updates(store: ox.Store) -> ox.Store:
    """A copy of ``store`` classified by the SPARQL updates."""
    copy = ox.Store()
    copy.extend(store)
    for update in lesion_updates():
        copy.update(update)
    return copy


def marked(store: ox.Store) -> set[tuple[str, str]]:
    return {(str(row[0]), str(row[1])) for row in store.query(MARKED)}  # type: ignore[union-attr]


def assert_same_as_updates(store: ox.Store) -> int:
    """Classify ``store`` both ways; the whole stores must end up equal. Returns types added."""
    expected = by_updates(store)
    added = len(classify_lesions(store)) // 2  # two quads per type
    assert set(store) == set(expected)
    assert len(marked(store)) == added
    return added


def test_the_shipped_cohort(stored: LoadResult) -> None:
    assert assert_same_as_updates(store_of([], stored.graph())) > 0


def test_the_frozen_cohort(cohort_stored: LoadResult) -> None:
    store = store_of([], cohort_stored.graph())
    assert assert_same_as_updates(store) == 92  # test_closure: the build marks 92 types


def test_hermits_fixture_of_lesions() -> None:
    assert assert_same_as_updates(store_of([FIXTURES / "lesions.ttl"])) > 20


def test_synthetic_cases(tmp_path: Path) -> None:
    generate(400, 5, tmp_path / "synth", progress=False, cohort=load_cohort(COHORT_FILES))
    assert assert_same_as_updates(store_of(case_files(tmp_path / "synth"))) > 500


@pytest.mark.parametrize("name", sorted(p.name for p in BAD.glob("*.ttl")))
def test_each_curator_mistake(name: str) -> None:
    try:
        store = store_of([BAD / name])
    except SyntaxError:
        pytest.skip("does not parse: a build leaves the file out")
    assert_same_as_updates(store)


def test_blank_node_lesions_and_sites() -> None:
    store = store_of([])
    store.load(
        input="""
        @prefix cmr: <https://w3id.org/cmr/> .
        [] a cmr:MetastaticLesion ; cmr:hasSite cmr:VertebraT11 .
        [] a cmr:MetastaticLesion ; cmr:hasSite [ a cmr:LumbarVertebra ] .
        [] a cmr:MetastaticLesion ; cmr:hasSite cmr:NerveRootL5 ;
           cmr:inCompartment cmr:IntraduralExtramedullaryCompartment .
        [] a cmr:VertebralMetastasis .  # an asserted type brings its ancestors, site or not
        """,
        format=ox.RdfFormat.TURTLE,
    )
    assert assert_same_as_updates(store) >= 5
    for cls, count in ((CMR.VertebralMetastasis, 3), (CMR.BoneMetastasis, 3)):
        query = f"SELECT (COUNT(?x) AS ?n) WHERE {{ ?x a <{cls}> }}"
        assert int(next(iter(store.query(query)))[0].value) == count, cls  # type: ignore[arg-type]


def test_a_store_already_classified_gains_nothing() -> None:
    store = store_of([FIXTURES / "lesions.ttl"])
    classify_lesions(store)
    assert inferred_types(store) == []


def test_a_definition_without_a_lesion_class_is_refused() -> None:
    # it would reach any node with a site, not only the lesions a pass looks at
    sited = Some(f"<{CMR.hasSite}>", THING)
    lesion = Typed(frozenset({str(CMR.MetastaticLesion)}), frozenset())
    bone = str(CMR.BoneMetastasis)
    loose = LesionRule(bone, frozenset(), AllOf((sited,)), frozenset({bone}))
    with pytest.raises(OntologyError, match=r"BoneMetastasis: .*intersection with a lesion class"):
        inferred_types(store_of([]), [loose])
    anchored = LesionRule(bone, frozenset(), AllOf((lesion, sited)), frozenset({bone}))
    assert inferred_types(store_of([FIXTURES / "lesions.ttl"]), [anchored])
