"""The built graph in an Oxigraph store: the embedded default engine for SPARQL.

:class:`GraphStore` wraps a :class:`pyoxigraph.Store`, in memory or on disk, and speaks the
package's terms: queries with parameters bound as RDF terms (a ``VALUES`` block, as for
remote endpoints), results as rdflib terms, CONSTRUCT results as rdflib graphs.

>>> store = GraphStore.in_memory()
>>> store.load_text('<https://e/a> a <https://w3id.org/cmr/Case> .')
>>> len(store)
1
>>> store.select("SELECT ?c WHERE { ?c a cmr:Case }").rows
[(rdflib.term.URIRef('https://e/a'),)]
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS
from rdflib.term import Identifier, Node

from kg.engine.results import QueryError, QueryResult, inline_bindings, refuse_update
from kg.model.errors import KGError
from kg.model.ontology import PREFIXES
from kg.model.terms import from_rdflib, subject_term, to_rdflib

__all__ = ["GraphStore", "StoreError"]


class StoreError(KGError):
    """The store cannot be opened, read or written."""


def _syntax_error(exc: SyntaxError, source: str) -> QueryError:
    text = exc.msg or str(exc)
    match = re.match(r"^error at (\d+):(\d+): ", text)
    if match:
        where = f"{source}:{match.group(1)}:{match.group(2)}"
        text = text[match.end() :]
    else:
        where = f"{source}:{exc.lineno}:{exc.offset}" if exc.lineno else source
    return QueryError(f"{where}: SPARQL syntax error: {text}")


def _converted(answer: object) -> QueryResult | bool | Graph:
    """An Oxigraph answer in rdflib terms."""
    if isinstance(answer, ox.QueryBoolean):
        return bool(answer)
    if isinstance(answer, ox.QueryTriples):
        graph = Graph()
        for name, ns in PREFIXES.items():
            graph.bind(name, ns, override=True)
        for triple in answer:
            graph.add(
                (to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object))
            )
        return graph
    assert isinstance(answer, ox.QuerySolutions)
    columns = [v.value for v in answer.variables]
    rows: list[tuple[Identifier | None, ...]] = [
        tuple(None if s[c] is None else to_rdflib(s[c]) for c in columns) for s in answer
    ]
    return QueryResult(columns, rows)


class GraphStore:
    """An Oxigraph store holding the built graph in its default graph."""

    def __init__(self, store: ox.Store, path: Path | None = None) -> None:
        self.store = store
        self.path = path

    @classmethod
    def in_memory(cls) -> GraphStore:
        """A new, empty store in memory."""
        return cls(ox.Store())

    @classmethod
    def open(cls, path: Path, *, read_only: bool = False) -> GraphStore:
        """The store kept on disk at ``path`` (created when missing, unless ``read_only``)."""
        try:
            store = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
        except OSError as exc:
            raise StoreError(f"{path}: cannot open the graph store: {exc}") from exc
        return cls(store, path)

    def __len__(self) -> int:
        return len(self.store)

    # -- writing ---------------------------------------------------------------------------
    def load_file(self, path: Path, *, bulk: bool = False) -> None:
        """Add a Turtle or N-Triples file (relative IRIs resolve against the file's URI).

        Raises :class:`SyntaxError` (with ``lineno`` and ``offset``) on bad input; nothing of
        the file is added then.
        """
        fmt = ox.RdfFormat.N_TRIPLES if path.suffix == ".nt" else ox.RdfFormat.TURTLE
        loader = self.store.bulk_load if bulk else self.store.load
        loader(path=str(path), format=fmt, base_iri=path.resolve().as_uri())

    def load_text(self, text: str | bytes, *, fmt: str = "turtle") -> None:
        """Add triples given as Turtle (default) or N-Triples text."""
        kind = ox.RdfFormat.N_TRIPLES if fmt == "nt" else ox.RdfFormat.TURTLE
        self.store.load(input=text, format=kind)

    def add_graph(self, graph: Graph) -> None:
        """Add every triple of an rdflib graph."""
        self.store.extend(
            ox.Quad(subject_term(s), ox.NamedNode(str(p)), from_rdflib(o)) for s, p, o in graph
        )

    def update(self, text: str) -> None:
        """Run a SPARQL 1.1 Update (the package's prefixes are declared)."""
        try:
            self.store.update(text, prefixes=PREFIXES)
        except SyntaxError as exc:
            raise _syntax_error(exc, "update") from exc

    def copy_into(self, target: GraphStore, *, chunk: int = 200_000) -> None:
        """Add every triple of this store to ``target`` (Oxigraph's bulk loader, by chunks).

        Memory stays bounded by the chunk; blank nodes keep their identity (they pass as
        terms, not as re-parsed text, which would rename them chunk by chunk).

        >>> source = GraphStore.in_memory()
        >>> source.load_text('<https://e/a> <https://e/q> [ <https://e/v> 1 ] .')
        >>> target = GraphStore.in_memory()
        >>> source.copy_into(target, chunk=1)
        >>> len(target.select("SELECT ?v WHERE { ?a ?q ?b . ?b ?p ?v }").rows)
        1
        """
        quads = iter(self.store)
        try:
            while batch := list(itertools.islice(quads, chunk)):
                target.store.bulk_extend(batch)
        except OSError as exc:
            raise StoreError(f"{target.path}: cannot write the graph store: {exc}") from exc

    def flush(self) -> None:
        """Write pending changes of an on-disk store and compact its indexes."""
        if self.path is not None:
            try:
                self.store.flush()
                self.store.optimize()
            except OSError as exc:
                raise StoreError(f"{self.path}: cannot write the graph store: {exc}") from exc

    # -- reading ---------------------------------------------------------------------------
    def _run(self, text: str, source: str) -> object:
        try:
            return self.store.query(text, prefixes=PREFIXES)
        except SyntaxError as exc:
            refuse_update(text, source)
            raise _syntax_error(exc, source) from exc
        except OSError as exc:
            raise StoreError(f"{source}: cannot read the graph store: {exc}") from exc

    def answer(self, text: str, *, source: str = "query") -> QueryResult | bool | Graph:
        """Run any query: rows for SELECT, a bool for ASK, a graph for CONSTRUCT and DESCRIBE.

        An Update is refused with a :class:`QueryError`.

        >>> store = GraphStore.in_memory()
        >>> store.load_text('<https://e/a> a <https://w3id.org/cmr/Case> .')
        >>> store.answer("ASK { ?c a cmr:Case }"), len(store.answer("DESCRIBE <https://e/a>"))
        (True, 1)
        """
        return _converted(self._run(text, source))

    def select(
        self,
        text: str,
        bindings: Mapping[str, Identifier] | None = None,
        *,
        source: str = "query",
    ) -> QueryResult:
        """Run a SELECT query; ``bindings`` are joined in as a ``VALUES`` block."""
        answer = _converted(self._run(inline_bindings(text, bindings or {}), source))
        if not isinstance(answer, QueryResult):
            raise QueryError(f"{source}: not a SELECT query")
        return answer

    def ask(self, text: str) -> bool:
        """Run an ASK query."""
        answer = _converted(self._run(text, "ask"))
        if not isinstance(answer, bool):
            raise QueryError("not an ASK query")
        return answer

    def construct(self, text: str, *, source: str = "construct") -> Graph:
        """Run a CONSTRUCT query into a new rdflib graph."""
        answer = _converted(self._run(text, source))
        if not isinstance(answer, Graph):
            raise QueryError(f"{source}: not a CONSTRUCT query")
        return answer

    def to_rdflib(self) -> Graph:
        """The whole graph as an rdflib graph (for traversal; fine at cohort size)."""
        graph = Graph()
        for name, ns in PREFIXES.items():
            graph.bind(name, ns, override=True)
        graph.parse(data=self.dump_ntriples(), format="nt")
        return graph

    def dump_ntriples(self, output: IO[bytes] | None = None) -> bytes:
        """The default graph as N-Triples (written to ``output`` when given)."""
        if output is not None:
            self.store.dump(output, format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
            return b""
        data = self.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        return data if isinstance(data, bytes) else b""

    def labels(self, terms: Iterable[object]) -> Graph:
        """The ``rdfs:label`` of each IRI among ``terms``, as a small rdflib graph."""
        iris = sorted({str(t) for t in terms if isinstance(t, URIRef)})
        graph = Graph()
        if not iris:
            return graph
        listed = " ".join(f"<{i}>" for i in iris)
        rows = self.select(f"SELECT ?s ?l WHERE {{ VALUES ?s {{ {listed} }} ?s rdfs:label ?l }}")
        for subject, label in rows.rows:
            graph.add((subject, RDFS.label, label))  # type: ignore[arg-type]
        return graph

    def outgoing(self, node: Node) -> Iterator[tuple[Identifier, Identifier]]:
        """The (predicate, object) pairs of a subject."""
        for quad in self.store.quads_for_pattern(subject_term(node), None, None, ox.DefaultGraph()):
            yield to_rdflib(quad.predicate), to_rdflib(quad.object)

    def parents(self, node: Node) -> Iterator[Identifier]:
        """The subjects of the triples whose object is ``node``."""
        for quad in self.store.quads_for_pattern(None, None, from_rdflib(node), ox.DefaultGraph()):
            yield to_rdflib(quad.subject)
