"""The IRIs a release reads and writes beyond the ``cmr:`` terms."""

from __future__ import annotations

from rdflib import Namespace, URIRef

from kg.model.ontology import TERM_NS

__all__ = [
    "CURIE_PREFIXES",
    "DCTERMS",
    "IAO",
    "OIO",
    "SKOS",
    "SYNONYM_SCOPES",
    "VIEW_SUBSET",
    "curie",
]

OIO = Namespace("http://www.geneontology.org/formats/oboInOwl#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
IAO = Namespace("http://purl.obolibrary.org/obo/IAO_")

#: oboInOwl's synonym properties and the OBO scope each stands for.
SYNONYM_SCOPES: dict[URIRef, str] = {
    OIO.hasExactSynonym: "EXACT",
    OIO.hasRelatedSynonym: "RELATED",
    OIO.hasBroadSynonym: "BROAD",
    OIO.hasNarrowSynonym: "NARROW",
}

#: The subset that marks the classes standing for anatomy individuals.
VIEW_SUBSET = URIRef(TERM_NS + "anatomy_view")

#: The prefixes of the CURIEs a release writes, beside the OBO ones (``IAO:0000115``).
CURIE_PREFIXES: dict[str, str] = {
    "cmr": TERM_NS,
    "dcterms": str(DCTERMS),
    "skos": str(SKOS),
    "oboInOwl": str(OIO),
    "owl": "http://www.w3.org/2002/07/owl#",
}
_OBO = "http://purl.obolibrary.org/obo/"


def curie(iri: str) -> str:
    """The CURIE of ``iri``: ``cmr:NerveRootS1``, ``IAO:0100001``, else the IRI itself.

    >>> curie("https://w3id.org/cmr/NerveRootS1"), curie("http://purl.obolibrary.org/obo/IAO_0100001")
    ('cmr:NerveRootS1', 'IAO:0100001')
    """
    for prefix, namespace in CURIE_PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    local = iri.removeprefix(_OBO)
    if local != iri and "_" in local:
        idspace, _, number = local.partition("_")
        return f"{idspace}:{number}"
    return iri
