"""The command line, run as a user runs it: through the installed ``kg`` entry point."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import shutil
import struct
import subprocess
import termios
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.model.resources import CASES_DIR, ONTOLOGY_FILE
from tests.conftest import COHORT, REPO


def kg(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("kg")
    assert exe is not None, "the kg entry point is not installed (uv sync)"
    return subprocess.run([exe, *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def test_main_job_builds_validates_and_summarises(tmp_path: Path) -> None:
    # The totals are those of the frozen fixture cohort, given as PATHS. A copy: `kg build`
    # replaces the cached store of its cases, and the session's cohort_graph reads that one.
    cohort = tmp_path / "cohort"
    shutil.copytree(COHORT, cohort)
    out = tmp_path / "graph.nt"
    done = kg("build", "--quiet", "-o", str(out), "-f", "nt", str(cohort))
    assert done.returncode == 0, done.stderr
    assert "cases: 21" in done.stdout
    assert "consistent: True" in done.stdout
    assert "nerve root metastasis: 19" in done.stdout
    assert "The data conforms." in done.stdout
    assert out.stat().st_size > 100_000
    assert "build" not in done.stderr  # --quiet: no progress bar
    # and as the README's quick start runs it: the shipped cases, whichever they are
    shipped = kg("build", "--quiet")
    assert shipped.returncode == 0, shipped.stderr
    assert "consistent: True" in shipped.stdout and "The data conforms." in shipped.stdout


def on_terminal(*args: str, **env: str) -> bytes:
    """What ``kg ARGS`` writes to standard error when it is a terminal (a pseudo-terminal)."""
    exe = shutil.which("kg")
    assert exe is not None
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    with subprocess.Popen(
        [exe, *args], cwd=REPO, stdout=subprocess.PIPE, stderr=follower, env=os.environ | env
    ) as process:
        os.close(follower)
        seen = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closed: the command ended
                break
            if not chunk:
                break
            seen += chunk
        process.wait(timeout=600)
    os.close(leader)
    assert process.returncode == 0
    return seen


def test_build_shows_a_labelled_progress_bar_on_a_terminal_only() -> None:
    seen = on_terminal("build", "--no-reason")
    assert b"build: parse" in seen and b"build: validate" in seen
    assert b"build:" not in on_terminal("build", "--no-reason", "--quiet")
    assert b"build:" not in on_terminal("build", "--no-reason", TQDM_DISABLE="1")
    piped = kg("build", "--no-reason")  # not a terminal: no bar in a log or a pipe
    assert piped.returncode == 0 and "build:" not in piped.stderr


def test_validate_json_report() -> None:
    # seed-003 has one warning (an interval with no end event), checked with the stored data
    done = kg("validate", "cases/seed-003.ttl", "-f", "json", "--level", "warning")
    assert done.returncode == 0
    report = json.loads(done.stdout)
    assert report["conforms"] is True
    assert report["counts"]["violation"] == 0
    assert [i["rule"] for i in report["issues"]] == ["an interval has an end event"]
    assert report["issues"][0]["line"] > 0


def test_validate_turtle_report_is_a_shacl_report() -> None:
    done = kg("validate", "cases/seed-004.ttl", "-f", "turtle")
    assert done.returncode == 0
    assert "sh:ValidationReport" in done.stdout


def test_usage_error_exits_2() -> None:
    done = kg("validate", "no/such/file.ttl")
    assert done.returncode == 2
    assert "no/such/file.ttl" in done.stderr


def test_fmt_check_and_rewrite(tmp_path: Path) -> None:
    case = tmp_path / "seed-000-t07.ttl"
    text = (CASES_DIR / "seed-000-t07.ttl").read_text(encoding="utf-8")
    lines = text.splitlines()
    body = [i for i, line in enumerate(lines) if line and not line.startswith("@")]
    # move the first statement to the end: same graph, not canonical
    first_end = next(i for i in body if lines[i].endswith(" ."))
    shuffled = lines[: body[0]] + lines[first_end + 2 :] + [""] + lines[body[0] : first_end + 1]
    case.write_text("\n".join(shuffled) + "\n", encoding="utf-8")
    assert kg("fmt", "--check", str(case)).returncode == 1
    assert kg("fmt", str(case)).returncode == 0
    assert case.read_text(encoding="utf-8") == text
    assert kg("fmt", "--check", str(case)).returncode == 0


def test_terms_lookup() -> None:
    done = kg("terms", "neurinoma")
    assert done.returncode == 0
    assert "cmr:Schwannoma" in done.stdout
    assert kg("terms", "no-such-thing-at-all").returncode == 1


def test_quality_report_and_reasoner_commands() -> None:
    done = kg("report")
    assert done.returncode == 0, done.stdout
    assert "Violations: " in done.stdout and "ERROR:      0" in done.stdout
    done = kg("reason")
    assert done.returncode == 0
    assert "consistent: True" in done.stdout
    assert "unsatisfiable classes: 0" in done.stdout


def test_report_on_a_broken_ontology_exits_1(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        ONTOLOGY_FILE.read_text(encoding="utf-8").replace('rdfs:label "cauda equina"@en ;', "", 1),
        encoding="utf-8",
    )
    done = kg("report", "--ontology", str(broken))
    assert done.returncode == 1
    assert "missing_label" in done.stdout and "CaudaEquina" in done.stdout


def test_report_tsv_fail_on_and_summary(tmp_path: Path) -> None:
    broken = str(REPO / "tests" / "fixtures" / "quality" / "broken.ttl")
    out = tmp_path / "report.tsv"
    done = kg("report", "--ontology", broken, "--no-reason", "-f", "tsv", "-o", str(out))
    assert done.returncode == 1
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "Level\tRule Name\tSubject\tProperty\tValue"
    assert "WARN\tduplicate_label_synonym\tcmr:LabelHolder\toboInOwl:hasExactSynonym\theld" in lines
    assert done.stderr.startswith(f"Violations: {len(lines) - 1}\n")
    assert kg("report", "--ontology", broken, "--no-reason", "--fail-on", "none").returncode == 0
    clean = str(REPO / "tests" / "fixtures" / "quality" / "clean.ttl")
    assert kg("report", "--ontology", clean, "--fail-on", "INFO").returncode == 0


def test_namespace_is_up_to_date() -> None:
    assert kg("dev", "namespace", "--check").returncode == 0


@pytest.mark.parametrize(
    "command", ["build", "validate", "add", "fmt", "terms", "report", "reason"]
)
def test_every_command_has_help(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_turtle_report_keeps_the_loader_issues(tmp_path: Path) -> None:
    # Regression: with -f turtle, an unknown term vanished from the report once SHACL had run.
    bad = tmp_path / "seed-904.ttl"
    text = (CASES_DIR / "seed-004.ttl").read_text(encoding="utf-8").replace("seed-004", "seed-904")
    bad.write_text(text.replace("cmr:SciaticNerve ;", "cmr:SciaticNerv ;", 1), encoding="utf-8")
    done = kg("validate", str(bad), "-f", "turtle")
    assert done.returncode == 1
    assert "# violation:" in done.stdout and "unknown term cmr:SciaticNerv" in done.stdout
    assert "sh:ValidationReport" in done.stdout


def test_report_on_an_inconsistent_ontology_falls_back_to_the_asserted_hierarchy(
    tmp_path: Path,
) -> None:
    clean = REPO / "tests" / "fixtures" / "quality" / "clean.ttl"
    inconsistent = tmp_path / "inconsistent.ttl"
    inconsistent.write_text(
        clean.read_text(encoding="utf-8") + "\ncmr:Top owl:disjointWith cmr:Top .\n",
        encoding="utf-8",
    )
    done = kg("report", "--ontology", str(inconsistent))
    assert "superclasses are read from the asserted hierarchy" in done.stderr
    assert done.returncode == 0, done.stdout
    assert "Violations: 0" in done.stdout
