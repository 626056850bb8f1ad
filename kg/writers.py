"""One registry of output formats, shared by every command that writes a graph or a report.

>>> sorted(GRAPH_FORMATS)
['json-ld', 'nt', 'turtle', 'xml']
>>> GRAPH_FORMATS["xml"].suffix
'.owl'
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph

__all__ = ["GRAPH_FORMATS", "REPORT_FORMATS", "GraphFormat", "serialize_graph"]


@dataclass(frozen=True)
class GraphFormat:
    """An RDF serialisation: its rdflib plugin name, file suffix and what it is for."""

    rdflib_name: str
    suffix: str
    description: str


GRAPH_FORMATS: dict[str, GraphFormat] = {
    "turtle": GraphFormat("turtle", ".ttl", "Turtle, for reading and for Protégé"),
    "nt": GraphFormat("nt", ".nt", "N-Triples, for bulk loading and owlready2"),
    "xml": GraphFormat("pretty-xml", ".owl", "RDF/XML, for owlready2 and older OWL tools"),
    "json-ld": GraphFormat("json-ld", ".jsonld", "JSON-LD, for web applications"),
}

#: Formats of a validation or quality report.
REPORT_FORMATS: tuple[str, ...] = ("text", "json", "turtle")


def serialize_graph(graph: Graph, fmt: str) -> bytes:
    """``graph`` in the registered format ``fmt``."""
    return graph.serialize(format=GRAPH_FORMATS[fmt].rdflib_name, encoding="utf-8")
