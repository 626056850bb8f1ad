"""Warnings about an ad-hoc query before it runs: terms of the ontology's namespace it lacks.

A misspelt term (``cmr:hasSit``) matches nothing, so the query answers no rows without any
error; :func:`unknown_terms` names such terms with the closest terms the ontology has. Strings,
comments and IRIs are read as tokens, so ``"cmr:x"`` or ``# cmr:x`` is not taken for a term,
and a query's own ``PREFIX`` declarations are followed.

>>> print(*unknown_terms("SELECT ?s WHERE { ?s cmr:hasSit ?o } # cmr:Nothing"))
cmr:hasSit is not a term of the ontology; did you mean cmr:hasSite or cmr:hasPart or cmr:hasLesion?
>>> unknown_terms('PREFIX c: <https://w3id.org/cmr/> SELECT * WHERE { ?s c:hasSite "cmr:x" }')
[]
"""

from __future__ import annotations

import re

from kg.model.ontology import PREFIXES
from kg.model.vocabulary import Vocabulary

__all__ = ["unknown_terms"]

_TOKEN = re.compile(
    r'(?P<string>"""(?:[^\\]|\\.)*?"""|\'\'\'(?:[^\\]|\\.)*?\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\')'
    r"|(?P<comment>#[^\n]*)"
    r"|(?P<prefix>\bPREFIX\s+(?P<name>[A-Za-z][\w\-.]*)?:\s*<(?P<ns>[^<>\s]*)>)"
    r"|<(?P<iri>[^<>\"{}|^`\\\x00-\x20]*)>"
    r"|(?<![\w?$])(?P<pname>[A-Za-z][\w\-.]*)?:(?P<local>[\w\-]+(?:\.[\w\-]+)*)",
    re.IGNORECASE,
)


def _iris(text: str) -> list[str]:
    """Every IRI the query names, in order, with its prefixes resolved."""
    prefixes = dict(PREFIXES)
    found: list[str] = []
    for match in _TOKEN.finditer(text):
        if match["prefix"]:
            prefixes[match["name"] or ""] = match["ns"]
        elif match["iri"] is not None:
            found.append(match["iri"])
        elif match["local"] is not None and (match["pname"] or "") in prefixes:
            found.append(prefixes[match["pname"] or ""] + match["local"])
    return found


def unknown_terms(text: str, vocabulary: Vocabulary | None = None) -> list[str]:
    """A warning for each term of a closed namespace that ``text`` names and the ontology lacks."""
    vocabulary = vocabulary or Vocabulary.shipped()
    warnings: list[str] = []
    for iri in dict.fromkeys(_iris(text)):
        if vocabulary.unknown(iri):
            warnings.append(
                f"{vocabulary.curie(iri)} is not a term of the ontology"
                + vocabulary.did_you_mean(iri)
            )
    return warnings
