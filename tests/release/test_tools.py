"""The OBO world's own tools read the release and see the anatomy: pronto, fastobo, sssom-py."""

from __future__ import annotations

import warnings
from pathlib import Path

import fastobo
import pronto
import pytest
from sssom.parsers import parse_sssom_table
from sssom.validators import validate

CMR = "https://w3id.org/cmr/"


@pytest.mark.parametrize(
    ("name", "prefix"), [("cmr.obo", "cmr:"), ("cmr.json", CMR), ("cmr.owl", CMR)]
)
def test_pronto_sees_a_nerve_root_with_its_parent_and_whole(
    out: Path, name: str, prefix: str
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pronto warns about OWL constructs it does not read
        ontology = pronto.Ontology(str(out / name))
    root = ontology[prefix + "NerveRootS1"]
    assert isinstance(root, pronto.Term)
    assert root.name == "S1 spinal nerve root"
    parents = {t.id for t in root.superclasses(distance=1, with_self=False)}
    assert parents == {prefix + "SacralSpinalNerveRoot"}
    wholes = {r.id: {t.id for t in targets} for r, targets in root.relationships.items()}
    assert wholes[prefix + "partOf"] == {prefix + "SacralNerveRoots"}
    # and up the anatomy: the cauda equina is a nerve root bundle, below anatomical entity
    ancestors = {t.id for t in ontology[prefix + "CaudaEquina"].superclasses()}
    assert prefix + "AnatomicalEntity" in ancestors


def _frame(document: fastobo.doc.OboDoc, identifier: str) -> dict[str, list[str]]:
    for frame in document:
        if str(frame.id) == identifier:
            clauses: dict[str, list[str]] = {}
            for clause in frame:
                clauses.setdefault(clause.raw_tag(), []).append(clause.raw_value())
            return clauses
    raise AssertionError(f"{identifier} not found")


def test_fastobo_reads_the_obo_release(out: Path) -> None:
    root = _frame(fastobo.load(str(out / "cmr.obo")), "cmr:NerveRootS1")
    assert root["is_a"] == ["cmr:SacralSpinalNerveRoot"]
    assert "cmr:partOf cmr:SacralNerveRoots" in root["relationship"]
    assert root["subset"] == ["anatomy_view"]


def test_fastobo_reads_the_obo_graphs_release(out: Path) -> None:
    root = _frame(fastobo.load_graph(str(out / "cmr.json")), CMR + "NerveRootS1")
    assert root["is_a"] == [CMR + "SacralSpinalNerveRoot"]


def test_every_anatomy_individual_is_a_term_of_the_obo_release(out: Path) -> None:
    from kg.model.ontology import ontology_graph
    from kg.release.view import anatomy_individuals

    document = fastobo.load(str(out / "cmr.obo"))
    in_view = {
        str(f.id)
        for f in document
        if ("subset", "anatomy_view") in {(c.raw_tag(), c.raw_value()) for c in f}
    }
    expected = {"cmr:" + iri.removeprefix(CMR) for iri in anatomy_individuals(ontology_graph())}
    assert in_view == expected and len(expected) > 100


def test_sssom_validates_the_mapping_file(out: Path) -> None:
    mappings = parse_sssom_table(out / "cmr.sssom.tsv")
    results = validate(mappings, fail_on_error=False)
    assert all(not report.results for report in results.values()), results
    rows = mappings.df
    assert set(rows["predicate_id"]) <= {
        "skos:exactMatch",
        "skos:closeMatch",
        "skos:broadMatch",
        "skos:narrowMatch",
        "skos:relatedMatch",
    }
    cauda = rows[rows["subject_id"] == "cmr:CaudaEquina"]
    assert set(cauda["object_id"]) >= {"UBERON:0012337"}
    assert mappings.metadata["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert mappings.metadata["mapping_set_version"] == "2026-12-05"
    assert (
        mappings.converter.expand("UBERON:0012337")
        == "http://purl.obolibrary.org/obo/UBERON_0012337"
    )
