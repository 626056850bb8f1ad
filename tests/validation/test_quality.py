"""The quality report: ROBOT's standard checks and levels; each rule fires on the fixture built to
break it and is silent on the fixed one; the superclass checks read the reasoner's answer."""

from __future__ import annotations

from collections import defaultdict

import pytest
from rdflib import Graph

from kg.model.ontology import load_ontology
from kg.validation.quality import (
    asserted_superclasses,
    failing,
    quality_report,
    quality_rules,
    rule_level,
)
from tests.conftest import FIXTURES

BROKEN = load_ontology(FIXTURES / "quality" / "broken.ttl")
CLEAN = load_ontology(FIXTURES / "quality" / "clean.ttl")
CMR = "https://w3id.org/cmr/"

#: ROBOT's default profile (robot-core report_profile.txt): every check and its level.
ROBOT_PROFILE = {
    "annotation_whitespace": "WARN",
    "deprecated_boolean_datatype": "ERROR",
    "deprecated_class_reference": "ERROR",
    "deprecated_property_reference": "ERROR",
    "duplicate_definition": "ERROR",
    "duplicate_exact_synonym": "WARN",
    "duplicate_label_synonym": "WARN",
    "duplicate_label": "ERROR",
    "duplicate_scoped_synonym": "WARN",
    "equivalent_pair": "WARN",
    "equivalent_class_axiom_no_genus": "WARN",
    "illegal_use_of_built_in_vocabulary": "ERROR",
    "invalid_xref": "WARN",
    "label_formatting": "ERROR",
    "label_whitespace": "ERROR",
    "lowercase_definition": "INFO",
    "missing_definition": "WARN",
    "missing_label": "ERROR",
    "missing_obsolete_label": "WARN",
    "missing_ontology_description": "ERROR",
    "missing_ontology_license": "ERROR",
    "missing_ontology_title": "ERROR",
    "missing_subset_declaration": "WARN",
    "missing_superclass": "INFO",
    "missing_synonymtype_declaration": "WARN",
    "misused_obsolete_label": "ERROR",
    "misused_replaced_by": "ERROR",
    "multiple_definitions": "ERROR",
    "multiple_equivalent_classes": "WARN",
    "multiple_equivalent_class_definitions": "ERROR",
    "multiple_labels": "ERROR",
    "invalid_entity_uri": "WARN",
}

#: Each rule -> the subject broken.ttl built to break it.
OFFENDERS = {
    "annotation_whitespace": CMR + "AnnotationWhitespace",
    "deprecated_boolean_datatype": CMR + "DeprecatedString",
    "deprecated_class_reference": CMR + "ChildOfObsolete",
    "deprecated_property_reference": CMR + "UsesObsoleteProperty",
    "duplicate_definition": CMR + "SameDefinitionA",
    "duplicate_exact_synonym": CMR + "SynonymB",
    "duplicate_label": CMR + "LabelB",
    "duplicate_label_synonym": CMR + "LabelHolder",
    "duplicate_scoped_synonym": CMR + "TwoScopes",
    "equivalent_class_axiom_no_genus": CMR + "NoGenus",
    "equivalent_pair": CMR + "PairA",
    "illegal_use_of_built_in_vocabulary": "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
    "invalid_entity_uri": "https://purl.obolibrary.org/obo/CMR_0000001",
    "invalid_xref": CMR + "BadXref",
    "label_formatting": CMR + "TabLabel",
    "label_whitespace": CMR + "PaddedLabel",
    "lowercase_definition": CMR + "LowerDefinition",
    "missing_definition": CMR + "NoDefinition",
    "missing_label": CMR + "NoLabel",
    "missing_obsolete_label": CMR + "ObsoleteParent",
    "missing_ontology_description": CMR + "broken.owl",
    "missing_ontology_license": CMR + "broken.owl",
    "missing_ontology_title": CMR + "broken.owl",
    "missing_subset_declaration": CMR + "undeclaredSubset",
    "missing_superclass": CMR + "NoParent",
    "missing_synonymtype_declaration": CMR + "undeclaredType",
    "misused_obsolete_label": CMR + "FalselyObsolete",
    "misused_replaced_by": CMR + "ReplacedButAlive",
    "multiple_definitions": CMR + "TwoDefinitions",
    "multiple_labels": CMR + "TwoLabels",
    "multiple_equivalent_classes": CMR + "TwoEquivalents",
    "multiple_equivalent_class_definitions": CMR + "TwoLogicalDefinitions",
    "multiple_asserted_superclasses": CMR + "TwoParents",
    "redundant_asserted_superclass": CMR + "Redundant",
    "undefined_term": CMR + "UndefinedIndividual",
    "label_language": CMR + "UntaggedLabel",
    "doubled_whitespace": CMR + "DoubleSpace",
    "missing_ontology_version": CMR + "broken.owl",
    "missing_parent": CMR + "LooseIndividual",
    "malformed_xref": CMR + "UnknownResource",
    "synonym_equals_label": CMR + "Echo",
    "undeclared_term": CMR + "Dangling",
    "obsolete_term": CMR + "Retired",
}


