"""Load the built graph into a SPARQL 1.1 server, replacing one named graph.

The graph goes as N-Triples (:func:`ntriples` makes the payload). How it is replaced depends on
the URLs given:

- a Graph Store URL only: one ``PUT <store>?graph=<g>`` (SPARQL 1.1 Graph Store HTTP Protocol).
  Atomic where the server runs the PUT as one transaction (Fuseki, GraphDB); the Oxigraph server
  clears the graph, then loads it, in two transactions.
- a Graph Store URL and an Update URL: ``PUT`` into a staging graph, then one SPARQL Update
  ``MOVE GRAPH <staging> TO <g>``: atomic wherever one update request is one transaction
  (Oxigraph, Fuseki, GraphDB).
- an Update URL only, or a Graph Store that answers 404, 405 or 501: SPARQL 1.1 Update. A graph
  that fits in one request (``chunk_bytes``) goes as ``DROP SILENT GRAPH <g> ; INSERT DATA``;
  a larger one as several ``INSERT DATA`` requests into a staging graph, then one ``MOVE``.
  Triples that share a blank node go in the same request (labels are scoped to a request).

A failed push drops its staging graph and leaves the previous graph as it was. Credentials
come from the environment (:func:`kg.sparql.remote.credentials`) and are never printed.
"""

from __future__ import annotations

import contextlib
import itertools
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from rdflib import Graph
from SPARQLWrapper import POST, POSTDIRECTLY, SPARQLWrapper

from kg.model.errors import KGError
from kg.sparql.remote import (
    NETWORK_ERRORS,
    auth_headers,
    credentials,
    failure_message,
    is_iri,
    url_problem,
)

__all__ = [
    "CHUNK_BYTES",
    "DEFAULT_GRAPH",
    "STORE_URLS",
    "UPDATE_URLS",
    "PushError",
    "PushResult",
    "check_target",
    "ntriples",
    "push",
]

DEFAULT_GRAPH = "https://w3id.org/cmr/data/graph/kg"
# The Oxigraph server refuses update requests over 1 MiB.
CHUNK_BYTES = 500_000
STORE_URLS = (
    "Oxigraph: /store, Fuseki: /DATASET/data, GraphDB: /repositories/REPO/rdf-graphs/service"
)
UPDATE_URLS = (
    "Oxigraph: /update, Fuseki: /DATASET/update, GraphDB: /repositories/REPO/statements, "
    "Virtuoso: /sparql"
)
_NO_PUT = (405, 501)
_NO_GRAPH_STORE = (404, *_NO_PUT)
_BNODE = re.compile(rb'_:[^\s<>"]*[^\s.<>"]')


