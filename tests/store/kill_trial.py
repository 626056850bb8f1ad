"""One kill trial: a command that changes a workspace, SIGKILLed at a random moment, then checked.

The issue's promise: ``kg add``, ``update``, ``remove`` and ``build`` killed at any moment leave
the case files and the cached store as they were before the command or as it would have left
them, never in between. :func:`run_trial` tests it once, from a seed:

1. a fresh workspace (the shipped cohort) and its cache, warmed with ``kg build``;
2. an operation drawn at random: ``add`` (a shipped case copied under a new caseId and
   namespace), ``update`` (a stored case with one description corrected), ``remove`` (a stored
   case no other file refers to), ``build`` (after touching a case file) or ``rebuild``
   (``kg build`` with nothing changed, which replaces the cached store);
3. BEFORE: the case files' bytes and the store's triples (blank nodes canonicalised); AFTER:
   the same after the operation ran to completion in a twin workspace, timed;
4. the operation again, in the trial's workspace, SIGKILLed after a delay drawn between 0 and
   the twin's duration; then ``kg query`` (a plain read) and the checks: the files are BEFORE
   or AFTER, the store that read used is the one of the same state, the read exited 0 without
   a traceback, and no ``*.tmp-*`` or ``*.staging-*`` remains.

It lives in the test suite (``tests/store/test_kill_trials.py`` runs a few seeded trials) and
``bench/kill_trials.py`` imports it to run many, adding the repository root to ``sys.path``:
the suite imports it without making ``bench/`` a package.
"""

from __future__ import annotations

import contextlib
import gc
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.engine.graphstore import GraphStore
from kg.store.cache import CaseFiles, source_fingerprint
from kg.store.workspace import init_workspace

__all__ = ["OPERATIONS", "Outcome", "prime_cache", "run_trial"]

OPERATIONS = ("add", "update", "remove", "build", "rebuild")
KG = str(Path(sys.executable).parent / "kg")
LEFTOVER = re.compile(r"\.(?:tmp|staging)-\d+")
COMPLETE = "build-complete"
READ = ("query", "population_figures")  # the follow-up: a plain read of the cached store
ADDABLE = ("seed-001", "seed-002", "seed-003", "seed-004")  # no other file names them


@dataclass(frozen=True)
class State:
    """What a command may change: the case files (path to bytes) and the store's triples."""

    files: dict[str, bytes]
    triples: frozenset[str] | None


@dataclass
class Outcome:
    """What one trial saw. ``state``: ``before``, ``after``, ``between`` or ``not run``."""

    seed: int
    operation: str
    detail: str
    duration: float
    delay: float
    killed: bool = False
    state: str = "not run"  # when the twin failed
    leftovers_found: list[str] = field(default_factory=list)
    leftovers_left: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        """Before or after, nothing left behind, and the next command fine."""
        return self.state in {"before", "after"} and not self.leftovers_left and not self.problems


def prime_cache(folder: Path) -> Path:
    """A cache holding the ontology's classification (HermiT runs once, here, not per trial)."""
    if not any(folder.glob("tbox-*.json")):
        folder.mkdir(parents=True, exist_ok=True)
        _kg(["build", "-q"], folder, None, check=True)
    return folder


def run_trial(
    seed: int, root: Path, *, operation: str | None = None, primed: Path | None = None
) -> Outcome:
    """Run the trial of ``seed`` under ``root`` (a new folder, removed when done)."""
    started = time.perf_counter()
    root.mkdir(parents=True)
    try:
        outcome = _trial(seed, root, operation, primed)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    outcome.seconds = time.perf_counter() - started
    return outcome


def _trial(seed: int, root: Path, operation: str | None, primed: Path | None) -> Outcome:
    rng = random.Random(seed)
    op = operation or rng.choice(OPERATIONS)
    trial, twin = root / "trial", root / "twin"
    _setup((trial, twin), primed)
    before = _state(trial)  # a build's touch changes no byte and no triple
    args, detail = _prepare(op, rng, trial, twin, root)
    took = time.perf_counter()
    done = _kg(args, twin / "cache", twin / "ws")
    duration = time.perf_counter() - took
    after = _state(twin)
    outcome = Outcome(seed, op, detail, duration, rng.uniform(0.0, duration))
    if done.returncode != 0 or after.triples is None:
        outcome.problems.append(f"the twin's `kg {' '.join(args)}` failed: {done.stderr}")
        return outcome
    published = _published(trial)
    outcome.killed = _kill_after(outcome.delay, args, trial)
    outcome.leftovers_found = _leftovers(trial)
    made_it = _published(trial) != published
    read = _kg(list(READ), trial / "cache", trial / "ws")
    if read.returncode != 0 or "Traceback" in read.stdout + read.stderr:
        outcome.problems.append(f"`kg query` exited {read.returncode}: {read.stderr[-2000:]}")
    outcome.leftovers_left = _leftovers(trial)
    outcome.state = _classify(_state(trial), before, after, made_it)
    return outcome


def _env(cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "CMR_KG_WORKSPACE"}
    return env | {"CMR_KG_CACHE": str(cache)}


