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


@pytest.mark.parametrize(
    ("lookup", "name", "hint"),
    [
        ("site", "cmr:CaudaEqina", "cmr:CaudaEquina"),
        ("route", "cmr:DropMetastasisRout", "cmr:DropMetastasisRoute"),
        ("term", "cmr:SpinalCordStructur", "cmr:SpinalCordStructure"),
        ("assertions_for", "cmr:ArterialSpred", "cmr:ArterialSpread"),
        ("cases_with_primary", "cmr:BreastNeoplasma", "cmr:BreastNeoplasm"),
        ("case", "seed-0001", "seed-001"),
        ("lesion", "https://w3id.org/cmr/data/case/seed-001/lesion-idem-conu", "lesion-idem-conus"),
    ],
)
def test_every_lookup_suggests_the_closest_name(
    cohort_graph: kg.KnowledgeGraph, lookup: str, name: str, hint: str
) -> None:
    with pytest.raises(KeyError, match="did you mean") as error:
        getattr(cohort_graph, lookup)(name)
    assert hint in str(error.value)


def test_a_lesion_of_a_case_by_a_misspelt_name(cohort_graph: kg.KnowledgeGraph) -> None:
    case = cohort_graph.case("seed-001")
    with pytest.raises(KeyError, match="did you mean lesion-idem-conus"):
        case.lesion("lesion-idem-conis")
    assert case.lesion("lesion-idem-conus").iri.endswith("/seed-001/lesion-idem-conus")


@pytest.mark.parametrize(
    ("lookup", "name", "message"),
    [
        ("site", "cmr:CSFDissemination", "cerebrospinal fluid dissemination) is not an anatomical"),
        ("route", "cmr:CaudaEquina", "(cauda equina) is not a route or mode of nerve involvement"),
        ("assertions_for", "cmr:LungNeoplasm", "is not a route"),
        ("cases_with_primary", "cmr:Lung", "cmr:Lung (lung) is not a neoplasm class"),
        ("site", "cmr:SpinalCordStructure", "is not an anatomical site"),  # the class, not a site
    ],
)
def test_a_known_term_of_the_wrong_kind_is_refused(
    cohort_graph: kg.KnowledgeGraph, lookup: str, name: str, message: str
) -> None:
    with pytest.raises(KeyError) as error:
        getattr(cohort_graph, lookup)(name)
    assert message in str(error.value)


def test_a_mode_of_nerve_involvement_is_a_route(cohort_graph: kg.KnowledgeGraph) -> None:
    modes = cohort_graph.term("cmr:NerveInvolvementMode").children()
    assert modes
    assert cohort_graph.route(modes[0].id).iri == modes[0].iri


@pytest.mark.parametrize(
    "name",
    ["UBERON:0005437", "obo:UBERON_0005437", "http://purl.obolibrary.org/obo/UBERON_0005437"],
)
def test_a_mapped_identifier_points_to_the_term(cohort_graph: kg.KnowledgeGraph, name: str) -> None:
    # the ontology cross-references the conus medullaris to UBERON:0005437
    with pytest.raises(KeyError) as error:
        cohort_graph.site(name)
    assert "did you mean cmr:ConusMedullaris (mapped to UBERON:0005437)?" in str(error.value)


def test_an_undeclared_iri_is_not_a_term(cohort_graph: kg.KnowledgeGraph) -> None:
    with pytest.raises(KeyError, match="rdfs:label is not a term of the ontology"):
        cohort_graph.term("rdfs:label")
    assert cohort_graph.term("unit:CentiM").label == "centimetre"  # declared by the ontology
