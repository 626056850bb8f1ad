"""A case's life in a workspace: add, update, remove, each kept current incrementally (issue 13).

Each step carries the cached store forward instead of rebuilding; the result must be the graph
a full rebuild of the same files gives (compared up to blank-node names).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib.compare import isomorphic

from kg.model.resources import CASES_DIR
from kg.store.cache import CaseFiles, open_store
from kg.store.cases import CaseStore, CaseStoreError
from kg.store.pipeline import build_store

SEED = CASES_DIR / "seed-001.ttl"


def new_case(folder: Path, case_id: str, *, age: str = "60") -> Path:
    text = SEED.read_text(encoding="utf-8").replace("seed-001", case_id)
    path = folder / f"{case_id}-draft.ttl"
    path.write_text(text.replace("cmr:numericValue 60", f"cmr:numericValue {age}"))
    return path


def assert_same_as_a_full_rebuild(cases: Path) -> None:
    files = CaseFiles.discover(cases)
    kept = open_store(files)
    assert kept.path is not None
    assert (kept.path / "build-complete").read_text() == kept.path.name  # carried, not rebuilt
    rebuilt = build_store(list(files.files), progress=False).store
    assert len(kept) == len(rebuilt)
    assert isomorphic(kept.to_rdflib(), rebuilt.to_rdflib())


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> tuple[CaseStore, Path]:
    root = tmp_path_factory.mktemp("lifecycle")
    shutil.copytree(CASES_DIR, root / "cases")
    open_store(CaseFiles.discover(root / "cases"))  # the cached build each step carries forward
    return CaseStore(root / "cases"), root


def test_1_add_keeps_the_store_as_a_rebuild_would(workspace: tuple[CaseStore, Path]) -> None:
    store, root = workspace
    result = store.add(new_case(root, "seed-970"))
    assert result.accepted and result.stored_as == root / "cases" / "seed-970.ttl"
    assert_same_as_a_full_rebuild(root / "cases")


def test_2_adding_a_stored_case_again_points_to_update(workspace: tuple[CaseStore, Path]) -> None:
    store, root = workspace
    draft = new_case(root, "seed-970", age="61")
    result = store.add(draft)
    assert not result.accepted
    (issue,) = result.report.issues
    assert issue.file == str(draft)
    assert "is stored already, in" in issue.message and f"kg update {draft}" in issue.message


def test_3_update_replaces_the_case_as_a_rebuild_would(workspace: tuple[CaseStore, Path]) -> None:
    store, root = workspace
    result = store.update(new_case(root, "seed-970", age="61"))
    assert result.accepted, result.report.issues
    assert "cmr:numericValue 61" in (root / "cases" / "seed-970.ttl").read_text()
    assert_same_as_a_full_rebuild(root / "cases")


def test_4_update_refuses_an_unknown_case(workspace: tuple[CaseStore, Path]) -> None:
    store, root = workspace
    result = store.update(new_case(root, "seed-971"))
    assert not result.accepted
    assert "no stored case 'seed-971'" in result.report.issues[0].message
    assert not (root / "cases" / "seed-971.ttl").exists()


def test_5_a_non_conforming_update_changes_nothing(workspace: tuple[CaseStore, Path]) -> None:
    store, root = workspace
    before = (root / "cases" / "seed-970.ttl").read_bytes()
    result = store.update(new_case(root, "seed-970", age="300"))
    assert not result.accepted
    assert (root / "cases" / "seed-970.ttl").read_bytes() == before
    assert_same_as_a_full_rebuild(root / "cases")


def test_6_remove_takes_the_case_out_as_a_rebuild_would(workspace: tuple[CaseStore, Path]) -> None:
    store, root = workspace
    assert store.remove("seed-970") == root / "cases" / "seed-970.ttl"
    assert not (root / "cases" / "seed-970.ttl").exists()
    assert_same_as_a_full_rebuild(root / "cases")
    with pytest.raises(CaseStoreError, match=r"no stored case 'seed-970'.*nothing was removed"):
        store.remove("seed-970")
