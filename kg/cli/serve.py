"""``kg serve``: a local read-only SPARQL endpoint over the workspace's built graph."""

from __future__ import annotations

import signal
import sys
from types import FrameType

import click

from kg.cli.common import current_workspace
from kg.sparql.serve import serve


def _stop(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)  # SIGTERM ends the server as Ctrl-C does, letting its stores go


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=7878, show_default=True, help="Port to listen on.")
@click.option("--rebuild", is_flag=True, help="Rebuild the graph and the store first.")
def serve_command(host: str, port: int, rebuild: bool) -> None:
    """Serve the built graph as a read-only SPARQL 1.1 endpoint until interrupted.

    It follows the workspace: once `kg add`, `kg update`, `kg remove` or `kg build` is done,
    queries answer from the new graph; while one runs, they answer from the previous one.
    """
    cases = current_workspace().cases
    endpoint = serve(cases, host, port, rebuild=rebuild)
    signal.signal(signal.SIGTERM, _stop)
    click.echo(f"SPARQL endpoint: {endpoint.url}  (read-only, follows {cases}; Ctrl-C stops it)")
    sys.stdout.flush()
    try:
        endpoint.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        endpoint.close()
