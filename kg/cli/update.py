"""``kg update``: correct a stored case."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.add import finish
from kg.cli.common import current_workspace
from kg.store.cases import CaseStore


@click.command("update")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def update_command(file: Path) -> None:
    """Replace the stored case with FILE's caseId by FILE, if FILE conforms.

    FILE is checked as if the stored case were gone; nothing changes if it does not conform.
    """
    finish(CaseStore(current_workspace().writable_cases()).update(file), file)
