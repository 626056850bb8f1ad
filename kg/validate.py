"""Validate case data: the loader's checks, then the SHACL shapes, in one report.

Each :class:`Issue` says which file and case it is in, the line where the node is written,
the rule it breaks in plain words and what to do. :func:`validate_files` is what ``kg validate``
runs; :func:`validate_graph` checks a graph that is already built.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pyshacl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from kg.errors import DanglingReferenceError, InputError, ShapesError, UnknownTermError
from kg.loader import LoadResult, SourceFile, load_files, subject_position
from kg.namespace import CMR
from kg.ontology import DATA_NS, ontology_graph
from kg.resources import SHAPES_DIR
from kg.vocabulary import Vocabulary

__all__ = [
    "GraphLocator",
    "Issue",
    "Locator",
    "ValidationReport",
    "case_key",
    "combine",
    "issue_from_input_error",
    "issues_from_results",
    "load_shapes",
    "named_ancestor",
    "referenced_context",
    "validate_files",
    "validate_graph",
]

_SEVERITY = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
_CASE_IRI = re.compile(re.escape(DATA_NS) + r"(case|source)/([^/#]+)")


@dataclass(frozen=True)
class Issue:
    """One problem found in the data."""

    severity: str  # "violation", "warning", "info"
    rule: str
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    case: str | None = None
    focus: str | None = None
    path: str | None = None
    value: str | None = None
    #: "shapes" for a SHACL result; "checks" for the loader's and the store's own checks
    origin: str = "shapes"

    @property
    def place(self) -> str:
        """``file:line:column`` as far as known, else the focus node."""
        if self.file is None:
            return self.focus or "?"
        parts = [self.file] + [str(x) for x in (self.line, self.column) if x is not None]
        return ":".join(parts)

    def order(self) -> tuple[str, int, int, str, str]:
        """Sort key: by file and line, violations first, then by rule and message."""
        rank = {"violation": 0, "warning": 1, "info": 2}.get(self.severity, 3)
        return (self.file or "~", self.line or 0, rank, self.rule, self.message)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dictionary."""
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class ValidationReport:
    """The result of validating some data."""

    issues: list[Issue] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    results_graph: Graph | None = None
    #: the graph the shapes ran on (ontology and data), when they ran
    data: Graph | None = None

    @property
    def conforms(self) -> bool:
        """No violation (warnings and infos allowed)."""
        return not any(i.severity == "violation" for i in self.issues)

    def count(self, severity: str) -> int:
        """How many issues of a severity."""
        return sum(1 for i in self.issues if i.severity == severity)


def load_shapes(directory: Path = SHAPES_DIR) -> Graph:
    """Every ``.ttl`` file in the shapes folder, in one graph."""
    shapes = Graph()
    for path in sorted(directory.glob("*.ttl")):
        shapes.parse(path, format="turtle")
    return shapes


def issue_from_input_error(err: InputError, cases: dict[str, str] | None = None) -> Issue:
    """A loader problem as an issue (``cases``: file name to the case it holds)."""
    rule = {
        "UnknownTermError": "terms exist in the ontology",
        "DuplicateCaseError": "case identifiers are unique",
        "DanglingReferenceError": "references point at defined nodes",
        "CrossCaseReferenceError": "a case node refers only to nodes of its own case",
        "TurtleSyntaxError": "the file is valid Turtle",
    }.get(type(err).__name__, type(err).__name__)
    return Issue(
        "violation",
        rule,
        err.message(),
        err.path,
        err.line,
        err.column,
        case=(cases or {}).get(err.path),
        origin="checks",
    )


def _cases_by_file(files: Sequence[SourceFile]) -> dict[str, str]:
    """File name to the case it holds (its identifier) or the source it describes."""
    out = {}
    for source in files:
        ids = sorted(str(o) for o in source.graph.objects(None, CMR.caseId))
        if ids:
            out[source.name] = ", ".join(ids)
        else:
            out[source.name] = f"source {source.path.stem}"
    return out


