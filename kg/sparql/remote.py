r"""Run catalogue and ad-hoc queries against a remote SPARQL 1.1 endpoint (SPARQLWrapper).

A remote endpoint cannot pre-bind variables, so parameter values are written into the query as a
``VALUES`` block of RDF terms in N-Triples syntax (literals escaped by rdflib, IRIs checked
against the N-Triples IRI grammar). Queries are sent by POST with content negotiation for JSON
results. Credentials come from ``CMR_KG_ENDPOINT_USER`` and ``CMR_KG_ENDPOINT_PASSWORD`` (HTTP
basic authentication) and are never printed; HTTP and network failures become one line that
says what to do (:func:`failure_message`, shared with :mod:`kg.sparql.push`).
"""

from __future__ import annotations

import ast
import base64
import http.client
import os
import re
import urllib.error
import urllib.parse
import warnings
from collections.abc import Mapping
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier
from SPARQLWrapper import ASK, CONSTRUCT, DESCRIBE, JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from kg.engine.results import QueryError, QueryResult, inline_bindings, refuse_update
from kg.model.ontology import PREFIXES
from kg.reasoning.routes import Construct, RuleError
from kg.sparql.catalogue import bindings_for, catalogue

__all__ = [
    "NETWORK_ERRORS",
    "PASSWORD_VARIABLE",
    "QUERY_URLS",
    "USER_VARIABLE",
    "auth_headers",
    "credentials",
    "endpoint_runner",
    "failure_message",
    "inline_bindings",
    "is_iri",
    "run_remote",
    "run_remote_answer",
    "run_remote_named",
    "sparql_client",
    "url_problem",
]

USER_VARIABLE = "CMR_KG_ENDPOINT_USER"
PASSWORD_VARIABLE = "CMR_KG_ENDPOINT_PASSWORD"
QUERY_URLS = (
    "Oxigraph: /query, Fuseki: /DATASET/sparql, GraphDB: /repositories/REPO, Virtuoso: /sparql"
)
# What talking to a server can raise: HTTP answers (SPARQLWrapper wraps some), network errors.
NETWORK_ERRORS = (SPARQLWrapperException, OSError, http.client.HTTPException)

_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_RESPONSE = "\n\nResponse:\n"  # where SPARQLWrapper's exception messages put the body


def is_iri(text: str) -> bool:
    """Whether ``text`` is an absolute IRI that can be written as ``<text>`` in SPARQL."""
    return bool(_SCHEME.match(text)) and not _IRI_FORBIDDEN.search(text)


def credentials() -> tuple[str, str] | None:
    """The user name and password from the environment, or None when no user is set."""
    user = os.environ.get(USER_VARIABLE)
    return (user, os.environ.get(PASSWORD_VARIABLE, "")) if user else None


def auth_headers() -> dict[str, str]:
    """An HTTP basic ``Authorization`` header from the environment's credentials, if any."""
    found = credentials()
    if found is None:
        return {}
    token = base64.b64encode(":".join(found).encode("utf-8")).decode("ascii")
    return {"Authorization": f"Basic {token}"}


def _strip_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def _shown(url: str) -> str:
    """``url`` without any user name or password in it."""
    parts = urllib.parse.urlsplit(url)
    return parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be used as an endpoint URL, or None when it can."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"{_shown(url)} is not an http:// or https:// URL"
    if "@" in parts.netloc:
        return (
            f"{_shown(url)}: put the user name and password in {USER_VARIABLE} and "
            f"{PASSWORD_VARIABLE}, not in the URL"
        )
    return None


def _first_line(body: bytes) -> str:
    """The first line of a short, plain-text answer body ('' for HTML or long text)."""
    lines = body.decode("utf-8", "replace").strip().splitlines()
    line = lines[0].strip() if lines else ""
    return line if len(line) <= 200 and not line.startswith("<") else ""


