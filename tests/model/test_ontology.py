"""The ontology: metadata, coverage of what the reports need, and its structure."""

from __future__ import annotations

import re
from pathlib import Path

import owlready2
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from kg.model.namespace import CMR
from kg.model.ontology import ONTOLOGY_IRI
from kg.model.resources import ONTOLOGY_DIR

OBO = "http://purl.obolibrary.org/obo/"
OIO = "http://www.geneontology.org/formats/oboInOwl#"
LEVELS = (
    [f"C{i}" for i in range(1, 9)]
    + [f"T{i}" for i in range(1, 13)]
    + [f"L{i}" for i in range(1, 6)]
    + [f"S{i}" for i in range(1, 6)]
    + ["Co"]
)


def label(g: Graph, term: URIRef) -> str:
    return str(g.value(term, RDFS.label))


def test_header_has_iri_version_title_description_licence(ontology: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    version = ontology.value(ONTOLOGY_IRI, OWL.versionIRI)
    assert version is not None
    assert re.search(r"/releases/\d{4}-\d{2}-\d{2}/", str(version))
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.license):
        assert ontology.value(ONTOLOGY_IRI, prop) is not None, prop


def test_every_spinal_level_has_vertebra_segment_and_root_in_order(ontology: Graph) -> None:
    indices = {}
    for lv in LEVELS:
        level = CMR[f"Level{lv}"]
        indices[lv] = int(ontology.value(level, CMR.levelIndex))  # type: ignore[arg-type]
        seg = "Co1" if lv == "Co" else lv
        root, segment = CMR[f"NerveRoot{seg}"], CMR[f"SpinalCordSegment{seg}"]
        assert (root, CMR.atLevel, level) in ontology
        assert (segment, CMR.atLevel, level) in ontology
        assert ontology.value(root, CMR.exitsAt) is not None, f"{seg} root has no exit level"
    assert [indices[lv] for lv in LEVELS] == list(range(1, 32))
    # Vertebrae: C1-C7, T1-T12, L1-L5, S1-S5 and the coccyx; there is no C8 vertebra.
    rows = ontology.query(
        "SELECT DISTINCT ?v WHERE { ?v a/rdfs:subClassOf* cmr:Vertebra }",
        initNs={"cmr": "https://w3id.org/cmr/"},
    )
    assert len(rows) == 30
    assert (URIRef("https://w3id.org/cmr/VertebraC8"), None, None) not in ontology
    assert (CMR.NerveRootC8, CMR.exitsAt, CMR.VertebraC7) in ontology
    assert (CMR.NerveRootL5, CMR.exitsAt, CMR.VertebraL5) in ontology


def test_range_t12_to_s1_is_evaluable_by_level_index(ontology: Graph) -> None:
    rows = ontology.query("""
        PREFIX cmr: <https://w3id.org/cmr/>
        SELECT ?root WHERE {
            cmr:LevelT12 cmr:levelIndex ?lo . cmr:LevelS1 cmr:levelIndex ?hi .
            ?root a/rdfs:subClassOf* cmr:SpinalNerveRoot ; cmr:atLevel/cmr:levelIndex ?i .
            FILTER (?i >= ?lo && ?i <= ?hi)
        }""")
    names = sorted(str(r[0]).rsplit("NerveRoot", 1)[1] for r in rows)  # type: ignore[index]
    assert names == sorted(["T12", "L1", "L2", "L3", "L4", "L5", "S1"])


def test_plexuses_are_formed_from_their_roots(ontology: Graph) -> None:
    expected = {
        "CervicalPlexus": ["C1", "C2", "C3", "C4"],
        "BrachialPlexus": ["C5", "C6", "C7", "C8", "T1"],
        "LumbarPlexus": ["L1", "L2", "L3", "L4"],
        "SacralPlexus": ["L4", "L5", "S1", "S2", "S3", "S4"],
        "LumbosacralPlexus": ["L1", "L2", "L3", "L4", "L5", "S1", "S2", "S3", "S4"],
    }
    for plexus, roots in expected.items():
        got = {
            str(o).rsplit("NerveRoot", 1)[1] for o in ontology.objects(CMR[plexus], CMR.formedFrom)
        }
        assert got == set(roots), plexus


def test_cauda_equina_is_formed_from_l2_to_co1(ontology: Graph) -> None:
    got = {
        str(o).rsplit("NerveRoot", 1)[1] for o in ontology.objects(CMR.CaudaEquina, CMR.formedFrom)
    }
    assert got == {"L2", "L3", "L4", "L5", "S1", "S2", "S3", "S4", "S5", "Co1"}