def case_key(iri: str) -> str | None:
    """The case (``seed-001``) or source (``source r001``) a data IRI belongs to."""
    match = _CASE_IRI.match(iri)
    if match:
        return match.group(2) if match.group(1) == "case" else f"source {match.group(2)}"
    return None


def _case_of(node: Node, graph: Graph, seen: frozenset[Node] = frozenset()) -> str | None:
    if isinstance(node, URIRef):
        return case_key(str(node))
    if isinstance(node, BNode) and node not in seen:
        for parent in graph.subjects(None, node):
            found = _case_of(parent, graph, seen | {node})
            if found:
                return found
    return None


def named_ancestor(node: Node, parents: Callable[[Node], Iterable[Node]]) -> URIRef | None:
    """The node itself if named, else the nearest named node that refers to it (breadth first).

    ``parents(node)`` gives the subjects of the triples whose object is ``node``.
    """
    frontier, seen = [node], set()
    while frontier:
        current = frontier.pop(0)
        if isinstance(current, URIRef):
            return current
        seen.add(current)
        frontier += [s for s in parents(current) if s not in seen]
    return None


def _rule_name(result: Node, results: Graph, shapes: Graph) -> str:
    sources = (results.value(result, SH.sourceConstraint), results.value(result, SH.sourceShape))
    for source in sources:
        if source is not None:
            name = shapes.value(source, SH.name) or shapes.value(source, RDFS.label)
            if name is not None:
                return str(name)
    component = results.value(result, SH.sourceConstraintComponent)
    return str(component).rsplit("#", 1)[-1] if component is not None else "shape"


def validate_graph(
    data: Graph,
    *,
    shapes: Graph | None = None,
    files: Sequence[SourceFile] = (),
    vocabulary: Vocabulary | None = None,
    engine: str = "pyshacl",
) -> ValidationReport:
    """Run the SHACL shapes on ``data`` (which must include the ontology).

    ``engine`` is ``"pyshacl"`` or ``"oxigraph"`` (:mod:`kg.shacl`, the same results, faster).
    pyshacl's ``focus_nodes`` mode is deliberately not used: it skips nested ``sh:node`` checks
    on blank-node values (see ``tests/issues/test_pyshacl_focus_nodes.py``).
    """
    shapes = shapes if shapes is not None else load_shapes()
    vocabulary = vocabulary or Vocabulary.shipped()
    results = _shacl_results(data, shapes, engine)
    issues = issues_from_results(results, shapes, GraphLocator(data, files), vocabulary)
    unique = sorted(set(issues), key=Issue.order)
    return ValidationReport(unique, [f.name for f in files], results, data)


class Locator(Protocol):
    """Where a result's focus node is written, whatever holds the data."""

    def named(self, node: Node) -> URIRef | None:
        """The node itself if named, else the nearest named node that refers to it."""

    def place(self, iri: URIRef) -> tuple[str | None, int | None, int | None]:
        """File, line and column where ``iri`` is written."""

    def case_of(self, node: Node) -> str | None:
        """The case (or source) the node belongs to."""


@dataclass
class GraphLocator:
    """A :class:`Locator` over an rdflib graph and the parsed files it came from."""

    data: Graph
    files: Sequence[SourceFile]

    def __post_init__(self) -> None:
        self._by_subject: dict[URIRef, SourceFile] = {}
        for each in self.files:
            for s in each.graph.subjects():
                if isinstance(s, URIRef):
                    self._by_subject.setdefault(s, each)

    def named(self, node: Node) -> URIRef | None:  # noqa: D102
        return named_ancestor(node, lambda n: self.data.subjects(None, n))

    def place(self, iri: URIRef) -> tuple[str | None, int | None, int | None]:  # noqa: D102
        source = self._by_subject.get(iri)
        if source is None:
            return None, None, None
        return (source.name, *subject_position(source.text, str(iri)))

    def case_of(self, node: Node) -> str | None:  # noqa: D102
        return _case_of(node, self.data)


