"""``kg release``: writes the files and lists them; refuses (exit 1) a badly obsoleted term."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from kg.cli import cli
from kg.model.resources import ONTOLOGY_FILE


def test_release_writes_every_file(tmp_path: Path) -> None:
    done = CliRunner().invoke(cli, ["release", "-o", str(tmp_path), "--date", "2026-12-05"])
    assert done.exit_code == 0, done.output
    assert "Release 2026-12-05 written to" in done.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "cmr.json",
        "cmr.obo",
        "cmr.ofn",
        "cmr.owl",
        "cmr.sssom.tsv",
    ]


def test_release_refuses_an_obsolete_term_without_replacement(tmp_path: Path) -> None:
    text = ONTOLOGY_FILE.read_text(encoding="utf-8").replace(
        'rdfs:label "asthma"@en ;',
        'rdfs:label "obsolete asthma"@en ;\n    owl:deprecated true ;',
        1,
    )
    ontology = tmp_path / "cmr.ttl"
    ontology.write_text(text, encoding="utf-8")
    done = CliRunner().invoke(
        cli, ["release", "-o", str(tmp_path / "out"), "--ontology", str(ontology)]
    )
    assert done.exit_code == 1
    assert (
        "https://w3id.org/cmr/Asthma: obsolete_term: http://purl.obolibrary.org/obo/IAO_0100001"
        in done.output
    )
    assert "nothing written" in done.output and not (tmp_path / "out").exists()


def test_release_reports_a_bad_date(tmp_path: Path) -> None:
    done = CliRunner().invoke(cli, ["release", "-o", str(tmp_path), "--date", "05/12/2026"])
    assert done.exit_code == 2 and "--date" in done.output