def _kg(
    args: list[str], cache: Path, workspace: Path | None, *, check: bool = False
) -> subprocess.CompletedProcess[str]:
    where = ["-w", str(workspace)] if workspace is not None else []
    return subprocess.run(
        [KG, *where, *args],
        env=_env(cache),
        capture_output=True,
        text=True,
        timeout=600,
        check=check,
    )


def _setup(sides: tuple[Path, ...], primed: Path | None) -> None:
    """Workspaces from the shipped cohort, each with a cache holding its built store."""
    builds = []
    for side in sides:
        init_workspace(side / "ws", from_shipped=True)
        (side / "cache").mkdir()
        if primed is not None:
            for tbox in primed.glob("tbox-*.json"):
                shutil.copy2(tbox, side / "cache" / tbox.name)
        command = [KG, "-w", str(side / "ws"), "build", "-q"]
        builds.append(
            subprocess.Popen(command, env=_env(side / "cache"), stdout=subprocess.DEVNULL)
        )
    for build in builds:
        if build.wait(timeout=600) != 0:
            raise RuntimeError(f"`kg build` of a fresh workspace exited {build.returncode}")


def _prepare(
    op: str, rng: random.Random, trial: Path, twin: Path, root: Path
) -> tuple[list[str], str]:
    """The command's arguments (its input written under ``root``), and what it does."""
    cases = trial / "ws" / "cases"
    stored = sorted(p.stem for p in cases.glob("*.ttl"))
    if op == "add":
        source, new = rng.choice(ADDABLE), f"seed-{rng.randrange(900, 1000)}"
        draft = root / f"{new}-draft.ttl"
        draft.write_text((cases / f"{source}.ttl").read_text("utf-8").replace(source, new))
        return ["add", str(draft)], f"{source} as {new}"
    if op == "update":
        case = rng.choice(stored)
        draft = root / f"{case}.ttl"
        text = (cases / f"{case}.ttl").read_text("utf-8")
        draft.write_text(text.replace('cmr:description "', 'cmr:description "Corrected. ', 1))
        return ["update", str(draft)], case
    if op == "remove":
        case = rng.choice([c for c in stored if not _named_elsewhere(c, cases)])
        return ["remove", case], case
    if op == "build":
        touched = rng.choice(sorted(cases.glob("*.ttl"))).name
        now = time.time_ns()
        for side in (trial, twin):
            os.utime(side / "ws" / "cases" / touched, ns=(now, now))
        return ["build", "-q"], f"touched {touched}"
    if op == "rebuild":
        return ["build", "-q"], "nothing changed"
    raise ValueError(f"unknown operation {op!r}; one of {', '.join(OPERATIONS)}")


def _named_elsewhere(case: str, cases: Path) -> bool:
    """True when a file other than the case's own names it (then it cannot be removed)."""
    name = re.compile(rf"{re.escape(case)}(?![-\w])")
    return any(
        name.search(path.read_text("utf-8"))
        for path in cases.rglob("*.ttl")
        if path != cases / f"{case}.ttl"
    )


def _kill_after(delay: float, args: list[str], side: Path) -> bool:
    """Run ``kg args`` in ``side`` and SIGKILL it (its process group) after ``delay`` seconds."""
    process = subprocess.Popen(
        [KG, "-w", str(side / "ws"), *args],
        env=_env(side / "cache"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        process.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    return process.returncode == -signal.SIGKILL


def _store_path(side: Path) -> Path:
    """Where a command finds the store of the workspace's current case files."""
    files = CaseFiles.discover((side / "ws" / "cases").resolve())
    return side / "cache" / f"store-{source_fingerprint(files)}"


def _published(side: Path) -> int | None:
    """The identity (inode) of the complete store of the current files, if there is one."""
    marker = _store_path(side) / COMPLETE
    return marker.stat().st_ino if marker.is_file() else None


def _state(side: Path) -> State:
    cases = side / "ws" / "cases"
    files = {
        str(p.relative_to(cases)): p.read_bytes()
        for p in sorted(cases.rglob("*"))
        if p.is_file() and not LEFTOVER.search(p.name)
    }
    where = _store_path(side)
    if not (where / COMPLETE).is_file():
        return State(files, None)
    store = GraphStore.open(where, read_only=True)
    dataset = ox.Dataset(store.store.quads_for_pattern(None, None, None, None))
    del store
    gc.collect()
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return State(files, frozenset(str(quad) for quad in dataset))


def _leftovers(side: Path) -> list[str]:
    return sorted(
        str(p.relative_to(side))
        for folder in (side / "ws", side / "cache")
        for p in folder.rglob("*")
        if LEFTOVER.search(p.name)
    )


def _classify(now: State, before: State, after: State, made_it: bool) -> str:
    """``before`` or ``after`` when files and store agree on one of them, else ``between``."""
    if now.triples is None:
        return "between"
    if before == after:  # a build: the same files and triples; did its store get published?
        return ("after" if made_it else "before") if now == after else "between"
    for name, state in (("before", before), ("after", after)):
        if now == state:
            return name
    return "between"
