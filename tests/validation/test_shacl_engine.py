"""The Oxigraph SHACL engine (:mod:`kg.validation.shacl`) finds what pyshacl finds, on the shipped data."""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path

import pyshacl
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from kg.model.errors import ShapesError
from kg.model.namespace import CMR
from kg.model.ontology import DATA_NS, ontology_graph
from kg.model.resources import CASES_DIR
from kg.validation.issues import Issue
from kg.validation.loader import LoadResult, case_files
from kg.validation.shacl import compile_shapes, store_from_graph, validate_store
from kg.validation.shapes import load_shapes
from kg.validation.validate import validate_files

BAD = Path(__file__).resolve().parents[1] / "bad_inputs"
EXPECTED: dict[str, dict[str, object]] = tomllib.loads(
    (BAD / "expected.toml").read_text(encoding="utf-8")
)
FILES = sorted(BAD.glob("*.ttl"))
# Also checked against pyshacl itself (all severities): nested sh:node on blank-node quantities,
# SPARQL constraints, sh:xone, sh:or, sh:in, sh:pattern, sh:datatype, ranges, counts, classes.
WITH_PYSHACL = {
    "06-site-is-a-class.ttl",
    "12-two-primaries.ttl",
    "18-case-id-with-capitals-and-spaces.ttl",
    "23-intramedullary-nerve-root.ttl",
    "26-reversed-level-range.ttl",
    "28-age-300.ttl",
    "32-size-in-gray.ttl",
    "33-size-as-string.ttl",
    "38-negative-interval.ttl",
    "42-route-and-nerve-involvement.ttl",
    "46-statistic-percentage-150.ttl",
    "52-primary-listed-as-lesion.ttl",
}

Result = tuple[str, str | None, str | None, str, str, str]


# messages name other files relative to the working directory ("already used in cases/...")
pytestmark = pytest.mark.usefixtures("in_project_root")


def _signature(report: Graph, result: Node) -> Result:
    """What a result says, without the blank node that carries it."""
    path = report.value(result, SH.resultPath)
    value = report.value(result, SH.value)
    return (
        str(report.value(result, SH.focusNode)),
        str(path) if isinstance(path, URIRef) else None,
        None if value is None else str(value),
        str(report.value(result, SH.sourceConstraintComponent)),
        str(report.value(result, SH.resultSeverity)),
        str(report.value(result, SH.resultMessage)),
    )


def _results(report: Graph) -> Counter[Result]:
    """Every result of a report, nested ones included."""
    found = report.subjects(RDF.type, SH.ValidationResult)
    return Counter(_signature(report, r) for r in found)


def _tree(report: Graph, result: Node) -> tuple[Result, frozenset[object]]:
    details = frozenset(_tree(report, d) for d in report.objects(result, SH.detail))
    return _signature(report, result), details


def _top(report: Graph) -> Counter[tuple[Result, frozenset[object]]]:
    """The top-level results, each with its nested results."""
    return Counter(_tree(report, r) for r in report.objects(None, SH.result))


def test_the_cohort_gives_the_same_issues_as_pyshacl() -> None:
    files = case_files(CASES_DIR)
    _, ours = validate_files(files, engine="oxigraph")
    _, theirs = validate_files(files, engine="pyshacl")
    assert ours.issues == theirs.issues
    assert {i.severity for i in ours.issues} >= {"warning", "info"}


def _violations(issues: list[Issue]) -> Counter[tuple[str, int | None, int | None, str]]:
    return Counter(
        (i.rule, i.line, i.column, i.message) for i in issues if i.severity == "violation"
    )


def test_the_files_checked_with_pyshacl_exist() -> None:
    assert {f.name for f in FILES} >= WITH_PYSHACL


@pytest.mark.parametrize("path", FILES, ids=[f.name for f in FILES])
def test_a_bad_input_gives_the_same_issues(path: Path, stored: LoadResult) -> None:
    _, ours = validate_files([path], stored=stored, engine="oxigraph")
    entries = EXPECTED[path.name].get("violations", [])
    assert isinstance(entries, list)
    expected = Counter((v["rule"], v.get("line"), v.get("column"), v["message"]) for v in entries)
    assert _violations(ours.issues) == expected
    if path.name in WITH_PYSHACL:
        _, theirs = validate_files([path], stored=stored, engine="pyshacl")
        assert ours.issues == theirs.issues


def _broken_case() -> Graph:
    """seed-004 as a new case, seed-904, with an age, a size and a duration that are wrong."""
    text = (CASES_DIR / "seed-004.ttl").read_text(encoding="utf-8").replace("seed-004", "seed-904")
    for right, wrong in (
        ("cmr:numericValue 82 ;", "cmr:numericValue 300 ;"),
        (
            "cmr:numericValue 8 ;\n            cmr:unit unit:CentiM",
            "cmr:numericValue 8 ;\n            cmr:unit unit:GRAY",
        ),
        (
            "cmr:numericValue 3 ;\n            cmr:unit unit:WK",
            "cmr:numericValue -3 ;\n            cmr:unit unit:WK",
        ),
    ):
        assert right in text
        text = text.replace(right, wrong)
    return Graph().parse(data=text, format="turtle")


def _blank_focus_components(report: Graph) -> set[str]:
    """The constraint components of the results about blank nodes (nested checks)."""
    results = report.subjects(RDF.type, SH.ValidationResult)
    return {
        str(report.value(r, SH.sourceConstraintComponent)).rsplit("#", 1)[-1]
        for r in results
        if isinstance(report.value(r, SH.focusNode), BNode)
    }


