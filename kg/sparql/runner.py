"""Each query of ``kg serve`` runs in a worker process, which is killed at the time limit.

Oxigraph cannot cancel a running query and a Python thread cannot be stopped, so a query run in
the server would keep a core busy until it ends (a cartesian product: hours). Here each query
runs in a worker process that opens the served store read-only
(:meth:`pyoxigraph.Store.read_only`); when the time limit passes, the worker is killed, which
frees its CPU at once, and the client gets a 503. Workers are fresh interpreters (``spawn``, not
``fork``: the server has threads and an open store), started ahead and reused while they answer
in time, so a query pays a round trip through a pipe, plus opening the store once per worker
after the served store changes (then :meth:`QueryRunner.let_go` has the workers close the
old one, so that its removed files do not keep their disk space). At most ``max_workers``
queries run at once; more wait for a free worker within the time limit. Each worker also arms
an alarm (the limit plus a margin) around each query, so the kernel ends it even if the server
died without killing it.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import signal
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

from kg.sparql.answer import Answer, answer

__all__ = ["DEFAULT_TIMEOUT", "QueryRunner", "StoreRef"]

#: The time limit of a query when none is given, in seconds.
DEFAULT_TIMEOUT = 30.0
_START_LIMIT = 120.0  # seconds a new worker may take to start (imports on a busy machine)
_ALARM_MARGIN = 5  # seconds past the limit after which a worker ends itself
_READY = "ready"
_KEEP_IDLE = 2  # workers kept waiting for queries (each ~70 MB); more are ended after their query


@dataclass(frozen=True)
class StoreRef:
    """A served store: its folder, and a number no other store of this server has.

    The number tells a worker to open the store again: the same folder name comes back when
    the cases return to an earlier state, rebuilt as a new store.
    """

    path: Path
    serial: int


@dataclass(frozen=True)
class _Job:
    """One query for a worker."""

    path: str
    serial: int
    query: str
    accept: str
    allow_service: bool
    timeout: float


class _Worker:
    """A worker process and the server's end of its pipe."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, theirs = context.Pipe()
        self.process = context.Process(
            target=_work, args=(theirs,), name="kg-serve-query", daemon=True
        )
        self.process.start()
        theirs.close()
        self._ready = False
        self._killed = False
        self._lock = threading.Lock()

    def wait_ready(self) -> bool:
        """Whether the worker started (waits for it the first time)."""
        if not self._ready:
            try:
                self._ready = self.conn.poll(_START_LIMIT) and self.conn.recv() == _READY
            except (EOFError, OSError):
                self._ready = False
        return self._ready

    def kill(self) -> None:
        """End the worker now, whatever it is doing (any thread, any number of times)."""
        with self._lock:
            if self._killed:
                return
            self._killed = True
            self.process.kill()
            self.process.join()
            self.conn.close()


