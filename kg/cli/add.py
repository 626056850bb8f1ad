"""``kg add``: check a new case file and store it."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.common import EXIT_LOAD_ERROR, EXIT_NOT_CONFORMING, EXIT_OK, current_workspace
from kg.store.cases import AddResult, CaseStore
from kg.validation.reporting import render_report


@click.command("add")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--into",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The case folder to add to (default: the workspace's cases/).",
)
def add_command(file: Path, into: Path | None) -> None:
    """Check FILE and store it in the case folder if it conforms.

    FILE is checked against the ontology, the shapes and the stored cases; if it conforms it is
    stored in canonical form as <caseId>.ttl. Nothing is written otherwise.
    """
    folder = into if into is not None else current_workspace().writable_cases()
    finish(CaseStore(folder).add(file), file)


def finish(result: AddResult, file: Path) -> None:
    """Print what an add or update did, and exit with its code."""
    if result.accepted:
        click.echo(render_report(result.report, "text", "warning"), nl=False)
        click.echo(f"Stored {file} as {result.stored_as}.")
        raise SystemExit(EXIT_OK)
    click.echo(render_report(result.report, "text", "warning"), err=True, nl=False)
    click.echo(f"Rejected {file}; nothing was stored.", err=True)
    syntax = any(i.rule == "the file is valid Turtle" for i in result.report.issues)
    raise SystemExit(EXIT_LOAD_ERROR if syntax else EXIT_NOT_CONFORMING)