def test_meninges_spaces_and_csf(ontology: Graph) -> None:
    for term in (
        "DuraMater",
        "SpinalDuraMater",
        "ArachnoidMater",
        "PiaMater",
        "Leptomeninges",
        "EpiduralSpace",
        "SubduralSpace",
        "SubarachnoidSpace",
        "CerebrospinalFluid",
        "ConusMedullaris",
        "CaudaEquina",
        "FilumTerminale",
        "ThecalSac",
    ):
        assert (CMR[term], RDF.type, OWL.NamedIndividual) in ontology, term
    assert (
        CMR.CranialSubarachnoidSpace,
        CMR.continuousWith,
        CMR.SpinalSubarachnoidSpace,
    ) in ontology
    assert (
        CMR.InternalVertebralVenousPlexus,
        CMR.drainsInto,
        CMR.ExternalVertebralVenousPlexus,
    ) in ontology
    assert (CMR.partOf, RDF.type, OWL.TransitiveProperty) in ontology


def test_reported_sites_exist(ontology: Graph) -> None:
    for term in (
        "SciaticNerve",
        "TibialNerve",
        "OpticNerve",
        "OpticChiasm",
        "OculomotorNerve",
        "Brain",
        "Lung",
        "Breast",
        "Stomach",
        "Colon",
        "Uterus",
        "UterineCervix",
        "Kidney",
        "AdrenalGland",
        "ParotidGland",
        "Liver",
        "IliacLymphNodes",
        "AxillaryLymphNodes",
        "CervicalLymphNodes",
        "IliacusMuscle",
        "ObturatorInternusMuscle",
        "PosteriorThigh",
    ):
        assert (CMR[term], RDF.type, OWL.NamedIndividual) in ontology, term


@pytest.mark.parametrize(
    "synonym, term",
    [
        ("drop metastasis", "DropMetastasisRoute"),
        ("leptomeningeal spinal metastasis", "LeptomeningealMetastasis"),
        ("Batson plexus", "InternalVertebralVenousPlexus"),
        ("neurinoma", "Schwannoma"),
        ("tertiary drop metastasis", "TertiaryDropMetastasisRoute"),
        ("IDEM metastasis", "IntraduralExtramedullaryMetastasis"),
    ],
)
def test_literature_synonyms(ontology: Graph, synonym: str, term: str) -> None:
    synonyms = {
        str(o)
        for p in ("hasExactSynonym", "hasRelatedSynonym", "hasNarrowSynonym")
        for o in ontology.objects(CMR[term], URIRef(OIO + p))
    }
    assert synonym in synonyms


def test_cross_references_from_the_reference_list(ontology: Graph) -> None:
    xrefs = {(s, str(o)) for s, o in ontology.subject_objects(URIRef(OIO + "hasDbXref"))}
    for term, xref in [
        ("CaudaEquina", "UBERON:0012337"),
        ("SciaticNerve", "UBERON:0001322"),
        ("LungAdenocarcinoma", "MONDO:0005061"),
        ("SmallCellLungCarcinoma", "NCIT:C4917"),
        ("CervicalSquamousCellCarcinoma", "ONCOTREE:CESC"),
        ("FootDrop", "HP:0009027"),
        ("LeptomeningealMetastasis", "MONDO:0700219"),
        ("VertebraT11", "UBERON:0004635"),
    ]:
        assert (CMR[term], xref) in xrefs


PRIMARIES = [
    "LungAdenocarcinoma",
    "SmallCellLungCarcinoma",
    "LungNeuroendocrineCarcinoma",
    "LungCarcinoma",
    "BreastCarcinoma",
    "InvasiveDuctalBreastCarcinoma",
    "GastricAdenocarcinoma",
    "ColonAdenocarcinoma",
    "UterineAdenocarcinoma",
    "CervicalSquamousCellCarcinoma",
    "SquamousCellCarcinoma",
    "RenalCellCarcinoma",
    "EwingSarcoma",
]


def _descendants(g: Graph, root: URIRef) -> set[str]:
    rows = g.query("SELECT ?c WHERE { ?c rdfs:subClassOf* ?root }", initBindings={"root": root})
    return {str(r[0]).rsplit("/", 1)[1] for r in rows}  # type: ignore[index]


def test_all_carcinomas_is_one_query(ontology: Graph) -> None:
    carcinomas = _descendants(ontology, CMR.Carcinoma)
    assert set(PRIMARIES) - {"EwingSarcoma"} <= carcinomas
    assert "EwingSarcoma" not in carcinomas


