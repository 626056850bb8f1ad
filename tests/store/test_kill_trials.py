"""Kill trials in the suite: each operation SIGKILLed once at a seeded random moment (issue 13).

Real ``kg`` processes, really killed (see ``kill_trial.py``; ``bench/kill_trials.py`` runs fifty,
``kg build`` after touching a file among them, and tabulates them). About 10 s a trial; the
build here is ``kg build`` with nothing changed, which replaces the cached store.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from kg.model.resources import cache_dir
from tests.store.kill_trial import prime_cache, run_trial

SUITE = ("add", "update", "remove", "rebuild")


@pytest.fixture(scope="module")
def primed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache with the ontology's classification (the session's, when it has one)."""
    folder = tmp_path_factory.mktemp("primed")
    for tbox in cache_dir().glob("tbox-*.json"):
        shutil.copy2(tbox, folder / tbox.name)
    return prime_cache(folder)


@pytest.mark.parametrize(("seed", "operation"), list(enumerate(SUITE, start=7100)))
def test_a_killed_operation_leaves_the_workspace_before_or_after(
    seed: int, operation: str, primed: Path, tmp_path: Path
) -> None:
    outcome = run_trial(seed, tmp_path / "trial", operation=operation, primed=primed)
    assert outcome.passed, outcome
    assert outcome.state in {"before", "after"}
    assert os.environ.get("CMR_KG_CACHE") != str(primed)  # the trials never touch the suite's cache
