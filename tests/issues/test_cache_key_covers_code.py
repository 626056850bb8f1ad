"""Regression: the built-graph cache was keyed by the data and the package version only, so in a
source checkout (where the version never changes) an edit to the code that builds the graph
served a stale graph. The key now covers the package's own code."""

from __future__ import annotations

import shutil
from pathlib import Path

import kg
from kg.store.cache import source_fingerprint


def test_editing_the_code_changes_the_cache_key(tmp_path: Path) -> None:
    code = tmp_path / "kg"
    shutil.copytree(Path(kg.__file__).parent, code)
    before = source_fingerprint(code=code)
    assert before == source_fingerprint(code=code)
    build = code / "store" / "build.py"
    build.write_text(build.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert source_fingerprint(code=code) != before
