"""``kg serve``: a local read-only SPARQL endpoint over the built graph."""

from __future__ import annotations

import sys

import click

from kg.cli.common import current_workspace
from kg.sparql.serve import endpoint_url, prepare_store, start_server


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=7878, show_default=True, help="Port to listen on.")
@click.option("--rebuild", is_flag=True, help="Rebuild the graph and the store first.")
def serve_command(host: str, port: int, rebuild: bool) -> None:
    """Serve the built graph as a read-only SPARQL 1.1 endpoint (Oxigraph) until interrupted."""
    location = prepare_store(current_workspace().cases, rebuild=rebuild)
    process = start_server(location, host, port)
    click.echo(f"SPARQL endpoint: {endpoint_url(host, port)}  (read-only; Ctrl-C stops it)")
    sys.stdout.flush()
    try:
        process.wait()
    except KeyboardInterrupt:
        process.terminate()
        process.wait()
