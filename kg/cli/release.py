"""``kg release``: write the ontology's release files (OWL, OBO, OBO Graphs, SSSOM)."""

from __future__ import annotations

import datetime
from pathlib import Path

import click

from kg.cli.common import EXIT_NOT_CONFORMING, fail
from kg.model.errors import KGError
from kg.model.ontology import load_ontology
from kg.model.resources import ONTOLOGY_FILE
from kg.release.build import write_release


@click.command("release")
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write the release files into (made if missing; files are replaced).",
)
@click.option(
    "--date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The release date that names its version IRIs (default: today, UTC).",
)
@click.option(
    "--ontology",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=ONTOLOGY_FILE,
    show_default=True,
    help="The ontology file.",
)
def release_command(output: Path, date: datetime.datetime | None, ontology: Path) -> None:
    """Write cmr.owl, cmr.ofn, cmr.obo, cmr.json and cmr.sssom.tsv into OUTPUT.

    Each file carries the dated version IRI https://w3id.org/cmr/releases/DATE/FILE. Anatomy
    individuals also appear as classes of the same IRI (subset anatomy_view), so that OBO
    tools see them. Exit 1, writing nothing, when a deprecated term breaks the obsoletion
    policy (docs/curation.md).
    """
    try:
        release = write_release(output, date.date() if date else None, load_ontology(ontology))
    except KGError as err:
        fail(str(err))
    if release.problems:
        for problem in release.problems:
            click.echo(
                f"{problem.entity}: {problem.rule}: {problem.property} {problem.value}".rstrip(),
                err=True,
            )
        fail(
            f"{len(release.problems)} obsoletion problem(s); nothing written "
            "(see 'Obsoleting a term' in docs/curation.md)",
            EXIT_NOT_CONFORMING,
        )
    click.echo(f"Release {release.info.version} written to {output}:")
    for path in release.files:
        click.echo(f"  {path.name}")
