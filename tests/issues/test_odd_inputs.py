"""Regression: odd inputs were taken, or crashed, or got a different verdict per command.

Seen before the fix (issue 13): an empty file, a whitespace-only file and an empty folder
"conformed"; a UTF-8 byte-order mark was reported as an invisible character; a non-UTF-8 file
got a byte offset and no line; a ``.txt`` file was stored by ``kg add``; 150 nested blank nodes
were "maximum recursion depth exceeded" with no line in ``kg validate`` while ``kg build``
accepted them; a crash exited 1, the code for "does not conform". Every command now reads files
through one function (``kg.validation.reading``) and gives the same verdict.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.model.resources import CASES_DIR

SEED = CASES_DIR / "seed-001.ttl"
DEEP = "@prefix e: <https://e/> .\ne:a e:p " + "[ e:q " * 150 + "1" + " ]" * 150 + " .\n"

ODD = {
    "empty.ttl": (b"", "holds no statements", None),
    "blank.ttl": (b"  \n\t\n# only a comment\n", "holds no statements", None),
    "bom-only.ttl": (b"\xef\xbb\xbf", "holds no statements", None),
    "latin1.ttl": (
        b'@prefix e: <https://e/> .\ne:a e:label "caf\xe9" .\n',
        "not UTF-8 text (byte 0xe9)",
        "2:17",
    ),
    "nested.ttl": (DEEP.encode(), "nest more than 64 levels", "2:393"),
    "note.txt": (b"<https://e/a> <https://e/b> 1 .\n", "only Turtle files (.ttl)", None),
}


def kg(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The installed ``kg`` command, as a user runs it."""
    exe = Path(sys.executable).parent / "kg"
    return subprocess.run(
        [str(exe), *args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("odd")
    shutil.copytree(CASES_DIR, root / "cases")
    for name, (data, _, _) in ODD.items():
        (root / name).write_bytes(data)
    (root / "empty-folder").mkdir()
    return root


@pytest.mark.parametrize("name", sorted(ODD))
@pytest.mark.parametrize("command", ["validate", "build", "add"])
def test_an_odd_file_gets_one_clear_verdict_from_every_command(
    workdir: Path, name: str, command: str
) -> None:
    _, message, place = ODD[name]
    args = {
        "validate": ["validate", name],
        "build": ["build", name, "-q"],
        "add": ["add", name, "--into", "cases"],
    }[command]
    before = sorted(p.name for p in (workdir / "cases").rglob("*"))
    result = kg(*args, cwd=workdir)
    said = result.stdout + result.stderr
    assert result.returncode == 2, said
    assert message in said, said
    assert name in said, said
    if place is not None:
        assert place in said, said
    assert "Traceback" not in said
    assert sorted(p.name for p in (workdir / "cases").rglob("*")) == before


@pytest.mark.parametrize("command", ["validate", "build"])
def test_an_empty_folder_is_an_error(workdir: Path, command: str) -> None:
    result = kg(command, "empty-folder", cwd=workdir)
    assert result.returncode == 2
    assert "no case files (.ttl) in empty-folder" in result.stderr


def test_a_byte_order_mark_before_a_correct_case_is_accepted(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    shutil.copytree(CASES_DIR, cases)
    (cases / "seed-001.ttl").write_bytes(b"\xef\xbb\xbf" + SEED.read_bytes())
    result = kg("validate", "--no-context", "cases", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "invisible" not in result.stdout


def test_a_crash_is_one_line_with_its_own_exit_code_and_a_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import kg.cli.crash
    import kg.cli.validate
    from kg.cli import main

    def broken(*_: object, **__: object) -> None:
        raise ZeroDivisionError("a bug")

    # Fault injection: a library function the command calls fails as a bug would.
    monkeypatch.setattr(kg.cli.validate, "check_files", broken)
    monkeypatch.setattr(kg.cli.crash.tempfile, "gettempdir", lambda: str(tmp_path))
    monkeypatch.setattr(sys, "argv", ["kg", "validate", str(SEED)])
    with pytest.raises(SystemExit) as stop:
        main()
    assert stop.value.code == 3
    err = capsys.readouterr().err
    assert err.startswith("kg: internal error (ZeroDivisionError: a bug). This is a bug in kg")
    assert "Traceback" not in err
    (report,) = tmp_path.glob("kg-crash-*.txt")
    text = report.read_text(encoding="utf-8")
    assert "command: kg validate" in text and "ZeroDivisionError: a bug" in text
