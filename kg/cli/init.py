"""``kg init``: make a curator's workspace."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.common import EXIT_OK
from kg.store.workspace import MARKER, init_workspace


@click.command("init")
@click.argument("directory", type=click.Path(path_type=Path))
@click.option(
    "--from-shipped", is_flag=True, help="Start from a copy of the shipped cases and sources."
)
def init_command(directory: Path, from_shipped: bool) -> None:
    """Make a workspace in DIRECTORY (new or empty): cases/, cases/sources/ and its marker.

    Every kg command run inside it (or given --workspace DIRECTORY) reads and writes its cases.
    """
    home = init_workspace(directory, from_shipped=from_shipped)
    count = len(list(home.cases.glob("*.ttl")))
    click.echo(f"Made a kg workspace in {home.root} ({MARKER}; {count} cases in cases/).")
    click.echo(f"Add a case with `kg add FILE` run inside {directory}.")
    raise SystemExit(EXIT_OK)
