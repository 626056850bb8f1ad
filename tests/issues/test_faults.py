"""Regression: faults around writes (issue 13).

Seen before the fix: two ``kg add`` at once crashed one process with FileNotFoundError after its
file was stored (14 of 22 pairs); every killed ``kg add``/``build`` left a staging copy of the
store that nothing removed; files written by ``kg add`` and ``kg fmt`` were mode 0600 whatever
the umask.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kg.model.files import exclusive_lock, remove_leftovers, write_atomically
from kg.model.resources import CASES_DIR
from kg.store.cases import CaseStore

SEED = CASES_DIR / "seed-001.ttl"
KG = str(Path(sys.executable).parent / "kg")


def new_case(folder: Path, number: int) -> Path:
    """A valid new case: seed-001 moved whole into the namespace of ``seed-<number>``."""
    path = folder / f"new-{number}.ttl"
    path.write_text(SEED.read_text(encoding="utf-8").replace("seed-001", f"seed-{number}"))
    return path


def dead_pid() -> int:
    """The id of a process that has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    shutil.copytree(CASES_DIR, tmp_path / "cases")
    return tmp_path / "cases"


def test_two_writers_at_once_take_turns(cases: Path, tmp_path: Path) -> None:
    files = [new_case(tmp_path, 901), new_case(tmp_path, 902)]
    runs = [
        subprocess.Popen(
            [KG, "add", str(f), "--into", str(cases)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for f in files
    ]
    outputs = [run.communicate(timeout=600) for run in runs]
    for run, (out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, out + err
        assert "Traceback" not in out + err
    assert (cases / "seed-901.ttl").is_file() and (cases / "seed-902.ttl").is_file()
    check = subprocess.run(
        [KG, "validate", "--no-context", str(cases)], capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stdout


def test_a_writer_that_cannot_get_its_turn_says_so_and_changes_nothing(
    cases: Path, tmp_path: Path
) -> None:
    with exclusive_lock(CaseStore(cases).lock_path):
        before = sorted(p.name for p in cases.iterdir())
        result = subprocess.run(
            [KG, "add", str(new_case(tmp_path, 903)), "--into", str(cases)],
            capture_output=True,
            text=True,
            env={**os.environ, "CMR_KG_LOCK_WAIT": "0.5"},
            check=False,
        )
    assert result.returncode == 2
    assert f"kg (pid {os.getpid()}) is writing; nothing was changed" in result.stderr
    assert sorted(p.name for p in cases.iterdir()) == before


def test_leftovers_of_a_killed_writer_are_removed_by_the_next(cases: Path, tmp_path: Path) -> None:
    gone = dead_pid()
    stale_tmp = cases / f".seed-905.ttl.tmp-{gone}.x1y2"
    stale_tmp.write_text("half a case")
    live_tmp = cases / f".seed-906.ttl.tmp-{os.getpid()}.x1y2"
    live_tmp.write_text("being written")
    result = subprocess.run(
        [KG, "add", str(new_case(tmp_path, 904)), "--into", str(cases)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert not stale_tmp.exists()
    assert live_tmp.exists()  # its writer still runs


def test_stale_staging_stores_are_removed(tmp_path: Path) -> None:
    stale = tmp_path / f"store-abc.staging-{dead_pid()}"
    stale.mkdir()
    (stale / "data").write_text("x")
    live = tmp_path / f"store-def.staging-{os.getpid()}"
    live.mkdir()
    assert remove_leftovers(tmp_path) == [stale]
    assert not stale.exists() and live.exists()


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_written_files_follow_the_umask(tmp_path: Path, umask: int, mode: int) -> None:
    previous = os.umask(umask)
    try:
        write_atomically(tmp_path / "case.ttl", "x")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "case.ttl").stat().st_mode) == mode
