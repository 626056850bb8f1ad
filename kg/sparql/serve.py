"""A local, read-only SPARQL 1.1 endpoint over the built graph (the Oxigraph server).

The build's own on-disk store (see :mod:`kg.store.cache`; rebuilt only when a source file changed)
is served as it is: ``oxigraph serve-read-only`` answers SPARQL queries at
``http://HOST:PORT/query``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from kg.model.errors import KGError
from kg.model.resources import CASES_DIR
from kg.store.cache import CaseFiles, open_store

__all__ = ["ServerError", "endpoint_url", "oxigraph_executable", "prepare_store", "start_server"]


class ServerError(KGError):
    """The Oxigraph server cannot be prepared or started."""


def oxigraph_executable() -> str:
    """The ``oxigraph`` command installed with this package (PyPI package ``oxigraph``)."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if found is None:
        raise ServerError("the oxigraph server is not installed: `pip install oxigraph`")
    return found


def prepare_store(cases: Path = CASES_DIR, *, rebuild: bool = False) -> Path:
    """The on-disk store holding the built graph (the build cache; built first if needed)."""
    store = open_store(CaseFiles.discover(cases), rebuild=rebuild)
    assert store.path is not None
    return store.path


def endpoint_url(host: str, port: int) -> str:
    """The SPARQL query URL of a server bound to ``host:port``."""
    return f"http://{host}:{port}/query"


def start_server(
    location: Path, host: str = "127.0.0.1", port: int = 7878, *, wait_seconds: float = 30.0
) -> subprocess.Popen[bytes]:
    """Start ``oxigraph serve-read-only`` on ``location``; return once it answers."""
    process = subprocess.Popen(
        [
            oxigraph_executable(),
            "serve-read-only",
            "--location",
            str(location),
            "--bind",
            f"{host}:{port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    probe = endpoint_url(host, port) + "?query=ASK%7B%7D"
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            error = process.stderr.read().decode() if process.stderr else ""
            raise ServerError(f"the oxigraph server stopped at start: {error.strip()}")
        try:
            with urllib.request.urlopen(probe, timeout=2):
                return process
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    process.terminate()
    raise ServerError(
        f"the oxigraph server did not answer on {host}:{port} within {wait_seconds:.0f} s"
    )
