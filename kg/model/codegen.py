"""Code generated from the ontology: the closed namespace class (``kg dev namespace``)."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from kg.model.ontology import TERM_NS
from kg.model.vocabulary import Vocabulary

__all__ = ["NAMESPACE_MODULE", "namespace_terms", "render_namespace_module"]

#: The generated module.
NAMESPACE_MODULE = Path(__file__).with_name("namespace.py")

_HEADER = '''"""GENERATED FILE, do not edit: regenerate with ``uv run kg dev namespace``.

The closed namespace of the CMR ontology's terms, generated from ``ontology/cmr.ttl``;
``tests/model/test_namespace.py`` fails when the two differ. A misspelt term is an error, not a
new IRI:

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
    """The source of ``kg/model/namespace.py`` for ``graph``."""
    return _HEADER + "".join(f"    {name}: URIRef\n" for name in namespace_terms(graph))
