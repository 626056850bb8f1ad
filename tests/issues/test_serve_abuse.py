"""Regression: ``kg serve`` fetched any URL a query named, and ran abandoned queries for ever.

Seen before the fix (issue 17): a query with ``SERVICE <http://127.0.0.1:PORT/...>`` made the
server send a request to a listener on another local port; a cartesian-product query whose
client gave up kept three quarters of a core busy until the server was killed. SERVICE is now
refused unless ``--allow-service``, and each query runs in a worker process killed at
``--timeout``.
"""

from __future__ import annotations

import contextlib
import signal
import socket
import urllib.error
import urllib.parse
import urllib.request

from tests.cli.test_serve import CARTESIAN, Server, within
from tests.conftest import Listener


def test_a_service_to_a_local_port_is_not_fetched(endpoint: str, listener: Listener) -> None:
    query = f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
    request = urllib.request.Request(
        endpoint, data=urllib.parse.urlencode({"query": query}).encode()
    )
    with contextlib.suppress(urllib.error.HTTPError), urllib.request.urlopen(request, timeout=30):
        pass
    assert listener.seen == []


def test_an_abandoned_query_stops_using_the_cpu() -> None:
    server = Server("--timeout", "2")
    try:
        data = urllib.parse.urlencode({"query": CARTESIAN}).encode()
        with contextlib.suppress(TimeoutError, socket.timeout, urllib.error.URLError):
            urllib.request.urlopen(urllib.request.Request(server.url, data=data), timeout=0.5)
        busy = server.busy_worker()  # the client is gone; the query still runs
        assert within(2 + 3, lambda: busy not in server.members())
    finally:
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=30) == 0
