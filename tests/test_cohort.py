"""The shipped cohort: it conforms, its counts are pinned, and its facts match the reports.

The expected facts below were read off the five seed reports by hand (report 000's Table 1 is
transcribed row by row); they are not produced by the code under test. Per-case facts are checked
on the live ``cases/`` folder (``g``); counts over the whole cohort on the frozen fixture cohort
(``frozen``, tests/fixtures/cohort/), so that curating a new case changes none of them.
"""

from __future__ import annotations

from collections import Counter

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from kg.model.namespace import CMR
from kg.store.build import BuildResult

CASE = "https://w3id.org/cmr/data/case/"


def report_of(case_id: str) -> str:
    return case_id.split("-")[1]


@pytest.fixture(scope="module")
def g(built: BuildResult) -> Graph:
    """The built graph of the live ``cases/`` folder."""
    return built.graph


@pytest.fixture(scope="module")
def frozen(cohort_built: BuildResult) -> Graph:
    """The built graph of the frozen fixture cohort, for totals."""
    return cohort_built.graph


def case(case_id: str) -> URIRef:
    return URIRef(CASE + case_id)


def local(node: object) -> str:
    return str(node).rsplit("/", 1)[-1]


def test_shipped_cohort_conforms(built: BuildResult) -> None:
    assert built.report.conforms, [
        i.message for i in built.report.issues if i.severity == "violation"
    ]


def test_frozen_cohort_conforms(cohort_built: BuildResult) -> None:
    assert cohort_built.report.conforms


def test_counts_per_report_are_pinned(frozen: Graph) -> None:
    g = frozen  # counts over the whole cohort
    cases: Counter[str] = Counter()
    lesions: Counter[str] = Counter()
    routes: Counter[str] = Counter()
    for c, cid in g.subject_objects(CMR.caseId):
        report = report_of(str(cid))
        cases[report] += 1
        lesions[report] += len(set(g.objects(c, CMR.hasLesion)))
        routes[report] += len(set(g.objects(c, CMR.hasRouteAssertion)))
    assert dict(cases) == {"000": 17, "001": 1, "002": 1, "003": 1, "004": 1}
    assert dict(lesions) == {"000": 25, "001": 7, "002": 2, "003": 4, "004": 1}
    assert dict(routes) == {"000": 10, "001": 7, "002": 0, "003": 4, "004": 5}
    stats = Counter(
        local(g.value(s, CMR.inPublication)) for s in g.subjects(RDF.type, CMR.PopulationStatistic)
    )
    assert dict(stats) == {"r000": 15, "r001": 8, "r002": 6, "r003": 23, "r004": 2}


# ------------------------------------------------------------------ patients and primaries


@pytest.mark.parametrize(
    "case_id, age, sex, primary, organ",
    [
        ("seed-000", 53, "Male", "LungCarcinoma", "Lung"),
        ("seed-001", 60, "Male", "SmallCellLungCarcinoma", "Lung"),
        ("seed-002", 47, "Female", "CervicalSquamousCellCarcinoma", "UterineCervix"),
        ("seed-003", 45, "Female", "InvasiveDuctalBreastCarcinoma", "Breast"),
        ("seed-004", 82, "Female", "GastricAdenocarcinoma", "Stomach"),
    ],
)
def test_patient_and_primary(
    g: Graph, case_id: str, age: int, sex: str, primary: str, organ: str
) -> None:
    patient = g.value(case(case_id), CMR.hasPatient)
    assert g.value(g.value(patient, CMR.age), CMR.numericValue).toPython() == age  # type: ignore[union-attr]
    assert local(g.value(patient, CMR.sex)) == sex
    tumour = g.value(case(case_id), CMR.hasPrimary)
    assert (tumour, RDF.type, CMR[primary]) in g
    assert local(g.value(tumour, CMR.arisesFrom)) == organ


def test_report_000_keeps_clinical_and_pathological_diagnoses_apart(g: Graph) -> None:
    diagnoses = {
        (local(g.value(d, CMR.diagnosisBasis)), local(g.value(d, CMR.diagnosedAs)))
        for d in g.objects(case("seed-000"), CMR.hasDiagnosis)
    }
    assert ("ClinicalDiagnosisBasis", "LungAdenocarcinoma") in diagnoses
    assert ("HistologyOfMetastasis", "SmallCellLungCarcinoma") in diagnoses
    assert ("TableEntry", "LungNeuroendocrineCarcinoma") in diagnoses


# ------------------------------------------------------------------ nervous-system lesions


