"""Regression: ``case.route_assertions`` gave the authors' assertions only (issue 17).

The candidate routes the graph's rules infer were reachable from each lesion but not from the
case; seed-001's inferred drop metastasis route of its conus lesion was missing.
"""

from __future__ import annotations

import kg


def test_the_case_lists_the_inferred_routes_of_its_lesions(
    cohort_graph: kg.KnowledgeGraph,
) -> None:
    case = cohort_graph.case("seed-001")
    inferred = [
        (a.lesion.iri.rsplit("/", 1)[-1], a.route.id) for a in case.route_assertions if a.inferred
    ]
    assert ("lesion-idem-conus", "cmr:DropMetastasisRoute") in inferred
    assert case.authors_assertions and not any(a.inferred for a in case.authors_assertions)
