"""Defined lesion classes as a small expression tree, rendered as SPARQL or evaluated in Python.

:mod:`kg.reasoning.closure` compiles each ``owl:equivalentClass`` of a lesion class into one of
these trees, with HermiT's classification of the ontology folded in (a named class becomes the set
of its subclasses and of the ontology individuals in it; a property becomes a SPARQL property path).
The tree has two readings that must agree:

- :func:`sparql` writes it as a group graph pattern, for the SPARQL updates that classify
  lesions in any store or endpoint;
- :mod:`kg.reasoning.classify` evaluates it in Python over facts fetched from the store in a few
  queries, which is how a build classifies (one pass instead of one update per class).

>>> bone = Typed(frozenset({"https://e/Bone"}), frozenset())
>>> print(sparql(Some("<https://e/hasSite>", bone), "?x", iter(range(1, 9))))
?x <https://e/hasSite> ?v1 . { ?v1 a ?v2 . VALUES ?v2 { <https://e/Bone> } }
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["THING", "AllOf", "AnyOf", "Expr", "HasValue", "OneOf", "Some", "Typed", "sparql"]


@dataclass(frozen=True)
class Typed:
    """Typed with one of ``kinds`` (a class and its subclasses), or one of ``members``."""

    kinds: frozenset[str]
    members: frozenset[str]


@dataclass(frozen=True)
class AllOf:
    """Every part holds (``owl:intersectionOf``); no part at all is ``owl:Thing``."""

    parts: tuple[Expr, ...]


@dataclass(frozen=True)
class AnyOf:
    """At least one part holds (``owl:unionOf``)."""

    parts: tuple[Expr, ...]


@dataclass(frozen=True)
class Some:
    """Some value along ``path`` (a SPARQL property path) satisfies ``filler``."""

    path: str
    filler: Expr


@dataclass(frozen=True)
class HasValue:
    """``value`` (an IRI) is reached along ``path``."""

    path: str
    value: str


@dataclass(frozen=True)
class OneOf:
    """The node is one of ``values`` (IRIs): ``owl:oneOf``, or targets precomputed on anatomy."""

    values: frozenset[str]


Expr = Typed | AllOf | AnyOf | Some | HasValue | OneOf

#: ``owl:Thing``: the empty intersection, true of every node.
THING = AllOf(())


def _listed(iris: frozenset[str]) -> str:
    return " ".join(f"<{i}>" for i in sorted(iris))


def sparql(expr: Expr, var: str, numbers: Iterator[int]) -> str:
    """A group graph pattern true of ``var`` when it belongs to ``expr``.

    ``numbers`` names the fresh variables (``?v1``, ``?v2``...).
    """
    if isinstance(expr, Typed):
        kind = f"?v{next(numbers)}"
        typed = f"{{ {var} a {kind} . VALUES {kind} {{ {_listed(expr.kinds)} }} }}"
        if not expr.members:
            return typed
        return f"{{ {typed} UNION {{ VALUES {var} {{ {_listed(expr.members)} }} }} }}"
    if isinstance(expr, AllOf):
        return " ".join(sparql(p, var, numbers) for p in expr.parts)
    if isinstance(expr, AnyOf):
        return "{ " + " } UNION { ".join(sparql(p, var, numbers) for p in expr.parts) + " }"
    if isinstance(expr, Some):
        other = f"?v{next(numbers)}"
        return f"{var} {expr.path} {other} . {sparql(expr.filler, other, numbers)}".rstrip()
    if isinstance(expr, HasValue):
        return f"{var} {expr.path} <{expr.value}> ."
    return f"VALUES {var} {{ {_listed(expr.values)} }}"