def _status_message(code: int, reason: str, body: bytes, urls: str) -> str:
    """What an HTTP error status means for the user, in one line."""
    said = _first_line(body)
    if code in (401, 403):
        verb = "check" if credentials() else "set"
        fix = f"{verb} {USER_VARIABLE} and {PASSWORD_VARIABLE}"
        if code == 401:
            return f"401 unauthorized; {fix}"
        return f"403 forbidden; {fix}, and the account's rights" + (f" ({said})" if said else "")
    if code == 404:
        return f"404 not found; check the URL ({urls})"
    if code == 413:
        return "413 request too large for the server; raise its request size limit"
    if code == 414:
        return "414 request URI too long for the server"
    if code >= 500:
        return f"{code} server error: " + (said or "see the server's log")
    return f"{code} {reason}" + (f": {said}" if said else "")


def _wrapped_body(error: SPARQLWrapperException) -> bytes:
    """The answer body SPARQLWrapper wrote (as a bytes literal) into its exception's message."""
    _, _, text = str(error).partition(_RESPONSE)
    try:
        body = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return b""
    return body if isinstance(body, bytes) else b""


def _http_status(error: BaseException) -> tuple[int, str, bytes] | None:
    """Status, reason and body of an HTTP error answer (None for a network failure).

    SPARQLWrapper turns some statuses into its own exceptions, having read the body into the
    message; the HTTPError it caught is the exception's context.
    """
    if isinstance(error, urllib.error.HTTPError):
        return error.code, str(error.reason), error.read(4096)
    answer = error.__context__
    if isinstance(error, SPARQLWrapperException) and isinstance(answer, urllib.error.HTTPError):
        return answer.code, str(answer.reason), _wrapped_body(error)
    return None


def failure_message(url: str, error: BaseException, *, timeout: float, urls: str) -> str:
    """One line saying what went wrong talking to ``url`` and what to do about it.

    ``urls`` names the URL each server uses for this kind of request (shown on a 404).
    """
    where = _shown(url)
    status = _http_status(error)
    if status is not None:
        return f"{where}: {_status_message(*status, urls)}"
    reason = error.reason if isinstance(error, urllib.error.URLError) else error
    if isinstance(reason, TimeoutError):
        return f"{where}: no answer within {timeout:g} s; the server may be busy (see --timeout)"
    detail = reason.strerror if isinstance(reason, OSError) and reason.strerror else reason
    return f"{where}: cannot connect ({detail}); is the server running?"


def _from_json(binding: Mapping[str, str]) -> Identifier:
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if "xml:lang" in binding:
        return Literal(value, lang=binding["xml:lang"])
    datatype = binding.get("datatype")
    if datatype and datatype != "http://www.w3.org/2001/XMLSchema#string":
        return Literal(value, datatype=URIRef(datatype))
    return Literal(value)


def _result(endpoint: str, answer: Any) -> QueryResult:
    """The rows of a SPARQL JSON results document."""
    if not (isinstance(answer, dict) and "results" in answer and "head" in answer):
        raise QueryError(
            f"{_shown(endpoint)}: the answer is not SPARQL JSON results; is this the query URL "
            f"({QUERY_URLS})?"
        )
    columns = list(answer["head"].get("vars", []))
    rows = [
        tuple(_from_json(b[c]) if c in b else None for c in columns)
        for b in answer["results"]["bindings"]
    ]
    return QueryResult(columns, rows)


def sparql_client(endpoint: str, query: str, fmt: str, *, timeout: int) -> SPARQLWrapper:
    """A SPARQLWrapper client: POST, content negotiation for ``fmt``, credentials, timeout.

    Comment lines are dropped: SPARQLWrapper guesses the query form from the text, comments
    included (a header mentioning a "drop metastasis" made it send a query as an update).
    """
    client = SPARQLWrapper(endpoint)
    client.setMethod(POST)
    client.setReturnFormat(fmt)
    client.setTimeout(timeout)
    client.setQuery(_strip_comments(query))
    found = credentials()
    if found is not None:
        client.setCredentials(*found)
    return client


