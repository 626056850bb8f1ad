"""Catalogue parameters: kinds read from the headers, term values checked against the ontology.

A term parameter given a bare name, an unknown prefix, a misspelt ontology term or ``none`` used
to be taken as a string literal (or to unbind the parameter) and answer no rows; each is now an
error that says what was wrong and, for a near name, which term was meant (issue 17).
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef

from kg.model.queryfile import QueryFile
from kg.sparql.catalogue import (
    QueryError,
    _parse_header,
    bindings_for,
    catalogue,
    run_named,
)
from kg.store.build import BuildResult


@pytest.fixture(scope="module")
def graph(cohort_built: BuildResult) -> Graph:
    """The built graph of the frozen fixture cohort."""
    return cohort_built.graph


def test_every_catalogue_parameter_is_a_term() -> None:
    kinds = {(q.name, p.name): p.kind for q in catalogue().values() for p in q.params.values()}
    assert kinds and set(kinds.values()) == {"term"}


def test_header_kinds_defaults_and_required() -> None:
    query = _parse_header(
        QueryFile.from_text(
            "demo",
            "# param a: a term (term; required)\n"
            "# param b: some text (text; default: none)\n"
            "# param c: a number (default: 3)\n"
            "# param d: a structure (default: cmr:CaudaEquina)\n"
            "# param e: a lesion (required)\n"
            "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }",
        )
    )
    got = {n: (p.kind, p.required, p.default) for n, p in query.params.items()}
    assert got == {
        "a": ("term", True, None),
        "b": ("text", False, None),
        "c": ("text", False, Literal(3)),
        "d": ("term", False, URIRef("https://w3id.org/cmr/CaudaEquina")),
        "e": ("term", True, None),
    }
    bound = bindings_for(query, {"a": "cmr:ConusMedullaris", "b": "cmr:x", "e": "case:c/l"})
    assert bound["b"] == Literal("cmr:x")  # a text parameter keeps the text as it is
    with pytest.raises(QueryError, match="parameter b takes a number or text"):
        bindings_for(query, {"a": "cmr:ConusMedullaris", "b": URIRef("https://e/x")})


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("ConusMedullaris", "'ConusMedullaris' is not a CURIE"),
        ("cmr:ConusMedulari", "cmr:ConusMedulari is not a term of the ontology"),
        ("<https://w3id.org/cmr/ConusMedulari>", "cmr:ConusMedulari is not a term of the ontology"),
        ("cnr:ConusMedullaris", "'cnr:ConusMedullaris' has an unknown prefix cnr:"),
    ],
)
def test_a_term_parameter_must_be_a_known_term(graph: Graph, value: str, message: str) -> None:
    with pytest.raises(QueryError) as error:
        run_named(graph, "lesions_in_structure", {"region": value})
    assert f"parameter region: {message}" in str(error.value)
    assert "did you mean cmr:ConusMedullaris?" in str(error.value)


def test_none_does_not_unbind_a_parameter(graph: Graph) -> None:
    with pytest.raises(QueryError, match="'none' is not a term and does not unbind") as error:
        run_named(graph, "lesions_in_structure", {"region": "none"})
    assert "leave --param region out for its default (cmr:CaudaEquina)" in str(error.value)


def test_a_literal_is_refused_for_a_term_parameter(graph: Graph) -> None:
    with pytest.raises(QueryError, match="parameter region takes a term"):
        run_named(graph, "lesions_in_structure", {"region": Literal("cmr:ConusMedullaris")})


def test_terms_outside_the_closed_namespaces_are_taken(graph: Graph) -> None:
    lesion = "case:seed-001/lesion-idem-conus"
    assert run_named(graph, "route_structures", {"lesion": lesion}).rows
    assert run_named(graph, "lesions_in_structure", {"region": "<https://e/x>"}).rows == []
    assert run_named(graph, "lesions_in_structure", {"region": "cmr:ConusMedullaris"}).rows
