"""Route inference: rules over anatomy and a case's lesions propose candidate routes.

Each rule is a SPARQL CONSTRUCT file in ``rules/`` whose header names the rule (a
``cmr:RouteInferenceRule`` individual of the ontology, with its rationale and source) and the
routes it proposes::

    # title: Drop metastasis from intracranial disease
    # description: A spinal intradural lesion of a case that also has an intracranial ...
    # rule: cmr:RuleIntracranialAndIntradural
    # route: cmr:DropMetastasisRoute

A rule builds ``cmr:RouteAssertion`` nodes with the stance ``cmr:Inferred``, the rule
(``cmr:inferredByRule``) and the case nodes it used (``cmr:usedFact``). Their IRIs are made
from the lesion's IRI, so every engine gives the same triples. :func:`infer_routes` runs every
rule through a CONSTRUCT runner: an rdflib graph or an Oxigraph store here, a SPARQL endpoint
with :func:`kg.sparql.remote.endpoint_runner`.

>>> sorted(rule_catalogue())[:2]
['intracranial_and_intradural', 'intramedullary_lesion']
>>> [str(r).rsplit("/", 1)[-1] for r in rule_catalogue()["mass_next_to_plexus"].routes]
['PerineuralSpread', 'DirectInvasion']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from kg.model.errors import KGError
from kg.model.ontology import PREFIXES
from kg.model.queryfile import FromQueryFile, QueryFile
from kg.model.resources import RULES_DIR
from kg.model.terms import parse_value, to_rdflib

__all__ = [
    "Construct",
    "RouteRule",
    "RuleError",
    "constructed_triples",
    "graph_runner",
    "infer_routes",
    "rule_catalogue",
    "store_runner",
]

#: A CONSTRUCT runner: the query text in, the constructed triples out.
Construct = Callable[[str], Graph]


class RuleError(KGError):
    """A rule file is malformed, or a rule cannot run."""


@dataclass(frozen=True)
class RouteRule(FromQueryFile):
    """A route inference rule: its SPARQL file, its ontology individual and its routes."""

    file: QueryFile
    rule: URIRef
    routes: tuple[URIRef, ...]


def _iri(rule: str, key: str, text: str) -> URIRef:
    value = parse_value(text)
    if not isinstance(value, URIRef):
        raise RuleError(f"rules/{rule}.rq: header {key}: {text!r} is not a CURIE or an <IRI>")
    return value


def _read(path: Path) -> RouteRule:
    file = QueryFile.from_path(path)
    for key in ("title", "description", "rule", "route"):
        if not file.header.get(key):
            raise RuleError(f"rules/{file.name}.rq: the header has no {key}")
    routes = tuple(_iri(file.name, "route", r) for r in file.header["route"].split())
    return RouteRule(file, _iri(file.name, "rule", file.header["rule"]), routes)


@lru_cache(maxsize=4)
def rule_catalogue(directory: Path = RULES_DIR) -> dict[str, RouteRule]:
    """Every rule by name (the file stem), sorted."""
    return {rule.name: rule for rule in map(_read, sorted(directory.glob("*.rq")))}


def infer_routes(construct: Construct, rules: Iterable[RouteRule] | None = None) -> Graph:
    """The union of what every rule (default: the catalogue) constructs through ``construct``."""
    out = Graph()
    for name, ns in PREFIXES.items():
        out.bind(name, ns, override=True)
    for rule in rules if rules is not None else rule_catalogue().values():
        out += construct(rule.file.text)
    return out


def constructed_triples(
    store: ox.Store, rules: Iterable[RouteRule] | None = None, *, workers: int = 2
) -> list[ox.Triple]:
    """What every rule constructs on an Oxigraph store, the rules run ``workers`` at a time.

    Oxigraph evaluates queries without holding Python's lock, so rules run side by side; all
    of them read the store as it was before any of their triples is added.
    """
    chosen = list(rules if rules is not None else rule_catalogue().values())

    def run(rule: RouteRule) -> list[ox.Triple]:
        answer = store.query(rule.file.text, prefixes=PREFIXES)
        if not isinstance(answer, ox.QueryTriples):
            raise RuleError(f"rules/{rule.name}.rq: the rule is not a CONSTRUCT query")
        return list(answer)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return [triple for triples in pool.map(run, chosen) for triple in triples]


def graph_runner(graph: Graph) -> Construct:
    """Run CONSTRUCT queries on an rdflib graph."""

    def construct(text: str) -> Graph:
        result = graph.query(text).graph
        if result is None:
            raise RuleError("the rule is not a CONSTRUCT query")
        return result

    return construct


def store_runner(store: ox.Store) -> Construct:
    """Run CONSTRUCT queries on a pyoxigraph store (its default graph)."""

    def construct(text: str) -> Graph:
        result = store.query(text)
        if not isinstance(result, ox.QueryTriples):
            raise RuleError("the rule is not a CONSTRUCT query")
        out = Graph()
        for t in result:
            out.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        return out

    return construct
