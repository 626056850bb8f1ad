"""Curated files are in canonical form, and the canonical writer is stable."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.model.canonical import CanonicalFormError, to_canonical_turtle
from kg.model.resources import CASES_DIR, ONTOLOGY_FILE
from kg.store.formatting import canonical_text, rewrite_canonical
from kg.validation.loader import case_files

CURATED = [ONTOLOGY_FILE, *case_files(CASES_DIR)]


@pytest.mark.parametrize("path", CURATED, ids=lambda p: p.name)
def test_curated_file_is_canonical(path: Path) -> None:
    current, canonical = canonical_text(path)
    assert current == canonical, f"run `uv run kg fmt {path}`"


def test_canonical_form_preserves_the_graph_and_is_idempotent(ontology: Graph) -> None:
    text = to_canonical_turtle(ontology, {"cmr": "https://w3id.org/cmr/"})
    again = Graph().parse(data=text, format="turtle")
    assert isomorphic(again, ontology)
    assert to_canonical_turtle(again, {"cmr": "https://w3id.org/cmr/"}) == text


def test_rewrite_fixes_a_reordered_file(tmp_path: Path) -> None:
    path = tmp_path / "x.ttl"
    path.write_text("@prefix e: <http://e/> .\ne:b e:p 2 . e:a e:p 1 .\n", encoding="utf-8")
    assert rewrite_canonical(path) is True
    assert (
        path.read_text(encoding="utf-8")
        == "@prefix e: <http://e/> .\n\ne:a e:p 1 .\n\ne:b e:p 2 .\n"
    )
    assert rewrite_canonical(path) is False


def test_shared_blank_node_is_refused() -> None:
    g = Graph().parse(
        data="@prefix e: <http://e/> . e:a e:p _:x . e:b e:p _:x . _:x e:q 1 .", format="turtle"
    )
    with pytest.raises(CanonicalFormError, match="more than one triple"):
        to_canonical_turtle(g)
