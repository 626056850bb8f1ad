"""The SPARQL 1.1 Protocol as ``kg serve`` speaks it: the ways to send a query, result formats
negotiated from ``Accept``, refusals (bad query, dataset in the request, writes), the page at ``/``,
and CORS (none unless asked for; the listed origins, preflight included, when it is).
"""

from __future__ import annotations

import csv
import http.client
import io
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
from rdflib import Graph

from kg.sparql.protocol import negotiate
from kg.sparql.serve import serve
from tests.conftest import COHORT, free_port

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


def exchange(url: str, method: str, headers: dict[str, str]) -> http.client.HTTPResponse:
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.netloc, timeout=30)
    connection.request(method, url, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def test_without_cors_no_cors_header_is_sent(endpoint: str) -> None:
    origin = {"Origin": "http://app.example:8080"}
    url = endpoint + "?" + urllib.parse.urlencode({"query": COUNT})
    answer = exchange(url, "GET", origin)
    assert answer.status == 200
    assert not [h for h in answer.headers if h.lower().startswith("access-control-")]
    preflight = exchange(endpoint, "OPTIONS", {**origin, "Access-Control-Request-Method": "POST"})
    assert preflight.status == 204 and preflight.headers["Allow"] == "GET, POST, OPTIONS"
    assert not [h for h in preflight.headers if h.lower().startswith("access-control-")]


@pytest.fixture(scope="module")
def cors_endpoint() -> Iterator[str]:
    """The server with two origins allowed."""
    server = serve(
        COHORT, "127.0.0.1", free_port(), cors=["http://app.example:8080", "https://b.example"]
    )
    server.start()
    try:
        yield server.url
    finally:
        server.close()


def test_cors_answers_the_listed_origins_only(cors_endpoint: str) -> None:
    url = cors_endpoint + "?" + urllib.parse.urlencode({"query": COUNT})
    for origin in ("http://app.example:8080", "https://b.example"):
        answer = exchange(url, "GET", {"Origin": origin})
        assert answer.status == 200
        assert answer.headers["Access-Control-Allow-Origin"] == origin
        assert answer.headers["Vary"] == "Origin"
    other = exchange(url, "GET", {"Origin": "http://evil.example"})
    assert other.status == 200 and "Access-Control-Allow-Origin" not in other.headers
    refused = exchange(cors_endpoint + "?query=SELEC", "GET", {"Origin": "https://b.example"})
    assert refused.status == 400  # an error is readable by the page too
    assert refused.headers["Access-Control-Allow-Origin"] == "https://b.example"


def test_cors_preflight(cors_endpoint: str) -> None:
    asked = {
        "Origin": "http://app.example:8080",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }
    preflight = exchange(cors_endpoint, "OPTIONS", asked)
    assert preflight.status == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "http://app.example:8080"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "content-type" in preflight.headers["Access-Control-Allow-Headers"].lower()
    assert int(preflight.headers["Access-Control-Max-Age"]) > 0
    # then the query itself, as the browser sends it after the preflight
    post = urllib.request.Request(
        cors_endpoint,
        data=COUNT.encode(),
        headers={"Content-Type": "application/sparql-query", "Origin": "http://app.example:8080"},
    )
    with urllib.request.urlopen(post, timeout=30) as answer:
        assert answer.headers["Access-Control-Allow-Origin"] == "http://app.example:8080"
    # a method the endpoint does not take, or an origin not listed: no permission
    for headers in (
        {**asked, "Access-Control-Request-Method": "PUT"},
        {**asked, "Origin": "http://evil.example"},
    ):
        denied = exchange(cors_endpoint, "OPTIONS", headers)
        assert "Access-Control-Allow-Methods" not in denied.headers
    assert exchange(cors_endpoint.replace("/query", "/update"), "OPTIONS", asked).status == 403


def test_cors_star_allows_any_origin() -> None:
    server = serve(COHORT, "127.0.0.1", free_port(), cors=["*"]).start()
    try:
        url = server.url + "?" + urllib.parse.urlencode({"query": COUNT})
        answer = exchange(url, "GET", {"Origin": "http://anywhere.example"})
    finally:
        server.close()
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert "Vary" not in answer.headers
