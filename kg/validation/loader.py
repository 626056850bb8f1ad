"""Read case files and check what the shapes cannot: syntax, terms, identifiers, references.

Every problem is reported with its file, line and column: Turtle syntax, unknown ontology
terms, duplicate case identifiers, dangling references and references across cases. The loader
never stops at the first problem: :func:`load_files` returns every problem it found, so that a
curator fixes a file in one pass. Syntax errors make a file unreadable
(:attr:`LoadResult.syntax_errors`); the rest (:attr:`LoadResult.problems`) make the data
non-conforming.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph
from rdflib import Graph, URIRef

from kg.model.errors import (
    CrossCaseReferenceError,
    DanglingReferenceError,
    DuplicateCaseError,
    InputError,
    TurtleSyntaxError,
    UnknownTermError,
)
from kg.model.namespace import CMR
from kg.model.ontology import DATA_NS, PREFIXES
from kg.model.vocabulary import Vocabulary
from kg.validation.reading import display_path, read_case_text

__all__ = [
    "LoadResult",
    "SourceFile",
    "case_files",
    "load_files",
    "locate",
    "oxigraph_syntax_error",
    "parse_turtle",
    "statement_line",
    "subject_position",
]


@dataclass
class SourceFile:
    """One parsed input file."""

    path: Path
    text: str
    graph: Graph

    @property
    def name(self) -> str:
        """The path for messages: relative to the working directory when it lies below it."""
        return display_path(self.path)


@dataclass
class LoadResult:
    """What :func:`load_files` read, and what is wrong with it."""

    files: list[SourceFile] = field(default_factory=list)
    syntax_errors: list[TurtleSyntaxError] = field(default_factory=list)
    problems: list[InputError] = field(default_factory=list)
    _merged: Graph | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        """True when every file parsed and no problem was found."""
        return not self.syntax_errors and not self.problems

    def graph(self) -> Graph:
        """All parsed files in one graph (merged once; do not modify it)."""
        if self._merged is None:
            self._merged = self._merge()
        return self._merged

    def _merge(self) -> Graph:
        merged = Graph()
        for name, ns in PREFIXES.items():
            merged.bind(name, ns, override=True)
        for source in self.files:
            for triple in source.graph:
                merged.add(triple)
        return merged

    def file_of(self, node: URIRef) -> SourceFile | None:
        """The file in which ``node`` is the subject of a triple, if any."""
        for source in self.files:
            if (node, None, None) in source.graph:
                return source
        return None


def case_files(root: Path) -> list[Path]:
    """The Turtle files under ``root`` (or ``root`` itself), sorted.

    A file named on its own is returned whatever its suffix; reading it refuses anything but
    ``.ttl`` (:func:`kg.validation.reading.read_case_text`).
    """
    if root.is_file():
        return [root]
    return sorted(root.rglob("*.ttl"))


def parse_turtle(path: Path) -> SourceFile:
    """Parse one Turtle file; raise :class:`TurtleSyntaxError` with its line and column."""
    text = read_case_text(path)
    graph = Graph()
    try:
        graph.parse(data=text, format="turtle", publicID=path.resolve().as_uri())
    except Exception as exc:  # rdflib's Turtle parser raises several types; locate it precisely
        raise _located_syntax_error(path, text, exc) from exc
    return SourceFile(path, text, graph)


def _located_syntax_error(path: Path, text: str, exc: Exception) -> TurtleSyntaxError:
    """Re-parse with Oxigraph, whose errors carry exact positions."""
    try:
        list(
            pyoxigraph.parse(
                input=text.encode("utf-8"),
                format=pyoxigraph.RdfFormat.TURTLE,
                base_iri=path.resolve().as_uri(),
            )
        )
    except SyntaxError as located:
        return oxigraph_syntax_error(path, located)
    line = getattr(exc, "lines", None)
    return TurtleSyntaxError(
        display_path(path),
        line + 1 if isinstance(line, int) else None,
        None,
        detail=str(getattr(exc, "_why", exc)),
    )


def oxigraph_syntax_error(path: Path, located: SyntaxError) -> TurtleSyntaxError:
    """The error for a file Oxigraph could not parse, at its line and column."""
    detail = re.sub(r"^Parser error [^:]*: ", "", located.msg or "")
    return TurtleSyntaxError(
        display_path(path), located.lineno, located.offset, detail=_explain_syntax(detail)
    )


_SYNTAX_HINTS = {
    "Line jumps are not allowed in string literals": (
        "a string is not closed on this line; add the closing quote "
        '(or use """...""" for text over several lines)'
    ),
}


def _explain_syntax(detail: str) -> str:
    """Oxigraph's message, with a curator's fix where the message alone does not say it."""
    for needle, hint in _SYNTAX_HINTS.items():
        if needle in detail:
            return hint
    return detail


def locate(text: str, iri: str) -> tuple[int | None, int | None]:
    r"""Line and column (1-based) of the first mention of ``iri`` in Turtle ``text``.

    Looks for the full ``<iri>`` and for any prefixed name that expands to it.

    >>> locate('@prefix cmr: <https://w3id.org/cmr/> .\n:a cmr:Foo 1 .', "https://w3id.org/cmr/Foo")
    (2, 4)
    """
    patterns = [re.escape(f"<{iri}>")]
    for prefix, ns in re.findall(r"@prefix\s+([\w\-]*):\s*<([^>]*)>", text, flags=re.IGNORECASE):
        if iri.startswith(ns) and len(iri) > len(ns):
            local = iri[len(ns) :]
            patterns.append(rf"(?<![\w:]){re.escape(prefix)}:{re.escape(local)}(?![\w\-])")
    for lineno, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith(("@prefix", "PREFIX", "#")):
            continue
        for pattern in patterns:
            match = re.search(pattern, line)
            if match:
                return lineno, match.start() + 1
    return None, None


def statement_line(text: str, iri: str) -> int | None:
    """The line on which ``iri`` opens a statement (written at the start of a line), if any."""
    forms = [f"<{iri}>"]
    for prefix, ns in re.findall(r"@prefix\s+([\w\-]*):\s*<([^>]*)>", text, flags=re.IGNORECASE):
        if iri.startswith(ns) and len(iri) > len(ns):
            forms.append(f"{prefix}:{iri[len(ns) :]}")
    for lineno, content in enumerate(text.splitlines(), start=1):
        if any(content == f or content.startswith(f + " ") for f in forms):
            return lineno
    return None


def subject_position(text: str, iri: str) -> tuple[int | None, int | None]:
    """Where ``iri`` opens a statement, else where it is first used."""
    line = statement_line(text, iri)
    return (line, 1) if line is not None else locate(text, iri)


def _unknown_terms(source: SourceFile, vocabulary: Vocabulary) -> Iterable[UnknownTermError]:
    seen: set[URIRef] = set()
    for triple in source.graph:
        for node in triple:
            if (
                isinstance(node, URIRef)
                and node not in seen
                and Vocabulary.is_closed_iri(str(node))
                and node not in vocabulary
            ):
                seen.add(node)
                line, column = locate(source.text, str(node))
                yield UnknownTermError(
                    source.name,
                    line,
                    column,
                    term=vocabulary.curie(str(node)),
                    suggestions=[vocabulary.curie(s) for s in vocabulary.suggest(str(node))],
                )


_CASE_NS = DATA_NS + "case/"


def _case_key(iri: str) -> str | None:
    """The case identifier in a case-node IRI (``.../case/<id>`` or ``.../case/<id>/node``)."""
    if not iri.startswith(_CASE_NS):
        return None
    return iri[len(_CASE_NS) :].split("/", 1)[0]


def _cross_case_references(graph: Graph) -> list[tuple[URIRef, URIRef]]:
    """Triples in which a node of one case points at a node of another case."""
    out = []
    for s, _, o in sorted(graph):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            mine, theirs = _case_key(str(s)), _case_key(str(o))
            if mine is not None and theirs is not None and mine != theirs:
                out.append((s, o))
    return out


def load_files(
    paths: Sequence[Path],
    vocabulary: Vocabulary | None = None,
    *,
    known_subjects: Iterable[URIRef] = (),
    known_case_ids: dict[str, str] | None = None,
) -> LoadResult:
    """Parse ``paths`` and check them against the ontology and against each other.

    ``known_subjects`` and ``known_case_ids`` (identifier to file) describe data already stored,
    so that a new file may refer to it and may not reuse its identifiers.
    """
    vocabulary = vocabulary or Vocabulary.shipped()
    result = LoadResult()
    for path in paths:
        try:
            result.files.append(parse_turtle(path))
        except TurtleSyntaxError as err:
            result.syntax_errors.append(err)
    case_ids: dict[str, str] = dict(known_case_ids or {})
    defined: set[URIRef] = set(known_subjects)
    for source in result.files:
        defined.update(s for s in source.graph.subjects() if isinstance(s, URIRef))
    for source in result.files:
        result.problems.extend(_unknown_terms(source, vocabulary))
        for case, case_id in sorted(source.graph.subject_objects(CMR.caseId)):
            key = str(case_id)
            if key in case_ids:
                line, column = locate(source.text, str(case))
                result.problems.append(
                    DuplicateCaseError(source.name, line, column, case_id=key, other=case_ids[key])
                )
            else:
                case_ids[key] = source.name
        dangling: dict[URIRef, list[URIRef]] = {}
        for s, _, o in sorted(source.graph):
            if isinstance(o, URIRef) and str(o).startswith(DATA_NS) and o not in defined:
                dangling.setdefault(o, []).append(s)  # type: ignore[arg-type]
        for subject, target in _cross_case_references(source.graph):
            line, column = locate(source.text, str(target))
            result.problems.append(
                CrossCaseReferenceError(
                    source.name,
                    line,
                    column,
                    subject=vocabulary.curie(str(subject)),
                    target=vocabulary.curie(str(target)),
                )
            )
        for target, subjects in dangling.items():
            line, column = locate(source.text, str(target))
            result.problems.append(
                DanglingReferenceError(
                    source.name,
                    line,
                    column,
                    subject=vocabulary.curie(str(subjects[0])),
                    target=vocabulary.curie(str(target)),
                    others=len(set(subjects)) - 1,
                )
            )
    return result
