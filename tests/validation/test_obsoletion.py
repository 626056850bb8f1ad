"""The obsoletion policy (docs/curation.md): the quality rule ``obsolete_term`` enforces it."""

from __future__ import annotations

from rdflib import Graph

from kg.model.resources import CASES_DIR
from kg.validation.quality import quality_report

PREFIXES = """
@prefix cmr: <https://w3id.org/cmr/> .
@prefix case: <https://w3id.org/cmr/data/case/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix obo: <http://purl.obolibrary.org/obo/> .
"""
RETIRED = """
cmr:RetiredPain a owl:Class ; rdfs:label "obsolete retired pain"@en ; owl:deprecated true ;
    obo:IAO_0000115 "Pain of a kind no longer told apart."@en ; obo:IAO_0100001 cmr:RadicularPain .
"""


def _problems(ontology: Graph, extra: str, rule: str = "obsolete_term") -> set[tuple[str, ...]]:
    graph = Graph()
    graph += ontology
    graph.parse(data=PREFIXES + extra, format="turtle")
    return {
        (v.entity.rsplit("/", 1)[-1], v.property.rsplit("/", 1)[-1], v.value.rsplit("/", 1)[-1])
        for v in quality_report(graph)
        if v.rule == rule or (rule == "" and v.level == "ERROR")
    }


def test_no_shipped_case_uses_an_obsolete_term(ontology: Graph) -> None:
    graph = Graph()
    graph += ontology
    for path in sorted(CASES_DIR.rglob("*.ttl")):
        graph.parse(path, format="turtle")
    assert [v for v in quality_report(graph) if v.rule == "obsolete_term"] == []


def test_a_term_obsoleted_by_the_policy_passes_every_rule(ontology: Graph) -> None:
    # no parent (an obsolete term keeps no logical axioms), and no ERROR of any rule
    assert _problems(ontology, RETIRED, rule="") == set()


def test_an_obsolete_term_needs_a_replacement_and_an_obsolete_label(ontology: Graph) -> None:
    found = _problems(ontology, 'cmr:Old a owl:Class ; rdfs:label "old"@en ; owl:deprecated true .')
    assert found == {("Old", "IAO_0100001", ""), ("Old", "rdf-schema#label", "old")}


def test_an_obsolete_term_still_used_as_a_parent_or_in_a_case_is_reported(ontology: Graph) -> None:
    found = _problems(
        ontology,
        RETIRED
        + "cmr:Sciatica a owl:Class ; rdfs:subClassOf cmr:RetiredPain .\n"
        + "case:x-symptom a cmr:RetiredPain .\n",
    )
    assert found == {
        ("RetiredPain", "rdf-schema#subClassOf", "Sciatica"),
        ("RetiredPain", "22-rdf-syntax-ns#type", "x-symptom"),
    }
