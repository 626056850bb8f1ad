"""The OWL release: the ontology with the anatomy's class view, as RDF/XML and functional syntax.

rdflib builds the release graph; horned-owl (``py-horned-owl``) reads it as OWL and writes both
files, so they hold the same axioms. Its RDF/XML uses typed elements (``<owl:Class>``), which
pronto's RDF/XML reader needs.
"""

from __future__ import annotations

from pathlib import Path

import pyhornedowl
from rdflib import Graph

from kg.model.files import write_atomically
from kg.model.ontology import PREFIXES
from kg.release.header import Header, ReleaseInfo
from kg.release.view import class_view
from kg.release.vocab import SKOS

__all__ = ["owl_graph", "write_owl"]

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


def write_owl(source: Graph, header: Header, info: ReleaseInfo, path: Path) -> Path:
    """Write the OWL release to ``path``: ``cmr.owl`` (RDF/XML) or ``cmr.ofn`` (functional)."""
    rdfxml = owl_graph(source, header, info, path.name).serialize(format="xml")
    ontology = pyhornedowl.open_ontology_from_string(rdfxml, "owl")
    for name, namespace in _PREFIXES.items():
        ontology.prefix_mapping.add_prefix(name, namespace)
    write_atomically(path, ontology.save_to_string(FORMATS[path.suffix]))  # type: ignore[arg-type]
    return path
