"""The OWL API (the library Protégé is built on) parses the ontology cleanly and stably."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from kg.model.resources import ONTOLOGY_FILE

JAVA_DIR = Path(__file__).resolve().parents[1] / "java"
OWLAPI_JAR = Path("/usr/share/java/owlapi-distribution.jar")

pytestmark = pytest.mark.java


@pytest.fixture(scope="module")
def checker(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    if shutil.which("javac") is None or not OWLAPI_JAR.exists():
        pytest.skip("needs javac and Debian's libowlapi-java (installed by .ci/run)")
    out = tmp_path_factory.mktemp("owlapi")
    classpath = "/usr/share/java/*"
    subprocess.run(
        ["javac", "-cp", classpath, "-d", str(out), str(JAVA_DIR / "OwlApiCheck.java")], check=True
    )
    return ["java", "-cp", f"{classpath}:{out}", "OwlApiCheck"]


def run(checker: list[str], path: Path) -> dict[str, str]:
    done = subprocess.run([*checker, str(path)], capture_output=True, text=True, check=True)
    pairs = [line.split("=", 1) for line in done.stdout.splitlines() if "=" in line]
    result = {k: v for k, v in pairs}
    result["_stdout"] = done.stdout
    return result


def test_owlapi_parses_without_unparsed_triples_or_dl_violations(checker: list[str]) -> None:
    result = run(checker, ONTOLOGY_FILE)
    assert result["format"] == "Turtle"
    assert result["unparsed_triples"] == "0", result["_stdout"]
    assert result["dl_violations"] == "0", result["_stdout"]
    assert int(result["logical_axioms"]) > 1000


def test_owlapi_axiom_count_is_stable(checker: list[str]) -> None:
    first, second = run(checker, ONTOLOGY_FILE), run(checker, ONTOLOGY_FILE)
    assert first["logical_axioms"] == second["logical_axioms"]
    assert first["axioms"] == second["axioms"]


def test_owlapi_reports_a_non_dl_construct(checker: list[str], tmp_path: Path) -> None:
    # The checker must be able to fail: an xsd:gYear range is outside the OWL 2 datatype map.
    text = ONTOLOGY_FILE.read_text(encoding="utf-8").replace(
        "rdfs:range xsd:integer", "rdfs:range xsd:gYear", 1
    )
    bad = tmp_path / "bad.ttl"
    bad.write_text(text, encoding="utf-8")
    assert run(checker, bad)["dl_violations"] != "0"
