"""The OBO release (``cmr.obo``): the release's classes and object properties, written by pronto.

pronto builds the document and writes it; fastobo (the OBO parser and writer pronto is built
on) puts each frame's clauses in a stable order.
"""

from __future__ import annotations

from pathlib import Path

import fastobo
from pronto.definition import Definition
from pronto.metadata import Subset
from pronto.ontology import Ontology
from pronto.pv import LiteralPropertyValue, PropertyValue, ResourcePropertyValue
from pronto.relationship import Relationship
from pronto.term import Term as OboTerm
from pronto.term import TermSet
from pronto.xref import Xref
from rdflib import Literal
from rdflib.namespace import OWL

from kg.model.files import write_atomically
from kg.release.header import VIEW_NOTE, Header, ReleaseInfo
from kg.release.terms import ClassTerm, PropertyTerm, Term, Terms
from kg.release.vocab import CURIE_PREFIXES, DCTERMS, VIEW_SUBSET, curie

__all__ = ["obo_document", "write_obo"]

_SUBSET = VIEW_SUBSET.rsplit("/", 1)[-1]


def _header(ontology: Ontology, header: Header, info: ReleaseInfo) -> None:
    meta = ontology.metadata
    meta.format_version = "1.4"
    meta.ontology = "cmr"
    meta.data_version = f"releases/{info.version}"
    for prefix, namespace in CURIE_PREFIXES.items():
        meta.idspaces[prefix] = (namespace, None)
    meta.subsetdefs.add(Subset(_SUBSET, "anatomy individuals as classes"))
    meta.remarks.add(VIEW_NOTE)
    meta.remarks.add(f"Version IRI: {info.version_iri('cmr.obo')}")
    # Full IRIs: the OWL API's OBO parser reads a prefixed name here as an OBO identifier.
    values: list[PropertyValue] = [
        LiteralPropertyValue(str(DCTERMS.title), header.title, "xsd:string"),
        LiteralPropertyValue(str(DCTERMS.description), header.description, "xsd:string"),
        ResourcePropertyValue(str(DCTERMS.license), header.license),
        LiteralPropertyValue(str(OWL.versionInfo), info.version, "xsd:string"),
    ]
    values += [
        LiteralPropertyValue(str(DCTERMS[role]), name, "xsd:string")
        for role, names in (("creator", header.creators), ("contributor", header.contributors))
        for name in names
    ]
    meta.annotations.update(values)


def _property_id(iri: str) -> str:
    """An OBO identifier (``IAO:0000119``) for an OBO property, else the full IRI."""
    found = curie(iri)
    return found if found.partition(":")[0].isupper() else iri


def _annotate(entity: OboTerm | Relationship, term: Term) -> None:
    entity.name = term.label
    if term.definition is not None:
        entity.definition = Definition(term.definition)
    for scope, text in term.synonyms:
        entity.add_synonym(text, scope=scope)
    entity.xrefs = frozenset(Xref(x) for x in term.xrefs)
    if term.comments:
        entity.comment = " ".join(term.comments)
    values: set[PropertyValue] = set()
    for prop, value in term.values:
        if isinstance(value, Literal):
            values.add(LiteralPropertyValue(_property_id(prop), str(value), "xsd:string"))
        else:
            values.add(ResourcePropertyValue(_property_id(prop), curie(value)))
    entity.annotations = values
    entity.obsolete = term.deprecated


def _add_class(ontology: Ontology, term: ClassTerm) -> None:
    def get(iri: str) -> OboTerm:
        return ontology.get_term(curie(iri))

    entity = get(term.iri)
    _annotate(entity, term)
    entity.replaced_by = TermSet(get(r) for r in term.replaced_by)
    for parent in term.parents:
        entity.superclasses(distance=1).add(get(parent))
    relationships: dict[Relationship, list[OboTerm]] = {}
    for prop, filler in term.relations:
        relationships.setdefault(ontology.get_relationship(curie(prop)), []).append(get(filler))
    entity.relationships = relationships
    if term.genus:
        parts: set[OboTerm | tuple[Relationship, OboTerm]] = {get(g) for g in term.genus}
        parts |= {(ontology.get_relationship(curie(p)), get(f)) for p, f in term.differentia}
        entity.intersection_of = parts
    if term.subsets:
        entity.subsets = frozenset({_SUBSET})


def _add_property(ontology: Ontology, term: PropertyTerm) -> None:
    relation = ontology.get_relationship(curie(term.iri))
    _annotate(relation, term)
    relation.transitive = term.transitive
    relation.symmetric = term.symmetric
    relation.functional = term.functional
    if term.domain is not None:
        relation.domain = ontology.get_term(curie(term.domain))
    if term.range is not None:
        relation.range = ontology.get_term(curie(term.range))
    if term.inverse is not None:
        relation.inverse_of = ontology.get_relationship(curie(term.inverse))
    for parent in term.parents:
        relation.superproperties(distance=1).add(ontology.get_relationship(curie(parent)))


def obo_document(terms: Terms, header: Header, info: ReleaseInfo) -> str:
    """The OBO document of the release's classes and object properties."""
    ontology = Ontology()
    _header(ontology, header, info)
    for cls in terms.classes:
        ontology.create_term(curie(cls.iri))
    for prop in terms.properties:
        ontology.create_relationship(curie(prop.iri))
    for cls in terms.classes:
        _add_class(ontology, cls)
    for prop in terms.properties:
        _add_property(ontology, prop)
    return _sorted_clauses(ontology.dumps("obo"))


def _sorted_clauses(text: str) -> str:
    """``text`` with the clauses of one tag in each frame sorted, as OBO 1.4 asks.

    pronto writes a tag's values (synonyms, relationships) in the order of a Python set, which
    changes from run to run; fastobo reads the document and writes it back sorted.
    """
    document = fastobo.loads(text)
    for frame in document:
        clauses = list(frame)
        first: dict[str, int] = {}
        for index, clause in enumerate(clauses):
            first.setdefault(clause.raw_tag(), index)
        clauses.sort(key=lambda c: (first[c.raw_tag()], c.raw_value()))
        frame.clear()
        for clause in clauses:
            frame.append(clause)
    return str(document)


def write_obo(terms: Terms, header: Header, info: ReleaseInfo, out: Path) -> Path:
    """Write ``cmr.obo`` into ``out``."""
    path = out / "cmr.obo"
    write_atomically(path, obo_document(terms, header, info))
    return path
