"""The release's header: dated version IRIs and the facts every release file states.

>>> import datetime
>>> info = ReleaseInfo(datetime.date(2026, 12, 5))
>>> str(info.version_iri("cmr.owl"))
'https://w3id.org/cmr/releases/2026-12-05/cmr.owl'
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from kg.model.errors import OntologyError
from kg.model.ontology import ONTOLOGY_IRI, TERM_NS
from kg.release.vocab import DCTERMS

__all__ = ["VIEW_NOTE", "Header", "ReleaseInfo", "read_header"]

#: What every release file says about the anatomy individuals.
VIEW_NOTE = (
    "Anatomy is modelled as named individuals. For tools that read classes only, this release "
    "also gives each anatomy individual as a class of the same IRI (in the subset "
    "anatomy_view): a subclass of the individual's anatomical classes and of 'P some Y' for "
    "each assertion 'X P Y' between two anatomy individuals (part of, formed from, contained "
    "in, ...). The OBO and OBO Graphs files hold classes and object properties only; cmr.owl "
    "and cmr.ofn hold the whole ontology with these classes beside the individuals."
)


@dataclass(frozen=True)
class ReleaseInfo:
    """One release: its date names every version IRI."""

    date: datetime.date

    @property
    def version(self) -> str:
        """The version string, the release's ISO date."""
        return self.date.isoformat()

    def version_iri(self, filename: str) -> URIRef:
        """The dated IRI of one release file."""
        return URIRef(f"{TERM_NS}releases/{self.version}/{filename}")


@dataclass(frozen=True)
class Header:
    """What the source ontology's header says about itself."""

    title: str
    description: str
    license: str
    creators: tuple[str, ...]
    contributors: tuple[str, ...]

    def stamp(self, graph: Graph, info: ReleaseInfo, filename: str) -> None:
        """Set the dated version IRI and version of ``graph``'s ontology header."""
        graph.remove((ONTOLOGY_IRI, OWL.versionIRI, None))
        graph.remove((ONTOLOGY_IRI, OWL.versionInfo, None))
        graph.add((ONTOLOGY_IRI, OWL.versionIRI, info.version_iri(filename)))
        graph.add((ONTOLOGY_IRI, OWL.versionInfo, Literal(info.version)))
        graph.add((DCTERMS.date, RDF.type, OWL.AnnotationProperty))
        graph.add((ONTOLOGY_IRI, DCTERMS.date, Literal(info.version, datatype=XSD.date)))
        graph.add((ONTOLOGY_IRI, RDFS.comment, Literal(VIEW_NOTE, lang="en")))


def read_header(graph: Graph) -> Header:
    """The title, description, licence, creators and contributors of ``graph``'s ontology."""
    if (ONTOLOGY_IRI, RDF.type, OWL.Ontology) not in graph:
        raise OntologyError(f"the ontology has no header <{ONTOLOGY_IRI}> a owl:Ontology")

    def values(prop: URIRef) -> tuple[str, ...]:
        return tuple(sorted(str(v) for v in graph.objects(ONTOLOGY_IRI, prop)))

    fields = {
        "title": values(DCTERMS.title),
        "description": values(DCTERMS.description),
        "license": values(DCTERMS.license),
        "creators": values(DCTERMS.creator),
    }
    missing = [name for name, found in fields.items() if not found]
    if missing:
        raise OntologyError(
            f"the ontology header lacks {', '.join(missing)}: add dcterms:"
            f"{', dcterms:'.join(m.rstrip('s') for m in missing)} to <{ONTOLOGY_IRI}>"
        )
    return Header(
        title=fields["title"][0],
        description=fields["description"][0],
        license=fields["license"][0],
        creators=fields["creators"],
        contributors=values(DCTERMS.contributor),
    )
