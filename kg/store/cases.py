"""The store of curated case files: a folder of Turtle files, one per case, plus ``sources/``.

Adding a file checks it against the ontology, the shapes and everything already stored, and
writes it (in canonical form) only if it passes. The write is atomic: a rejected or interrupted
add leaves the stored files exactly as they were.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from kg.engine.graphstore import GraphStore
from kg.model.canonical import to_canonical_turtle
from kg.model.errors import KGError, TurtleSyntaxError
from kg.model.files import exclusive_lock, remove_leftovers, write_atomically
from kg.model.namespace import CMR
from kg.model.resources import CASES_DIR, cache_dir
from kg.store.cache import CaseFiles, advance_store, case_quads, open_store
from kg.store.formatting import declared_prefixes
from kg.store.intake import check_file
from kg.validation.issues import Issue, ValidationReport, case_key
from kg.validation.loader import LoadResult, case_files, load_files, parse_turtle

__all__ = ["AddResult", "CaseStore", "CaseStoreError"]


@dataclass
class AddResult:
    """What :meth:`CaseStore.add` did."""

    report: ValidationReport
    stored_as: Path | None

    @property
    def accepted(self) -> bool:
        """True when the file passed and was stored."""
        return self.stored_as is not None


class CaseStore:
    """Case files under one folder (the shipped ``cases/`` by default)."""

    def __init__(self, directory: Path = CASES_DIR) -> None:
        self.directory = directory

    def files(self) -> list[Path]:
        """Every stored Turtle file."""
        return case_files(self.directory) if self.directory.exists() else []

    def load(self) -> LoadResult:
        """Parse every stored file."""
        return load_files(self.files())

    def destination(self, graph: Graph, source: Path) -> Path:
        """``<caseId>.ttl`` for a case file, ``sources/<name>`` for anything else."""
        ids = [
            str(o)
            for s, o in graph.subject_objects(CMR.caseId)
            if (s, RDF.type, CMR.Case) in graph and isinstance(o, Literal)
        ]
        if len(ids) == 1:
            return self.directory / f"{ids[0]}.ttl"
        return self.directory / "sources" / source.name

    def add(self, path: Path) -> AddResult:
        """Validate ``path`` against the built graph of the stored files; store it if it conforms.

        Only the new file is validated (with the stored nodes it refers to), so the cost does
        not grow with the number of stored cases. The built graph is carried forward. Writers
        of one folder take turns (a lock in the folder); temporaries that a killed writer left
        are removed first. A case whose identifier is stored already is refused: correct it
        with :meth:`update`.
        """
        with self._turn():
            return self._store(path, replacing=None)

    def update(self, path: Path) -> AddResult:
        """Replace the stored case with the same ``caseId`` by ``path``, if ``path`` conforms.

        The file is checked as if the stored case were gone; the built graph loses the old
        case (and what was inferred from it) and gains the new one.
        """
        with self._turn():
            case_id = self._case_id(path)
            if case_id is None or not (self.directory / f"{case_id}.ttl").is_file():
                return AddResult(_refusal(path, self._no_case(case_id, path)), None)
            return self._store(path, replacing=case_id)

    def remove(self, case_id: str) -> Path:
        """Remove the stored case ``case_id``; return the file removed.

        Raises :class:`CaseStoreError` when no such case is stored or when another stored
        file refers to its nodes.
        """
        with self._turn():
            target = self.directory / f"{case_id}.ttl"
            if not target.is_file():
                raise CaseStoreError(self._no_case(case_id, None))
            graph = open_store(CaseFiles(tuple(self.files())))
            users = _referrers(graph, case_id)
            if users:
                raise CaseStoreError(
                    f"case {case_id!r} cannot be removed: {', '.join(users)} refers to it; "
                    "remove or correct that first"
                )
            location = graph.path
            del graph
            target.unlink()
            if location is not None:
                advance_store(location, None, CaseFiles(tuple(self.files())), removed=case_id)
            return target

    @property
    def lock_path(self) -> Path:
        """The lock writers of this folder take turns on (in the cache, not among the cases)."""
        key = hashlib.sha256(str(self.directory.resolve()).encode()).hexdigest()[:20]
        return cache_dir() / "locks" / f"cases-{key}.lock"

    @contextlib.contextmanager
    def _turn(self) -> Iterator[None]:
        self.directory.mkdir(parents=True, exist_ok=True)
        with exclusive_lock(self.lock_path, what=str(self.directory)):
            for folder in (self.directory, self.directory / "sources"):
                remove_leftovers(folder)
            yield

    def _case_id(self, path: Path) -> str | None:
        try:
            target = self.destination(parse_turtle(path).graph, path)
        except TurtleSyntaxError:
            return None
        return target.stem if target.parent == self.directory else None

    def _no_case(self, case_id: str | None, path: Path | None) -> str:
        if case_id is None:
            return f"{path} holds no single case to update; check it with `kg validate {path}`"
        close = difflib.get_close_matches(case_id, [f.stem for f in self.files()], n=3)
        hint = f" (did you mean {' or '.join(close)}?)" if close else ""
        action = "add it with `kg add FILE`" if path is not None else "nothing was removed"
        return f"no stored case {case_id!r} in {self.directory}{hint}; {action}"

    def _store(self, path: Path, *, replacing: str | None) -> AddResult:
        graph = open_store(CaseFiles(tuple(self.files())))
        outcome = check_file(graph, path, replacing=replacing, stored_files=self.files())
        report = outcome.report
        if outcome.added is None:
            return AddResult(report, None)
        source = parse_turtle(path)
        target = self.destination(source.graph, path)
        if replacing is None and target.exists():
            report.issues.insert(0, _exists_issue(path, target))
            return AddResult(report, None)
        text = to_canonical_turtle(source.graph, declared_prefixes(source.text))
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, text)
        location = graph.path
        del graph
        if location is not None:
            files = CaseFiles(tuple(self.files()))
            advance_store(location, outcome.added, files, removed=replacing)
        return AddResult(report, target)


class CaseStoreError(KGError):
    """A stored case cannot be changed as asked."""


def _referrers(store: GraphStore, case_id: str) -> list[str]:
    """Other stored cases or sources with a triple pointing into case ``case_id``."""
    own = {
        q.subject.value
        for q in case_quads(store.store, case_id)
        if isinstance(q.subject, ox.NamedNode)
    }
    users = set()
    for node in own:
        for subject in store.parents(URIRef(node)):
            key = case_key(str(subject))
            if key is not None and key != case_id:
                users.add(key)
    return sorted(users)


def _refusal(path: Path, message: str) -> ValidationReport:
    issue = Issue("violation", "a case is added once, then updated", message, str(path))
    return ValidationReport([issue], [str(path)])


def _exists_issue(path: Path, target: Path) -> Issue:
    return Issue(
        "violation",
        "a stored file is never overwritten",
        f"{target} already exists; give the case a new identifier, or edit the stored file "
        "and run `kg validate`",
        str(path),
        origin="checks",
    )
