"""``kg synth``: write a synthetic cohort shaped like the curated one, for benchmarks."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.common import fail, show_progress
from kg.model.errors import KGError
from kg.synth import generate


@click.command("synth")
@click.argument("n", type=click.IntRange(min=1))
@click.option(
    "--seed", type=click.IntRange(min=0), default=0, show_default=True, help="Random seed."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write into; it must be new or empty.",
)
def synth_command(n: int, seed: int, output: Path) -> None:
    """Write N synthetic cases (never clinical data) shaped like the curated cohort.

    Cases are synth-SEED-NNNNNN.ttl in OUTPUT, with their source in
    OUTPUT/sources/synthetic-SEED.ttl; `kg build OUTPUT` and `kg validate OUTPUT` read them.
    The same N and seed give identical files. A folder that is not empty is refused (exit 2).
    """
    try:
        summary = generate(n, seed, output, progress=show_progress())
    except KGError as err:
        fail(str(err))
    else:
        click.echo(
            f"Wrote {summary.cases} synthetic cases ({summary.lesions} lesions, "
            f"{summary.route_assertions} route assertions) to {output}."
        )
