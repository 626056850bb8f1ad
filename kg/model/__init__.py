"""The ontology and its terms: the bottom layer, importing no other part of ``kg``.

It holds loading the ontology, the closed ``CMR`` namespace, the vocabulary, term conversion
between rdflib and Oxigraph, canonical Turtle, query files with headers, safe file writes, and
where the package's data and caches live.
"""
