"""Regression: a store replaced in the cache, killed half way; a killed build's copy left behind.

Seen before the fix: ``kg build`` with nothing changed replaced the cached store by deleting it
in place (``shutil.rmtree``) and then renaming its new build there; killed while deleting, it
could leave the old store's ``build-complete`` marker over half its files, which the next
command opened as a whole store. And the staging copy of a killed ``kg build`` stayed until the
next build or write: plain reads (``kg query``) did not remove it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kg.model.resources import CASES_DIR
from kg.store.cache import CaseFiles, open_store

#: ``build_cached`` in a process that SIGKILLs itself while it deletes a complete store: every
#: file but the marker gone (the worst order ``shutil.rmtree`` may take).
DIES_WHILE_DELETING = """
import os, shutil, signal, sys
from pathlib import Path
from kg.store.cache import CaseFiles, build_cached

real = shutil.rmtree

def dying(path, *args, **kwargs):
    path = Path(path)
    if not (path / "build-complete").is_file():
        return real(path, *args, **kwargs)
    for entry in path.iterdir():
        if entry.name != "build-complete":
            entry.unlink()
    os.kill(os.getpid(), signal.SIGKILL)

shutil.rmtree = dying
build_cached(CaseFiles.discover(Path(sys.argv[1])), reason=False)
"""


@pytest.fixture
def cases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CMR_KG_CACHE", str(tmp_path / "cache"))
    shutil.copytree(CASES_DIR, tmp_path / "cases")
    return tmp_path / "cases"


def dead_pid() -> int:
    """The id of a process that has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_build_killed_while_replacing_the_cached_store_leaves_a_whole_one(
    cases: Path, tmp_path: Path
) -> None:
    files = CaseFiles.discover(cases)
    triples = len(open_store(files, reason=False))
    run = subprocess.run(
        [sys.executable, "-c", DIES_WHILE_DELETING, str(cases)],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == -signal.SIGKILL, run.stderr
    store = open_store(files, reason=False)
    assert len(store) == triples
    assert store.ask("ASK { ?case a <https://w3id.org/cmr/Case> }")
    assert [p.name for p in (tmp_path / "cache").iterdir() if ".staging-" in p.name] == []


def test_a_read_removes_the_staging_copy_of_a_killed_build(cases: Path, tmp_path: Path) -> None:
    files = CaseFiles.discover(cases)
    open_store(files, reason=False)
    stale = tmp_path / "cache" / f"store-0123.staging-{dead_pid()}"
    stale.mkdir()
    (stale / "000001.sst").write_bytes(b"half a store")
    open_store(files, reason=False)  # from the cache: no build, no write
    assert not stale.exists()
