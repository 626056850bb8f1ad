"""SERVICE clauses: found by parsing the query, refused by ``kg serve`` unless allowed.

A listener on another local port stands for the URL a query names: it must receive nothing
when SERVICE is refused (by ``kg serve`` itself, a real subprocess), and the query when the
server runs with SERVICE allowed.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from kg.sparql.serve import serve
from kg.sparql.service import has_service, service_check
from tests.conftest import COHORT, Listener, free_port

CALLS = [
    "SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "select * where { service silent <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { { SELECT ?s WHERE { OPTIONAL { SERVICE <{url}> { ?s ?p ?o } } } } }",
    "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <{url}> { ?s ?p ?o } } }",
    "ASK { GRAPH ?g { { ?s ?p ?o } UNION { MINUS { SERVICE <{url}> { ?s ?p ?o } } } } }",
    "SELECT * WHERE { BIND(<{url}> AS ?e) SERVICE ?e { ?s ?p ?o } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "DESCRIBE ?s WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <{url}> { ?s ?p ?o } }",  # a codepoint escape
]
NOT_CALLS = [
    "SELECT * WHERE { ?s ?p ?o } # SERVICE <{url}> { ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p 'SERVICE <{url}> { ?s ?p ?o }' }",
    'SELECT * WHERE { ?s ?p """\nSERVICE <{url}> { ?s ?p ?o }\n""" }',
    "SELECT ?service WHERE { ?service ?p <{url}service> }",
    "PREFIX service: <{url}> SELECT * WHERE { ?s service:SERVICE ?o }",
]


@pytest.mark.parametrize("query", CALLS)
def test_a_service_clause_is_found_wherever_it_is(query: str) -> None:
    assert has_service(query.replace("{url}", "http://example.org/sparql"))


@pytest.mark.parametrize("query", NOT_CALLS)
def test_the_word_in_a_comment_string_iri_or_name_is_not_a_service(query: str) -> None:
    assert not has_service(query.replace("{url}", "http://example.org/sparql"))


def test_a_query_that_mentions_service_and_cannot_be_checked_is_taken_to_call_one() -> None:
    # rdflib's parser has no RDF-star; Oxigraph would run this query and call the service
    why = service_check("SELECT * { SERVICE <http://e.org/> { << ?s ?p ?o >> ?q ?r } }")
    assert why is not None and "could not be checked" in why
    assert service_check("SELECT * { << ?s ?p ?o >> ?q ?r }") is None  # no mention: not parsed


def ask(endpoint: str, query: str) -> tuple[int, str]:
    data = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(endpoint, data=data)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read().decode()


@pytest.mark.parametrize("query", CALLS[:6])
def test_kg_serve_refuses_service_and_fetches_nothing(
    endpoint: str, listener: Listener, query: str
) -> None:
    code, body = ask(endpoint, query.replace("{url}", listener.url))
    assert code == 400, body
    assert "SERVICE" in body and "--allow-service" in body
    assert listener.seen == []


def test_kg_serve_runs_a_query_that_only_mentions_service(
    endpoint: str, listener: Listener
) -> None:
    code, body = ask(endpoint, NOT_CALLS[0].replace("{url}", listener.url))
    assert code == 200, body
    assert listener.seen == []


def test_with_allow_service_the_service_is_called(listener: Listener) -> None:
    server = serve(COHORT, "127.0.0.1", free_port(), allow_service=True).start()
    try:
        code, body = ask(
            server.url, f"SELECT ?x WHERE {{ SERVICE <{listener.url}> {{ ?x ?p ?o }} }}"
        )
    finally:
        server.close()
    assert code == 200, body
    assert json.loads(body)["results"]["bindings"] == [
        {"x": {"type": "literal", "value": "fetched"}}
    ]
    assert len(listener.seen) == 1
