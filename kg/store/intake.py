"""Checking new files against a stored graph: what ``kg validate FILE``, ``add`` and ``update`` run.

:func:`check_files` takes the steps of a build (:mod:`kg.store.pipeline`) on a small store: the
files are read by the same rules and parser (:class:`kg.validation.integrity.FileChecks`), put in
an in-memory store with the ontology and the stored nodes they refer to, reasoned on, and checked
by the same SPARQL checks and SHACL engine. So a file gets the same verdict, and the same issues,
whichever command checks it; the cost grows with the file, not with the stored graph.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal
from rdflib.term import Identifier, Node
from tqdm import tqdm

from kg.engine.graphstore import GraphStore
from kg.model.errors import InputError
from kg.model.namespace import CMR
from kg.model.ontology import ontology_graph
from kg.model.progress import bar_disabled
from kg.model.terms import to_rdflib
from kg.model.vocabulary import Vocabulary
from kg.reasoning.classify import classify_lesions
from kg.reasoning.routes import constructed_triples
from kg.validation.checks import FileIndex, StoreLocator, store_problems
from kg.validation.engines import ShapesEngine, oxigraph_engine
from kg.validation.integrity import FileChecks, Owner, ParsedFile
from kg.validation.issues import Issue, ValidationReport, combine, issues_from_results
from kg.validation.reading import display_path
from kg.validation.shacl import shipped_shapes
from kg.validation.shaclresults import select_results
from kg.validation.validate import referenced_context

__all__ = ["CHECK_STEPS", "AddOutcome", "add_file", "check_file", "check_files", "stored_context"]

#: The steps of :func:`check_files`, as its progress bar names them.
CHECK_STEPS = ("read", "context", "reason", "checks", "shapes")


@dataclass
class AddOutcome:
    """What :func:`check_files` found: the report, and what the store would gain."""

    report: ValidationReport
    added: Graph | None = None

    @property
    def accepted(self) -> bool:
        """True when the files conformed (:attr:`added` then holds their triples)."""
        return self.added is not None

    @property
    def unreadable(self) -> bool:
        """True when a file could not be read or parsed (exit code 2)."""
        return any(i.rule == "the file is valid Turtle" for i in self.report.issues)


@lru_cache(maxsize=1)
def _ontology_ntriples() -> bytes:
    return ontology_graph().serialize(format="nt", encoding="utf-8")


def stored_context(store: GraphStore, new: Graph, *, replacing: Collection[Owner] = ()) -> Graph:
    """The stored nodes ``new`` refers to, and stored cases that reuse its case identifiers.

    Referred nodes come with their blank-node values (quantities), as the shapes need them.
    The stored cases and publications in ``replacing`` are left out, as if removed.
    """

    def replaced(node: object) -> bool:
        return any(owner.owns(str(node)) for owner in replacing)

    def outgoing(node: Node) -> Iterator[tuple[Identifier, Identifier]]:
        return iter(()) if replaced(node) else store.outgoing(node)

    context = referenced_context(new, outgoing)
    for case_id in set(new.objects(None, CMR.caseId)):
        if not isinstance(case_id, Literal):
            continue  # the shapes say what is wrong with it
        reusing = store.select("SELECT ?c WHERE { ?c cmr:caseId ?id }", {"id": case_id})
        for (case,) in reusing.rows:
            if not replaced(case):
                context.add((case, CMR.caseId, case_id))  # type: ignore[arg-type]
    return context


def _stored_owner(
    store: GraphStore | None, stored: FileIndex, checked: set[Path], replaced: set[Owner]
) -> Callable[[Owner], str | None]:
    """Names the stored file describing an owner: ``None`` if none, or if it is replaced.

    A stored file that is among the ``checked`` files is checked as its own correction: its
    owner joins ``replaced``.
    """

    def describing(owner: Owner) -> str | None:
        if store is None or owner in replaced:
            return None
        if not store.ask(f"ASK {{ <{owner.iri}> ?p ?o }}"):
            return None
        path = stored.file_of(owner.iri)
        if path is not None and path.resolve() in checked:
            replaced.add(owner)
            return None
        return display_path(path) if path is not None else "the stored graph"

    return describing


def _reason(scratch: GraphStore) -> list[ox.Quad]:
    """Classify lesions and infer routes, as a build does; return the quads added."""
    added = classify_lesions(scratch.store)
    routes = [ox.Quad(t.subject, t.predicate, t.object) for t in constructed_triples(scratch.store)]
    scratch.store.extend(routes)
    return added + routes


def _names(parsed: Sequence[ParsedFile]) -> set[str]:
    """The IRIs and blank nodes (as ``_:id``) the new files make statements about."""
    out: set[str] = set()
    for source in parsed:
        for t in source.triples:
            subject = t.subject
            if isinstance(subject, ox.NamedNode):
                out.add(subject.value)
            elif isinstance(subject, ox.BlankNode):
                out.add(f"_:{subject.value}")
    return out


def _name(node: Node) -> str:
    """A node as :func:`_names` writes it."""
    return f"_:{node}" if isinstance(node, BNode) else str(node)


def _graph(triples: Iterator[ox.Triple] | Sequence[ox.Triple]) -> Graph:
    graph = Graph()
    for t in triples:
        graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return graph


def check_files(
    store: GraphStore | None,
    paths: Sequence[Path],
    *,
    stored_files: Sequence[Path] = (),
    replacing: Collection[Owner] = (),
    reason: bool = True,
    corrections: bool = True,
    progress: bool = False,
    engine: ShapesEngine = oxigraph_engine,
) -> AddOutcome:
    """Check ``paths`` as additions to ``store`` (``None``: on their own), changing nothing.

    ``stored_files`` are the files ``store`` was built from: they name the file of a stored
    node in messages, and one of them given in ``paths`` is checked as its own correction
    (unless ``corrections`` is false, as for ``kg add``). ``engine`` runs the shapes
    (:mod:`kg.validation.engines`).
    The stored cases and publications in ``replacing`` are left out, as if removed. When the
    files conform, :attr:`AddOutcome.added` holds their triples and what reasoning infers.
    With ``progress``, a labelled bar (:data:`CHECK_STEPS`) counts the files read, then the
    steps, on a terminal only (:func:`kg.model.progress.bar_disabled`).
    """
    index = FileIndex([*paths, *stored_files], new=frozenset(paths))
    replaced = {*replacing}
    checked = {p.resolve() for p in paths} if corrections else set()
    describing = _stored_owner(store, FileIndex(list(stored_files)), checked, replaced)
    checks = FileChecks(stored=describing)
    names = {display_path(p) for p in paths}
    total = len(paths) + len(CHECK_STEPS) - 1
    off = bar_disabled(progress)
    with tqdm(total=total, desc="validate: read", unit="file", disable=off) as bar:

        def step(label: str) -> None:
            bar.update()
            bar.set_description(f"validate: {label}")

        parsed: list[ParsedFile] = []
        for path in paths:
            source = checks.read(path)
            bar.update()
            if source is not None:
                parsed.append(source)
        problems: list[InputError] = [*checks.syntax_errors, *checks.problems]
        if not parsed:
            return AddOutcome(ValidationReport(combine(problems, [], {}), sorted(names)))
        bar.set_description("validate: context")
        new = _graph(t for source in parsed for t in source.triples)
        context = stored_context(store, new, replacing=replaced) if store is not None else Graph()
        scratch = GraphStore.in_memory()
        scratch.load_text(_ontology_ntriples(), fmt="nt")
        scratch.add_graph(context)
        scratch.store.extend(
            ox.Quad(t.subject, t.predicate, t.object) for s in parsed for t in s.triples
        )
        step("reason")
        inferred = _reason(scratch) if reason else []
        step("checks")
        own = _names(parsed)
        problems += [p for p in store_problems(scratch, index, own=own) if p.path in names]
        step("shapes")
        shapes = shipped_shapes()
        results = engine(scratch.store, shapes, None)
        shape_issues = issues_from_results(results, shapes.graph, StoreLocator(scratch, index))
        bar.update()
    issues = [i for i in combine(problems, shape_issues, {}) if _is_new(i, names, own)]
    mine = select_results([results], lambda node: _name(node) in own)
    report = ValidationReport(issues, sorted(names), mine)
    if not report.conforms or checks.left_out:
        return AddOutcome(report)
    for q in inferred:  # ``new`` is not used again: it becomes what the store gains
        new.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return AddOutcome(report, new)


def _is_new(issue: Issue, names: set[str], own: set[str]) -> bool:
    """An issue about the new files (not about the stored nodes they were checked with)."""
    if issue.file is not None:
        return issue.file in names
    curie = Vocabulary.shipped().curie
    return issue.focus is None or issue.focus in {curie(o) for o in own}


def check_file(
    store: GraphStore,
    path: Path,
    *,
    reason: bool = True,
    replacing: str | None = None,
    stored_files: Sequence[Path] = (),
) -> AddOutcome:
    """:func:`check_files` for one file, as ``kg add`` and ``kg update`` check it.

    ``replacing`` is the identifier of the stored case an update replaces. A stored file given
    again is not taken as its own correction.
    """
    owners = [Owner("case", replacing)] if replacing is not None else []
    return check_files(
        store,
        [path],
        reason=reason,
        replacing=owners,
        stored_files=stored_files,
        corrections=False,
    )


def add_file(store: GraphStore, path: Path, *, reason: bool = True) -> AddOutcome:
    """:func:`check_file`, then add the file and its inferences to ``store`` if it conforms.

    A rejected file leaves the store untouched.
    """
    outcome = check_file(store, path, reason=reason)
    if outcome.added is not None:
        store.add_graph(outcome.added)
    return outcome
