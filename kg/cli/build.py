"""``kg build``, the main job.

It builds the graph from the ontology and the cases, validates it, reasons over it and prints a
summary.
"""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.common import (
    EXIT_LOAD_ERROR,
    EXIT_NOT_CONFORMING,
    EXIT_OK,
    current_workspace,
    fail,
    graph_format_option,
    output_option,
    paths_argument,
    quiet,
    show_progress,
    write_output,
)
from kg.sparql.writers import serialize_graph
from kg.store.build import BuildResult
from kg.store.cache import CaseFiles, build_cached
from kg.validation.reporting import render_report


@click.command("build")
@paths_argument
@click.option(
    "--reason/--no-reason",
    default=True,
    show_default=True,
    help="Classify the lesions (HermiT's classification of the ontology; needs Java once) "
    "and infer candidate routes.",
)
@output_option
@graph_format_option
def build_command(paths: tuple[Path, ...], reason: bool, output: Path | None, fmt: str) -> None:
    """Build, validate and summarise the knowledge graph.

    PATHS are case files or folders (default: the shipped cases). The built graph is kept on
    disk and reused by `kg query`, `kg case` and the Python API until a source changes. With -o,
    the built graph (ontology, cases, inferred lesion classes and routes) is written there;
    with -o - the summary goes to standard error (with -q, only if the data does not conform).
    """
    files = CaseFiles.discover(list(paths) if paths else current_workspace().cases)
    if paths and not files.files:
        fail(f"no case files (.ttl) in {', '.join(map(str, paths))}")
    built, _ = build_cached(files, reason=reason, progress=show_progress())
    result = BuildResult(built)
    if built.syntax_errors:
        click.echo(render_report(result.report, "text", "warning"), err=True, nl=False)
        raise SystemExit(EXIT_LOAD_ERROR)
    if output is not None:
        write_output(serialize_graph(result.graph, fmt), output)
    summary = result.summary()
    lines = ["Knowledge graph built."]
    for key, value in summary.items():
        if isinstance(value, dict):
            if value:
                lines.append(f"  {key}:")
                lines += [f"    {k}: {v}" for k, v in value.items()]
        elif value is not None:
            lines.append(f"  {key}: {value}")
    if not result.report.conforms:
        lines.append("")
        lines.append(render_report(result.report, "text", "warning").rstrip())
    verdict = "The data conforms." if result.conforms else "The data does NOT conform."
    lines.append(verdict)
    to_stderr = output is not None and str(output) == "-"
    if not (to_stderr and quiet() and result.conforms):
        click.echo("\n".join(lines), err=to_stderr)
    raise SystemExit(EXIT_OK if result.conforms else EXIT_NOT_CONFORMING)
