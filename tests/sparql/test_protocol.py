"""The SPARQL 1.1 Protocol as ``kg serve`` speaks it: the ways to send a query, result formats
negotiated from ``Accept``, refusals (bad query, dataset in the request, writes), the page at ``/``.
"""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.parse
import urllib.request

import pytest
from rdflib import Graph

from kg.sparql.protocol import negotiate

COUNT = "PREFIX cmr: <https://w3id.org/cmr/>\nSELECT (COUNT(?c) AS ?n) WHERE { ?c a cmr:Case }"
CONSTRUCT = (
    "CONSTRUCT { ?c a <https://w3id.org/cmr/Case> } WHERE { ?c a <https://w3id.org/cmr/Case> }"
)


def call(
    url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, str, str]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.headers.get_content_type(), answer.read().decode()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.headers.get_content_type(), refused.read().decode()


def get(endpoint: str, query: str, accept: str = "", **extra: str) -> tuple[int, str, str]:
    params = urllib.parse.urlencode({"query": query, **extra})
    return call(f"{endpoint}?{params}", headers={"Accept": accept} if accept else {})


def test_the_three_ways_to_send_a_query_agree(endpoint: str) -> None:
    form = urllib.parse.urlencode({"query": COUNT}).encode()
    answers = [
        get(endpoint, COUNT),
        call(endpoint, data=form),  # urllib sends application/x-www-form-urlencoded
        call(endpoint, data=COUNT.encode(), headers={"Content-Type": "application/sparql-query"}),
    ]
    assert {a[:2] for a in answers} == {(200, "application/sparql-results+json")}
    values = {json.loads(a[2])["results"]["bindings"][0]["n"]["value"] for a in answers}
    assert len(values) == 1 and int(values.pop()) > 0


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("text/csv;q=0.5, application/json", "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
    ],
)
def test_select_results_are_negotiated(endpoint: str, accept: str, media: str) -> None:
    code, kind, body = get(endpoint, COUNT, accept)
    assert (code, kind) == (200, media)
    if media == "text/csv":
        rows = list(csv.reader(io.StringIO(body)))
        assert rows[0] == ["n"] and int(rows[1][0]) > 0


def test_ask_answers(endpoint: str) -> None:
    code, _, body = get(endpoint, "ASK { ?s ?p ?o }")
    assert code == 200 and json.loads(body)["boolean"] is True


@pytest.mark.parametrize(
    ("accept", "media", "fmt"),
    [
        ("", "text/turtle", "turtle"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
    ],
)
def test_construct_results_are_negotiated(endpoint: str, accept: str, media: str, fmt: str) -> None:
    code, kind, body = get(endpoint, CONSTRUCT, accept)
    assert (code, kind) == (200, media)
    _, _, total = get(endpoint, COUNT)
    cases = int(json.loads(total)["results"]["bindings"][0]["n"]["value"])
    assert len(Graph().parse(data=body, format=fmt)) == cases


def test_refusals_say_why(endpoint: str) -> None:
    code, _, body = get(endpoint, "SELEC * WHERE { ?s ?p ?o }")
    assert code == 400 and "syntax error" in body
    code, _, body = get(endpoint, COUNT, **{"default-graph-uri": "https://e/g"})
    assert code == 400 and "default-graph-uri" in body
    assert call(endpoint)[0] == 400  # no query
    assert get(endpoint, COUNT, "image/png")[0] == 406
    code, _, body = call(endpoint.replace("/query", "/update"), data=b"update=CLEAR%20ALL")
    assert code == 403 and "read-only" in body
    put = urllib.request.Request(endpoint, data=b"x", method="PUT")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(put, timeout=10)
    assert refused.value.code == 405
    data = COUNT.encode()
    assert call(endpoint, data=data, headers={"Content-Type": "text/plain"})[0] == 415


def test_the_page_at_the_root_says_where_to_query(endpoint: str) -> None:
    code, kind, body = call(endpoint.replace("/query", "/"))
    assert (code, kind) == (200, "text/html")
    assert "/query" in body and "read-only" in body.lower()


def test_negotiation_prefers_weight_then_order() -> None:
    formats = {"a/x": 1, "a/y": 2, "b/z": 3}
    assert negotiate("a/x;q=0.2, a/y", formats, 0) == 2
    assert negotiate("a/y, a/x", formats, 0) == 2
    assert negotiate("b/*;q=0.9, a/x;q=0.1", formats, 0) == 3
    assert negotiate("", formats, 0) == 0
    assert negotiate("a/x;q=0", formats, 0) is None
