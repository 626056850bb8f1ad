"""``kg serve``: a local read-only SPARQL endpoint over the workspace's built graph."""

from __future__ import annotations

import re
import signal
import sys
from types import FrameType

import click

from kg.cli.common import current_workspace
from kg.sparql.runner import DEFAULT_TIMEOUT
from kg.sparql.serve import serve

_ORIGIN = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s?#]+")


class _StopSignalError(Exception):
    """SIGTERM or SIGINT arrived: the server stops."""


def _stop(signum: int, frame: FrameType | None) -> None:
    for each in (signal.SIGTERM, signal.SIGINT):  # a second signal must not cut the shutdown
        signal.signal(each, signal.SIG_IGN)
    raise _StopSignalError(signal.Signals(signum).name)


def _origins(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> tuple[str, ...]:
    """The ``--cors`` values, each an origin or ``*``."""
    for value in values:
        if value != "*" and not _ORIGIN.fullmatch(value):
            raise click.BadParameter(
                f"{value!r} is not an origin: give scheme://host[:port] with no path "
                "(e.g. http://localhost:8080), or * for any",
                ctx,
                param,
            )
    return values


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=7878, show_default=True, help="Port to listen on.")
@click.option("--rebuild", is_flag=True, help="Rebuild the graph and the store first.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help="Stop a query after SECONDS (the client gets a 503).",
)
@click.option(
    "--cors",
    multiple=True,
    metavar="ORIGIN",
    callback=_origins,
    help="Let browser pages from ORIGIN query (repeatable; * for any). None by default.",
)
@click.option(
    "--allow-service",
    is_flag=True,
    help="Run SERVICE clauses (the server then fetches the URLs queries name). Refused otherwise.",
)
def serve_command(
    host: str, port: int, rebuild: bool, timeout: float, cors: tuple[str, ...], allow_service: bool
) -> None:
    """Serve the built graph as a read-only SPARQL 1.1 endpoint until SIGTERM or Ctrl-C.

    It follows the workspace: once `kg add`, `kg update`, `kg remove` or `kg build` is done,
    queries answer from the new graph; while one runs, they answer from the previous one.
    """
    cases = current_workspace().cases
    endpoint = serve(
        cases, host, port, rebuild=rebuild, timeout=timeout, allow_service=allow_service, cors=cors
    )
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    click.echo(f"SPARQL endpoint: {endpoint.url}  (read-only, follows {cases}; Ctrl-C stops it)")
    sys.stdout.flush()
    how = "SIGINT"
    try:
        endpoint.serve_forever()
    except (_StopSignalError, KeyboardInterrupt) as stop:
        how = str(stop) or how
    finally:
        endpoint.close()
    click.echo(f"kg serve: stopped on {how}; {host}:{port} is free", err=True)
