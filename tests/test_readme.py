"""The README's examples run as written: the Python session and every `kg` command line."""

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
COMMANDS = [
    line
    for line in re.findall(r"^\$ (.*uv run kg .*)$", README, flags=re.MULTILINE)
    if not line.startswith("uv run kg build")
]


def test_readme_python_session() -> None:
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
