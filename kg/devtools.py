"""Maintenance helpers: regenerate the closed namespace class from the ontology."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from kg.ontology import TERM_NS
from kg.vocabulary import Vocabulary

__all__ = ["namespace_terms", "render_namespace_module"]

_HEADER = '''"""The closed namespace of the CMR ontology's terms.

Generated from ``ontology/cmr.ttl`` by ``kg dev namespace``; ``tests/test_namespace.py`` fails
when the two differ. A misspelt term is an error, not a new IRI:

>>> CMR.NerveRootS1
rdflib.term.URIRef('https://w3id.org/cmr/NerveRootS1')
>>> CMR.NerveRootS9
Traceback (most recent call last):
...
AttributeError: term 'NerveRootS9' not in namespace 'https://w3id.org/cmr/'
"""

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

__all__ = ["CMR"]


class CMR(DefinedNamespace):
    """Terms of the Cancer Metastasis Routes ontology (https://w3id.org/cmr/)."""

    _fail = True
    _NS = Namespace("https://w3id.org/cmr/")

'''


def namespace_terms(graph: Graph) -> list[str]:
    """Local names of every term the ontology declares in its own namespace, sorted."""
    names = {
        str(s)[len(TERM_NS) :]
        for s in graph.subjects(RDF.type, None)
        if isinstance(s, URIRef) and Vocabulary.is_term_iri(str(s))
    }
    return sorted(names)


def render_namespace_module(graph: Graph) -> str:
    """The source of ``kg/namespace.py`` for ``graph``."""
    return _HEADER + "".join(f"    {name}: URIRef\n" for name in namespace_terms(graph))
