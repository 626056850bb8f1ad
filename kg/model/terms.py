"""Terms between rdflib and Oxigraph, one way of converting for the whole package.

Blank node identifiers are kept both ways, and ``xsd:string`` literals become plain literals.

>>> to_rdflib(ox.Literal("53", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
rdflib.term.Literal('53', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))
>>> from_rdflib(URIRef("https://w3id.org/cmr/CaudaEquina"))
<NamedNode value=https://w3id.org/cmr/CaudaEquina>

Values given as text (query parameters, rule headers) become terms with :func:`parse_value`:

>>> parse_value("cmr:NerveRootS1")
rdflib.term.URIRef('https://w3id.org/cmr/NerveRootS1')
>>> parse_value("case:seed-001/lesion-idem-conus")
rdflib.term.URIRef('https://w3id.org/cmr/data/case/seed-001/lesion-idem-conus')
>>> parse_value('x" } DROP ALL #')
rdflib.term.Literal('x" } DROP ALL #')

A value that must be a term (a query parameter declared as one) is read with :func:`parse_term`:

>>> parse_term("ConusMedullaris")
Traceback (most recent call last):
kg.model.terms.TermError: 'ConusMedullaris' is not a CURIE (such as cmr:CaudaEquina) or an <IRI>
"""

from __future__ import annotations

import re

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier, Node

from kg.model.errors import KGError
from kg.model.ontology import PREFIXES

__all__ = [
    "IRI_FORBIDDEN",
    "TermError",
    "from_rdflib",
    "parse_term",
    "parse_value",
    "subject_term",
    "to_rdflib",
]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_CURIE = re.compile(r"^([A-Za-z][\w\-]*):([\w\-./]*)$")
#: Characters the N-Triples IRI grammar leaves out (unescaped); none may reach a query's text.
IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


class TermError(KGError):
    """A term cannot be carried between rdflib and Oxigraph."""


def to_rdflib(term: object) -> URIRef | BNode | Literal:
    """An rdflib term for an Oxigraph term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TermError(f"cannot convert {term!r} to an rdflib term")


def from_rdflib(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An Oxigraph term for an rdflib term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and str(term.datatype) not in (_XSD_STRING, _RDF_LANG_STRING):
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TermError(f"cannot convert {term!r} to an Oxigraph term")


def subject_term(term: Node) -> ox.NamedNode | ox.BlankNode:
    """An Oxigraph subject for an rdflib IRI or blank node."""
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    return ox.NamedNode(str(term))


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


def parse_term(text: str) -> URIRef:
    """An IRI for a value that must be a term: ``cmr:X`` (a package prefix) or ``<iri>``."""
    value = text.strip()
    if value.startswith("<") and value.endswith(">"):
        iri = value[1:-1]
        if not iri or IRI_FORBIDDEN.search(iri) or ":" not in iri:
            raise TermError(f"{value!r} is not a valid absolute IRI")
        return URIRef(iri)
    match = _CURIE.match(value)
    if match is None:
        raise TermError(f"{value!r} is not a CURIE (such as cmr:CaudaEquina) or an <IRI>")
    if match.group(1) not in PREFIXES:
        known = ", ".join(f"{p}:" for p in sorted(PREFIXES))
        raise TermError(f"{value!r} has an unknown prefix {match.group(1)}: (known: {known})")
    return URIRef(PREFIXES[match.group(1)] + match.group(2))
