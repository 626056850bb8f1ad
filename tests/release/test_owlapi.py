"""The OWL API (what Protégé and ROBOT use) reads every release file: nothing left unparsed."""

from __future__ import annotations

from pathlib import Path

import fastobo
import pytest

from tests.model.test_owlapi import checker, run

__all__ = ["checker"]

pytestmark = pytest.mark.java


def test_owl_and_functional_syntax_parse_whole_and_alike(checker: list[str], out: Path) -> None:
    owl, ofn = run(checker, out / "cmr.owl"), run(checker, out / "cmr.ofn")
    assert (owl["format"], ofn["format"]) == ("RDF/XML Syntax", "OWL Functional Syntax")
    for result in (owl, ofn):
        assert result["unparsed_triples"] == "0", result["_stdout"]
        assert result["dl_violations"] == "0", result["_stdout"]
    for count in ("axioms", "logical_axioms", "classes", "individuals"):
        assert owl[count] == ofn[count], count
    # the anatomy is there twice: as individuals and as the classes of the same IRIs
    assert int(owl["individuals"]) > 300 and int(owl["classes"]) > 390


def test_obo_release_parses_with_every_term(checker: list[str], out: Path) -> None:
    result = run(checker, out / "cmr.obo")
    assert result["format"] == "OBO Format"
    terms = [f for f in fastobo.load(str(out / "cmr.obo")) if isinstance(f, fastobo.term.TermFrame)]
    assert int(result["classes"]) == len(terms)
