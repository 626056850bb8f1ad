"""``kg remove``: remove a stored case."""

from __future__ import annotations

import click

from kg.cli.common import EXIT_OK, current_workspace
from kg.cli.complete import complete_stored_case_id
from kg.store.cases import CaseStore


@click.command("remove")
@click.argument("case_id", shell_complete=complete_stored_case_id)
def remove_command(case_id: str) -> None:
    """Remove the stored case CASE_ID (its file, and its triples from the built graph)."""
    removed = CaseStore(current_workspace().writable_cases()).remove(case_id)
    click.echo(f"Removed case {case_id} ({removed}).")
    raise SystemExit(EXIT_OK)
