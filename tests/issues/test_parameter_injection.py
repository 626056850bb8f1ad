"""Regression: a crafted rdflib ``Literal`` given as a parameter reached the query text unchecked.

Seen before the fix (issue 17): through the Python API, ``Literal("x", datatype=URIRef(
"https://e/t> ) ( UNDEF ) } #"))`` as ``region`` of ``lesions_in_structure`` was written into the
``VALUES`` block by ``Literal.n3()`` as is; its datatype closed the block, added an ``UNDEF`` row
and commented out the rest of the line, so the query answered every lesion of the cohort (47
rows) instead of none. Every term is now written by ``kg.engine.results`` itself: IRIs (datatypes
included) checked, language tags checked, lexical forms escaped, variable names checked; and a
term parameter takes only an IRI.
"""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

import kg
from kg.engine.results import QueryError, inline_bindings

EVIL_DATATYPE = Literal("x", datatype=URIRef("https://e/t> ) ( UNDEF ) } #"))
ECHO = "SELECT ?x WHERE { BIND(?v AS ?x) }"


def test_a_crafted_literal_is_refused_by_the_api(cohort_graph: kg.KnowledgeGraph) -> None:
    with pytest.raises(QueryError, match="parameter region takes a term"):
        cohort_graph.query("lesions_in_structure", region=EVIL_DATATYPE)


@pytest.mark.parametrize(
    "value",
    [
        EVIL_DATATYPE,
        URIRef("https://e/x> ) ( UNDEF ) } #"),
        Literal("x", lang="en"),  # checked below with a forged tag
    ],
)
def test_every_term_is_checked_before_it_reaches_the_store(
    cohort_graph: kg.KnowledgeGraph, value: URIRef | Literal
) -> None:
    assert cohort_graph.store is not None
    if isinstance(value, Literal) and value.language:
        object.__setattr__(value, "_language", "en ) } #")
    with pytest.raises(QueryError, match="not a valid"):
        cohort_graph.store.select(ECHO, {"v": value})


def test_a_variable_name_cannot_carry_syntax() -> None:
    with pytest.raises(QueryError, match="not a variable name"):
        inline_bindings(ECHO, {"v ) ( UNDEF ) } #": Literal("x")})


@pytest.mark.parametrize(
    "value",
    [
        Literal('a" ) ( UNDEF ) } #'),
        Literal("line\nbreak\r\\ \"quoted\" 'single'"),
        Literal("tag", lang="en-GB"),
        Literal("12", datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer")),
    ],
)
def test_literals_reach_the_store_intact(cohort_graph: kg.KnowledgeGraph, value: Literal) -> None:
    assert cohort_graph.store is not None
    result = cohort_graph.store.select(ECHO, {"v": value})
    assert result.rows == [(value,)]
