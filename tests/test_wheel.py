"""The built wheel carries the ontology, shapes, queries and cases, and works from anywhere."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from .conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    uv = shutil.which("uv")
    assert uv is not None
    subprocess.run(
        [uv, "build", "--wheel", "--out-dir", str(out), str(REPO)], check=True, capture_output=True
    )
    (whl,) = out.glob("*.whl")
    return whl


def test_wheel_contains_the_package_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "kg/_data/ontology/cmr.ttl",
        "kg/_data/shapes/cmr-shapes.ttl",
        "kg/_data/cases/seed-000.ttl",
        "kg/_data/cases/sources/r000.ttl",
        "kg/_data/ontology/quality/missing_label.rq",
        "kg/model/namespace.py",
        "kg/validation/JenaShacl.java",  # run by kg validate --engine jena
    ):
        assert required in names, required


def test_installed_wheel_runs_from_another_directory(wheel: Path, tmp_path: Path) -> None:
    uv = shutil.which("uv")
    assert uv is not None
    venv = tmp_path / "venv"
    subprocess.run([uv, "venv", "--quiet", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [uv, "pip", "install", "--quiet", "--python", str(python), str(wheel)], check=True
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = subprocess.run(
        [str(python), "-c", "from kg.model.resources import CASES_DIR; print(CASES_DIR)"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
    )
    cases = Path(where.stdout.strip())
    assert "site-packages" in cases.parts and "_data" in cases.parts
    assert len(list(cases.glob("*.ttl"))) == len(list((REPO / "cases").glob("*.ttl")))
    # one packaged case, checked with every packaged case and source as its context
    done = subprocess.run(
        [str(venv / "bin" / "kg"), "validate", "--level", "violation", str(cases / "seed-004.ttl")],
        cwd=elsewhere,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 files: 0 violations" in done.stdout
