"""``kg add``: a conforming case is stored; a rejected or interrupted add changes nothing."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.model.resources import CASES_DIR
from kg.store.cases import CaseStore


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture()
def store(tmp_path: Path) -> Path:
    """A copy of the shipped cases without seed-004, which the tests add back."""
    folder = tmp_path / "cases"
    shutil.copytree(CASES_DIR, folder)
    (folder / "seed-004.ttl").unlink()
    return folder


def test_conforming_case_is_stored_in_canonical_form(store: Path, tmp_path: Path) -> None:
    incoming = tmp_path / "incoming.ttl"
    incoming.write_text((CASES_DIR / "seed-004.ttl").read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["add", str(incoming), "--into", str(store)])
    assert result.exit_code == 0, result.output
    stored = store / "seed-004.ttl"
    assert stored.read_text(encoding="utf-8") == (CASES_DIR / "seed-004.ttl").read_text(
        encoding="utf-8"
    )
    assert "Stored" in result.output


def test_rejected_case_leaves_the_store_unchanged(store: Path, tmp_path: Path) -> None:
    before = snapshot(store)
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        (CASES_DIR / "seed-004.ttl")
        .read_text(encoding="utf-8")
        .replace("cmr:IntraneuralCompartment", "cmr:IntramedullaryCompartment"),
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["add", str(bad), "--into", str(store)])
    assert result.exit_code == 1
    assert "the compartment can hold the site" in result.output
    assert "nothing was stored" in result.output
    assert snapshot(store) == before


def test_duplicate_case_is_rejected(store: Path) -> None:
    before = snapshot(store)
    result = CliRunner().invoke(cli, ["add", str(CASES_DIR / "seed-001.ttl"), "--into", str(store)])
    assert result.exit_code == 1
    assert "is stored already" in result.output and "kg update" in result.output
    assert snapshot(store) == before


def test_syntax_error_exits_2_and_stores_nothing(store: Path, tmp_path: Path) -> None:
    before = snapshot(store)
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        '@prefix cmr: <https://w3id.org/cmr/> .\ncmr:a cmr:b "open .\n', encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["add", str(bad), "--into", str(store)])
    assert result.exit_code == 2
    assert snapshot(store) == before


def test_interrupted_write_leaves_no_partial_file(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(store)

    def interrupted(src: str, dst: str) -> None:
        raise KeyboardInterrupt  # the moment between writing the temporary file and renaming it

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        CaseStore(store).add(CASES_DIR / "seed-004.ttl")
    assert snapshot(store) == before
