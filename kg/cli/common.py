"""Options and helpers shared by the sub-commands.

Exit codes follow pySHACL: 0 when the data conforms, 1 when it does not, 2 on a load or usage
error (a file that cannot be read or parsed, an unknown option). 3 is an internal error, a bug of
``kg`` itself: a script can tell it from bad data.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from kg.sparql.writers import GRAPH_FORMATS, REPORT_FORMATS, RESULT_FORMATS
from kg.store.workspace import Workspace, find_workspace

EXIT_OK = 0
EXIT_NOT_CONFORMING = 1
EXIT_LOAD_ERROR = 2
EXIT_INTERNAL_ERROR = 3
EXIT_INTERRUPTED = 130

F = TypeVar("F", bound=Callable[..., Any])
C = TypeVar("C", bound=click.Command)


def paths_argument(func: F) -> F:
    """Zero or more existing files or folders (default chosen by the command)."""
    return click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))(func)


def output_option(func: F) -> F:
    """``-o/--output FILE`` (``-`` for standard output)."""
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
        default=None,
        help="Write to FILE instead of standard output.",
    )(func)


def graph_format_option(func: F) -> F:
    """``-f/--format`` drawn from the registry of graph writers."""
    return click.option(
        "-f",
        "--format",
        "fmt",
        type=click.Choice(sorted(GRAPH_FORMATS)),
        default="turtle",
        show_default=True,
        help="RDF serialisation of the written graph.",
    )(func)


def report_format_option(func: F) -> F:
    """``-f/--format`` drawn from the registry of report writers."""
    return click.option(
        "-f",
        "--format",
        "fmt",
        type=click.Choice(REPORT_FORMATS),
        default="text",
        show_default=True,
        help="Report format.",
    )(func)


def result_format_option(func: F) -> F:
    """``-f/--format`` drawn from the registry of query-result writers."""
    return click.option(
        "-f",
        "--format",
        "fmt",
        type=click.Choice(RESULT_FORMATS),
        default="table",
        show_default=True,
        help="Result format.",
    )(func)


def sparql_format_option(func: F) -> F:
    """``-f/--format`` for any query: result writers, or graph writers for CONSTRUCT/DESCRIBE."""
    return click.option(
        "-f",
        "--format",
        "fmt",
        type=click.Choice(sorted(set(RESULT_FORMATS) | set(GRAPH_FORMATS))),
        default=None,
        help="Answer format: table (default), csv, tsv, json, xml, records or markdown for "
        "SELECT and ASK; turtle (default), nt, json-ld or xml for CONSTRUCT and DESCRIBE.",
    )(func)


def text_format_option(func: F) -> F:
    """``-f/--format`` of a command that prints a summary: ``text`` or a ``json`` document."""
    return click.option(
        "-f",
        "--format",
        "fmt",
        type=click.Choice(("text", "json")),
        default="text",
        show_default=True,
        help="Readable text, or a JSON document of the same content.",
    )(func)


_QUIET = "kg.quiet"  # in click's ``Context.meta``, which every nested context shares


def _note_quiet(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    if value:
        ctx.meta[_QUIET] = True
    return value


def with_quiet(command: C) -> C:
    """Give ``command``, and every sub-command of a group, ``-q/--quiet``.

    Applied once to the ``kg`` group, so ``kg -q CMD`` and ``kg CMD -q`` both work and a new
    command gets the option without asking; a command reads it with :func:`quiet`.
    """
    if not any("--quiet" in param.opts for param in command.params):
        command.params.append(
            click.Option(
                ["-q", "--quiet"],
                is_flag=True,
                expose_value=False,
                callback=_note_quiet,
                help="No progress bars and no informational messages on standard error "
                "(errors and the requested output stay).",
            )
        )
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            with_quiet(sub)
    return command


def quiet() -> bool:
    """True when ``-q/--quiet`` was given to ``kg`` or to the running command."""
    context = click.get_current_context(silent=True)
    return context is not None and bool(context.meta.get(_QUIET))


def show_progress() -> bool:
    """Whether the running command may show progress bars (on a terminal: ``kg.model.progress``)."""
    return not quiet()


def write_output(data: str | bytes, output: Path | None) -> None:
    """Write to ``output`` or to standard output."""
    raw = data.encode("utf-8", errors="backslashreplace") if isinstance(data, str) else data
    if output is None or str(output) == "-":
        sys.stdout.buffer.write(raw)
        sys.stdout.flush()
    else:
        output.write_bytes(raw)


def fail(message: str, code: int = EXIT_LOAD_ERROR) -> None:
    """Print ``message`` to standard error and exit with ``code``."""
    click.echo(f"kg: {message}", err=True)
    raise SystemExit(code)


def current_workspace() -> Workspace:
    """The workspace of this command (see :func:`kg.store.workspace.find_workspace`).

    ``kg --workspace DIR``, ``$CMR_KG_WORKSPACE``, the one found from the working directory
    upward, else the shipped cohort (read-only).
    """
    context = click.get_current_context(silent=True)
    obj = context.find_root().obj if context is not None else None
    explicit = obj.get("workspace") if isinstance(obj, dict) else None
    return find_workspace(explicit)
