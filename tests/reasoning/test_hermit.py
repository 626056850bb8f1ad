"""HermiT (through owlready2): the ontology is coherent and classifies lesions correctly."""

from __future__ import annotations

import pytest
from rdflib import Graph

from kg.reasoning.hermit import classify
from tests.conftest import FIXTURES

FX = "https://w3id.org/cmr/data/fixture/"
CMR = "https://w3id.org/cmr/"

# lesion -> classes HermiT must infer (a subset of its types) and classes it must not.
EXPECTED = {
    "root-idem": (
        {
            "NerveRootMetastasis",
            "IntraduralExtramedullaryMetastasis",
            "CaudaEquinaMetastasis",
            "NervousSystemMetastasis",
        },
        {"IntramedullarySpinalCordMetastasis"},
    ),
    # A root lesion of unstated compartment may lie outside the dura: not cauda equina.
    "root-no-compartment": ({"NerveRootMetastasis"}, {"CaudaEquinaMetastasis"}),
    "cord-intramedullary": (
        {
            "IntramedullarySpinalCordMetastasis",
            "SpinalCordMetastasis",
            "CentralNervousSystemMetastasis",
        },
        {"NerveRootMetastasis"},
    ),
    "conus-idem": (
        {"IntraduralExtramedullaryMetastasis", "SpinalCordMetastasis"},
        {"IntramedullarySpinalCordMetastasis"},
    ),
    "lepto-nodular": (
        {"LeptomeningealMetastasis", "NodularLeptomeningealMetastasis"},
        {"DiffuseLeptomeningealMetastasis"},
    ),
    "lepto-diffuse": (
        {"LeptomeningealMetastasis", "DiffuseLeptomeningealMetastasis", "NervousSystemMetastasis"},
        {"NodularLeptomeningealMetastasis"},
    ),
    "sciatic-intraneural": (
        {"IntraneuralMetastasis", "NervousSystemMetastasis"},
        {"CentralNervousSystemMetastasis"},
    ),
    "chiasm": (
        {"BrainMetastasis", "IntracranialMetastasis", "CentralNervousSystemMetastasis"},
        {"SpinalCordMetastasis"},
    ),
    "cerebellum": ({"BrainMetastasis", "IntracranialMetastasis"}, set()),
    "t11-bone": (
        {"VertebralMetastasis", "BoneMetastasis", "ExtraduralMetastasis"},
        {"NervousSystemMetastasis"},
    ),
    "adrenal": ({"AdrenalMetastasis"}, {"NervousSystemMetastasis"}),
    "parotid": ({"ParotidMetastasis"}, set()),
    "iliac-nodes": ({"LymphNodeMetastasis"}, set()),
    "iliacus": ({"MuscleMetastasis"}, set()),
    "lung-adeno": (
        {"LungAdenocarcinoma", "LungCarcinoma", "LungNeoplasm", "Carcinoma"},
        {"BreastNeoplasm"},
    ),
    "cervix-scc": (
        {"CervicalSquamousCellCarcinoma", "CervicalNeoplasm", "UterineNeoplasm"},
        {"LungNeoplasm"},
    ),
}


@pytest.fixture(scope="module")
def classified(ontology: Graph) -> dict[str, set[str]]:
    graph = ontology + Graph().parse(FIXTURES / "lesions.ttl")
    report = classify(graph)
    assert report.coherent
    return {
        iri[len(FX) :]: {t[len(CMR) :] for t in types if t.startswith(CMR)}
        for iri, types in report.types.items()
        if iri.startswith(FX)
    }


def test_ontology_alone_is_consistent_and_coherent(ontology: Graph) -> None:
    report = classify(ontology, individuals=[])
    assert report.consistent
    assert report.unsatisfiable == []


@pytest.mark.parametrize("lesion", sorted(EXPECTED))
def test_fixture_lesion_is_classified(classified: dict[str, set[str]], lesion: str) -> None:
    must, must_not = EXPECTED[lesion]
    assert must <= classified[lesion], must - classified[lesion]
    assert not (must_not & classified[lesion])


def test_an_inconsistent_graph_is_reported(ontology: Graph) -> None:
    bad = ontology + Graph().parse(
        data="""
        @prefix cmr: <https://w3id.org/cmr/> .
        <https://w3id.org/cmr/data/fixture/x> a cmr:MetastaticLesion ;
            cmr:inCompartment cmr:IntramedullaryCompartment, cmr:IntraneuralCompartment .
        cmr:IntramedullaryCompartment <http://www.w3.org/2002/07/owl#differentFrom>
            cmr:IntraneuralCompartment .
    """,
        format="turtle",
    )
    # cmr:inCompartment is functional: two different compartments make the graph inconsistent.
    assert classify(bad, individuals=[]).consistent is False
