"""The quality report's formats: ROBOT's TSV columns, JSON, and text for curators."""

from __future__ import annotations

import csv
import io
import json

from kg.model.ontology import load_ontology
from kg.validation.quality import quality_report
from kg.validation.qualityreport import QUALITY_TSV_COLUMNS, render_quality, summary
from tests.conftest import FIXTURES

VIOLATIONS = quality_report(load_ontology(FIXTURES / "quality" / "broken.ttl"))


def test_tsv_has_robots_columns_and_one_row_a_violation() -> None:
    rows = list(csv.reader(io.StringIO(render_quality(VIOLATIONS, "tsv")), delimiter="\t"))
    assert (
        tuple(rows[0])
        == QUALITY_TSV_COLUMNS
        == (
            "Level",
            "Rule Name",
            "Subject",
            "Property",
            "Value",
        )
    )
    assert len(rows) == len(VIOLATIONS) + 1
    assert all(len(row) == 5 for row in rows)
    assert ["ERROR", "undeclared_term", "cmr:Dangling", "rdfs:subClassOf", "cmr:Undeclared"] in rows
    # a literal value stays text; a tab inside it is escaped, not a sixth column
    assert ["ERROR", "label_formatting", "cmr:TabLabel", "rdfs:label", "tab\\tlabel"] in rows


def test_json_keeps_full_iris() -> None:
    rows = json.loads(render_quality(VIOLATIONS, "json"))
    assert len(rows) == len(VIOLATIONS)
    assert {
        "level": "WARN",
        "rule": "invalid_xref",
        "entity": "https://w3id.org/cmr/BadXref",
        "property": "http://www.geneontology.org/formats/oboInOwl#hasDbXref",
        "value": "not a curie",
    } in rows


def test_text_groups_by_rule_with_its_fix_and_robots_summary() -> None:
    text = render_quality(VIOLATIONS, "text")
    block = text.split("ERROR missing_label:", 1)[1].split("\n\n", 1)[0]
    assert "cmr:NoLabel  rdfs:label" in block
    assert "fix: Add an rdfs:label." in block
    assert text.endswith(summary(VIOLATIONS))
    counts = {level: sum(v.level == level for v in VIOLATIONS) for level in ("ERROR", "WARN")}
    assert f"Violations: {len(VIOLATIONS)}\n" in text
    assert f"ERROR:      {counts['ERROR']}\n" in text and f"WARN:       {counts['WARN']}\n" in text
