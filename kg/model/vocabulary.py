"""The ontology's terms by IRI, label and synonym: look-up and "did you mean".

>>> v = Vocabulary.shipped()
>>> [v.curie(iri) for iri in v.suggest("https://w3id.org/cmr/IntraduralExtramedulary")][:2]
['cmr:IntraduralExtramedullaryMetastasis', 'cmr:IntraduralExtramedullaryCompartment']
>>> [v.curie(iri) for iri in v.search("Batson")][:2]
['cmr:ExternalVertebralVenousPlexus', 'cmr:InternalVertebralVenousPlexus']
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kg.model.ontology import DATA_NS, PREFIXES, TERM_NS, ontology_graph

__all__ = ["Vocabulary"]

_OIO = "http://www.geneontology.org/formats/oboInOwl#"
_SYNONYMS = tuple(
    URIRef(_OIO + s)
    for s in ("hasExactSynonym", "hasRelatedSynonym", "hasNarrowSynonym", "hasBroadSynonym")
)
_CLOSED_EXTERNAL = ("http://qudt.org/vocab/unit/", "http://purl.obolibrary.org/obo/ECO_")
_DECLARATIONS = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
)


@dataclass
class Vocabulary:
    """The terms an ontology declares, with their labels and synonyms."""

    terms: frozenset[URIRef]
    labels: dict[URIRef, str] = field(default_factory=dict)
    synonyms: dict[URIRef, list[str]] = field(default_factory=dict)

    @classmethod
    def from_graph(cls, graph: Graph) -> Vocabulary:
        """Collect every declared class, property and named individual of ``graph``."""
        terms = {
            s
            for kind in _DECLARATIONS
            for s in graph.subjects(RDF.type, kind)
            if isinstance(s, URIRef)
        }
        labels = {
            s: str(o)
            for s, o in graph.subject_objects(RDFS.label)
            if isinstance(s, URIRef) and isinstance(o, Literal)
        }
        synonyms: dict[URIRef, list[str]] = {}
        for pred in _SYNONYMS:
            for s, o in graph.subject_objects(pred):
                if isinstance(s, URIRef):
                    synonyms.setdefault(s, []).append(str(o))
        return cls(frozenset(terms), labels, synonyms)

    @classmethod
    @lru_cache(maxsize=1)
    def shipped(cls) -> Vocabulary:
        """The vocabulary of the shipped ontology."""
        return cls.from_graph(ontology_graph())

    @staticmethod
    def is_term_iri(iri: str) -> bool:
        """True for IRIs in the ontology's namespace (not case data, not the ontology IRI)."""
        return (
            iri.startswith(TERM_NS)
            and not iri.startswith(DATA_NS)
            and "/" not in iri[len(TERM_NS) :]
            and not iri.endswith(".owl")
        )

    @staticmethod
    def is_closed_iri(iri: str) -> bool:
        """True for IRIs of a closed namespace: the ontology declares every usable term.

        Those are its own terms, the QUDT units and the ECO evidence codes it lists.
        """
        return Vocabulary.is_term_iri(iri) or iri.startswith(_CLOSED_EXTERNAL)

    def __contains__(self, iri: object) -> bool:
        return iri in self.terms

    def curie(self, iri: str) -> str:
        """Shorten ``iri`` with the package prefixes (``cmr:NerveRootS1``)."""
        for name, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
            if iri.startswith(ns):
                return f"{name}:{iri[len(ns) :]}"
        return f"<{iri}>"

    def suggest(self, iri: str, limit: int = 3) -> list[URIRef]:
        """The existing terms closest to an unknown ``iri``, closest first."""
        local = iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        space = iri[: len(iri) - len(local)]
        by_local: dict[str, URIRef] = {}
        for term in self.terms:
            if str(term).startswith(space):
                by_local.setdefault(str(term).rsplit("/", 1)[-1].rsplit("#", 1)[-1], term)
        close = difflib.get_close_matches(local, list(by_local), n=limit, cutoff=0.6)
        if len(close) < limit:
            lowered = {k.lower(): k for k in by_local}
            extra = difflib.get_close_matches(local.lower(), list(lowered), n=limit, cutoff=0.6)
            close += [lowered[e] for e in extra if lowered[e] not in close]
        return [by_local[c] for c in close[:limit]]

    def unknown(self, iri: str) -> bool:
        """True for an IRI of a closed namespace that the ontology does not declare."""
        return self.is_closed_iri(iri) and URIRef(iri) not in self.terms

    def did_you_mean(self, iri: str) -> str:
        """``"; did you mean cmr:A or cmr:B?"`` for the terms closest to ``iri``, or ''."""
        hints = " or ".join(self.curie(str(s)) for s in self.suggest(iri))
        return f"; did you mean {hints}?" if hints else ""

    def search(self, word: str) -> list[URIRef]:
        """Terms whose local name, label or a synonym contains ``word`` (case-insensitive)."""
        needle = word.casefold()
        hits = []
        for term in self.terms:
            texts = [str(term).rsplit("/", 1)[-1], self.labels.get(term, "")]
            texts += self.synonyms.get(term, [])
            if any(needle in t.casefold() for t in texts):
                hits.append(term)
        return sorted(hits, key=str)
