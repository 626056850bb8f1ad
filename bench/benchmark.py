"""Benchmark: the embedded pipeline against the plain rdflib + pyshacl way, from the cohort to 100k.

Run it from the repository (figures go to standard output as one table, and as JSON with
``--json FILE``)::

    uv run python bench/benchmark.py                       # cohort, 1,000, 10,000, 100,000
    uv run python bench/benchmark.py --sizes cohort,1000   # a quick run

For each size N, a child process (so that its peak memory is its own) generates a synthetic
cohort with ``kg synth`` (the shipped cohort for ``cohort``), builds it (parse, reason,
validate in memory; index: bulk-loaded into an on-disk Oxigraph store), runs every catalogue
query on the on-disk store ``--repeat`` times (fewer once ``--query-budget`` seconds were spent
on it) through the package and directly, and adds held-out cases with their validation. Another
child runs the plain pipeline a user would write with rdflib and pyshacl alone (parse every
file into one rdflib graph, run the catalogue with rdflib, validate with pyshacl) under a time
cap; what it did not finish within the cap is reported as such.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HELD_OUT = 3  # cases added one by one after the build


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cohort_files(size: str, workdir: Path) -> tuple[list[Path], list[Path], float]:
    """The files to build and the held-out files to add, and the generation time."""
    from kg.model.resources import CASES_DIR
    from kg.validation.loader import case_files

    if size == "cohort":
        files = case_files(CASES_DIR)
        held = [f for f in files if f.name in {"seed-004.ttl", "seed-002.ttl", "seed-000-t05.ttl"}]
        return [f for f in files if f not in held], held, 0.0
    from kg.synth import generate

    n = int(size)
    folder = workdir / f"synth-{n}"
    started = time.perf_counter()
    if not folder.is_dir():
        generate(n + HELD_OUT, 1, folder, progress=False)
    seconds = time.perf_counter() - started
    files = case_files(folder)
    cases = sorted(f for f in files if f.parent == folder)
    held = cases[-HELD_OUT:]
    return [f for f in files if f not in held], held, seconds


def _median(samples: list[float]) -> float:
    return statistics.median(samples) if samples else float("nan")


def run_embedded(
    size: str, workdir: Path, repeat: int, budget: float = 60.0, log: Path | None = None
) -> dict[str, Any]:
    """Build, query and add on the embedded store; return the figures.

    Each query runs ``repeat`` times, or fewer once ``budget`` seconds were spent on it (at
    least once).

    With ``log``, each figure is also appended there as soon as it is measured (one JSON line),
    so that a run stopped half-way still tells what it measured.
    """

    def note(**figure: Any) -> None:
        if log is not None:
            with log.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(figure) + "\n")

    from kg.engine.graphstore import GraphStore
    from kg.engine.results import inline_bindings
    from kg.sparql.catalogue import bindings_for, catalogue, run_named
    from kg.store.intake import add_file
    from kg.store.pipeline import build_store

    files, held, generated = _cohort_files(size, workdir)
    location = Path(tempfile.mkdtemp(prefix="store-", dir=workdir))
    started = time.perf_counter()
    built = build_store(files, into=location / "store", progress=False)
    build_seconds = time.perf_counter() - started
    store: GraphStore = built.store
    build_peak = _peak_mib()
    note(
        stage="build",
        seconds=build_seconds,
        steps=built.seconds,
        triples=len(store),
        peak_mib=build_peak,
    )
    queries: dict[str, dict[str, float]] = {}
    for name, query in catalogue().items():
        text = inline_bindings(query.file.text, bindings_for(query, {}))
        package: list[float] = []
        direct: list[float] = []
        spent = time.perf_counter()
        while len(package) < repeat and (not package or time.perf_counter() - spent < budget):
            t0 = time.perf_counter()
            run_named(store, name)
            package.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            answer = store.store.query(text, prefixes=_prefixes())
            rows = list(answer)  # type: ignore[arg-type]
            direct.append(time.perf_counter() - t0)
            del rows
        queries[name] = {
            "median": _median(package),
            "direct": _median(direct),
            "runs": len(package),
        }
        note(stage=f"query {name}", **queries[name])
    adds = []
    accepted = 0
    for path in held:
        t0 = time.perf_counter()
        outcome = add_file(store, path)
        adds.append(time.perf_counter() - t0)
        accepted += outcome.accepted
    result = {
        "size": size,
        "files": len(files),
        "generated_seconds": generated,
        "triples": len(store),
        "conforms": built.conforms,
        "violations": built.report.count("violation"),
        "build_seconds": build_seconds,
        "steps": built.seconds,
        "queries": queries,
        "add_median": _median(adds),
        "adds_accepted": f"{accepted}/{len(held)}",
        "build_peak_mib": build_peak,
        "peak_mib": _peak_mib(),
    }
    del store
    shutil.rmtree(location, ignore_errors=True)
    return result


def _prefixes() -> dict[str, str]:
    from kg.model.ontology import PREFIXES

    return PREFIXES


def run_plain(size: str, workdir: Path, out: Path) -> None:
    """The plain rdflib + pyshacl pipeline; writes one JSON line per finished stage to ``out``."""
    import pyshacl
    from rdflib import Graph

    from kg.model.resources import ONTOLOGY_FILE, SHAPES_DIR
    from kg.sparql.catalogue import catalogue, run_named

    files, _, _ = _cohort_files(size, workdir)

    def report(stage: str, seconds: float) -> None:
        line = json.dumps({"stage": stage, "seconds": seconds, "peak_mib": _peak_mib()})
        with out.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")

    started = time.perf_counter()
    graph = Graph()
    graph.parse(ONTOLOGY_FILE, format="turtle")
    for path in files:
        graph.parse(path, format="turtle")
    report("parse", time.perf_counter() - started)
    shapes = Graph()
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        shapes.parse(path, format="turtle")
    for name in catalogue():
        started = time.perf_counter()
        run_named(graph, name)  # rdflib, parameters bound with initBindings
        report(f"query {name}", time.perf_counter() - started)
    started = time.perf_counter()
    pyshacl.validate(graph, shacl_graph=shapes, inference="none", advanced=True)
    report("validate", time.perf_counter() - started)


def _child(args: list[str], timeout: float | None) -> tuple[list[str], bool]:
    """Run this script as a child; the lines it wrote, and whether it finished in time."""
    with tempfile.NamedTemporaryFile("r", suffix=".jsonl", encoding="utf-8") as out:
        command = [sys.executable, __file__, *args, "--out", out.name]
        process = subprocess.Popen(command)
        try:
            finished = process.wait(timeout=timeout) == 0
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            finished = False
        return Path(out.name).read_text(encoding="utf-8").splitlines(), finished


def _fmt(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.1f} s"


def table(rows: list[dict[str, Any]], cap: float) -> str:
    """The results as one Markdown table (one column per size)."""
    sizes = [r["size"] for r in rows]
    out = ["| | " + " | ".join(sizes) + " |", "|---" * (len(sizes) + 1) + "|"]

    def line(label: str, values: list[str]) -> None:
        out.append(f"| {label} | " + " | ".join(values) + " |")

    line("case files", [f"{r['files']:,}" for r in rows])
    line("triples", [f"{r['triples']:,}" for r in rows])
    line("build, total", [_fmt(r["build_seconds"]) for r in rows])
    for step in ("parse", "reason", "classify", "routes", "validate", "index"):
        label = f"  - of which {step}" if step in ("classify", "routes") else f"- {step}"
        line(label, [_fmt(r["steps"].get(step)) for r in rows])
    line("data conforms", ["yes" if r["conforms"] else f"no ({r['violations']})" for r in rows])
    names = sorted(rows[0]["queries"])
    for name in names:
        line(
            f"query `{name}` median (direct)",
            [
                f"{_fmt(r['queries'][name]['median'])} ({_fmt(r['queries'][name]['direct'])})"
                for r in rows
            ],
        )
    line(
        "runs per query (fewest)",
        [str(min(q.get("runs", 0) for q in r["queries"].values())) for r in rows],
    )
    line("catalogue total (direct)", [_catalogue_total(r) for r in rows])
    line("slowest query / direct (queries over 50 ms)", [_worst_ratio(r) for r in rows])
    line("add one case (median)", [f"{_fmt(r['add_median'])} ({r['adds_accepted']})" for r in rows])
    line("peak memory, build", [_mib(r.get("build_peak_mib")) for r in rows])
    line("peak memory, whole run", [_mib(r["peak_mib"]) for r in rows])
    line("plain: parse", [_fmt(r["plain"].get("parse")) for r in rows])
    line("plain: pyshacl", [_fmt(r["plain"].get("validate")) for r in rows])
    line("plain: catalogue (sum)", [_fmt(r["plain"].get("catalogue")) for r in rows])
    finished = ["yes" if r["plain"]["finished"] else f"no (cap {cap:.0f} s)" for r in rows]
    line("plain: finished", finished)
    line("plain peak memory", [_mib(r["plain"].get("peak_mib")) for r in rows])
    line("catalogue speed-up", [r["speedup_catalogue"] for r in rows])
    line("build speed-up", [r["speedup_build"] for r in rows])
    return "\n".join(out)


def _mib(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f} MiB"


def _catalogue_total(row: dict[str, Any]) -> str:
    queries = row["queries"].values()
    package = sum(q["median"] for q in queries)
    direct = sum(q["direct"] for q in queries)
    return f"{_fmt(package)} ({_fmt(direct)}, {package / direct:.2f}x)"


def _worst_ratio(row: dict[str, Any]) -> str:
    ratios = [q["median"] / q["direct"] for q in row["queries"].values() if q["direct"] > 0.05]
    return f"{max(ratios):.2f}x" if ratios else "-"


def _ratio(plain: float | None, ours: float, finished: bool) -> str:
    """How many times faster; a lower bound when the plain run hit the cap (none below 1x)."""
    if plain is None or (not finished and plain < ours):
        return "-"
    return f"{plain / ours:.0f}x" if finished else f"> {plain / ours:.0f}x"


def render(path: Path) -> str:
    """The table again from a ``--json`` file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return f"Machine: {data['machine']}\n" + table(data["rows"], data.get("cap", 300.0))


