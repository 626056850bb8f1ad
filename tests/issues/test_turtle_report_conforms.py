"""Regression: `kg validate -f turtle` wrote `sh:conforms true` next to results of severity
Violation, and no report at all for a file refused before the shapes ran. The Turtle report's
`sh:conforms` is now the verdict of the report (what the exit code says)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal
from rdflib.namespace import RDF, SH

from kg.cli import cli
from kg.model.resources import CASES_DIR

BAD = Path(__file__).resolve().parents[1] / "bad_inputs"


@pytest.mark.parametrize(
    ("path", "exit_code"),
    [
        (CASES_DIR / "seed-000-t07.ttl", 0),  # conforms, with warnings and infos
        (BAD / "30-age-without-quantity.ttl", 1),  # a shape's violation
        (BAD / "33-size-as-string.ttl", 1),  # nested results under the violation
        (BAD / "17-duplicate-case-id.ttl", 1),  # refused before the shapes ran
        (BAD / "03-misspelt-nerve-root.ttl", 1),  # the loader's violation; shapes wait
    ],
    ids=lambda v: v.name if isinstance(v, Path) else str(v),
)
def test_turtle_report_states_the_verdict(path: Path, exit_code: int) -> None:
    result = CliRunner().invoke(cli, ["validate", "-f", "turtle", str(path)])
    assert result.exit_code == exit_code, result.output
    report = Graph().parse(data=result.output, format="turtle")
    (node,) = report.subjects(RDF.type, SH.ValidationReport)
    assert report.value(node, SH.conforms) == Literal(exit_code == 0)
    severities = {report.value(r, SH.resultSeverity) for r in report.objects(None, SH.result)}
    if SH.Violation in severities:
        assert exit_code == 1
    if exit_code == 0:
        assert severities and SH.Violation not in severities
