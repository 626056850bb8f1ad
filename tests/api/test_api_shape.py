"""One shape for the API: properties for stored facts, methods for lookups (issue 17).

``graph.cases()`` was a method while ``case.lesions`` was a property. Now a member that takes
no argument is a property, and a method takes at least one; the old calls still work for one
release, with a DeprecationWarning.
"""

from __future__ import annotations

import inspect
import warnings

import pytest

import kg
from kg.api import terms


@pytest.mark.parametrize(
    "cls",
    [
        kg.KnowledgeGraph,
        kg.Case,
        kg.Lesion,
        kg.Site,
        kg.Term,
        kg.RouteAssertion,
        kg.Publication,
        kg.Finding,
        kg.Treatment,
        kg.Patient,
    ],
)
def test_public_methods_take_arguments(cls: type) -> None:
    for name, member in inspect.getmembers(cls, inspect.isfunction):
        if name.startswith("_"):
            continue
        parameters = list(inspect.signature(member).parameters)[1:]  # without self
        assert parameters, f"{cls.__name__}.{name}() takes no argument: make it a property"


def _old_call(value: object) -> object:
    assert callable(value)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        called = value()
    assert [w.category for w in caught] == [DeprecationWarning]
    assert "is now a property" in str(caught[0].message)
    assert caught[0].filename == __file__  # the warning points at the caller
    return called


def test_old_spellings_still_work_with_a_warning(cohort_graph: kg.KnowledgeGraph) -> None:
    assert _old_call(cohort_graph.cases) == cohort_graph.cases
    site = cohort_graph.site("cmr:ConusMedullaris")
    assert [c.id for c in site.cases] == ["seed-001", "seed-003"]
    assert _old_call(site.cases) == site.cases
    assert _old_call(site.lesions) == site.lesions
    primary = cohort_graph.case("seed-001").primary
    assert _old_call(primary.types) == primary.types


def test_a_property_read_does_not_warn(cohort_graph: kg.KnowledgeGraph) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(cohort_graph.cases) == len(list(cohort_graph.cases))
        assert cohort_graph.site("cmr:SciaticNerve").lesions[0].case.id == "seed-004"


def test_kinds_are_plain_lists(cohort_graph: kg.KnowledgeGraph) -> None:
    finding = cohort_graph.case("seed-002").findings[0]
    assert type(finding.kinds) is list
    assert isinstance(cohort_graph.term("cmr:ConusMedullaris"), terms.Site)