class QueryRunner:
    """Runs queries in worker processes under a time limit; :meth:`close` ends them all."""

    def __init__(
        self,
        timeout: float = DEFAULT_TIMEOUT,
        *,
        allow_service: bool = False,
        max_workers: int | None = None,
    ) -> None:
        if not timeout > 0:
            raise ValueError(f"the time limit must be positive, not {timeout}")
        self.timeout = timeout
        self.allow_service = allow_service
        self.max_workers = max_workers or max(2, os.cpu_count() or 1)
        self._slots = threading.BoundedSemaphore(self.max_workers)
        self._lock = threading.Lock()
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._closed = False
        self._switches = 0

    def start(self) -> QueryRunner:
        """Start one worker ahead, so that the first query does not wait for it; return self."""
        with self._lock:
            if not self._idle:
                self._idle.append(_Worker())
        return self

    def run(self, store: StoreRef, query: str, accept: str) -> Answer:
        """The answer to ``query`` on ``store``: a 503 when it ran over the time limit."""
        if not self._slots.acquire(timeout=self.timeout):
            return Answer.text(503, f"the server is busy ({self.max_workers} queries running)")
        try:
            return self._run(store, query, accept)
        finally:
            self._slots.release()

    def let_go(self) -> None:
        """Have the idle workers close the store they have open (the served one changed)."""
        with self._lock:
            self._switches += 1  # a worker busy now lets go when it is given back
            for worker in self._idle:
                with contextlib.suppress(OSError):
                    worker.conn.send(None)

    def close(self) -> None:
        """Kill every worker, idle or busy; queries still running get a 500."""
        with self._lock:
            self._closed = True
            workers = [*self._idle, *self._busy]
            self._idle.clear()
            self._busy.clear()
        for worker in workers:
            worker.kill()

    def _run(self, store: StoreRef, query: str, accept: str) -> Answer:
        try:
            worker = self._take()
        except OSError as exc:  # no process can be started (limits, memory)
            return Answer.text(503, f"cannot start a query worker: {exc}")
        if worker is None:
            return Answer.text(503, "the server is stopping")
        if not worker.wait_ready():
            self._drop(worker)
            return Answer.text(500, "a query worker did not start")
        job = _Job(str(store.path), store.serial, query, accept, self.allow_service, self.timeout)
        switches = self._switches
        try:
            worker.conn.send(job)
            result: Answer | None = worker.conn.recv() if worker.conn.poll(self.timeout) else None
        except (EOFError, OSError):  # killed as the server stops, or by the kernel (memory)
            self._drop(worker)
            return Answer.text(500, "the query worker ended before answering")
        if result is None:
            self._drop(worker)
            return Answer.text(
                503,
                f"the query ran over the time limit of {self.timeout:g} s and was stopped "
                "(kg serve --timeout SECONDS sets the limit)",
            )
        self._give_back(worker, outdated=switches != self._switches)
        return result

    def _take(self) -> _Worker | None:
        with self._lock:
            if self._closed:
                return None
            worker = self._idle.pop() if self._idle else _Worker()
            self._busy.add(worker)
            return worker

    def _give_back(self, worker: _Worker, *, outdated: bool) -> None:
        """Keep ``worker`` for the next query, or end it (``outdated``: its store is not served)."""
        with self._lock:
            self._busy.discard(worker)
            keep = not self._closed and len(self._idle) < _KEEP_IDLE
            if keep:
                if outdated:
                    with contextlib.suppress(OSError):
                        worker.conn.send(None)
                self._idle.append(worker)
        if not keep:
            worker.kill()

    def _drop(self, worker: _Worker) -> None:
        """Kill ``worker`` and start a replacement ahead if none is idle."""
        worker.kill()
        with self._lock:
            self._busy.discard(worker)
            if not self._closed and not self._idle:
                self._idle.append(_Worker())


def _work(conn: Connection) -> None:
    """A worker's loop: open the store a job names (once per store), answer, repeat."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the group; the server stops us
    if hasattr(signal, "SIGALRM"):
        signal.signal(signal.SIGALRM, signal.SIG_DFL)  # the alarm ends the process
    conn.send(_READY)
    opened: tuple[int, ox.Store] | None = None
    while True:
        try:
            job: _Job | None = conn.recv()
        except (EOFError, OSError):  # the server is gone
            return
        if job is None:  # let go of the store: it is no longer served
            opened = None
            continue
        _alarm(math.ceil(job.timeout) + _ALARM_MARGIN)
        try:
            if opened is None or opened[0] != job.serial:
                opened = None  # the previous store is closed first
                opened = (job.serial, ox.Store.read_only(job.path))
            result = answer(opened[1], job.query, job.accept, allow_service=job.allow_service)
        except OSError as exc:
            result = Answer.text(500, f"cannot open the graph store: {exc}")
        conn.send(result)
        _alarm(0)


def _alarm(seconds: int) -> None:
    """End this process after ``seconds`` (0: never), where the system has alarms."""
    if hasattr(signal, "alarm"):
        signal.alarm(seconds)
