"""Regression: SHACL-SPARQL constraints may not contain VALUES; pyshacl returned a failure object
instead of raising, which the validator must turn into a clear error."""

from __future__ import annotations

import pytest
from rdflib import Graph

from kg.model.errors import ShapesError
from kg.model.ontology import ontology_graph
from kg.validation.validate import validate_graph

SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix cmr: <https://w3id.org/cmr/> .
<http://e/S> a sh:NodeShape ; sh:targetClass cmr:Case ;
  sh:sparql [ sh:select "SELECT $this WHERE { VALUES ?x { 1 } }" ] .
"""


def test_broken_shapes_raise_a_shapes_error() -> None:
    with pytest.raises(ShapesError, match="shapes cannot run"):
        data = ontology_graph() + Graph().parse(
            data="<http://e/case> a <https://w3id.org/cmr/Case> .", format="turtle"
        )
        validate_graph(data, shapes=Graph().parse(data=SHAPES, format="turtle"))


def test_shipped_shapes_have_no_values_clause() -> None:
    from kg.model.resources import SHAPES_DIR

    for path in SHAPES_DIR.glob("*.ttl"):
        assert "VALUES" not in path.read_text(encoding="utf-8"), path
