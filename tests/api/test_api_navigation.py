"""Term navigation like pronto's: up, down, parts, definition, synonyms, mappings (issue 17).

Every answer here is read from the shipped ontology (ontology/cmr.ttl), never from the cohort.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

import kg
from kg.api import navigation
from kg.api.navigation import Mapping, Synonym
from kg.model.namespace import CMR
from kg.model.vocabulary import Vocabulary


def ids(terms: list[kg.Term]) -> list[str]:
    return [t.id for t in terms]


def test_a_site_is_an_individual_of_its_class_and_part_of_a_chain(
    cohort_graph: kg.KnowledgeGraph,
) -> None:
    conus = cohort_graph.site("cmr:ConusMedullaris")
    assert (conus.id, conus.curie, conus.label) == (
        "cmr:ConusMedullaris",
        "cmr:ConusMedullaris",
        "conus medullaris",
    )
    assert ids(conus.parents()) == ["cmr:SpinalCordStructure"]
    ancestors = ids(conus.parents(distance=None))
    assert ancestors[:2] == ["cmr:SpinalCordStructure", "cmr:CentralNervousSystemStructure"]
    assert "cmr:AnatomicalEntity" in ancestors and "owl:Thing" not in str(ancestors)
    assert ids(conus.part_of()) == ["cmr:SpinalCord", "cmr:CentralNervousSystem"]
    assert ids(conus.part_of(distance=1)) == ["cmr:SpinalCord"]
    assert conus.children() == [] and conus.parts() == []


def test_parts_of_a_structure_are_sites(cohort_graph: kg.KnowledgeGraph) -> None:
    cord = cohort_graph.site("cmr:SpinalCord")
    direct = cord.parts()
    assert {"cmr:ConusMedullaris", "cmr:CervicalSpinalCord"} <= set(ids(direct))
    assert all(isinstance(p, kg.Site) for p in direct)
    deeper = ids(cord.parts(distance=None))
    assert "cmr:SpinalCordSegmentT12" in deeper and "cmr:SpinalCordSegmentT12" not in ids(direct)


def test_a_route_is_under_its_broader_route(cohort_graph: kg.KnowledgeGraph) -> None:
    drop = cohort_graph.route("cmr:DropMetastasisRoute")
    assert ids(drop.parents()) == ["cmr:CSFDissemination", "cmr:DisseminationRoute"]
    assert "cmr:DropMetastasisRoute" in ids(cohort_graph.term("cmr:CSFDissemination").children())
    assert drop.synonyms[0] == Synonym("drop metastases", "EXACT")


def test_a_class_has_superclasses_subclasses_and_individuals(
    cohort_graph: kg.KnowledgeGraph,
) -> None:
    sclc = cohort_graph.term("cmr:SmallCellLungCarcinoma")
    assert "cmr:SmallCellCarcinoma" in ids(sclc.parents())
    assert "cmr:LungNeoplasm" not in ids(sclc.parents())  # implied, no longer asserted
    assert "cmr:LungNeoplasm" in ids(sclc.parents(distance=None))
    assert "cmr:Neoplasm" in ids(sclc.parents(distance=None))
    assert "cmr:Neoplasm" not in ids(sclc.parents())
    structure = cohort_graph.term("cmr:SpinalCordStructure")
    below = ids(structure.children())
    assert {"cmr:SpinalCordSegment", "cmr:ConusMedullaris"} <= set(below)  # a class, an individual
    assert not isinstance(structure, kg.Site)


def test_definition_synonyms_with_scope_and_mappings(cohort_graph: kg.KnowledgeGraph) -> None:
    conus = cohort_graph.site("cmr:ConusMedullaris")
    assert conus.definition is not None
    assert conus.definition.startswith("The tapering lower end of the spinal cord")
    assert conus.synonyms == [Synonym("conus", "EXACT"), Synonym("medullary cone", "EXACT")]
    assert conus.mappings == [
        Mapping("oboInOwl:hasDbXref", "NCIT:C12832"),
        Mapping("oboInOwl:hasDbXref", "UBERON:0005437"),
    ]
    idem = cohort_graph.term("cmr:IntraduralExtramedullaryMetastasis")
    assert Synonym("drop metastasis", "RELATED") in idem.synonyms
    assert Synonym("IDEM metastasis", "EXACT") in idem.synonyms


def test_a_term_without_definition_or_mappings(cohort_graph: kg.KnowledgeGraph) -> None:
    lung = cohort_graph.site("cmr:Lung")
    assert lung.definition and lung.mappings == [] and lung.synonyms == []
    xref = cohort_graph.term("oboInOwl:hasDbXref")  # declared, not defined by the ontology
    assert xref.definition is None and xref.parents() == []


def test_obo_purls_and_literals_become_curies() -> None:
    assert navigation._target(URIRef("http://purl.obolibrary.org/obo/UBERON_0005437")) == (
        "UBERON:0005437"
    )
    assert navigation._target(URIRef("https://w3id.org/cmr/SpinalCord")) == "cmr:SpinalCord"
    assert navigation._target(URIRef("https://example.org/x")) == "<https://example.org/x>"


def test_every_parent_has_its_child_and_every_part_its_whole() -> None:
    # the two directions of each walk agree over the whole ontology
    for term in Vocabulary.shipped().terms:
        for up in navigation.parents(term):
            assert term in navigation.children(up), (term, up)
        for whole in navigation.wholes(term):
            assert term in navigation.parts(whole), (term, whole)


def test_the_hierarchy_follows_the_ontology_graph(ontology: Graph) -> None:
    # each asserted named superclass is a parent
    for sub, sup in ontology.subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef) and str(sup).startswith(str(CMR)):
            assert sup in navigation.parents(sub)


def test_navigation_reads_the_ontology_not_the_cohort(cohort_graph: kg.KnowledgeGraph) -> None:
    assert cohort_graph.store is not None
    fresh = kg.KnowledgeGraph(store=cohort_graph.store)  # no rdflib copy of the cohort yet
    conus = fresh.term("cmr:ConusMedullaris")
    assert conus.label == "conus medullaris"
    assert conus.parents() and conus.part_of() and conus.definition and conus.mappings
    assert fresh._graph is None


@pytest.mark.parametrize("distance", [0, 1, 2, None])
def test_distance_bounds_the_walk(cohort_graph: kg.KnowledgeGraph, distance: int | None) -> None:
    segment = cohort_graph.site("cmr:SpinalCordSegmentT12")
    chain = segment.part_of(distance=distance)
    whole = segment.part_of()
    assert chain == (whole if distance is None else whole[: len(chain)])
    assert distance is None or len(chain) <= distance
