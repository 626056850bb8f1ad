"""The built graph, kept on disk and rebuilt only when a source file changed.

The cache key is a hash of the ontology, the shapes, the case files and the package's own code
(so that editing ``kg/`` in a source checkout, where the version does not change, rebuilds);
the cached graph (N-Triples) lives in ``$XDG_CACHE_HOME/cmr-kg`` (``~/.cache/cmr-kg``), or in
the folder named by ``CMR_KG_CACHE``.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from rdflib import Graph

from kg.build import build
from kg.formatting import write_atomically
from kg.loader import case_files
from kg.ontology import PREFIXES
from kg.resources import CASES_DIR, ONTOLOGY_FILE, SHAPES_DIR

__all__ = ["cache_dir", "load_graph", "source_fingerprint"]


def cache_dir() -> Path:
    """Where built graphs are cached."""
    if "CMR_KG_CACHE" in os.environ:
        return Path(os.environ["CMR_KG_CACHE"])
    base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return base / "cmr-kg"


_CODE_DIR = Path(__file__).resolve().parent


def source_fingerprint(cases: Path = CASES_DIR, reason: bool = True, code: Path = _CODE_DIR) -> str:
    """A hash of everything the built graph depends on: data, shapes and the code that builds."""
    digest = hashlib.sha256()
    digest.update(b"reason" if reason else b"no-reason")
    sources = sorted(code.rglob("*.py"))
    for path in [*sources, ONTOLOGY_FILE, *sorted(SHAPES_DIR.glob("*.ttl")), *case_files(cases)]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def load_graph(
    cases: Path = CASES_DIR, *, reason: bool = True, cache: bool = True, progress: bool = False
) -> Graph:
    """The built graph (ontology, cases and inferred lesion classes), from the cache if fresh.

    A build whose data does not conform is still returned; run ``kg validate`` to see why.
    """
    key = source_fingerprint(cases, reason)
    cached = cache_dir() / f"graph-{key}.nt"
    graph = Graph()
    for name, ns in PREFIXES.items():
        graph.bind(name, ns, override=True)
    if cache and cached.is_file():
        graph.parse(cached, format="nt")
        return graph
    result = build(case_files(cases), reason=reason, progress=progress)
    graph += result.graph
    if cache:
        cached.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(cached, graph.serialize(format="nt", encoding="utf-8").decode("utf-8"))
    return graph
