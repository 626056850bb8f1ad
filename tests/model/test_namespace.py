"""The closed namespace class matches the ontology, and a misspelt term is an error."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

import kg.model.namespace
from kg.model.codegen import render_namespace_module
from kg.model.namespace import CMR


def test_namespace_module_is_generated_from_the_ontology(ontology: Graph) -> None:
    module = Path(kg.model.namespace.__file__)
    assert module.read_text(encoding="utf-8") == render_namespace_module(ontology), (
        "run `uv run kg dev namespace`"
    )


def test_misspelt_term_is_an_error() -> None:
    assert str(CMR.CaudaEquina) == "https://w3id.org/cmr/CaudaEquina"
    with pytest.raises(AttributeError, match="not in namespace"):
        CMR.CaudaEquine  # noqa: B018
