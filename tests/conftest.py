"""Shared fixtures: the shipped ontology, the shipped cases, and one full build."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph

from kg.model.ontology import load_ontology
from kg.model.resources import CASES_DIR
from kg.store.build import BuildResult, build
from kg.validation.loader import LoadResult, case_files, load_files

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


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


def free_port() -> int:
    """A TCP port nothing listens on, on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def endpoint() -> Iterator[str]:
    """``kg serve`` (a real Oxigraph server, read-only, over the built graph) on a free port."""
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
