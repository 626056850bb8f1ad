"""The functional-syntax release keeps its version IRI in the ontology's ID, whatever the order.

horned-owl took ``owl:versionIRI`` for a plain annotation when the RDF/XML stated it before the
subject's ``rdf:type owl:Ontology``. rdflib's order changes with the hash seed, so ``cmr.ofn``
sometimes had no version IRI and the OWL API reported reserved vocabulary used as an annotation.
"""

from __future__ import annotations

from kg.release.owl import read_rdfxml

VERSION_FIRST = """<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    xmlns:owl="http://www.w3.org/2002/07/owl#">
  <rdf:Description rdf:about="https://w3id.org/cmr/cmr.owl">
    <owl:versionIRI rdf:resource="https://w3id.org/cmr/releases/2026-12-05/cmr.ofn"/>
    <rdf:type rdf:resource="http://www.w3.org/2002/07/owl#Ontology"/>
  </rdf:Description>
</rdf:RDF>
"""


def test_version_iri_stated_first_lands_in_the_ontology_id() -> None:
    text = read_rdfxml(VERSION_FIRST).save_to_string("ofn")
    assert (
        "Ontology(<https://w3id.org/cmr/cmr.owl> "
        "<https://w3id.org/cmr/releases/2026-12-05/cmr.ofn>" in text
    )
    assert "versionIRI" not in text
