"""The ``kg`` command line: thin sub-commands over the library, one module per command.

The top layer: it may import every other part of ``kg``, and nothing imports it. Exit codes:
0 when the data conforms, 1 when it does not, 2 on a load or usage error.
"""

from __future__ import annotations

import click

from kg.cli.add import add_command
from kg.cli.build import build_command
from kg.cli.case import case_command
from kg.cli.dev import dev_group
from kg.cli.explain import explain_command, routes_command
from kg.cli.fmt import fmt_command
from kg.cli.ontology import reason_command, report_command, terms_command
from kg.cli.push import push_command
from kg.cli.query import queries_command, query_command, sparql_command
from kg.cli.serve import serve_command
from kg.cli.synth import synth_command
from kg.cli.validate import validate_command
from kg.model.errors import KGError

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cmr-kg")
def cli() -> None:
    """Knowledge graph of cancers, metastatic dissemination routes and anatomy."""


for command in (
    build_command,
    validate_command,
    add_command,
    fmt_command,
    queries_command,
    query_command,
    sparql_command,
    case_command,
    explain_command,
    routes_command,
    serve_command,
    push_command,
    synth_command,
    terms_command,
    report_command,
    reason_command,
    dev_group,
):
    cli.add_command(command)


def main() -> None:
    """Entry point: run the CLI, turning library errors into a message and exit code 2."""
    try:
        cli(standalone_mode=True)
    except KGError as err:
        click.echo(f"kg: {err}", err=True)
        raise SystemExit(2) from err
