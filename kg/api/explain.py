"""Explain a case's routes: for each lesion, facts, rule and candidate route, and the authors.

:func:`explain_case` gathers, for every lesion of a case, the candidate routes the graph's rules
infer (each with the facts it used and the rule's rationale) and the routes the authors assert,
each with its verdict from the catalogue query ``route_agreement``. ``kg explain`` renders it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.api.case import Case, Lesion
from kg.api.terms import Publication, Term
from kg.model.namespace import CMR
from kg.sparql.catalogue import run_named

if TYPE_CHECKING:
    from kg.api.graph import KnowledgeGraph

__all__ = [
    "AuthorsRoute",
    "CaseExplanation",
    "Inference",
    "LesionExplanation",
    "describe",
    "explain_case",
]

_UNCOMPARED = "not compared: rejected, and no rule infers it or a related route"

#: Verdict texts by (lesion, route, rule) for inferred routes, (lesion, route, stance) for others.
Verdicts = dict[tuple[str, str, str], list[str]]


@dataclass(frozen=True)
class Inference:
    """A candidate route a rule infers for a lesion, with the facts the rule used."""

    route: Term
    rule: Term
    rationale: str
    facts: tuple[str, ...]
    verdicts: tuple[str, ...]


@dataclass(frozen=True)
class AuthorsRoute:
    """A route (or mode of nerve involvement) the authors assert for a lesion."""

    route: Term
    stance: Term
    publications: tuple[str, ...]
    verdicts: tuple[str, ...]


@dataclass(frozen=True)
class LesionExplanation:
    """One lesion: its facts, what the rules infer and what the authors say."""

    lesion: Lesion
    facts: str
    inferences: tuple[Inference, ...]
    authors: tuple[AuthorsRoute, ...]


@dataclass(frozen=True)
class CaseExplanation:
    """Every lesion of a case, along the neuraxis, explained."""

    case: Case
    primary: str
    lesions: tuple[LesionExplanation, ...]


def describe(lesion: Lesion) -> str:
    """The lesion's recorded facts: sites, levels, side, compartment, multiplicity."""
    parts = [", ".join(s.label for s in lesion.sites) or "site not stated"]
    if lesion.levels:
        upper, lower = (lv.label.split()[0] for lv in lesion.levels)
        parts.append(f"level {upper}" if upper == lower else f"levels {upper}-{lower}")
    multiplicity = lesion.kg.graph.value(lesion.node, CMR.multiplicity)
    multiple = Term(lesion.kg, str(multiplicity)) if multiplicity is not None else None
    parts += [t.label for t in (lesion.laterality, lesion.compartment, multiple) if t is not None]
    return "; ".join(parts)


def _primary(case: Case) -> str:
    organ = case.organ
    return case.primary.label + (f" of the {organ.label}" if organ else "")


def _fact(case: Case, lesion: Lesion, node: str) -> str:
    if node == lesion.iri:
        return f"this lesion: {describe(lesion)}"
    if node == str(case.kg.graph.value(case.node, CMR.hasPrimary)):
        return f"primary: {_primary(case)}"
    return f"other lesion: {describe(Lesion(case.kg, node))}"


def _verdicts(case: Case) -> tuple[Verdicts, Verdicts]:
    """The route_agreement rows of the case, by inferred and by the authors' assertion."""
    rows = run_named(case.kg.graph, "route_agreement", {"case": case.node}).records()

    def label(iri: str) -> str:
        return Term(case.kg, iri).label

    inferred: Verdicts = defaultdict(list)
    authors: Verdicts = defaultdict(list)
    for r in rows:
        lesion, verdict = str(r["lesion"]), str(r["verdict"])
        mine, theirs = str(r["inferredRoute"] or ""), str(r["authorsRoute"] or "")
        stance = str(r["stance"] or "")
        if mine:
            other = f" with {label(theirs)} ({label(stance)} by the authors)" if theirs else ""
            inferred[(lesion, mine, str(r["rule"]))].append(verdict + other)
        if theirs:
            other = f" (the rules infer {label(mine)})" if mine else ""
            authors[(lesion, theirs, stance)].append(verdict + other)
    return inferred, authors


def _explain_lesion(
    case: Case,
    lesion: Lesion,
    inferred: Verdicts,
    compared: Verdicts,
) -> LesionExplanation:
    g = case.kg.graph
    inferences, authors = [], []
    for assertion in lesion.route_assertions:
        route, stance = assertion.route, assertion.stance
        if assertion.inferred and assertion.rule is not None:
            rule = assertion.rule
            facts = sorted(
                (_fact(case, lesion, f.iri) for f in assertion.used_facts),
                key=lambda text: (not text.startswith("this lesion"), text),
            )
            inferences.append(
                Inference(
                    route,
                    rule,
                    str(g.value(rule.node, CMR.rationale) or ""),
                    tuple(facts),
                    tuple(dict.fromkeys(inferred.get((lesion.iri, route.iri, rule.iri), []))),
                )
            )
        else:
            key = (lesion.iri, route.iri, stance.iri)
            if g.value(assertion.node, CMR.assertsRoute) is None:
                verdicts = ["not compared: a mode of nerve involvement, not a route"]
            else:
                verdicts = compared.get(key, [_UNCOMPARED])
            by = tuple(_publication(p) for p in assertion.by)
            authors.append(AuthorsRoute(route, stance, by, tuple(dict.fromkeys(verdicts))))
    unique = tuple({(a.route.iri, a.stance.iri, a.publications): a for a in authors}.values())
    return LesionExplanation(lesion, describe(lesion), tuple(inferences), unique)


def _publication(publication: Publication) -> str:
    """``seed report r001`` for a seed report, else the publication's label."""
    if (publication.node, CMR.seedDocument, None) in publication.kg.graph:
        return "seed report " + publication.iri.rsplit("/", 1)[-1]
    return publication.label


def explain_case(graph: KnowledgeGraph, case_id: str) -> CaseExplanation:
    """The explanation of every lesion of case ``case_id`` (``KeyError`` if there is none)."""
    case = graph.case(case_id)
    inferred, compared = _verdicts(case)
    lesions = tuple(_explain_lesion(case, les, inferred, compared) for les in case.lesions)
    return CaseExplanation(case, _primary(case), lesions)
