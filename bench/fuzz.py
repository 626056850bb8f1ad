"""Fuzz the case intake: seeded mutants of every case and bad input through ``kg validate``/``add``.

Run it from the repository::

    uv run python bench/fuzz.py --count 3000 --seed 1 --commands validate --timeout 30
    uv run python bench/fuzz.py --count 1000 --seed 2 --commands add --keep fuzz-out
    uv run python bench/fuzz.py --seed 1 --commands add --indices 17,42   # replay two mutants

Every ``.ttl`` file of ``cases/``, ``cases/sources/`` and ``tests/bad_inputs/``, renamed as a new
case (:func:`kg.synth.mutate.as_new_case`), is mutated (:mod:`kg.synth.mutate`). Each mutant is
written to a file and given to the real ``kg`` in a child process, with ``--workspace`` a copy of
the shipped cases and a cache of its own (a worker's workspace is restored after an add changed
it). A run is *clean* (exit 0, 1 or 2, no traceback), a *crash* (any other exit, such as 3, the
internal-error code, or a traceback) or a *hang* (over ``--timeout`` seconds). Crashes are grouped
by signature (exception type and last frame, from kg's crash report); each crashing or hanging
input is kept with its output under ``--keep``. Exit status 0 when nothing crashed or hung.
"""

from __future__ import annotations

import argparse
import os
import platform
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from kg.synth.mutate import Mutant, context_of, mutant, read_texts

REPO = Path(__file__).resolve().parent.parent
INPUTS = (REPO / "cases", REPO / "cases" / "sources", REPO / "tests" / "bad_inputs")
CLEAN_CODES = {0, 1, 2}
WARM_UP = (
    "@prefix cmr: <https://w3id.org/cmr/> .\n"
    '<https://w3id.org/cmr/data/case/fuzz-warm-up> a cmr:Case ; cmr:caseId "fuzz-warm-up" .\n'
)
_FRAME = re.compile(r'^\s*File "([^"]+)", line \d+, in (\S+)', re.MULTILINE)
_RAISED = re.compile(r"^([A-Za-z_]\w*(?:\.\w+)*)(?:: (.*))?$", re.MULTILINE)  # "ValueError: ..."
_INTERNAL = re.compile(r"internal error \((\w+): (.*?)\)\. This is a bug")


def kg_command() -> list[str]:
    """How to run ``kg``: the entry point next to this Python, else the module's ``main``."""
    exe = Path(sys.executable).parent / "kg"
    if exe.is_file():
        return [str(exe)]
    found = shutil.which("kg")
    return [found] if found else [sys.executable, "-c", "from kg.cli import main; main()"]


@dataclass
class Run:
    """One child process: its exit code (None when it hung), output and crash report."""

    code: int | None
    out: str
    err: str
    report: str
    seconds: float

    @property
    def verdict(self) -> str:
        """``clean``, ``crash`` or ``hang``."""
        if self.code is None:
            return "hang"
        traceback = "Traceback (most recent call last)" in self.out + self.err
        return "clean" if self.code in CLEAN_CODES and not traceback else "crash"


def _short(path: str) -> str:
    """``kg/model/terms.py`` or ``rdflib/term.py`` for a frame's file."""
    for marker in ("/site-packages/", "/lib/python"):
        if marker in path:
            return path.split(marker, 1)[1]
    parts = Path(path).parts
    return "/".join(parts[parts.index("kg") :]) if "kg" in parts else Path(path).name


def signature(run: Run) -> str:
    r"""What tells crashes apart: exception type, message (quotes and digits blanked), last frame.

    >>> text = 'Traceback\n  File "/x/kg/cli/a.py", line 3, in f\n  File "/y/site-packages/'
    >>> text += 'rdflib/term.py", line 9, in g\nValueError: bad\n'
    >>> signature(Run(3, "", "", text, 1.0))
    'ValueError (bad) in rdflib/term.py:g (from kg/cli/a.py:f)'
    """
    text = run.report or run.err
    raised = _RAISED.findall(text) or _INTERNAL.findall(run.err) or [("", "")]
    kind, message = raised[-1]
    message = re.sub(r"(?<!\w)('[^']*'|\"[^\"]*\")(?!\w)|\d+", "_", message)[:50]
    frames = [(_short(f), fn) for f, fn in _FRAME.findall(text)]
    if not frames:
        return f"exit {run.code}" + (f" ({kind})" if kind else "")
    where = f"{kind} ({message}) in {frames[-1][0]}:{frames[-1][1]}"
    own = [fr for fr in frames if fr[0].startswith("kg/")]
    return where + (f" (from {own[-1][0]}:{own[-1][1]})" if own and own[-1] != frames[-1] else "")


