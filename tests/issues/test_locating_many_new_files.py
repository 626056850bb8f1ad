"""Regression: `kg validate` of many files searched every new file for every issue.

`kg validate DIR` with 2,000 synthetic cases ran for over ten minutes, nearly all of it placing
the issues on their files: each issue's node was looked for in every file being checked (the
file named by the convention, ``<caseId>.ttl``, came after them all), and the cache of file
texts was smaller than the set of files. Now that file is looked in first.
"""

from __future__ import annotations

from pathlib import Path

from kg.model.ontology import DATA_NS
from kg.validation.checks import FileIndex

N = 400  # more files than the text cache holds


def test_each_issue_is_placed_by_reading_its_own_file(tmp_path: Path) -> None:
    stored = tmp_path / "stored"
    stored.mkdir()
    (stored / "c7.ttl").write_text(f"<{DATA_NS}case/c7> <{DATA_NS}p> 0 .\n", encoding="utf-8")
    new = []
    for i in range(N):
        path = tmp_path / f"c{i}.ttl"
        lesion = f"<{DATA_NS}case/c{i}/lesion-1> <{DATA_NS}p> {i} .\n"
        path.write_text(f"<{DATA_NS}case/c{i}> <{DATA_NS}p> {i} .\n{lesion}", encoding="utf-8")
        new.append(path)
    index = FileIndex([*new, stored / "c7.ttl"], new=frozenset(new))
    FileIndex.text.cache_clear()
    for i, path in enumerate(new):
        assert index.file_of(f"{DATA_NS}case/c{i}/lesion-1") is path
    assert FileIndex.text.cache_info().misses == N  # each file read once, not N times
    # a file being checked still shadows the stored one it corrects
    assert index.file_of(f"{DATA_NS}case/c7") == tmp_path / "c7.ttl"
