"""Reasoning; it may import :mod:`kg.model` and :mod:`kg.engine`, never :mod:`kg.validation`.

It holds HermiT on the ontology, the defined lesion classes compiled into expressions, lesion
classification, and the route-inference rules.
"""
