"""The SHACL engines a store's data can be validated with, chosen by name.

``oxigraph`` is the project's own engine (:mod:`kg.validation.shacl`, the default of every
command); ``pyshacl`` and ``jena`` (Apache Jena SHACL through :mod:`kg.validation.jena`) run
the same shapes on the same data, for a second opinion (``kg validate --engine``). Each engine
takes the store, the compiled shapes and an optional focus (IRIs) and returns a SHACL
validation report graph. The verdict is read from the results' severities, never from an
engine's own ``sh:conforms`` (Jena's says false for a warning).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import pyoxigraph as ox
import pyshacl
from rdflib import Graph, URIRef
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Identifier

from kg.model.errors import ShapesError
from kg.model.terms import to_rdflib
from kg.validation.jena import jena_reports
from kg.validation.shacl import validate_store
from kg.validation.shaclresults import select_results
from kg.validation.shapetests import CompiledShapes

__all__ = [
    "ENGINES",
    "ShapesEngine",
    "batch_reports",
    "jena_engine",
    "oxigraph_engine",
    "pyshacl_engine",
    "pyshacl_report",
    "shapes_engine",
    "store_ntriples",
]

#: An engine: (store, compiled shapes, focus IRIs or ``None``) -> SHACL report graph.
ShapesEngine = Callable[[ox.Store, CompiledShapes, Collection[str] | None], Graph]


def oxigraph_engine(
    store: ox.Store, shapes: CompiledShapes, focus: Collection[str] | None = None
) -> Graph:
    """The project's engine: the shapes as set-based SPARQL on the store itself."""
    return validate_store(store, shapes, focus=focus)


def store_ntriples(store: ox.Store) -> bytes:
    """The store's default graph as N-Triples, blank node labels kept."""
    return store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()) or b""


def _graph(ntriples: bytes) -> Graph:
    """An rdflib graph of an N-Triples document, blank node labels kept."""
    graph = Graph()
    for t in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES):
        graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return graph


_PATCH = threading.Lock()
#: Query texts already parsed, over every run in the process (the shapes rarely change).
_PREPARED: dict[tuple[str, str | None, tuple[tuple[str, str], ...]], Query] = {}


@contextmanager
def _prepared_queries() -> Iterator[None]:
    """While pyshacl runs, rdflib parses each distinct query text once.

    pyshacl hands rdflib a SPARQL constraint's text for every focus node, and rdflib parses it
    each time (most of pyshacl's time on the cohort). A parsed and translated query is meant
    to be reused with other initial bindings (``rdflib.plugins.sparql.prepareQuery``).
    """
    original = SPARQLProcessor.query
    prepared = _PREPARED

    def query(
        self: SPARQLProcessor,
        text: str | Query,
        initBindings: Mapping[str, Identifier] | None = None,  # noqa: N803 (rdflib's name)
        initNs: Mapping[str, Any] | None = None,  # noqa: N803
        base: str | None = None,
        DEBUG: bool = False,  # noqa: N803
    ) -> Mapping[str, Any]:
        if isinstance(text, str):
            key = (text, base, tuple(sorted((k, str(v)) for k, v in (initNs or {}).items())))
            if key not in prepared:
                if len(prepared) >= 512:
                    prepared.clear()
                prepared[key] = translateQuery(parseQuery(text), base, initNs or {})
            text = prepared[key]
        return original(self, text, initBindings, initNs, base, DEBUG)

    with _PATCH:
        setattr(SPARQLProcessor, "query", query)  # noqa: B010 (mypy: no method assignment)
        try:
            yield
        finally:
            setattr(SPARQLProcessor, "query", original)  # noqa: B010


def pyshacl_report(data: Graph, shapes: Graph) -> Graph:
    """Pyshacl's report on ``data`` (advanced features on, no inference)."""
    with _prepared_queries():
        _, report, text = pyshacl.validate(
            data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
        )
    if not isinstance(report, Graph):  # pyshacl returns its failure instead of raising
        raise ShapesError(f"the SHACL shapes cannot run (pyshacl): {text}")
    return report


def pyshacl_engine(
    store: ox.Store, shapes: CompiledShapes, focus: Collection[str] | None = None
) -> Graph:
    """Pyshacl on the store's default graph."""
    return _focused(pyshacl_report(_graph(store_ntriples(store)), shapes.graph), focus)


def jena_engine(
    store: ox.Store, shapes: CompiledShapes, focus: Collection[str] | None = None
) -> Graph:
    """Apache Jena SHACL on the store's default graph (one JVM)."""
    (report,) = jena_reports(shapes.graph, [store_ntriples(store)])
    return _focused(report, focus)


def _focused(report: Graph, focus: Collection[str] | None) -> Graph:
    """The report's results about ``focus`` nodes (all when ``None``)."""
    if focus is None:
        return report
    wanted = {URIRef(f) for f in focus}
    return select_results([report], lambda node: node in wanted)


ENGINES: dict[str, ShapesEngine] = {
    "oxigraph": oxigraph_engine,
    "pyshacl": pyshacl_engine,
    "jena": jena_engine,
}


def shapes_engine(name: str) -> ShapesEngine:
    """The engine called ``name`` (one of :data:`ENGINES`)."""
    try:
        return ENGINES[name]
    except KeyError:
        raise ShapesError(
            f"unknown SHACL engine {name!r}; use one of {', '.join(ENGINES)}"
        ) from None


def batch_reports(name: str, datasets: Sequence[bytes], shapes: Graph) -> list[Graph]:
    """Reports of an engine on several N-Triples documents (one JVM for ``jena``)."""
    if name == "jena":
        return jena_reports(shapes, datasets)
    if name == "pyshacl":
        return [pyshacl_report(_graph(d), shapes) for d in datasets]
    raise ShapesError(f"no batch mode for the {name!r} engine")
