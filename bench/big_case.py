"""How validating one case file grows with its size: seed-001 with N extra lesions.

``uv run python bench/big_case.py 500 1000 2000 4000`` writes, for each N, a copy of seed-001
(as case ``big-N``) with N more lesions, each a copy of its adrenal lesion under a new name, and
times the check ``kg validate FILE`` and ``kg add`` run (:func:`kg.store.intake.check_files`,
against the shipped cohort's store) and a build of the shipped sources with that file. It prints
one row per N: lesions, file size, seconds for each, seconds per thousand lesions (flat when
the time is linear in the size) and the process's peak memory so far.
"""

from __future__ import annotations

import re
import resource
import sys
import tempfile
import time
from pathlib import Path

from kg.model.resources import CASES_DIR
from kg.store.cache import CaseFiles, open_store
from kg.store.intake import check_files
from kg.store.pipeline import build_store

_LESION = re.compile(r"^:lesion-adrenal a cmr:MetastaticLesion ;\n(?:    .*\n)+", re.MULTILINE)


def big_case(lesions: int) -> str:
    """seed-001 as case ``big-N`` with ``lesions`` more lesions."""
    text = (
        (CASES_DIR / "seed-001.ttl")
        .read_text(encoding="utf-8")
        .replace("seed-001", f"big-{lesions}")
    )
    match = _LESION.search(text)
    assert match is not None, "seed-001 has no adrenal lesion block"
    block = match.group(0)
    copies = [block.replace(":lesion-adrenal ", f":lesion-extra-{i} ", 1) for i in range(lesions)]
    names = ",\n        ".join(f":lesion-extra-{i}" for i in range(lesions))
    text = text.replace(
        "cmr:hasLesion :lesion-adrenal,", f"cmr:hasLesion {names},\n        :lesion-adrenal,", 1
    )
    return text + "\n" + "\n".join(copies)


def main(sizes: list[int]) -> None:
    """Time the check and the build of a ``big-N`` case for each N in ``sizes``."""
    stored = CaseFiles.discover(CASES_DIR)
    store = open_store(stored)
    sources = [f for f in stored.files if f.parent.name == "sources"]
    folder = Path(tempfile.mkdtemp(prefix="big-case-"))
    print(
        f"{'lesions':>8} {'MB':>6} {'check s':>8} {'build s':>8} {'check s/1k':>10} {'peak MiB':>9}"
    )
    for size in sizes:
        path = folder / f"big-{size}.ttl"
        path.write_text(big_case(size), encoding="utf-8")
        started = time.perf_counter()
        outcome = check_files(store, [path], stored_files=stored.files)
        checked = time.perf_counter() - started
        assert outcome.accepted, [i.message for i in outcome.report.issues][:3]
        started = time.perf_counter()
        built = build_store([*sources, path], progress=False)
        building = time.perf_counter() - started
        assert built.conforms
        mb = path.stat().st_size / 1e6
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        per_k = checked / size * 1000
        print(f"{size:>8} {mb:>6.2f} {checked:>8.2f} {building:>8.2f} {per_k:>10.2f} {peak:>9.0f}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [500, 1000, 2000])
