"""Releases: the ontology written for the OWL and OBO worlds, with its mappings as SSSOM.

``kg release -o DIR`` writes ``cmr.owl`` (RDF/XML), ``cmr.ofn`` (OWL functional syntax),
``cmr.obo``, ``cmr.json`` (OBO Graphs) and ``cmr.sssom.tsv``, each with a dated version. The
anatomy's named individuals are also given as classes of the same IRI (:mod:`kg.release.view`),
so that class-only tools see them. A top layer beside ``kg.api`` and ``kg.synth``: it may import
every layer below (it reads the ontology from ``kg.model`` and runs the obsoletion rule of
``kg.validation.quality``); only ``kg.cli`` imports it.
"""
