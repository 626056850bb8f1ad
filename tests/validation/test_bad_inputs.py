"""A corpus of realistic curator mistakes: each file in ``tests/bad_inputs/`` holds one, and
``expected.toml`` lists the exact violations the validator reports for it."""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.engine.graphstore import GraphStore
from kg.model.resources import CASES_DIR
from kg.store.cache import CaseFiles, open_store
from kg.store.intake import check_files

ROOT = Path(__file__).resolve().parents[2]
BAD = Path(__file__).resolve().parents[1] / "bad_inputs"
EXPECTED: dict[str, dict[str, object]] = tomllib.loads(
    (BAD / "expected.toml").read_text(encoding="utf-8")
)
FILES = sorted(BAD.glob("*.ttl"))

Violation = tuple[str, int | None, int | None, str]


# messages name other files relative to the working directory ("already used in cases/...")
pytestmark = pytest.mark.usefixtures("in_project_root")


def _expected(name: str) -> Counter[Violation]:
    entries = EXPECTED[name].get("violations", [])
    assert isinstance(entries, list)
    return Counter((v["rule"], v.get("line"), v.get("column"), v["message"]) for v in entries)


def test_every_file_has_an_expectation_and_vice_versa() -> None:
    assert sorted(f.name for f in FILES) == sorted(EXPECTED)
    assert len(FILES) >= 32
    for name, entry in EXPECTED.items():
        assert entry.get("description"), name
        assert entry.get("exit") in (1, 2), name
        assert entry.get("violations"), name


SHIPPED = CaseFiles.discover(CASES_DIR)


@pytest.fixture(scope="module")
def shipped_store() -> GraphStore:
    """The built store of the shipped cases, which ``kg validate FILE`` checks a file against."""
    return open_store(SHIPPED)


@pytest.mark.parametrize("path", FILES, ids=[f.name for f in FILES])
def test_bad_input_is_reported(path: Path, shipped_store: GraphStore) -> None:
    # what `kg validate FILE`, `kg add` and `kg update` run (the engine and checks of a build)
    outcome = check_files(shipped_store, [path], stored_files=SHIPPED.files)  # must not raise
    report = outcome.report

    found = Counter(
        (i.rule, i.line, i.column, i.message) for i in report.issues if i.severity == "violation"
    )
    assert found == _expected(path.name)
    assert not report.conforms
    for issue in report.issues:
        assert issue.file is not None
        assert (ROOT / issue.file).resolve() == path.resolve(), issue
    # What `kg validate` exits with: 2 when a file cannot be parsed, else 1 (not conforming).
    assert (2 if outcome.unreadable else 1) == EXPECTED[path.name]["exit"]


def test_cli_exit_codes_and_output() -> None:
    runner = CliRunner()

    syntax = BAD / "01-unterminated-string.ttl"
    result = runner.invoke(cli, ["validate", str(syntax)])
    assert result.exit_code == 2, result.output
    assert EXPECTED[syntax.name]["exit"] == 2
    assert "the file is valid Turtle" in result.output

    unknown = BAD / "03-misspelt-nerve-root.ttl"
    result = runner.invoke(cli, ["validate", str(unknown)])
    assert result.exit_code == 1, result.output
    assert EXPECTED[unknown.name]["exit"] == 1
    assert "unknown term cmr:NerveRootS9; did you mean" in result.output

    mismatch = BAD / "26-reversed-level-range.ttl"
    result = runner.invoke(cli, ["validate", str(mismatch)])
    assert result.exit_code == 1, result.output
    assert "swap cmr:upperLevel and cmr:lowerLevel" in result.output

    good = ROOT / "cases" / "seed-000-t07.ttl"
    result = runner.invoke(cli, ["validate", str(good)])
    assert result.exit_code == 0, result.output
    assert "the data conforms" in result.output
