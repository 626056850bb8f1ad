"""The OBO Graphs release (``cmr.json``): the same classes and properties as ``cmr.obo``.

Built with the ``obographs`` models (pydantic) and written as their JSON. Node and property
identifiers are IRIs, cross-references CURIEs, as the OBO Graphs specification has them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import obographs as og
from rdflib import Literal as RDFLiteral
from rdflib.namespace import OWL, RDFS

from kg.model.files import write_atomically
from kg.model.ontology import ONTOLOGY_IRI
from kg.release.header import VIEW_NOTE, Header, ReleaseInfo
from kg.release.terms import ClassTerm, PropertyTerm, Term, Terms
from kg.release.vocab import DCTERMS, IAO, OIO, curie

__all__ = ["obo_graph", "write_obojson"]

SynonymPredicate = Literal[
    "hasExactSynonym", "hasNarrowSynonym", "hasBroadSynonym", "hasRelatedSynonym"
]

_SYNONYM_PREDICATES: dict[str, SynonymPredicate] = {
    "EXACT": "hasExactSynonym",
    "RELATED": "hasRelatedSynonym",
    "BROAD": "hasBroadSynonym",
    "NARROW": "hasNarrowSynonym",
}


def _meta(term: Term, subsets: list[str] | None = None) -> og.Meta:
    values = [
        og.Property(pred=str(p), val=str(v) if isinstance(v, RDFLiteral) else curie(v))
        for p, v in term.values
    ]
    values += [og.Property(pred=str(IAO["0100001"]), val=str(r)) for r in term.replaced_by]
    return og.Meta(
        definition=og.Definition(val=term.definition) if term.definition else None,
        synonyms=[
            og.Synonym(pred=_SYNONYM_PREDICATES[scope], val=text, synonymType=None)
            for scope, text in term.synonyms
        ]
        or None,
        xrefs=[og.Xref(val=x) for x in term.xrefs] or None,
        comments=term.comments or None,
        basicPropertyValues=values or None,
        subsets=subsets or None,
        deprecated=term.deprecated,
    )


def _class(term: ClassTerm, graph: og.Graph) -> None:
    graph.nodes.append(
        og.Node(
            id=str(term.iri),
            lbl=term.label,
            type="CLASS",
            propertyType=None,
            meta=_meta(term, [str(s) for s in term.subsets]),
        )
    )
    graph.edges += [og.Edge(sub=str(term.iri), pred="is_a", obj=str(p)) for p in term.parents]
    graph.edges += [og.Edge(sub=str(term.iri), pred=str(p), obj=str(f)) for p, f in term.relations]
    if term.genus:
        graph.logicalDefinitionAxioms.append(
            og.LogicalDefinition(
                definedClassId=str(term.iri),
                genusIds=[str(g) for g in term.genus],
                restrictions=[
                    og.ExistentialRestrictionExpression(propertyId=str(p), fillerId=str(f))
                    for p, f in term.differentia
                ],
            )
        )


def _property(term: PropertyTerm, graph: og.Graph) -> None:
    graph.nodes.append(
        og.Node(
            id=str(term.iri),
            lbl=term.label,
            type="PROPERTY",
            propertyType="OBJECT",
            meta=_meta(term),
        )
    )
    graph.edges += [
        og.Edge(sub=str(term.iri), pred="subPropertyOf", obj=str(p)) for p in term.parents
    ]
    if term.domain is not None or term.range is not None:
        graph.domainRangeAxioms.append(
            og.DomainRangeAxiom(
                predicateId=str(term.iri),
                domainClassIds=[str(term.domain)] if term.domain else None,
                rangeClassIds=[str(term.range)] if term.range else None,
            )
        )


def obo_graph(terms: Terms, header: Header, info: ReleaseInfo) -> og.GraphDocument:
    """The OBO Graphs document of the release's classes and object properties."""
    values = [
        (DCTERMS.title, header.title),
        (DCTERMS.description, header.description),
        (DCTERMS.license, header.license),
        *((DCTERMS.creator, c) for c in header.creators),
        *((DCTERMS.contributor, c) for c in header.contributors),
        (OWL.versionInfo, info.version),
        (RDFS.comment, VIEW_NOTE),
        (OIO.hasOBOFormatVersion, "1.4"),
    ]
    meta = og.Meta(
        version=str(info.version_iri("cmr.json")),
        basicPropertyValues=[og.Property(pred=str(p), val=v) for p, v in values],
        subsets=None,
        deprecated=False,
    )
    graph = og.Graph(id=str(ONTOLOGY_IRI), meta=meta, nodes=[], edges=[])
    for cls in terms.classes:
        _class(cls, graph)
    for prop in terms.properties:
        _property(prop, graph)
    return og.GraphDocument(graphs=[graph])


def write_obojson(terms: Terms, header: Header, info: ReleaseInfo, out: Path) -> Path:
    """Write ``cmr.json`` into ``out``."""
    path = out / "cmr.json"
    document = obo_graph(terms, header, info)
    write_atomically(path, document.model_dump_json(exclude_none=True, indent=1) + "\n")
    return path