@dataclass
class Slot:
    """A worker's place: a workspace, a cache, a temporary folder, and pristine copies."""

    root: Path
    baseline: tuple[object, ...] = ()

    @property
    def workspace(self) -> Path:
        """The workspace given to ``kg --workspace``."""
        return self.root / "ws"

    @property
    def env(self) -> dict[str, str]:
        """The child's environment: its own cache, and crash reports in its own folder."""
        env = {k: v for k, v in os.environ.items() if k != "CMR_KG_WORKSPACE"}
        return env | {"CMR_KG_CACHE": str(self.root / "cache"), "TMPDIR": str(self.root / "tmp")}

    def state(self) -> tuple[object, ...]:
        """The case files (name, size, time) and the cache's entries: what a build key sees."""
        files = sorted(
            (str(p.relative_to(self.root)), p.stat().st_size, p.stat().st_mtime_ns)
            for p in (self.workspace / "cases").rglob("*")
        )
        return (*files, *sorted(p.name for p in (self.root / "cache").iterdir()))

    def restore(self) -> None:
        """Put the workspace and the cache back as they were after the warm-up."""
        for name in ("ws", "cache"):
            shutil.rmtree(self.root / name, ignore_errors=True)
            shutil.copytree(self.root / f"pristine-{name}", self.root / name)


def prepare(root: Path, warm: bool) -> Slot:
    """A slot with a workspace of the shipped cases, its store built (when ``warm``)."""
    slot = Slot(root)
    for name in ("cache", "tmp", "in"):
        (root / name).mkdir(parents=True)
    init = [*kg_command(), "init", str(slot.workspace), "--from-shipped"]
    subprocess.run(init, env=slot.env, check=True, capture_output=True)
    if warm:
        (root / "warm-up.ttl").write_text(WARM_UP, encoding="utf-8")
        run_kg(["add", str(root / "warm-up.ttl")], slot, 600)
    for name in ("ws", "cache"):
        shutil.copytree(root / name, root / f"pristine-{name}")
    slot.baseline = slot.state()
    return slot


