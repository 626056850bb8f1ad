"""A fast SHACL engine: the shapes run as set-based SPARQL queries on a pyoxigraph store.

The shapes are compiled once into small dataclasses. Each constraint is then checked for all its
focus nodes at once by one SPARQL query that returns only the violations; nested ``sh:node``
shapes are checked the same way on the set of value nodes that reach them, and their results are
hung under a wrapper result with ``sh:detail`` as pyshacl does. The report graph has pyshacl's
form, so :func:`kg.validate.validate_graph` turns it into the same issues.

Supported: the targets ``sh:targetClass`` (with subclasses), ``sh:targetNode``,
``sh:targetSubjectsOf`` and ``sh:targetObjectsOf``; property paths (IRIs, inverse, alternative,
sequence and the ``*``/``+``/``?`` paths); ``sh:minCount``, ``sh:maxCount``, ``sh:class``,
``sh:datatype``, ``sh:nodeKind``, ``sh:in``, ``sh:pattern`` (with ``sh:flags``),
``sh:minLength``, ``sh:maxLength``, the four value ranges, ``sh:node``, ``sh:property`` (on
node shapes), ``sh:or``, ``sh:and``, ``sh:xone``, ``sh:not`` (whose member shapes may use the
value and count constraints) and SPARQL-based constraints on node shapes (``sh:sparql`` with
``sh:select``, ``sh:prefixes``/``sh:declare``, ``{?var}`` in messages); ``sh:severity``,
``sh:message``, ``sh:deactivated``. Any other SHACL parameter raises :class:`ShapesError`.

A SPARQL constraint is run with the pattern of its focus nodes joined into its outermost
``WHERE`` group, which equals SHACL's pre-binding of ``$this`` unless ``$this`` is used inside a
subquery. Numbers come back in Oxigraph's canonical form (``2.0`` is shown as ``2``).

Oxigraph evaluates a ``*`` property path inside ``FILTER (NOT) EXISTS`` once per row and
without the row's bindings (``{ ?c :admits ?k . ?v rdf:type/rdfs:subClassOf* ?k }``) or from
its constant end (``{ $this rdf:type/rdfs:subClassOf* :C }``): such a query grows with the
square of the data. Step to the type first and nest the path in its own ``FILTER EXISTS``
(``{ $this rdf:type ?t FILTER EXISTS { ?t rdfs:subClassOf* :C } }``), as ``sh:class`` does here.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Protocol

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection as RDFList
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from kg.errors import ShapesError
from kg.terms import from_rdflib, subject_term, to_rdflib
from kg.validate import load_shapes

__all__ = [
    "CompiledShapes",
    "compile_shapes",
    "shipped_shapes",
    "store_from_graph",
    "validate_store",
]

Term = URIRef | BNode | Literal
Names = Iterator[str]

_TYPE = f"<{RDF.type}>"
_SUBCLASS = f"<{RDFS.subClassOf}>"
_NUMERIC = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.long, XSD.int, XSD.short}
_NUMERIC |= {XSD.byte, XSD.nonNegativeInteger, XSD.positiveInteger, XSD.nonPositiveInteger}
_NUMERIC |= {XSD.negativeInteger, XSD.unsignedLong, XSD.unsignedInt, XSD.unsignedShort}
_NUMERIC |= {XSD.unsignedByte}
_NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.BlankNode: "isBlank({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "!isLiteral({v})",
    SH.BlankNodeOrLiteral: "!isIRI({v})",
    SH.IRIOrLiteral: "!isBlank({v})",
}
_RANGES = {
    SH.minInclusive: (">=", SH.MinInclusiveConstraintComponent),
    SH.maxInclusive: ("<=", SH.MaxInclusiveConstraintComponent),
    SH.minExclusive: (">", SH.MinExclusiveConstraintComponent),
    SH.maxExclusive: ("<", SH.MaxExclusiveConstraintComponent),
}
_LOGIC = {
    SH["or"]: SH.OrConstraintComponent,
    SH["and"]: SH.AndConstraintComponent,
    SH.xone: SH.XoneConstraintComponent,
    SH["not"]: SH.NotConstraintComponent,
}
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
_KNOWN = {SH.name, SH.description, SH.message, SH.severity, SH.deactivated, SH.order, SH.group}
_KNOWN |= {SH.defaultValue, SH.path, SH.flags, SH.declare, SH.minCount, SH.maxCount, SH.node}
_KNOWN |= {SH.property, SH["class"], SH.datatype, SH.nodeKind, SH["in"], SH.pattern, SH.sparql}
_KNOWN |= {SH.minLength, SH.maxLength, *_RANGES, *_LOGIC, *_TARGETS}


def _sparql(term: Node) -> str:
    """An rdflib term written as SPARQL."""
    if isinstance(term, URIRef | Literal):
        return str(from_rdflib(term))
    raise ShapesError(f"{term!r} cannot be written into a SPARQL query")


def _safe(expression: str) -> str:
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
        # The nested EXISTS keeps Oxigraph from evaluating the whole path for every value.
        kind = next(names)
        subclass = f"{kind} {_SUBCLASS}* {_sparql(self.cls)}"
        return f"EXISTS {{ {var} {_TYPE} {kind} FILTER EXISTS {{ {subclass} }} }}"


@dataclass(frozen=True)
class DatatypeTest:
    """``sh:datatype``: a literal of that datatype, well formed if numeric."""

    datatype: URIRef
    component: URIRef = SH.DatatypeConstraintComponent

    def ok(self, var: str, names: Names) -> str:
        test = f"isLiteral({var}) && DATATYPE({var}) = {_sparql(self.datatype)}"
        if self.datatype in _NUMERIC:
            test += f" && isNumeric({var})"
        return _safe(test)


@dataclass(frozen=True)
class NodeKindTest:
    """``sh:nodeKind``."""

    kind: URIRef
    component: URIRef = SH.NodeKindConstraintComponent

    def ok(self, var: str, names: Names) -> str:
        return _NODE_KINDS[self.kind].format(v=var)


@dataclass(frozen=True)
class InTest:
    """``sh:in``: the value is one of the listed terms."""

    members: tuple[Node, ...]
    component: URIRef = SH.InConstraintComponent

    def ok(self, var: str, names: Names) -> str:
        tests = [f"sameTerm({var}, {_sparql(m)})" for m in self.members]
        return "(" + (" || ".join(tests) or "false") + ")"


@dataclass(frozen=True)
class PatternTest:
    """``sh:pattern`` with ``sh:flags``, on the string form of a non-blank value."""

    pattern: str
    flags: str = ""
    component: URIRef = SH.PatternConstraintComponent

    def ok(self, var: str, names: Names) -> str:
        regex = (
            f"REGEX(STR({var}), {_sparql(Literal(self.pattern))}, {_sparql(Literal(self.flags))})"
        )
        return _safe(f"!isBlank({var}) && {regex}")


@dataclass(frozen=True)
class LengthTest:
    """``sh:minLength`` (``op`` ``>=``) or ``sh:maxLength`` (``<=``)."""

    op: str
    limit: int
    component: URIRef

    def ok(self, var: str, names: Names) -> str:
        return _safe(f"!isBlank({var}) && STRLEN(STR({var})) {self.op} {self.limit}")


@dataclass(frozen=True)
class RangeTest:
    """``sh:minInclusive`` and the other ranges, as SPARQL comparisons."""

    op: str
    limit: Literal
    component: URIRef

    def ok(self, var: str, names: Names) -> str:
        return _safe(f"{var} {self.op} {_sparql(self.limit)}")


@dataclass(frozen=True)
class LogicTest:
    """``sh:or``, ``sh:and``, ``sh:xone`` or ``sh:not`` over member shapes."""

    component: URIRef
    members: tuple[Shape, ...]

    def ok(self, var: str, names: Names) -> str:
        each = [_conforms(m, var, names) for m in self.members]
        if self.component == SH.OrConstraintComponent:
            return "(" + (" || ".join(each) or "false") + ")"
        if self.component == SH.AndConstraintComponent:
            return "(" + (" && ".join(each) or "true") + ")"
        if self.component == SH.NotConstraintComponent:
            return "!(" + " && ".join(each) + ")"
        return "(" + " + ".join(f"IF({e}, 1, 0)" for e in each) + " = 1)"


@dataclass(frozen=True)
class _AtMost:
    """``sh:maxCount`` as a test on each value of ``?this``: no more than ``limit`` values.

    Used only in the value pass, where the subject is ``?this``; a failure is reported once
    per focus node.
    """

    path: str
    limit: int
    component: URIRef = SH.MaxCountConstraintComponent

    def ok(self, var: str, names: Names) -> str:
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


def _conforms(shape: Shape, var: str, names: Names) -> str:
    """A SPARQL expression true when ``var`` conforms to ``shape`` (value and count checks)."""
    if shape.nodes or shape.sparql:
        raise ShapesError(
            f"{shape.node}: sh:node and sh:sparql cannot be used in sh:or, sh:and, sh:xone, sh:not"
        )
    parts = [_conforms(s, var, names) for s in shape.properties]
    if shape.path is None:
        return "(" + " && ".join([t.ok(var, names) for t in shape.tests] + parts or ["true"]) + ")"
    if shape.tests:
        value = next(names)
        bad = " || ".join(f"!{t.ok(value, names)}" for t in shape.tests)
        parts.append(f"NOT EXISTS {{ {var} {shape.path} {value} FILTER ({bad}) }}")
    if shape.min_count:
        parts.append(f"EXISTS {{ {_distinct_values(var, shape.path, shape.min_count, names)} }}")
    if shape.max_count is not None:
        many = _distinct_values(var, shape.path, shape.max_count + 1, names)
        parts.append(f"NOT EXISTS {{ {many} }}")
    return "(" + (" && ".join(parts) or "true") + ")"


def _distinct_values(var: str, path: str, count: int, names: Names) -> str:
    """A pattern that matches when ``var`` has at least ``count`` distinct values of ``path``."""
    values = [next(names) for _ in range(count)]
    text = " ".join(f"{var} {path} {v} ." for v in values)
    apart = [f"!sameTerm({a}, {b})" for a, b in itertools.combinations(values, 2)]
    return text + (f" FILTER ({' && '.join(apart)})" if apart else "")


class _Compiler:
    """Reads the shapes graph into :class:`Shape` objects."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.shapes: dict[Node, Shape] = {}
        self.pending: set[Node] = set()
        self.prefixes = self._declared(graph.subjects(SH.declare, None), base=True)

    def compile(self) -> CompiledShapes:
        subjects = {s for t in _TARGETS for s in self.graph.subjects(t, None)}
        roots = [self.shape(s) for s in sorted(subjects, key=str)]
        return CompiledShapes(self.graph, [r for r in roots if not r.deactivated])

    def shape(self, node: Node) -> Shape:
        if node in self.shapes:
            return self.shapes[node]
        if node in self.pending:
            raise ShapesError(f"{node}: recursive shapes are not supported")
        self.pending.add(node)
        shape = self._read(node)
        self.pending.discard(node)
        self.shapes[node] = shape
        return shape

    def _read(self, node: Node) -> Shape:
        g = self.graph
        unknown = {p for p in g.predicates(node, None) if str(p).startswith(str(SH))}
        if unknown := unknown - _KNOWN:
            names = ", ".join(sorted(str(u) for u in unknown))
            raise ShapesError(f"{node}: the oxigraph engine does not support {names}")
        path_node = g.value(node, SH.path)
        shape = Shape(
            node,
            path=self._path(path_node) if path_node is not None else None,
            path_node=path_node,
            severity=_iri(g.value(node, SH.severity)) or SH.Violation,
            messages=tuple(m for m in g.objects(node, SH.message) if isinstance(m, Literal)),
            targets=tuple((t, o) for t in _TARGETS for o in g.objects(node, t)),
            tests=self._tests(node),
            min_count=_int(g.value(node, SH.minCount)),
            max_count=_int(g.value(node, SH.maxCount)),
            nodes=tuple(self.shape(n) for n in g.objects(node, SH.node)),
            properties=tuple(self.shape(p) for p in g.objects(node, SH.property)),
            sparql=tuple(self._sparql(c) for c in g.objects(node, SH.sparql) if not _off(g, c)),
            deactivated=_off(g, node),
        )
        if path_node is None and (shape.min_count is not None or shape.max_count is not None):
            raise ShapesError(f"{node}: sh:minCount and sh:maxCount need sh:path")
        if path_node is not None and (shape.properties or shape.sparql):
            raise ShapesError(f"{node}: sh:property and sh:sparql need a node shape here")
        return shape

    def _tests(self, node: Node) -> tuple[ValueTest, ...]:
        g = self.graph
        tests: list[ValueTest] = [ClassTest(_need_iri(c)) for c in g.objects(node, SH["class"])]
        tests += [DatatypeTest(_need_iri(d)) for d in g.objects(node, SH.datatype)]
        for kind in g.objects(node, SH.nodeKind):
            if kind not in _NODE_KINDS:
                raise ShapesError(f"{node}: unknown sh:nodeKind {kind}")
            tests.append(NodeKindTest(_need_iri(kind)))
        tests += [InTest(tuple(RDFList(g, lst))) for lst in g.objects(node, SH["in"])]
        flags = str(g.value(node, SH.flags) or "")
        tests += [PatternTest(str(p), flags) for p in g.objects(node, SH.pattern)]
        for n in g.objects(node, SH.minLength):
            tests.append(LengthTest(">=", _int(n) or 0, SH.MinLengthConstraintComponent))
        for n in g.objects(node, SH.maxLength):
            tests.append(LengthTest("<=", _int(n) or 0, SH.MaxLengthConstraintComponent))
        for parameter, (op, component) in _RANGES.items():
            for limit in g.objects(node, parameter):
                if not isinstance(limit, Literal):
                    raise ShapesError(f"{node}: {parameter} needs a literal")
                tests.append(RangeTest(op, limit, component))
        for parameter, component in _LOGIC.items():
            for value in g.objects(node, parameter):
                members = [value] if parameter == SH["not"] else list(RDFList(g, value))
                logic = LogicTest(component, tuple(self.shape(m) for m in members))
                logic.ok("?kgsh_check", _Names())  # raises now if a member cannot be evaluated
                tests.append(logic)
        return tuple(tests)

    def _path(self, node: Node) -> str:
        g = self.graph
        if isinstance(node, URIRef):
            return _sparql(node)
        for parameter, template in (
            (SH.inversePath, "^({})"),
            (SH.zeroOrMorePath, "({})*"),
            (SH.oneOrMorePath, "({})+"),
            (SH.zeroOrOnePath, "({})?"),
        ):
            inner = g.value(node, parameter)
            if inner is not None:
                return template.format(self._path(inner))
        alternatives = g.value(node, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(self._path(p) for p in RDFList(g, alternatives)) + ")"
        if (node, RDF.first, None) in g:
            return "(" + "/".join(self._path(p) for p in RDFList(g, node)) + ")"
        raise ShapesError(f"{node}: not a SHACL property path")

    def _sparql(self, node: Node) -> SparqlConstraint:
        g = self.graph
        select = g.value(node, SH.select)
        if select is None:
            raise ShapesError(f"{node}: only SPARQL constraints with sh:select are supported")
        prefixes = dict(self.prefixes)
        prefixes.update(self._declared(g.objects(node, SH.prefixes)))
        return SparqlConstraint(
            node,
            str(select),
            tuple(m for m in g.objects(node, SH.message) if isinstance(m, Literal)),
            tuple(sorted(prefixes.items())),
        )

    def _declared(self, owners: Iterator[Node], *, base: bool = False) -> dict[str, str]:
        """The prefixes that ``owners`` declare (with the graph's own bindings if ``base``)."""
        g = self.graph
        found = {p: str(ns) for p, ns in g.namespaces() if p} if base else {}
        for owner in owners:
            for declaration in g.objects(owner, SH.declare):
                prefix, namespace = (
                    g.value(declaration, SH.prefix),
                    g.value(declaration, SH.namespace),
                )
                if prefix is None or namespace is None:
                    raise ShapesError(f"{owner}: sh:declare needs sh:prefix and sh:namespace")
                found[str(prefix)] = str(namespace)
        return found


def _iri(node: Node | None) -> URIRef | None:
    return node if isinstance(node, URIRef) else None


def _need_iri(node: Node) -> URIRef:
    if not isinstance(node, URIRef):
        raise ShapesError(f"{node} must be an IRI")
    return node


def _int(node: Node | None) -> int | None:
    if node is None:
        return None
    if not isinstance(node, Literal) or not isinstance(node.value, int):
        raise ShapesError(f"{node} must be an integer")
    return node.value


def _off(graph: Graph, node: Node) -> bool:
    value = graph.value(node, SH.deactivated)
    return isinstance(value, Literal) and value.value is True


def compile_shapes(graph: Graph) -> CompiledShapes:
    """Compile a SHACL shapes graph for :func:`validate_store`; raise :class:`ShapesError`."""
    return _Compiler(graph).compile()


@lru_cache(maxsize=1)
def shipped_shapes() -> CompiledShapes:
    """The shipped shapes, compiled once per process."""
    return compile_shapes(load_shapes())


# ------------------------------------------------------------------ evaluation


@dataclass(frozen=True)
class _Focus:
    """The focus nodes of a shape as a SPARQL pattern binding ``?this`` and its ancestors.

    ``root`` binds ``?kgsh_root`` (a top-level focus node); each step is the property path
    from one level's focus node to the next, so nested results keep the chain of focus nodes
    that led to them.
    """

    root: str
    steps: tuple[str, ...] = ()

    @property
    def chain(self) -> tuple[str, ...]:
        return tuple(f"?kgsh_f{i}" for i in range(len(self.steps)))

    def step(self, path: str) -> _Focus:
        return _Focus(self.root, (*self.steps, path))

    def pattern(self) -> str:
        names = [*self.chain, "?this"]
        text = self.root.replace("?kgsh_root", names[0])
        for i, path in enumerate(self.steps):
            text += f" {names[i]} {path} {names[i + 1]} ."
        return f"{{ SELECT DISTINCT {' '.join(names)} WHERE {{ {text} }} }}"


@dataclass(frozen=True)
class _Result:
    """One validation result, with the chain of focus nodes above its own."""

    shape: Shape
    component: URIRef
    focus: Term
    chain: tuple[Term, ...]
    value: Term | None = None
    path: Node | None = None
    messages: tuple[Literal, ...] = ()
    constraint: Node | None = None
    details: tuple[_Result, ...] = ()

    @classmethod
    def of(
        cls,
        shape: Shape,
        component: URIRef,
        focus: Term,
        chain: tuple[Term, ...],
        value: Term | None = None,
        generic: Literal | None = None,
    ) -> _Result:
        """A result of a core constraint: the shape's path and messages."""
        name = component.rsplit("#", 1)[-1]
        default = generic or Literal(f"{name}: {focus} does not conform to {shape.node}.")
        messages = shape.messages or (default,)
        return cls(shape, component, focus, chain, value, shape.path_node, messages)


def store_from_graph(graph: Graph) -> ox.Store:
    """An in-memory store holding ``graph`` in its default graph, blank node labels kept."""
    store = ox.Store()
    store.extend(
        ox.Quad(subject_term(s), ox.NamedNode(str(p)), from_rdflib(o)) for s, p, o in graph
    )
    return store


class _Names:
    """Fresh SPARQL variable names; safe to share between threads."""

    def __init__(self) -> None:
        self._count = itertools.count()

    def __iter__(self) -> _Names:
        return self

    def __next__(self) -> str:
        return f"?kgsh_v{next(self._count)}"


class _Run:
    """One validation: the store and the focus restriction."""

    def __init__(self, store: ox.Store, focus: Collection[str] | None) -> None:
        self.store = store
        self.focus = focus
        self.names = _Names()
        self.facts = self._facts() if focus is not None else {}

    def select(self, query: str, prefixes: dict[str, str] | None = None) -> ox.QuerySolutions:
        try:
            solutions = self.store.query(query, prefixes=prefixes)
        except SyntaxError as exc:
            raise ShapesError(f"a shape's SPARQL query is invalid: {exc}\n{query}") from exc
        assert isinstance(solutions, ox.QuerySolutions)
        return solutions

    def roots(self, targets: frozenset[tuple[URIRef, Node]]) -> _Focus | None:
        """The focus pattern of some targets (``None`` if no focus node is a target)."""
        if self.focus is None:
            return _Focus(" UNION ".join(f"{{ {_target(t, o)} }}" for t, o in sorted(targets)))
        chosen = sorted(f for f in self.focus if self._is_target(URIRef(f), targets))
        if not chosen:
            return None
        return _Focus(f"VALUES ?kgsh_root {{ {' '.join(f'<{f}>' for f in chosen)} }}")

    def _is_target(self, node: URIRef, targets: frozenset[tuple[URIRef, Node]]) -> bool:
        facts = self.facts.get(node, set())
        return any(
            obj == node if kind == SH.targetNode else (str(kind), str(obj)) in facts
            for kind, obj in targets
        )

    def _facts(self) -> dict[URIRef, set[tuple[str, str]]]:
        """For each focus node: its classes, and the predicates it is subject and object of."""
        facts: dict[URIRef, set[tuple[str, str]]] = defaultdict(set)
        values = " ".join(f"<{f}>" for f in self.focus or ())
        query = f"""SELECT DISTINCT ?f ?kind ?x WHERE {{ VALUES ?f {{ {values} }}
            {{ ?f {_TYPE}/{_SUBCLASS}* ?x BIND ({_sparql(SH.targetClass)} AS ?kind) }}
            UNION {{ ?f ?x ?o BIND ({_sparql(SH.targetSubjectsOf)} AS ?kind) }}
            UNION {{ ?s ?x ?f BIND ({_sparql(SH.targetObjectsOf)} AS ?kind) }} }}"""
        for row in self.select(query):
            facts[URIRef(row["f"].value)].add((row["kind"].value, row["x"].value))
        return facts

    def check(self, shapes: Sequence[Shape], focus: _Focus) -> list[_Result]:
        """Every result of ``shapes``, which share their focus nodes, on ``focus``.

        The shapes' checks of one kind run as one query: the value tests and maximum counts of
        all their property shapes, then the node shapes' own value tests, then the minimum
        counts.
        """
        shapes = [s for s in shapes if not s.deactivated]
        nodes = [s for s in shapes if s.path is None]
        props = [s for s in shapes if s.path is not None]
        props += [p for s in nodes for p in s.properties if not p.deactivated]
        checked = [p for p in props if p.tests or p.max_count is not None]
        results = self._path_tests(checked, focus)
        results += self._node_tests([(s, t) for s in nodes for t in s.tests], focus)
        results += self._too_few([p for p in props if p.min_count], focus)
        for shape in nodes + props:
            for nested in shape.nodes:
                results += self._node(shape, nested, focus)
        for shape in nodes:
            for constraint in shape.sparql:
                results += self._sparql(shape, constraint, focus)
        return results

    def _flags(self, tests: Sequence[ValueTest], value: str) -> tuple[str, str]:
        """``BIND`` clauses flagging the failed tests, and the filter that keeps failures."""
        flags = [f"?kgsh_b{i}" for i in range(len(tests))]
        binds = " ".join(
            f"BIND (!{t.ok(value, self.names)} AS {f})" for t, f in zip(tests, flags, strict=True)
        )
        return binds, f"FILTER ({' || '.join(flags)})"

    def _path_tests(self, props: Sequence[Shape], focus: _Focus) -> list[_Result]:
        """The failing (focus, value) pairs of property shapes' value tests and maximum counts."""
        if not props:
            return []
        tests = [_value_tests(p) for p in props]
        branches = []
        for i, (prop, each) in enumerate(zip(props, tests, strict=True)):
            binds, keep = self._flags(each, "?value")
            branches.append(f"{{ ?this {prop.path} ?value BIND ({i} AS ?kgsh_i) {binds} {keep} }}")
        flags = " ".join(f"?kgsh_b{i}" for i in range(max(len(t) for t in tests)))
        query = f"""SELECT DISTINCT {" ".join(focus.chain)} ?this ?value ?kgsh_i {flags}
            WHERE {{ {focus.pattern()} {" UNION ".join(branches)} }}"""
        results: dict[_Result, None] = {}
        for row in self.select(query):
            i = int(row["kgsh_i"].value)
            results.update(
                dict.fromkeys(self._failed(row, focus, [(props[i], t) for t in tests[i]]))
            )
        return list(results)

    def _node_tests(self, tests: Sequence[tuple[Shape, ValueTest]], focus: _Focus) -> list[_Result]:
        """The focus nodes that fail the node shapes' own value tests (the value is the node)."""
        if not tests:
            return []
        binds, keep = self._flags([t for _, t in tests], "?this")
        query = f"""SELECT DISTINCT {" ".join(focus.chain)} ?this (?this AS ?value)
            {" ".join(f"?kgsh_b{i}" for i in range(len(tests)))}
            WHERE {{ {focus.pattern()} {binds} {keep} }}"""
        results = []
        for row in self.select(query):
            results += self._failed(row, focus, tests)
        return results

    @staticmethod
    def _failed(
        row: ox.QuerySolution, focus: _Focus, tests: Sequence[tuple[Shape, ValueTest]]
    ) -> list[_Result]:
        chain, this = _chain(row, focus)
        value = to_rdflib(row["value"])
        return [
            _Result.of(
                shape, test.component, this, chain, None if isinstance(test, _AtMost) else value
            )
            for i, (shape, test) in enumerate(tests)
            if row[f"kgsh_b{i}"] is not None and row[f"kgsh_b{i}"].value == "true"
        ]

    def _too_few(self, props: Sequence[Shape], focus: _Focus) -> list[_Result]:
        """The focus nodes with fewer values than a property shape's ``sh:minCount``."""
        if not props:
            return []
        simple = [p for p in props if p.min_count == 1 and isinstance(p.path_node, URIRef)]
        queries = []
        if simple:  # "at least one value" on plain properties: one query for them all
            pairs = " ".join(f"({props.index(p)} {p.path})" for p in simple)
            missing = "FILTER NOT EXISTS { ?this ?kgsh_p ?kgsh_x }"
            queries.append(f"VALUES (?kgsh_i ?kgsh_p) {{ {pairs} }} {missing}")
        for i, prop in enumerate(props):
            if prop not in simple:
                assert prop.path is not None and prop.min_count is not None
                enough = _distinct_values("?this", prop.path, prop.min_count, self.names)
                queries.append(f"BIND ({i} AS ?kgsh_i) FILTER NOT EXISTS {{ {enough} }}")
        results = []
        for query in queries:
            select = f"""SELECT DISTINCT {" ".join(focus.chain)} ?this ?kgsh_i
                WHERE {{ {focus.pattern()} {query} }}"""
            for row in self.select(select):
                chain, this = _chain(row, focus)
                prop = props[int(row["kgsh_i"].value)]
                results.append(_Result.of(prop, SH.MinCountConstraintComponent, this, chain))
        return results

    def _node(self, shape: Shape, nested: Shape, focus: _Focus) -> list[_Result]:
        """Wrapper results for the value nodes that do not conform to ``nested``."""
        inner = focus.step(shape.path) if shape.path else focus
        groups: dict[tuple[tuple[Term, ...], Term], list[_Result]] = defaultdict(list)
        for result in self.check([nested], inner):
            groups[result.chain, result.focus].append(result)
        generic = Literal(f"Value does not conform to Shape {nested.node}.")
        wrappers = []
        for (chain, value), details in groups.items():
            outer, above = (chain[-1], chain[:-1]) if shape.path else (value, chain)
            wrapper = _Result.of(shape, SH.NodeConstraintComponent, outer, above, value, generic)
            wrappers.append(replace(wrapper, details=tuple(details)))
        return wrappers

    def _sparql(self, shape: Shape, constraint: SparqlConstraint, focus: _Focus) -> list[_Result]:
        """The results of a SPARQL constraint, with its messages filled in."""
        solutions = self.select(_inject(constraint.select, focus), dict(constraint.prefixes))
        names = [v.value for v in solutions.variables if not v.value.startswith("kgsh_")]
        results = []
        for row in solutions:
            chain, this = _chain(row, focus)
            bound = {n: to_rdflib(row[n]) for n in names if row[n] is not None}
            bound["value"] = bound.get("value", this)
            messages = tuple(
                Literal(_format(str(m), bound), lang=m.language)
                for m in (*constraint.messages, *shape.messages)
            )
            component = SH.SPARQLConstraintComponent
            result = _Result(shape, component, this, chain, bound["value"], bound.get("path"))
            results.append(replace(result, messages=messages, constraint=constraint.node))
        return results


def _value_tests(prop: Shape) -> list[ValueTest]:
    """A property shape's value tests, with its ``sh:maxCount`` as one more."""
    tests: list[ValueTest] = list(prop.tests)
    if prop.max_count is not None:
        assert prop.path is not None
        tests.append(_AtMost(prop.path, prop.max_count))
    return tests


def _target(kind: URIRef, obj: Node) -> str:
    """A SPARQL pattern binding ``?kgsh_root`` to the targets of one target declaration."""
    if kind == SH.targetClass:
        return f"?kgsh_root {_TYPE}/{_SUBCLASS}* {_sparql(obj)} ."
    if kind == SH.targetSubjectsOf:
        return f"?kgsh_root {_sparql(obj)} ?kgsh_o ."
    if kind == SH.targetObjectsOf:
        return f"?kgsh_s {_sparql(obj)} ?kgsh_root ."
    return f"VALUES ?kgsh_root {{ {_sparql(obj)} }}"


def _chain(row: ox.QuerySolution, focus: _Focus) -> tuple[tuple[Term, ...], Term]:
    chain = tuple(to_rdflib(row[name[1:]]) for name in focus.chain)
    return chain, to_rdflib(row["this"])


_SELECT = re.compile(
    r"\bSELECT\b(?P<modifier>\s+(?:DISTINCT|REDUCED)\b)?(?P<projection>.*?)(?:\bWHERE\b\s*)?\{",
    re.IGNORECASE | re.DOTALL,
)


def _inject(select: str, focus: _Focus) -> str:
    """The query with the focus pattern joined into its outermost WHERE group."""
    match = _SELECT.search(select)
    if match is None:
        raise ShapesError(f"not a SELECT query: {select}")
    projection = match["projection"]
    if projection.strip() != "*":
        wanted = (*focus.chain, "?this")
        missing = [v for v in wanted if not re.search(rf"[?$]{v[1:]}\b", projection)]
        projection = f" {' '.join(missing)} {projection}"
    head = f"{select[: match.start()]}SELECT DISTINCT{projection}WHERE {{ {focus.pattern()} "
    return head + select[match.end() :]


def _format(message: str, values: dict[str, Term]) -> str:
    """Fill ``{?name}`` and ``{$name}`` with the bound values, as pyshacl does."""
    for name, value in values.items():
        message = message.replace(f"{{?{name}}}", str(value)).replace(f"{{${name}}}", str(value))
    return message


# ------------------------------------------------------------------ the report


def _report(results: Sequence[_Result], shapes: Graph) -> Graph:
    report = Graph()
    report.bind("sh", SH)
    node = BNode()
    report.add((node, RDF.type, SH.ValidationReport))
    conforms = not any(r.shape.severity == SH.Violation for r in results)
    report.add((node, SH.conforms, Literal(conforms)))
    for result in results:
        report.add((node, SH.result, _add(report, result, shapes)))
    return report


def _add(report: Graph, result: _Result, shapes: Graph) -> BNode:
    node = BNode()
    report.add((node, RDF.type, SH.ValidationResult))
    report.add((node, SH.focusNode, result.focus))
    report.add((node, SH.resultSeverity, result.shape.severity))
    report.add((node, SH.sourceShape, result.shape.node))
    report.add((node, SH.sourceConstraintComponent, result.component))
    if result.value is not None:
        report.add((node, SH.value, result.value))
    if result.path is not None:
        report.add((node, SH.resultPath, result.path))
        if isinstance(result.path, BNode):
            report += shapes.cbd(result.path)
    if result.constraint is not None:
        report.add((node, SH.sourceConstraint, result.constraint))
    for message in result.messages:
        report.add((node, SH.resultMessage, message))
    for detail in result.details:
        report.add((node, SH.detail, _add(report, detail, shapes)))
    return node


def validate_store(
    store: ox.Store,
    shapes: Graph | CompiledShapes | None = None,
    *,
    focus: Collection[str] | None = None,
    workers: int = 2,
) -> Graph:
    """Validate the default graph of ``store`` (ontology and data) against the shapes.

    Returns a SHACL validation report graph in pyshacl's form. ``shapes`` defaults to the
    shipped shapes. With ``focus`` (IRIs), only those nodes are validated as targets, but nested
    ``sh:node`` checks still follow their values (blank-node quantities included).
    ``workers`` shapes are checked at a time (Oxigraph runs queries without Python's lock).
    """
    compiled = shipped_shapes() if shapes is None else shapes
    if isinstance(compiled, Graph):
        compiled = compile_shapes(compiled)
    run = _Run(store, focus)
    groups: dict[frozenset[tuple[URIRef, Node]], list[Shape]] = defaultdict(list)
    for shape in compiled.roots:
        groups[frozenset(shape.targets)].append(shape)

    def check(item: tuple[frozenset[tuple[URIRef, Node]], list[Shape]]) -> list[_Result]:
        pattern = run.roots(item[0])
        return run.check(item[1], pattern) if pattern is not None else []

    with ThreadPoolExecutor(max_workers=workers) as pool:
        found = list(pool.map(check, groups.items()))
    return _report([r for results in found for r in results], compiled.graph)
