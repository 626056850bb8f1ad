"""The ROBOT-style quality report: zero errors on the ontology, and every rule can fire."""

from __future__ import annotations

from rdflib import Graph

from kg.validation.quality import quality_report, quality_rules

BROKEN = """
@prefix cmr: <https://w3id.org/cmr/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix obo: <http://purl.obolibrary.org/obo/> .
@prefix oboInOwl: <http://www.geneontology.org/formats/oboInOwl#> .
<https://w3id.org/cmr/cmr.owl> a owl:Ontology .
cmr:NoLabel a owl:Class ; rdfs:subClassOf owl:Thing ; obo:IAO_0000115 "d"@en .
cmr:TwoLabels a owl:Class ; rdfs:label "one"@en, "two"@en ; rdfs:subClassOf owl:Thing ;
    obo:IAO_0000115 "d"@en .
cmr:SameA a owl:Class ; rdfs:label "same"@en ; rdfs:subClassOf owl:Thing ; obo:IAO_0000115 "d"@en .
cmr:SameB a owl:Class ; rdfs:label "Same"@en ; rdfs:subClassOf owl:Thing ; obo:IAO_0000115 "d"@en .
cmr:NoDefinition a owl:Class ; rdfs:label "no definition"@en ; rdfs:subClassOf owl:Thing .
cmr:TwoDefinitions a owl:Class ; rdfs:label "two definitions"@en ; rdfs:subClassOf owl:Thing ;
    obo:IAO_0000115 "a"@en, "b"@en .
cmr:BadXref a owl:Class ; rdfs:label "bad xref"@en ; rdfs:subClassOf owl:Thing ;
    obo:IAO_0000115 "d"@en ; oboInOwl:hasDbXref "UBERON_0001" .
cmr:Orphan a owl:Class ; rdfs:label "orphan"@en ; obo:IAO_0000115 "d"@en .
cmr:Spaced a owl:Class ; rdfs:label " spaced"@en ; rdfs:subClassOf owl:Thing ; obo:IAO_0000115 "d"@en .
cmr:Dangling a owl:Class ; rdfs:label "dangling"@en ; rdfs:subClassOf cmr:Undeclared ;
    obo:IAO_0000115 "d"@en .
cmr:Echo a owl:Class ; rdfs:label "echo"@en ; rdfs:subClassOf owl:Thing ; obo:IAO_0000115 "d"@en ;
    oboInOwl:hasExactSynonym "echo"@en .
cmr:Retired a owl:Class ; rdfs:label "retired"@en ; obo:IAO_0000115 "d"@en ; owl:deprecated true .
"""


def test_shipped_ontology_has_no_errors(ontology: Graph) -> None:
    errors = [v for v in quality_report(ontology) if v.level == "ERROR"]
    assert errors == []


def test_every_rule_fires_on_a_broken_ontology() -> None:
    found = {v.rule: v for v in quality_report(Graph().parse(data=BROKEN, format="turtle"))}
    assert set(found) == {rule.name for rule in quality_rules()}
    assert found["missing_label"].entity.endswith("NoLabel")
    assert found["malformed_xref"].value == "UBERON_0001"
    assert found["missing_parent"].entity.endswith("Orphan")
    assert found["undeclared_term"].value.endswith("Undeclared")
    assert found["synonym_equals_label"].level == "WARN"
    assert found["obsolete_term"].entity.endswith("Retired")


def test_rules_declare_level_and_title() -> None:
    for rule in quality_rules():
        assert rule.header["level"] in {"ERROR", "WARN", "INFO"}
        assert rule.header["title"] and rule.header["description"]
