"""Issue 13's reproductions: what a file may hold, and one verdict from validate, add and build.

Each file below was accepted (or crashed a command) before. Each is now refused, naming its
subject and the fix, by ``kg validate FILE``, ``kg add FILE`` and ``kg build`` alike, with the
same exit code and the same rule; nothing is stored.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.model.resources import CASES_DIR

SEED1 = (CASES_DIR / "seed-001.ttl").read_text(encoding="utf-8")
SEED2 = (CASES_DIR / "seed-002.ttl").read_text(encoding="utf-8")
HEAD = (
    "@prefix cmr: <https://w3id.org/cmr/> .\n"
    "@prefix case: <https://w3id.org/cmr/data/case/> .\n"
    "@prefix pub: <https://w3id.org/cmr/data/publication/> .\n"
    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ws") / "ws"
    done = CliRunner().invoke(cli, ["init", str(root), "--from-shipped"])
    assert done.exit_code == 0, done.output
    return root


def verdicts(
    workspace: Path, tmp_path: Path, name: str, text: str
) -> dict[str, tuple[int, set[str]]]:
    """Exit code and violated rules of `kg validate`, `kg add` and `kg build` for one file."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    runner = CliRunner()
    before = sorted(p.name for p in (workspace / "cases").rglob("*"))
    out: dict[str, tuple[int, set[str]]] = {}
    done = runner.invoke(cli, ["-w", str(workspace), "validate", "-f", "json", str(path)])
    rules = {i["rule"] for i in json.loads(done.stdout)["issues"] if i["severity"] == "violation"}
    out["validate"] = (done.exit_code, rules)
    done = runner.invoke(cli, ["-w", str(workspace), "add", str(path)])
    out["add"] = (done.exit_code, {r for r in rules if r in done.output})
    assert sorted(p.name for p in (workspace / "cases").rglob("*")) == before  # nothing stored
    cohort = tmp_path / "cohort"
    shutil.copytree(workspace / "cases", cohort)
    shutil.copy(path, cohort / name)
    done = runner.invoke(cli, ["build", "--quiet", str(cohort)])
    out["build"] = (done.exit_code, {r for r in rules if r in done.output})
    assert not done.exception or isinstance(done.exception, SystemExit), done.output
    return out


def assert_refused(found: dict[str, tuple[int, set[str]]], rule: str, code: int = 1) -> None:
    assert found["validate"][0] == code, found
    assert rule in found["validate"][1], found
    assert found["add"] == found["validate"], found
    assert found["build"] == found["validate"], found


RULE = "a file holds one case or one publication, and only its own nodes"


def test_a_lone_triple_moving_a_stored_lesion_is_refused(workspace: Path, tmp_path: Path) -> None:
    text = (
        HEAD
        + "<https://w3id.org/cmr/data/case/seed-001/lesion-conus> cmr:hasSite cmr:NerveRootS1 .\n"
    )
    assert_refused(verdicts(workspace, tmp_path, "move.ttl", text), RULE)


def test_a_file_without_a_case_about_a_stored_patient_is_refused(
    workspace: Path, tmp_path: Path
) -> None:
    text = HEAD + "<https://w3id.org/cmr/data/case/seed-001/patient> cmr:sex cmr:Male .\n"
    found = verdicts(workspace, tmp_path, "patient.ttl", text)
    assert_refused(found, RULE)


def test_a_copy_with_only_its_case_id_changed_is_refused(workspace: Path, tmp_path: Path) -> None:
    text = SEED2.replace('cmr:caseId "seed-002"', 'cmr:caseId "seed-902"')
    assert text != SEED2
    found = verdicts(workspace, tmp_path, "copy.ttl", text)
    assert_refused(found, RULE)


def test_a_case_prefix_one_character_off_gets_did_you_mean(workspace: Path, tmp_path: Path) -> None:
    text = SEED1.replace("seed-001", "seed-901").replace(
        "@prefix cmr: <https://w3id.org/cmr/>", "@prefix cmr: <https://w3id.org/cmrr/>"
    )
    found = verdicts(workspace, tmp_path, "typo.ttl", text)
    assert_refused(found, "namespaces are the ontology's and the data's own")
    done = CliRunner().invoke(cli, ["-w", str(workspace), "validate", str(tmp_path / "typo.ttl")])
    assert "did you mean <https://w3id.org/cmr/>?" in done.output