class PushError(KGError):
    """The graph could not be pushed; ``status`` is the HTTP status of the answer, if any."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class PushResult:
    """What was pushed where, how, and how long it took."""

    triples: int
    graph: str
    server: str
    method: str
    seconds: float

    def summary(self) -> str:
        """One line for the user."""
        return (
            f"Pushed {self.triples} triples into graph <{self.graph}> at {self.server} "
            f"({self.method}) in {self.seconds:.1f} s."
        )


def ntriples(graph: Graph) -> bytes:
    """The payload: ``graph`` as N-Triples, one triple a line."""
    return graph.serialize(format="nt", encoding="utf-8")


def check_target(store_url: str | None, update_url: str | None, graph: str) -> None:
    """Raise PushError unless the URLs given and the graph IRI can be used."""
    for url in (store_url, update_url):
        problem = None if url is None else url_problem(url)
        if problem is not None:
            raise PushError(problem)
    if not is_iri(graph):
        raise PushError(f"{graph!r} is not an absolute IRI for the graph")


def _triples(payload: bytes) -> list[bytes]:
    """The lines of an N-Triples document that hold a triple."""
    lines = (line.strip() for line in payload.splitlines())
    return [line for line in lines if line and not line.startswith(b"#")]


def _groups(lines: list[bytes]) -> list[list[bytes]]:
    """``lines`` grouped so that lines linked through shared blank nodes stay together.

    A ``_:`` inside a literal or IRI may join groups needlessly, which does no harm.
    """
    parent: dict[bytes, bytes] = {}

    def root(label: bytes) -> bytes:
        parent.setdefault(label, label)
        while parent[label] != label:
            parent[label] = parent[parent[label]]
            label = parent[label]
        return label

    labels = [_BNODE.findall(line) for line in lines]
    for found in labels:
        for first, second in itertools.pairwise(found):
            parent[root(first)] = root(second)
    groups: dict[bytes | int, list[bytes]] = {}
    for index, (line, found) in enumerate(zip(lines, labels, strict=True)):
        groups.setdefault(root(found[0]) if found else index, []).append(line)
    return list(groups.values())


def _chunks(lines: list[bytes], limit: int) -> list[str]:
    """``lines`` as N-Triples texts of about ``limit`` bytes (a blank-node group is not split)."""
    chunks: list[list[bytes]] = [[]]
    size = 0
    for group in _groups(lines):
        group_size = sum(len(line) + 1 for line in group)
        if chunks[-1] and size + group_size > limit:
            chunks.append([])
            size = 0
        chunks[-1].extend(group)
        size += group_size
    return [b"\n".join(chunk).decode("utf-8") + "\n" for chunk in chunks if chunk]


def _put(store_url: str, graph: str, payload: bytes, timeout: int) -> None:
    """``PUT`` ``payload`` as the content of ``graph`` (Graph Store HTTP Protocol)."""
    separator = "&" if urllib.parse.urlsplit(store_url).query else "?"
    request = urllib.request.Request(
        f"{store_url}{separator}{urllib.parse.urlencode({'graph': graph})}",
        data=payload,
        method="PUT",
        headers={"Content-Type": "application/n-triples", **auth_headers()},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout):
            pass
    except NETWORK_ERRORS as exc:
        status = exc.code if isinstance(exc, urllib.error.HTTPError) else None
        message = failure_message(store_url, exc, timeout=timeout, urls=STORE_URLS)
        if status in _NO_PUT:
            message = (
                f"{store_url}: {status} the server takes no Graph Store PUT here; "
                "give its SPARQL Update URL (--update-endpoint)"
            )
        raise PushError(message, status) from exc


def _update(update_url: str, text: str, timeout: int) -> None:
    """Send one SPARQL Update request."""
    client = SPARQLWrapper(update_url)
    client.setMethod(POST)
    client.setRequestMethod(POSTDIRECTLY)  # the body as is, not URL-encoded
    client.setTimeout(timeout)
    client.setQuery(text)
    found = credentials()
    if found is not None:
        client.setCredentials(*found)
    try:
        client.query().response.close()
    except NETWORK_ERRORS as exc:
        message = failure_message(update_url, exc, timeout=timeout, urls=UPDATE_URLS)
        raise PushError(message) from exc


def _staged(update_url: str, graph: str, load: Callable[[str], None], timeout: int) -> None:
    """``load`` a staging graph, then move it onto ``graph`` in one update request."""
    staging = f"{graph}-staging-{uuid.uuid4().hex}"
    try:
        load(staging)
        _update(update_url, f"MOVE GRAPH <{staging}> TO <{graph}>", timeout)
    except PushError:
        with contextlib.suppress(PushError):  # the first error is the one to report
            _update(update_url, f"DROP SILENT GRAPH <{staging}>", timeout)
        raise


def _by_update(update_url: str, graph: str, lines: list[bytes], timeout: int, limit: int) -> str:
    """Replace ``graph`` by SPARQL Update; say how."""
    chunks = _chunks(lines, limit)
    if len(chunks) <= 1:
        body = chunks[0] if chunks else ""
        text = f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{body}}} }}"
        _update(update_url, text, timeout)
        return "SPARQL Update, one request"

    def load(staging: str) -> None:
        for chunk in chunks:
            _update(update_url, f"INSERT DATA {{ GRAPH <{staging}> {{\n{chunk}}} }}", timeout)

    _staged(update_url, graph, load, timeout)
    return f"SPARQL Update, {len(chunks)} requests into a staging graph, then MOVE"


def _by_graph_store(
    store_url: str, update_url: str | None, graph: str, payload: bytes, timeout: int
) -> str:
    """Replace ``graph`` through the Graph Store (and a MOVE when an Update URL is known)."""
    if update_url is None:
        _put(store_url, graph, payload, timeout)
        return "Graph Store PUT"
    _staged(update_url, graph, lambda staging: _put(store_url, staging, payload, timeout), timeout)
    return "Graph Store PUT into a staging graph, then MOVE"


def _replace(
    payload: bytes,
    lines: list[bytes],
    store_url: str | None,
    update_url: str | None,
    graph: str,
    timeout: int,
    chunk_bytes: int,
) -> tuple[str, str]:
    """Replace ``graph`` on the server; return the URL that took it and how."""
    fallback = ""
    if store_url is not None:
        try:
            return store_url, _by_graph_store(store_url, update_url, graph, payload, timeout)
        except PushError as err:
            if update_url is None or err.status not in _NO_GRAPH_STORE:
                raise
            fallback = f"; the Graph Store answered {err.status}"
    if update_url is None:
        raise PushError("give a Graph Store URL, a SPARQL Update URL, or both")
    return update_url, _by_update(update_url, graph, lines, timeout, chunk_bytes) + fallback


def push(
    payload: bytes,
    *,
    store_url: str | None = None,
    update_url: str | None = None,
    graph: str = DEFAULT_GRAPH,
    timeout: int = 120,
    chunk_bytes: int = CHUNK_BYTES,
) -> PushResult:
    """Replace ``graph`` on the server with the N-Triples ``payload``; failures are PushError."""
    check_target(store_url, update_url, graph)
    lines = _triples(payload)
    started = time.monotonic()
    server, method = _replace(payload, lines, store_url, update_url, graph, timeout, chunk_bytes)
    return PushResult(len(lines), graph, server, method, time.monotonic() - started)
