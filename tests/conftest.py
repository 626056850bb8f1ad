"""Shared fixtures: the shipped ontology, the shipped cases, and one full build."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from kg.build import BuildResult, build
from kg.loader import LoadResult, case_files, load_files
from kg.ontology import load_ontology
from kg.resources import CASES_DIR

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def ontology() -> Graph:
    """A fresh parse of the shipped ontology (tests may not modify it)."""
    return load_ontology()


@pytest.fixture(scope="session")
def stored() -> LoadResult:
    """The shipped case files, parsed."""
    return load_files(case_files(CASES_DIR))


@pytest.fixture(scope="session")
def built() -> BuildResult:
    """The main job on the shipped data, with HermiT (about 20 s, shared by all tests)."""
    return build(reason=True, progress=False)