def lesions(g: Graph, case_id: str) -> dict[str, URIRef]:
    return {local(les): les for les in g.objects(case(case_id), CMR.hasLesion)}  # type: ignore[misc]


def sites(g: Graph, lesion: URIRef) -> set[str]:
    return {local(s) for s in g.objects(lesion, CMR.hasSite)}


def levels(g: Graph, lesion: URIRef) -> tuple[str, str] | None:
    upper, lower = g.value(lesion, CMR.upperLevel), g.value(lesion, CMR.lowerLevel)
    if upper is None:
        return None
    return local(upper).removeprefix("Level"), local(lower).removeprefix("Level")


def procedures(g: Graph, lesion: URIRef, prop: URIRef) -> set[str]:
    """The classes of the procedures linked from ``lesion`` by ``prop``."""
    return {local(t) for p in g.objects(lesion, prop) for t in g.objects(p, RDF.type)}


def test_report_000_lesions(g: Graph) -> None:
    les = lesions(g, "seed-000")
    root = les["lesion-s1-root"]
    assert sites(g, root) == {"NerveRootS1"}
    assert local(g.value(root, CMR.laterality)) == "Right"
    assert local(g.value(root, CMR.inCompartment)) == "IntraduralExtramedullaryCompartment"
    # "Noncontrast magnetic resonance imaging (MRI) revealed an intradural extramedullary tumor
    # at the S1 level ... initially interpreted as neurinoma"
    assert "NonContrastMRI" in procedures(g, root, CMR.detectedBy)
    mis = {local(g.value(m, CMR.misdiagnosedAs)) for m in g.subjects(CMR.misdiagnosisOf, root)}
    assert mis == {"Schwannoma"}
    # Drop metastases at C4-C5, C8, Th1 and L4, missed by the preoperative non-contrast MRI.
    drops = {levels(g, les[n]) for n in les if n.startswith("lesion-drop")}
    assert drops == {("C4", "C5"), ("C8", "C8"), ("T1", "T1"), ("L4", "L4")}
    for name in ("lesion-drop-c4-c5", "lesion-drop-c8", "lesion-drop-t1", "lesion-drop-l4"):
        assert "NonContrastMRI" in procedures(g, les[name], CMR.missedBy)
        assert "ContrastEnhancedMRI" in procedures(g, les[name], CMR.detectedBy)
    assert sites(g, les["lesion-optic"]) == {"OpticNerve", "OpticChiasm"}


def test_report_001_lesions(g: Graph) -> None:
    les = lesions(g, "seed-001")
    idem = les["lesion-idem-conus"]
    assert sites(g, idem) == {"ConusMedullaris"}
    assert local(g.value(idem, CMR.inCompartment)) == "IntraduralExtramedullaryCompartment"
    assert local(g.value(idem, CMR.timingRelation)) == "Synchronous"
    sizes = sorted(
        g.value(q, CMR.numericValue).toPython()  # type: ignore[union-attr]
        for q in g.objects(idem, CMR.size)
    )
    assert [float(s) for s in sizes] == [1.3, 1.4, 1.7]
    assert levels(g, les["lesion-thecal-sac-nodules"]) == ("T12", "S1")
    assert sites(g, les["lesion-t11"]) == {"VertebraT11"}
    others = {site for n in les for site in sites(g, les[n])}
    assert {"AdrenalGland", "Brain", "ParotidGland", "AxillaryLymphNodes"} <= others


def test_report_002_lesions(g: Graph) -> None:
    les = lesions(g, "seed-002")
    roots = les["lesion-sacral-plexus-roots"]
    assert sites(g, roots) == {"SacralPlexus", "NerveRootL4", "NerveRootL5", "NerveRootS1"}
    assert local(g.value(roots, CMR.laterality)) == "Right"
    # "PET/CT scan ... revealing sacral plexus L5/S1 and L4/5 nerve thickening"; MRI missed it.
    assert "PETCT" in procedures(g, roots, CMR.detectedBy)
    missed_by = procedures(g, roots, CMR.missedBy)
    assert missed_by & {"MRI", "NonContrastMRI", "ContrastEnhancedMRI"}, missed_by
    nodes = les["lesion-iliac-lymph-node"]
    assert sites(g, nodes) == {"IliacLymphNodes", "IliacusMuscle", "ObturatorInternusMuscle"}


