"""The W3C SHACL test suite, run on the store's SHACL engine (:mod:`kg.validation.shacl`).

The suite is a tree of manifests (``mf:include``) whose ``mf:entries`` are ``sht:Validate``
tests: a data graph, a shapes graph and the expected validation report. The manifests are read
as pyshacl's own test harness reads them; each test's report is judged by pyshacl's
``check_sht_result``, which compares the results' focus nodes, values, paths, components,
shapes and severities and the report's ``sh:conforms`` (messages only where the test gives
some). The suite itself ships with the tests (``tests/validation/w3c_shacl``); nothing is
downloaded.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterator
from contextlib import redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from pyshacl.validator_conformance import check_sht_result
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH, Namespace
from rdflib.term import Node

from kg.model.errors import KGError
from kg.validation.shacl import store_from_graph, validate_store

__all__ = ["Outcome", "SuiteTest", "Validator", "run_suite", "run_test", "suite_tests"]

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")

_QUIET = logging.Logger("kg.validation.shaclsuite.judge", logging.CRITICAL)

#: Validates a data graph against a shapes graph and returns the report graph.
Validator = Callable[[Graph, Graph], Graph]


@dataclass(frozen=True)
class SuiteTest:
    """One ``sht:Validate`` test of the suite."""

    #: The test's IRI relative to the suite's folder, e.g. ``core/node/class-001``.
    name: str
    label: str
    manifest: Graph
    result: URIRef | BNode
    data: Path
    shapes: Path


@dataclass(frozen=True)
class Outcome:
    """Whether the engine passed a test and, if not, why (the first thing that went wrong)."""

    name: str
    passed: bool
    note: str = ""


def suite_tests(manifest: Path) -> list[SuiteTest]:
    """Every ``sht:Validate`` test under ``manifest``, in the order of the includes."""
    manifest = manifest.resolve()
    return list(_read(manifest, manifest.parent.as_uri() + "/", depth=0))


def _read(path: Path, root: str, depth: int) -> Iterator[SuiteTest]:
    if depth > 10:
        raise KGError(f"{path}: manifests include each other more than 10 levels deep")
    graph = Graph().parse(path, format="turtle", publicID=path.as_uri())
    for manifest in graph.subjects(RDF.type, MF.Manifest):
        for include in graph.objects(manifest, MF.include):
            yield from _read(_file(include), root, depth + 1)
        entries = graph.value(manifest, MF.entries)
        for entry in graph.items(entries) if entries is not None else ():
            if (entry, RDF.type, SHT.Validate) in graph:
                yield _test(graph, entry, root)


def _test(graph: Graph, entry: Node, root: str) -> SuiteTest:
    action, result = graph.value(entry, MF.action), graph.value(entry, MF.result)
    data = graph.value(action, SHT.dataGraph) if action is not None else None
    shapes = graph.value(action, SHT.shapesGraph) if action is not None else None
    if not isinstance(result, URIRef | BNode) or data is None or shapes is None:
        raise KGError(f"{entry}: a test needs mf:result and sht:dataGraph, sht:shapesGraph")
    return SuiteTest(
        name=str(entry).removeprefix(root),
        label=str(graph.value(entry, RDFS.label) or ""),
        manifest=graph,
        result=result,
        data=_file(data),
        shapes=_file(shapes),
    )


def _file(iri: Node) -> Path:
    if not isinstance(iri, URIRef) or not iri.startswith("file:"):
        raise KGError(f"{iri}: a manifest may only name local files")
    return Path(unquote(urlparse(str(iri)).path))


def _store_engine(data: Graph, shapes: Graph) -> Graph:
    report = validate_store(store_from_graph(data), shapes, workers=1)
    # check_sht_result compares IRIs and paths by their prefixed names, as pyshacl's reports
    # bind the shapes graph's prefixes.
    for prefix, namespace in shapes.namespaces():
        report.bind(prefix, namespace, override=False)
    # The report names blank nodes by their labels; pyshacl's reports copy their descriptions,
    # by which the judge tells blank nodes apart.
    for term, source in ((SH.focusNode, data), (SH.value, data), (SH.sourceShape, shapes)):
        for node in set(report.objects(None, term)):
            if isinstance(node, BNode):
                report += source.cbd(node)
    return report


def run_test(test: SuiteTest, validate: Validator = _store_engine) -> Outcome:
    """Run one test with ``validate`` (the store engine by default) and judge its report.

    An engine that refuses the shapes (a :class:`KGError`, such as an unsupported SHACL
    parameter) fails the test with its message as the note.
    """
    data = Graph().parse(test.data, format="turtle", publicID=test.data.as_uri())
    shapes = Graph().parse(test.shapes, format="turtle", publicID=test.shapes.as_uri())
    try:
        report = validate(data, shapes)
    except KGError as exc:
        return Outcome(test.name, False, f"refused: {str(exc).splitlines()[0]}")
    difference = _difference(report, test.manifest, test.result)
    expected = Graph() + test.manifest  # check_sht_result edits both graphs
    with redirect_stdout(io.StringIO()):  # it prints blank-node differences
        passed = bool(check_sht_result(report, expected, test.result, log=_QUIET))
    return Outcome(test.name, passed, "" if passed else difference or "the reports differ")


def _difference(report: Graph, manifest: Graph, expected: Node) -> str:
    """The results (component, focus node, value) one report has and the other lacks."""
    got = report.value(predicate=RDF.type, object=SH.ValidationReport)
    parts = []
    if got is not None and report.value(got, SH.conforms) != manifest.value(expected, SH.conforms):
        parts.append(f"sh:conforms is {report.value(got, SH.conforms)}")
    mine, theirs = _results(report, got), _results(manifest, expected)
    parts += [f"missing {r}" for r in sorted(theirs - mine)]
    parts += [f"extra {r}" for r in sorted(mine - theirs)]
    return "; ".join(parts)


def _results(graph: Graph, report: Node | None) -> set[str]:
    def short(node: Node | None) -> str:
        if node is None or isinstance(node, BNode):
            return "-" if node is None else "[]"
        return node.n3(graph.namespace_manager)

    return {
        " ".join(
            short(graph.value(r, p)) for p in (SH.sourceConstraintComponent, SH.focusNode, SH.value)
        )
        for r in graph.objects(report, SH.result)
    }


def run_suite(manifest: Path, validate: Validator = _store_engine) -> list[Outcome]:
    """Every test under ``manifest``, run with ``validate`` and judged."""
    return [run_test(t, validate) for t in suite_tests(manifest)]
