"""docs/api.md's examples run as written, on the frozen fixture cohort (issue 17)."""

from __future__ import annotations

import doctest
import re

import kg

from ..conftest import REPO

DOC = REPO / "docs" / "api.md"


def test_api_doc_session(load_reads_the_frozen_cohort: None) -> None:
    result = doctest.testfile(
        str(DOC), module_relative=False, optionflags=doctest.ELLIPSIS | doctest.REPORT_NDIFF
    )
    assert result.attempted >= 15
    assert result.failed == 0


def test_api_doc_names_every_public_member(cohort_graph: kg.KnowledgeGraph) -> None:
    # each property or method of the table exists, and no public member is left out of it
    text = DOC.read_text(encoding="utf-8")
    case = cohort_graph.case("seed-001")
    lesion = case.lesion("lesion-idem-conus")
    term = cohort_graph.term("cmr:SpinalCordStructure")
    site = cohort_graph.site("cmr:ConusMedullaris")
    examples = (cohort_graph, case, lesion, lesion.route_assertions[0], term, site)
    for example in examples:
        name = type(example).__name__
        row = next(line for line in text.splitlines() if line.startswith(f"| `{name}`"))
        named = {n for n in re.findall(r"`(\w+)", row) if n[0].islower()}
        public = {n for n in dir(example) if not n.startswith("_")} - {"kg"}
        if type(example) not in (kg.KnowledgeGraph, kg.Term):
            public -= set(dir(term))  # the Term row names those
        assert public <= named, (name, public - named)
        assert named <= set(dir(example)), (name, named - set(dir(example)))