def test_report_003_lesions(g: Graph) -> None:
    les = lesions(g, "seed-003")
    c6, conus = les["lesion-c6"], les["lesion-conus"]
    assert levels(g, c6) == ("C6", "C6")
    assert levels(g, conus) == ("T12", "L1")
    for lesion, size in ((c6, 2.5), (conus, 3)):
        assert local(g.value(lesion, CMR.inCompartment)) == "IntramedullaryCompartment"
        assert float(g.value(g.value(lesion, CMR.size), CMR.numericValue)) == size  # type: ignore[arg-type]


def test_report_004_lesion(g: Graph) -> None:
    (lesion,) = lesions(g, "seed-004").values()
    assert sites(g, lesion) == {"SciaticNerve"}
    assert local(g.value(lesion, CMR.laterality)) == "Right"
    assert local(g.value(lesion, CMR.inCompartment)) == "IntraneuralCompartment"
    mis = {
        local(g.value(m, CMR.misdiagnosedAs))
        for m in g.objects(case("seed-004"), CMR.hasMisdiagnosis)
    }
    assert {"SoftTissueSarcoma", "LumbarSpinalStenosis"} <= mis


# ------------------------------------------------------------------ intervals and outcomes


def intervals(g: Graph, case_id: str) -> set[tuple[str, str, float, str]]:
    out = set()
    for i in g.objects(case(case_id), CMR.hasInterval):
        d = g.value(i, CMR.duration)
        out.add(
            (
                local(g.value(i, CMR.fromEvent)),
                local(g.value(i, CMR.toEvent)),
                g.value(d, CMR.numericValue).toPython(),  # type: ignore[union-attr]
                local(g.value(d, CMR.unit)),
            )
        )
    return out


@pytest.mark.parametrize(
    "case_id, interval",
    [
        ("seed-000", ("prior-therapy", "presentation", 6, "MO")),  # "Six months later"
        ("seed-000", ("surgery", "outcome", 3, "MO")),  # died in the third postop month
        ("seed-001", ("surgery", "outcome", 9, "MO")),  # good condition at 9 months
        ("seed-002", ("radiotherapy-nerve-roots", "outcome", 3, "MO")),  # died 3 months after RT
        ("seed-003", ("primary", "presentation", 6, "YR")),  # IDC "6 years earlier"
        ("seed-003", ("surgery-c6", "lesion-conus", 2, "YR")),  # 2 years after the surgery
        ("seed-003", ("surgery-conus", "outcome", 2, "MO")),  # "died 2 months later"
        ("seed-004", ("gastrectomy", "presentation", 2, "YR")),  # gastrectomy 2 years ago
        ("seed-004", ("nerve-resection", "outcome", 1, "YR")),  # free after 1 year follow-up
    ],
)
def test_stated_intervals(g: Graph, case_id: str, interval: tuple[str, str, float, str]) -> None:
    assert interval in intervals(g, case_id)


@pytest.mark.parametrize(
    "case_id, outcome",
    [
        ("seed-000", "Death"),
        ("seed-001", "AliveAtFollowUp"),
        ("seed-002", "Death"),
        ("seed-003", "Death"),
        ("seed-004", "AliveWithoutRecurrence"),
    ],
)
def test_outcomes(g: Graph, case_id: str, outcome: str) -> None:
    (node,) = g.objects(case(case_id), CMR.hasOutcome)
    assert (node, RDF.type, CMR[outcome]) in g


# ------------------------------------------------------------------ routes


def route_stances(g: Graph, case_id: str) -> set[tuple[str, str]]:
    out = set()
    for a in g.objects(case(case_id), CMR.hasRouteAssertion):
        what = g.value(a, CMR.assertsRoute) or g.value(a, CMR.assertsNerveInvolvement)
        out.add((local(what), local(g.value(a, CMR.stance))))
    return out


def test_report_001_weighs_direct_invasion_against_tertiary_drop(g: Graph) -> None:
    stances = route_stances(g, "seed-001")
    assert ("TertiaryDropMetastasisRoute", "Rejected") in stances
    assert {r for r, _ in stances} >= {
        "VertebralVenousPlexusSpread",
        "PerineuralLymphaticSpread",
        "DirectInvasionThroughDura",
        "CSFDissemination",
        "ArterialSpread",
    }


def test_report_002_names_no_route(g: Graph) -> None:
    assert route_stances(g, "seed-002") == set()


def test_report_004_distinguishes_stretch_compression_perforation(g: Graph) -> None:
    stances = route_stances(g, "seed-004")
    assert ("NervePerforation", "Favoured") in stances
    assert {("NerveStretch", "Rejected"), ("NerveCompression", "Rejected")} <= stances


