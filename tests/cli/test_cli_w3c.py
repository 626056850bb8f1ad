"""``kg query`` and ``kg sparql`` answer in the W3C formats, and every query form runs.

The JSON and XML answers are read back by rdflib's SPARQL result parsers and compared with the
rows the library gives on the same (shipped) data.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef, Variable
from rdflib.namespace import RDF
from rdflib.query import Result

import kg as kglib
from kg.engine.results import QueryError
from kg.model.namespace import CMR
from kg.sparql.catalogue import run_named
from kg.store.cache import open_store
from tests.cli.test_cli_query import kg

SEED_001 = URIRef("https://w3id.org/cmr/data/case/seed-001")


def _parsed(text: str, fmt: str) -> Result:
    return Result.parse(io.BytesIO(text.encode("utf-8")), format=fmt)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_query_answers_in_w3c_results(fmt: str) -> None:
    done = kg("query", "lesions_in_structure", "-p", "region=cmr:ConusMedullaris", "-f", fmt)
    assert done.returncode == 0, done.stderr
    parsed = _parsed(done.stdout, fmt)
    expected = run_named(open_store(), "lesions_in_structure", {"region": "cmr:ConusMedullaris"})
    assert [str(v) for v in parsed.vars or []] == expected.columns
    assert sorted(map(tuple, parsed), key=str) == sorted(expected.rows, key=str)
    assert any(
        Literal("seed-001") in row and CMR.ConusMedullaris in row for row in map(tuple, parsed)
    )


def test_sparql_select_json_has_full_iris() -> None:
    query = "SELECT ?c ?id WHERE { ?c cmr:caseId ?id FILTER(?id = 'seed-001') }"
    done = kg("sparql", "-", "-f", "json", stdin=query)
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["head"]["vars"] == ["c", "id"]
    assert doc["results"]["bindings"] == [
        {
            "c": {"type": "uri", "value": str(SEED_001)},
            "id": {"type": "literal", "value": "seed-001"},
        }
    ]


def test_sparql_ask() -> None:
    yes = kg("sparql", "-", stdin="ASK { case:seed-001 a cmr:Case }")
    assert (yes.returncode, yes.stdout) == (0, "true\n")
    no = kg("sparql", "-", stdin="ASK { case:seed-001 cmr:caseId 'seed-002' }")
    assert (no.returncode, no.stdout) == (0, "false\n")
    for fmt in ("json", "xml"):
        done = kg("sparql", "-", "-f", fmt, stdin="ASK { case:seed-001 a cmr:Case }")
        assert done.returncode == 0 and _parsed(done.stdout, fmt).askAnswer is True


def test_sparql_construct_and_describe_print_graphs() -> None:
    construct = (
        "CONSTRUCT { ?c cmr:caseId ?id } WHERE { ?c cmr:caseId ?id FILTER(?id = 'seed-001') }"
    )
    for fmt, parser in (("turtle", "turtle"), ("nt", "nt"), ("json-ld", "json-ld")):
        args = ("sparql", "-") if fmt == "turtle" else ("sparql", "-", "-f", fmt)
        done = kg(*args, stdin=construct)
        assert done.returncode == 0, done.stderr
        graph = Graph().parse(data=done.stdout, format=parser)
        assert set(graph) == {(SEED_001, CMR.caseId, Literal("seed-001"))}
    described = kg("sparql", "-", "-f", "nt", stdin="DESCRIBE case:seed-001")
    assert described.returncode == 0, described.stderr
    graph = Graph().parse(data=described.stdout, format="nt")
    assert (SEED_001, RDF.type, CMR.Case) in graph
    assert (SEED_001, CMR.caseId, Literal("seed-001")) in graph


def test_sparql_refuses_updates_and_formats_that_do_not_fit() -> None:
    update = kg("sparql", "-", stdin="DELETE WHERE { ?s ?p ?o }")
    assert update.returncode == 2 and "SPARQL Update" in update.stderr and not update.stdout
    select_as_turtle = kg("sparql", "-", "-f", "turtle", stdin="SELECT * { ?s ?p ?o } LIMIT 1")
    assert select_as_turtle.returncode == 2 and "is for graphs" in select_as_turtle.stderr
    graph_as_table = kg("sparql", "-", "-f", "csv", stdin="DESCRIBE case:seed-001")
    assert graph_as_table.returncode == 2 and "a graph takes" in graph_as_table.stderr


def test_api_runs_every_query_form(cohort_graph: kglib.KnowledgeGraph) -> None:
    assert cohort_graph.ask("ASK { case:seed-001 a cmr:Case }") is True
    graph = cohort_graph.construct("DESCRIBE case:seed-001")
    assert (SEED_001, CMR.caseId, Literal("seed-001")) in graph
    rows = cohort_graph.answer("SELECT ?id WHERE { case:seed-001 cmr:caseId ?id }")
    assert isinstance(rows, kglib.Rows) and list(rows) == [{"id": "seed-001"}]
    with pytest.raises(QueryError, match="SPARQL Update"):
        cohort_graph.answer("INSERT DATA { case:x cmr:caseId 'x' }")
    with pytest.raises(QueryError, match="not an ASK query"):
        cohort_graph.ask("DESCRIBE case:seed-001")


def test_api_on_an_rdflib_graph_runs_every_query_form() -> None:
    data = Graph()
    data.add((SEED_001, RDF.type, CMR.Case))
    graph = kglib.KnowledgeGraph(data)
    assert graph.ask("ASK { case:seed-001 a cmr:Case }") is True
    assert set(graph.construct("CONSTRUCT WHERE { ?c a cmr:Case }")) == {
        (SEED_001, RDF.type, CMR.Case)
    }
    assert list(graph.answer("SELECT ?c WHERE { ?c a cmr:Case }")) == [{"c": "case:seed-001"}]
    with pytest.raises(QueryError, match="SPARQL Update"):
        graph.answer("DROP ALL")


def test_remote_endpoint_runs_every_query_form(endpoint: str) -> None:
    ask = kg("sparql", "-", "--endpoint", endpoint, stdin="ASK { case:seed-001 a cmr:Case }")
    assert (ask.returncode, ask.stdout) == (0, "true\n"), ask.stderr
    described = kg(
        "sparql", "-", "-f", "nt", "--endpoint", endpoint, stdin="DESCRIBE case:seed-001"
    )
    assert described.returncode == 0, described.stderr
    assert (SEED_001, RDF.type, CMR.Case) in Graph().parse(data=described.stdout, format="nt")
    update = kg("sparql", "-", "--endpoint", endpoint, stdin="DROP ALL")
    assert update.returncode == 2 and "SPARQL Update" in update.stderr


def _json(*args: str) -> Any:
    done = kg(*args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_case_json_has_the_facts_of_the_text() -> None:
    doc = _json("case", "seed-001", "-f", "json")
    assert (doc["id"], doc["iri"]) == ("seed-001", str(SEED_001))
    assert doc["source"]["curie"] == "pub:r001" and doc["reported_via"] is None
    assert doc["patient"]["age"] == "60 years" and doc["patient"]["sex"]["curie"] == "cmr:Male"
    assert doc["primary"]["label"] == "small cell lung carcinoma"
    assert doc["organ"]["iri"] == str(CMR.Lung)
    sites = [lesion["sites"][0]["label"] for lesion in doc["lesions"]]
    # along the neuraxis, as in the text: the brain before the T11 vertebra before the conus
    assert sites.index("brain") < sites.index("T11 vertebra") < sites.index("conus medullaris")
    conus = doc["lesions"][sites.index("conus medullaris")]
    assert conus["levels"]["upper"]["curie"] == "cmr:LevelL1"
    assert conus["compartment"]["label"] == "intradural extramedullary compartment"
    said = {(a["route"]["curie"], a["stance"]["curie"]) for a in conus["route_assertions"]}
    assert ("cmr:TertiaryDropMetastasisRoute", "cmr:Rejected") in said
    rejected = next(
        a
        for a in conus["route_assertions"]
        if a["route"]["curie"] == "cmr:TertiaryDropMetastasisRoute"
    )
    assert [p["curie"] for p in rejected["by"]] == ["pub:r001"]
    assert "saddle anaesthesia" in {f["label"] for f in doc["findings"]}
    assert doc["outcome"]["label"] == "alive at last follow-up"
    text = kg("case", "seed-001").stdout
    for lesion in doc["lesions"]:
        for a in lesion["route_assertions"]:
            assert f"route: {a['route']['label']}: {a['stance']['label']}" in text


def test_explain_json_has_the_inferences_and_verdicts() -> None:
    doc = _json("explain", "seed-001", "-f", "json")
    assert doc["case"] == {"id": "seed-001", "iri": str(SEED_001)}
    assert doc["primary"] == "small cell lung carcinoma of the lung"
    lesions = {item["name"]: item for item in doc["lesions"]}
    assert lesions["lesion-brain"]["inferences"] == [] and lesions["lesion-brain"]["authors"] == []
    thecal = lesions["lesion-thecal-sac-nodules"]
    first = thecal["inferences"][0]
    assert first["route"]["curie"] == "cmr:DropMetastasisRoute"
    assert first["rule"]["curie"] == "cmr:RuleIntracranialAndIntradural"
    assert "other lesion: brain; multiple" in first["facts"] and first["verdicts"] == [
        "only inferred"
    ]
    conus = lesions["lesion-idem-conus"]
    assert any(
        a["route"]["curie"] == "cmr:TertiaryDropMetastasisRoute" and a["publications"]
        for a in conus["authors"]
    )


def test_queries_json_lists_the_catalogue() -> None:
    doc = _json("queries", "-f", "json")
    by_name = {q["name"]: q for q in doc}
    assert by_name["lesions_in_structure"]["title"] == "Lesions within a structure"
    assert [p["name"] for p in by_name["lesions_in_structure"]["params"]] == ["region"]
    upper = by_name["lesions_in_level_range"]["params"][0]
    assert (upper["default"], upper["default_curie"]) == (str(CMR.LevelT10), "cmr:LevelT10")


def test_routes_json_is_w3c_results_of_the_case() -> None:
    done = kg("routes", "--case", "seed-001", "-f", "json")
    assert done.returncode == 0, done.stderr
    rows = _parsed(done.stdout, "json").bindings
    assert rows and {str(r[Variable("caseId")]) for r in rows} == {"seed-001"}
    assert any(
        str(r[Variable("verdict")]) == "agree"
        and r[Variable("inferredRoute")] == CMR.DirectInvasionThroughDura
        for r in rows
    )
