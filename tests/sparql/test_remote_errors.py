"""Remote failures read as one plain line: a real HTTP server on 127.0.0.1 answers with errors.

Both ``kg query NAME --endpoint`` and ``kg push`` are run through the command line; the password
set in the environment must never appear in what they print.
"""

from __future__ import annotations

import base64
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner, Result

from kg.cli import cli
from kg.sparql.catalogue import QueryError
from kg.sparql.push import PushError, push
from kg.sparql.remote import run_remote

PASSWORD = "s3cret-Pa55word"
TOKEN = base64.b64encode(f"curator:{PASSWORD}".encode()).decode()
QUERY_URLS = (
    "Oxigraph: /query, Fuseki: /DATASET/sparql, GraphDB: /repositories/REPO, Virtuoso: /sparql"
)
STORE_URLS = (
    "Oxigraph: /store, Fuseki: /DATASET/data, GraphDB: /repositories/REPO/rdf-graphs/service"
)
CREDENTIALS = "CMR_KG_ENDPOINT_USER and CMR_KG_ENDPOINT_PASSWORD"
BODIES = {
    403: b"Read-only account\n",
    500: b"Internal failure: the store is locked\n  at frame 2 of the trace\n",
    503: b"<html><body>Service down</body></html>\n",
}
# What follows "URL: " for each status, for a query and for a push through the Graph Store.
QUERY_MESSAGES = {
    401: f"401 unauthorized; check {CREDENTIALS}",
    403: f"403 forbidden; check {CREDENTIALS}, and the account's rights (Read-only account)",
    404: f"404 not found; check the URL ({QUERY_URLS})",
    413: "413 request too large for the server; raise its request size limit",
    414: "414 request URI too long for the server",
    500: "500 server error: Internal failure: the store is locked",
    503: "503 server error: see the server's log",
}
PUSH_MESSAGES = {
    **QUERY_MESSAGES,
    404: f"404 not found; check the URL ({STORE_URLS})",
    405: "405 the server takes no Graph Store PUT here; give its SPARQL Update URL (--update-endpoint)",
}
EMPTY_RESULTS = b'{"head": {"vars": []}, "results": {"bindings": []}}'
SUCCESSES = {
    "ok": (200, "application/sparql-results+json", EMPTY_RESULTS),
    "sleep": (200, "application/sparql-results+json", EMPTY_RESULTS),
    "html": (200, "text/html", b"<html><body>query form</body></html>"),
}


class Handler(BaseHTTPRequestHandler):
    """``/STATUS/...`` answers STATUS; ``/ok/...`` succeeds; ``/sleep/...`` answers after 3 s."""

    seen_auth: list[str | None] = []  # noqa: RUF012  (shared by the server's threads)

    def answer(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        Handler.seen_auth.append(self.headers.get("Authorization"))
        kind = self.path.split("/")[1]
        if kind == "sleep":
            time.sleep(3)  # longer than the client's --timeout 1
        status, media_type, body = SUCCESSES.get(kind) or (
            int(kind),
            "text/plain",
            BODIES.get(int(kind), b""),
        )
        try:
            self.send_response(status)
            if status == 401:
                self.send_header("WWW-Authenticate", 'Basic realm="cmr"')
            self.send_header("Content-Type", media_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting

    def do_GET(self) -> None:
        self.answer()

    def do_POST(self) -> None:
        self.answer()

    def do_PUT(self) -> None:
        self.answer()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CMR_KG_ENDPOINT_USER", "curator")
    monkeypatch.setenv("CMR_KG_ENDPOINT_PASSWORD", PASSWORD)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def assert_fails_with(result: Result, message: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr == f"kg: {message}\n"
    assert PASSWORD not in result.output and TOKEN not in result.output


def query(url: str, *extra: str) -> Result:
    return run("query", "roots_ranked", "--endpoint", url, *extra)


def push_cli(url: str, *extra: str) -> Result:
    return run("push", "--endpoint", url, *extra)


@pytest.mark.usefixtures("credentials")
@pytest.mark.parametrize("status", sorted(QUERY_MESSAGES))
def test_query_error_statuses(base: str, status: int) -> None:
    url = f"{base}/{status}/query"
    assert_fails_with(query(url), f"{url}: {QUERY_MESSAGES[status]}")


@pytest.mark.usefixtures("credentials")
@pytest.mark.parametrize("status", sorted(PUSH_MESSAGES))
def test_push_error_statuses(base: str, status: int) -> None:
    url = f"{base}/{status}/store"
    assert_fails_with(push_cli(url), f"{url}: {PUSH_MESSAGES[status]}")


def test_missing_credentials_are_named(base: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CMR_KG_ENDPOINT_USER", raising=False)
    url = f"{base}/401/query"
    assert_fails_with(query(url), f"{url}: 401 unauthorized; set {CREDENTIALS}")


@pytest.mark.usefixtures("credentials")
def test_nothing_listening(base: str) -> None:
    url = f"http://127.0.0.1:{closed_port()}/query"
    refused = f"{url}: cannot connect (Connection refused); is the server running?"
    assert_fails_with(query(url), refused)
    assert_fails_with(push_cli(url), refused)


@pytest.mark.usefixtures("credentials")
def test_timeouts(base: str) -> None:
    url = f"{base}/sleep/query"
    late = f"{url}: no answer within 1 s; the server may be busy (see --timeout)"
    assert_fails_with(query(url, "--timeout", "1"), late)
    assert_fails_with(push_cli(url, "--timeout", "1"), late)


@pytest.mark.usefixtures("credentials")
def test_update_errors_name_the_update_urls(base: str) -> None:
    url = f"{base}/404/update"
    with pytest.raises(PushError) as error:
        push(b"<https://e/a> <https://e/b> <https://e/c> .\n", update_url=url, timeout=5)
    assert str(error.value) == (
        f"{url}: 404 not found; check the URL (Oxigraph: /update, Fuseki: /DATASET/update, "
        "GraphDB: /repositories/REPO/statements, Virtuoso: /sparql)"
    )


@pytest.mark.usefixtures("credentials")
def test_a_graph_store_without_put_falls_back_to_update(base: str) -> None:
    with pytest.raises(PushError, match=r"/500/update: 500 server error: Internal failure"):
        push(b"", store_url=f"{base}/405/store", update_url=f"{base}/500/update", timeout=5)


@pytest.mark.usefixtures("credentials")
def test_credentials_are_sent_as_basic_auth(base: str) -> None:
    Handler.seen_auth.clear()
    assert run_remote(f"{base}/ok/query", "SELECT * WHERE { ?s ?p ?o }").rows == []
    push(b"", store_url=f"{base}/ok/store")
    assert Handler.seen_auth == [f"Basic {TOKEN}"] * 2


def test_credentials_in_the_url_are_refused() -> None:
    url = f"http://curator:{PASSWORD}@127.0.0.1:{closed_port()}/query"
    with pytest.raises(QueryError) as error:
        run_remote(url, "SELECT * WHERE { ?s ?p ?o }")
    assert PASSWORD not in str(error.value)
    assert str(error.value).endswith(
        f"put the user name and password in {CREDENTIALS}, not in the URL"
    )
    assert_fails_with(push_cli(url), str(error.value))


def test_an_answer_that_is_not_sparql_results(base: str) -> None:
    with pytest.raises(QueryError, match="the answer is not SPARQL JSON results"):
        run_remote(f"{base}/html/query", "SELECT * WHERE { ?s ?p ?o }")


def test_push_needs_a_url() -> None:
    result = run("push")
    assert result.exit_code == 2
    assert "give --endpoint URL (Graph Store), --update-endpoint URL, or both" in result.stderr