def run_kg(args: list[str], slot: Slot, timeout: float) -> Run:
    """``kg --workspace WS ARGS`` in a child process (its whole group killed on a hang)."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [*kg_command(), "--workspace", str(slot.workspace), *args],
        env=slot.env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        out, err = child.communicate(timeout=timeout)
        code: int | None = child.returncode
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        out, err = child.communicate()
        code = None
    reports = sorted((slot.root / "tmp").glob("kg-crash-*.txt"))
    report = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in reports)
    for path in (slot.root / "tmp").iterdir():
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    decode = {"encoding": "utf-8", "errors": "replace"}
    return Run(
        code, out.decode(**decode), err.decode(**decode), report, time.perf_counter() - started
    )


def run_mutant(item: Mutant, command: str, slot: Slot, timeout: float) -> Run:
    """Write ``item`` to a file, run ``kg COMMAND FILE``; restore the slot if the run changed it."""
    path = slot.root / "in" / item.name
    path.write_text(item.text, encoding="utf-8")
    try:
        return run_kg([command, str(path)], slot, timeout)
    finally:
        path.unlink()
        if command != "validate" and slot.state() != slot.baseline:
            slot.restore()


@dataclass
class Tally:
    """What one command did with every mutant."""

    command: str
    codes: Counter[str] = field(default_factory=Counter)
    crashes: dict[str, list[Mutant]] = field(default_factory=dict)
    hangs: list[Mutant] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def total(self) -> int:
        """How many mutants ran."""
        return sum(self.codes.values())

    def count(self, item: Mutant, run: Run, keep: Path) -> str:
        """Record one run; keep the input and output of a crash or a hang. Its verdict."""
        verdict = run.verdict
        self.codes["hang" if run.code is None else f"exit {run.code}"] += 1
        if verdict == "clean":
            return verdict
        label = signature(run) if verdict == "crash" else "hang"
        if verdict == "crash":
            self.crashes.setdefault(label, []).append(item)
        else:
            self.hangs.append(item)
        folder = keep / self.command / re.sub(r"[^\w.-]+", "_", label)[:120]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / item.name).write_text(item.text, encoding="utf-8")
        (folder / f"{item.name}.out.txt").write_text(
            f"kg {self.command} {item.name}  # {item.source}, {item.operator}, #{item.index}\n"
            f"exit: {run.code}, {run.seconds:.1f} s\n--- stdout\n{run.out[-4000:]}\n"
            f"--- stderr\n{run.err[-4000:]}\n--- crash report\n{run.report}",
            encoding="utf-8",
        )
        return verdict


def fuzz(command: str, indices: list[int], args: argparse.Namespace, slots: list[Slot]) -> Tally:
    """Run mutants ``indices`` through ``kg COMMAND`` on ``--jobs`` workers."""
    texts = read_texts(*INPUTS)
    context = context_of(read_texts(*INPUTS, new_cases=False))
    free: queue.Queue[Slot] = queue.Queue()
    for slot in slots:
        free.put(slot)
    tally = Tally(command)

    def one(index: int) -> tuple[Mutant, Run]:
        item = mutant(texts, index, args.seed, context)
        slot = free.get()
        try:
            return item, run_mutant(item, command, slot, args.timeout)
        finally:
            free.put(slot)

    started = time.perf_counter()
    bar = tqdm(
        total=len(indices),
        desc=f"fuzz kg {command}",
        unit="mutant",
        disable=args.quiet or not sys.stderr.isatty(),
    )
    with bar, ThreadPoolExecutor(max_workers=len(slots)) as pool:
        for future in as_completed([pool.submit(one, i) for i in indices]):
            tally.count(*future.result(), args.keep)
            bar.set_postfix(crashes=sum(map(len, tally.crashes.values())), hangs=len(tally.hangs))
            bar.update()
    tally.seconds = time.perf_counter() - started
    return tally


def table(tallies: list[Tally], args: argparse.Namespace) -> str:
    """The figures of a run, as printed at the end."""
    rows: list[tuple[str, ...]] = [
        ("command", "mutants", "clean", "crashes", "distinct", "hangs", "seconds")
    ]
    for t in tallies:
        crashes = sum(map(len, t.crashes.values()))
        clean = t.total - crashes - len(t.hangs)
        figures = (t.total, clean, crashes, len(t.crashes), len(t.hangs), f"{t.seconds:.0f}")
        rows.append((f"kg {t.command}", *map(str, figures)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    lines.insert(0, f"seed {args.seed}, timeout {args.timeout} s, {args.jobs} jobs, "
                    f"{os.cpu_count()} cores, Python {platform.python_version()}")  # fmt: skip
    for t in tallies:
        lines.append(f"kg {t.command} exit codes: {dict(sorted(t.codes.items()))}")
        for label, items in sorted(t.crashes.items(), key=lambda kv: -len(kv[1])):
            first = items[0]
            lines.append(f"  crash x{len(items)}: {label}")
            lines.append(f"    e.g. #{first.index} {first.operator} of {first.source}")
        lines.extend(f"  hang: #{m.index} {m.operator} of {m.source}" for m in t.hangs)
    lines.append(f"crashing and hanging inputs: {args.keep}")
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--count", type=int, default=3000, help="mutants per command")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--commands", default="validate,add", help="validate, add or both")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds before a hang")
    parser.add_argument("--jobs", type=int, default=2, help="child processes at once")
    parser.add_argument("--keep", type=Path, default=None, help="folder for crashing inputs")
    parser.add_argument("--indices", default=None, help="only these mutants (1,5,9)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    args.commands = [c for c in args.commands.split(",") if c]
    if not set(args.commands) <= {"validate", "add"} or args.jobs < 1:
        parser.error("--commands takes validate and/or add; --jobs at least 1")
    if args.keep is None:
        args.keep = Path(tempfile.mkdtemp(prefix="kg-fuzz-keep-"))
    return args


def main(argv: list[str] | None = None) -> int:
    """Fuzz; print the table; 0 when nothing crashed or hung, else 1."""
    args = parse_args(argv)
    indices = [int(i) for i in args.indices.split(",")] if args.indices else list(range(args.count))
    with tempfile.TemporaryDirectory(prefix="kg-fuzz-") as work:
        warm = "add" in args.commands
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            made = pool.map(lambda n: prepare(Path(work) / f"slot-{n}", warm), range(args.jobs))
            slots = list(made)
        tallies = [fuzz(command, indices, args, slots) for command in args.commands]
    print(table(tallies, args))
    bad = sum(len(t.hangs) + sum(map(len, t.crashes.values())) for t in tallies)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
