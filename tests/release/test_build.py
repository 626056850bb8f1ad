"""``write_release``: five files, each dated and describing itself, or none when a term is badly obsoleted."""

from __future__ import annotations

import json
from pathlib import Path

import fastobo
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL

from kg.model.ontology import ONTOLOGY_IRI, load_ontology
from kg.release.build import Release, write_release
from tests.release.conftest import DATE

VERSION = "https://w3id.org/cmr/releases/2026-12-05/"
TITLE = "Cancer Metastasis Routes ontology (CMR)"
LICENCE = "https://creativecommons.org/licenses/by/4.0/"
CREATOR = "CMR knowledge graph contributors"


def test_writes_the_five_formats(release: Release) -> None:
    assert [p.name for p in release.files] == [
        "cmr.owl",
        "cmr.ofn",
        "cmr.obo",
        "cmr.json",
        "cmr.sssom.tsv",
    ]
    assert release.problems == []


def test_owl_files_carry_a_dated_version_iri_and_the_header(out: Path) -> None:
    for name, fmt in (("cmr.owl", "xml"), ("cmr.ofn", None)):
        if fmt is None:
            text = (out / name).read_text(encoding="utf-8")
            assert f"<{VERSION}{name}>" in text.split("Declaration", 1)[0]
            assert f'"{CREATOR}"' in text and LICENCE in text and TITLE in text
            continue
        graph = Graph().parse(out / name, format=fmt)
        assert graph.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef(VERSION + name)
        assert graph.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("2026-12-05")
        facts = {str(o) for o in graph.objects(ONTOLOGY_IRI, None)}
        assert {TITLE, LICENCE, CREATOR} <= facts
        assert any("anatomy individual as a class" in f for f in facts)


def test_obo_and_json_carry_the_version_and_the_header(out: Path) -> None:
    header = fastobo.load(str(out / "cmr.obo")).header
    clauses = {(c.raw_tag(), c.raw_value()) for c in header}
    assert ("data-version", "releases/2026-12-05") in clauses
    assert ("remark", f"Version IRI: {VERSION}cmr.obo") in clauses
    values = " ".join(v for t, v in clauses if t == "property_value")
    assert TITLE in values and LICENCE in values and CREATOR in values
    graph = json.loads((out / "cmr.json").read_text(encoding="utf-8"))["graphs"][0]
    assert graph["id"] == str(ONTOLOGY_IRI)
    assert graph["meta"]["version"] == VERSION + "cmr.json"
    meta = {p["pred"].rsplit("/", 1)[-1]: p["val"] for p in graph["meta"]["basicPropertyValues"]}
    assert meta["title"] == TITLE and meta["license"] == LICENCE and meta["creator"] == CREATOR


def test_the_same_date_gives_the_same_bytes(release: Release, tmp_path: Path) -> None:
    again = write_release(tmp_path, DATE)
    for first, second in zip(release.files, again.files, strict=True):
        assert first.read_bytes() == second.read_bytes(), first.name


def test_a_badly_obsoleted_term_stops_the_release(tmp_path: Path) -> None:
    graph = load_ontology()
    graph.add((URIRef("https://w3id.org/cmr/CaudaEquina"), OWL.deprecated, Literal(True)))
    done = write_release(tmp_path / "out", DATE, graph)
    assert done.files == [] and not (tmp_path / "out").exists()
    assert {v.rule for v in done.problems} == {"obsolete_term"}
    found = {(v.property.rsplit("/", 1)[-1], v.value) for v in done.problems}
    # no replacement, a label without "obsolete ", and still used: by the cauda equina
    # metastasis' definition (hasValue) and by a structure adjacent to it
    assert ("IAO_0100001", "") in found
    assert ("rdf-schema#label", "cauda equina") in found
    assert ("owl#hasValue", "an anonymous class expression") in found
    assert ("adjacentTo", "https://w3id.org/cmr/ConusMedullaris") in found


def test_an_obsolete_term_is_obsolete_with_its_replacement_in_obo_and_json(tmp_path: Path) -> None:
    graph = load_ontology()
    graph.parse(
        data="""
        @prefix cmr: <https://w3id.org/cmr/> .
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix obo: <http://purl.obolibrary.org/obo/> .
        cmr:RadicularAche a owl:Class ; rdfs:label "obsolete radicular ache"@en ;
            obo:IAO_0000115 "Pain along a nerve root."@en ;
            owl:deprecated true ; obo:IAO_0100001 cmr:RadicularPain .
        """,
        format="turtle",
    )
    done = write_release(tmp_path, DATE, graph)
    assert done.problems == []
    document = fastobo.load(str(tmp_path / "cmr.obo"))
    frame = next(f for f in document if str(f.id) == "cmr:RadicularAche")
    clauses = {(c.raw_tag(), c.raw_value()) for c in frame}
    assert {("is_obsolete", "true"), ("replaced_by", "cmr:RadicularPain")} <= clauses
    nodes = json.loads((tmp_path / "cmr.json").read_text(encoding="utf-8"))["graphs"][0]["nodes"]
    node = next(n for n in nodes if n["id"].endswith("/RadicularAche"))
    assert node["meta"]["deprecated"] is True
    assert {
        "pred": "http://purl.obolibrary.org/obo/IAO_0100001",
        "val": "https://w3id.org/cmr/RadicularPain",
    } in node["meta"]["basicPropertyValues"]