def main() -> None:
    """Run every size and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="cohort,1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--query-budget",
        type=float,
        default=60.0,
        help="seconds per query after which no more repeats start (at least one run)",
    )
    parser.add_argument("--plain-cap", type=float, default=300.0, help="seconds")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "kg-bench")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--child", choices=["embedded", "plain"], help=argparse.SUPPRESS)
    parser.add_argument("--size", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("CMR_KG_CACHE", str(args.workdir / "cache"))
    if args.child == "embedded":
        figures = run_embedded(
            args.size, args.workdir, args.repeat, args.query_budget, args.out.with_suffix(".log")
        )
        args.out.write_text(json.dumps(figures) + "\n", encoding="utf-8")
        return
    if args.child == "plain":
        run_plain(args.size, args.workdir, args.out)
        return
    rows = []
    for size in args.sizes.split(","):
        print(f"[bench] {size}: embedded", file=sys.stderr, flush=True)
        common = ["--size", size, "--workdir", str(args.workdir), "--repeat", str(args.repeat)]
        common += ["--query-budget", str(args.query_budget)]
        lines, ok = _child(["--child", "embedded", *common], None)
        if not ok:
            raise SystemExit(f"the embedded run for {size} failed")
        row = json.loads(lines[-1])
        print(f"[bench] {size}: plain (cap {args.plain_cap:.0f} s)", file=sys.stderr, flush=True)
        plain_lines, finished = _child(["--child", "plain", *common], args.plain_cap)
        stages = [json.loads(x) for x in plain_lines if x.startswith("{")]
        plain: dict[str, Any] = {"finished": finished}
        for stage in stages:
            if stage["stage"].startswith("query "):
                plain["catalogue"] = plain.get("catalogue", 0.0) + stage["seconds"]
            else:
                plain[stage["stage"]] = stage["seconds"]
            plain["peak_mib"] = stage["peak_mib"]
        row["plain"] = plain
        ours_catalogue = sum(q["median"] for q in row["queries"].values())
        complete = "validate" in plain
        # the catalogue: exact once every query ran; a lower bound if the cap stopped it midway
        ran = sum(1 for stage in stages if stage["stage"].startswith("query "))
        plain_catalogue: float | None = None
        if ran == len(row["queries"]):
            plain_catalogue = plain["catalogue"]
        elif "parse" in plain:
            plain_catalogue = args.plain_cap - plain["parse"]
        row["speedup_catalogue"] = _ratio(
            plain_catalogue, ours_catalogue, ran == len(row["queries"])
        )
        # the build (parse + pyshacl): a lower bound when the cap stopped the parse or pyshacl
        plain_build: float | None = None
        if complete:
            plain_build = plain["parse"] + plain["validate"]
        elif "parse" not in plain:
            plain_build = args.plain_cap
        elif ran == len(row["queries"]):
            plain_build = args.plain_cap - plain["catalogue"]
        row["speedup_build"] = _ratio(plain_build, row["build_seconds"], complete)
        rows.append(row)
    machine = (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )
    print(f"Machine: {machine}")
    print(table(rows, args.plain_cap))
    if args.json is not None:
        record = {"machine": machine, "cap": args.plain_cap, "rows": rows}
        args.json.write_text(json.dumps(record, indent=1))


if __name__ == "__main__":
    main()
