"""The API refuses terms the ontology lacks, with the closest ones (issue 17).

``graph.site("cmr:ConusMedulari")`` used to give a site with no label, no cases and no parts;
``graph.query(..., region="ConusMedullaris")`` answered no rows.
"""

from __future__ import annotations

import pytest

import kg
from kg.sparql.catalogue import QueryError


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("cmr:ConusMedulari", "cmr:ConusMedulari is not a term of the ontology"),
        ("https://w3id.org/cmr/ConusMedulari", "cmr:ConusMedulari is not a term of the ontology"),
        ("ConusMedullaris", "'ConusMedullaris' is not a CURIE"),
    ],
)
def test_site_of_an_unknown_term_is_an_error(
    cohort_graph: kg.KnowledgeGraph, name: str, message: str
) -> None:
    with pytest.raises(KeyError) as error:
        cohort_graph.site(name)
    assert message in str(error.value)
    assert "did you mean cmr:ConusMedullaris?" in str(error.value)


def test_route_and_primary_of_an_unknown_term_are_errors(cohort_graph: kg.KnowledgeGraph) -> None:
    with pytest.raises(KeyError, match="did you mean cmr:CSFDissemination"):
        cohort_graph.assertions_for("cmr:CSFDisemination")
    with pytest.raises(KeyError, match="did you mean cmr:LungNeoplasm"):
        cohort_graph.cases_with_primary("cmr:LungNeoplasma")


def test_known_terms_by_curie_and_iri(cohort_graph: kg.KnowledgeGraph) -> None:
    by_curie = cohort_graph.site("cmr:ConusMedullaris")
    by_iri = cohort_graph.site("https://w3id.org/cmr/ConusMedullaris")
    assert by_curie.iri == by_iri.iri and by_curie.label == "conus medullaris"


def test_query_parameter_that_is_not_a_term(cohort_graph: kg.KnowledgeGraph) -> None:
    with pytest.raises(QueryError, match="did you mean cmr:ConusMedullaris"):
        cohort_graph.query("lesions_in_structure", region="ConusMedullaris")
