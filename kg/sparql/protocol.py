"""The query operation of the SPARQL 1.1 Protocol over HTTP, read-only, on a pyoxigraph store.

``GET /query?query=...``, ``POST /query`` with a form (``query=...``) or with the query as the
body (``application/sparql-query``). Each query runs in a worker process under a time limit
(:mod:`kg.sparql.runner`), which negotiates the result format from ``Accept`` and refuses a
SERVICE clause unless allowed (:mod:`kg.sparql.answer`). A dataset given in the request
(``default-graph-uri``, ``named-graph-uri``) is refused with a 400; ``/update`` and ``/store``
answer 403 (the endpoint is read-only). ``/`` is a short page. CORS is opt-in: only the origins
the server is given get ``Access-Control-Allow-Origin``, on answers and on preflight requests.
"""

from __future__ import annotations

import html
import urllib.parse
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from http.server import BaseHTTPRequestHandler
from typing import Protocol

from kg.sparql.answer import TEXT, negotiate
from kg.sparql.runner import QueryRunner, StoreRef

__all__ = ["MAX_BODY", "QueryHandler", "StoreSource", "handler_for", "negotiate"]

#: The largest request body taken, in bytes (a query, not data).
MAX_BODY = 10 * 1024 * 1024
_METHODS = "GET, POST, OPTIONS"
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

    def reading(self) -> AbstractContextManager[StoreRef]:
        """The current store, kept in place until the block ends."""
        ...

    def describe(self) -> str:
        """One line on what is served (for the page at ``/``)."""
        ...


class QueryHandler(BaseHTTPRequestHandler):
    """One request: the query operation on ``/query``, refusals elsewhere."""

    server_version = "cmr-kg"
    # set on the subclass the server makes (handler_for)
    source: StoreSource
    runner: QueryRunner
    cors: frozenset[str] = frozenset()

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

    def do_OPTIONS(self) -> None:
        """What ``/query`` allows; a CORS preflight is answered when ``cors`` allows the origin."""
        path = urllib.parse.urlsplit(self.path).path
        if path != "/query":
            self._route(path, {}, None, write=True)
            return
        preflight = {}
        asked = self.headers.get("Access-Control-Request-Method", "").upper()
        if self._allowed_origin() is not None and asked in ("GET", "POST"):
            preflight = {
                "Access-Control-Allow-Methods": "GET, POST",
                "Access-Control-Allow-Headers": "Accept, Content-Type",
                "Access-Control-Max-Age": "600",
            }
        self._send(204, b"", allow=_METHODS, headers=preflight)

    def _route(
        self, path: str, params: dict[str, list[str]], body: str | None, *, write: bool = False
    ) -> None:
        if path in ("/update", "/store"):
            self._send(403, "this endpoint is read-only: it answers queries at /query")
        elif path != "/query":
            self._send(404, f"no such path: {path}; queries go to /query")
        elif write:
            self._send(405, "the query endpoint takes GET or POST", allow=_METHODS)
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
        with self.source.reading() as store:
            done = self.runner.run(store, queries[0], self.headers.get("Accept", ""))
        self._send(done.status, done.body, done.media)

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
        media: str = TEXT,
        *,
        allow: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(code)
        if code != 204:
            self.send_header("Content-Type", media)
            self.send_header("Content-Length", str(len(data)))
        if allow is not None:
            self.send_header("Allow", allow)
        origin = self._allowed_origin()
        if origin is not None:
            self.send_header("Access-Control-Allow-Origin", origin)
        if self.cors and "*" not in self.cors:
            self.send_header("Vary", "Origin")  # the answer depends on the origin asking
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _allowed_origin(self) -> str | None:
        """The ``Access-Control-Allow-Origin`` to send: ``*``, the asking origin, or None."""
        if "*" in self.cors:
            return "*"
        origin = self.headers.get("Origin")
        return origin if origin in self.cors else None


def handler_for(
    source: StoreSource, runner: QueryRunner, cors: Iterable[str] = ()
) -> Callable[..., QueryHandler]:
    """The handler class answering from ``source`` with ``runner`` (what a server is given).

    ``cors`` lists the origins a browser may query from (``*``: any); none by default.
    """
    bound = {"source": source, "runner": runner, "cors": frozenset(cors)}
    return type("BoundQueryHandler", (QueryHandler,), bound)
