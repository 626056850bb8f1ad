"""``kg serve``: a real SPARQL server on 127.0.0.1 answers over the built graph.

``endpoint`` is ``kg serve`` itself, over the shipped cases: it answers as the local graph does.
The pinned results are checked on ``cohort_endpoint``, the same server over the frozen fixture
cohort (tests/fixtures/cohort/), since ``kg serve`` takes no cases folder.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import pytest
from rdflib import URIRef
from SPARQLWrapper import JSON, SPARQLWrapper

from kg.api.graph import KnowledgeGraph
from kg.model.namespace import CMR
from kg.model.ontology import PREFIXES
from kg.model.vocabulary import Vocabulary
from kg.sparql.catalogue import QueryError, catalogue, run_named
from kg.sparql.remote import run_remote, run_remote_named
from kg.store.build import BuildResult
from kg.validation.loader import LoadResult
from tests.conftest import REPO, free_port


def ask(url: str, text: str) -> list[dict[str, Any]]:
    # SPARQLWrapper guesses the query type from the raw text, comments included: a header that
    # mentions a "drop metastasis" made it send the query as an update. Send the query alone.
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    client = SPARQLWrapper(url)
    client.setQuery("\n".join(f"PREFIX {k}: <{v}>" for k, v in PREFIXES.items()) + "\n" + body)
    client.setReturnFormat(JSON)
    client.setTimeout(30)
    result = client.queryAndConvert()
    assert isinstance(result, dict)
    return list(result["results"]["bindings"])


def test_endpoint_serves_the_cohort(endpoint: str, stored: LoadResult) -> None:
    rows = ask(endpoint, "SELECT (COUNT(?c) AS ?n) WHERE { ?c a cmr:Case }")
    shipped = set(stored.graph().subjects(CMR.caseId, None))
    assert rows[0]["n"]["value"] == str(len(shipped))


def test_endpoint_is_read_only(endpoint: str) -> None:
    update = endpoint.replace("/query", "/update")
    data = urllib.parse.urlencode({"update": "INSERT DATA { <http://e/a> <http://e/b> 1 }"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(update, data=data.encode(), timeout=10)
    assert refused.value.code in (403, 405)
    # an update sent as a query: refused by the query parser (and the workers open stores read-only)
    as_query = urllib.parse.urlencode({"query": "INSERT DATA { <http://e/a> <http://e/b> 1 }"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(endpoint, data=as_query.encode(), timeout=30)
    assert refused.value.code == 400
    assert ask(endpoint, "SELECT * WHERE { <http://e/a> ?p ?o }") == []


PARAMETERLESS = [name for name, query in catalogue().items() if not query.params]


@pytest.mark.parametrize("name", PARAMETERLESS)
def test_catalogue_query_gives_the_same_rows_remotely(
    endpoint: str, built: BuildResult, name: str
) -> None:
    vocabulary = Vocabulary.shipped()
    local = run_named(built.graph, name)
    remote = ask(endpoint, catalogue()[name].file.text)

    def cell(binding: dict[str, str] | None) -> str:
        if binding is None:
            return ""
        if binding["type"] == "uri":
            return vocabulary.curie(binding["value"])
        return binding["value"]

    rows = [tuple(cell(r.get(c)) for c in local.columns) for r in remote]
    assert rows == local.as_text()


# ---------------------------------------------------------------- the catalogue, remotely

RUNS = tomllib.loads((REPO / "tests/fixtures/queries.toml").read_text(encoding="utf-8"))["runs"]


@pytest.mark.parametrize("run_id", sorted(RUNS))
def test_every_catalogue_run_gives_the_pinned_rows_remotely(
    cohort_endpoint: str, run_id: str
) -> None:
    run = RUNS[run_id]
    with (REPO / "tests/fixtures/query_results" / run["expected"]).open(newline="") as handle:
        expected = list(csv.reader(handle))
    result = run_remote_named(cohort_endpoint, run["query"], run["params"])
    assert [result.columns, *[list(r) for r in result.as_text()]] == expected


def test_cli_query_against_the_endpoint(endpoint: str) -> None:
    exe = shutil.which("kg")
    assert exe is not None
    args = ["query", "lesions_in_structure", "-p", "region=cmr:ConusMedullaris", "-f", "csv"]
    local = subprocess.run([exe, *args], cwd=REPO, capture_output=True, text=True, check=True)
    remote = subprocess.run(
        [exe, *args, "--endpoint", endpoint], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert remote.stdout == local.stdout


def test_injection_through_a_parameter_is_a_plain_value_remotely(endpoint: str) -> None:
    # region is a term parameter: text that is not one CURIE or <IRI> is refused, not sent
    for crafted in ('x" } ?s ?p ?o { "', "<https://e/x> } UNION { ?a ?b ?c"):
        with pytest.raises(QueryError, match=r"parameter region: .* is not"):
            run_remote_named(endpoint, "lesions_in_structure", {"region": crafted})
    # an IRI term that would close the <...> early is refused before anything is sent
    evil = URIRef("https://e/x> } UNION { ?a ?b ?c <https://e/y")
    with pytest.raises(QueryError, match="not a valid IRI"):
        run_remote_named(endpoint, "lesions_in_structure", {"region": evil})


def test_unreachable_and_wrong_endpoints_are_explained(endpoint: str) -> None:
    with pytest.raises(QueryError, match="cannot connect"):
        run_remote(
            f"http://127.0.0.1:{free_port()}/query", "SELECT * WHERE { ?s ?p ?o }", timeout=5
        )
    with pytest.raises(QueryError, match="404 not found"):
        run_remote(endpoint.replace("/query", "/no-such-path"), "SELECT * WHERE { ?s ?p ?o }")


def test_python_api_runs_the_catalogue_on_an_endpoint(
    cohort_endpoint: str, cohort_graph: KnowledgeGraph
) -> None:
    graph, url = cohort_graph, cohort_endpoint  # the pinned answers: the frozen cohort
    local = graph.query("lesions_in_structure", region="cmr:ConusMedullaris")
    remote = graph.query("lesions_in_structure", region="cmr:ConusMedullaris", endpoint=url)
    assert [r["caseId"] for r in remote] == [r["caseId"] for r in local] == ["seed-001", "seed-003"]
    count = graph.sparql("SELECT (COUNT(?c) AS ?n) WHERE { ?c a cmr:Case }", endpoint=url)
    assert count[0]["n"] == 21
