"""Render validation reports for people (text) and for programs (JSON, Turtle)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable

from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, SH

from kg.validation.issues import Issue, ValidationReport

__all__ = ["SEVERITIES", "render_report"]

SEVERITIES = ("violation", "warning", "info")


def _at_least(issues: Iterable[Issue], level: str) -> list[Issue]:
    cutoff = SEVERITIES.index(level)
    return [i for i in issues if SEVERITIES.index(i.severity) <= cutoff]


def render_text(report: ValidationReport, level: str = "info") -> str:
    """Issues grouped by file and case, each with its line, rule and fix; then a summary."""
    groups: dict[tuple[str, str], list[Issue]] = defaultdict(list)
    for issue in _at_least(report.issues, level):
        groups[(issue.file or "(no file)", issue.case or "")].append(issue)
    lines = []
    for (file, case), issues in sorted(groups.items()):
        lines.append(f"{file}" + (f"  [{case}]" if case else ""))
        for issue in issues:
            where = ":".join(str(x) for x in (issue.line, issue.column) if x is not None) or "-"
            lines.append(f"  {where:>8}  {issue.severity:<9} {issue.rule}")
            lines.append(f"            {issue.message}")
            details = [
                f"node {issue.focus}" if issue.focus else "",
                f"property {issue.path}" if issue.path else "",
                f"value {issue.value}" if issue.value else "",
            ]
            detail = ", ".join(d for d in details if d)
            if detail:
                lines.append(f"            ({detail})")
        lines.append("")
    verdict = "conforms" if report.conforms else "does NOT conform"
    lines.append(
        f"{len(report.files)} files: {report.count('violation')} violations, "
        f"{report.count('warning')} warnings, {report.count('info')} infos; the data {verdict}."
    )
    return "\n".join(lines) + "\n"


def render_json(report: ValidationReport, level: str = "info") -> str:
    """The report as a JSON object."""
    return (
        json.dumps(
            {
                "conforms": report.conforms,
                "files": report.files,
                "counts": {s: report.count(s) for s in SEVERITIES},
                "issues": [i.to_dict() for i in _at_least(report.issues, level)],
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )


def render_turtle(report: ValidationReport, level: str = "info") -> str:
    """The SHACL validation report graph as Turtle, its ``sh:conforms`` the report's verdict.

    Issues of the other checks (syntax, unknown terms, identifiers, references) are not SHACL
    results; they come first, as comments, and count in ``sh:conforms`` as they count in the
    exit code. A file refused before the shapes ran still gets a report (with no results).
    """
    head = [
        f"# {i.severity}: {i.place}: {i.rule}: {i.message}"
        for i in _at_least(report.issues, level)
        if i.origin != "shapes"
    ]
    graph = Graph()
    graph.bind("sh", SH)
    if report.results_graph is not None:
        for prefix, namespace in report.results_graph.namespaces():
            graph.bind(prefix, namespace)
        graph += report.results_graph
    nodes = list(graph.subjects(RDF.type, SH.ValidationReport)) or [BNode()]
    for node in nodes:
        graph.add((node, RDF.type, SH.ValidationReport))
        graph.set((node, SH.conforms, Literal(report.conforms)))
    body = graph.serialize(format="turtle")
    return "\n".join(head) + ("\n" if head else "") + body


_RENDERERS = {"text": render_text, "json": render_json, "turtle": render_turtle}


def render_report(report: ValidationReport, fmt: str = "text", level: str = "info") -> str:
    """Render ``report`` in ``fmt`` (one of ``kg.sparql.writers.REPORT_FORMATS``)."""
    return _RENDERERS[fmt](report, level)
