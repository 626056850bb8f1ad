"""Shell completion through click's protocol, as a shell asks ``kg`` for it (issue 17)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kg.sparql.catalogue import catalogue
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
SEEDS = {"seed-000", "seed-001", "seed-002", "seed-003", "seed-004"}


def complete(
    line: str, *, shell: str = "bash", cwd: Path = REPO, **env: str
) -> subprocess.CompletedProcess[str]:
    """What ``kg`` answers a shell completing the last word of ``line`` (may be empty).

    bash and zsh give the index of that word, fish the word itself (click's protocol).
    """
    exe = shutil.which("kg")
    assert exe is not None
    words = line.split(" ")
    current = words[-1] if shell == "fish" else str(len(words) - 1)
    variables = {"_KG_COMPLETE": f"{shell}_complete", "COMP_WORDS": line, "COMP_CWORD": current}
    environment = {k: v for k, v in os.environ.items() if k != "CMR_KG_WORKSPACE"}
    return subprocess.run(
        [exe],
        cwd=cwd,
        env=environment | variables | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def offered(line: str, **kwargs: str) -> set[str]:
    """The values offered for the last word of ``line`` by bash's protocol (``type,value``)."""
    done = complete(line, **kwargs)  # type: ignore[arg-type]
    assert done.returncode == 0 and done.stderr == "", done.stderr
    return {row.split(",", 1)[1] for row in done.stdout.splitlines() if row.startswith("plain,")}


@pytest.mark.parametrize(
    "line", ["kg case ", "kg explain ", "kg remove ", "kg routes --case ", "kg case -f json "]
)
def test_case_ids_of_the_workspace(line: str) -> None:
    # the repository is a workspace (kg-workspace.toml) whose cases/ holds the seed cases
    ids = offered(line)
    assert ids >= SEEDS
    assert all((REPO / "cases" / f"{i}.ttl").is_file() for i in ids)
    assert offered(line + "seed-001") == {"seed-001"}


def test_query_names_of_the_catalogue() -> None:
    names = set(catalogue())
    assert offered("kg query ") == names and "route_agreement" in names
    assert offered("kg query route_") == {n for n in names if n.startswith("route_")}
    fish = complete("kg query route_agr", shell="fish")  # fish and zsh show the title too
    assert fish.stdout.startswith("plain,route_agreement\t")
    zsh = complete("kg query route_agr", shell="zsh").stdout.splitlines()
    assert (
        zsh[:2] == ["plain", "route_agreement"] and zsh[2] == catalogue()["route_agreement"].title
    )


def test_cases_of_the_workspace_given(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    made = subprocess.run([shutil.which("kg") or "kg", "init", str(home)], capture_output=True)
    assert made.returncode == 0
    shutil.copy(REPO / "cases" / "seed-003.ttl", home / "cases")
    (home / "cases" / ".seed-003.ttl.tmp-1.x.ttl").write_text("", encoding="utf-8")
    assert offered(f"kg -w {home} case ") == {"seed-003"}
    assert offered("kg explain ", CMR_KG_WORKSPACE=str(home)) == {"seed-003"}
    assert offered("kg remove ", cwd=home / "cases" / "sources") == {"seed-003"}  # type: ignore[arg-type]


def test_no_workspace_offers_nothing_and_prints_nothing(tmp_path: Path) -> None:
    for line, env in (
        (f"kg -w {tmp_path / 'missing'} case ", {}),
        (f"kg --workspace {tmp_path} explain seed", {}),
        ("kg routes --case ", {"CMR_KG_WORKSPACE": str(tmp_path / "missing")}),
    ):
        done = complete(line, cwd=tmp_path, **env)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == "" and done.stderr == "", (line, done.stdout, done.stderr)
    # outside any workspace the commands read the shipped cohort, read-only: nothing to remove
    assert offered("kg case ", cwd=tmp_path) >= SEEDS  # type: ignore[arg-type]
    assert offered("kg remove ", cwd=tmp_path) == set()  # type: ignore[arg-type]


def test_the_readme_lines_load_completion() -> None:
    shells = re.findall(r"_KG_COMPLETE=(\w+)_source kg", README)
    assert sorted(shells) == ["bash", "fish", "zsh"]
    for shell in shells:
        script = complete("kg", shell=shell, _KG_COMPLETE=f"{shell}_source")
        assert script.returncode == 0 and "_KG_COMPLETE" in script.stdout
    # bash as a user has it: the README's line, then Tab calls the function it defines
    exe = shutil.which("kg")
    assert exe is not None
    tab = (
        'eval "$(_KG_COMPLETE=bash_source kg)"; COMP_WORDS=(kg explain seed-00); COMP_CWORD=2; '
        '_kg_completion kg; printf "%s\\n" "${COMPREPLY[@]}"'
    )
    path = f"{Path(exe).parent}{os.pathsep}{os.environ['PATH']}"
    done = subprocess.run(
        ["bash", "-c", tab],
        cwd=REPO,
        env=os.environ | {"PATH": path},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and done.stderr == ""
    assert set(done.stdout.split()) >= SEEDS
    assert all(word.startswith("seed-00") for word in done.stdout.split())