def authors_assertions(g: Graph) -> list[Node]:
    """The route assertions of the authors (not inferred by the rules)."""
    return [
        a
        for a in g.subjects(RDF.type, CMR.RouteAssertion)
        if (a, CMR.stance, CMR.Inferred) not in g
    ]


def test_the_authors_route_assertions_are_counted(frozen: Graph) -> None:
    assert len(authors_assertions(frozen)) == 26


def test_every_route_assertion_has_evidence_and_a_quote(g: Graph) -> None:
    authors = authors_assertions(g)
    assert authors
    for a in authors:
        assert g.value(a, CMR.evidenceCode) is not None
        quote = g.value(g.value(a, CMR.supportedBy), CMR.excerptText)
        assert isinstance(quote, Literal) and len(str(quote)) > 10


# ------------------------------------------------------------------ Table 1 of report 000

TABLE_1 = [  # (first author, reference, primary class, roots) as printed in the report
    ("Johnson", 3, "ColonAdenocarcinoma", {"LumbosacralNerveRoots"}),
    ("Johnson", 3, "LungCarcinoma", {"LumbosacralNerveRoots"}),
    ("Wigfield", 4, "ColonAdenocarcinoma", {"NerveRootL1"}),
    ("Uchida", 5, "UterineAdenocarcinoma", {"NerveRootS1", "NerveRootS2"}),
    ("Schulz", 6, "BreastCarcinoma", {"NerveRootL2"}),
    ("Mitchell", 7, "EwingSarcoma", {"NerveRootL4"}),
    ("Ito", 8, "BreastCarcinoma", {"NerveRootS1"}),
    ("Cabrilo", 9, "RenalCellCarcinoma", {"NerveRootL5"}),
    ("Slotty", 10, "LungAdenocarcinoma", {"NerveRootL3"}),
    ("Strong", 11, "RenalCellCarcinoma", {"NerveRootL4"}),
    ("Li", 12, "SquamousCellCarcinoma", {"NerveRootL5", "NerveRootS1"}),
    ("Oktay", 13, "LungAdenocarcinoma", {"NerveRootS1"}),
    ("Di Sibio", 14, "GastricAdenocarcinoma", {"NerveRootS1"}),
    ("Zhang", 15, "BreastCarcinoma", {"NerveRootS1"}),
    ("Zhang", 15, "BreastCarcinoma", {"NerveRootL5", "CervicalNerveRoots"}),
    ("Norouzi", 16, "BreastCarcinoma", {"NerveRootS1"}),
]


@pytest.mark.parametrize("row", range(1, 17))
def test_table_1_row(g: Graph, row: int) -> None:
    author, ref, primary, roots = TABLE_1[row - 1]
    c = case(f"seed-000-t{row:02d}")
    source = g.value(c, CMR.describedIn)
    assert str(g.value(source, CMR.authors)).startswith(author)
    assert g.value(source, CMR.referenceNumber).toPython() == ref  # type: ignore[union-attr]
    assert local(g.value(c, CMR.reportedVia)) == "r000"
    assert (g.value(c, CMR.hasPrimary), RDF.type, CMR[primary]) in g
    got = {site for les in g.objects(c, CMR.hasLesion) for site in sites(g, les)}  # type: ignore[arg-type]
    assert got == roots
    # A Table 1 case says nothing the row does not: no patient, no compartment, no route.
    assert g.value(c, CMR.hasPatient) is None
    assert not any(g.value(les, CMR.inCompartment) for les in g.objects(c, CMR.hasLesion))
    assert g.value(c, CMR.hasRouteAssertion) is None


def test_table_1_own_case_is_not_duplicated(g: Graph, frozen: Graph) -> None:
    ids = [str(o) for o in g.objects(None, CMR.caseId)]
    assert len(ids) == len(set(ids))
    assert len(list(frozen.objects(None, CMR.caseId))) == 21
    rows = [
        str(o)
        for s in g.objects(case("seed-000"), CMR.supportedBy)
        for o in g.objects(s, CMR.locator)
        if str(o).startswith("Table 1")
    ]
    assert rows, "the 'Our case' row of Table 1 supports case seed-000"


def test_every_case_node_rests_on_an_excerpt(g: Graph) -> None:
    case_classes = set(g.transitive_subjects(RDFS.subClassOf, CMR.CaseEntity))
    inferred = set(g.subjects(CMR.stance, CMR.Inferred))  # rest on their rule and facts
    assert inferred
    for node, cls in g.subject_objects(RDF.type):
        if cls in case_classes and str(node).startswith(CASE) and node not in inferred:
            assert g.value(node, CMR.supportedBy) is not None, node
