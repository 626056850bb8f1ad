"""Kill trials: ``kg add``, ``update``, ``remove`` and ``build`` SIGKILLed at random moments.

Run it from the repository::

    uv run python bench/kill_trials.py --trials 50 --seed 1
    uv run python bench/kill_trials.py --trials 5 --seed 1 --operation rebuild --quiet

Each trial (``tests/store/kill_trial.py``, shared with the test suite) makes a fresh workspace
from the shipped cohort with its own cache, runs one operation to completion in a twin workspace
(AFTER, and the operation's duration), runs it again in the trial's workspace and SIGKILLs it
after a delay drawn between 0 and that duration, then reads with ``kg query``: the case files
and the store the read used must be BEFORE or AFTER, the read must exit 0 without a traceback,
and no ``*.tmp-*`` or ``*.staging-*`` may remain. Trial ``i`` has the seed ``1000 * SEED + i``;
one trial is replayed with ``run_trial(seed, folder)``. Exits 1 if any trial failed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the checkout: tests/ imports

from tests.store.kill_trial import OPERATIONS, Outcome, prime_cache, run_trial

COLUMNS = (
    "operation",
    "trials",
    "killed",
    "before",
    "after",
    "in between",
    "leftovers found",
    "removed",
    "left",
    "median duration",
    "seconds",
)


def table(outcomes: Sequence[Outcome]) -> str:
    """The figures per operation and in total, as a Markdown table."""
    rows = [_row(op, [o for o in outcomes if o.operation == op]) for op in OPERATIONS]
    rows = [row for row in rows if row[1] != "0"] + [_row("all", list(outcomes))]
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    return "\n".join([*lines, *("| " + " | ".join(row) + " |" for row in rows)])


def _row(label: str, group: Sequence[Outcome]) -> list[str]:
    found = sum(len(o.leftovers_found) for o in group)
    left = sum(len(o.leftovers_left) for o in group)
    median = statistics.median(o.duration for o in group) if group else 0.0
    return [
        label,
        str(len(group)),
        str(sum(o.killed for o in group)),
        *(str(sum(o.state == s for o in group)) for s in ("before", "after", "between")),
        str(found),
        str(found - left),
        str(left),
        f"{median:.2f} s",
        f"{sum(o.seconds for o in group):.0f}",
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the trials, print the table and the failures; 1 if any trial failed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=50, help="how many trials (default 50)")
    parser.add_argument("--seed", type=int, default=1, help="trial i has seed 1000*SEED+i")
    parser.add_argument("--operation", choices=OPERATIONS, help="only this operation")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="kg-kill-trials-") as scratch:
        primed = prime_cache(Path(scratch) / "primed")
        bar = tqdm(
            total=args.trials,
            desc="kill trials",
            unit="trial",
            disable=args.quiet or not sys.stderr.isatty(),
        )
        with bar:
            for i in range(args.trials):
                seed = 1000 * args.seed + i
                outcome = run_trial(
                    seed, Path(scratch) / f"trial-{i}", operation=args.operation, primed=primed
                )
                outcomes.append(outcome)
                failed = sum(not o.passed for o in outcomes)
                bar.set_postfix_str(f"{outcome.operation}: {outcome.state}; failed {failed}")
                bar.update()
    print(table(outcomes))
    failures = [o for o in outcomes if not o.passed]
    for o in failures:
        print(
            f"FAILED seed {o.seed}: {o.operation} ({o.detail}), killed at {o.delay:.2f} s "
            f"of {o.duration:.2f} s: {o.state}; left {o.leftovers_left}; {o.problems}"
        )
    print(
        f"{len(outcomes)} trials, {len(failures)} failed, "
        f"{time.perf_counter() - started:.0f} s in all"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
