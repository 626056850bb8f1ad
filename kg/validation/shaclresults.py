"""Results of the store's SHACL engine, and the validation report graph they make.

The report has pyshacl's form (a wrapper result per failed ``sh:node``, its nested results under
``sh:detail``), so :func:`kg.validation.issues.issues_from_results` reads either engine's report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from kg.validation.shapetests import Shape, Term

__all__ = ["Result", "report_graph", "select_results"]


@dataclass(frozen=True)
class Result:
    """One validation result, with the chain of focus nodes above its own."""

    shape: Shape
    component: URIRef
    focus: Term
    chain: tuple[Term, ...]
    value: Term | None = None
    path: Node | None = None
    messages: tuple[Literal, ...] = ()
    constraint: Node | None = None
    details: tuple[Result, ...] = ()

    @classmethod
    def of(
        cls,
        shape: Shape,
        component: URIRef,
        focus: Term,
        chain: tuple[Term, ...],
        value: Term | None = None,
        generic: Literal | None = None,
    ) -> Result:
        """A result of a core constraint: the shape's path and messages."""
        name = component.rsplit("#", 1)[-1]
        default = generic or Literal(f"{name}: {focus} does not conform to {shape.node}.")
        messages = shape.messages or (default,)
        return cls(shape, component, focus, chain, value, shape.path_node, messages)


def report_graph(results: Sequence[Result], shapes: Graph) -> Graph:
    """The results as a SHACL validation report graph, in pyshacl's form."""
    report = Graph()
    report.bind("sh", SH)
    node = BNode()
    report.add((node, RDF.type, SH.ValidationReport))
    conforms = not any(r.shape.severity == SH.Violation for r in results)
    report.add((node, SH.conforms, Literal(conforms)))
    for result in results:
        report.add((node, SH.result, _add(report, result, shapes)))
    return report


def _add(report: Graph, result: Result, shapes: Graph) -> BNode:
    node = BNode()
    report.add((node, RDF.type, SH.ValidationResult))
    report.add((node, SH.focusNode, result.focus))
    report.add((node, SH.resultSeverity, result.shape.severity))
    report.add((node, SH.sourceShape, result.shape.node))
    report.add((node, SH.sourceConstraintComponent, result.component))
    if result.value is not None:
        report.add((node, SH.value, result.value))
    if result.path is not None:
        report.add((node, SH.resultPath, result.path))
        if isinstance(result.path, BNode):
            report += shapes.cbd(result.path)
    if result.constraint is not None:
        report.add((node, SH.sourceConstraint, result.constraint))
    for message in result.messages:
        report.add((node, SH.resultMessage, message))
    for detail in result.details:
        report.add((node, SH.detail, _add(report, detail, shapes)))
    return node


def select_results(
    reports: Iterable[Graph], keep: Callable[[Node], bool] = lambda _: True
) -> Graph:
    """One report holding the results of ``reports`` whose focus node ``keep`` accepts.

    Merges the reports of a sharded build, and keeps a check's report to the files it checked.
    """
    merged = Graph()
    merged.bind("sh", SH)
    node = BNode()
    merged.add((node, RDF.type, SH.ValidationReport))
    conforms = True
    for report in reports:
        for result in report.objects(None, SH.result):
            focus = report.value(result, SH.focusNode)
            if focus is None or not keep(focus):
                continue
            merged.add((node, SH.result, result))
            merged += report.cbd(result)
            conforms = conforms and report.value(result, SH.resultSeverity) != SH.Violation
    merged.add((node, SH.conforms, Literal(conforms)))
    return merged