def test_statements_about_ontology_terms_are_refused(workspace: Path, tmp_path: Path) -> None:
    text = SEED1.replace("seed-001", "seed-903") + '\ncmr:NerveRootS1 rdfs:label "S2" .\n'
    text = text.replace(
        "@prefix case:", "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n@prefix case:", 1
    )
    found = verdicts(workspace, tmp_path, "term.ttl", text)
    assert_refused(found, RULE)


def test_statements_about_a_publication_defined_elsewhere_are_refused(
    workspace: Path, tmp_path: Path
) -> None:
    text = SEED1.replace("seed-001", "seed-904") + '\npub:r001 cmr:title "Another title" .\n'
    found = verdicts(workspace, tmp_path, "pub.ttl", text)
    assert_refused(found, RULE)


def test_two_cases_in_one_file_are_refused(workspace: Path, tmp_path: Path) -> None:
    second = SEED2.replace("seed-002", "seed-906")
    body = "\n".join(line for line in second.splitlines() if not line.startswith("@prefix"))
    text = SEED1.replace("seed-001", "seed-905") + "\n" + body.replace(":", ":", 1)
    found = verdicts(workspace, tmp_path, "two.ttl", text.replace("\n:", "\ncase:seed-906/"))
    assert found["validate"][0] in (1, 2)
    assert found["add"][0] == found["validate"][0] == found["build"][0]


def test_a_second_copy_of_a_stored_case_is_refused_by_every_command(
    workspace: Path, tmp_path: Path
) -> None:
    found = verdicts(workspace, tmp_path, "seed-001-copy.ttl", SEED1)
    rule = "a file holds one case or one publication, and only its own nodes"
    assert_refused(found, rule)


def test_a_case_id_ending_in_a_newline_is_refused_alike(workspace: Path, tmp_path: Path) -> None:
    text = SEED1.replace("seed-001", "seed-907").replace('"seed-907" ;', '"seed-907\\n" ;', 1)
    assert '"seed-907\\n"' in text
    found = verdicts(workspace, tmp_path, "newline.ttl", text)
    assert found["validate"][0] == 1
    assert found["add"] == found["validate"] == found["build"], found


@pytest.mark.parametrize(
    "iri",
    ["https://w3id.org/cmr/a b", "https://w3id.org/cmr/%ZZ", "https://w3id.org/cmr/a\u000bb"],
)
def test_iris_no_store_can_hold_are_syntax_errors_everywhere(
    workspace: Path, tmp_path: Path, iri: str
) -> None:
    text = SEED1.replace("seed-001", "seed-908").replace(
        "cmr:hasLesion", f"<{iri}> 1 ; cmr:hasLesion", 1
    )
    found = verdicts(workspace, tmp_path, "iri.ttl", text)
    assert found["validate"] == (2, {"the file is valid Turtle"}), found
    assert found["add"] == found["validate"] == found["build"], found


def test_a_corrected_stored_file_validates_as_its_own_correction(workspace: Path) -> None:
    stored = workspace / "cases" / "seed-001.ttl"
    done = CliRunner().invoke(cli, ["-w", str(workspace), "validate", str(stored)])
    assert done.exit_code == 0, done.output


@pytest.mark.parametrize("fmt", ["text", "json", "turtle"])
def test_every_report_format_gives_the_syntax_error_of_a_bad_iri(
    workspace: Path, tmp_path: Path, fmt: str
) -> None:
    # `kg validate -f turtle` could not serialise an IRI with a space (a traceback)
    path = tmp_path / "space.ttl"
    path.write_text(
        SEED1.replace("seed-001", "seed-909").replace(
            "cmr:hasLesion", "<https://w3id.org/cmr/a b> 1 ; cmr:hasLesion", 1
        ),
        encoding="utf-8",
    )
    done = CliRunner().invoke(cli, ["-w", str(workspace), "validate", "-f", fmt, str(path)])
    assert done.exit_code == 2, done.output
    assert "Invalid IRI code point" in done.output and "Traceback" not in done.output
