"""Three SHACL engines, one verdict: the project's, pyshacl and Apache Jena SHACL (Debian).

Each engine runs the shipped shapes on exactly the data the project's engine checked: the built
cohort, and for every bad input the graph ``kg validate FILE`` assembles (ontology, the stored
nodes it refers to, the file, what reasoning infers). The verdict is "no result of severity
Violation". Jena runs once for all the graphs (one JVM), beside pyshacl.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import RDF, SH

from kg.cli import cli
from kg.model.errors import EngineUnavailableError, ShapesError
from kg.model.resources import CASES_DIR, SHAPES_DIR
from kg.store.cache import CaseFiles, open_store
from kg.store.intake import check_files
from kg.store.pipeline import build_store
from kg.validation.engines import batch_reports, oxigraph_engine, shapes_engine, store_ntriples
from kg.validation.jena import jena_classpath
from kg.validation.loader import case_files
from kg.validation.shapes import shipped_shapes
from kg.validation.shapetests import CompiledShapes

BAD = Path(__file__).resolve().parents[1] / "bad_inputs"
FILES = sorted(BAD.glob("*.ttl"))

pytestmark = pytest.mark.usefixtures("in_project_root")


@pytest.fixture(scope="module")
def jena() -> str:
    try:
        return jena_classpath()
    except EngineUnavailableError as exc:
        pytest.skip(f"Jena SHACL cross-check: {exc} (.ci/run installs it)")


def _conforms(report: Graph) -> bool:
    """No result of severity Violation, at any depth (an engine's own sh:conforms aside)."""
    results = report.subjects(RDF.type, SH.ValidationResult)
    return all(report.value(r, SH.resultSeverity) != SH.Violation for r in results)


class _Recorder:
    """The project's engine, keeping each graph it validated (as N-Triples) and its report."""

    def __init__(self) -> None:
        self.data: list[bytes] = []
        self.reports: list[Graph] = []

    def __call__(
        self, store: ox.Store, shapes: CompiledShapes, focus: Collection[str] | None
    ) -> Graph:
        self.data.append(store_ntriples(store))
        self.reports.append(oxigraph_engine(store, shapes, focus))
        return self.reports[-1]


def test_the_cohort_and_every_bad_input_get_one_verdict_from_three_engines(jena: str) -> None:
    del jena
    recorder = _Recorder()
    build_store(case_files(CASES_DIR), progress=False, engine=recorder)
    names = ["cases/"]
    shipped = CaseFiles.discover(CASES_DIR)
    store = open_store(shipped, progress=False)
    for path in FILES:
        before = len(recorder.data)
        check_files(store, [path], stored_files=shipped.files, engine=recorder)
        names += [path.name] * (len(recorder.data) - before)  # refused files never reach SHACL
    assert len(names) > len(FILES) // 2  # most bad inputs reach the shapes
    shapes = shipped_shapes().graph

    with ThreadPoolExecutor(max_workers=1) as pool:
        jena_run = pool.submit(batch_reports, "jena", recorder.data, shapes)
        pyshacl = batch_reports("pyshacl", recorder.data, shapes)
        jena_reports = jena_run.result()

    verdicts = {
        name: (_conforms(ours), _conforms(theirs), _conforms(jenas))
        for name, ours, theirs, jenas in zip(
            names, recorder.reports, pyshacl, jena_reports, strict=True
        )
    }
    disagree = {name: v for name, v in verdicts.items() if len(set(v)) > 1}
    assert not disagree, "(ours, pyshacl, jena) verdicts differ"
    assert verdicts["cases/"] == (True, True, True)
    assert sum(not v[0] for v in verdicts.values()) >= 20  # the shapes' own bad inputs fail


def test_kg_validate_with_jena_says_what_the_project_says(jena: str) -> None:
    del jena
    runner = CliRunner()
    bad = str(BAD / "30-age-without-quantity.ttl")
    ours = runner.invoke(cli, ["validate", bad])
    theirs = runner.invoke(cli, ["validate", "--engine", "jena", bad])
    assert (ours.exit_code, theirs.exit_code) == (1, 1), theirs.output
    assert "cmr:age is a quantity node" in theirs.output
    good = str(CASES_DIR / "seed-000-t07.ttl")
    assert runner.invoke(cli, ["validate", "--engine", "jena", good]).exit_code == 0


def test_jena_missing_is_a_clear_load_error() -> None:
    kg_command = Path(sys.executable).with_name("kg")
    env = {**os.environ, "CMR_KG_JAVA_LIBS": "/nonexistent"}
    bad = str(BAD / "30-age-without-quantity.ttl")
    done = subprocess.run(
        [str(kg_command), "validate", "--engine", "jena", bad],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2, done.stderr
    assert "libapache-jena-java" in done.stderr
    assert "Traceback" not in done.stderr
    if shutil.which("java") is not None:
        assert "Jena SHACL is not in /nonexistent" in done.stderr


def test_jena_refuses_a_sparql_constraint_without_its_prefixes(jena: str) -> None:
    del jena
    text = (SHAPES_DIR / "cmr-shapes.ttl").read_text(encoding="utf-8")
    shapes = Graph().parse(data=text.replace("sh:prefixes cmrsh: ;", ""), format="turtle")
    with pytest.raises(ShapesError, match="Unresolved prefixed name"):
        batch_reports("jena", [b""], shapes)


def test_an_unknown_engine_is_a_shapes_error() -> None:
    with pytest.raises(ShapesError, match="unknown SHACL engine 'shacl-js'"):
        shapes_engine("shacl-js")
