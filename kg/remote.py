r"""Run catalogue and ad-hoc queries against a remote SPARQL 1.1 endpoint (SPARQLWrapper).

A remote endpoint cannot pre-bind variables, so parameter values are written into the query as a
``VALUES`` block of RDF terms in N-Triples syntax (literals escaped by rdflib, IRIs checked
against the N-Triples IRI grammar). Queries are sent by POST with content negotiation for JSON
results. Credentials come from ``CMR_KG_ENDPOINT_USER`` and ``CMR_KG_ENDPOINT_PASSWORD`` and are
never printed.

>>> inline_bindings("SELECT ?s WHERE { ?s ?p ?region }", {"region": URIRef("https://e/x")})
'SELECT ?s WHERE { VALUES ( ?region ) { ( <https://e/x> ) } ?s ?p ?region }'
>>> inline_bindings("SELECT ?s WHERE { ?s ?p ?o }", {"o": Literal('x" } DROP ALL #')})
'SELECT ?s WHERE { VALUES ( ?o ) { ( "x\\" } DROP ALL #" ) } ?s ?p ?o }'
"""

from __future__ import annotations

import os
import re
import urllib.error
from collections.abc import Mapping

from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier
from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import (
    EndPointInternalError,
    EndPointNotFound,
    QueryBadFormed,
    Unauthorized,
    URITooLong,
)

from kg.ontology import PREFIXES
from kg.queries import QueryError, QueryResult, bindings_for, catalogue

__all__ = ["inline_bindings", "run_remote", "run_remote_named"]

_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def _term(value: Identifier) -> str:
    if isinstance(value, URIRef):
        if _IRI_FORBIDDEN.search(str(value)):
            raise QueryError(f"{str(value)!r} is not a valid IRI for a query parameter")
        return f"<{value}>"
    if isinstance(value, Literal):
        return value.n3()
    raise QueryError(f"cannot send {value!r} as a query parameter")


def _strip_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def inline_bindings(text: str, bindings: Mapping[str, Identifier]) -> str:
    """``text`` with ``bindings`` as a ``VALUES`` block opening the main WHERE clause."""
    if not bindings:
        return text
    match = _WHERE.search(text)
    if match is None:
        raise QueryError("the query has no WHERE clause to bind parameters in")
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(_term(value) for value in bindings.values())
    block = f" VALUES ( {names} ) {{ ( {values} ) }}"
    return text[: match.end()] + block + text[match.end() :]


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


def run_remote(
    endpoint: str,
    text: str,
    bindings: Mapping[str, Identifier] | None = None,
    *,
    timeout: int = 60,
) -> QueryResult:
    """Run a SELECT query on ``endpoint``; HTTP and network failures become QueryError."""
    prologue = "\n".join(f"PREFIX {name}: <{ns}>" for name, ns in PREFIXES.items())
    query = prologue + "\n" + inline_bindings(_strip_comments(text), bindings or {})
    client = SPARQLWrapper(endpoint)
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    client.setTimeout(timeout)
    client.setQuery(query)
    user = os.environ.get("CMR_KG_ENDPOINT_USER")
    if user:
        client.setCredentials(user, os.environ.get("CMR_KG_ENDPOINT_PASSWORD", ""))
    try:
        answer = client.queryAndConvert()
    except Unauthorized as exc:
        raise QueryError(
            f"{endpoint}: 401 unauthorized; set CMR_KG_ENDPOINT_USER and CMR_KG_ENDPOINT_PASSWORD"
        ) from exc
    except EndPointNotFound as exc:
        raise QueryError(
            f"{endpoint}: 404 not found; check the endpoint's query URL "
            "(Oxigraph: /query, Fuseki: /DATASET/sparql)"
        ) from exc
    except URITooLong as exc:
        raise QueryError(f"{endpoint}: 414 request too long") from exc
    except QueryBadFormed as exc:
        raise QueryError(f"{endpoint}: 400 the endpoint rejected the query: {exc}") from exc
    except EndPointInternalError as exc:
        raise QueryError(f"{endpoint}: server error (5xx): {exc}") from exc
    except urllib.error.HTTPError as exc:
        raise QueryError(f"{endpoint}: HTTP {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, ConnectionError) as exc:
        reason = getattr(exc, "reason", exc)
        raise QueryError(f"{endpoint}: cannot connect ({reason}); is the server running?") from exc
    except TimeoutError as exc:
        raise QueryError(f"{endpoint}: no answer within {timeout} s") from exc
    assert isinstance(answer, dict)
    columns = list(answer["head"].get("vars", []))
    rows = [
        tuple(_from_json(b[c]) if c in b else None for c in columns)
        for b in answer["results"]["bindings"]
    ]
    return QueryResult(columns, rows)


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