def _subjects(graph: Graph) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for v in quality_report(graph):
        found[v.rule].add(v.entity)
    return found


BROKEN_FOUND = _subjects(BROKEN)


def test_every_robot_check_is_there_at_robots_level() -> None:
    levels = {rule.name: rule_level(rule) for rule in quality_rules()}
    assert {name: levels.get(name) for name in ROBOT_PROFILE} == ROBOT_PROFILE
    for rule in quality_rules():
        origin = rule.header["origin"]
        assert origin == ("ROBOT" if rule.name in ROBOT_PROFILE else origin)
        assert origin in {"ROBOT", "cmr"}


def test_every_rule_has_a_fixture_offender() -> None:
    assert set(OFFENDERS) == {rule.name for rule in quality_rules()}


@pytest.mark.parametrize("rule", sorted(OFFENDERS))
def test_rule_fires_on_its_offender(rule: str) -> None:
    assert OFFENDERS[rule] in BROKEN_FOUND[rule]


def test_no_rule_fires_on_the_fixed_ontology() -> None:
    assert quality_report(CLEAN) == []


def test_rules_declare_level_title_description_and_fix() -> None:
    for rule in quality_rules():
        assert rule.header["level"] in {"ERROR", "WARN", "INFO"}
        assert rule.header["title"] and rule.header["description"] and rule.header["fix"]


def test_multiple_parents_marked_inferred_are_not_counted() -> None:
    # clean.ttl's cmr:Defined has two asserted parents, one annotated is_inferred true
    assert len(asserted_superclasses(CLEAN)[CMR + "Defined"]) == 3
    assert not [v for v in quality_report(CLEAN) if v.rule == "multiple_asserted_superclasses"]


def test_redundancy_reads_the_reasoners_superclasses() -> None:
    # Asserted: Defined under Middle (its genus) and Other. Had the reasoner put Middle under
    # Other, the asserted parent Other would be implied through Middle.
    told = asserted_superclasses(CLEAN)
    assert told[CMR + "Defined"] == {CMR + "Middle", CMR + "Other", CMR + "Top"}
    reasoned = {**told, CMR + "Middle": told[CMR + "Middle"] | {CMR + "Other"}}
    reasoned[CMR + "Defined"] = told[CMR + "Defined"]
    found = {
        (v.entity, v.value)
        for v in quality_report(CLEAN, superclasses=reasoned)
        if v.rule == "redundant_asserted_superclass"
    }
    assert found == {(CMR + "Defined", CMR + "Other"), (CMR + "Middle", CMR + "Top")}
    assert quality_report(CLEAN, superclasses=told) == []


def test_asserted_superclasses_follow_equivalences() -> None:
    told = asserted_superclasses(BROKEN)
    assert CMR + "PairA" in told[CMR + "PairB"] and CMR + "PairB" in told[CMR + "PairA"]
    assert told[CMR + "Redundant"] == {CMR + "Middle", CMR + "Top"}


def test_fail_on_levels_as_robots() -> None:
    found = quality_report(BROKEN)
    assert failing(found, "ERROR") and failing(found, "info")
    assert not failing(found, "none")
    warnings_only = [v for v in found if v.level == "WARN"]
    assert failing(warnings_only, "WARN") and not failing(warnings_only, "ERROR")


def test_shipped_ontology_has_no_errors_but_the_release_headers(ontology: Graph) -> None:
    # The header (title, description, licence) belongs to the release work; while it is
    # missing, only the three header checks may report an ERROR.
    header = {"missing_ontology_title", "missing_ontology_description", "missing_ontology_license"}
    errors = [v for v in quality_report(ontology) if v.level == "ERROR"]
    assert [v for v in errors if v.rule not in header] == []
