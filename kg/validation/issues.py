"""Validation issues: what is wrong, where (file, line, case) and what to do, in one report.

Each :class:`Issue` says which file and case it is in, the line where the node is written, the
rule it breaks in plain words and what to do. Loader problems become issues with
:func:`issue_from_input_error`, SHACL results with :func:`issues_from_results` (placed by a
:class:`Locator`), and :func:`combine` merges both without echoes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection as RDFCollection
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from kg.model.errors import DanglingReferenceError, InputError, UnknownTermError
from kg.model.namespace import CMR
from kg.model.ontology import DATA_NS
from kg.model.vocabulary import Vocabulary
from kg.validation.loader import SourceFile, subject_position

__all__ = [
    "GraphLocator",
    "Issue",
    "Locator",
    "ValidationReport",
    "case_key",
    "cases_by_file",
    "combine",
    "issue_from_input_error",
    "issues_from_results",
    "named_ancestor",
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


def issue_from_input_error(err: InputError, cases: dict[str, str] | None = None) -> Issue:
    """A loader problem as an issue (``cases``: file name to the case it holds)."""
    return Issue(
        "violation",
        err.rule,
        err.message(),
        err.path,
        err.line,
        err.column,
        case=(cases or {}).get(err.path),
        origin="checks",
    )


def cases_by_file(files: Sequence[SourceFile]) -> dict[str, str]:
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
    speaking, silenced = _wrappers_that_speak(results, shapes)
    for result in results.subjects(RDF.type, SH.ValidationResult):
        if result in silenced:
            continue
        if (result, SH.detail, None) in results and result not in speaking:
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


def _wrappers_that_speak(results: Graph, shapes: Graph) -> tuple[set[Node], set[Node]]:
    """The wrappers reported with their own message, and the nested results they replace.

    A failed ``sh:node`` is reported by its nested results, except when the value has the
    wrong form: a plain value where a node is expected (``cmr:age 47``), or a node holding a
    value of the wrong datatype (``cmr:numericValue "3 cm"``). The nested results then
    describe consequences (no unit, a string is not greater than 0), and the wrapper's
    message, which names the expected form, is the one to show. The outermost wrapper wins.
    """
    wrappers = set(results.subjects(SH.detail, None))
    below = {w: _below(results, w) for w in wrappers}
    qualifying = {
        w
        for w in wrappers
        if isinstance(results.value(w, SH.value), Literal)
        or any(_form_failure(results, shapes, d) for d in below[w])
    }
    chosen = {w for w in qualifying if not any(w in below[o] for o in qualifying)}
    return chosen, {d for w in chosen for d in below[w]}


def _below(results: Graph, wrapper: Node) -> set[Node]:
    """Every result nested under ``wrapper``, at any depth."""
    found: set[Node] = set()
    pending = list(results.objects(wrapper, SH.detail))
    while pending:
        node = pending.pop()
        if node not in found:
            found.add(node)
            pending += results.objects(node, SH.detail)
    return found


def _form_failure(results: Graph, shapes: Graph, result: Node) -> bool:
    """A literal value refused for its datatype or node kind (alone or as ``sh:or`` options)."""
    if not isinstance(results.value(result, SH.value), Literal):
        return False
    component = results.value(result, SH.sourceConstraintComponent)
    if component in (SH.DatatypeConstraintComponent, SH.NodeKindConstraintComponent):
        return True
    shape = results.value(result, SH.sourceShape)
    if component != SH.OrConstraintComponent or shape is None:
        return False
    options = [m for lst in shapes.objects(shape, SH["or"]) for m in RDFCollection(shapes, lst)]
    return bool(options) and all(
        (m, SH.datatype, None) in shapes or (m, SH.nodeKind, None) in shapes for m in options
    )


def _curies(text: str, vocabulary: Vocabulary) -> str:
    """Shorten the IRIs pyshacl writes into messages; leave other URLs in prose alone."""

    def shorten(match: re.Match[str]) -> str:
        curie = vocabulary.curie(match.group(1))
        return match.group(0) if curie.startswith("<") else curie

    return re.sub(r"<?(https?://[^\s>,]+[^\s>,.])>?", shorten, text)


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
