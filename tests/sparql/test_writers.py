"""The result writers: W3C SPARQL 1.1 Query Results (JSON, XML) read back by rdflib's parsers."""

from __future__ import annotations

import io
import json

import pytest
from rdflib import XSD, BNode, Literal, URIRef
from rdflib.query import Result
from rdflib.term import Identifier

from kg.sparql.writers import render_boolean, render_result

COLUMNS = ["s", "o"]
ROWS: list[tuple[Identifier | None, ...]] = [
    (URIRef("https://w3id.org/cmr/data/case/seed-001"), Literal("conus", lang="en")),
    (BNode("b0"), Literal("53", datatype=XSD.integer)),
    (URIRef("https://w3id.org/cmr/CaudaEquina"), None),
    (None, Literal("plain")),
]


def _parsed(text: str, fmt: str) -> Result:
    return Result.parse(io.BytesIO(text.encode("utf-8")), format=fmt)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_w3c_results_read_back_as_the_rows(fmt: str) -> None:
    text = render_result(COLUMNS, ROWS, fmt, curie=lambda iri: "never used")
    parsed = _parsed(text, fmt)
    assert [str(v) for v in parsed.vars or []] == COLUMNS
    assert [tuple(row) for row in parsed] == ROWS  # full IRIs, datatype, language, bnodes


def test_json_is_the_w3c_shape_and_records_keep_the_old_one() -> None:
    doc = json.loads(render_result(COLUMNS, ROWS, "json", curie=str))
    assert doc["head"] == {"vars": COLUMNS}
    first = doc["results"]["bindings"][0]
    assert first["s"] == {"type": "uri", "value": "https://w3id.org/cmr/data/case/seed-001"}
    assert first["o"] == {"type": "literal", "value": "conus", "xml:lang": "en"}
    assert doc["results"]["bindings"][2] == {
        "s": {"type": "uri", "value": "https://w3id.org/cmr/CaudaEquina"}
    }
    records = json.loads(render_result(COLUMNS, ROWS, "records", curie=lambda i: "cmr:X"))
    assert records["columns"] == COLUMNS and records["rows"][0]["s"] == "cmr:X"


@pytest.mark.parametrize("value", [True, False])
def test_boolean_results(value: bool) -> None:
    for fmt in ("json", "xml"):
        assert _parsed(render_boolean(value, fmt), fmt).askAnswer is value
    assert render_boolean(value, "table") == ("true\n" if value else "false\n")
