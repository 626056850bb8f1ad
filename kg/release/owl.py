"""The OWL release: the ontology with the anatomy's class view, as RDF/XML and functional syntax.

rdflib builds the release graph; horned-owl (``py-horned-owl``) reads it as OWL and writes both
files, so they hold the same axioms. Its RDF/XML uses typed elements (``<owl:Class>``), which
pronto's RDF/XML reader needs.
"""

from __future__ import annotations

from pathlib import Path

import pyhornedowl
import pyhornedowl.model as model
from rdflib import OWL, Graph

from kg.model.files import write_atomically
from kg.model.ontology import PREFIXES
from kg.release.header import Header, ReleaseInfo
from kg.release.view import class_view
from kg.release.vocab import SKOS

__all__ = ["owl_graph", "read_rdfxml", "write_owl"]

_PREFIXES = {
    name: PREFIXES[name]
    for name in ("cmr", "obo", "oboInOwl", "dcterms", "owl", "rdf", "rdfs", "xsd")
}
#: horned-owl's name of each format, by the suffix of the release file.
FORMATS = {".owl": "owl", ".ofn": "ofn"}


def owl_graph(source: Graph, header: Header, info: ReleaseInfo, filename: str) -> Graph:
    """The ontology of ``source`` with the anatomy's class view and a dated header."""
    graph = Graph()
    for name, namespace in source.namespaces():
        graph.bind(name, namespace, override=True)
    graph.bind("skos", SKOS)
    graph += source
    graph += class_view(source)
    header.stamp(graph, info, filename)
    return graph


def _version_iri_in_the_id(ontology: pyhornedowl.PyIndexedOntology) -> None:
    """Put ``owl:versionIRI`` in the ontology's ID, where the OWL API and ROBOT look for it.

    horned-owl reads ``owl:versionIRI`` as a plain ontology annotation when RDF/XML states it
    before the subject's ``rdf:type owl:Ontology``, and rdflib's order of statements changes
    with the hash seed; the annotation is moved into the ID whatever the order.
    """
    components = [c.component for c in ontology.get_components()]
    ids = [c for c in components if isinstance(c, model.OntologyID)]
    stated = [
        c
        for c in components
        if isinstance(c, model.OntologyAnnotation)
        and str(c.first.ap).strip("<>") == str(OWL.versionIRI)
    ]
    if len(ids) != 1 or ids[0].viri is not None or len(stated) != 1:
        return
    version = str(stated[0].first.av)
    ontology.remove_component(stated[0])
    ontology.remove_component(ids[0])
    ontology.add_component(model.OntologyID(ids[0].iri, model.IRI.parse(version)))


def read_rdfxml(text: str) -> pyhornedowl.PyIndexedOntology:
    """horned-owl's ontology of RDF/XML ``text``, its version IRI in the ontology's ID."""
    ontology = pyhornedowl.open_ontology_from_string(text, "owl")
    _version_iri_in_the_id(ontology)
    return ontology


def write_owl(source: Graph, header: Header, info: ReleaseInfo, path: Path) -> Path:
    """Write the OWL release to ``path``: ``cmr.owl`` (RDF/XML) or ``cmr.ofn`` (functional)."""
    rdfxml = owl_graph(source, header, info, path.name).serialize(format="xml")
    ontology = read_rdfxml(rdfxml)
    for name, namespace in _PREFIXES.items():
        ontology.prefix_mapping.add_prefix(name, namespace)
    write_atomically(path, ontology.save_to_string(FORMATS[path.suffix]))  # type: ignore[arg-type]
    return path
