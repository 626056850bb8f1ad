"""``kg validate``: check case files against the ontology and the SHACL shapes."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.common import (
    EXIT_LOAD_ERROR,
    EXIT_NOT_CONFORMING,
    EXIT_OK,
    current_workspace,
    fail,
    output_option,
    paths_argument,
    report_format_option,
    write_output,
)
from kg.store.cases import CaseStore
from kg.validation.loader import case_files, load_files
from kg.validation.reporting import SEVERITIES, render_report
from kg.validation.validate import validate_files


@click.command("validate")
@paths_argument
@report_format_option
@output_option
@click.option(
    "--level",
    type=click.Choice(SEVERITIES),
    default="info",
    show_default=True,
    help="Lowest severity to list.",
)
@click.option(
    "--no-context",
    is_flag=True,
    help="Check PATHS on their own, not together with the stored cases and sources.",
)
def validate_command(
    paths: tuple[Path, ...], fmt: str, output: Path | None, level: str, no_context: bool
) -> None:
    """Validate case files (default: the workspace's cases).

    Files given as PATHS are checked together with the stored cases and sources (which they
    may refer to, and whose identifiers they may not reuse); only their own issues are listed.

    Exit 0 when the data conforms (warnings allowed), 1 when it does not, 2 when a file cannot
    be read or parsed.
    """
    cases = current_workspace().cases
    files = [f for p in (paths or (cases,)) for f in case_files(p)]
    if paths and not files:
        fail(f"no case files (.ttl) in {', '.join(map(str, paths))}")
    context = None
    if paths and not no_context:
        chosen = {f.resolve() for f in files}
        stored = [f for f in CaseStore(cases).files() if f.resolve() not in chosen]
        context = load_files(stored)
    loaded, report = validate_files(files, stored=context)
    write_output(render_report(report, fmt, level), output)
    if loaded.syntax_errors:
        raise SystemExit(EXIT_LOAD_ERROR)
    raise SystemExit(EXIT_OK if report.conforms else EXIT_NOT_CONFORMING)
