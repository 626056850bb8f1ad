"""``-q/--quiet`` on every command, and the progress bar of ``kg validate`` (issue 17)."""

from __future__ import annotations

from collections.abc import Iterator

import click
import pytest
from click.testing import CliRunner

from kg.cli import cli
from tests.cli.test_cli import kg, on_terminal


def every_command(group: click.Group = cli, path: tuple[str, ...] = ()) -> Iterator[list[str]]:
    """The path of every registered command and sub-command (``["dev", "namespace"]``)."""
    for name, command in group.commands.items():
        yield [*path, name]
        if isinstance(command, click.Group):
            yield from every_command(command, (*path, name))


COMMANDS = list(every_command())


def test_the_registry_is_walked() -> None:
    assert ["validate"] in COMMANDS and ["dev", "namespace"] in COMMANDS and len(COMMANDS) > 15


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_command_takes_quiet(path: list[str]) -> None:
    # an unknown option is a usage error (exit 2) before --help is looked at
    for args in ([*path, "-q", "--help"], ["-q", *path, "--help"], [*path, "--quiet", "-h"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, (args, result.output)
    assert "-q, --quiet" in CliRunner().invoke(cli, [*path, "--help"]).output


def test_validate_shows_a_labelled_progress_bar_on_a_terminal_only() -> None:
    files = ("cases/seed-001.ttl", "cases/seed-002.ttl")
    seen = on_terminal("validate", *files)
    for step in ("read", "context", "reason", "checks", "shapes"):
        assert f"validate: {step}".encode() in seen
    assert b"6/6" in seen  # counted over the 2 files, then the 4 steps
    assert b"validate:" not in on_terminal("validate", "-q", *files)
    assert b"validate:" not in on_terminal("-q", "validate", *files)
    assert b"validate:" not in on_terminal("validate", *files, TQDM_DISABLE="1")
    piped = kg("validate", *files)  # not a terminal: no bar in a log or a pipe
    assert piped.returncode == 0 and "validate:" not in piped.stderr and "\x1b" not in piped.stderr
    # the whole workspace: the build's bar
    assert b"build: validate" in on_terminal("validate")
    assert b"build:" not in on_terminal("validate", "--quiet")


def test_quiet_build_to_stdout_keeps_stderr_for_errors() -> None:
    # with -o -, the summary goes to standard error; -q leaves only errors there
    loud = kg("build", "--no-reason", "-o", "-", "-f", "nt")
    assert loud.returncode == 0 and "The data conforms." in loud.stderr
    quiet = kg("-q", "build", "--no-reason", "-o", "-", "-f", "nt")
    assert quiet.returncode == 0 and quiet.stderr == ""
    assert quiet.stdout.count("\n") == loud.stdout.count("\n") > 1000
