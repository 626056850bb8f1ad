"""The mappings: cross-references as exact matches, SKOS matches kept, unknown resources refused."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef

from kg.model.errors import OntologyError
from kg.model.namespace import CMR
from kg.release.mappings import Mapping, read_mappings
from kg.release.vocab import OIO, SKOS


def test_cross_references_are_exact_matches(ontology: Graph) -> None:
    rows = read_mappings(ontology)
    assert Mapping("cmr:VertebraT11", "T11 vertebra", "skos:exactMatch", "UBERON:0004635") in rows
    assert {r.predicate_id for r in rows} == {"skos:exactMatch"}
    assert all(r.mapping_justification == "semapv:ManualMappingCuration" for r in rows)


def test_skos_matches_keep_their_kind() -> None:
    graph = Graph()
    graph.add(
        (CMR.CaudaEquina, SKOS.closeMatch, URIRef("http://purl.obolibrary.org/obo/UBERON_0012337"))
    )
    graph.add(
        (CMR.Meninx, SKOS.broadMatch, URIRef("http://purl.obolibrary.org/obo/UBERON_0002360"))
    )
    rows = {(r.subject_id, r.predicate_id, r.object_id) for r in read_mappings(graph)}
    assert rows == {
        ("cmr:CaudaEquina", "skos:closeMatch", "UBERON:0012337"),
        ("cmr:Meninx", "skos:broadMatch", "UBERON:0002360"),
    }


def test_a_cross_reference_to_an_unknown_resource_is_refused() -> None:
    graph = Graph()
    graph.add((CMR.CaudaEquina, OIO.hasDbXref, Literal("MESH:D002429")))
    with pytest.raises(OntologyError, match=r"cmr:CaudaEquina: the cross-reference 'MESH:D002429'"):
        read_mappings(graph)
