"""A local, read-only SPARQL 1.1 endpoint over the built graph that follows its workspace.

``kg serve`` answers at ``http://HOST:PORT/query`` from the build's own on-disk store (see
:mod:`kg.store.cache`). It follows the case folder: when ``kg add``, ``update``, ``remove`` or
``build`` publishes the store of the changed cases, the next queries answer from it; while the
write runs, they answer from the previous store, which the write leaves untouched.

Why in Python, on pyoxigraph, rather than the ``oxigraph serve-read-only`` binary: following
the workspace means switching stores while clients query. With the binary, that is a second
server on a new store and a hand-over of the port, which cannot be done without refusing or
dropping the connections that arrive in between (the listening socket belongs to the old
process). In one process, the switch is an assignment: each request takes the current store
when it starts (:meth:`LiveStore.reading`) and keeps it to the end; the previous store is closed
and let go once its last request is answered. The HTTP side is the query operation of the SPARQL
1.1 Protocol (:mod:`kg.sparql.protocol`), with Oxigraph's own query engine and result writers,
so answers are those the Oxigraph server gave. Each query runs in a worker process that opens
the store read-only and is killed at the time limit (:mod:`kg.sparql.runner`); the request
holds the store it was given until the worker has answered.

How a change is noticed: every few tenths of a second the server looks at the names in the cache
folder (a store is published by a rename into it) and at the case folder's modification time;
only when one changed does it discover the case files and compute the key of the store they
need. A key whose store is not built yet (a write under way, or a case file edited by hand) is
waited for; the store it serves is held (:func:`kg.store.cache.hold_store`), so no write removes
or replaces it under the server.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox

from kg.model.errors import KGError
from kg.model.resources import cache_dir
from kg.sparql.protocol import handler_for
from kg.sparql.runner import DEFAULT_TIMEOUT, QueryRunner, StoreRef
from kg.store.cache import CaseFiles, hold_store, open_store, published_store, release_store

__all__ = [
    "POLL_SECONDS",
    "Endpoint",
    "LiveStore",
    "ServerError",
    "endpoint_url",
    "oxigraph_executable",
    "serve",
]

#: How often the server looks for a newly published store, in seconds.
POLL_SECONDS = 0.3


class ServerError(KGError):
    """The endpoint cannot be prepared or started."""


def oxigraph_executable() -> str:
    """The ``oxigraph`` command installed with this package, for a read-write server to push to."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if found is None:
        raise ServerError("the oxigraph server is not installed: `pip install oxigraph`")
    return found


def endpoint_url(host: str, port: int) -> str:
    """The SPARQL query URL of a server bound to ``host:port``."""
    return f"http://{host}:{port}/query"


@dataclass
class _Served:
    """One published store, open, with the number of requests reading it."""

    path: Path
    store: ox.Store | None
    serial: int
    readers: int = 0


