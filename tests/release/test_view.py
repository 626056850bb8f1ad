"""The class view: each anatomy individual also a class, with its classes and its wholes."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kg.model.namespace import CMR
from kg.release.view import anatomy_individuals, class_view
from kg.release.vocab import OIO, VIEW_SUBSET


def _somes(view: Graph, subject: URIRef) -> set[tuple[URIRef, URIRef]]:
    out = set()
    for parent in view.objects(subject, RDFS.subClassOf):
        if isinstance(parent, BNode):
            out.add((view.value(parent, OWL.onProperty), view.value(parent, OWL.someValuesFrom)))
    return out  # type: ignore[return-value]


def test_anatomy_individuals_are_the_sites_only(ontology: Graph) -> None:
    anatomy = anatomy_individuals(ontology)
    assert anatomy[CMR.NerveRootS1] == [CMR.SacralSpinalNerveRoot]
    assert CMR.CaudaEquina in anatomy and CMR.ConusMedullaris in anatomy
    # spinal levels, routes and compartments are not anatomy
    assert not {CMR.LevelS1, CMR.DropMetastasisRoute} & set(anatomy)


def test_an_individual_becomes_a_class_under_its_type_and_wholes(ontology: Graph) -> None:
    view = class_view(ontology)
    assert (CMR.NerveRootS1, RDF.type, OWL.Class) in view
    assert (CMR.NerveRootS1, OIO.inSubset, VIEW_SUBSET) in view
    assert set(view.objects(CMR.NerveRootS1, RDFS.subClassOf)) >= {CMR.SacralSpinalNerveRoot}
    assert _somes(view, CMR.NerveRootS1) == {
        (CMR.partOf, CMR.SacralNerveRoots),
        (CMR.exitsAt, CMR.VertebraS1),
    }
    # cmr:atLevel points at a spinal level, which is no class: it stays on the individual only
    assert not any(p == CMR.atLevel for p, _ in _somes(view, CMR.NerveRootS1))
    assert (CMR.LevelS1, RDF.type, OWL.Class) not in view


def test_an_obsolete_individual_keeps_no_axioms(ontology: Graph) -> None:
    graph = Graph()
    graph += ontology
    graph.add((CMR.NerveRootS1, OWL.deprecated, Literal(True)))
    view = class_view(graph)
    assert (CMR.NerveRootS1, RDF.type, OWL.Class) in view
    assert list(view.objects(CMR.NerveRootS1, RDFS.subClassOf)) == []
