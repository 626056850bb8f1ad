"""A seeded sample of the intake fuzz harness (bench/fuzz.py), run in process in the suite.

Mutants of the frozen cohort, its sources and the bad inputs (:mod:`kg.synth.mutate`) go
through ``kg add`` (every one) and ``kg validate`` (every fourth), in a workspace and a cache of
this module's own. Whatever the input, the verdict is an exit code 0, 1 or 2 and a message: no
exception but a ``KGError`` (which ``kg`` prints as one line, exit 2) escapes the command, no
traceback is printed. The full run (thousands of mutants, in child processes, with hangs timed
out) is ``uv run python bench/fuzz.py``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.model.errors import KGError
from kg.synth.mutate import Mutant, context_of, mutants, read_texts
from tests.conftest import COHORT, REPO

SEED = 0
FOLDERS = (COHORT, COHORT / "sources", REPO / "tests" / "bad_inputs")
SAMPLE = list(
    mutants(
        read_texts(*FOLDERS), 60, SEED, context=context_of(read_texts(*FOLDERS, new_cases=False))
    )
)
CASES = [("add", m) for m in SAMPLE] + [("validate", m) for m in SAMPLE[::4]]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A workspace holding the frozen cohort, with a build cache of its own."""
    root = tmp_path_factory.mktemp("fuzz")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CMR_KG_CACHE", str(root / "cache"))
        patch.delenv("CMR_KG_WORKSPACE", raising=False)
        made = CliRunner().invoke(cli, ["init", str(root / "ws")])
        assert made.exit_code == 0, made.output
        shutil.copytree(COHORT, root / "ws" / "cases", dirs_exist_ok=True)
        yield root / "ws"


@pytest.mark.parametrize(
    ("command", "item"), CASES, ids=[f"{c}-{m.name.removesuffix('.ttl')}" for c, m in CASES]
)
def test_a_mutant_gets_a_clean_verdict(
    workspace: Path, tmp_path: Path, command: str, item: Mutant
) -> None:
    path = tmp_path / item.name
    path.write_text(item.text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--workspace", str(workspace), command, str(path)])
    # kg.cli.main, the entry point, prints a KGError as one line and exits 2: a clean verdict.
    said = result.output
    if isinstance(result.exception, KGError):
        said += f"kg: {result.exception}\n"
    clean = (SystemExit, KGError)
    escaped = None if isinstance(result.exception, clean) else result.exception
    assert escaped is None, f"{item.operator} of {item.source}: {escaped!r}"
    assert result.exit_code in {0, 1, 2}, said
    assert "Traceback" not in said
    assert said.strip(), "a verdict says something"
