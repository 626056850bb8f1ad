"""HermiT classifies the ontology once; SPARQL applies it. Both must agree with HermiT run on
the data itself: on the shipped cohort and on the reasoner's fixture of lesions."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from kg.engine.graphstore import GraphStore
from kg.model.namespace import CMR
from kg.reasoning.classify import classify_lesions
from kg.reasoning.closure import lesion_classes, lesion_updates, tbox
from kg.reasoning.hermit import ReasonerReport, classify
from kg.validation.loader import LoadResult
from tests.conftest import COHORT, FIXTURES

from .test_hermit import CMR as CMR_NS
from .test_hermit import EXPECTED, FX


def by_rules(data: Graph, *, one_pass: bool = False) -> dict[str, set[str]]:
    """Lesion IRI -> its lesion classes (asserted ones included) after the SPARQL updates, or
    after the one-pass classification a build runs."""
    store = GraphStore.in_memory()
    store.add_graph(data)
    if one_pass:
        classify_lesions(store.store)
    else:
        for update in lesion_updates():
            store.update(update)
    wanted = {URIRef(c) for c in lesion_classes(tbox())}
    out: dict[str, set[str]] = {}
    for node, cls in store.select("SELECT ?x ?c WHERE { ?x a ?c }").rows:
        if cls in wanted:
            out.setdefault(str(node), set()).add(str(cls))
    return out


@pytest.fixture(scope="module")
def hermit(ontology: Graph, stored: LoadResult) -> ReasonerReport:
    """HermiT on the ontology and every shipped case together (about 15 s)."""
    data = ontology + stored.graph()
    lesions = [s for s in stored.graph().subjects(RDF.type, CMR.MetastaticLesion)]
    report = classify(data, [s for s in lesions if isinstance(s, URIRef)])
    assert report.coherent
    return report


@pytest.mark.parametrize("one_pass", [False, True], ids=["updates", "one-pass"])
def test_rules_and_hermit_agree_on_every_lesion_of_the_cohort(
    ontology: Graph, stored: LoadResult, hermit: ReasonerReport, one_pass: bool
) -> None:
    wanted = lesion_classes(tbox())
    rules = by_rules(ontology + stored.graph(), one_pass=one_pass)
    # every metastatic lesion of the shipped cases (38 in the frozen cohort, and one local
    # recurrence), whichever cases are curated
    lesions = {str(s) for s in stored.graph().subjects(RDF.type, CMR.MetastaticLesion)}
    assert set(hermit.types) == lesions
    for lesion, types in hermit.types.items():
        assert rules.get(lesion, set()) == types & wanted, lesion
    assert sum(len(t & wanted) for t in hermit.types.values()) > 39  # more than the asserted


def test_brain_lesions_are_intracranial_with_hermit_on_the_full_cohort(
    hermit: ReasonerReport,
) -> None:
    # regression (tests/issues/test_punned_class_values.py): punning made owlready2 drop this
    for case in ("seed-000", "seed-001", "seed-003"):
        lesion = f"https://w3id.org/cmr/data/case/{case}/lesion-brain"
        assert str(CMR.IntracranialMetastasis) in hermit.types[lesion], case


@pytest.mark.parametrize(
    "lesion", sorted(k for k in EXPECTED if k not in {"lung-adeno", "cervix-scc"})
)
def test_rules_classify_the_reasoner_fixture_as_hermit_must(ontology: Graph, lesion: str) -> None:
    classified = {
        iri[len(FX) :]: {t[len(CMR_NS) :] for t in types}
        for iri, types in by_rules(ontology + Graph().parse(FIXTURES / "lesions.ttl")).items()
        if iri.startswith(FX)
    }
    must, must_not = EXPECTED[lesion]
    assert must <= classified[lesion], must - classified[lesion]
    assert not (must_not & classified[lesion])


def test_inferred_types_are_marked_in_the_built_graph(ontology: Graph) -> None:
    from kg.store.cache import open_store

    unstated = "SELECT ?x ?c WHERE { ?x cmr:inferredType ?c . FILTER NOT EXISTS { ?x a ?c } }"
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?x cmr:inferredType ?c }"
    shipped, frozen = open_store(), open_store(COHORT)
    for store in (shipped, frozen):
        assert store.select(unstated).rows == []  # every marked type is also stated
    assert int(str(frozen.select(count).rows[0][0])) == 92  # in the frozen cohort
