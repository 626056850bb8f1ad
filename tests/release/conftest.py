"""One release of the shipped ontology, written once for the release tests."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from kg.release.build import Release, write_release

DATE = datetime.date(2026, 12, 5)


@pytest.fixture(scope="session")
def release(tmp_path_factory: pytest.TempPathFactory) -> Release:
    """The release of the shipped ontology dated 2026-12-05."""
    return write_release(tmp_path_factory.mktemp("release"), DATE)


@pytest.fixture(scope="session")
def out(release: Release) -> Path:
    """The folder the release was written to."""
    return release.files[0].parent
