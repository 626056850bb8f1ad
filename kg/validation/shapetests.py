"""The compiled form of SHACL shapes: each constraint as a SPARQL expression or pattern.

:mod:`kg.validation.shapes` reads a shapes graph into these dataclasses once;
:mod:`kg.validation.shacl` evaluates them on a store.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from kg.model.errors import ShapesError
from kg.model.terms import from_rdflib

__all__ = [
    "KNOWN",
    "LOGIC",
    "NODE_KINDS",
    "NUMERIC",
    "RANGES",
    "SUBCLASS",
    "TARGETS",
    "TYPE",
    "AtMost",
    "ClassTest",
    "CompiledShapes",
    "DatatypeTest",
    "FreshNames",
    "InTest",
    "LengthTest",
    "LogicTest",
    "NodeKindTest",
    "PatternTest",
    "RangeTest",
    "Shape",
    "SparqlConstraint",
    "Term",
    "ValueTest",
    "conforms",
    "distinct_values",
    "safe",
    "sparql_term",
]

Term = URIRef | BNode | Literal
Names = Iterator[str]

TYPE = f"<{RDF.type}>"
SUBCLASS = f"<{RDFS.subClassOf}>"
NUMERIC = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.long, XSD.int, XSD.short}
NUMERIC |= {XSD.byte, XSD.nonNegativeInteger, XSD.positiveInteger, XSD.nonPositiveInteger}
NUMERIC |= {XSD.negativeInteger, XSD.unsignedLong, XSD.unsignedInt, XSD.unsignedShort}
NUMERIC |= {XSD.unsignedByte}
NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.BlankNode: "isBlank({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "!isLiteral({v})",
    SH.BlankNodeOrLiteral: "!isIRI({v})",
    SH.IRIOrLiteral: "!isBlank({v})",
}
RANGES = {
    SH.minInclusive: (">=", SH.MinInclusiveConstraintComponent),
    SH.maxInclusive: ("<=", SH.MaxInclusiveConstraintComponent),
    SH.minExclusive: (">", SH.MinExclusiveConstraintComponent),
    SH.maxExclusive: ("<", SH.MaxExclusiveConstraintComponent),
}
LOGIC = {
    SH["or"]: SH.OrConstraintComponent,
    SH["and"]: SH.AndConstraintComponent,
    SH.xone: SH.XoneConstraintComponent,
    SH["not"]: SH.NotConstraintComponent,
}
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
KNOWN = {SH.name, SH.description, SH.message, SH.severity, SH.deactivated, SH.order, SH.group}
KNOWN |= {SH.defaultValue, SH.path, SH.flags, SH.declare, SH.minCount, SH.maxCount, SH.node}
KNOWN |= {SH.property, SH["class"], SH.datatype, SH.nodeKind, SH["in"], SH.pattern, SH.sparql}
KNOWN |= {SH.minLength, SH.maxLength, *RANGES, *LOGIC, *TARGETS}


def sparql_term(term: Node) -> str:
    """An rdflib term written as SPARQL."""
    if isinstance(term, URIRef | Literal):
        return str(from_rdflib(term))
    raise ShapesError(f"{term!r} cannot be written into a SPARQL query")


def safe(expression: str) -> str:
    """An expression that is false where ``expression`` raises an error."""
    return f"COALESCE({expression}, false)"


# ------------------------------------------------------------------ compiled shapes


class ValueTest(Protocol):
    """A constraint that each value node passes or fails on its own."""

    @property
    def component(self) -> URIRef:
        """The SHACL constraint component reported when a value fails."""
        ...

    def ok(self, var: str, names: Names) -> str:
        """A SPARQL expression, never an error, that is true when ``var`` passes."""
        ...


@dataclass(frozen=True)
class ClassTest:
    """``sh:class``: the value is an instance of the class or of a subclass."""

    cls: URIRef
    component: URIRef = SH.ClassConstraintComponent

    def ok(self, var: str, names: Names) -> str:
        """True when ``var`` passes (see :meth:`ValueTest.ok`)."""
        # The nested EXISTS keeps Oxigraph from evaluating the whole path for every value.
        kind = next(names)
        subclass = f"{kind} {SUBCLASS}* {sparql_term(self.cls)}"
        return f"EXISTS {{ {var} {TYPE} {kind} FILTER EXISTS {{ {subclass} }} }}"


@dataclass(frozen=True)
class DatatypeTest:
    """``sh:datatype``: a literal of that datatype, well formed if numeric."""

    datatype: URIRef
    component: URIRef = SH.DatatypeConstraintComponent

    def ok(self, var: str, names: Names) -> str:
        """True when ``var`` passes (see :meth:`ValueTest.ok`)."""
        test = f"isLiteral({var}) && DATATYPE({var}) = {sparql_term(self.datatype)}"
        if self.datatype in NUMERIC:
            test += f" && isNumeric({var})"
        return safe(test)


@dataclass(frozen=True)
class NodeKindTest:
    """``sh:nodeKind``."""

    kind: URIRef
    component: URIRef = SH.NodeKindConstraintComponent

    def ok(self, var: str, names: Names) -> str:
        """True when ``var`` passes (see :meth:`ValueTest.ok`)."""
        return NODE_KINDS[self.kind].format(v=var)


@dataclass(frozen=True)
class InTest:
    """``sh:in``: the value is one of the listed terms."""

    members: tuple[Node, ...]
    component: URIRef = SH.InConstraintComponent

    def ok(self, var: str, names: Names) -> str:
        """True when ``var`` passes (see :meth:`ValueTest.ok`)."""
        tests = [f"sameTerm({var}, {sparql_term(m)})" for m in self.members]
        return "(" + (" || ".join(tests) or "false") + ")"


@dataclass(frozen=True)
class PatternTest:
    """``sh:pattern`` with ``sh:flags``, on the string form of a non-blank value."""

    pattern: str
    flags: str = ""
    component: URIRef = SH.PatternConstraintComponent

    def ok(self, var: str, names: Names) -> str:
        """True when ``var`` passes (see :meth:`ValueTest.ok`)."""
        pattern, flags = sparql_term(Literal(self.pattern)), sparql_term(Literal(self.flags))
        regex = f"REGEX(STR({var}), {pattern}, {flags})"
        return safe(f"!isBlank({var}) && {regex}")


@dataclass(frozen=True)
class LengthTest:
    """``sh:minLength`` (``op`` ``>=``) or ``sh:maxLength`` (``<=``)."""

    op: str
    limit: int
    component: URIRef

    def ok(self, var: str, names: Names) -> str:
        """True when ``var`` passes (see :meth:`ValueTest.ok`)."""
        return safe(f"!isBlank({var}) && STRLEN(STR({var})) {self.op} {self.limit}")


@dataclass(frozen=True)
class RangeTest:
    """``sh:minInclusive`` and the other ranges, as SPARQL comparisons."""

    op: str
    limit: Literal
    component: URIRef

    def ok(self, var: str, names: Names) -> str:
        """True when ``var`` passes (see :meth:`ValueTest.ok`)."""
        return safe(f"{var} {self.op} {sparql_term(self.limit)}")


@dataclass(frozen=True)
class LogicTest:
    """``sh:or``, ``sh:and``, ``sh:xone`` or ``sh:not`` over member shapes."""

    component: URIRef
    members: tuple[Shape, ...]

    def ok(self, var: str, names: Names) -> str:
        """True when ``var`` passes (see :meth:`ValueTest.ok`)."""
        each = [conforms(m, var, names) for m in self.members]
        if self.component == SH.OrConstraintComponent:
            return "(" + (" || ".join(each) or "false") + ")"
        if self.component == SH.AndConstraintComponent:
            return "(" + (" && ".join(each) or "true") + ")"
        if self.component == SH.NotConstraintComponent:
            return "!(" + " && ".join(each) + ")"
        return "(" + " + ".join(f"IF({e}, 1, 0)" for e in each) + " = 1)"


@dataclass(frozen=True)
class AtMost:
    """``sh:maxCount`` as a test on each value of ``?this``: no more than ``limit`` values.

    Used only in the value pass, where the subject is ``?this``; a failure is reported once
    per focus node.
    """

    path: str
    limit: int
    component: URIRef = SH.MaxCountConstraintComponent

    def ok(self, var: str, names: Names) -> str:
        """True when ``var`` passes (see :meth:`ValueTest.ok`)."""
        if self.limit == 0:  # no value at all
            return "false"
        others = [next(names) for _ in range(self.limit)]
        text = " ".join(f"?this {self.path} {v} ." for v in others)
        apart = [f"!sameTerm({a}, {b})" for a, b in itertools.combinations([var, *others], 2)]
        return f"NOT EXISTS {{ {text} FILTER ({' && '.join(apart)}) }}"


@dataclass(frozen=True)
class SparqlConstraint:
    """A SPARQL-based constraint (``sh:sparql`` with ``sh:select``)."""

    node: Node
    select: str
    messages: tuple[Literal, ...]
    prefixes: tuple[tuple[str, str], ...]


@dataclass(eq=False)
class Shape:
    """A node shape (no path) or a property shape, with what it checks."""

    node: Node
    path: str | None = None
    path_node: Node | None = None
    severity: URIRef = SH.Violation
    messages: tuple[Literal, ...] = ()
    targets: tuple[tuple[URIRef, Node], ...] = ()
    tests: tuple[ValueTest, ...] = ()
    min_count: int | None = None
    max_count: int | None = None
    nodes: tuple[Shape, ...] = ()
    properties: tuple[Shape, ...] = ()
    sparql: tuple[SparqlConstraint, ...] = ()
    deactivated: bool = False


@dataclass
class CompiledShapes:
    """The shapes graph compiled for the engine; compile once, validate many times."""

    graph: Graph
    roots: list[Shape] = field(default_factory=list)


def conforms(shape: Shape, var: str, names: Names) -> str:
    """A SPARQL expression true when ``var`` conforms to ``shape`` (value and count checks)."""
    if shape.nodes or shape.sparql:
        raise ShapesError(
            f"{shape.node}: sh:node and sh:sparql cannot be used in sh:or, sh:and, sh:xone, sh:not"
        )
    parts = [conforms(s, var, names) for s in shape.properties]
    if shape.path is None:
        return "(" + " && ".join([t.ok(var, names) for t in shape.tests] + parts or ["true"]) + ")"
    if shape.tests:
        value = next(names)
        bad = " || ".join(f"!{t.ok(value, names)}" for t in shape.tests)
        parts.append(f"NOT EXISTS {{ {var} {shape.path} {value} FILTER ({bad}) }}")
    if shape.min_count:
        parts.append(f"EXISTS {{ {distinct_values(var, shape.path, shape.min_count, names)} }}")
    if shape.max_count is not None:
        many = distinct_values(var, shape.path, shape.max_count + 1, names)
        parts.append(f"NOT EXISTS {{ {many} }}")
    return "(" + (" && ".join(parts) or "true") + ")"


def distinct_values(var: str, path: str, count: int, names: Names) -> str:
    """A pattern that matches when ``var`` has at least ``count`` distinct values of ``path``."""
    values = [next(names) for _ in range(count)]
    text = " ".join(f"{var} {path} {v} ." for v in values)
    apart = [f"!sameTerm({a}, {b})" for a, b in itertools.combinations(values, 2)]
    return text + (f" FILTER ({' && '.join(apart)})" if apart else "")


class FreshNames:
    """Fresh SPARQL variable names; safe to share between threads."""

    def __init__(self) -> None:
        self._count = itertools.count()

    def __iter__(self) -> FreshNames:
        return self

    def __next__(self) -> str:
        return f"?kgsh_v{next(self._count)}"
