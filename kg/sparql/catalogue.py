"""The named SPARQL catalogue: list it, bind parameters as RDF terms, run a query.

A catalogue query is a ``.rq`` file in ``queries/`` whose header names its parameters::

    # title: Lesions within a structure
    # description: All lesions whose site lies within a structure.
    # param region: the structure to look in (term; default: cmr:CaudaEquina)
    # param lesion: a lesion to start from (term; required)
    # param label: a label to match (text; default: none)
    # column lesion: the lesion

The closing brackets say the parameter's kind, ``term`` or ``text`` (when not said, a term
unless the default is a number or a string), and its default (``none``: left unbound) or that
it is ``required``.

A term parameter takes a CURIE with a package prefix (``cmr:X``) or an ``<IRI>``; an IRI of the
ontology's namespace must name a term of the ontology, else the error says which terms are
closest. A text parameter takes a number or a string. A parameter is left unbound only by not
giving it when its default is ``none``; there is no value meaning "unbound". Values are bound to
the query's variables of the same name as RDF terms, never pasted into the query text unchecked,
so a value cannot change what the query does.

>>> q = catalogue()["lesions_in_structure"]
>>> q.params["region"].default, q.params["region"].kind
(rdflib.term.URIRef('https://w3id.org/cmr/CaudaEquina'), 'term')
>>> bindings_for(q, {"region": "ConusMedullaris"})
Traceback (most recent call last):
kg.engine.results.QueryError: parameter region: 'ConusMedullaris' is not a CURIE (such as \
cmr:CaudaEquina) or an <IRI>; did you mean cmr:ConusMedullaris?
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef, Variable
from rdflib.plugins.sparql import prepareQuery
from rdflib.query import ResultRow
from rdflib.term import Identifier

from kg.engine.graphstore import GraphStore
from kg.engine.results import QueryError, QueryResult, render_cell
from kg.model.ontology import PREFIXES, TERM_NS
from kg.model.queryfile import FromQueryFile, QueryFile
from kg.model.resources import QUERIES_DIR
from kg.model.terms import TermError, parse_term, parse_value
from kg.model.vocabulary import Vocabulary

__all__ = [
    "CatalogueQuery",
    "Parameter",
    "QueryError",
    "QueryResult",
    "bindings_for",
    "catalogue",
    "parse_value",
    "render_cell",
    "run_named",
    "run_sparql",
    "unknown_query",
]

# the closing "(term; default: cmr:X)", "(text; required)", "(default: none)" of a param line
_SPEC = re.compile(r"\(((?:term|text|required|default:)[^()]*)\)\s*$")
_KINDS = ("term", "text")


@dataclass(frozen=True)
class Parameter:
    """A query parameter: its name, meaning, default (``None``: unbound) and kind.

    ``kind`` is ``term`` (an IRI) or ``text`` (a number or a string).
    """

    name: str
    description: str
    default: Identifier | None
    required: bool = False
    kind: str = "term"


@dataclass(frozen=True)
class CatalogueQuery(FromQueryFile):
    """A named query of the catalogue (its name is the file stem)."""

    file: QueryFile
    params: dict[str, Parameter]
    columns: dict[str, str]


def _parse_param(name: str, text: str) -> Parameter:
    match = _SPEC.search(text)
    if match is None:
        return Parameter(name, text, None, kind="term")
    kind, required, default = "", False, None
    for item in (i.strip() for i in match.group(1).split(";")):
        if item in _KINDS:
            kind = item
        elif item == "required":
            required = True
        elif item.startswith("default:"):
            raw = item.removeprefix("default:").strip()
            default = None if raw.lower() == "none" else parse_value(raw)
        else:
            raise QueryError(f"parameter {name}: cannot read {item!r} in ({match.group(1)})")
    kind = kind or ("text" if isinstance(default, Literal) else "term")
    return Parameter(name, text[: match.start()].strip(), default, required, kind)


def _parse_header(file: QueryFile) -> CatalogueQuery:
    params: dict[str, Parameter] = {}
    columns: dict[str, str] = {}
    for key, text in file.header.items():
        kind, _, name = key.partition(" ")
        if kind == "param" and name:
            params[name] = _parse_param(name, text)
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


def _term(param: Parameter, raw: str | Identifier, vocabulary: Vocabulary) -> URIRef:
    """The IRI a term parameter is given, checked against the ontology's closed namespaces."""
    name = param.name
    if not isinstance(raw, Identifier) and raw.strip().lower() == "none":
        default = "" if param.default is None else f" ({vocabulary.curie(str(param.default))})"
        raise QueryError(
            f"parameter {name}: 'none' is not a term and does not unbind a parameter; "
            f"leave --param {name} out for its default{default}"
        )
    if isinstance(raw, Identifier) and not isinstance(raw, URIRef):
        raise QueryError(f"parameter {name} takes a term (an IRI), not {raw!r}")
    try:
        value = raw if isinstance(raw, URIRef) else parse_term(raw)
    except TermError as err:
        local = raw.strip().rsplit(":", 1)[-1].strip("<>")
        hint = vocabulary.did_you_mean(TERM_NS + local) if local else ""
        raise QueryError(f"parameter {name}: {err}{hint}") from err
    if vocabulary.unknown(str(value)):
        raise QueryError(
            f"parameter {name}: {vocabulary.curie(str(value))} is not a term of the ontology"
            + vocabulary.did_you_mean(str(value))
        )
    return value


def _text(name: str, raw: str | Identifier) -> Identifier:
    """The literal a text parameter is given (a term given as such is refused)."""
    if isinstance(raw, Identifier):
        if not isinstance(raw, Literal):
            raise QueryError(f"parameter {name} takes a number or text, not {raw!r}")
        return raw
    value = parse_value(raw)
    return value if isinstance(value, Literal) else Literal(raw)


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
        out[name] = _term(param, raw, vocabulary) if param.kind == "term" else _text(name, raw)
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
