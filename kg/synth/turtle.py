"""Turtle spelling for synthetic cohorts: prefixes, CURIEs, literals and statements.

Synthetic files are Turtle written from string templates, one case at a time, so memory stays
bounded; this module spells the pieces. Terms are CURIEs with the ``cmr``, ``obo`` or ``unit``
prefix where their local name allows.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from operator import itemgetter

from rdflib import URIRef
from rdflib.term import Node

from kg.model.namespace import CMR

__all__ = [
    "AGE",
    "ASSERTED_BY",
    "CASE",
    "CASE_ID",
    "COMPARTMENT",
    "DESCRIBED_IN",
    "DESCRIPTION",
    "DIAGNOSED_AS",
    "DURATION",
    "LOWER",
    "MULTIPLICITY",
    "ORGAN",
    "PREFIXES",
    "PRIMARY_NEOPLASM",
    "SEX",
    "SIDE",
    "SITE",
    "SIZE",
    "STANCE",
    "SUPPORTED_BY",
    "TIMING",
    "UPPER",
    "curie",
    "expand",
    "number_literal",
    "statement",
    "string_literal",
]

#: the namespaces written as prefixes, by prefix
PREFIXES = {
    "cmr": "https://w3id.org/cmr/",
    "obo": "http://purl.obolibrary.org/obo/",
    "unit": "http://qudt.org/vocab/unit/",
}


@cache
def curie(iri: Node) -> str:
    """``iri`` with the cmr, obo or unit prefix where its local name allows, else ``<iri>``.

    >>> curie(CMR.hasSite), curie(URIRef("https://example.org/x"))
    ('cmr:hasSite', '<https://example.org/x>')
    """
    text = str(iri)
    for prefix, ns in PREFIXES.items():
        local = text[len(ns) :]
        if text.startswith(ns) and local.replace("_", "a").replace("-", "a").isalnum():
            return f"{prefix}:{local}"
    return f"<{text}>"


def expand(curie_text: str) -> URIRef:
    """The IRI a ``prefix:local`` CURIE stands for (the inverse of :func:`curie`).

    >>> expand("cmr:hasSite") == CMR.hasSite
    True
    """
    prefix, _, local = curie_text.partition(":")
    return URIRef(PREFIXES[prefix] + local)


# CURIEs written for every case, read from the closed namespace once (its look-up is slow).
SITE, COMPARTMENT = curie(CMR.hasSite), curie(CMR.inCompartment)
UPPER, LOWER = curie(CMR.upperLevel), curie(CMR.lowerLevel)
SIDE, TIMING, MULTIPLICITY = (
    curie(CMR.laterality),
    curie(CMR.timingRelation),
    curie(CMR.multiplicity),
)
ORGAN, SEX, STANCE = curie(CMR.arisesFrom), curie(CMR.sex), curie(CMR.stance)
DIAGNOSED_AS = curie(CMR.diagnosedAs)
AGE, SIZE, DURATION = curie(CMR.age), curie(CMR.size), curie(CMR.duration)
PRIMARY_NEOPLASM = curie(CMR.PrimaryNeoplasm)
ASSERTED_BY, SUPPORTED_BY = curie(CMR.assertedBy), curie(CMR.supportedBy)
CASE, CASE_ID, DESCRIBED_IN = curie(CMR.Case), curie(CMR.caseId), curie(CMR.describedIn)
DESCRIPTION = curie(CMR.description)


def string_literal(text: str) -> str:
    r"""A Turtle string literal, escaped.

    >>> print(string_literal('say "hi"\n'))
    "say \"hi\"\n"
    """
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f'"{escaped}"'


def number_literal(value: float) -> str:
    """An integer or decimal Turtle literal.

    >>> number_literal(42.0), number_literal(2.34567)
    ('42', '2.346')
    """
    if value == int(value):
        return str(int(value))
    return repr(round(value, 3))


def statement(subject: str, types: Iterable[str], props: list[tuple[str, str]]) -> str:
    """One Turtle statement: ``subject a types ; p o, o ; ...``, properties in sorted order.

    ``props`` is sorted in place.

    >>> print(statement(":x", ["cmr:B", "cmr:A"], [("cmr:q", "2"), ("cmr:p", "1"), ("cmr:q", "3")]))
    :x a cmr:A, cmr:B ;
        cmr:p 1 ;
        cmr:q 2, 3 .
    <BLANKLINE>
    """
    props.sort(key=itemgetter(0))
    out = [subject, " a ", ", ".join(sorted(types))]
    last = None
    for predicate, obj in props:
        if predicate == last:
            out += (", ", obj)
        else:
            out += (" ;\n    ", predicate, " ", obj)
            last = predicate
    out.append(" .\n")
    return "".join(out)
