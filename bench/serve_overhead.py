"""Benchmark: what running each ``kg serve`` query in a worker process costs.

Run it from the repository::

    uv run python bench/serve_overhead.py            # the shipped cases, 200 runs per query

For each catalogue query (and a one-row count), it times the answer computed in this process
on the built store (:func:`kg.sparql.answer.answer`) and through the worker of
:class:`kg.sparql.runner.QueryRunner` (a pipe round trip to a warm worker that has the store
open), and prints the medians and their difference. It also times a worker's start (a fresh
interpreter), paid once ahead and after each query stopped at the time limit.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from functools import partial

import pyoxigraph as ox

from kg.model.resources import QUERIES_DIR
from kg.sparql.answer import answer
from kg.sparql.runner import QueryRunner, StoreRef
from kg.store.cache import CaseFiles, open_store, published_store

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def median_ms(run: Callable[[], object], repeat: int) -> float:
    """The median wall time of ``run`` over ``repeat`` calls, in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    """Print one line per query: in-process and worker medians, and the overhead."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200, help="runs per query")
    repeat = parser.parse_args().repeat
    files = CaseFiles.discover()
    open_store(files)
    path = published_store(files)
    store = ox.Store.read_only(str(path))
    ref = StoreRef(path, 0)
    queries = {"count": COUNT} | {
        q.stem: q.read_text(encoding="utf-8") for q in sorted(QUERIES_DIR.glob("*.rq"))
    }
    start = time.perf_counter()
    runner = QueryRunner(allow_service=True)
    runner.run(ref, COUNT, "")  # starts the first worker and opens the store
    print(f"worker start and first query: {(time.perf_counter() - start) * 1000:.0f} ms")
    print(f"{'query':32} {'in-process':>11} {'worker':>9} {'overhead':>9}  (median ms)")
    try:
        for name, text in queries.items():
            local = median_ms(partial(answer, store, text, "", allow_service=True), repeat)
            remote = median_ms(partial(runner.run, ref, text, ""), repeat)
            print(f"{name:32} {local:11.2f} {remote:9.2f} {remote - local:9.2f}")
    finally:
        runner.close()


if __name__ == "__main__":
    main()
