"""The named SPARQL catalogue: every query runs on the cohort and gives the pinned rows.

The pinned results in ``fixtures/query_results/`` were checked row by row against the seed
reports; ``fixtures/queries.toml`` says for each run how (its ``checked`` field). They are the
answers on the frozen fixture cohort (``fixtures/cohort/``), a copy of ``cases/`` that curating a
new case does not change.
"""

from __future__ import annotations

import csv
import tomllib
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph
from rdflib.plugins.sparql import prepareQuery

from kg.model.ontology import PREFIXES
from kg.sparql.catalogue import CatalogueQuery, QueryError, catalogue, run_named
from kg.store.build import BuildResult

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
RESULTS = FIXTURES / "query_results"
RUNS: dict[str, dict[str, Any]] = tomllib.loads(
    (FIXTURES / "queries.toml").read_text(encoding="utf-8")
)["runs"]


@pytest.fixture(scope="module")
def graph(cohort_built: BuildResult) -> Graph:
    """The built graph (ontology, cases, inferred lesion classes) of the frozen fixture cohort."""
    return cohort_built.graph


def read_expected(name: str) -> tuple[list[str], list[tuple[str, ...]]]:
    with (RESULTS / name).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], [tuple(row) for row in rows[1:]]


def result_columns(query: CatalogueQuery) -> list[str]:
    """The projected variables of a query, in order."""
    prepared = prepareQuery(query.file.text, initNs=PREFIXES)
    return [str(v) for v in prepared.algebra["PV"]]


# --- the pinned runs --------------------------------------------------------------------


@pytest.mark.parametrize("run_id", sorted(RUNS))
def test_run_gives_the_pinned_rows(graph: Graph, run_id: str) -> None:
    run = RUNS[run_id]
    columns, rows = read_expected(run["expected"])
    result = run_named(graph, run["query"], run["params"])
    assert result.columns == columns
    assert result.as_text() == rows


def test_runs_are_well_formed() -> None:
    for run_id, run in RUNS.items():
        assert set(run) == {"query", "params", "expected", "checked"}, run_id
        assert run["query"] in catalogue(), run_id
        assert run["expected"] == f"{run_id}.csv", run_id
        assert all(isinstance(v, str) for v in run["params"].values()), run_id
        assert set(run["params"]) <= set(catalogue()[run["query"]].params), run_id
        assert len(run["checked"].split()) >= 10, f"{run_id}: say how the rows were checked"
    pinned = {p.name for p in RESULTS.glob("*.csv")}
    assert pinned == {run["expected"] for run in RUNS.values()}


def test_every_query_has_a_run() -> None:
    run_queries = {run["query"] for run in RUNS.values()}
    assert set(catalogue()) <= run_queries, sorted(set(catalogue()) - run_queries)


# --- the headers ------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_header_has_title_description_and_every_column(name: str) -> None:
    query = catalogue()[name]
    header = query.file.header
    assert header.get("title"), f"{name}: no title"
    assert query.description, f"{name}: no description"
    # Header keys are lower-cased; a continuation line that starts with "word:" or "word word:"
    # (a CURIE, say) would silently start a new key and cut the description short.
    stray = [
        k
        for k in header
        if k not in ("title", "description") and not k.startswith(("param ", "column "))
    ]
    assert not stray, f"{name}: header lines read as unknown keys {stray}"
    columns = result_columns(query)
    described = {c.lower() for c in query.columns}
    missing = [c for c in columns if c.lower() not in described]
    assert not missing, f"{name}: no '# column' line for {missing}"
    extra = sorted(described - {c.lower() for c in columns})
    assert not extra, f"{name}: '# column' lines for columns the query does not return: {extra}"
    assert all(query.columns.values()), f"{name}: a column without a description"


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_every_param_has_a_description(name: str) -> None:
    query = catalogue()[name]
    for param in query.params.values():
        assert param.description.strip(), f"{name}: parameter {param.name} has no description"
        assert param.name == param.name.lower(), f"{name}: parameter names must be lower case"
        assert f"?{param.name}" in query.file.text, f"{name}: parameter {param.name} is not used"


# --- parameters are bound as terms, never pasted into the query --------------------------


@pytest.mark.parametrize(
    "value",
    ['x" } ?s ?p ?o { "', "<https://w3id.org/cmr/CaudaEquina> } UNION { ?a ?b ?c"],
)
def test_a_parameter_value_cannot_change_the_query(graph: Graph, value: str) -> None:
    # region is a term parameter: text that is not one CURIE or <IRI> is refused, not run
    with pytest.raises(QueryError, match=r"parameter region: .* is not"):
        run_named(graph, "lesions_in_structure", {"region": value})


def test_unknown_query_name_is_an_error_with_a_hint(graph: Graph) -> None:
    with pytest.raises(QueryError, match=r"no query named 'lesion_in_structure'") as error:
        run_named(graph, "lesion_in_structure")
    assert "did you mean lesions_in_structure" in str(error.value)


def test_unknown_parameter_is_an_error_listing_the_known_ones(graph: Graph) -> None:
    with pytest.raises(QueryError) as error:
        run_named(graph, "lesions_in_structure", {"structure": "cmr:CaudaEquina"})
    message = str(error.value)
    assert "has no parameter structure" in message
    assert "its parameters: region" in message


def test_unknown_term_as_value_is_an_error_with_suggestions(graph: Graph) -> None:
    with pytest.raises(QueryError) as error:
        run_named(graph, "lesions_in_structure", {"region": "cmr:CaudaEqina"})
    message = str(error.value)
    assert "parameter region: cmr:CaudaEqina is not a term of the ontology" in message
    assert "did you mean cmr:CaudaEquina" in message
