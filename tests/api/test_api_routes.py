"""A case's route assertions: the authors', then those the graph's rules inferred (issue 17)."""

from __future__ import annotations

import pytest

import kg
from kg.model.namespace import CMR
from kg.store.build import BuildResult


@pytest.fixture(scope="module")
def graph(built: BuildResult) -> kg.KnowledgeGraph:
    return kg.KnowledgeGraph(built.graph)


def test_a_case_has_its_authors_routes_first_then_the_inferred(graph: kg.KnowledgeGraph) -> None:
    case = graph.case("seed-001")
    everything = case.route_assertions
    flags = [a.inferred for a in everything]
    assert flags == sorted(flags)  # every authors' one (False) before every inferred one
    assert everything == case.authors_assertions + case.inferred_assertions
    asserted = {str(a) for a in graph.graph.objects(case.node, CMR.hasRouteAssertion)}
    assert {a.iri for a in case.authors_assertions} == asserted
    assert {a.iri for a in case.inferred_assertions} == {
        a.iri for les in case.lesions for a in les.route_assertions if a.inferred
    }


def test_an_inferred_assertion_names_its_rule_and_facts(graph: kg.KnowledgeGraph) -> None:
    conus = graph.case("seed-001").lesion("lesion-idem-conus")
    inferred = {a.route.id: a for a in conus.inferred_assertions}
    drop = inferred["cmr:DropMetastasisRoute"]  # an IDEM lesion in a case with brain metastases
    assert drop.inferred and drop.stance.id == "cmr:Inferred"
    assert drop.rule is not None and drop.rule.id == "cmr:RuleIntracranialAndIntradural"
    assert drop.by == []
    used = [f.iri.rsplit("/", 1)[-1] for f in drop.used_facts]
    assert used == ["lesion-brain", "lesion-idem-conus"]
    assert drop.lesion == conus


def test_an_authors_assertion_is_not_inferred(graph: kg.KnowledgeGraph) -> None:
    conus = graph.case("seed-001").lesion("lesion-idem-conus")
    tertiary = next(
        a for a in conus.authors_assertions if a.route.id == "cmr:TertiaryDropMetastasisRoute"
    )
    assert (tertiary.inferred, tertiary.rule, tertiary.used_facts) == (False, None, [])
    assert tertiary.stance.label == "rejected"
    assert [a.inferred for a in conus.route_assertions] == sorted(
        a.inferred for a in conus.route_assertions
    )


def test_every_case_splits_into_authors_and_inferred(graph: kg.KnowledgeGraph) -> None:
    for case in graph.cases:
        authors, inferred = case.authors_assertions, case.inferred_assertions
        assert not any(a.inferred for a in authors) and all(a.inferred for a in inferred)
        assert all(a.rule is not None for a in inferred), case.id
        assert case.route_assertions == authors + inferred
