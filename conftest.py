"""Test-session settings shared by tests/ and the doctests in kg/."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

#: The frozen fixture cohort (tests/fixtures/cohort/README.md), which totals are pinned on.
COHORT = Path(__file__).resolve().parent / "tests" / "fixtures" / "cohort"
PACKAGE = Path(__file__).resolve().parent / "kg"


def pytest_configure() -> None:
    """Keep the built-graph cache of a test run out of the user's cache folder."""
    os.environ.setdefault("CMR_KG_CACHE", tempfile.mkdtemp(prefix="cmr-kg-test-cache-"))


def _load_the_frozen_cohort(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``kg.load()`` (no folder given) load the frozen fixture cohort, for one test.

    Examples written as a session (the README's, the docstrings' in kg/) print whole answers of
    the cohort as it was when they were written: the number of cases, every case with a conus
    lesion. ``kg.load`` reads its default folder from nowhere but the package, so it is pointed
    at the frozen cohort here, and curating a new case does not change those answers.
    """
    import kg

    shipped_load = kg.load

    def load(cases: Path = COHORT, **options: bool) -> kg.KnowledgeGraph:
        return shipped_load(cases, **options)

    monkeypatch.setattr(kg, "load", load)


@pytest.fixture
def load_reads_the_frozen_cohort(monkeypatch: pytest.MonkeyPatch) -> None:
    """``kg.load()`` loads the frozen fixture cohort in this test (the README's session)."""
    _load_the_frozen_cohort(monkeypatch)


@pytest.fixture(autouse=True)
def _doctests_in_kg_read_the_frozen_cohort(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The doctests in kg/ run on the frozen fixture cohort (:func:`_load_the_frozen_cohort`)."""
    if type(request.node).__name__ == "DoctestItem" and request.node.path.is_relative_to(PACKAGE):
        _load_the_frozen_cohort(monkeypatch)
