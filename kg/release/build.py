"""``kg release``: write every release file of the ontology into one folder.

>>> import datetime, tempfile
>>> with tempfile.TemporaryDirectory() as out:
...     done = write_release(Path(out), datetime.date(2026, 12, 5))
...     sorted(p.name for p in done.files)
['cmr.json', 'cmr.obo', 'cmr.ofn', 'cmr.owl', 'cmr.sssom.tsv']
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from kg.model.errors import KGError
from kg.model.ontology import ontology_graph
from kg.release.header import ReleaseInfo, read_header
from kg.release.mappings import write_sssom
from kg.release.obo import write_obo
from kg.release.obojson import write_obojson
from kg.release.owl import owl_graph, write_owl
from kg.release.terms import read_terms
from kg.validation.quality import QualityViolation, quality_report

__all__ = ["OBSOLETION_RULE", "Release", "obsoletion_problems", "write_release"]

#: The quality rule (``ontology/quality/obsolete_term.rq``) that enforces the obsoletion policy.
OBSOLETION_RULE = "obsolete_term"


@dataclass
class Release:
    """What ``write_release`` did: the files written, or why it wrote none."""

    info: ReleaseInfo
    files: list[Path] = field(default_factory=list)
    problems: list[QualityViolation] = field(default_factory=list)


def obsoletion_problems(graph: Graph) -> list[QualityViolation]:
    """The deprecated terms of ``graph`` that break the obsoletion policy."""
    return [v for v in quality_report(graph) if v.rule == OBSOLETION_RULE]


def write_release(
    out: Path, date: datetime.date | None = None, source: Graph | None = None
) -> Release:
    """Write the release of ``source`` (the shipped ontology) dated ``date`` (today) into ``out``.

    Nothing is written when a deprecated term breaks the obsoletion policy: the release's
    ``problems`` say which.
    """
    graph = ontology_graph() if source is None else source
    info = ReleaseInfo(date or datetime.datetime.now(datetime.UTC).date())
    release = Release(info, problems=obsoletion_problems(graph))
    if release.problems:
        return release
    header = read_header(graph)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise KGError(f"{out}: cannot create the release folder ({err.strerror})") from err
    terms = read_terms(owl_graph(graph, header, info, "cmr.obo"))
    release.files = [
        write_owl(graph, header, info, out / "cmr.owl"),
        write_owl(graph, header, info, out / "cmr.ofn"),
        write_obo(terms, header, info, out),
        write_obojson(terms, header, info, out),
        write_sssom(graph, header, info, out),
    ]
    return release
