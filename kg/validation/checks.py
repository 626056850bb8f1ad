"""The loader's checks as set-based SPARQL over a whole store, for builds of many files.

:func:`kg.validation.loader.load_files` checks files one by one in rdflib; at a hundred thousand
cases that is too slow, so a build runs the same checks as queries on the Oxigraph store: unknown
ontology terms, references to nodes no file defines, one case identifier used by two cases, and a
case node pointing into another case. Each problem is reported with the same error class (and so the
same words) as the loader's, at the file and line where the node is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import BNode, URIRef
from rdflib.term import Node

from kg.engine.graphstore import GraphStore
from kg.model.errors import (
    CrossCaseReferenceError,
    DanglingReferenceError,
    DuplicateCaseError,
    InputError,
    UnknownTermError,
)
from kg.model.ontology import DATA_NS
from kg.model.vocabulary import Vocabulary
from kg.validation.issues import case_key, named_ancestor
from kg.validation.loader import locate, statement_line, subject_position
from kg.validation.reading import display_path

__all__ = [
    "FileIndex",
    "Findings",
    "StoreLocator",
    "store_findings",
    "store_problems",
]

_CASE_NS = DATA_NS + "case/"
_SOURCE_NS = DATA_NS + "source/"


def _key(iri: str) -> str | None:
    """The case identifier or source name an IRI of the data is under (a file's stem)."""
    for ns in (_CASE_NS, _SOURCE_NS):
        if iri.startswith(ns):
            return iri[len(ns) :].split("/", 1)[0]
    return None


@dataclass
class FileIndex:
    """Which file writes a node: by the naming convention first (``<caseId>.ttl``), else by text."""

    files: list[Path]
    #: Files being added to the others: a clash (one case identifier in two files) is theirs.
    new: frozenset[Path] = frozenset()
    _by_stem: dict[str, Path] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for path in self.files:
            self._by_stem.setdefault(path.stem, path)

    @staticmethod
    @lru_cache(maxsize=256)
    def text(path: Path) -> str:
        """A file's text (cached: issues come in clusters)."""
        return path.read_text(encoding="utf-8")

    def _candidates(self, iri: str) -> Iterable[Path]:
        """Files to search, by convention first; files being checked before stored ones.

        A file being checked shadows its stored version. Looking in the file named by the
        convention first keeps the search of many files linear (it was one per issue and file).
        """
        named = self._by_stem.get(_key(iri) or "")
        if named in self.new:
            yield named
        yield from self.new
        if named is not None:
            yield named
        yield from self.files

    def file_of(self, iri: str) -> Path | None:
        """The file in which ``iri`` opens a statement or, failing that, is mentioned."""
        first_mention: Path | None = None
        for path in self._candidates(iri):
            text = self.text(path)
            if statement_line(text, iri) is not None:
                return path
            if first_mention is None and locate(text, iri)[0] is not None:
                first_mention = path
        return first_mention

    def place(self, path: Path, iri: str) -> tuple[int | None, int | None]:
        """Line and column of the first mention of ``iri`` in ``path``."""
        return locate(self.text(path), iri)


@dataclass
class StoreLocator:
    """A :class:`kg.validation.validate.Locator` over a store and the files it was built from."""

    store: GraphStore
    index: FileIndex

    def named(self, node: Node) -> URIRef | None:  # noqa: D102
        return named_ancestor(node, self.store.parents)

    def place(self, iri: URIRef) -> tuple[str | None, int | None, int | None]:  # noqa: D102
        path = self.index.file_of(str(iri))
        if path is None:
            return None, None, None
        return (display_path(path), *subject_position(self.index.text(path), str(iri)))

    def case_of(self, node: Node) -> str | None:  # noqa: D102
        named = self.named(node)
        return case_key(str(named)) if named is not None else None


def _closed_terms(store: GraphStore) -> list[str]:
    """Terms of the closed namespaces used in the data (as predicate, class or value)."""
    predicates = store.select("SELECT DISTINCT ?t WHERE { ?s ?t ?o }").rows
    values = store.select(
        f"""SELECT DISTINCT ?t WHERE {{
              ?s ?p ?t FILTER(isIRI(?t) && !STRSTARTS(STR(?t), "{DATA_NS}")) }}"""
    ).rows
    terms = {str(r[0]) for r in predicates + values if r[0] is not None}
    return sorted(t for t in terms if Vocabulary.is_closed_iri(t))


def _users(store: GraphStore, term: str) -> set[str]:
    rows = store.select(
        f"SELECT DISTINCT ?s WHERE {{ {{ ?s <{term}> ?o }} UNION {{ ?s ?p <{term}> }} "
        "FILTER(isIRI(?s)) }"
    ).rows
    return {str(r[0]) for r in rows}


@dataclass
class Findings:
    """What the loader's checks found in a store, as IRIs; merged across the shards of a build.

    Kept as sets of IRIs (not errors) so that the findings of several stores built from parts
    of the files add up to those of one store holding them all.
    """

    #: closed-namespace term not in the vocabulary -> the subjects using it
    unknown: dict[str, set[str]] = field(default_factory=dict)
    #: data IRI that is used but has no statement here -> the subjects pointing at it
    undefined: dict[str, set[str]] = field(default_factory=dict)
    #: (subject, target) where a case node points into another case
    cross_case: set[tuple[str, str]] = field(default_factory=set)

    def merge(self, other: Findings) -> None:
        """Add ``other``'s findings to these."""
        for mine, theirs in ((self.unknown, other.unknown), (self.undefined, other.undefined)):
            for key, subjects in theirs.items():
                mine.setdefault(key, set()).update(subjects)
        self.cross_case |= other.cross_case

    def about(self, own: set[str]) -> Findings:
        """The findings about statements whose subject is in ``own``."""
        undefined = {t: subjects & own for t, subjects in self.undefined.items()}
        return Findings(
            {t: subjects & own for t, subjects in self.unknown.items()},
            {t: subjects for t, subjects in undefined.items() if subjects},
            {(s, o) for s, o in self.cross_case if s in own},
        )

    def resolve(self, store: GraphStore) -> set[str]:
        """Look up in ``store`` (holding every shard) the references no shard could resolve.

        A target ``store`` defines is no longer undefined; a case node pointing at another
        case's node becomes a cross-case reference. Returns the named nodes that pointed from
        one shard into another: their shard validated them without the node they point at.
        """
        crossed: set[str] = set()
        for target in [t for t in self.undefined if store.ask(f"ASK {{ <{t}> ?p ?o }}")]:
            subjects = self.undefined.pop(target)
            self.cross_case |= {(s, target) for s in subjects if _other_case(s, target)}
            crossed |= {s for s in subjects if not s.startswith("_:")}
        return crossed


def store_findings(store: GraphStore, vocabulary: Vocabulary | None = None) -> Findings:
    """Unknown terms, references to nodes the store does not define, and cross-case links."""
    vocabulary = vocabulary or Vocabulary.shipped()
    found = Findings()
    for term in _closed_terms(store):
        if URIRef(term) not in vocabulary:
            found.unknown[term] = _users(store, term)
    rows = store.select(
        f"""SELECT DISTINCT ?o ?s WHERE {{
              ?s ?p ?o FILTER(isIRI(?o) && STRSTARTS(STR(?o), "{DATA_NS}"))
              FILTER NOT EXISTS {{ ?o ?q ?r }}
            }}"""
    ).rows
    for target, subject in rows:
        name = subject.n3() if isinstance(subject, BNode) else str(subject)
        found.undefined.setdefault(str(target), set()).add(name)
    found.cross_case = _cross_case_pairs(store)
    return found


def store_problems(
    store: GraphStore,
    index: FileIndex,
    vocabulary: Vocabulary | None = None,
    findings: Findings | None = None,
    *,
    own: set[str] | None = None,
) -> list[InputError]:
    """Every loader problem in the store's data, located in ``index``'s files.

    ``findings`` (default: those of ``store``) may come from the shards whose data ``store``
    holds together, once :meth:`Findings.resolve` has looked them up in it. With ``own`` (IRIs
    and ``_:id`` blank nodes), only problems of statements about those nodes are kept.
    """
    vocabulary = vocabulary or Vocabulary.shipped()
    findings = findings if findings is not None else store_findings(store, vocabulary)
    if own is not None:
        findings = findings.about(own)
    problems: list[InputError] = []
    problems += _unknown(findings.unknown, index, vocabulary)
    problems += _dangling(findings.undefined, index, vocabulary)
    problems += _duplicates(store, index)
    problems += _cross_case(findings.cross_case, index, vocabulary)
    return problems


def _other_case(subject: str, target: str) -> bool:
    """Both are nodes of cases, and of two different ones (as :func:`_cross_case_pairs`)."""
    if not (subject.startswith(_CASE_NS) and target.startswith(_CASE_NS)):
        return False
    return case_key(subject) != case_key(target)


def _located(index: FileIndex, subject: str, target: str) -> tuple[str, int | None, int | None]:
    path = index.file_of(subject)
    if path is None:
        return subject, None, None
    line, column = index.place(path, target)
    return display_path(path), line, column


def _unknown(
    unknown: dict[str, set[str]], index: FileIndex, vocabulary: Vocabulary
) -> list[InputError]:
    out: list[InputError] = []
    for term in sorted(unknown):
        files = {index.file_of(s) for s in sorted(unknown[term])} - {None}
        if not files:  # used inside blank nodes only: the files that write it
            files = {p for p in (index.new or index.files) if index.place(p, term)[0]}
        for path in sorted(p for p in files if p is not None):
            line, column = index.place(path, term)
            out.append(
                UnknownTermError(
                    display_path(path),
                    line,
                    column,
                    term=vocabulary.curie(term),
                    suggestions=[vocabulary.curie(s) for s in vocabulary.suggest(term)],
                )
            )
    return out


def _dangling(
    undefined: dict[str, set[str]], index: FileIndex, vocabulary: Vocabulary
) -> list[InputError]:
    out: list[InputError] = []
    for target in sorted(undefined):
        subjects = undefined[target]
        named = sorted(s for s in subjects if not s.startswith("_:"))
        first = named[0] if named else min(subjects)
        where, line, column = _located(index, first, target)
        out.append(
            DanglingReferenceError(
                where,
                line,
                column,
                subject=vocabulary.curie(first),
                target=vocabulary.curie(target),
                others=len(subjects) - 1,
            )
        )
    return out


def _duplicates(store: GraphStore, index: FileIndex) -> list[InputError]:
    """Case identifiers used by two cases: reported in every file but the first to use it."""
    rows = store.select(
        """SELECT ?id (GROUP_CONCAT(STR(?c); separator=" ") AS ?cases) WHERE {
             ?c cmr:caseId ?id } GROUP BY ?id HAVING (COUNT(DISTINCT ?c) > 1) ORDER BY ?id"""
    ).rows
    order = {
        path: n + (len(index.files) if path in index.new else 0)
        for n, path in enumerate(index.files)
    }
    out: list[InputError] = []
    for case_id, cases in rows:
        placed = sorted(
            ((index.file_of(c), c) for c in str(cases).split()),
            key=lambda pc: (order.get(pc[0], -1) if pc[0] else -1, pc[1]),
        )
        (first_file, first), *others = placed
        for path, other in others:
            line, column = index.place(path, other) if path else (None, None)
            out.append(
                DuplicateCaseError(
                    display_path(path) if path else other,
                    line,
                    column,
                    case_id=str(case_id),
                    other=display_path(first_file) if first_file else first,
                )
            )
    return out


def _cross_case_pairs(store: GraphStore) -> set[tuple[str, str]]:
    key: Callable[[str], str] = lambda var: (  # noqa: E731
        f'STRBEFORE(CONCAT(STRAFTER(STR(?{var}), "{_CASE_NS}"), "/"), "/")'
    )
    rows = store.select(
        f"""SELECT DISTINCT ?s ?o WHERE {{
              ?s ?p ?o
              FILTER(isIRI(?o) && STRSTARTS(STR(?o), "{_CASE_NS}")
                     && isIRI(?s) && STRSTARTS(STR(?s), "{_CASE_NS}"))
              FILTER({key("s")} != {key("o")})
            }}"""
    ).rows
    return {(str(s), str(o)) for s, o in rows}


def _cross_case(
    pairs: set[tuple[str, str]], index: FileIndex, vocabulary: Vocabulary
) -> list[InputError]:
    out: list[InputError] = []
    for subject, target in sorted(pairs):
        where, line, column = _located(index, subject, target)
        out.append(
            CrossCaseReferenceError(
                where,
                line,
                column,
                subject=vocabulary.curie(subject),
                target=vocabulary.curie(target),
            )
        )
    return out
