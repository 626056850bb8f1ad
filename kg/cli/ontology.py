"""``kg terms``, ``kg report`` and ``kg reason``: look into the ontology."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kg.cli.common import EXIT_NOT_CONFORMING, EXIT_OK, output_option, write_output
from kg.model.ontology import load_ontology
from kg.model.resources import ONTOLOGY_FILE
from kg.model.vocabulary import Vocabulary
from kg.reasoning.hermit import classify
from kg.sparql.writers import REPORT_FORMATS
from kg.validation.quality import quality_report

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


@click.command("report")
@_ONTOLOGY
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(REPORT_FORMATS[:2]),
    default="text",
    show_default=True,
    help="Report format.",
)
@output_option
def report_command(ontology: Path, fmt: str, output: Path | None) -> None:
    """Ontology quality report (missing labels and definitions, bad cross-references, ...).

    Exit 1 when there is an ERROR-level violation.
    """
    violations = quality_report(load_ontology(ontology))
    if fmt == "json":
        text = json.dumps([v.__dict__ for v in violations], indent=2) + "\n"
    else:
        text = "".join(f"{v.level}\t{v.rule}\t{v.entity}\t{v.value}\n" for v in violations)
        text += f"{len(violations)} violations\n"
    write_output(text, output)
    errors = [v for v in violations if v.level == "ERROR"]
    raise SystemExit(EXIT_NOT_CONFORMING if errors else EXIT_OK)


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
