"""Shared fixtures: the shipped ontology, the shipped cases, and one full build of each cohort.

Two cohorts: the live ``cases/`` folder (``stored``, ``built``), which curators extend, and the
frozen fixture cohort (``COHORT``: ``cohort_stored``, ``cohort_built``, ``cohort_graph``), a copy of
``cases/`` as it was when the aggregate expectations were pinned. Totals and whole results are
checked on the frozen cohort; per-case facts and properties of every case on the live one.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from rdflib import Graph

import kg
from kg.model.ontology import load_ontology
from kg.model.resources import CASES_DIR
from kg.sparql.serve import serve
from kg.store.build import BuildResult, build
from kg.validation.loader import LoadResult, case_files, load_files

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: The frozen fixture cohort (tests/fixtures/cohort/README.md): not updated when cases are curated.
COHORT = FIXTURES / "cohort"
COHORT_FILES = case_files(COHORT)


@pytest.fixture(scope="session")
def ontology() -> Graph:
    """A fresh parse of the shipped ontology (tests may not modify it)."""
    return load_ontology()


@pytest.fixture
def in_project_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the repository: messages name other files relative to the working directory."""
    monkeypatch.chdir(REPO)


@pytest.fixture(scope="session")
def stored() -> LoadResult:
    """The shipped case files, parsed."""
    return load_files(case_files(CASES_DIR))


@pytest.fixture(scope="session")
def built() -> BuildResult:
    """The main job on the shipped data, with HermiT (about 20 s, shared by all tests)."""
    return build(reason=True, progress=False)


@pytest.fixture(scope="session")
def cohort_stored() -> LoadResult:
    """The frozen fixture cohort's files, parsed."""
    return load_files(COHORT_FILES)


@pytest.fixture(scope="session")
def cohort_built() -> BuildResult:
    """The main job on the frozen fixture cohort, as ``built`` on the shipped cases."""
    return build(paths=COHORT_FILES, reason=True, progress=False)


@pytest.fixture(scope="session")
def cohort_graph() -> kg.KnowledgeGraph:
    """The Python API over the frozen fixture cohort (its store built once, then cached)."""
    return kg.load(COHORT)


@dataclass(frozen=True)
class Proc:
    """One live process as /proc shows it: parent, session and CPU time used so far."""

    pid: int
    ppid: int
    session: int
    cpu: float  # seconds, user + system


def processes() -> dict[int, Proc]:
    """Every live (not zombie) process on the machine, by pid, read from /proc."""
    found = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text() if entry.name.isdigit() else ""
        except OSError:  # ended meanwhile
            continue
        fields = stat.rpartition(")")[2].split()
        if len(fields) > 12 and fields[0] != "Z":
            cpu = (int(fields[11]) + int(fields[12])) / tick
            found[int(entry.name)] = Proc(int(entry.name), int(fields[1]), int(fields[3]), cpu)
    return found


def free_port() -> int:
    """A TCP port nothing listens on, on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def endpoint() -> Iterator[str]:
    """``kg serve`` (a real server, read-only, over the shipped cases) on a free port."""
    exe = shutil.which("kg")
    assert exe is not None
    port = free_port()
    process = subprocess.Popen(
        [exe, "serve", "--port", str(port)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # printed once the server answers
        assert f"http://127.0.0.1:{port}/query" in line, (
            process.stderr.read() if process.stderr else ""
        )
        yield f"http://127.0.0.1:{port}/query"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


@pytest.fixture(scope="session")
def cohort_endpoint() -> Iterator[str]:
    """The same server over the frozen fixture cohort's store, for the pinned results.

    ``kg serve`` serves a workspace (the shipped cases here), so the server is started as
    ``kg serve`` starts it, with the library's function, in a thread of the test process.
    """
    endpoint = serve(COHORT, "127.0.0.1", free_port()).start()
    try:
        yield endpoint.url
    finally:
        endpoint.close()


class Listener(ThreadingHTTPServer):
    """A SPARQL endpoint on another local port that records every request it receives."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                listener.seen.append(self.path)
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                body = json.dumps(
                    {
                        "head": {"vars": ["x"]},
                        "results": {"bindings": [{"x": {"type": "literal", "value": "fetched"}}]},
                    }
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET  # noqa: N815

            def log_message(self, format: str, *args: object) -> None:
                pass

        super().__init__(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}/sparql"


@pytest.fixture
def listener() -> Iterator[Listener]:
    """A :class:`Listener` running for one test (the URL a SERVICE clause would call)."""
    server = Listener()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
