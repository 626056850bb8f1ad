"""``kg fmt``: rewrite Turtle files in canonical form (or check that they are)."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.common import (
    EXIT_LOAD_ERROR,
    EXIT_NOT_CONFORMING,
    EXIT_OK,
    current_workspace,
    paths_argument,
)
from kg.model.errors import TurtleSyntaxError
from kg.model.resources import ONTOLOGY_FILE
from kg.store.formatting import is_canonical, rewrite_canonical
from kg.validation.loader import case_files


@click.command("fmt")
@paths_argument
@click.option("--check", is_flag=True, help="Only report files not in canonical form (exit 1).")
def fmt_command(paths: tuple[Path, ...], check: bool) -> None:
    """Put Turtle files in canonical form (default: the workspace's cases).

    In the project's own checkout the default includes the ontology. Run it after saving the
    ontology from Protégé or editing a case, so that diffs stay small.
    """
    home = current_workspace()
    if not paths and home.read_only and not check:
        home.writable_cases()  # refuses: the shipped cases are read-only
    inside = ONTOLOGY_FILE.resolve().is_relative_to(home.root)
    defaults = (ONTOLOGY_FILE, home.cases) if inside else (home.cases,)
    targets = [f for p in (paths or defaults) for f in case_files(p)]
    pending = []
    for path in targets:
        try:
            if check:
                if not is_canonical(path):
                    pending.append(path)
            elif rewrite_canonical(path):
                click.echo(f"reformatted {path}")
        except TurtleSyntaxError as err:
            click.echo(str(err), err=True)
            raise SystemExit(EXIT_LOAD_ERROR) from err
    for path in pending:
        click.echo(f"not canonical: {path} (run `kg fmt {path}`)", err=True)
    raise SystemExit(EXIT_NOT_CONFORMING if pending else EXIT_OK)
