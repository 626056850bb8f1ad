"""Validate case data: the loader's checks, then the SHACL shapes, in one report.

Each :class:`Issue` says which file and case it is in, the line where the node is written,
the rule it breaks in plain words and what to do. :func:`validate_files` is what ``kg validate``
runs; :func:`validate_graph` checks a graph that is already built.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from kg.model.errors import ShapesError
from kg.model.namespace import CMR
from kg.model.ontology import DATA_NS, ontology_graph
from kg.model.vocabulary import Vocabulary
from kg.validation.engines import pyshacl_report
from kg.validation.integrity import FileChecks
from kg.validation.issues import (
    GraphLocator,
    Issue,
    ValidationReport,
    cases_by_file,
    combine,
    issue_from_input_error,
    issues_from_results,
)
from kg.validation.loader import LoadResult, SourceFile, load_files
from kg.validation.reading import display_path
from kg.validation.shapes import load_shapes

__all__ = [
    "ShapesRunner",
    "referenced_context",
    "validate_files",
    "validate_graph",
]

_SEVERITY = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
_CASE_IRI = re.compile(re.escape(DATA_NS) + r"(case|source)/([^/#]+)")


def validate_graph(
    data: Graph,
    *,
    shapes: Graph | None = None,
    files: Sequence[SourceFile] = (),
    vocabulary: Vocabulary | None = None,
    engine: str = "pyshacl",
) -> ValidationReport:
    """Run the SHACL shapes on ``data`` (which must include the ontology).

    ``engine`` is ``"pyshacl"`` or ``"oxigraph"`` (:mod:`kg.validation.shacl`, the same results,
    faster). pyshacl's ``focus_nodes`` mode is deliberately not used: it skips nested ``sh:node``
    checks on blank-node values (see ``tests/issues/test_pyshacl_focus_nodes.py``).
    """
    shapes = shapes if shapes is not None else load_shapes()
    vocabulary = vocabulary or Vocabulary.shipped()
    results = _shacl_results(data, shapes, engine)
    issues = issues_from_results(results, shapes, GraphLocator(data, files), vocabulary)
    unique = sorted(set(issues), key=Issue.order)
    return ValidationReport(unique, [f.name for f in files], results, data)


def _shacl_results(data: Graph, shapes: Graph, engine: str) -> Graph:
    """The SHACL validation report graph of ``data``, from the chosen engine."""
    if engine == "oxigraph":
        from kg.validation.shacl import (  # kg.validation.shacl imports this module
            store_from_graph,
            validate_store,
        )

        return validate_store(store_from_graph(data), shapes)
    if engine != "pyshacl":
        raise ShapesError(f"unknown SHACL engine {engine!r}; use 'pyshacl' or 'oxigraph'")
    # the verdict is recomputed from severities, so that warnings never fail a run
    return pyshacl_report(data, shapes)


def referenced_context(
    new: Graph, outgoing: Callable[[Node], Iterable[tuple[Node, Node]]]
) -> Graph:
    """The stored data nodes that ``new`` refers to, with their blank-node values.

    ``outgoing(node)`` gives a stored node's (predicate, object) pairs, from whatever holds
    the stored data (an rdflib graph, a store).
    """
    context = Graph()
    own = {s for s in new.subjects() if isinstance(s, URIRef)}
    pending: list[Node] = [
        o
        for o in set(new.objects())
        if isinstance(o, URIRef) and str(o).startswith(DATA_NS) and o not in own
    ]
    seen: set[Node] = set()
    while pending:
        node = pending.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in outgoing(node):
            context.add((node, p, o))
            if isinstance(o, BNode):
                pending.append(o)
    return context


#: Runs the shapes on data (without the ontology) parsed from the given files.
ShapesRunner = Callable[[Graph, Sequence[SourceFile]], ValidationReport]


def validate_files(
    paths: Sequence[Path],
    *,
    stored: LoadResult | None = None,
    shapes: Graph | None = None,
    engine: str = "pyshacl",
    shapes_runner: ShapesRunner | None = None,
) -> tuple[LoadResult, ValidationReport]:
    """Load ``paths`` (with ``stored`` data already accepted) and validate them.

    Loader problems (unknown terms, duplicates, dangling references) come first in the report;
    the shapes then run on the ontology, ``stored`` and the new files together, and only issues
    about the new files are kept when ``stored`` is given. ``shapes_runner`` replaces the
    default way of running the shapes (it gets the data without the ontology, and the files).
    """
    known_subjects: list[URIRef] = []
    known_ids: dict[str, str] = {}
    if stored is not None:
        for source in stored.files:
            known_subjects += [s for s in source.graph.subjects() if isinstance(s, URIRef)]
            for _, cid in source.graph.subject_objects(CMR.caseId):
                known_ids[str(cid)] = source.name
    loaded = load_files(paths, known_subjects=known_subjects, known_case_ids=known_ids)
    _apply_file_checks(loaded, paths, set(known_subjects))
    cases = cases_by_file(loaded.files)
    if loaded.syntax_errors:
        issues = [issue_from_input_error(e, cases) for e in loaded.syntax_errors]
        issues += [issue_from_input_error(e, cases) for e in loaded.problems]
        return loaded, ValidationReport(issues, [str(p) for p in paths])
    new_data = loaded.graph()
    if stored is not None:
        # Only the stored nodes the new files refer to: the checks stay complete (every shape
        # that needs another node finds it) while the stored cases are not validated again.
        stored_graph = stored.graph()
        new_data = new_data + referenced_context(new_data, stored_graph.predicate_objects)
    data_files = loaded.files + (stored.files if stored else [])
    if shapes_runner is not None:
        report = shapes_runner(new_data, data_files)
    else:
        report = validate_graph(
            ontology_graph() + new_data, shapes=shapes, files=data_files, engine=engine
        )
    new_files = {f.name for f in loaded.files}
    shape_issues = [i for i in report.issues if stored is None or i.file in new_files]
    issues = combine(loaded.problems, shape_issues, cases)
    report.issues = issues
    report.files = [f.name for f in loaded.files]
    return loaded, report


def _apply_file_checks(loaded: LoadResult, paths: Sequence[Path], known: set[URIRef]) -> None:
    """Read ``paths`` as every command does (:class:`FileChecks`); leave out the files it refuses.

    Their syntax errors are Oxigraph's (exact places); a refused file's other loader problems go,
    as a build never sees its statements.
    """
    checks = FileChecks(
        stored=lambda owner: "the stored data" if URIRef(owner.iri) in known else None
    )
    for path in paths:
        checks.read(path)
    left = {display_path(p) for p in checks.left_out}
    loaded.files = [f for f in loaded.files if f.name not in left]
    loaded.syntax_errors = [e for e in loaded.syntax_errors if e.path not in left]
    loaded.syntax_errors += checks.syntax_errors
    loaded.problems = [e for e in loaded.problems if e.path not in left] + checks.problems
