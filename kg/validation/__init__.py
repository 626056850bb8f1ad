"""Validation; it may import :mod:`kg.model` and :mod:`kg.engine`, never :mod:`kg.reasoning`.

It holds reading case files with their places, the loader's checks, the SHACL shapes and the
engine that runs them, validation issues and reports, and the ontology's quality report.
"""
