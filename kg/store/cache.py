"""The built graph, kept on disk in an Oxigraph store and rebuilt only when a source changed.

The store for a set of sources lives in ``<cache>/store-<key>`` (see :mod:`kg.model.resources`),
where the key hashes the ontology, the shapes, the rules and the package's own code (so that editing
``kg/`` in a source checkout, where the version does not change, rebuilds), and the case files'
paths, sizes and modification times (every command computes the key; reading a hundred thousand case
files each time would cost more than the query). A build is written to a staging folder and renamed
into place when complete (a store it replaces is moved aside first, then deleted), so a half-built
or half-deleted store is never opened; readers open it read-only, so several processes can query
it at once, and remove what killed builds left.

A published store is never modified: the next one (after ``kg add``, ``update``, ``remove``) is
built on a hard-link checkpoint of it and published under its own key. A long-running reader
(``kg serve``) holds the store it reads (:func:`hold_store`, a file ``readers/PID`` in it); a
held store is neither removed nor replaced until the reader lets it go (:func:`release_store`).
"""

from __future__ import annotations

import gc
import hashlib
import os
import shutil
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from kg.engine.graphstore import GraphStore
from kg.model.files import exclusive_lock, pid_alive, remove_leftovers
from kg.model.ontology import DATA_NS
from kg.model.resources import CASES_DIR, ONTOLOGY_FILE, RULES_DIR, SHAPES_DIR, cache_dir
from kg.store.pipeline import StoreBuild, build_store
from kg.validation.loader import case_files

__all__ = [
    "CaseFiles",
    "advance_store",
    "build_cached",
    "cache_dir",
    "case_quads",
    "hold_store",
    "load_graph",
    "open_store",
    "published_store",
    "release_store",
    "source_fingerprint",
]

_CODE_DIR = Path(__file__).resolve().parent.parent
_COMPLETE = "build-complete"
_READERS = "readers"  # in a store: one file per process that holds it, named by its pid
_SUPERSEDED = "superseded"  # in a store: no longer published; removed once nobody holds it


@dataclass(frozen=True)
class CaseFiles:
    """The case files of one build: discovered once from their folders, then handed down.

    >>> shipped = CaseFiles.discover()
    >>> shipped.files[0].name, CaseFiles.discover(shipped.files) == shipped
    ('seed-000-t01.ttl', True)
    """

    files: tuple[Path, ...]

    @classmethod
    def discover(cls, roots: Path | Sequence[Path] = CASES_DIR) -> CaseFiles:
        """The Turtle files under ``roots`` (files or folders), in a stable order."""
        if isinstance(roots, Path):
            return cls(tuple(case_files(roots)))
        return cls(tuple(f for root in roots for f in case_files(root)))


def _publishing() -> AbstractContextManager[None]:
    """The cache's lock: one process at a time moves stores into place."""
    return exclusive_lock(cache_dir() / ".lock", what=f"the build cache {cache_dir()}")


#: What the functions below take: discovered files, or the folders and files to discover them in.
Cases = CaseFiles | Path | Sequence[Path] | None


def _given(cases: Cases) -> CaseFiles:
    """``cases`` as discovered files: given ones as they are, else discovered here once."""
    if isinstance(cases, CaseFiles):
        return cases
    return CaseFiles.discover(CASES_DIR if cases is None else cases)


def published_store(cases: Cases = None, *, reason: bool = True) -> Path:
    """Where the store of the current sources is published (it may not be built yet)."""
    return cache_dir() / f"store-{source_fingerprint(_given(cases), reason)}"


def hold_store(path: Path) -> bool:
    """Keep the complete store at ``path`` in place while this process reads it.

    False when no complete store is there (it was never built, or just superseded and removed).
    """
    with _publishing():
        if not (path / _COMPLETE).is_file():
            return False
        (path / _READERS).mkdir(exist_ok=True)
        (path / _READERS / str(os.getpid())).touch()
    return True


def release_store(path: Path) -> None:
    """Let go of a store held with :func:`hold_store`; removed if superseded and no longer held."""
    with _publishing():
        (path / _READERS / str(os.getpid())).unlink(missing_ok=True)
        if (path / _SUPERSEDED).exists() and not _held(path):
            shutil.rmtree(path, ignore_errors=True)


def _held(path: Path) -> bool:
    """Whether a live process holds the store at ``path`` (holders that died do not count)."""
    readers = path / _READERS
    return readers.is_dir() and any(
        r.name.isdigit() and pid_alive(int(r.name)) for r in readers.iterdir()
    )


def _publish(staging: Path, final: Path) -> None:
    """Move a complete ``staging`` store to ``final`` (under the cache's lock), whole or not at all.

    A store already at ``final`` has the same key, so the same graph: it is replaced, unless a
    reader holds it, in which case it stays and ``staging`` is dropped. A replaced store is moved
    aside under a leftover's name, then deleted: deleting it in place could leave its
    ``build-complete`` marker over half its files if the process is killed.
    """
    if final.exists() and _held(final):
        shutil.rmtree(staging)
        return
    old = staging.with_name(f"{staging.name}.old")
    shutil.rmtree(old, ignore_errors=True)  # a dead process's, were its id reused
    if final.exists():
        final.rename(old)
    staging.rename(final)  # atomic on one file system
    shutil.rmtree(old, ignore_errors=True)


def _retire(path: Path) -> None:
    """Remove a store that is no longer published, or mark it so its last holder removes it.

    Stores marked before whose holders died (a server killed) go too.
    """
    if path.is_dir():
        (path / _SUPERSEDED).touch()
    for store in cache_dir().glob(f"store-*/{_SUPERSEDED}"):
        if not _held(store.parent):
            shutil.rmtree(store.parent, ignore_errors=True)


