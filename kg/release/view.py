"""The class-level view of the anatomy: each anatomy individual also as a class of its IRI.

The ontology models sites as named individuals (``cmr:NerveRootS1``), which class-only tools
(OBO format, OBO Graphs, pronto, the OWL API's OBO writer) drop. A release therefore adds, for
each individual typed by a subclass of ``cmr:AnatomicalEntity``, a class with the same IRI
(OWL 2 punning): a subclass of each of the individual's types, and of ``p some Y`` for each
assertion ``X p Y`` between two anatomy individuals (``cmr:partOf``, ``cmr:formedFrom``, ...).
The class reads "every S1 nerve root is a sacral spinal nerve root and part of some sacral
nerve roots"; the individual stays as it is, with its other assertions (such as
``cmr:atLevel``). Each such class is in the subset ``cmr:anatomy_view``.

>>> from kg.model.ontology import ontology_graph
>>> from kg.model.namespace import CMR
>>> view = class_view(ontology_graph())
>>> (CMR.NerveRootS1, RDFS.subClassOf, CMR.SacralSpinalNerveRoot) in view
True
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kg.model.ontology import TERM_NS
from kg.release.vocab import OIO, VIEW_SUBSET

__all__ = ["ANATOMY_ROOT", "anatomy_individuals", "class_view"]

ANATOMY_ROOT = URIRef(TERM_NS + "AnatomicalEntity")


def _anatomy_classes(graph: Graph) -> set[URIRef]:
    found = {ANATOMY_ROOT}
    frontier = [ANATOMY_ROOT]
    while frontier:
        parent = frontier.pop()
        for child in graph.subjects(RDFS.subClassOf, parent):
            if isinstance(child, URIRef) and child not in found:
                found.add(child)
                frontier.append(child)
    return found


def anatomy_individuals(graph: Graph) -> dict[URIRef, list[URIRef]]:
    """Each named individual typed by an anatomical class, with its classes, sorted."""
    classes = _anatomy_classes(graph)
    out: dict[URIRef, list[URIRef]] = {}
    for individual in graph.subjects(RDF.type, OWL.NamedIndividual):
        if not isinstance(individual, URIRef):
            continue
        types = [t for t in graph.objects(individual, RDF.type) if isinstance(t, URIRef)]
        if any(t in classes for t in types):
            out[individual] = sorted(t for t in types if t in classes)
    return dict(sorted(out.items()))


def class_view(graph: Graph) -> Graph:
    """The triples that add a class for each anatomy individual of ``graph``."""
    anatomy = anatomy_individuals(graph)
    object_properties = set(graph.subjects(RDF.type, OWL.ObjectProperty))
    view = Graph()
    view.add((OIO.inSubset, RDF.type, OWL.AnnotationProperty))
    view.add((OIO.SubsetProperty, RDF.type, OWL.AnnotationProperty))
    view.add((VIEW_SUBSET, RDF.type, OWL.AnnotationProperty))
    view.add((VIEW_SUBSET, RDFS.subPropertyOf, OIO.SubsetProperty))
    view.add((VIEW_SUBSET, RDFS.label, _label("anatomy individuals as classes")))
    for individual, types in anatomy.items():
        view.add((individual, RDF.type, OWL.Class))
        view.add((individual, OIO.inSubset, VIEW_SUBSET))
        if (individual, OWL.deprecated, Literal(True)) in graph:
            continue  # an obsolete term keeps no axioms
        for parent in types:
            view.add((individual, RDFS.subClassOf, parent))
        for prop, target in sorted(graph.predicate_objects(individual)):
            if prop in object_properties and target in anatomy:
                restriction = BNode()
                view.add((restriction, RDF.type, OWL.Restriction))
                view.add((restriction, OWL.onProperty, prop))
                view.add((restriction, OWL.someValuesFrom, target))
                view.add((individual, RDFS.subClassOf, restriction))
    return view


def _label(text: str) -> Literal:
    return Literal(text, lang="en")