def test_focus_validates_one_case_in_the_whole_cohort(stored: LoadResult) -> None:
    new = _broken_case()
    store = store_from_graph(ontology_graph() + stored.graph() + new)
    focus = {str(s) for s in new.subjects() if isinstance(s, URIRef)}

    focused = validate_store(store, focus=focus)
    everything = validate_store(store)

    assert _top(focused) == Counter({k: n for k, n in _top(everything).items() if k[0][0] in focus})
    assert _blank_focus_components(focused) >= {
        "SPARQLConstraintComponent",  # the age of 300 years (AgeShape, two levels down)
        "InConstraintComponent",  # the size in gray
        "MinInclusiveConstraintComponent",  # the negative duration
    }
    # The stored cases' own issues (no outcome recorded, ...) are not reported again.
    assert all(k[0][0] in focus for k in _top(focused))
    assert any(k[0][0] not in focus for k in _top(everything))


def _copies(graph: Graph, count: int) -> Graph:
    """``count`` copies of the case data, each under its own IRIs and case identifiers."""

    def rename(term: Node, k: int) -> Node:
        if isinstance(term, URIRef) and str(term).startswith(DATA_NS):
            return URIRef(f"{DATA_NS}copy{k}/{str(term)[len(DATA_NS) :]}")
        return BNode(f"{term}x{k}") if isinstance(term, BNode) else term

    out = Graph()
    for k in range(count):
        for s, p, o in graph:
            copy = Literal(f"{o}-copy{k}") if p == CMR.caseId else rename(o, k)
            out.add((rename(s, k), p, copy))
    return out


def test_copies_of_the_cohort_give_as_many_results(stored: LoadResult) -> None:
    shapes = compile_shapes(load_shapes())
    counts = []
    for copies in (1, 2):
        store = store_from_graph(ontology_graph() + _copies(stored.graph(), copies))
        counts.append(sum(_results(validate_store(store, shapes)).values()))
    assert counts[0] > 0
    assert counts[1] == 2 * counts[0]


TINY_SHAPES = """
@prefix ex: <http://example.org/> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

ex:Nodes a sh:NodeShape ;
    sh:targetNode ex:a, ex:b ;
    sh:property [
        sh:path ( ex:p ex:q ) ; sh:maxLength 3 ; sh:message "short through a sequence" ;
    ] , [
        sh:path [ sh:zeroOrMorePath ex:next ] ; sh:nodeKind sh:IRI ; sh:message "IRIs all along" ;
    ] , [
        sh:path ex:r ; sh:not [ sh:datatype xsd:string ] ; sh:message "not a string" ;
    ] , [
        sh:path ex:r ; sh:and ( [ sh:minInclusive 1 ] [ sh:maxExclusive 10 ] ) ;
        sh:severity sh:Warning ; sh:message "from 1 to 10" ;
    ] , [
        sh:path ex:r ; sh:minCount 2 ; sh:deactivated true ; sh:message "switched off" ;
    ] , [
        sh:path [ sh:inversePath ex:owns ] ; sh:minCount 1 ; sh:message "owned" ;
    ] .

ex:Objects a sh:NodeShape ;
    sh:targetObjectsOf ex:link ;
    sh:nodeKind sh:BlankNodeOrIRI ; sh:message "links point at nodes" .

ex:Subjects a sh:NodeShape ;
    sh:targetSubjectsOf ex:link ;
    sh:property [
        sh:path ex:link ; sh:maxCount 1 ; sh:message "one link" ;
    ] , [
        sh:path ex:link ; sh:node ex:Named ; sh:message "links point at named things" ;
    ] .

ex:Named a sh:NodeShape ;
    sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:minLength 2 ; sh:message "a name" ] .
"""

TINY_DATA = """
@prefix ex: <http://example.org/> .
ex:a ex:p ex:x ; ex:next ex:n ; ex:r "text", 12 .
ex:x ex:q "long", "ok" .
ex:n ex:next "end" .
ex:b ex:r 5 . ex:o ex:owns ex:b .
ex:c ex:link "text", ex:d, [ ex:name "n" ] .
ex:d ex:name "dee" .
"""


def test_other_constructs_give_what_pyshacl_gives() -> None:
    shapes = Graph().parse(data=TINY_SHAPES, format="turtle")
    data = Graph().parse(data=TINY_DATA, format="turtle")
    _, theirs, _ = pyshacl.validate(data, shacl_graph=shapes, advanced=True, allow_warnings=True)
    assert isinstance(theirs, Graph)
    ours = validate_store(store_from_graph(data), shapes)
    assert _results(ours) == _results(theirs)
    assert len(_results(ours)) >= 7


@pytest.mark.parametrize(
    "shape",
    [
        "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:closed true .",
        "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:hasValue 1 ] .",
        "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:node ex:S .",
        "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:or ( [ sh:node ex:T ] ) . ex:T sh:minLength 1 .",
    ],
    ids=["closed", "hasValue", "recursive", "node-in-or"],
)
def test_what_the_engine_cannot_run_is_a_shapes_error(shape: str) -> None:
    prefixes = "@prefix ex: <http://example.org/> . @prefix sh: <http://www.w3.org/ns/shacl#> .\n"
    with pytest.raises(ShapesError):
        compile_shapes(Graph().parse(data=prefixes + shape, format="turtle"))


def test_an_unknown_engine_is_a_shapes_error() -> None:
    with pytest.raises(ShapesError, match="unknown SHACL engine"):
        validate_files(case_files(CASES_DIR)[:1], engine="shacl-js")
