"""``kg push``: a real read-write Oxigraph server on 127.0.0.1 takes the built graph.

The server runs with ``--union-default-graph``, so the catalogue (whose queries name no graph)
sees the pushed named graph. Tests that push elsewhere use a scratch graph they delete after,
leaving the catalogue's graph alone in the store. ``kg push`` pushes the shipped cases (it takes
no cases folder); the pinned catalogue results are checked on the frozen fixture cohort
(tests/fixtures/cohort/), pushed with the library's ``push``.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import time
import tomllib
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.sparql.push import DEFAULT_GRAPH, PushError, ntriples, push
from kg.sparql.remote import run_remote, run_remote_named
from kg.sparql.serve import oxigraph_executable
from kg.store.cache import load_graph
from tests.conftest import COHORT, REPO, free_port

RUNS = tomllib.loads((REPO / "tests/fixtures/queries.toml").read_text(encoding="utf-8"))["runs"]
# Not the built graph: two blank nodes, and one IRI that the built graph does not have.
SMALL = (
    b'<https://e/kept> <https://e/p> "new" .\n_:x <https://e/p> _:y .\n_:y <https://e/q> _:x .\n'
)
BROKEN = b"<https://e/a> <https://e/b> .\n"


@pytest.fixture(scope="module")
def payload() -> bytes:
    """The built graph as N-Triples (also warms the build cache for the command line)."""
    return ntriples(load_graph())


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A read-write Oxigraph server whose queries see the union of all graphs."""
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    process = subprocess.Popen(
        [
            *(oxigraph_executable(), "serve", "--location", str(location)),
            *("--bind", f"127.0.0.1:{port}", "--union-default-graph"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline and process.poll() is None, "no server"
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture
def scratch(server: str) -> Iterator[str]:
    """A graph IRI of the test's own, deleted afterwards."""
    graph = f"{DEFAULT_GRAPH}/test-{uuid.uuid4().hex}"
    yield graph
    request = urllib.request.Request(store(server, graph), method="DELETE")
    try:
        urllib.request.urlopen(request, timeout=30).close()
    except urllib.error.HTTPError as exc:
        assert exc.code == 404


def store(server: str, graph: str) -> str:
    return f"{server}/store?{urllib.parse.urlencode({'graph': graph})}"


def content(server: str, graph: str) -> bytes:
    """The graph as the server holds it, in N-Triples."""
    request = urllib.request.Request(
        store(server, graph), headers={"Accept": "application/n-triples"}
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return bytes(answer.read())


def canonical(data: bytes) -> set[str]:
    """The triples with canonical blank node labels: equal sets mean isomorphic graphs."""
    dataset = ox.Dataset(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return {str(quad) for quad in dataset}


def graphs(server: str) -> set[str]:
    rows = run_remote(f"{server}/query", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows
    return {str(row[0]) for row in rows}


def holds(server: str, graph: str, data: bytes) -> bool:
    return canonical(content(server, graph)) == canonical(data)


def test_cli_push_puts_the_built_graph(server: str, payload: bytes) -> None:
    exe = shutil.which("kg")
    assert exe is not None
    done = subprocess.run(
        [exe, "push", "--endpoint", f"{server}/store"], capture_output=True, text=True, cwd=REPO
    )
    assert done.returncode == 0, done.stderr
    triples = len(canonical(payload))
    assert re.fullmatch(
        rf"Pushed {triples} triples into graph <{DEFAULT_GRAPH}> at {server}/store "
        r"\(Graph Store PUT\) in \d+\.\d s\.\n",
        done.stdout,
    )
    assert holds(server, DEFAULT_GRAPH, payload)
    assert graphs(server) == {DEFAULT_GRAPH}


def test_graph_store_put_replaces_the_graph(server: str, payload: bytes, scratch: str) -> None:
    push(payload, store_url=f"{server}/store", graph=scratch)
    assert holds(server, scratch, payload)
    result = push(SMALL, store_url=f"{server}/store", graph=scratch)
    assert (result.triples, result.method) == (3, "Graph Store PUT")
    assert holds(server, scratch, SMALL)  # the built graph's triples are gone


def test_both_urls_move_a_staging_graph_in(server: str, payload: bytes, scratch: str) -> None:
    push(SMALL, store_url=f"{server}/store", graph=scratch)
    urls = {"store_url": f"{server}/store", "update_url": f"{server}/update"}
    result = push(payload, graph=scratch, **urls)
    assert result.method == "Graph Store PUT into a staging graph, then MOVE"
    assert holds(server, scratch, payload)
    assert graphs(server) <= {DEFAULT_GRAPH, scratch}  # no staging graph left


def test_update_replaces_the_graph(server: str, payload: bytes, scratch: str) -> None:
    large = push(payload, update_url=f"{server}/update", graph=scratch)
    assert re.fullmatch(
        r"SPARQL Update, \d+ requests into a staging graph, then MOVE", large.method
    )
    assert holds(server, scratch, payload)
    small = push(SMALL, update_url=f"{server}/update", graph=scratch)
    assert small.method == "SPARQL Update, one request"
    assert holds(server, scratch, SMALL)
    assert graphs(server) <= {DEFAULT_GRAPH, scratch}


def test_small_requests_keep_blank_nodes_together(
    server: str, payload: bytes, scratch: str
) -> None:
    result = push(payload, update_url=f"{server}/update", graph=scratch, chunk_bytes=40_000)
    assert int(result.method.split()[2]) > 25
    assert holds(server, scratch, payload)


def test_a_missing_graph_store_falls_back_to_update(
    server: str, payload: bytes, scratch: str
) -> None:
    urls = {"store_url": f"{server}/no-graph-store", "update_url": f"{server}/update"}
    result = push(payload, graph=scratch, **urls)
    assert result.server == f"{server}/update"
    assert result.method.endswith("; the Graph Store answered 404")
    assert holds(server, scratch, payload)


@pytest.mark.parametrize("route", ["graph store and update", "update in requests"])
def test_a_failed_push_leaves_the_previous_graph(
    server: str, payload: bytes, scratch: str, route: str
) -> None:
    push(SMALL, store_url=f"{server}/store", graph=scratch)
    update = f"{server}/update"
    with pytest.raises(PushError, match=r": 400 Bad Request: "):
        if route == "graph store and update":
            push(BROKEN, store_url=f"{server}/store", update_url=update, graph=scratch)
        else:  # the broken triple arrives after a few good requests
            push(payload + BROKEN, update_url=update, graph=scratch, chunk_bytes=400_000)
    assert holds(server, scratch, SMALL)
    assert graphs(server) <= {DEFAULT_GRAPH, scratch}


# ---------------------------------------------------------------- the catalogue, remotely


@pytest.fixture(scope="module")
def published(server: str) -> str:
    """The query URL of the server holding the frozen cohort's built graph, and nothing else."""
    push(ntriples(load_graph(COHORT)), store_url=f"{server}/store")
    assert graphs(server) == {DEFAULT_GRAPH}
    return f"{server}/query"


@pytest.mark.parametrize("run_id", sorted(RUNS))
def test_every_catalogue_run_gives_the_pinned_rows(published: str, run_id: str) -> None:
    run = RUNS[run_id]
    expected_file = Path(REPO / "tests/fixtures/query_results" / run["expected"])
    with expected_file.open(newline="", encoding="utf-8") as handle:
        expected = list(csv.reader(handle))
    result = run_remote_named(published, run["query"], run["params"])
    assert [result.columns, *[list(r) for r in result.as_text()]] == expected


def test_a_curator_pushes_their_own_workspace(server: str, scratch: str, tmp_path: Path) -> None:
    # One documented command per step: init, add, push; the server then holds the new case.
    exe = shutil.which("kg")
    assert exe is not None
    home = tmp_path / "ws"
    assert subprocess.run([exe, "init", str(home), "--from-shipped"], check=False).returncode == 0
    seed = (REPO / "cases" / "seed-000-t07.ttl").read_text(encoding="utf-8")
    draft = tmp_path / "draft.ttl"
    draft.write_text(seed.replace("seed-000-t07", "seed-960"), encoding="utf-8")
    added = subprocess.run(
        [exe, "-w", str(home), "add", str(draft)], capture_output=True, text=True, check=False
    )
    assert added.returncode == 0, added.stderr
    pushed = subprocess.run(
        [exe, "-w", str(home), "push", "--endpoint", f"{server}/store", "--graph", scratch],
        capture_output=True,
        text=True,
        check=False,
    )
    assert pushed.returncode == 0, pushed.stderr
    rows = run_remote(
        f"{server}/query",
        f'SELECT ?c WHERE {{ GRAPH <{scratch}> {{ ?c <https://w3id.org/cmr/caseId> "seed-960" }} }}',
    )
    assert len(rows.rows) == 1
