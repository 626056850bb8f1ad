r"""Answers of SPARQL SELECT queries as tables of RDF terms, whatever engine ran them.

Parameters reach a query as RDF terms. An engine that cannot pre-bind variables gets them as a
``VALUES`` block of terms in N-Triples syntax, opening the query's main ``WHERE`` clause. Every
part of a term is checked or escaped here: IRIs (datatypes included) against the N-Triples IRI
grammar, language tags against BCP 47's shape, lexical forms escaped; variable names must be
SPARQL names. Anything else (a blank node, a malformed term) is refused:

>>> inline_bindings("SELECT ?s WHERE { ?s ?p ?region }", {"region": URIRef("https://e/x")})
'SELECT ?s WHERE { VALUES ( ?region ) { ( <https://e/x> ) } ?s ?p ?region }'
>>> inline_bindings("SELECT ?s WHERE { ?s ?p ?o }", {"o": Literal('x" } DROP ALL #')})
'SELECT ?s WHERE { VALUES ( ?o ) { ( "x\\" } DROP ALL #" ) } ?s ?p ?o }'
>>> inline_bindings("SELECT ?s WHERE { ?s ?p ?o }", {"o": Literal("1", datatype=URIRef("x> }"))})
Traceback (most recent call last):
kg.engine.results.QueryError: 'x> }' is not a valid IRI for a query parameter
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.term import Identifier

from kg.model.errors import KGError
from kg.model.terms import IRI_FORBIDDEN
from kg.model.vocabulary import Vocabulary

__all__ = [
    "QueryError",
    "QueryResult",
    "inline_bindings",
    "is_update",
    "refuse_update",
    "render_cell",
]

_LANGUAGE = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


class QueryError(KGError):
    """A query cannot run: unknown name or parameter, a bad value, or a syntax error."""


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


def is_update(text: str) -> bool:
    """Whether ``text`` parses as a SPARQL 1.1 Update (with at least one operation).

    >>> is_update("INSERT DATA { <https://e/a> <https://e/p> 1 }"), is_update("ASK { ?s ?p ?o }")
    (True, False)
    """
    try:
        parsed = parseUpdate(text)
    except Exception:  # pyparsing's ParseException, or a TypeError on empty text
        return False
    return "request" in parsed


def refuse_update(text: str, source: str) -> None:
    """Raise :class:`QueryError` when ``text`` is an Update: ``kg`` only reads the graph."""
    if is_update(text):
        raise QueryError(
            f"{source}: this is a SPARQL Update; only queries run here "
            "(SELECT, CONSTRUCT, DESCRIBE or ASK), the graph is rebuilt from the case files"
        )


def render_cell(cell: Identifier | None, vocabulary: Vocabulary) -> str:
    """One result cell as text (``cmr:NerveRootS1``, ``case:seed-000``, ``53``, ``''``)."""
    if cell is None:
        return ""
    if isinstance(cell, URIRef):
        return vocabulary.curie(str(cell))
    return str(cell)


def _iri(value: str) -> str:
    if not value or IRI_FORBIDDEN.search(value) or ":" not in value:
        raise QueryError(f"{value!r} is not a valid IRI for a query parameter")
    return f"<{value}>"


def _literal(value: Literal) -> str:
    lexical = "".join(_ESCAPES.get(c, c) for c in str(value))
    if value.language is not None:
        if not _LANGUAGE.fullmatch(value.language):
            raise QueryError(f"{value.language!r} is not a valid language tag")
        return f'"{lexical}"@{value.language}'
    if value.datatype is not None:
        return f'"{lexical}"^^{_iri(str(value.datatype))}'
    return f'"{lexical}"'


def _term(value: Identifier) -> str:
    if isinstance(value, URIRef):
        return _iri(str(value))
    if isinstance(value, Literal):
        return _literal(value)
    raise QueryError(f"cannot send {value!r} as a query parameter")


def inline_bindings(text: str, bindings: Mapping[str, Identifier]) -> str:
    """``text`` with ``bindings`` as a ``VALUES`` block opening the main WHERE clause."""
    if not bindings:
        return text
    match = _WHERE.search(text)
    if match is None:
        raise QueryError("the query has no WHERE clause to bind parameters in")
    bad = [name for name in bindings if not _VARIABLE.fullmatch(name)]
    if bad:
        raise QueryError(f"{bad[0]!r} is not a variable name for a query parameter")
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(_term(value) for value in bindings.values())
    block = f" VALUES ( {names} ) {{ ( {values} ) }}"
    return text[: match.end()] + block + text[match.end() :]
