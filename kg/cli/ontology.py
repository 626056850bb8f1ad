"""``kg terms``, ``kg report`` and ``kg reason``: look into the ontology."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.common import EXIT_NOT_CONFORMING, EXIT_OK, output_option, write_output
from kg.model.errors import OntologyError
from kg.model.ontology import load_ontology
from kg.model.resources import ONTOLOGY_FILE
from kg.model.vocabulary import Vocabulary
from kg.reasoning.closure import classify_tbox, tbox
from kg.reasoning.hermit import classify
from kg.sparql.writers import QUALITY_FORMATS
from kg.validation.quality import failing, quality_report
from kg.validation.qualityreport import render_quality, summary

_ONTOLOGY = click.option(
    "--ontology",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=ONTOLOGY_FILE,
    show_default=True,
    help="The ontology file.",
)


@click.command("terms")
@click.argument("word")
def terms_command(word: str) -> None:
    """List the ontology terms whose name, label or synonym contains WORD."""
    vocabulary = Vocabulary.shipped()
    hits = vocabulary.search(word)
    for iri in hits:
        click.echo(f"{vocabulary.curie(str(iri)):<45} {vocabulary.labels.get(iri, '')}")
    if not hits:
        click.echo(f"no term matches {word!r}", err=True)
        raise SystemExit(EXIT_NOT_CONFORMING)


def _superclasses(ontology: Path) -> dict[str, frozenset[str]] | None:
    """HermiT's classification of ``ontology`` (cached for the shipped one), or None if it fails."""
    try:
        if ontology.resolve() == ONTOLOGY_FILE.resolve():
            return tbox().ancestors
        return classify_tbox(load_ontology(ontology)).ancestors
    except OntologyError as err:
        click.echo(f"kg: {err}; superclasses are read from the asserted hierarchy", err=True)
        return None


@click.command("report")
@_ONTOLOGY
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(QUALITY_FORMATS),
    default="text",
    show_default=True,
    help="Report format (tsv: ROBOT's columns).",
)
@output_option
@click.option(
    "--fail-on",
    type=click.Choice(["ERROR", "WARN", "INFO", "none"], case_sensitive=False),
    default="ERROR",
    show_default=True,
    help="Exit 1 when a violation is at this level or worse (none: never), as ROBOT's.",
)
@click.option(
    "--reason/--no-reason",
    default=True,
    show_default=True,
    help="Read superclasses from HermiT's classification, else from the asserted hierarchy.",
)
def report_command(
    ontology: Path, fmt: str, output: Path | None, fail_on: str, reason: bool
) -> None:
    """Ontology quality report: ROBOT report's standard checks and levels, and the project's.

    The rules are ontology/quality/*.rq; the levels are ERROR (fix before a release), WARN and
    INFO. Exit 1 when a violation is at the --fail-on level or worse.
    """
    graph = load_ontology(ontology)
    violations = quality_report(graph, superclasses=_superclasses(ontology) if reason else None)
    write_output(render_quality(violations, fmt), output)
    if fmt != "text" and output is not None and str(output) != "-":
        click.echo(summary(violations), err=True, nl=False)
    raise SystemExit(EXIT_NOT_CONFORMING if failing(violations, fail_on) else EXIT_OK)


@click.command("reason")
@_ONTOLOGY
def reason_command(ontology: Path) -> None:
    """Check with HermiT that the ontology is consistent and every class satisfiable."""
    report = classify(load_ontology(ontology), individuals=[])
    click.echo(f"consistent: {report.consistent}")
    click.echo(f"unsatisfiable classes: {len(report.unsatisfiable)}")
    for iri in report.unsatisfiable:
        click.echo(f"  {iri}")
    click.echo(f"seconds: {report.seconds:.1f}")
    raise SystemExit(EXIT_OK if report.coherent else EXIT_NOT_CONFORMING)
