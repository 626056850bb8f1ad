"""Queries in worker processes: a query over the time limit is stopped and its CPU released."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.sparql.runner import QueryRunner, StoreRef
from kg.store.cache import CaseFiles, open_store, published_store
from tests.conftest import COHORT, processes

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def store() -> StoreRef:
    files = CaseFiles.discover(COHORT)
    open_store(files)
    return StoreRef(published_store(files), 0)


@pytest.fixture
def runner() -> Iterator[QueryRunner]:
    runner = QueryRunner(timeout=2).start()
    try:
        yield runner
    finally:
        runner.close()


def my_children() -> dict[int, float]:
    """This process's query workers (not multiprocessing's resource tracker), with their CPU."""
    found = {}
    for p in processes().values():
        if p.ppid == os.getpid():
            with contextlib.suppress(OSError):
                if b"spawn_main" in Path(f"/proc/{p.pid}/cmdline").read_bytes():
                    found[p.pid] = p.cpu
    return found


def test_a_query_is_answered_by_a_worker(runner: QueryRunner, store: StoreRef) -> None:
    done = runner.run(store, COUNT, "text/csv")
    assert done.status == 200 and done.media.startswith("text/csv")
    assert int(done.body.decode().split()[1]) > 1000


def test_over_the_limit_the_worker_is_killed(runner: QueryRunner, store: StoreRef) -> None:
    assert runner.run(store, COUNT, "").status == 200  # the worker is up, the store open
    outcome: list[tuple[int, bytes, float]] = []

    def ask() -> None:
        start = time.monotonic()
        done = runner.run(store, CARTESIAN, "")
        outcome.append((done.status, done.body, time.monotonic() - start))

    thread = threading.Thread(target=ask)
    thread.start()
    time.sleep(0.5)
    first = my_children()
    time.sleep(1.0)
    later = my_children()
    busy = max(later, key=lambda pid: later[pid] - first.get(pid, later[pid]))
    assert later[busy] - first[busy] > 0.2  # the cartesian product keeps its worker busy
    thread.join(timeout=30)
    status, body, took = outcome[0]
    assert status == 503 and b"time limit of 2 s" in body
    assert 2 <= took < 2 + 3
    assert busy not in processes() and not Path(f"/proc/{busy}").exists()  # CPU released
    assert runner.run(store, COUNT, "").status == 200  # a new worker answers the next one


def test_a_closed_runner_leaves_no_worker(store: StoreRef) -> None:
    before = set(my_children())
    runner = QueryRunner(timeout=5).start()
    assert runner.run(store, COUNT, "").status == 200
    assert set(my_children()) - before  # its worker
    runner.close()
    assert set(my_children()) - before == set()
    assert runner.run(store, COUNT, "").status == 503


def test_the_time_limit_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        QueryRunner(timeout=0)


def open_under(folder: Path) -> set[str]:
    """The files under ``folder`` that this process's workers have open."""
    found = set()
    for pid in my_children():
        with contextlib.suppress(OSError):
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                if (link := os.readlink(fd)).startswith(f"{folder}/"):
                    found.add(link)
    return found


def test_an_idle_worker_lets_go_of_a_store_no_longer_served(
    runner: QueryRunner, store: StoreRef
) -> None:
    assert runner.run(store, COUNT, "").status == 200
    assert open_under(store.path)  # the worker keeps the store open for the next query
    runner.let_go()  # the served store changed
    deadline = time.monotonic() + 5
    while open_under(store.path) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not open_under(store.path)
    assert runner.run(store, COUNT, "").status == 200  # opened again when named again
