"""The shipped shapes are portable SHACL-SPARQL: every query declares the prefixes it uses.

Strict engines (Apache Jena SHACL) resolve a SPARQL constraint's prefixed names only through
its ``sh:prefixes``; pyshacl and the project's engine are lenient, so only this lint sees it.
"""

from __future__ import annotations

import re

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from kg.validation.shapes import load_shapes

#: The properties whose value is SPARQL text (constraints, targets, validators).
QUERY_PROPERTIES = (SH.select, SH.ask, SH.construct, SH.update)
_STRINGS = re.compile(
    r'"""(?:.|\n)*?"""|\'\'\'(?:.|\n)*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
)
_IRIS_AND_COMMENTS = re.compile(r"<[^<>\s]*>|#[^\n]*")
_PREFIXED = re.compile(r"(?<![\w?$:.\-])([A-Za-z][\w\-.]*)?:(?=[\w%\\])")


def used_prefixes(query: str) -> set[str]:
    """The prefixes of the prefixed names in a query (outside strings, IRIs and comments)."""
    text = _IRIS_AND_COMMENTS.sub(" ", _STRINGS.sub('""', query))
    inline = set(re.findall(r"\bPREFIX\s+([\w\-.]*):", text, re.I))
    return {m.group(1) or "" for m in _PREFIXED.finditer(text)} - inline


def declared(shapes: Graph, owner: Node) -> dict[str, str]:
    """The prefixes ``owner``'s ``sh:prefixes`` declare (prefix to namespace)."""
    found = {}
    for source in shapes.objects(owner, SH.prefixes):
        for declaration in shapes.objects(source, SH.declare):
            prefix, namespace = (
                shapes.value(declaration, SH.prefix),
                shapes.value(declaration, SH.namespace),
            )
            found[str(prefix)] = str(namespace)
    return found


def prefix_problems(shapes: Graph) -> list[str]:
    """What a strict engine would refuse: queries without ``sh:prefixes``, prefixes not declared,
    and declarations that disagree with the shapes file's own ``@prefix`` lines."""
    bound = {p: str(ns) for p, ns in shapes.namespaces()}
    problems = []
    for prop in QUERY_PROPERTIES:
        for owner, query in shapes.subject_objects(prop):
            name = shapes.value(owner, SH.name) or owner
            if (owner, SH.prefixes, None) not in shapes:
                problems.append(f"{name}: no sh:prefixes")
                continue
            known = declared(shapes, owner)
            for prefix in sorted(used_prefixes(str(query)) - set(known)):
                problems.append(f"{name}: prefix {prefix}: is not declared")
            for prefix, namespace in sorted(known.items()):
                if prefix in bound and bound[prefix] != namespace:
                    problems.append(
                        f"{name}: {prefix}: is {namespace}, the file says {bound[prefix]}"
                    )
    return problems


def test_every_sparql_query_of_the_shapes_declares_its_prefixes() -> None:
    shapes = load_shapes()
    queries = [q for p in QUERY_PROPERTIES for q in shapes.objects(None, p)]
    assert len(queries) >= 20
    assert prefix_problems(shapes) == []


def test_no_query_of_the_shapes_writes_a_prefix_line_of_its_own() -> None:
    # PREFIX inside the text is allowed by SHACL only where sh:prefixes does not already bind
    # it; keeping all of them in sh:declare keeps one list.
    shapes = load_shapes()
    for prop in QUERY_PROPERTIES:
        for query in shapes.objects(None, prop):
            assert isinstance(query, Literal)
            assert not re.search(r"^\s*PREFIX\b", str(query), re.I | re.M), query


HEAD = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex: sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/"^^xsd:anyURI ] .
"""


@pytest.mark.parametrize(
    ("shape", "problem"),
    [
        (
            'ex:S sh:sparql [ sh:name "n" ; sh:select "SELECT $this WHERE { $this ex:p 1 }" ] .',
            "n: no sh:prefixes",
        ),
        (
            'ex:S sh:sparql [ sh:name "n" ; sh:prefixes ex: ; '
            'sh:select "SELECT $this WHERE { $this ex:p ?v ; rdfs:label ?l }" ] .',
            "n: prefix rdfs: is not declared",
        ),
        (
            "ex:S sh:target [ a sh:SPARQLTarget ; sh:prefixes ex: ; "
            'sh:select "SELECT ?this WHERE { ?this :p [] }" ] .',
            "prefix : is not declared",  # the empty prefix, in a SPARQL target
        ),
    ],
    ids=["no-prefixes", "undeclared", "target-empty-prefix"],
)
def test_the_lint_finds_what_a_strict_engine_refuses(shape: str, problem: str) -> None:
    problems = prefix_problems(Graph().parse(data=HEAD + shape, format="turtle"))
    assert len(problems) == 1
    assert problem in problems[0]


def test_prefixed_names_are_told_from_strings_iris_and_variables() -> None:
    query = """SELECT $this ?x WHERE {  # cmt: not a prefix
        $this a owl:Class ; ex:p "a:b" , <http://x/y:z> . BIND (?x AS ?y) FILTER (?x != 1)
        ?x :q ?z }"""
    assert used_prefixes(query) == {"owl", "ex", ""}


def test_the_lint_passes_a_constraint_with_its_prefixes() -> None:
    shape = (
        'ex:S sh:sparql [ sh:name "n" ; sh:prefixes ex: ; '
        'sh:select "SELECT $this WHERE { $this ex:p 1 }" ] .'
    )
    assert prefix_problems(Graph().parse(data=HEAD + shape, format="turtle")) == []
    assert declared(Graph().parse(data=HEAD + shape, format="turtle"), URIRef("x")) == {}
