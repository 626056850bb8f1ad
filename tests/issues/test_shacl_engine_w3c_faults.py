"""Regression: faults of the store's SHACL engine found by the W3C SHACL core suite.

- A shape that is also a class (implicit class target) was never run: its instances passed.
- ``sh:maxCount 0`` wrote an invalid query, so the engine refused the shapes.
- A path node that is a list and also carries ``sh:inversePath`` was read as the inverse path;
  a list is a sequence path (``core/path/path-strange-001``).

Each is checked against pyshacl on the same graph.
"""

from __future__ import annotations

import pyshacl
import pytest
from rdflib import Graph
from rdflib.namespace import SH

from kg.validation.shacl import store_from_graph, validate_store

PREFIXES = """@prefix ex: <http://example.org/> . @prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""
IMPLICIT_TARGET = """
ex:Person a rdfs:Class, sh:NodeShape ;
    sh:property [ sh:path ex:name ; sh:minCount 1 ] .
ex:Student rdfs:subClassOf ex:Person .
ex:ann a ex:Person ; ex:name "Ann" .
ex:bob a ex:Student .
"""
MAX_COUNT_ZERO = """
ex:Shape a sh:NodeShape ; sh:targetClass ex:Case ;
    sh:property [ sh:path ex:retired ; sh:maxCount 0 ] .
ex:c1 a ex:Case .
ex:c2 a ex:Case ; ex:retired true .
"""
LIST_AND_INVERSE_PATH = """
ex:s a sh:PropertyShape ; sh:targetNode ex:i ; sh:class ex:C ;
    sh:path [ rdf:first ex:p ; rdf:rest ( ex:q ) ; sh:inversePath ex:p ] .
ex:i ex:p ex:ip . ex:ip ex:q ex:ipq . ex:pi ex:p ex:i .
"""


def _results(report: Graph) -> set[tuple[str, str, str]]:
    return {
        (
            str(report.value(r, SH.focusNode)),
            str(report.value(r, SH.sourceConstraintComponent)),
            str(report.value(r, SH.value)),
        )
        for r in report.objects(None, SH.result)
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (IMPLICIT_TARGET, {("http://example.org/bob", str(SH.MinCountConstraintComponent))}),
        (MAX_COUNT_ZERO, {("http://example.org/c2", str(SH.MaxCountConstraintComponent))}),
        (
            LIST_AND_INVERSE_PATH,
            {("http://example.org/i", str(SH.ClassConstraintComponent))},
        ),
    ],
    ids=["implicit-class-target", "max-count-zero", "list-and-inverse-path"],
)
def test_the_engine_finds_what_pyshacl_finds(text: str, expected: set[tuple[str, str]]) -> None:
    graph = Graph().parse(data=PREFIXES + text, format="turtle")
    ours = _results(validate_store(store_from_graph(graph), graph))
    theirs = pyshacl.validate(graph, shacl_graph=graph, inference="none")[1]
    assert isinstance(theirs, Graph)
    assert {(focus, component) for focus, component, _ in ours} == expected
    assert ours == _results(theirs)