def issues_from_results(
    results: Graph, shapes: Graph, locator: Locator, vocabulary: Vocabulary | None = None
) -> list[Issue]:
    """A SHACL results graph as issues, each placed in its file by ``locator``."""
    vocabulary = vocabulary or Vocabulary.shipped()
    issues = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        if (result, SH.detail, None) in results:
            continue  # a wrapper (sh:node failed): its nested results say what is wrong
        focus = results.value(result, SH.focusNode)
        assert focus is not None
        named = locator.named(focus)
        where, line, column = locator.place(named) if named is not None else (None, None, None)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        message = results.value(result, SH.resultMessage)
        severity_node = results.value(result, SH.resultSeverity)
        severity = (
            _SEVERITY.get(severity_node, "violation")
            if isinstance(severity_node, URIRef)
            else "violation"
        )
        issues.append(
            Issue(
                severity,
                _rule_name(result, results, shapes),
                _curies(str(message), vocabulary) if message is not None else "does not conform",
                where,
                line,
                column,
                case=locator.case_of(focus),
                focus=vocabulary.curie(str(named)) if named is not None else None,
                path=vocabulary.curie(str(path)) if isinstance(path, URIRef) else None,
                value=(
                    vocabulary.curie(str(value))
                    if isinstance(value, URIRef)
                    else str(value)
                    if isinstance(value, Literal)
                    else None
                ),
            )
        )
    return issues


def _shacl_results(data: Graph, shapes: Graph, engine: str) -> Graph:
    """The SHACL validation report graph of ``data``, from the chosen engine."""
    if engine == "oxigraph":
        from kg.shacl import store_from_graph, validate_store  # kg.shacl imports this module

        return validate_store(store_from_graph(data), shapes)
    if engine != "pyshacl":
        raise ShapesError(f"unknown SHACL engine {engine!r}; use 'pyshacl' or 'oxigraph'")
    conforms, results, _ = pyshacl.validate(
        data,
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        allow_warnings=True,
        abort_on_first=False,
    )
    del conforms  # recomputed from severities so that warnings never fail a run
    if not isinstance(results, Graph):  # pyshacl returns its failure instead of raising
        raise ShapesError(f"the SHACL shapes cannot run: {results}")
    return results


def _curies(text: str, vocabulary: Vocabulary) -> str:
    """Shorten the IRIs pyshacl writes into messages; leave other URLs in prose alone."""

    def shorten(match: re.Match[str]) -> str:
        curie = vocabulary.curie(match.group(1))
        return match.group(0) if curie.startswith("<") else curie

    return re.sub(r"<?(https?://[^\s>,]+[^\s>,.])>?", shorten, text)


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


def combine(
    problems: Sequence[InputError], shape_issues: Sequence[Issue], cases: dict[str, str]
) -> list[Issue]:
    """The loader's problems and the shapes' issues in one sorted list, without echoes.

    A node that no file defines is reported once by the loader; the shapes would otherwise
    report it again for every property that points at it. A shape that checks what a loader
    check already reported (a reused case identifier) is not repeated. A file with unknown
    terms is checked against the shapes only once they are fixed: a misspelt property or class
    makes the shapes report its consequences, not its cause.
    """
    issues = [issue_from_input_error(e, cases) for e in problems]
    dangling = {e.target for e in problems if isinstance(e, DanglingReferenceError)}
    unresolved = {e.path for e in problems if isinstance(e, UnknownTermError)}
    said = {i.rule for i in issues}  # a shape that repeats a loader check
    issues += [
        i
        for i in shape_issues
        if i.file not in unresolved and i.value not in dangling and i.rule not in said
    ]
    for path in sorted(unresolved):
        issues.append(
            Issue(
                "info",
                "shape checks wait for known terms",
                "The shapes were not checked for this file; fix its unknown terms "
                "first and validate again.",
                path,
                case=cases.get(path),
                origin="checks",
            )
        )
    return sorted(set(issues), key=Issue.order)


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
    cases = _cases_by_file(loaded.files)
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