def run_remote(
    endpoint: str,
    text: str,
    bindings: Mapping[str, Identifier] | None = None,
    *,
    timeout: int = 60,
) -> QueryResult:
    """Run a SELECT query on ``endpoint``; HTTP and network failures become QueryError."""
    problem = url_problem(endpoint)
    if problem is not None:
        raise QueryError(problem)
    prologue = "\n".join(f"PREFIX {name}: <{ns}>" for name, ns in PREFIXES.items())
    query = prologue + "\n" + inline_bindings(text, bindings or {})
    client = sparql_client(endpoint, query, JSON, timeout=timeout)
    try:
        with warnings.catch_warnings():  # SPARQLWrapper warns of a non-JSON answer; we say it
            warnings.simplefilter("ignore", RuntimeWarning)
            answer = client.queryAndConvert()
    except NETWORK_ERRORS as exc:
        message = failure_message(endpoint, exc, timeout=timeout, urls=QUERY_URLS)
        raise QueryError(message) from exc
    except ValueError:  # the answer is not JSON
        answer = None
    return _result(endpoint, answer)


def run_remote_answer(endpoint: str, text: str, *, timeout: int = 60) -> QueryResult | bool | Graph:
    """Run any query on ``endpoint``: rows, a bool (ASK) or a graph (CONSTRUCT, DESCRIBE).

    An Update is refused before anything is sent.
    """
    refuse_update(text, _shown(endpoint))
    problem = url_problem(endpoint)
    if problem is not None:
        raise QueryError(problem)
    prologue = "\n".join(f"PREFIX {name}: <{ns}>" for name, ns in PREFIXES.items())
    client = sparql_client(endpoint, prologue + "\n" + text, JSON, timeout=timeout)
    if client.queryType not in (ASK, CONSTRUCT, DESCRIBE):
        return run_remote(endpoint, text, timeout=timeout)
    try:
        if client.queryType == ASK:
            answer = client.queryAndConvert()
            if not (isinstance(answer, dict) and isinstance(answer.get("boolean"), bool)):
                raise QueryError(f"{_shown(endpoint)}: the answer is not a SPARQL boolean result")
            return bool(answer["boolean"])
        client.setReturnFormat(TURTLE)
        body: bytes = client.query().response.read()
    except NETWORK_ERRORS as exc:
        raise QueryError(failure_message(endpoint, exc, timeout=timeout, urls=QUERY_URLS)) from exc
    except ValueError as exc:  # not JSON
        raise QueryError(f"{_shown(endpoint)}: the answer is not SPARQL JSON results") from exc
    graph = Graph()
    for name, ns in PREFIXES.items():
        graph.bind(name, ns, override=True)
    try:
        graph.parse(data=body, format="turtle")
    except Exception as exc:  # rdflib raises several parser errors
        raise QueryError(f"{_shown(endpoint)}: the answer is not Turtle: {exc}") from exc
    return graph


def run_remote_named(
    endpoint: str,
    name: str,
    params: Mapping[str, str | Identifier] | None = None,
    *,
    timeout: int = 60,
) -> QueryResult:
    """Run the catalogue query ``name`` on ``endpoint``."""
    queries = catalogue()
    if name not in queries:
        raise QueryError(f"no query named {name!r} in the catalogue; see `kg queries`")
    query = queries[name]
    return run_remote(endpoint, query.file.text, bindings_for(query, params or {}), timeout=timeout)


def endpoint_runner(endpoint: str, *, timeout: int = 60) -> Construct:
    """Run CONSTRUCT queries on a SPARQL 1.1 endpoint (POST, Turtle back).

    Credentials come from ``CMR_KG_ENDPOINT_USER`` and ``CMR_KG_ENDPOINT_PASSWORD``.
    """

    def construct(text: str) -> Graph:
        client = sparql_client(endpoint, text, TURTLE, timeout=timeout)
        try:
            answer: bytes = client.query().response.read()
        except NETWORK_ERRORS as exc:
            raise RuleError(
                failure_message(endpoint, exc, timeout=timeout, urls=QUERY_URLS)
            ) from exc
        out = Graph()
        out.parse(data=answer, format="turtle")
        return out

    return construct
