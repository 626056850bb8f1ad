"""The build pipeline on the embedded Oxigraph store: parse, reason, validate, index.

The first three steps run in memory on one shard of case files at a time (:data:`SHARD`), with
the ontology and the ``sources`` files in every shard; the checks that span cases then run on
the final store.

1. **parse**: the ontology and every case file are loaded into the store by Oxigraph's parser;
   each file is read and checked as every command reads it
   (:class:`kg.validation.integrity.FileChecks`): one that cannot be parsed, holds what it may
   not, or describes a case another file describes is left out and reported with its line.
2. **reason**: the lesion classification HermiT made of the ontology
   (:mod:`kg.reasoning.closure`) is applied in one pass (:mod:`kg.reasoning.classify`), then the
   route-inference rules (:mod:`kg.reasoning.routes`) run side by side as CONSTRUCT queries and
   their candidate routes are added.
3. **validate**: the loader's checks as SPARQL (:mod:`kg.validation.checks`) and the SHACL shapes as
   SPARQL (:mod:`kg.validation.shacl`) run on the shard.
4. **index**: the shard, built in memory (several times faster than in an on-disk store), is
   bulk-loaded into the on-disk store, which is compacted at the end, ready to be reopened.

Each step is timed (:attr:`StoreBuild.seconds`; the reasoning also as ``classify`` and
``routes``) and shown on a labelled progress bar.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from tqdm import tqdm

from kg.engine.graphstore import GraphStore
from kg.model.errors import InputError, TurtleSyntaxError
from kg.model.progress import bar_disabled
from kg.model.resources import ONTOLOGY_FILE
from kg.model.vocabulary import Vocabulary
from kg.reasoning.classify import classify_lesions
from kg.reasoning.routes import constructed_triples
from kg.validation.checks import (
    FileIndex,
    Findings,
    StoreLocator,
    store_findings,
    store_problems,
)
from kg.validation.engines import ShapesEngine, oxigraph_engine
from kg.validation.integrity import FileChecks
from kg.validation.issues import Issue, ValidationReport, combine, issues_from_results
from kg.validation.shacl import shipped_shapes
from kg.validation.shaclresults import select_results

__all__ = [
    "SHARD",
    "STEPS",
    "StoreBuild",
    "build_store",
    "shared_file",
]

STEPS = ("parse", "reason", "validate", "index")


@dataclass
class StoreBuild:
    """A graph built into a store, with its validation report and step timings."""

    store: GraphStore
    report: ValidationReport
    files: list[Path]
    syntax_errors: list[TurtleSyntaxError] = field(default_factory=list)
    reasoned: bool = True
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def conforms(self) -> bool:
        """Every file parsed and the data conforms."""
        return not self.syntax_errors and self.report.conforms

    def count(self, cls: URIRef) -> int:
        """How many distinct nodes are typed with ``cls``."""
        rows = self.store.select(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a <{cls}> }}").rows
        return int(str(rows[0][0]))

    def inferred(self) -> Graph:
        """The lesion types the reasoning step added (``rdf:type`` triples)."""
        graph = Graph()
        rows = self.store.select("SELECT ?x ?c WHERE { ?x cmr:inferredType ?c }").rows
        for node, cls in rows:
            graph.add((node, RDF.type, cls))  # type: ignore[arg-type]
        return graph


#: Files added per Oxigraph transaction: many small files load far faster together.
CHUNK = 2000


def _ontology_triples() -> list[ox.Triple]:
    """The ontology, parsed by Oxigraph (it is not a case file: the intake rules do not apply)."""
    return list(ox.parse(path=str(ONTOLOGY_FILE), format=ox.RdfFormat.TURTLE))


def _parsed(path: Path, checks: FileChecks) -> list[ox.Triple]:
    """The triples of one file (its own document: prefixes, base and blank nodes), or none.

    The file is read and checked as every command reads it (:class:`FileChecks`).
    """
    parsed = checks.read(path)
    return parsed.triples if parsed is not None else []


def _quads(files: Sequence[Path], checks: FileChecks) -> list[ox.Quad]:
    """The ontology's and ``files``' triples, parsed once (blank nodes keep one identity)."""
    quads = [ox.Quad(t.subject, t.predicate, t.object) for t in _ontology_triples()]
    quads += [ox.Quad(t.subject, t.predicate, t.object) for f in files for t in _parsed(f, checks)]
    return quads


def _parse(
    store: GraphStore,
    common: list[ox.Quad],
    files: Sequence[Path],
    bar: Callable[[int], object],
    checks: FileChecks,
) -> None:
    """Load ``common`` and the files; a file that cannot be read is left out whole."""
    store.store.extend(common)
    for start in range(0, len(files), CHUNK):
        chunk = files[start : start + CHUNK]
        store.store.extend(
            ox.Quad(t.subject, t.predicate, t.object)
            for path in chunk
            for t in _parsed(path, checks)
        )
        bar(len(chunk))


def _infer_routes(store: GraphStore) -> list[ox.Quad]:
    """Run the route rules side by side on the store, then add what they construct."""
    quads = [ox.Quad(t.subject, t.predicate, t.object) for t in constructed_triples(store.store)]
    store.store.extend(quads)
    return quads


def _shape_issues(
    store: GraphStore,
    index: FileIndex,
    reports: list[Graph],
    *,
    focus: set[str] | None = None,
    engine: ShapesEngine = oxigraph_engine,
) -> list[Issue]:
    """The shapes' issues in ``store``; their report graph is added to ``reports``."""
    shapes = shipped_shapes()
    results = engine(store.store, shapes, focus)
    reports.append(results)
    return issues_from_results(results, shapes.graph, StoreLocator(store, index))


