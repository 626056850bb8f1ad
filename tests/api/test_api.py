"""The Python API: load, traverse both ways, run queries; facts checked against the reports.

Facts about one seed case are checked on the live ``cases/`` folder (``graph``); whole answers
(every case a site, a primary or a query leads to) on the frozen fixture cohort (``cohort_graph``,
tests/fixtures/cohort/), which curating a new case does not change.
"""

from __future__ import annotations

import pytest

import kg
from kg.model.namespace import CMR
from kg.sparql.catalogue import QueryError
from kg.store.build import BuildResult
from kg.validation.loader import LoadResult


@pytest.fixture(scope="module")
def graph(built: BuildResult) -> kg.KnowledgeGraph:
    return kg.KnowledgeGraph(built.graph)


def test_load_needs_no_arguments(stored: LoadResult) -> None:
    graph = kg.load()  # the shipped cases, whichever they are
    assert {c.id for c in graph.cases} == {str(i) for i in stored.graph().objects(None, CMR.caseId)}


def test_load_takes_a_cases_folder(cohort_graph: kg.KnowledgeGraph) -> None:
    assert len(cohort_graph.cases) == 21


def test_case_to_patient_primary_source(graph: kg.KnowledgeGraph) -> None:
    case = graph.case("seed-003")
    assert case.patient is not None
    assert (case.patient.age, case.patient.sex and case.patient.sex.label) == ("45 years", "female")
    assert case.primary.label == "invasive ductal breast carcinoma"
    assert case.organ is not None and case.organ.label == "breast"
    assert case.outcome is not None and case.outcome.label == "death"
    assert case.source.title == (
        "Two Separate Episodes of Intramedullary Spinal Cord Metastasis in a Single Patient "
        "with Breast Cancer"
    )


def test_lesions_come_in_order_along_the_neuraxis(graph: kg.KnowledgeGraph) -> None:
    labels = [les.site.label for les in graph.case("seed-003").lesions]
    # brain first, then C6 (cervical cord), then the conus (T12-L1), then the chest wall
    assert labels == ["brain", "cervical spinal cord", "conus medullaris", "chest wall"]


def test_lesion_to_site_chain_compartment_and_classes(graph: kg.KnowledgeGraph) -> None:
    lesion = graph.case("seed-003").lesion("lesion-conus")
    assert lesion.compartment is not None
    assert lesion.compartment.curie == "cmr:IntramedullaryCompartment"
    assert [s.label for s in lesion.site.part_of()] == ["spinal cord", "central nervous system"]
    assert lesion.levels is not None
    assert [lv.curie for lv in lesion.levels] == ["cmr:LevelT12", "cmr:LevelL1"]
    assert lesion.size == ["3 centimetres"]  # "maximum diameter of 3 cm"
    assert "intramedullary spinal cord metastasis" in [c.label for c in lesion.classes]
    assert lesion.case.id == "seed-003"
    assert any("T12-L1" in q for q in lesion.quotes)


def test_route_assertions_with_stance_source_and_evidence(graph: kg.KnowledgeGraph) -> None:
    lesion = graph.case("seed-001").lesion("lesion-idem-conus")
    by_route = {(a.route.curie, a.stance.label) for a in lesion.route_assertions}
    assert ("cmr:TertiaryDropMetastasisRoute", "rejected") in by_route
    tertiary = next(
        a for a in lesion.route_assertions if a.route.curie == "cmr:TertiaryDropMetastasisRoute"
    )
    assert [p.curie for p in tertiary.by] == ["pub:r001"]
    assert tertiary.evidence and tertiary.evidence[0].curie.startswith("obo:ECO_")
    assert tertiary.quotes


def test_back_from_a_site_to_its_cases_and_lesions(cohort_graph: kg.KnowledgeGraph) -> None:
    assert [c.id for c in cohort_graph.site("cmr:CaudaEquina").cases] == ["seed-000"]
    lesions = cohort_graph.site("cmr:SciaticNerve").lesions
    assert [les.case.id for les in lesions] == ["seed-004"]


def test_back_from_a_route_to_its_assertions(graph: kg.KnowledgeGraph) -> None:
    # cmr:DropMetastasisRoute is narrower than cmr:CSFDissemination: both are found.
    assertions = graph.assertions_for("cmr:CSFDissemination")
    routes = {a.route.curie for a in assertions}
    assert {"cmr:CSFDissemination", "cmr:DropMetastasisRoute"} <= routes
    assert {a.lesion.case.id for a in assertions} >= {"seed-000", "seed-001"}


def test_back_from_a_primary_to_its_cases(cohort_graph: kg.KnowledgeGraph) -> None:
    lung = [c.id for c in cohort_graph.cases_with_primary("cmr:LungNeoplasm")]
    # seed-000 and seed-001 and Table 1 rows 2 (Johnson), 9 (Slotty), 12 (Oktay)
    assert lung == ["seed-000", "seed-000-t02", "seed-000-t09", "seed-000-t12", "seed-001"]


def test_findings_and_treatments(graph: kg.KnowledgeGraph) -> None:
    case = graph.case("seed-002")
    kinds = {k.label for f in case.findings for k in f.kinds}
    assert "leg pain" in kinds
    doses = sorted(t.total_dose for t in case.treatments if t.total_dose)
    assert "27 grays" in doses  # "after delivering 27 Gy (15 fractions)"


def test_named_query_rows_and_errors(cohort_graph: kg.KnowledgeGraph) -> None:
    rows = cohort_graph.query("lesions_in_structure", region="cmr:ConusMedullaris")
    assert [r["caseId"] for r in rows] == ["seed-001", "seed-003"]
    assert rows.columns == ["caseId", "lesion", "site"]
    with pytest.raises(QueryError, match="no query named"):
        cohort_graph.query("lesions_in_structur")
    with pytest.raises(QueryError, match="did you mean cmr:ConusMedullaris"):
        cohort_graph.query("lesions_in_structure", region="cmr:ConusMedulla")


def test_sparql_with_predeclared_prefixes(cohort_graph: kg.KnowledgeGraph) -> None:
    rows = cohort_graph.sparql(
        "SELECT ?id WHERE { ?c cmr:caseId ?id ; cmr:hasPatient ?p } ORDER BY ?id"
    )
    assert [r["id"] for r in rows] == ["seed-000", "seed-001", "seed-002", "seed-003", "seed-004"]


def test_unknown_case_suggests_close_ids(graph: kg.KnowledgeGraph) -> None:
    with pytest.raises(KeyError, match="did you mean"):
        graph.case("seed-00")


def test_dataframe_when_pandas_is_installed(graph: kg.KnowledgeGraph) -> None:
    pytest.importorskip("pandas")
    frame = graph.query("lesions_in_structure").to_dataframe()
    assert list(frame.columns) == ["caseId", "lesion", "site"]


def test_missing_required_parameter_is_named() -> None:
    from kg.model.queryfile import QueryFile
    from kg.sparql.catalogue import _parse_header, bindings_for

    query = _parse_header(
        QueryFile.from_text(
            "demo",
            (
                "# title: Demo\n# param lesion: the lesion to start from (required)\n"
                "SELECT ?x WHERE { ?lesion ?p ?x }"
            ),
        )
    )
    assert query.params["lesion"].required
    with pytest.raises(QueryError, match="needs parameter lesion: the lesion to start from"):
        bindings_for(query, {})
    assert bindings_for(query, {"lesion": "case:seed-001/lesion-idem-conus"})["lesion"].endswith(
        "seed-001/lesion-idem-conus"
    )
