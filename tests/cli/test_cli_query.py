"""``kg queries``, ``kg query``, ``kg sparql`` and ``kg case`` through the entry point.

These commands read the shipped cases only (they take no cases folder), so what they print is
checked for the seed cases and against the library on the same data, never as a pinned total;
the pinned answers are checked on the frozen fixture cohort in tests/sparql/test_catalogue.py.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess

from kg.model.namespace import CMR
from kg.sparql.catalogue import run_named
from kg.store.cache import open_store
from kg.validation.loader import LoadResult
from tests.conftest import REPO


def kg(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("kg")
    assert exe is not None
    return subprocess.run(
        [exe, *args], cwd=REPO, capture_output=True, text=True, input=stdin, timeout=600
    )


def test_queries_lists_the_catalogue() -> None:
    done = kg("queries")
    assert done.returncode == 0
    assert "lesions_in_structure" in done.stdout and "Lesions within a structure" in done.stdout
    assert "--param region=" in done.stdout


def test_query_table_shows_labels_next_to_iris() -> None:
    done = kg("query", "lesions_in_structure", "--param", "region=cmr:ConusMedullaris")
    assert done.returncode == 0, done.stderr
    assert "cmr:ConusMedullaris (conus medullaris)" in done.stdout
    assert "seed-001" in done.stdout and "seed-003" in done.stdout
    rows = run_named(open_store(), "lesions_in_structure", {"region": "cmr:ConusMedullaris"}).rows
    assert f"({len(rows)} rows)" in done.stdout


def test_query_formats() -> None:
    as_csv = kg(
        "query",
        "lesions_in_level_range",
        "-p",
        "upper=cmr:LevelC4",
        "-p",
        "lower=cmr:LevelT1",
        "-f",
        "csv",
    ).stdout
    rows = list(csv.reader(io.StringIO(as_csv)))
    assert rows[0] == ["caseId", "lesion", "site", "upperLevel", "lowerLevel"]
    assert {r[0] for r in rows[1:]} >= {"seed-000", "seed-003"}
    as_json = json.loads(kg("query", "lesions_in_structure", "-f", "records").stdout)
    assert ("seed-000", "cmr:NerveRootS1") in {(r["caseId"], r["site"]) for r in as_json["rows"]}
    assert "\t" in kg("query", "lesions_in_structure", "-f", "tsv").stdout
    assert kg("query", "lesions_in_structure", "-f", "markdown").stdout.startswith("| caseId |")


def test_query_errors_are_helpful() -> None:
    unknown = kg("query", "lesions_in_structur")
    assert unknown.returncode == 2 and "did you mean lesions_in_structure" in unknown.stderr
    bad_param = kg("query", "lesions_in_structure", "-p", "area=cmr:Brain")
    assert bad_param.returncode == 2
    assert "has no parameter area (its parameters: region)" in bad_param.stderr
    malformed = kg("query", "lesions_in_structure", "-p", "region")
    assert malformed.returncode == 2 and "KEY=VALUE" in malformed.stderr


def test_sparql_from_stdin_and_syntax_error_position(stored: LoadResult) -> None:
    done = kg(
        "sparql",
        "-",
        "-f",
        "csv",
        stdin="SELECT ?id WHERE { ?c cmr:caseId ?id } ORDER BY ?id LIMIT 2",
    )
    assert done.returncode == 0, done.stderr
    first = sorted(str(i) for i in stored.graph().objects(None, CMR.caseId))[:2]
    assert done.stdout.splitlines() == ["id", *first]  # seed-000, seed-000-t01 when pinned
    broken = kg("sparql", "-", stdin="SELECT ?id\nWHERE { ?c cmr:caseId ?id ")
    assert broken.returncode == 2
    assert "<stdin>:2:" in broken.stderr and "SPARQL syntax error" in broken.stderr


def test_case_summary() -> None:
    done = kg("case", "seed-001")
    assert done.returncode == 0
    text = done.stdout
    assert "Patient: 60 years, male" in text
    assert "Primary: small cell lung carcinoma of the lung" in text
    assert "conus medullaris (L1; intradural extramedullary compartment" in text
    assert "route: tertiary drop metastasis route: rejected by" in text
    # along the neuraxis: the brain before the T11 vertebra before the conus
    assert text.index("- brain") < text.index("- T11 vertebra") < text.index("- conus medullaris")
    missing = kg("case", "seed-01")
    assert missing.returncode == 2 and "did you mean" in missing.stderr
