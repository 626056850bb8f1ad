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
    show_progress,
    write_output,
)
from kg.store.cache import CaseFiles, open_store
from kg.store.intake import check_files
from kg.store.pipeline import build_store
from kg.validation.engines import ENGINES, shapes_engine
from kg.validation.issues import ValidationReport
from kg.validation.jena import jena_classpath
from kg.validation.loader import case_files
from kg.validation.reporting import SEVERITIES, render_report


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
@click.option(
    "--engine",
    type=click.Choice(list(ENGINES)),
    default="oxigraph",
    show_default=True,
    help="SHACL engine for the shapes: the project's own on Oxigraph, pyshacl, or Apache "
    "Jena SHACL (needs Java and Debian's libapache-jena-java).",
)
def validate_command(
    paths: tuple[Path, ...],
    fmt: str,
    output: Path | None,
    level: str,
    no_context: bool,
    engine: str,
) -> None:
    """Validate case files (default: the workspace's cases).

    The checks and the engine are those of `kg build` and `kg add`, so the verdict is theirs.
    Files given as PATHS are checked as `kg add` checks them: together with the stored cases
    and sources (which they may refer to, and whose identifiers they may not reuse); a stored
    file given again is checked as its own correction. Only their own issues are listed.

    `--engine` runs the shapes with another SHACL engine, as a cross-check: the files, the
    reasoning and the other checks are the same, so the verdict must be too.

    Exit 0 when the data conforms (warnings allowed), 1 when it does not, 2 when a file cannot
    be read or parsed.
    """
    stored = CaseFiles.discover(current_workspace().cases)
    shapes = shapes_engine(engine)
    if engine == "jena":
        jena_classpath()  # exit 2 with what to install before any work is done
    if not paths:
        if not stored.files:
            fail(f"no case files (.ttl) in {current_workspace().cases}")
        built = build_store(list(stored.files), progress=show_progress(), engine=shapes)
        report, unreadable = built.report, bool(built.syntax_errors)
    else:
        files = [f for p in paths for f in case_files(p)]
        if not files:
            fail(f"no case files (.ttl) in {', '.join(map(str, paths))}")
        progress = show_progress()
        store = None if no_context or not stored.files else open_store(stored, progress=progress)
        outcome = check_files(
            store,
            files,
            stored_files=() if store is None else stored.files,
            progress=progress,
            engine=shapes,
        )
        report, unreadable = outcome.report, outcome.unreadable
    _finish(report, unreadable, fmt, level, output)


def _finish(
    report: ValidationReport, unreadable: bool, fmt: str, level: str, output: Path | None
) -> None:
    write_output(render_report(report, fmt, level), output)
    if unreadable:
        raise SystemExit(EXIT_LOAD_ERROR)
    raise SystemExit(EXIT_OK if report.conforms else EXIT_NOT_CONFORMING)
