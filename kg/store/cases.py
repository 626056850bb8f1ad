"""The store of curated case files: a folder of Turtle files, one per case, plus ``sources/``.

Adding a file checks it against the ontology, the shapes and everything already stored, and
writes it (in canonical form) only if it passes. The write is atomic: a rejected or interrupted
add leaves the stored files exactly as they were.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import RDF

from kg.model.canonical import to_canonical_turtle
from kg.model.files import exclusive_lock, remove_leftovers, write_atomically
from kg.model.namespace import CMR
from kg.model.resources import CASES_DIR
from kg.store.cache import CaseFiles, advance_store, open_store
from kg.store.formatting import declared_prefixes
from kg.store.pipeline import check_file
from kg.validation.issues import Issue, ValidationReport
from kg.validation.loader import LoadResult, case_files, load_files, parse_turtle

__all__ = ["LOCK_NAME", "AddResult", "CaseStore"]

#: The lock file writers of a case folder take turns on.
LOCK_NAME = ".kg-write.lock"


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
        are removed first.
        """
        self.directory.mkdir(parents=True, exist_ok=True)
        with exclusive_lock(self.directory / LOCK_NAME, what=str(self.directory)):
            for folder in (self.directory, self.directory / "sources"):
                remove_leftovers(folder)
            return self._add(path)

    def _add(self, path: Path) -> AddResult:
        graph = open_store(CaseFiles(tuple(self.files())))
        outcome = check_file(graph, path)
        report = outcome.report
        if outcome.added is None:
            return AddResult(report, None)
        source = parse_turtle(path)
        target = self.destination(source.graph, path)
        if target.exists():
            report.issues.insert(0, _exists_issue(path, target))
            return AddResult(report, None)
        text = to_canonical_turtle(source.graph, declared_prefixes(source.text))
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, text)
        location = graph.path
        del graph
        if location is not None:
            advance_store(location, outcome.added, CaseFiles(tuple(self.files())))
        return AddResult(report, target)


def _exists_issue(path: Path, target: Path) -> Issue:
    return Issue(
        "violation",
        "a stored file is never overwritten",
        f"{target} already exists; give the case a new identifier, or edit the stored file "
        "and run `kg validate`",
        str(path),
        origin="checks",
    )