def _recheck(
    final: GraphStore,
    index: FileIndex,
    crossed: set[str],
    issues: list[Issue],
    reports: list[Graph],
    engine: ShapesEngine,
) -> list[Issue]:
    """The shapes' verdict on ``crossed`` nodes, taken again from the store holding every shard.

    Their shard saw the node they point at as missing (only bad data, or publications outside
    a ``sources`` folder, link shards, so this is usually nothing).
    """
    if not crossed:
        return issues
    vocabulary = Vocabulary.shipped()
    focus = {vocabulary.curie(s) for s in crossed}
    kept = [i for i in issues if i.focus not in focus]
    stale = {URIRef(s) for s in crossed}
    reports[:] = [select_results(reports, lambda node: node not in stale)]
    return kept + _shape_issues(final, index, reports, focus=crossed, engine=engine)


#: Case files per shard. A larger build is parsed, reasoned and validated one shard at a time,
#: each in its own in-memory store, and loaded shard by shard into the final store: memory is
#: bounded by the shard, and the in-memory steps grow linearly with the number of cases.
SHARD = 2_000


def shared_file(path: Path) -> bool:
    """Files in a ``sources`` folder (publications, excerpts) are cited by every case.

    A sharded build reads them in every shard.
    """
    return path.parent.name == "sources"


def build_store(
    files: Sequence[Path],
    *,
    into: Path | None = None,
    reason: bool = True,
    progress: bool = True,
    shard: int = SHARD,
    engine: ShapesEngine = oxigraph_engine,
) -> StoreBuild:
    """Build ``files`` (and the ontology) in memory; with ``into``, then into a store on disk there.

    The on-disk store at ``into`` must not exist yet; :attr:`StoreBuild.store` is then that
    store. Case files are built ``shard`` at a time (see :data:`SHARD`); the files in
    ``sources`` folders (:func:`shared_file`) go with every shard. The loader's checks that
    span cases (one case identifier in two files, a reference into another case) run on the
    final store, so a sharded build reports what a single one would. ``engine`` runs the
    shapes (:mod:`kg.validation.engines`).
    """
    index = FileIndex(list(files))
    cases = [f for f in files if not shared_file(f)]
    parts = [cases[i : i + shard] for i in range(0, len(cases), shard)] or [[]]
    seconds: dict[str, float] = dict.fromkeys(["parse", "classify", "routes", *STEPS[1:]], 0.0)
    findings = Findings()
    shape_issues: list[Issue] = []
    checks = FileChecks()
    reports: list[Graph] = []
    final: GraphStore | None = None

    def timed(step: str, started: float) -> float:
        now = time.perf_counter()
        seconds[step] += now - started
        return now

    total = len(files) + len(parts) * (len(STEPS) - 1)
    with tqdm(total=total, desc="build: parse", unit="file", disable=bar_disabled(progress)) as bar:
        started = time.perf_counter()
        common = _quads([f for f in files if shared_file(f)], checks)
        bar.update(len(files) - len(cases))
        for number, part in enumerate(parts, start=1):
            label = f" (shard {number}/{len(parts)})" if len(parts) > 1 else ""
            bar.set_description(f"build: parse{label}")
            store = GraphStore.in_memory()
            _parse(store, common, part, bar.update, checks)
            started = timed("parse", started)
            if reason:
                bar.set_description(f"build: reason{label}")
                classify_lesions(store.store)
                started = timed("classify", started)
                _infer_routes(store)
                started = timed("routes", started)
            bar.update()
            bar.set_description(f"build: validate{label}")
            findings.merge(store_findings(store))
            shape_issues += _shape_issues(store, index, reports, engine=engine)
            started = timed("validate", started)
            bar.update()
            bar.set_description(f"build: index{label}")
            if len(parts) == 1 and into is None:
                final = store
            else:
                if final is None:
                    final = GraphStore.open(into) if into is not None else GraphStore.in_memory()
                store.copy_into(final)
            del store
            started = timed("index", started)
            bar.update()
        assert final is not None
        bar.set_description("build: validate")
        syntax_errors = checks.syntax_errors
        problems: list[InputError] = [*syntax_errors, *checks.problems]
        crossed = findings.resolve(final)
        problems += store_problems(final, index, findings=findings)
        shape_issues = _recheck(final, index, crossed, shape_issues, reports, engine)
        issues = combine(problems, shape_issues, {})
        report = ValidationReport(issues, [str(f) for f in files], select_results(reports))
        started = timed("validate", started)
        bar.set_description("build: index")
        final.flush()
        timed("index", started)
    seconds["reason"] = seconds["classify"] + seconds["routes"]
    if not reason:
        for step in ("classify", "routes", "reason"):
            del seconds[step]
    return StoreBuild(final, report, list(files), syntax_errors, reason, seconds)
