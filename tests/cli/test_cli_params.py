"""``kg query`` refuses parameters that are not terms; ``kg sparql`` warns about unknown terms.

Both used to answer "(0 rows)" with exit 0 (issue 17): ``-p region=ConusMedullaris`` (the
prefix left out) was taken as a string, and ``cmr:hasSit`` in an ad-hoc query matched nothing.
"""

from __future__ import annotations

import pytest

from tests.cli.test_cli_query import kg


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "ConusMedullaris",
            "'ConusMedullaris' is not a CURIE (such as cmr:CaudaEquina) or an <IRI>",
        ),
        ("cmr:ConusMedulari", "cmr:ConusMedulari is not a term of the ontology"),
    ],
)
def test_query_refuses_a_parameter_that_is_not_a_term(value: str, message: str) -> None:
    done = kg("query", "lesions_in_structure", "-p", f"region={value}")
    assert done.returncode == 2
    assert done.stdout == ""
    assert f"kg: parameter region: {message}; did you mean cmr:ConusMedullaris?" in done.stderr


def test_query_refuses_none_as_a_value() -> None:
    done = kg("query", "lesions_in_structure", "-p", "region=none")
    assert done.returncode == 2
    assert "'none' is not a term and does not unbind a parameter" in done.stderr
    assert "leave --param region out for its default (cmr:CaudaEquina)" in done.stderr


def test_sparql_warns_about_a_misspelt_term_and_still_answers() -> None:
    query = "SELECT ?lesion WHERE { ?lesion cmr:hasSit cmr:ConusMedullaris }  # cmr:NotChecked\n"
    done = kg("sparql", "-", stdin=query)
    assert done.returncode == 0, done.stderr
    assert "(0 rows)" in done.stdout
    warnings = [line for line in done.stderr.splitlines() if "warning" in line]
    assert warnings == [
        "kg: warning: <stdin>: cmr:hasSit is not a term of the ontology; "
        "did you mean cmr:hasSite or cmr:hasPart or cmr:hasLesion?"
    ]


def test_sparql_is_silent_when_every_term_is_known() -> None:
    query = "SELECT ?lesion WHERE { ?lesion cmr:hasSite cmr:ConusMedullaris }\n"
    done = kg("sparql", "-", stdin=query)
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stderr
    assert "(0 rows)" not in done.stdout
