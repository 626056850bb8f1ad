"""``kg dev``: maintenance commands for the project's own files."""

from __future__ import annotations

import click

from kg.cli.common import EXIT_NOT_CONFORMING, EXIT_OK
from kg.model.codegen import NAMESPACE_MODULE, render_namespace_module
from kg.model.ontology import load_ontology


@click.group("dev")
def dev_group() -> None:
    """Maintenance commands for contributors."""


@dev_group.command("namespace")
@click.option("--check", is_flag=True, help="Only check that kg/model/namespace.py is up to date.")
def namespace_command(check: bool) -> None:
    """Regenerate kg/model/namespace.py (the closed CMR namespace) from the ontology."""
    target = NAMESPACE_MODULE
    text = render_namespace_module(load_ontology())
    if check:
        current = target.read_text(encoding="utf-8")
        if current != text:
            click.echo(f"{target} is out of date; run `kg dev namespace`", err=True)
            raise SystemExit(EXIT_NOT_CONFORMING)
        raise SystemExit(EXIT_OK)
    target.write_text(text, encoding="utf-8")
    click.echo(f"wrote {target}")
