"""One verdict: a file gets the same verdict and the same violations from ``kg validate FILE``
and ``kg add`` (both :func:`kg.store.intake.check_files`) as from ``kg build``.

Checked over 1,000 seeded mutants (:mod:`kg.synth.mutate`) of every shipped case, source and
bad input. Both sides see the same stored data (the shipped sources, which every case cites):
the check runs against their built store, the build runs on them and the mutant together.
The bad inputs themselves are compared to their pinned violations on both sides in
``tests/validation/test_bad_inputs.py`` (check) and ``tests/store/test_pipeline.py`` (build).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from kg.engine.graphstore import GraphStore
from kg.model.resources import CASES_DIR
from kg.store.intake import check_files
from kg.store.pipeline import build_store
from kg.synth.mutate import Mutant, context_of, mutants, read_texts
from kg.validation.issues import Issue
from kg.validation.loader import case_files

BAD = Path(__file__).resolve().parents[1] / "bad_inputs"
SOURCES = case_files(CASES_DIR / "sources")
TEXTS = read_texts(CASES_DIR, CASES_DIR / "sources", BAD)
#: at least 1,000 mutants in all, in blocks so that a failure names a small group
COUNT, BLOCK, SEED = 1_000, 100, 20261205

Verdict = tuple[bool, bool, frozenset[tuple[str, int | None]]]


@pytest.fixture(scope="module")
def sources_store() -> GraphStore:
    return build_store(SOURCES, progress=False).store


def verdict(issues: Sequence[Issue], conforms: bool, unreadable: bool, name: str) -> Verdict:
    violations = frozenset(
        (i.rule, i.line)
        for i in issues
        if i.severity == "violation" and i.file is not None and Path(i.file).name == name
    )
    return conforms, unreadable, violations


def block(start: int) -> Iterator[Mutant]:
    context = context_of(read_texts(CASES_DIR))  # mutants may claim the stored cases' ids
    for made in mutants(TEXTS, start + BLOCK, SEED, context):
        if made.index >= start:
            yield made


@pytest.mark.parametrize("start", range(0, COUNT, BLOCK))
def test_check_and_build_agree_on_seeded_mutants(
    start: int, sources_store: GraphStore, tmp_path: Path
) -> None:
    disagreements = []
    for made in block(start):
        path = tmp_path / made.name
        path.write_text(made.text, encoding="utf-8", errors="surrogatepass")
        checked = check_files(sources_store, [path], stored_files=SOURCES)
        built = build_store([*SOURCES, path], progress=False)
        syntax = bool(built.syntax_errors)
        as_checked = verdict(checked.report.issues, checked.accepted, checked.unreadable, path.name)
        as_built = verdict(built.report.issues, built.conforms, syntax, path.name)
        if as_checked != as_built:
            disagreements.append((made.name, as_checked, as_built))
        path.unlink()
    assert not disagreements, disagreements[:3]
