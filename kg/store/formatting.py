"""Canonical form of Turtle files: check it and rewrite files into it (``kg fmt``)."""

from __future__ import annotations

import re
from pathlib import Path

from kg.model.canonical import to_canonical_turtle
from kg.model.files import write_atomically
from kg.validation.loader import parse_turtle

__all__ = ["canonical_text", "declared_prefixes", "is_canonical", "rewrite_canonical"]


def declared_prefixes(text: str) -> dict[str, str]:
    r"""The ``@prefix`` declarations of a Turtle text, including the empty prefix.

    >>> declared_prefixes("@prefix : <http://e/> .\n@prefix cmr: <https://w3id.org/cmr/> .")
    {'': 'http://e/', 'cmr': 'https://w3id.org/cmr/'}
    """
    pattern = r"^\s*@prefix\s+([\w\-]*):\s*<([^>]*)>\s*\."
    return dict(re.findall(pattern, text, flags=re.MULTILINE | re.IGNORECASE))


def canonical_text(path: Path) -> tuple[str, str]:
    """The file's current text and its canonical form (raises ``TurtleSyntaxError``)."""
    source = parse_turtle(path)
    return source.text, to_canonical_turtle(source.graph, declared_prefixes(source.text))


def is_canonical(path: Path) -> bool:
    """True when the file is already in canonical form."""
    current, canonical = canonical_text(path)
    return current == canonical


def rewrite_canonical(path: Path) -> bool:
    """Rewrite ``path`` in canonical form; return True if it changed."""
    current, canonical = canonical_text(path)
    if current == canonical:
        return False
    write_atomically(path, canonical)
    return True