def source_fingerprint(cases: Cases = None, reason: bool = True, code: Path = _CODE_DIR) -> str:
    """A hash of everything the built graph depends on: data, shapes, rules and code."""
    digest = hashlib.sha256()
    digest.update(b"reason" if reason else b"no-reason")
    sources = sorted(code.rglob("*.py"))
    rules = sorted(RULES_DIR.glob("*.rq"))
    for path in [*sources, ONTOLOGY_FILE, *sorted(SHAPES_DIR.glob("*.ttl")), *rules]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    for path in _given(cases).files:  # by size and time: every command checks, and cases are many
        stat = path.stat()
        digest.update(f"{path.resolve()}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()[:20]


def build_cached(
    cases: Cases = None, *, reason: bool = True, progress: bool = False
) -> tuple[StoreBuild, Path]:
    """Build into a new on-disk store and publish it in the cache; return the build and where."""
    cases = _given(cases)
    key = source_fingerprint(cases, reason)
    final = cache_dir() / f"store-{key}"
    staging = cache_dir() / f"store-{key}.staging-{os.getpid()}"
    remove_leftovers(cache_dir())  # staging folders of builds that were killed
    shutil.rmtree(staging, ignore_errors=True)
    staging.parent.mkdir(parents=True, exist_ok=True)
    built = build_store(list(cases.files), into=staging, reason=reason, progress=progress)
    (staging / _COMPLETE).write_text(key, encoding="utf-8")
    built.store = GraphStore.in_memory()  # release the on-disk store before it moves
    gc.collect()
    with _publishing():
        _publish(staging, final)
    built.store = GraphStore.open(final, read_only=True)
    return built, final


def open_store(
    cases: Cases = None,
    *,
    reason: bool = True,
    rebuild: bool = False,
    progress: bool = False,
) -> GraphStore:
    """The built graph's store, read-only: reopened from the cache, or built first.

    ``cases`` defaults to the shipped case files; folders are discovered once, here.
    """
    cases = _given(cases)
    key = source_fingerprint(cases, reason)
    final = cache_dir() / f"store-{key}"
    if not rebuild and (final / _COMPLETE).is_file():
        remove_leftovers(cache_dir())  # what a killed build or write left (dead writers only)
        return GraphStore.open(final, read_only=True)
    return build_cached(cases, reason=reason, progress=progress)[0].store


def case_quads(store: ox.Store, case_id: str) -> list[ox.Quad]:
    """Every triple of one case: about its node, the nodes in its namespace, their blank nodes.

    The walk goes from the case node along triples in either direction, staying inside the
    case's namespace (and the blank nodes it holds), so it costs what the case holds, not what
    the store holds. Inferred types and candidate routes are about the case's own nodes.
    """
    case = f"{DATA_NS}case/{case_id}"
    inside = (case, f"{case}/")

    def own(term: object) -> bool:
        if isinstance(term, ox.BlankNode):
            return True
        return isinstance(term, ox.NamedNode) and (
            term.value == inside[0] or term.value.startswith(inside[1])
        )

    seen: set[object] = set()
    pending: list[ox.NamedNode | ox.BlankNode] = [ox.NamedNode(case)]
    quads: list[ox.Quad] = []
    while pending:
        node = pending.pop()
        if node in seen:
            continue
        seen.add(node)
        for quad in store.quads_for_pattern(node, None, None, ox.DefaultGraph()):
            quads.append(quad)
            if own(quad.object) and quad.object not in seen:
                pending.append(quad.object)  # type: ignore[arg-type]
        if isinstance(node, ox.NamedNode):
            for quad in store.quads_for_pattern(None, None, node, ox.DefaultGraph()):
                if own(quad.subject) and quad.subject not in seen:
                    pending.append(quad.subject)  # type: ignore[arg-type]
    return quads


def advance_store(
    before: Path,
    added: Graph | None,
    cases: Cases,
    *,
    reason: bool = True,
    removed: str | None = None,
) -> Path:
    """Carry the cached store at ``before`` forward after the case files changed.

    The stored case ``removed`` (an identifier) leaves the store with everything inferred about
    it; the triples a new or corrected file brought (``added``) go in. The store is then
    published under the new sources' key, so the next query does not rebuild. The changes are
    made on a checkpoint of ``before`` (hard links to its files), never on ``before`` itself,
    which readers may have open; it is removed once published over and no reader holds it.
    """
    final = published_store(cases, reason=reason)
    staging = before.with_name(f"{before.name}.staging-{os.getpid()}")
    with _publishing():
        remove_leftovers(cache_dir())
        shutil.rmtree(staging, ignore_errors=True)
        GraphStore.open(before, read_only=True).store.backup(str(staging))  # hard links
        store = GraphStore.open(staging)
        if removed is not None:
            for quad in case_quads(store.store, removed):
                store.store.remove(quad)
        if added is not None:
            store.add_graph(added)
        store.flush()
        del store
        gc.collect()
        (staging / _COMPLETE).write_text(final.name, encoding="utf-8")
        _publish(staging, final)
        if before != final:
            _retire(before)
    return final


def load_graph(
    cases: Path = CASES_DIR, *, reason: bool = True, cache: bool = True, progress: bool = False
) -> Graph:
    """The built graph (ontology, cases, inferred types and routes) as an rdflib graph.

    A build whose data does not conform is still returned; run ``kg validate`` to see why.
    """
    files = CaseFiles.discover(cases)
    if cache:
        return open_store(files, reason=reason, progress=progress).to_rdflib()
    return build_store(list(files.files), reason=reason, progress=progress).store.to_rdflib()
