"""The ``-f json`` documents of ``kg case``, ``kg explain`` and ``kg queries``.

Each holds what the text shows, from the same API objects: terms as ``{iri, curie, label}``
(full IRI, and the CURIE the text would show), keys in snake_case.
"""

from __future__ import annotations

import json
from typing import Any

from kg.api import Case, Lesion, Term
from kg.api.explain import CaseExplanation, LesionExplanation
from kg.model.vocabulary import Vocabulary
from kg.sparql.catalogue import CatalogueQuery

__all__ = ["case_record", "dump", "explanation_record", "queries_record", "term_record"]


def dump(document: object) -> str:
    """``document`` as indented JSON text."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def term_record(term: Term | None) -> dict[str, str] | None:
    """A term as ``{iri, curie, label}`` (``None`` stays ``None``)."""
    if term is None:
        return None
    return {"iri": term.iri, "curie": term.curie, "label": term.label}


def _terms(terms: list[Term]) -> list[dict[str, str] | None]:
    unique = {t.iri: t for t in terms}
    return [term_record(t) for t in sorted(unique.values(), key=lambda t: t.label)]


def _lesion_record(lesion: Lesion) -> dict[str, Any]:
    levels = lesion.levels
    return {
        "iri": lesion.iri,
        "sites": [term_record(s) for s in lesion.sites],
        "levels": (
            {"upper": term_record(levels[0]), "lower": term_record(levels[1])} if levels else None
        ),
        "laterality": term_record(lesion.laterality),
        "compartment": term_record(lesion.compartment),
        "size": lesion.size,
        "classes": _terms([k for k in lesion.classes if "nervous system" not in k.label]),
        "route_assertions": [
            {
                "iri": a.iri,
                "route": term_record(a.route),
                "stance": term_record(a.stance),
                "by": [term_record(p) for p in a.by],
            }
            for a in lesion.route_assertions
        ],
    }


def case_record(case: Case) -> dict[str, Any]:
    """What ``kg case`` prints: patient, primary, lesions along the neuraxis, routes."""
    patient = case.patient
    return {
        "id": case.id,
        "iri": case.iri,
        "source": term_record(case.source),
        "reported_via": term_record(case.reported_via),
        "patient": (
            {"iri": patient.iri, "age": patient.age, "sex": term_record(patient.sex)}
            if patient is not None
            else None
        ),
        "primary": term_record(case.primary),
        "organ": term_record(case.organ),
        "lesions": [_lesion_record(lesion) for lesion in case.lesions],
        "findings": _terms([k for f in case.findings for k in f.kinds]),
        "treatments": _terms([k for t in case.treatments for k in t.kinds]),
        "outcome": term_record(case.outcome),
    }


def _explained_lesion(item: LesionExplanation) -> dict[str, Any]:
    return {
        "iri": item.lesion.iri,
        "name": item.lesion.iri.rsplit("/", 1)[-1],
        "facts": item.facts,
        "inferences": [
            {
                "route": term_record(i.route),
                "rule": term_record(i.rule),
                "rationale": i.rationale,
                "facts": list(i.facts),
                "verdicts": list(i.verdicts),
            }
            for i in item.inferences
        ],
        "authors": [
            {
                "route": term_record(a.route),
                "stance": term_record(a.stance),
                "publications": list(a.publications),
                "verdicts": list(a.verdicts),
            }
            for a in item.authors
        ],
    }


def explanation_record(explanation: CaseExplanation) -> dict[str, Any]:
    """What ``kg explain`` prints: per lesion, the rules' candidate routes and the authors'."""
    return {
        "case": {"id": explanation.case.id, "iri": explanation.case.iri},
        "primary": explanation.primary,
        "lesions": [_explained_lesion(item) for item in explanation.lesions],
    }


def queries_record(queries: dict[str, CatalogueQuery]) -> list[dict[str, Any]]:
    """What ``kg queries`` prints: each named query, its title and parameters."""
    curie = Vocabulary.shipped().curie
    return [
        {
            "name": name,
            "title": query.title,
            "params": [
                {
                    "name": p.name,
                    "description": p.description,
                    "required": p.required,
                    "default": None if p.default is None else str(p.default),
                    "default_curie": None if p.default is None else curie(str(p.default)),
                }
                for p in query.params.values()
            ],
        }
        for name, query in queries.items()
    ]
