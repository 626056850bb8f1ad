"""SHACL shapes: the shipped shapes graph, and its compilation for the store engine.

Compiling reads every shape reachable from a target into :class:`~kg.validation.shapetests.Shape`
objects and refuses any SHACL parameter the engine does not support with a
:class:`~kg.model.errors.ShapesError`.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection as RDFList
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.term import Node

from kg.model.errors import ShapesError
from kg.model.resources import SHAPES_DIR
from kg.validation.shapetests import (
    KNOWN,
    LOGIC,
    NODE_KINDS,
    RANGES,
    TARGETS,
    ClassTest,
    CompiledShapes,
    DatatypeTest,
    FreshNames,
    InTest,
    LengthTest,
    LogicTest,
    NodeKindTest,
    PatternTest,
    RangeTest,
    Shape,
    SparqlConstraint,
    ValueTest,
    sparql_term,
)

__all__ = ["compile_shapes", "load_shapes", "shipped_shapes"]


def load_shapes(directory: Path = SHAPES_DIR) -> Graph:
    """Every ``.ttl`` file in the shapes folder, in one graph."""
    shapes = Graph()
    for path in sorted(directory.glob("*.ttl")):
        shapes.parse(path, format="turtle")
    return shapes


class _Compiler:
    """Reads the shapes graph into :class:`Shape` objects."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.shapes: dict[Node, Shape] = {}
        self.pending: set[Node] = set()
        self.prefixes = self._declared(graph.subjects(SH.declare, None), base=True)
        self.classes = _shapes_that_are_classes(graph)

    def compile(self) -> CompiledShapes:
        subjects = {s for t in TARGETS for s in self.graph.subjects(t, None)}
        subjects |= self.classes
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
        if unknown := unknown - KNOWN:
            names = ", ".join(sorted(str(u) for u in unknown))
            raise ShapesError(f"{node}: the oxigraph engine does not support {names}")
        path_node = g.value(node, SH.path)
        shape = Shape(
            node,
            path=self._path(path_node) if path_node is not None else None,
            path_node=path_node,
            severity=_iri(g.value(node, SH.severity)) or SH.Violation,
            messages=tuple(m for m in g.objects(node, SH.message) if isinstance(m, Literal)),
            targets=self._targets(node),
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

    def _targets(self, node: Node) -> tuple[tuple[URIRef, Node], ...]:
        """A shape's targets; a shape that is also a class targets its instances (implicitly)."""
        targets = [(t, o) for t in TARGETS for o in self.graph.objects(node, t)]
        if node in self.classes:
            targets.append((SH.targetClass, node))
        return tuple(dict.fromkeys(targets))

    def _tests(self, node: Node) -> tuple[ValueTest, ...]:
        g = self.graph
        tests: list[ValueTest] = [ClassTest(_need_iri(c)) for c in g.objects(node, SH["class"])]
        tests += [DatatypeTest(_need_iri(d)) for d in g.objects(node, SH.datatype)]
        for kind in g.objects(node, SH.nodeKind):
            if kind not in NODE_KINDS:
                raise ShapesError(f"{node}: unknown sh:nodeKind {kind}")
            tests.append(NodeKindTest(_need_iri(kind)))
        tests += [InTest(tuple(RDFList(g, lst))) for lst in g.objects(node, SH["in"])]
        flags = str(g.value(node, SH.flags) or "")
        tests += [PatternTest(str(p), flags) for p in g.objects(node, SH.pattern)]
        for n in g.objects(node, SH.minLength):
            tests.append(LengthTest(">=", _int(n) or 0, SH.MinLengthConstraintComponent))
        for n in g.objects(node, SH.maxLength):
            tests.append(LengthTest("<=", _int(n) or 0, SH.MaxLengthConstraintComponent))
        for parameter, (op, component) in RANGES.items():
            for limit in g.objects(node, parameter):
                if not isinstance(limit, Literal):
                    raise ShapesError(f"{node}: {parameter} needs a literal")
                tests.append(RangeTest(op, limit, component))
        for parameter, component in LOGIC.items():
            for value in g.objects(node, parameter):
                members = [value] if parameter == SH["not"] else list(RDFList(g, value))
                logic = LogicTest(component, tuple(self.shape(m) for m in members))
                logic.ok("?kgsh_check", FreshNames())  # raises now if a member cannot be evaluated
                tests.append(logic)
        return tuple(tests)

    def _path(self, node: Node) -> str:
        g = self.graph
        if isinstance(node, URIRef):
            return sparql_term(node)
        if (node, RDF.first, None) in g:  # a list is a sequence path, whatever else it says
            return "(" + "/".join(self._path(p) for p in RDFList(g, node)) + ")"
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


def _shapes_that_are_classes(graph: Graph) -> set[Node]:
    """The node and property shapes that are also classes (``rdfs:Class``, ``owl:Class``)."""
    shapes = {s for k in (SH.NodeShape, SH.PropertyShape) for s in graph.subjects(RDF.type, k)}
    return {
        shape
        for shape in shapes
        for kind in graph.objects(shape, RDF.type)
        if {RDFS.Class, OWL.Class} & set(graph.transitive_objects(kind, RDFS.subClassOf))
    }


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
