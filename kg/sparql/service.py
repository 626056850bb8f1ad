r"""Whether a SPARQL query has a ``SERVICE`` clause, found by parsing it, not by searching text.

A query that never spells the word ``service`` (nor with ``\u`` escapes) cannot hold the
keyword, so it is passed at once. Any other query is parsed with rdflib's SPARQL 1.1 parser and
its whole syntax tree is walked, so a ``SERVICE`` nested in a subquery, ``OPTIONAL``, ``UNION``,
``MINUS``, ``GRAPH`` or ``FILTER EXISTS`` is found, while the word in a comment, a string, an
IRI or a variable name is not taken for one. A query that mentions the word and that rdflib
cannot parse (Oxigraph accepts a few extensions) is taken to have one: refused, never run
unchecked.

>>> has_service("SELECT * WHERE { ?s ?p 'SERVICE' } # SERVICE <http://example.org/>")
False
>>> has_service("ASK { { SELECT ?s { service silent ?e { ?s ?p ?o } } } }")
True
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue

__all__ = ["has_service", "service_check"]

_SERVICE = "ServiceGraphPattern"  # rdflib's name for a SERVICE clause in its syntax tree


def service_check(query: str) -> str | None:
    """Why ``query`` is taken to call a SERVICE, or None when it certainly does not."""
    if "service" not in query.lower() and "service" not in _unescaped(query).lower():
        return None
    try:
        tree = parseQuery(query)
    except Exception as exc:  # any failure of the parser: refused, never run unchecked
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return f"the query mentions SERVICE and could not be checked for a SERVICE clause ({first})"
    return "the query has a SERVICE clause" if _holds_service(tree) else None


def has_service(query: str) -> bool:
    """Whether ``query`` is taken to call a SERVICE (see :func:`service_check`)."""
    return service_check(query) is not None


def _holds_service(node: object) -> bool:
    """Whether a SERVICE clause is anywhere in rdflib's syntax tree ``node``."""
    if isinstance(node, CompValue):
        return node.name == _SERVICE or any(_holds_service(v) for v in node.values())
    if isinstance(node, str) or not isinstance(node, Iterable):  # a term or a number
        return False
    return any(_holds_service(v) for v in node)


def _unescaped(query: str) -> str:
    r"""The query with ``\uXXXX`` and ``\UXXXXXXXX`` codepoint escapes replaced (SPARQL 19.2)."""
    if "\\u" not in query and "\\U" not in query:
        return query
    out, at = [], 0
    while at < len(query):
        width = {"\\u": 4, "\\U": 8}.get(query[at : at + 2], 0)
        digits = query[at + 2 : at + 2 + width]
        if width and len(digits) == width and all(c in "0123456789abcdefABCDEF" for c in digits):
            code = int(digits, 16)
            out.append(chr(code) if code <= 0x10FFFF else query[at : at + 2 + width])
            at += 2 + width
        else:
            out.append(query[at])
            at += 1
    return "".join(out)
