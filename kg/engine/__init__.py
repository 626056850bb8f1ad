"""The embedded SPARQL engine; it may import :mod:`kg.model` only.

It holds the Oxigraph store that speaks the package's terms, and the table of RDF terms every
SELECT answers with, whatever engine ran it.
"""
