"""Regression: validating a new file with pyshacl's ``focus_nodes`` skipped nested ``sh:node``
checks on blank nodes, so "age 300" passed ``kg validate FILE``.

Fixed by validating the new file with only the stored nodes it refers to
(:func:`kg.validation.validate.referenced_context`) and no focus mode.
"""

from __future__ import annotations

from pathlib import Path

from kg.model.resources import CASES_DIR
from kg.validation.loader import LoadResult
from kg.validation.validate import validate_files


def test_age_300_is_caught_in_context(stored: LoadResult, tmp_path: Path) -> None:
    text = (CASES_DIR / "seed-004.ttl").read_text(encoding="utf-8").replace("seed-004", "seed-904")
    assert "cmr:numericValue 82 ;" in text
    path = tmp_path / "seed-904.ttl"
    path.write_text(
        text.replace("cmr:numericValue 82 ;", "cmr:numericValue 300 ;"), encoding="utf-8"
    )
    _, report = validate_files([path], stored=stored)
    assert [i.rule for i in report.issues if i.severity == "violation"] == [
        "an age lies between 0 and 120 years"
    ]