def test_all_lung_primaries_is_one_query(ontology: Graph) -> None:
    lung = _descendants(ontology, CMR.LungNeoplasm)
    assert {
        "LungAdenocarcinoma",
        "SmallCellLungCarcinoma",
        "LungNeuroendocrineCarcinoma",
        "LungCarcinoma",
    } <= lung
    assert not {"BreastCarcinoma", "GastricAdenocarcinoma", "SquamousCellCarcinoma"} & lung


def test_routes_carry_ordered_paths(ontology: Graph) -> None:
    routes = set(ontology.subjects(RDF.type, CMR.DisseminationRoute))
    for name in (
        "CSFDissemination",
        "DropMetastasisRoute",
        "TertiaryDropMetastasisRoute",
        "VertebralVenousPlexusSpread",
        "DirectInvasionThroughDura",
        "PerineuralSpread",
        "ArterialSpread",
        "LymphaticSpread",
    ):
        assert CMR[name] in routes, name
    rows = ontology.query("""
        PREFIX cmr: <https://w3id.org/cmr/>
        SELECT ?structure WHERE {
            cmr:DirectInvasionThroughDura cmr:hasPathStep ?step .
            ?step cmr:stepIndex ?i ; cmr:throughStructure ?structure .
        } ORDER BY ?i""")
    path = [str(r[0]).rsplit("/", 1)[1] for r in rows]  # type: ignore[index]
    assert path == [
        "VertebralColumn",
        "EpiduralSpace",
        "SpinalDuraMater",
        "ArachnoidMater",
        "SpinalSubarachnoidSpace",
    ]
    assert (CMR.TertiaryDropMetastasisRoute, CMR.broaderRoute, CMR.DropMetastasisRoute) in ontology
    # every route's steps are numbered 1..n without gaps
    for route in routes:
        idx = sorted(
            int(ontology.value(s, CMR.stepIndex))  # type: ignore[arg-type]
            for s in ontology.objects(route, CMR.hasPathStep)
        )
        assert idx == list(range(1, len(idx) + 1)), route


def test_compartments_name_the_sites_they_admit(ontology: Graph) -> None:
    admits = {
        c: set(ontology.objects(c, CMR.admitsSiteType))
        for c in ontology.subjects(RDF.type, CMR.TumourCompartment)
    }
    assert len(admits) == 5
    assert admits[CMR.IntramedullaryCompartment] == {CMR.SpinalCordStructure}
    assert CMR.Nerve in admits[CMR.IntraneuralCompartment]
    assert CMR.SpinalCordStructure not in admits[CMR.IntraneuralCompartment]


def test_class_valued_properties_are_annotation_properties(ontology: Graph) -> None:
    # Regression (owlready2 and punning): see tests/issues/test_punned_class_values.py.
    for prop in (CMR.aboutTopic, CMR.diagnosedAs, CMR.misdiagnosedAs):
        assert (prop, RDF.type, OWL.AnnotationProperty) in ontology
        assert (prop, RDF.type, OWL.ObjectProperty) not in ontology


def test_owlready2_loads_rdfxml_and_ntriples(ontology: Graph, tmp_path: Path) -> None:
    classes = {s for s in ontology.subjects(RDF.type, OWL.Class) if isinstance(s, URIRef)}
    for fmt, suffix in (("xml", ".owl"), ("nt", ".nt")):
        path = tmp_path / f"cmr{suffix}"
        path.write_bytes(ontology.serialize(format=fmt, encoding="utf-8"))
        world = owlready2.World()
        onto = world.get_ontology(path.as_uri()).load()
        loaded = {c.iri for c in onto.classes()}
        assert loaded == {str(c) for c in classes}, fmt
        assert world["https://w3id.org/cmr/NerveRootS1"] is not None
        world.close()


def test_no_imports_or_all_resolve_through_the_catalog(ontology: Graph) -> None:
    imports = list(ontology.objects(ONTOLOGY_IRI, OWL.imports))
    catalog = (ONTOLOGY_DIR / "catalog-v001.xml").read_text(encoding="utf-8")
    for imported in imports:
        match = re.search(rf'name="{re.escape(str(imported))}"\s+uri="([^"]+)"', catalog)
        assert match, f"{imported} is not mapped in catalog-v001.xml"
        assert (ONTOLOGY_DIR / match.group(1)).is_file()


def test_labels_are_english_literals(ontology: Graph) -> None:
    for s, o in ontology.subject_objects(RDFS.label):
        if str(s).startswith(str(CMR)):
            assert isinstance(o, Literal) and o.language == "en", s
