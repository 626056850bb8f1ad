"""``kg dev``: maintenance commands for the project's own files."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.common import EXIT_NOT_CONFORMING, EXIT_OK
from kg.devtools import render_namespace_module
from kg.ontology import load_ontology


@click.group("dev")
def dev_group() -> None:
    """Maintenance commands for contributors."""


@dev_group.command("namespace")
@click.option("--check", is_flag=True, help="Only check that kg/namespace.py is up to date.")
def namespace_command(check: bool) -> None:
    """Regenerate kg/namespace.py (the closed CMR namespace) from the ontology."""
    target = Path(__file__).resolve().parent.parent / "namespace.py"
    text = render_namespace_module(load_ontology())
    if check:
        current = target.read_text(encoding="utf-8")
        if current != text:
            click.echo(f"{target} is out of date; run `kg dev namespace`", err=True)
            raise SystemExit(EXIT_NOT_CONFORMING)
        raise SystemExit(EXIT_OK)
    target.write_text(text, encoding="utf-8")
    click.echo(f"wrote {target}")
