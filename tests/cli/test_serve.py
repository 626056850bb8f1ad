"""``kg serve`` as a user runs it: a real subprocess, real signals, real HTTP.

SIGTERM and SIGINT stop it with exit 0 and one line, the port is released and no process it
started is left (its query workers included, even one busy on a long query). A query over
``--timeout`` gets a 503 and its worker is killed, releasing the CPU; a worker left busy by a
server killed with SIGKILL ends itself soon after the limit. ``--cors`` reaches the answers; a
malformed origin is a usage error.
"""

from __future__ import annotations

import contextlib
import http.client
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest

from tests.conftest import REPO, free_port, processes

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
ORIGIN = "http://app.example:8080"


class Server:
    """``kg serve`` in a session of its own (its session id is its pid)."""

    def __init__(self, *options: str) -> None:
        exe = shutil.which("kg")
        assert exe is not None
        self.port = free_port()
        self.process = subprocess.Popen(
            [exe, "serve", "--port", str(self.port), *options],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        assert self.process.stdout is not None
        self.url = f"http://127.0.0.1:{self.port}/query"
        assert self.url in self.process.stdout.readline()

    def members(self) -> dict[int, float]:
        """The processes of its session, with the CPU seconds each has used."""
        return {p.pid: p.cpu for p in processes().values() if p.session == self.process.pid}

    def ask(self, query: str, origin: str = "") -> tuple[int, str, str | None]:
        data = urllib.parse.urlencode({"query": query}).encode()
        request = urllib.request.Request(self.url, data=data, headers={"Origin": origin})
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                allowed = answer.headers["Access-Control-Allow-Origin"]
                return answer.status, answer.read().decode(), allowed
        except urllib.error.HTTPError as refused:
            return refused.code, refused.read().decode(), None

    def busy_worker(self) -> int:
        """The member whose CPU grows most over a second (the one running a long query)."""
        first = self.members()
        time.sleep(1.0)
        later = self.members()
        pid = max(later, key=lambda p: later[p] - first.get(p, later[p]))
        assert pid != self.process.pid and later[pid] - first.get(pid, 0) > 0.2
        return pid


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server("--timeout", "2", "--cors", ORIGIN)
    try:
        yield running
    finally:
        with contextlib.suppress(ProcessLookupError):
            running.process.send_signal(signal.SIGTERM)
        running.process.wait(timeout=30)


def within(seconds: float, check: object) -> bool:
    assert callable(check)
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def in_background(server: Server, query: str) -> tuple[threading.Thread, list[tuple[int, str]]]:
    outcome: list[tuple[int, str]] = []

    def ask() -> None:
        # the connection is cut when the server stops
        with contextlib.suppress(OSError, http.client.HTTPException):
            outcome.append(server.ask(query)[:2])

    thread = threading.Thread(target=ask, daemon=True)
    thread.start()
    return thread, outcome


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_the_server_cleanly(signum: signal.Signals) -> None:
    server = Server()
    assert server.ask(COUNT)[0] == 200
    in_background(server, CARTESIAN)  # a worker is busy when the signal comes
    server.busy_worker()
    server.process.send_signal(signum)  # to the server only, not its group
    assert server.process.wait(timeout=30) == 0
    assert server.process.stderr is not None
    said = server.process.stderr.read().strip().splitlines()
    assert said == [f"kg serve: stopped on {signum.name}; 127.0.0.1:{server.port} is free"]
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", server.port), timeout=5)
    with socket.socket() as again:  # the port can be listened on again
        again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        again.bind(("127.0.0.1", server.port))
        again.listen()
    assert within(10, lambda: not server.members()), server.members()


def test_a_query_over_the_time_limit_is_stopped_and_its_cpu_released(server: Server) -> None:
    assert server.ask(COUNT)[0] == 200
    start = time.monotonic()
    thread, outcome = in_background(server, CARTESIAN)
    busy = server.busy_worker()
    thread.join(timeout=60)
    took = time.monotonic() - start
    code, body = outcome[0]
    assert code == 503 and "time limit of 2 s" in body and "--timeout" in body
    assert 2 <= took < 2 + 4
    assert within(2, lambda: busy not in server.members())  # killed: its CPU is free
    assert server.ask(COUNT)[0] == 200  # the next query has a worker
    first = server.members()
    time.sleep(1.0)
    later = server.members()
    assert sum(later[p] - first.get(p, 0) for p in later) < 0.3  # nothing left computing


def test_cors_reaches_the_answers(server: Server) -> None:
    assert server.ask(COUNT, ORIGIN)[2] == ORIGIN
    assert server.ask(COUNT, "http://other.example")[2] is None


def test_a_malformed_origin_is_a_usage_error() -> None:
    exe = shutil.which("kg")
    assert exe is not None
    done = subprocess.run(
        [exe, "serve", "--cors", "http://app.example/page"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "is not an origin" in done.stderr and "--cors" in done.stderr


def test_a_busy_worker_ends_itself_when_the_server_was_killed() -> None:
    server = Server("--timeout", "3")
    start = time.monotonic()
    in_background(server, CARTESIAN)
    busy = server.busy_worker()
    server.process.kill()  # SIGKILL: the server cannot stop its workers
    server.process.wait(timeout=30)
    assert busy in {p.pid for p in processes().values()}  # still computing, alone
    # its alarm (the limit plus 5 s) ends it
    assert within(3 + 5 + 3 - (time.monotonic() - start), lambda: busy not in processes())
