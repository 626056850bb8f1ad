"""A published store is never changed in place: a write works on a checkpoint, and a store a
reader holds (``kg serve``) stays, whole and readable, until the reader lets it go.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox

from kg.model.resources import CASES_DIR
from kg.store.cache import CaseFiles, hold_store, open_store, published_store, release_store
from kg.store.cases import CaseStore

COUNT = "SELECT (COUNT(?c) AS ?n) WHERE { ?c a <https://w3id.org/cmr/Case> }"


def cases_in(store: ox.Store) -> int:
    solutions = store.query(COUNT)
    assert isinstance(solutions, ox.QuerySolutions)
    (row,) = list(solutions)
    value = row["n"]
    assert isinstance(value, ox.Literal)
    return int(value.value)


def test_a_held_store_outlives_the_writes_and_goes_when_let_go(tmp_path: Path) -> None:
    folder = tmp_path / "cases"
    shutil.copytree(CASES_DIR, folder)
    open_store(CaseFiles.discover(folder))
    first = published_store(CaseFiles.discover(folder))
    assert hold_store(first)
    reader = ox.Store.read_only(str(first))
    before = cases_in(reader)
    files_before = sorted(p.name for p in first.iterdir())

    draft = tmp_path / "draft.ttl"
    text = (CASES_DIR / "seed-001.ttl").read_text(encoding="utf-8")
    draft.write_text(text.replace("seed-001", "seed-991"), encoding="utf-8")
    assert CaseStore(folder).add(draft).accepted
    second = published_store(CaseFiles.discover(folder))
    assert second != first and (second / "build-complete").is_file()

    # the held store is as it was, still answering from the state before the add
    assert sorted(p.name for p in first.iterdir()) == [*files_before, "superseded"]
    assert cases_in(reader) == before
    assert cases_in(ox.Store.read_only(str(second))) == before + 1

    # an unheld store that is published over goes at once
    CaseStore(folder).remove("seed-991")
    assert not second.exists()

    del reader
    release_store(first)
    assert not first.exists()


def test_hold_refuses_a_store_that_is_not_built(tmp_path: Path) -> None:
    assert not hold_store(tmp_path / "store-none")
