"""``kg serve`` follows its workspace: a real server, real HTTP, real ``kg`` commands, no mocks.

In a fresh workspace, ``kg add`` shows in the server's answers within seconds and ``kg remove``
takes it away; while the add runs, a client querying in a loop never gets an error or a smaller
answer; a ``kg build`` of unchanged cases leaves the served store in place.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.model.resources import CASES_DIR
from kg.store.cache import CaseFiles, published_store
from tests.conftest import free_port

COUNT = "PREFIX cmr: <https://w3id.org/cmr/>\nSELECT (COUNT(?c) AS ?n) WHERE { ?c a cmr:Case }"


def kg(*args: str | Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("kg")
    assert exe is not None
    done = subprocess.run([exe, *map(str, args)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def count(url: str) -> int:
    data = urllib.parse.urlencode({"query": COUNT}).encode()
    request = urllib.request.Request(
        url, data=data, headers={"Accept": "application/sparql-results+json"}
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return int(json.load(answer)["results"]["bindings"][0]["n"]["value"])


def wait_until(check: object, what: str, timeout: float = 20.0) -> None:
    assert callable(check)
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"not within {timeout:.0f} s: {what}"
        time.sleep(0.1)


def open_under(folder: Path) -> list[str]:
    """The files under ``folder`` that a process has open (removed ones included)."""
    found = []
    for fds in Path("/proc").glob("[0-9]*/fd"):
        with contextlib.suppress(OSError):
            found += [
                link for fd in fds.iterdir() if (link := os.readlink(fd)).startswith(f"{folder}/")
            ]
    return found


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A fresh workspace (the shipped cases) and ``kg -w DIR serve`` on a free port."""
    root = tmp_path / "cohort"
    kg("init", root, "--from-shipped")
    exe = shutil.which("kg")
    assert exe is not None
    port = free_port()
    process = subprocess.Popen(
        [exe, "-w", str(root), "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # printed once the server listens
        url = f"http://127.0.0.1:{port}/query"
        assert url in line, process.stderr.read() if process.stderr else ""
        yield root, url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        assert process.wait(timeout=30) == 0


def test_serve_follows_add_and_remove_and_answers_during_the_write(
    served: tuple[Path, str], tmp_path: Path
) -> None:
    root, url = served
    before = count(url)
    first_store = published_store(CaseFiles.discover(root / "cases"))
    assert first_store.is_dir()
    text = (CASES_DIR / "seed-001.ttl").read_text(encoding="utf-8")
    draft = tmp_path / "new-case.ttl"
    draft.write_text(text.replace("seed-001", "seed-990"), encoding="utf-8")  # id and namespace

    seen: list[int] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def client() -> None:
        while not stop.is_set():
            try:
                seen.append(count(url))
            except Exception as exc:
                errors.append(exc)

    thread = threading.Thread(target=client)
    thread.start()
    try:
        kg("-w", root, "add", draft)
        wait_until(lambda: count(url) == before + 1, "the added case is served")
    finally:
        stop.set()
        thread.join(timeout=30)
    assert errors == []
    assert len(seen) > 5 and set(seen) <= {before, before + 1}, seen
    assert seen == sorted(seen)  # the old state, then the new one: never back, never less

    # the store served before the add is let go and removed once no request reads it
    wait_until(lambda: not first_store.exists(), "the superseded store is removed", 10)
    # and no query worker keeps its files open (they would hold the disk space)
    wait_until(lambda: not open_under(first_store), "no process keeps it open", 10)

    # a build of unchanged cases: the served store (same key, same graph) stays in place
    serving = published_store(CaseFiles.discover(root / "cases"))
    kg("-w", root, "build", "-q")
    assert count(url) == before + 1 and (serving / "build-complete").is_file()

    kg("-w", root, "remove", "seed-990")
    wait_until(lambda: count(url) == before, "the removed case is gone")