class LiveStore:
    """The published store of a case folder's files, replaced by the next one when it changes."""

    def __init__(self, cases: Path, *, rebuild: bool = False) -> None:
        self.cases = cases
        self._lock = threading.Lock()
        self._retired: list[_Served] = []
        self._seen: tuple[frozenset[str], int] | None = None
        self._stop = threading.Event()
        self._watcher: threading.Thread | None = None
        self._serials = itertools.count()
        open_store(CaseFiles.discover(cases), rebuild=rebuild)  # built first when needed
        for _ in range(10):  # a write may publish the next store between the build and here
            served = self._open(published_store(CaseFiles.discover(cases)))
            if served is not None:
                self._current = served
                return
            open_store(CaseFiles.discover(cases))
        raise ServerError(f"{cases}: the built graph keeps changing; try again")

    @property
    def path(self) -> Path:
        """The store answering new requests."""
        return self._current.path

    def describe(self) -> str:
        """What is served, in one line."""
        return f"the cases in {self.cases} (store {self.path.name})"

    @contextlib.contextmanager
    def reading(self) -> Iterator[StoreRef]:
        """The current store, kept in place until the block ends even if a newer one comes."""
        with self._lock:
            served = self._current
            served.readers += 1
        try:
            yield StoreRef(served.path, served.serial)
        finally:
            with self._lock:
                served.readers -= 1

    def refresh(self) -> bool:
        """Switch to the store published for the case files as they are now; True if it did."""
        seen = self._signature()
        if seen == self._seen:
            self._reap()
            return False
        self._seen = seen
        path = published_store(CaseFiles.discover(self.cases))
        served = None if path == self.path else self._open(path)
        if served is not None:  # None: the same store, or one not built yet (waited for)
            with self._lock:
                self._retired.append(self._current)
                self._current = served
        self._reap()
        return served is not None

    def watch(
        self, interval: float = POLL_SECONDS, on_switch: Callable[[], object] | None = None
    ) -> None:
        """Refresh in a background thread every ``interval`` seconds until :meth:`close`.

        ``on_switch`` is called after each switch to a new store.
        """

        def loop() -> None:
            while not self._stop.wait(interval):
                try:
                    if self.refresh():
                        _say(f"serving {self.describe()}")
                        if on_switch is not None:
                            on_switch()
                except (KGError, OSError) as exc:  # the next round tries again
                    self._seen = None
                    _say(f"still serving the previous graph: {exc}")

        self._watcher = threading.Thread(target=loop, name="kg-serve-watch", daemon=True)
        self._watcher.start()

    def close(self) -> None:
        """Stop watching and let every store go."""
        self._stop.set()
        if self._watcher is not None:
            self._watcher.join()
        with self._lock:
            self._retired.append(self._current)
        self._reap(everything=True)

    def _signature(self) -> tuple[frozenset[str], int]:
        """Changes when a store is published (renamed into the cache) or a case comes or goes."""
        names = frozenset(os.listdir(cache_dir())) if cache_dir().is_dir() else frozenset()
        return names, self.cases.stat().st_mtime_ns if self.cases.is_dir() else 0

    def _open(self, path: Path) -> _Served | None:
        if not hold_store(path):
            return None
        try:
            return _Served(path, ox.Store.read_only(str(path)), next(self._serials))
        except OSError as exc:
            release_store(path)
            raise ServerError(f"{path}: cannot open the graph store: {exc}") from exc

    def _reap(self, *, everything: bool = False) -> None:
        """Close the retired stores no request reads any more, and let them go."""
        with self._lock:
            done = [s for s in self._retired if everything or s.readers == 0]
            self._retired = [s for s in self._retired if s not in done]
            for served in done:
                served.store = None
        for at, served in enumerate(done):
            try:
                release_store(served.path)
            except KGError:  # the cache is busy: the next round lets the rest go
                with self._lock:
                    self._retired.extend(done[at:])
                raise


class Endpoint(ThreadingHTTPServer):
    """The HTTP server answering from a :class:`LiveStore`, one thread per connection."""

    daemon_threads = True

    def __init__(
        self, live: LiveStore, host: str, port: int, runner: QueryRunner, cors: Iterable[str] = ()
    ) -> None:
        super().__init__((host, port), handler_for(live, runner, cors))
        self.live = live
        self.runner = runner
        self.url = endpoint_url(host, port)
        self._thread: threading.Thread | None = None

    def start(self) -> Endpoint:
        """Serve from a background thread (the command serves from its own); return self."""
        self._thread = threading.Thread(target=self.serve_forever, name="kg-serve", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop serving, close the socket, kill the query workers and let the stores go."""
        if self._thread is not None:
            self.shutdown()
            self._thread.join()
        self.server_close()
        self.runner.close()
        self.live.close()


def serve(
    cases: Path,
    host: str = "127.0.0.1",
    port: int = 7878,
    *,
    rebuild: bool = False,
    interval: float = POLL_SECONDS,
    timeout: float = DEFAULT_TIMEOUT,
    allow_service: bool = False,
    cors: Iterable[str] = (),
) -> Endpoint:
    """An endpoint over the built graph of ``cases``, listening and following the folder.

    Each query runs in a worker process, stopped after ``timeout`` seconds; a SERVICE clause is
    refused unless ``allow_service``; ``cors`` lists the origins browsers may query from
    (``*``: any). Requests are answered once :meth:`Endpoint.serve_forever` (or
    :meth:`Endpoint.start`) runs; :meth:`Endpoint.close` ends it all.
    """
    live = LiveStore(cases, rebuild=rebuild)
    runner = QueryRunner(timeout, allow_service=allow_service)
    try:
        endpoint = Endpoint(live, host, port, runner, cors)
    except OSError as exc:
        live.close()
        raise ServerError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    runner.start()
    live.watch(interval, on_switch=runner.let_go)
    return endpoint


def _say(message: str) -> None:
    print(f"kg serve {time.strftime('%H:%M:%S')}: {message}", file=sys.stderr, flush=True)
