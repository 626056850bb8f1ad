r"""What a file may hold: one case or one publication, its own nodes only, in known namespaces.

Every command reads a file with :func:`parse_file` (the reading rules of
:mod:`kg.validation.reading`, then Oxigraph's Turtle parser, which refuses IRIs and escapes that
no store could hold) and checks it with :func:`file_problems`:

- a namespace IRI one edit away from a known one is a typo, with "did you mean";
- a case file holds exactly one case, named ``case:ID`` where ``ID`` is its ``cmr:caseId``, and
  statements about that case's nodes only (``case:ID/...``); a source file holds exactly one
  publication (``pub:ID``) and its excerpts (``src:ID/...``);
- statements about ontology terms, other cases' nodes or other publications are refused, naming
  the subject.

:class:`FileChecks` also refuses a case or publication described by two files, and leaves a
refused file out whole.

>>> text = '@prefix cmr: <https://w3id.org/cmrr/> .\\n<https://w3id.org/cmr/data/case/a> cmr:x 1 .'
>>> [p.message() for p in namespace_typos("a.ttl", text, [])]  # doctest: +ELLIPSIS
['namespace <https://w3id.org/cmrr/> is one character away from <https://w3id.org/cmr/>; ...']
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal, URIRef

from kg.model.errors import (
    CaseIdMismatchError,
    DuplicateOwnerError,
    FileContentError,
    ForeignSubjectError,
    IllTypedValueError,
    InputError,
    NamespaceTypoError,
    NoOwnerError,
    OntologyStatementError,
    StoredOwnerError,
    TurtleSyntaxError,
    TwoOwnersError,
    UnreadableFileError,
)
from kg.model.ontology import DATA_NS, PREFIXES
from kg.model.vocabulary import Vocabulary
from kg.validation.loader import locate, oxigraph_syntax_error, subject_position
from kg.validation.reading import display_path, read_case_text

__all__ = [
    "KNOWN_NAMESPACES",
    "FileChecks",
    "Owner",
    "ParsedFile",
    "file_problems",
    "namespace_typos",
    "one_edit",
    "parse_file",
]

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_CASE = PREFIXES["cmr"] + "Case"
_CASE_ID = PREFIXES["cmr"] + "caseId"
_PUBLICATION = PREFIXES["cmr"] + "Publication"
_CASE_NS = PREFIXES["case"]
_PUB_NS = PREFIXES["pub"]
_SRC_NS = PREFIXES["src"]
_ID = re.compile(r"[a-z0-9][a-z0-9-]*")

#: The namespaces the package knows: the ontology's, the data's and the vocabularies it uses.
KNOWN_NAMESPACES: tuple[str, ...] = tuple(sorted({*PREFIXES.values(), DATA_NS}))
_DECLARATION = re.compile(r"(?im)^\s*(?:@prefix|prefix)\s+[\w.\-]*:\s*<([^>]*)>")


@dataclass(frozen=True)
class Owner:
    """What a file describes: a case (``case:ID``) or a publication (``pub:ID``)."""

    kind: str  # "case" or "publication"
    key: str

    @property
    def iri(self) -> str:
        """The case's or publication's own IRI."""
        return (_CASE_NS if self.kind == "case" else _PUB_NS) + self.key

    def owns(self, iri: str) -> bool:
        """True for the owner itself and the nodes in its namespace."""
        inside = self.iri + "/" if self.kind == "case" else f"{_SRC_NS}{self.key}/"
        return iri == self.iri or iri.startswith(inside)

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"


@dataclass
class ParsedFile:
    """One file as Oxigraph parsed it, with its text (for places) and what it describes."""

    path: Path
    text: str
    triples: list[ox.Triple]
    owner: Owner | None = None

    @property
    def name(self) -> str:
        """The path for messages."""
        return display_path(self.path)

    def subjects(self) -> list[str]:
        """The IRIs this file makes statements about, in order of first appearance."""
        return list(
            dict.fromkeys(
                t.subject.value for t in self.triples if isinstance(t.subject, ox.NamedNode)
            )
        )


def parse_file(path: Path) -> ParsedFile:
    """Read ``path`` by the reading rules and parse it, or raise a located syntax error."""
    text = read_case_text(path)
    try:
        triples = list(
            ox.parse(input=text, format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
        )
    except SyntaxError as exc:
        raise oxigraph_syntax_error(path, exc) from exc
    if any(isinstance(t.object, ox.Triple) for t in triples):
        line, column = locate_text(text, "<<")
        raise UnreadableFileError(
            display_path(path),
            line,
            column,
            detail="triple terms (<< ... >>, RDF 1.2) are not taken; state the triple itself, "
            "with its source as cmr:supportedBy",
        )
    return ParsedFile(path, text, triples)


def locate_text(text: str, needle: str) -> tuple[int | None, int | None]:
    """Line and column (1-based) of the first ``needle`` in ``text``."""
    at = text.find(needle)
    if at < 0:
        return None, None
    return text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)


def one_edit(a: str, b: str) -> bool:
    """True when ``a`` becomes ``b`` by exactly one insertion, deletion or substitution.

    >>> one_edit("https://w3id.org/cmr/", "https://w3id.org/cmrr/"), one_edit("ab", "ab")
    (True, False)
    """
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


_DATA_SUBSPACES = (_CASE_NS, _PUB_NS, _SRC_NS)


def _near_miss(iri: str) -> tuple[str, str] | None:
    """``(written, known)``: ``iri`` starts with ``written``, one edit off namespace ``known``."""
    if iri.startswith(DATA_NS):
        candidates: Sequence[str] = _DATA_SUBSPACES
        if iri.startswith(_DATA_SUBSPACES):
            return None
    elif iri.startswith(KNOWN_NAMESPACES):
        return None
    else:
        candidates = KNOWN_NAMESPACES
    for ns in candidates:
        for size in (len(ns) - 1, len(ns), len(ns) + 1):
            if one_edit(iri[:size], ns):
                return iri[:size], ns
    return None


def namespace_typos(name: str, text: str, triples: Iterable[ox.Triple]) -> list[InputError]:
    """Declared prefixes and IRIs in use that miss a known namespace by one character."""
    out: list[InputError] = []
    wrong: list[str] = []
    for match in _DECLARATION.finditer(text):
        miss = _near_miss(match.group(1))
        if miss is not None and match.group(1) not in wrong:
            wrong.append(match.group(1))
            line = text.count("\n", 0, match.start(1)) + 1
            column = match.start(1) - text.rfind("\n", 0, match.start(1))
            out.append(
                NamespaceTypoError(name, line, column, namespace=match.group(1), known=miss[1])
            )
    seen: set[str] = set()
    for triple in triples:
        for node in (triple.subject, triple.predicate, triple.object):
            if not isinstance(node, ox.NamedNode) or node.value in seen:
                continue
            seen.add(node.value)
            if node.value.startswith(tuple(wrong)):
                continue
            miss = _near_miss(node.value)
            if miss is not None:
                wrong.append(miss[0])
                place = locate(text, node.value)
                out.append(NamespaceTypoError(name, *place, namespace=miss[0], known=miss[1]))
    return out


def _owners(parsed: ParsedFile) -> tuple[list[str], list[str]]:
    """The IRIs of the cases and of the publications the file describes."""
    cases: dict[str, None] = {}
    publications: dict[str, None] = {}
    for t in parsed.triples:
        subject = t.subject.value if isinstance(t.subject, ox.NamedNode) else str(t.subject)
        predicate, value = t.predicate.value, t.object
        if predicate == _CASE_ID or (predicate == _RDF_TYPE and value == ox.NamedNode(_CASE)):
            cases[subject] = None
        elif predicate == _RDF_TYPE and value == ox.NamedNode(_PUBLICATION):
            publications[subject] = None
    if not cases and len(publications) > 1:  # a source file also lists the works its report cites
        publications = {p: None for p in publications if p.startswith(_PUB_NS)} or publications
    return list(cases), list(publications)


def _curie(vocabulary: Vocabulary, iri: str) -> str:
    return vocabulary.curie(iri) if iri.startswith(("http://", "https://")) else iri


def file_problems(parsed: ParsedFile, vocabulary: Vocabulary | None = None) -> list[InputError]:
    """What the file holds that it may not; sets :attr:`ParsedFile.owner` when it has one."""
    vocabulary = vocabulary or Vocabulary.shipped()
    name, text = parsed.name, parsed.text
    problems = namespace_typos(name, text, parsed.triples)
    cases, publications = _owners(parsed)
    owners = cases + publications
    if len(owners) > 1:
        line, column = subject_position(text, owners[1])
        labels = [_curie(vocabulary, o) for o in owners]
        return [*problems, TwoOwnersError(name, line, column, owners=labels)]
    if not owners:
        return [*problems, NoOwnerError(name)]
    iri = owners[0]
    namespace, kind = (_CASE_NS, "case") if cases else (_PUB_NS, "publication")
    key = iri[len(namespace) :] if iri.startswith(namespace) else ""
    line, column = subject_position(text, iri)
    if not key or "/" in key or "#" in key:
        detail = (
            f"the {kind} node {_curie(vocabulary, iri)} is not named {namespace}ID; "
            f"name it with its identifier, as {'case:seed-001' if cases else 'pub:r001'}"
        )
        return [*problems, FileContentError(name, line, column, detail=detail)]
    parsed.owner = Owner(kind, key)
    if cases:
        for t in parsed.triples:
            value = t.object
            if (
                t.predicate.value == _CASE_ID
                and isinstance(value, ox.Literal)
                and _ID.fullmatch(value.value)
                and value.value != key
            ):
                problems.append(
                    CaseIdMismatchError(name, line, column, case_id=value.value, key=key)
                )
    problems += _foreign_subjects(parsed, parsed.owner, vocabulary)
    problems += _ill_typed(parsed, vocabulary)
    return problems


_XSD = "http://www.w3.org/2001/XMLSchema#"
_PLAIN = {_XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}


def _ill_typed(parsed: ParsedFile, vocabulary: Vocabulary) -> list[FileContentError]:
    """Literals whose lexical form their (XML Schema) datatype does not allow: the first each."""
    out: list[FileContentError] = []
    seen: set[str] = set()
    for t in parsed.triples:
        value = t.object
        if not isinstance(value, ox.Literal) or value.datatype.value in _PLAIN:
            continue
        datatype = value.datatype.value
        if datatype not in seen and datatype.startswith(_XSD) and _refused(value.value, datatype):
            seen.add(datatype)
            out.append(
                IllTypedValueError(
                    parsed.name,
                    *locate_text(parsed.text, value.value),
                    value=value.value,
                    datatype=vocabulary.curie(datatype),
                )
            )
    return out


def _refused(lexical: str, datatype: str) -> bool:
    """Whether rdflib finds ``lexical`` ill-typed (quietly: it logs a traceback, or warns)."""
    log = logging.getLogger("rdflib.term")
    level, log.level = log.level, logging.CRITICAL
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return bool(Literal(lexical, datatype=URIRef(datatype)).ill_typed)
    finally:
        log.level = level


def _foreign_subjects(
    parsed: ParsedFile, owner: Owner, vocabulary: Vocabulary
) -> list[FileContentError]:
    """One error per kind of foreign subject: the first such subject, and how many others."""
    groups: dict[str, list[str]] = {}
    for subject in parsed.subjects():
        if owner.owns(subject):
            continue
        group = "term" if Vocabulary.is_closed_iri(subject) or subject in vocabulary else "node"
        groups.setdefault(group, []).append(subject)
    out: list[FileContentError] = []
    for group, subjects in sorted(groups.items()):
        line, column = subject_position(parsed.text, subjects[0])
        label = _curie(vocabulary, subjects[0])
        if len(subjects) > 1:
            label += f" (and {len(subjects) - 1} other nodes)"
        if group == "term":
            out.append(OntologyStatementError(parsed.name, line, column, term=label))
        else:
            out.append(
                ForeignSubjectError(parsed.name, line, column, subject=label, owner=str(owner))
            )
    return out


@dataclass
class FileChecks:
    """The per-file checks of a set of files, made as each is read (:meth:`read`).

    A file that cannot be parsed, or that holds what it may not (:func:`file_problems`), or
    that describes a case or publication a file read before it (or ``stored``) describes, is
    left out whole: its statements never reach a store, so they cannot change other nodes.
    ``stored(owner)`` names the stored file that describes ``owner``, if any.
    """

    vocabulary: Vocabulary | None = None
    stored: Callable[[Owner], str | None] = lambda _: None
    syntax_errors: list[TurtleSyntaxError] = field(default_factory=list)
    problems: list[InputError] = field(default_factory=list)
    left_out: list[Path] = field(default_factory=list)
    _first: dict[Owner, str] = field(default_factory=dict, repr=False)

    def read(self, path: Path) -> ParsedFile | None:
        """The parsed file; ``None`` when it is left out (the reason noted)."""
        try:
            parsed = parse_file(path)
        except TurtleSyntaxError as err:
            self.syntax_errors.append(err)
            self.left_out.append(path)
            return None
        found = file_problems(parsed, self.vocabulary)
        owner = parsed.owner
        if not found and owner is not None:
            found += self._twice(parsed, owner)
        if found:
            self.problems += found
            self.left_out.append(path)
            return None
        return parsed

    def _twice(self, parsed: ParsedFile, owner: Owner) -> list[InputError]:
        """The error when a file read before, or a stored one, describes ``owner``."""
        place = subject_position(parsed.text, owner.iri)
        first = self._first.get(owner)
        if first is not None:
            return [DuplicateOwnerError(parsed.name, *place, owner=str(owner), other=first)]
        stored = self.stored(owner)
        if stored is not None:
            return [StoredOwnerError(parsed.name, *place, owner=str(owner), other=stored)]
        self._first[owner] = parsed.name
        return []
