"""The ontology: load it, name its prefixes, and hand it to owlready2.

>>> g = load_ontology()
>>> from kg.model.namespace import CMR
>>> from rdflib.namespace import RDFS
>>> str(g.value(CMR.CaudaEquina, RDFS.label))
'cauda equina'
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import Graph, URIRef

from kg.model.errors import OntologyError
from kg.model.resources import ONTOLOGY_FILE

__all__ = [
    "DATA_NS",
    "ONTOLOGY_IRI",
    "PREFIXES",
    "TERM_NS",
    "load_ontology",
    "ontology_graph",
]

TERM_NS = "https://w3id.org/cmr/"
DATA_NS = "https://w3id.org/cmr/data/"
ONTOLOGY_IRI = URIRef("https://w3id.org/cmr/cmr.owl")

#: The prefixes written in every file this package produces, and bound in every graph it builds.
PREFIXES: dict[str, str] = {
    "cmr": TERM_NS,
    "case": DATA_NS + "case/",
    "pub": DATA_NS + "publication/",
    "src": DATA_NS + "source/",
    "obo": "http://purl.obolibrary.org/obo/",
    "oboInOwl": "http://www.geneontology.org/formats/oboInOwl#",
    "unit": "http://qudt.org/vocab/unit/",
    "dcterms": "http://purl.org/dc/terms/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "sh": "http://www.w3.org/ns/shacl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def load_ontology(path: Path = ONTOLOGY_FILE) -> Graph:
    """Parse the ontology (Turtle) into a new rdflib graph."""
    if not path.is_file():
        raise OntologyError(f"{path}: ontology file not found")
    graph = Graph()
    for name, ns in PREFIXES.items():
        graph.bind(name, ns, override=True)
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises several unrelated types for bad Turtle
        raise OntologyError(f"{path}: cannot parse the ontology: {exc}") from exc
    return graph


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """The shipped ontology, parsed once per process (do not modify the returned graph)."""
    return load_ontology()
