"""The README's examples run as written: the Python session and every `kg` command line.

The Python session prints totals (21 cases, the cases with a conus lesion): it runs on the frozen
fixture cohort (tests/fixtures/cohort/), so that curating a new case does not change them. The
command lines read the shipped cases and are checked for running, not for their totals.
"""

from __future__ import annotations

import doctest
import re
import shlex
import shutil
import subprocess

import pytest

from .conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
# `kg build` as the README shows it is run by tests/cli/test_cli.py::test_main_job_builds_...
# (its totals on the frozen cohort, then as the quick start runs it)
COMMANDS = [
    line
    for line in re.findall(r"^\$ (.*uv run kg .*)$", README, flags=re.MULTILINE)
    if not line.startswith("uv run kg build")
]


def test_readme_python_session(load_reads_the_frozen_cohort: None) -> None:
    # `kg.load()` in the session reads the frozen cohort (the fixture is in ../conftest.py)
    result = doctest.testfile(
        str(REPO / "README.md"), module_relative=False, optionflags=doctest.ELLIPSIS
    )
    assert result.attempted >= 8
    assert result.failed == 0


@pytest.mark.parametrize("line", COMMANDS)
def test_readme_command_line(line: str) -> None:
    exe = shutil.which("kg")
    assert exe is not None
    stdin = None
    if "|" in line:  # echo '...' | uv run kg sparql -
        head, _, line = line.partition("|")
        stdin = shlex.split(head)[1] + "\n"
    words = shlex.split(line.replace("uv run kg", "", 1).split("#", 1)[0])
    done = subprocess.run(
        [exe, *words], cwd=REPO, capture_output=True, text=True, input=stdin, timeout=600
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()


def test_readme_shows_both_quick_start_commands() -> None:
    assert "$ uv run kg build" in README and "$ uv run pytest" in README
