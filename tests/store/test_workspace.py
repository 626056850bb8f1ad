"""Workspaces: a curator's own cohort, found as git finds its repository (issue 13)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import kg
from kg.model.resources import CASES_DIR
from kg.store.workspace import (
    MARKER,
    Workspace,
    WorkspaceError,
    find_workspace,
    init_workspace,
)
from tests.conftest import REPO

KG = str(Path(sys.executable).parent / "kg")
SEED = CASES_DIR / "seed-001.ttl"


def run(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "CMR_KG_WORKSPACE"} | env
    return subprocess.run(
        [KG, *args], cwd=cwd, capture_output=True, text=True, env=environ, check=False, timeout=600
    )


def new_case(folder: Path, case_id: str) -> Path:
    path = folder / f"{case_id}.ttl"
    path.write_text(SEED.read_text(encoding="utf-8").replace("seed-001", case_id))
    return path


def test_init_makes_the_layout_and_refuses_a_second_time(tmp_path: Path) -> None:
    home = init_workspace(tmp_path / "w")
    assert (home.root / MARKER).is_file() and (home.cases / "sources").is_dir()
    assert ".*.tmp-*" in (home.root / ".gitignore").read_text(encoding="utf-8")
    assert list(home.cases.glob("*.ttl")) == []
    with pytest.raises(WorkspaceError, match="already a kg workspace"):
        init_workspace(tmp_path / "w")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("x")
    with pytest.raises(WorkspaceError, match="not an empty folder"):
        init_workspace(tmp_path / "full")


def test_init_from_the_shipped_cohort_copies_it(tmp_path: Path) -> None:
    home = init_workspace(tmp_path / "w", from_shipped=True)
    shipped = sorted(p.relative_to(CASES_DIR) for p in CASES_DIR.rglob("*.ttl"))
    assert sorted(p.relative_to(home.cases) for p in home.cases.rglob("*.ttl")) == shipped


def test_the_workspace_is_found_from_below_by_option_or_environment(tmp_path: Path) -> None:
    home = init_workspace(tmp_path / "w")
    deep = home.cases / "sources"
    assert find_workspace(start=deep) == home
    assert find_workspace(home.root, start=Path("/")) == home
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CMR_KG_WORKSPACE", str(home.root))
        assert find_workspace(start=Path("/")) == home
    assert find_workspace(start=tmp_path) == Workspace.shipped()
    with pytest.raises(WorkspaceError, match="is not a kg workspace"):
        find_workspace(tmp_path)


def test_the_project_checkout_is_a_workspace_over_its_own_cases() -> None:
    assert find_workspace(start=REPO / "docs").cases == CASES_DIR


def test_a_curator_adds_queries_and_reads_their_own_case(tmp_path: Path) -> None:
    assert run("init", "w", "--from-shipped", cwd=tmp_path).returncode == 0
    home = tmp_path / "w"
    added = run("add", str(new_case(tmp_path, "seed-950")), cwd=home / "cases")
    assert added.returncode == 0, added.stdout + added.stderr
    assert (home / "cases" / "seed-950.ttl").is_file()
    query = run(
        "query", "lesions_in_structure", "-p", "region=cmr:ConusMedullaris", "-f", "csv", cwd=home
    )
    assert "seed-950" in query.stdout
    elsewhere = run("-w", str(home), "case", "seed-950", cwd=tmp_path)
    assert elsewhere.returncode == 0 and "Case seed-950" in elsewhere.stdout
    by_env = run("case", "seed-950", cwd=tmp_path, CMR_KG_WORKSPACE=str(home))
    assert by_env.returncode == 0
    assert "seed-950" in [c.id for c in kg.load(home / "cases").cases]
    # the shipped cohort does not know the curator's case
    assert run("case", "seed-950", cwd=tmp_path).returncode == 2


def test_outside_a_workspace_nothing_is_written(tmp_path: Path) -> None:
    before = sorted(p.name for p in CASES_DIR.rglob("*"))
    result = run("add", str(new_case(tmp_path, "seed-951")), cwd=tmp_path)
    assert result.returncode == 2
    assert "no workspace here: the shipped cohort is read-only" in result.stderr
    assert "kg init DIR" in result.stderr
    assert sorted(p.name for p in CASES_DIR.rglob("*")) == before
