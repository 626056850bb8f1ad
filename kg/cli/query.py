"""``kg queries``, ``kg query`` and ``kg sparql``: ask the graph questions."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click
from rdflib import Graph

from kg.cli.common import (
    EXIT_LOAD_ERROR,
    current_workspace,
    fail,
    output_option,
    result_format_option,
    show_progress,
    sparql_format_option,
    text_format_option,
    write_output,
)
from kg.cli.complete import complete_query_name
from kg.cli.records import dump, queries_record
from kg.engine.graphstore import GraphStore
from kg.model.ontology import ontology_graph
from kg.model.vocabulary import Vocabulary
from kg.sparql.catalogue import QueryError, QueryResult, catalogue, run_named
from kg.sparql.checks import unknown_terms
from kg.sparql.remote import run_remote_answer, run_remote_named
from kg.sparql.writers import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    render_boolean,
    render_result,
    serialize_graph,
)
from kg.store.cache import open_store

_REBUILD = click.option(
    "--rebuild", is_flag=True, help="Rebuild the graph instead of using the cached build."
)
_ENDPOINT = click.option(
    "--endpoint",
    metavar="URL",
    default=None,
    help="Ask this SPARQL 1.1 endpoint instead of the embedded graph (credentials from "
    "CMR_KG_ENDPOINT_USER and CMR_KG_ENDPOINT_PASSWORD).",
)
_TIMEOUT = click.option(
    "--timeout", default=60, show_default=True, help="Seconds to wait for a remote endpoint."
)


def _parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    params = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{pair!r} is not KEY=VALUE", param_hint="--param")
        params[key.strip()] = value
    return params


Answer = QueryResult | bool | Graph


def _render(answer: Answer, fmt: str | None, labels: Graph | None) -> str | bytes:
    """The answer in ``fmt`` (default by query form); a format that does not fit exits 2."""
    if isinstance(answer, Graph):
        fmt = fmt or "turtle"
        if fmt not in GRAPH_FORMATS:
            fail(f"-f {fmt} is for query results; a graph takes {', '.join(GRAPH_FORMATS)}")
        return serialize_graph(answer, fmt)
    fmt = fmt or "table"
    if fmt not in RESULT_FORMATS:
        fail(
            f"-f {fmt} is for graphs (CONSTRUCT, DESCRIBE); "
            f"results take {', '.join(RESULT_FORMATS)}"
        )
    if isinstance(answer, bool):
        return render_boolean(answer, fmt)
    curie = Vocabulary.shipped().curie
    return render_result(answer.columns, answer.rows, fmt, curie=curie, graph=labels)


def _answer(
    local: Callable[[GraphStore], Answer],
    remote: Callable[[], Answer] | None,
    fmt: str | None,
    output: Path | None,
    rebuild: bool,
) -> None:
    """Ask the embedded store (or ``remote``) and write the answer; a query error exits 2."""
    labels: Graph | None = None
    try:
        if remote is not None:
            answer = remote()
            if isinstance(answer, QueryResult):
                labels = ontology_graph()  # labels for the IRIs of the remote result
        else:
            progress = rebuild and show_progress()
            store = open_store(current_workspace().cases, rebuild=rebuild, progress=progress)
            answer = local(store)
            if isinstance(answer, QueryResult):
                labels = store.labels(cell for row in answer.rows for cell in row)
    except QueryError as err:
        click.echo(f"kg: {err}", err=True)
        raise SystemExit(EXIT_LOAD_ERROR) from err
    write_output(_render(answer, fmt, labels), output)


@click.command("queries")
@text_format_option
def queries_command(fmt: str) -> None:
    """List the named queries of the catalogue with their titles and parameters."""
    if fmt == "json":
        click.echo(dump(queries_record(catalogue())), nl=False)
        return
    curie = Vocabulary.shipped().curie
    for name, query in catalogue().items():
        click.echo(f"{name:<32} {query.title}")
        for param in query.params.values():
            default = "" if param.default is None else f" (default {curie(str(param.default))})"
            click.echo(f"{'':<34}--param {param.name}=...  {param.description}{default}")


@click.command("query")
@click.argument("name", shell_complete=complete_query_name)
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="A parameter value: a term as a CURIE (cmr:CaudaEquina) or <IRI>, or for a text "
    "parameter a number or text.",
)
@result_format_option
@output_option
@_REBUILD
@_ENDPOINT
@_TIMEOUT
def query_command(
    name: str,
    params: tuple[str, ...],
    fmt: str,
    output: Path | None,
    rebuild: bool,
    endpoint: str | None,
    timeout: int,
) -> None:
    """Run the catalogue query NAME (see `kg queries`)."""
    given = _parse_params(params)
    remote = None
    if endpoint is not None:
        url = endpoint

        def remote() -> QueryResult:
            return run_remote_named(url, name, given, timeout=timeout)

    _answer(lambda store: run_named(store, name, given), remote, fmt, output, rebuild)


@click.command("sparql")
@click.argument("source", type=click.Path(allow_dash=True, dir_okay=False, path_type=Path))
@sparql_format_option
@output_option
@_REBUILD
@_ENDPOINT
@_TIMEOUT
def sparql_command(
    source: Path,
    fmt: str | None,
    output: Path | None,
    rebuild: bool,
    endpoint: str | None,
    timeout: int,
) -> None:
    """Run the query in SOURCE (a file, or - for standard input).

    SELECT and ASK print results (ASK: true or false), CONSTRUCT and DESCRIBE a graph; an
    UPDATE is refused (exit 2). The prefixes cmr:, case:, pub:, src:, obo:, unit:, rdf:,
    rdfs:, owl:, xsd: are predeclared.
    A cmr: term the ontology lacks (a misspelling) is named in a warning on standard error.
    """
    if str(source) == "-":
        text, name = sys.stdin.read(), "<stdin>"
    else:
        if not source.is_file():
            click.echo(f"kg: {source}: no such file", err=True)
            raise SystemExit(EXIT_LOAD_ERROR)
        text, name = source.read_text(encoding="utf-8"), str(source)
    for warning in unknown_terms(text):
        click.echo(f"kg: warning: {name}: {warning}", err=True)
    remote = None
    if endpoint is not None:
        url = endpoint

        def remote() -> Answer:
            return run_remote_answer(url, text, timeout=timeout)

    _answer(lambda store: store.answer(text, source=name), remote, fmt, output, rebuild)
