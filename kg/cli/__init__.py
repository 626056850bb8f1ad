"""The ``kg`` command line: thin sub-commands over the library, one module per command.

The top layer: it may import every other part of ``kg``, and nothing imports it. Exit codes:
0 when the data conforms, 1 when it does not, 2 on a load or usage error.
"""

from __future__ import annotations

import logging
from pathlib import Path

import click

from kg.cli.add import add_command
from kg.cli.build import build_command
from kg.cli.case import case_command
from kg.cli.common import EXIT_INTERNAL_ERROR, EXIT_INTERRUPTED, EXIT_LOAD_ERROR, with_quiet
from kg.cli.crash import internal_error_message
from kg.cli.dev import dev_group
from kg.cli.explain import explain_command, routes_command
from kg.cli.fmt import fmt_command
from kg.cli.init import init_command
from kg.cli.ontology import reason_command, report_command, terms_command
from kg.cli.push import push_command
from kg.cli.query import queries_command, query_command, sparql_command
from kg.cli.release import release_command
from kg.cli.remove import remove_command
from kg.cli.serve import serve_command
from kg.cli.synth import synth_command
from kg.cli.update import update_command
from kg.cli.validate import validate_command
from kg.model.errors import KGError

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cmr-kg")
@click.option(
    "--workspace",
    "-w",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The workspace to use (default: $CMR_KG_WORKSPACE, else the one found from the "
    "working directory upward, else the shipped cases, read-only).",
)
@click.pass_context
def cli(ctx: click.Context, workspace: Path | None) -> None:
    """Knowledge graph of cancers, metastatic dissemination routes and anatomy."""
    ctx.obj = {"workspace": workspace}


for command in (
    init_command,
    build_command,
    validate_command,
    add_command,
    update_command,
    remove_command,
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
    release_command,
    dev_group,
):
    cli.add_command(command)
with_quiet(cli)  # -q/--quiet on kg and on every command


def main() -> None:
    """Entry point: run the CLI; no traceback ever reaches the user.

    A library error (bad input, an unreachable server, ...) is one line and exit code 2. Any
    other exception is a bug of ``kg``: one line saying so and where its details were written,
    and exit code 3.
    """
    # rdflib logs a traceback for a literal its datatype refuses; the checks report it instead
    logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)
    try:
        cli(standalone_mode=True)
    except KGError as err:
        click.echo(f"kg: {err}", err=True)
        raise SystemExit(EXIT_LOAD_ERROR) from err
    except KeyboardInterrupt:
        click.echo("kg: interrupted", err=True)
        raise SystemExit(EXIT_INTERRUPTED) from None
    except Exception as err:
        click.echo(internal_error_message(err), err=True)
        raise SystemExit(EXIT_INTERNAL_ERROR) from None
