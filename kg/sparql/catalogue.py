"""The named SPARQL catalogue: list it, bind parameters as RDF terms, run a query.

A catalogue query is a ``.rq`` file in ``queries/`` whose header names its parameters::

    # title: Lesions within a structure
    # description: All lesions whose site lies within a structure.
    # param region: the structure to look in (default: cmr:CaudaEquina)
    # param lesion: a lesion to start from (required)
    # column lesion: the lesion

Parameter values are turned into RDF terms (an IRI for ``cmr:X`` or ``<...>``, a number, or a
string) and bound to the query's variables of the same name; they are never pasted into the
query text, so a value cannot change what the query does.

>>> q = catalogue()["lesions_in_structure"]
>>> q.params["region"].default
rdflib.term.URIRef('https://w3id.org/cmr/CaudaEquina')
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, URIRef, Variable
from rdflib.plugins.sparql import prepareQuery
from rdflib.query import ResultRow
from rdflib.term import Identifier

from kg.engine.graphstore import GraphStore
from kg.engine.results import QueryError, QueryResult, render_cell
from kg.model.ontology import PREFIXES
from kg.model.queryfile import FromQueryFile, QueryFile
from kg.model.resources import QUERIES_DIR
from kg.model.terms import parse_value
from kg.model.vocabulary import Vocabulary

__all__ = [
    "CatalogueQuery",
    "Parameter",
    "QueryError",
    "QueryResult",
    "catalogue",
    "parse_value",
    "render_cell",
    "run_named",
    "run_sparql",
    "unknown_query",
]

_DEFAULT = re.compile(r"\(default:\s*(.*?)\)\s*$")
_REQUIRED = re.compile(r"\(required\)\s*$")


@dataclass(frozen=True)
class Parameter:
    """A query parameter: its name, what it means, and its default (``None``: unbound)."""

    name: str
    description: str
    default: Identifier | None
    required: bool = False


@dataclass(frozen=True)
class CatalogueQuery(FromQueryFile):
    """A named query of the catalogue (its name is the file stem)."""

    file: QueryFile
    params: dict[str, Parameter]
    columns: dict[str, str]


def _parse_header(file: QueryFile) -> CatalogueQuery:
    params: dict[str, Parameter] = {}
    columns: dict[str, str] = {}
    for key, text in file.header.items():
        kind, _, name = key.partition(" ")
        if kind == "param" and name:
            match = _DEFAULT.search(text)
            default: Identifier | None = None
            description = text
            required = _REQUIRED.search(text)
            if required:
                description = text[: required.start()].strip()
            if match:
                description = text[: match.start()].strip()
                raw = match.group(1).strip()
                default = None if raw.lower() == "none" else parse_value(raw)
            params[name] = Parameter(name, description, default, required=bool(required))
        elif kind == "column" and name:
            columns[name] = text
    return CatalogueQuery(file, params, columns)


@lru_cache(maxsize=4)
def catalogue(directory: Path = QUERIES_DIR) -> dict[str, CatalogueQuery]:
    """Every query of the catalogue by name."""
    out = {}
    for path in sorted(directory.glob("*.rq")):
        query = _parse_header(QueryFile.from_path(path))
        out[query.name] = query
    return out


def _check_iri(name: str, value: Identifier, vocabulary: Vocabulary) -> None:
    if (
        isinstance(value, URIRef)
        and Vocabulary.is_closed_iri(str(value))
        and value not in vocabulary
    ):
        hints = " or ".join(vocabulary.curie(str(s)) for s in vocabulary.suggest(str(value)))
        raise QueryError(
            f"parameter {name}: {vocabulary.curie(str(value))} is not a term of the ontology"
            + (f"; did you mean {hints}?" if hints else "")
        )


def bindings_for(
    query: CatalogueQuery,
    given: Mapping[str, str | Identifier],
    vocabulary: Vocabulary | None = None,
) -> dict[str, Identifier]:
    """The parameter bindings for ``query``: defaults overridden by ``given``."""
    vocabulary = vocabulary or Vocabulary.shipped()
    unknown = sorted(set(given) - set(query.params))
    if unknown:
        known = ", ".join(sorted(query.params)) or "none"
        raise QueryError(
            f"query {query.name} has no parameter {', '.join(unknown)} (its parameters: {known})"
        )
    out: dict[str, Identifier] = {}
    for name, param in query.params.items():
        raw = given.get(name)
        if raw is None and param.required:
            raise QueryError(
                f"query {query.name} needs parameter {name}: {param.description} "
                f"(give it as --param {name}=VALUE)"
            )
        if raw is None:
            if param.default is not None:
                out[name] = param.default
            continue
        if isinstance(raw, Identifier):  # already a term (URIRef and Literal are str too)
            value: Identifier = raw
        elif raw.strip() == "none":
            continue  # explicitly unbound
        else:
            value = parse_value(raw)
        _check_iri(name, value, vocabulary)
        out[name] = value
    return out


def _rows(result: object, columns: Sequence[str]) -> list[tuple[Identifier | None, ...]]:
    rows = []
    for row in result:  # type: ignore[attr-defined]
        assert isinstance(row, ResultRow)
        rows.append(tuple(row.get(Variable(c)) for c in columns))
    return rows


def run_sparql(
    graph: Graph,
    text: str,
    bindings: Mapping[str, Identifier] | None = None,
    *,
    source: str = "query",
) -> QueryResult:
    """Run a SELECT query on ``graph``; syntax errors name the line and column."""
    try:
        prepared = prepareQuery(text, initNs=PREFIXES)
    except Exception as exc:  # pyparsing raises ParseException with line and column
        line = getattr(exc, "lineno", None)
        col = getattr(exc, "col", None)
        where = f"{source}:{line}:{col}" if line is not None else source
        raise QueryError(f"{where}: SPARQL syntax error: {getattr(exc, 'msg', exc)}") from exc
    init: dict[str, Identifier] = dict(bindings or {})
    result = graph.query(prepared, initBindings=init)
    columns = [str(v) for v in (result.vars or [])]
    return QueryResult(columns, _rows(result, columns))


def unknown_query(name: str, known: Sequence[str]) -> QueryError:
    """The error for a query name the catalogue lacks, with the closest names."""
    close = difflib.get_close_matches(name, list(known), n=3)
    hint = f"; did you mean {' or '.join(close)}?" if close else "; see `kg queries`"
    return QueryError(f"no query named {name!r} in the catalogue{hint}")


def run_named(
    engine: Graph | GraphStore, name: str, params: Mapping[str, str | Identifier] | None = None
) -> QueryResult:
    """Run the catalogue query ``name`` with ``params`` (text or RDF terms).

    ``engine`` is an rdflib graph or the embedded store; both bind the parameters as RDF terms.
    """
    queries = catalogue()
    if name not in queries:
        raise unknown_query(name, list(queries))
    query = queries[name]
    bindings = bindings_for(query, params or {})
    source = f"queries/{name}.rq"
    if isinstance(engine, GraphStore):
        return engine.select(query.file.text, bindings, source=source)
    return run_sparql(engine, query.file.text, bindings, source=source)
