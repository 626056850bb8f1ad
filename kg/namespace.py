"""The closed namespace of the ontology's terms, ``CMR`` (public, stable import path).

>>> from kg.namespace import CMR
>>> CMR.NerveRootS1
rdflib.term.URIRef('https://w3id.org/cmr/NerveRootS1')

``CMR.NerveRootS9`` raises ``AttributeError`` instead of minting a new IRI. The class is
generated into :mod:`kg.model.namespace` (``kg dev namespace``).
"""

from kg.model.namespace import CMR

__all__ = ["CMR"]
