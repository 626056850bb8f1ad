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
>>> parse_value("cmr:NerveRootS1")
rdflib.term.URIRef('https://w3id.org/cmr/NerveRootS1')
>>> parse_value("case:seed-001/lesion-idem-conus")
rdflib.term.URIRef('https://w3id.org/cmr/data/case/seed-001/lesion-idem-conus')
>>> parse_value('x" } DROP ALL #')
rdflib.term.Literal('x" } DROP ALL #')
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef, Variable
from rdflib.plugins.sparql import prepareQuery
from rdflib.query import ResultRow
from rdflib.term import Identifier

from kg.errors import KGError
from kg.ontology import PREFIXES
from kg.queryfile import FromQueryFile, QueryFile
from kg.resources import QUERIES_DIR
from kg.vocabulary import Vocabulary

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
_CURIE = re.compile(r"^([A-Za-z][\w\-]*):([\w\-./]*)$")


class QueryError(KGError):
    """A query cannot run: unknown name or parameter, a bad value, or a syntax error."""


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


@dataclass
class QueryResult:
    """Rows of RDF terms, with the column names in order."""

    columns: list[str]
    rows: list[tuple[Identifier | None, ...]] = field(default_factory=list)

    def records(self) -> list[dict[str, Identifier | None]]:
        """The rows as dictionaries keyed by column."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def as_text(self, vocabulary: Vocabulary | None = None) -> list[tuple[str, ...]]:
        """The rows as text: IRIs as CURIEs, literals by their lexical form, unbound as ''."""
        vocabulary = vocabulary or Vocabulary.shipped()
        return [tuple(render_cell(cell, vocabulary) for cell in row) for row in self.rows]


def render_cell(cell: Identifier | None, vocabulary: Vocabulary) -> str:
    """One result cell as text (``cmr:NerveRootS1``, ``case:seed-000``, ``53``, ``''``)."""
    if cell is None:
        return ""
    if isinstance(cell, URIRef):
        return vocabulary.curie(str(cell))
    return str(cell)


def parse_value(text: str) -> Identifier:
    """An RDF term for a parameter value given as text.

    ``cmr:X`` (any package prefix) and ``<iri>`` are IRIs; integers and decimals are numbers;
    anything else is a plain string literal.
    """
    value = text.strip()
    if value.startswith("<") and value.endswith(">") and " " not in value:
        return URIRef(value[1:-1])
    match = _CURIE.match(value)
    if match and match.group(1) in PREFIXES:
        return URIRef(PREFIXES[match.group(1)] + match.group(2))
    if re.fullmatch(r"[+-]?\d+", value):
        return Literal(int(value))
    if re.fullmatch(r"[+-]?\d*\.\d+", value):
        return Literal(value, datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal"))
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return Literal(value[1:-1])
    return Literal(value)


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
    graph: Graph, name: str, params: Mapping[str, str | Identifier] | None = None
) -> QueryResult:
    """Run the catalogue query ``name`` with ``params`` (text or RDF terms)."""
    queries = catalogue()
    if name not in queries:
        raise unknown_query(name, list(queries))
    query = queries[name]
    return run_sparql(
        graph, query.file.text, bindings_for(query, params or {}), source=f"queries/{name}.rq"
    )
