"""One registry of output formats, shared by every command that writes a graph or a report.

>>> sorted(GRAPH_FORMATS)
['json-ld', 'nt', 'turtle', 'xml']
>>> GRAPH_FORMATS["xml"].suffix
'.owl'
>>> print(render_boolean(True, "json"), end="")
{"head": {}, "boolean": true}

Query results in ``json`` and ``xml`` are the W3C SPARQL 1.1 Query Results formats (full IRIs,
literals with their datatype or language), written by rdflib's result serialisers; ``records``
is the package's own ``{columns, rows}`` shape, with CURIEs.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef, Variable
from rdflib.namespace import RDFS
from rdflib.query import Result
from rdflib.term import Identifier

__all__ = [
    "GRAPH_FORMATS",
    "QUALITY_FORMATS",
    "REPORT_FORMATS",
    "RESULT_FORMATS",
    "W3C_RESULT_FORMATS",
    "GraphFormat",
    "render_boolean",
    "render_result",
    "serialize_graph",
]


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

#: Formats of a validation report.
REPORT_FORMATS: tuple[str, ...] = ("text", "json", "turtle")

#: Formats of the ontology's quality report (``tsv``: ROBOT's report columns).
QUALITY_FORMATS: tuple[str, ...] = ("text", "json", "tsv")

#: Formats of a query result (``kg query``, ``kg sparql``).
RESULT_FORMATS: tuple[str, ...] = ("table", "csv", "tsv", "json", "xml", "records", "markdown")

#: The result formats written as W3C SPARQL 1.1 Query Results documents (rdflib plugin names).
W3C_RESULT_FORMATS: dict[str, str] = {"json": "json", "xml": "xml"}


def serialize_graph(graph: Graph, fmt: str) -> bytes:
    """``graph`` in the registered format ``fmt``."""
    return graph.serialize(format=GRAPH_FORMATS[fmt].rdflib_name, encoding="utf-8")


def _w3c(result: Result, fmt: str) -> str:
    data = result.serialize(format=W3C_RESULT_FORMATS[fmt], encoding="utf-8")
    assert isinstance(data, bytes)
    return data.decode("utf-8") + "\n"


def render_boolean(value: bool, fmt: str) -> str:
    """An ASK answer: a W3C boolean result in ``json`` and ``xml``, else ``true`` or ``false``."""
    if fmt in W3C_RESULT_FORMATS:
        result = Result("ASK")
        result.askAnswer = value
        return _w3c(result, fmt)
    return ("true" if value else "false") + "\n"


def _cell(
    value: Identifier | None, graph: Graph | None, curie: Callable[[str], str], labels: bool
) -> str:
    if value is None:
        return ""
    if isinstance(value, URIRef):
        short = curie(str(value))
        label = graph.value(value, RDFS.label) if graph is not None and labels else None
        return f"{short} ({label})" if label is not None else str(short)
    return str(value)


def render_result(
    columns: list[str],
    rows: list[tuple[Identifier | None, ...]],
    fmt: str,
    *,
    curie: Callable[[str], str],
    graph: Graph | None = None,
) -> str:
    """A query result as text: ``table`` and ``markdown`` show labels next to IRIs."""
    if fmt in W3C_RESULT_FORMATS:
        result = Result("SELECT")
        result.vars = [Variable(c) for c in columns]
        result.bindings = [
            {Variable(c): v for c, v in zip(columns, row, strict=True) if v is not None}
            for row in rows
        ]
        return _w3c(result, fmt)
    if fmt == "records":
        records = [
            {
                c: (v.toPython() if isinstance(v, Literal) else _cell(v, None, curie, False))
                for c, v in zip(columns, row, strict=True)
                if v is not None
            }
            for row in rows
        ]
        return json.dumps({"columns": columns, "rows": records}, indent=2, default=str) + "\n"
    labels = fmt in ("table", "markdown")
    text_rows = [[_cell(v, graph, curie, labels) for v in row] for row in rows]
    if fmt in ("csv", "tsv"):
        out = io.StringIO()
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(text_rows)
        return out.getvalue()
    if fmt == "markdown":
        lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in text_rows]
        return "\n".join(lines) + "\n"
    widths = [max([len(c)] + [len(r[i]) for r in text_rows]) for i, c in enumerate(columns)]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += [
        "  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in text_rows
    ]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"
