"""``kg push``: load the built graph into a SPARQL 1.1 server, replacing one named graph."""

from __future__ import annotations

import click

from kg.cli.common import current_workspace, fail
from kg.sparql.push import DEFAULT_GRAPH, PushError, check_target, push
from kg.store.cache import open_store


@click.command("push")
@click.option(
    "--endpoint",
    metavar="URL",
    default=None,
    help="The server's Graph Store URL (Oxigraph http://HOST:7878/store, Fuseki "
    "http://HOST:3030/DATASET/data).",
)
@click.option(
    "--update-endpoint",
    metavar="URL",
    default=None,
    help="The server's SPARQL Update URL (Oxigraph /update, Fuseki /DATASET/update). With "
    "--endpoint: swap the new graph in with one MOVE (atomic); alone, or when the Graph Store "
    "answers 404/405/501: load by SPARQL Update.",
)
@click.option(
    "--graph",
    "graph_iri",
    metavar="IRI",
    default=DEFAULT_GRAPH,
    show_default=True,
    help="The named graph to replace.",
)
@click.option("--timeout", default=120, show_default=True, help="Seconds to wait for each request.")
def push_command(
    endpoint: str | None, update_endpoint: str | None, graph_iri: str, timeout: int
) -> None:
    """Replace a named graph on a SPARQL 1.1 server with the built graph.

    Credentials come from CMR_KG_ENDPOINT_USER and CMR_KG_ENDPOINT_PASSWORD (HTTP basic).
    """
    if endpoint is None and update_endpoint is None:
        raise click.UsageError("give --endpoint URL (Graph Store), --update-endpoint URL, or both")
    try:
        check_target(endpoint, update_endpoint, graph_iri)
        payload = open_store(current_workspace().cases).dump_ntriples()
        result = push(
            payload,
            store_url=endpoint,
            update_url=update_endpoint,
            graph=graph_iri,
            timeout=timeout,
        )
    except PushError as err:
        fail(str(err))
    click.echo(result.summary())
