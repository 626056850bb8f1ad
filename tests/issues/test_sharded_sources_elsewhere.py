"""A sharded build whose publications are not in a ``sources`` folder.

Shards then do not share the publication files: a case in one shard cites a publication that
another shard holds. That is not a reference into another case (the loader and a single build
accept it), so the sharded build must not report one either.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from kg.model.resources import CASES_DIR
from kg.store.pipeline import build_store
from kg.validation.loader import case_files


def test_publications_outside_sources_are_not_cross_case_references(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    shutil.copytree(CASES_DIR, cases)
    (cases / "sources").rename(cases / "publications")
    files = case_files(cases)
    single = build_store(files, progress=False, reason=False)
    sharded = build_store(files, progress=False, reason=False, shard=4)
    assert single.conforms
    assert sharded.report.issues == single.report.issues
    assert sharded.conforms
