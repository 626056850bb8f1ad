"""The query operation of the SPARQL 1.1 Protocol over HTTP, read-only, on a pyoxigraph store.

``GET /query?query=...``, ``POST /query`` with a form (``query=...``) or with the query as the
body (``application/sparql-query``). Results are negotiated from the ``Accept`` header: SPARQL
JSON (the default), XML, CSV or TSV for ``SELECT`` and ``ASK``; Turtle (the default), N-Triples or
RDF/XML for ``CONSTRUCT`` and ``DESCRIBE``. A bad query is a 400 with the parser's message; a
dataset given in the request (``default-graph-uri``, ``named-graph-uri``) is refused with a 400;
``/update`` and ``/store`` answer 403 (the endpoint is read-only). ``/`` is a short page.
"""

from __future__ import annotations

import html
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from http.server import BaseHTTPRequestHandler
from typing import Protocol, TypeVar

import pyoxigraph as ox

__all__ = ["MAX_BODY", "QueryHandler", "StoreSource", "handler_for", "negotiate"]

T = TypeVar("T")

#: The largest request body taken, in bytes (a query, not data).
MAX_BODY = 10 * 1024 * 1024
_JSON = ox.QueryResultsFormat.JSON
_RESULTS: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": _JSON,
    "application/json": _JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    "text/xml": ox.QueryResultsFormat.XML,
}
_GRAPHS: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>CMR knowledge graph: SPARQL endpoint</title>
</head><body><h1>CMR knowledge graph: SPARQL endpoint</h1>
<p>Read-only SPARQL 1.1 query endpoint: <code>{url}</code> (GET or POST, SPARQL 1.1 Protocol).
Serving {state}.</p>
<form action="/query" method="get"><textarea name="query" rows="8" cols="80">{example}</textarea>
<br><button type="submit">Run</button></form></body></html>
"""
_EXAMPLE = "PREFIX cmr: <https://w3id.org/cmr/>\nSELECT (COUNT(?c) AS ?n) WHERE { ?c a cmr:Case }"


class StoreSource(Protocol):
    """What the handler reads from: the store to answer one request with, and what it is."""

    def reading(self) -> AbstractContextManager[ox.Store]:
        """The current store, kept open until the block ends."""
        ...

    def describe(self) -> str:
        """One line on what is served (for the page at ``/``)."""
        ...


def negotiate(accept: str, formats: dict[str, T], default: T) -> T | None:
    """The format the ``Accept`` header prefers among ``formats``; None when none is acceptable.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", _RESULTS, _JSON).name
    'SPARQL Results in XML'
    >>> negotiate("text/*", _RESULTS, _JSON).name, negotiate("image/png", _RESULTS, _JSON)
    ('SPARQL Results in CSV', None)
    """
    best: tuple[float, int, T] | None = None
    for rank, item in enumerate(accept.split(",") if accept.strip() else ["*/*"]):
        media, *params = (part.strip() for part in item.split(";"))
        weight = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        media = media.lower()
        if media == "*/*":
            found: T | None = default
        elif media.endswith("/*"):
            found = next((f for m, f in formats.items() if m.startswith(media[:-1])), None)
        else:
            found = formats.get(media)
        if found is not None and weight > 0 and (best is None or (weight, -rank) > best[:2]):
            best = (weight, -rank, found)
    return None if best is None else best[2]


class QueryHandler(BaseHTTPRequestHandler):
    """One request: the query operation on ``/query``, refusals elsewhere."""

    server_version = "cmr-kg"
    source: StoreSource  # set on the subclass the server makes

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: a server kept running by a script must not fill an unread pipe."""

    def do_GET(self) -> None:
        """A query in the URL, or the page at ``/``."""
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/":
            self._page()
        else:
            self._route(url.path, urllib.parse.parse_qs(url.query, keep_blank_values=True), None)

    def do_POST(self) -> None:
        """A query in a form or as the body."""
        url = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._send(413, f"the request body is over {MAX_BODY} bytes")
            return
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        kind = (self.headers.get_content_type() or "").lower()
        if url.path == "/query" and kind == "application/x-www-form-urlencoded":
            for key, values in urllib.parse.parse_qs(body, keep_blank_values=True).items():
                params.setdefault(key, []).extend(values)
            body = ""
        elif url.path == "/query" and kind != "application/sparql-query":
            self._send(415, "send the query as application/sparql-query or as a form")
            return
        self._route(url.path, params, body or None)

    def do_PUT(self) -> None:
        """Nothing is written here."""
        self._route(urllib.parse.urlsplit(self.path).path, {}, None, write=True)

    do_DELETE = do_PATCH = do_PUT  # noqa: N815

    def _route(
        self, path: str, params: dict[str, list[str]], body: str | None, *, write: bool = False
    ) -> None:
        if path in ("/update", "/store"):
            self._send(403, "this endpoint is read-only: it answers queries at /query")
        elif path != "/query":
            self._send(404, f"no such path: {path}; queries go to /query")
        elif write:
            self._send(405, "the query endpoint takes GET or POST", allow="GET, POST")
        else:
            self._query(params, body)

    def _query(self, params: dict[str, list[str]], body: str | None) -> None:
        queries: Sequence[str] = [body] if body is not None else params.get("query", [])
        if len(queries) != 1 or (body is not None and "query" in params):
            self._send(400, "give exactly one query (the query parameter or the request body)")
            return
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            self._send(400, "default-graph-uri and named-graph-uri are not supported here")
            return
        accept = self.headers.get("Accept", "")
        try:
            with self.source.reading() as store:
                answer = store.query(queries[0])
                if isinstance(answer, ox.QueryTriples):
                    graph = negotiate(accept, _GRAPHS, ox.RdfFormat.TURTLE)
                    if graph is None:
                        self._refuse(_GRAPHS)
                        return
                    data, media = answer.serialize(format=graph), graph.media_type
                else:
                    table = negotiate(accept, _RESULTS, _JSON)
                    if table is None:
                        self._refuse(_RESULTS)
                        return
                    data, media = answer.serialize(format=table), table.media_type
        except SyntaxError as exc:
            self._send(400, f"SPARQL syntax error: {exc}")
            return
        except (OSError, ValueError, RuntimeError) as exc:
            self._send(500, f"the query failed: {exc}")
            return
        self._send(200, data or b"", media)

    def _refuse(self, formats: Mapping[str, object]) -> None:
        self._send(406, "acceptable result formats: " + ", ".join(formats))

    def _page(self) -> None:
        host = self.headers.get("Host") or "HOST:PORT"
        text = _PAGE.format(
            url=html.escape(f"http://{host}/query"),
            state=html.escape(self.source.describe()),
            example=html.escape(_EXAMPLE),
        )
        self._send(200, text, "text/html; charset=utf-8")

    def _send(
        self,
        code: int,
        body: str | bytes,
        media: str = "text/plain; charset=utf-8",
        *,
        allow: str | None = None,
    ) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(code)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(data)))
        if allow is not None:
            self.send_header("Allow", allow)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


def handler_for(source: StoreSource) -> Callable[..., QueryHandler]:
    """The handler class answering from ``source`` (what an HTTP server is given)."""
    return type("BoundQueryHandler", (QueryHandler,), {"source": source})
