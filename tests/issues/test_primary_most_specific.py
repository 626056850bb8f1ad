"""A primary typed with a class and one of its indirect ancestors is named by the class.

``Case.primary`` compared direct ``rdfs:subClassOf`` edges only. Once the quality report removed
redundant asserted parents, small cell lung carcinoma reaches lung neoplasm only through lung
neuroendocrine carcinoma and lung carcinoma, so a primary typed with both depended on the order
of its types.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import kg
from tests.conftest import CASES_DIR


def test_the_most_specific_class_names_the_primary(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    text = (CASES_DIR / "seed-001.ttl").read_text(encoding="utf-8")
    typed = ":primary a cmr:PrimaryNeoplasm,\n        cmr:SmallCellLungCarcinoma ;"
    assert typed in text
    both = ":primary a cmr:LungNeoplasm,\n        cmr:PrimaryNeoplasm,\n        cmr:SmallCellLungCarcinoma ;"
    (cases / "seed-001.ttl").write_text(text.replace(typed, both), encoding="utf-8")
    shutil.copytree(CASES_DIR / "sources", cases / "sources")
    graph = kg.load(cases, reason=False, cache=False)
    assert graph.case("seed-001").primary.curie == "cmr:SmallCellLungCarcinoma"
