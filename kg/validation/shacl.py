"""A fast SHACL engine: the shapes run as set-based SPARQL queries on a pyoxigraph store.

The shapes are compiled once into small dataclasses. Each constraint is then checked for all its
focus nodes at once by one SPARQL query that returns only the violations; nested ``sh:node``
shapes are checked the same way on the set of value nodes that reach them, and their results are
hung under a wrapper result with ``sh:detail`` as pyshacl does. The report graph has pyshacl's
form, so :func:`kg.validation.validate.validate_graph` turns it into the same issues.

Supported: the targets ``sh:targetClass`` (with subclasses), ``sh:targetNode``,
``sh:targetSubjectsOf`` and ``sh:targetObjectsOf``; property paths (IRIs, inverse, alternative,
sequence and the ``*``/``+``/``?`` paths); ``sh:minCount``, ``sh:maxCount``, ``sh:class``,
``sh:datatype``, ``sh:nodeKind``, ``sh:in``, ``sh:pattern`` (with ``sh:flags``),
``sh:minLength``, ``sh:maxLength``, the four value ranges, ``sh:node``, ``sh:property`` (on
node shapes), ``sh:or``, ``sh:and``, ``sh:xone``, ``sh:not`` (whose member shapes may use the
value and count constraints) and SPARQL-based constraints on node shapes (``sh:sparql`` with
``sh:select``, ``sh:prefixes``/``sh:declare``, ``{?var}`` in messages); ``sh:severity``,
``sh:message``, ``sh:deactivated``. Any other SHACL parameter raises :class:`ShapesError`.
A shape that is also a class targets the class's instances (SHACL's implicit class target).

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

import re
from collections import defaultdict
from collections.abc import Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from kg.model.errors import ShapesError
from kg.model.terms import from_rdflib, subject_term, to_rdflib
from kg.validation.shaclresults import Result, report_graph
from kg.validation.shapes import compile_shapes, shipped_shapes
from kg.validation.shapetests import (
    SUBCLASS,
    TYPE,
    AtMost,
    CompiledShapes,
    FreshNames,
    Shape,
    SparqlConstraint,
    Term,
    ValueTest,
    distinct_values,
    sparql_term,
)

__all__ = [
    "CompiledShapes",
    "compile_shapes",
    "shipped_shapes",
    "store_from_graph",
    "validate_store",
]


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


def store_from_graph(graph: Graph) -> ox.Store:
    """An in-memory store holding ``graph`` in its default graph, blank node labels kept."""
    store = ox.Store()
    store.extend(
        ox.Quad(subject_term(s), ox.NamedNode(str(p)), from_rdflib(o)) for s, p, o in graph
    )
    return store


class _Run:
    """One validation: the store and the focus restriction."""

    def __init__(self, store: ox.Store, focus: Collection[str] | None) -> None:
        self.store = store
        self.focus = focus
        self.names = FreshNames()
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
            {{ ?f {TYPE}/{SUBCLASS}* ?x BIND ({sparql_term(SH.targetClass)} AS ?kind) }}
            UNION {{ ?f ?x ?o BIND ({sparql_term(SH.targetSubjectsOf)} AS ?kind) }}
            UNION {{ ?s ?x ?f BIND ({sparql_term(SH.targetObjectsOf)} AS ?kind) }} }}"""
        for row in self.select(query):
            facts[URIRef(row["f"].value)].add((row["kind"].value, row["x"].value))
        return facts

    def check(self, shapes: Sequence[Shape], focus: _Focus) -> list[Result]:
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

    def _path_tests(self, props: Sequence[Shape], focus: _Focus) -> list[Result]:
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
        results: dict[Result, None] = {}
        for row in self.select(query):
            i = int(row["kgsh_i"].value)
            results.update(
                dict.fromkeys(self._failed(row, focus, [(props[i], t) for t in tests[i]]))
            )
        return list(results)

    def _node_tests(self, tests: Sequence[tuple[Shape, ValueTest]], focus: _Focus) -> list[Result]:
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
    ) -> list[Result]:
        chain, this = _chain(row, focus)
        value = to_rdflib(row["value"])
        return [
            Result.of(
                shape, test.component, this, chain, None if isinstance(test, AtMost) else value
            )
            for i, (shape, test) in enumerate(tests)
            if row[f"kgsh_b{i}"] is not None and row[f"kgsh_b{i}"].value == "true"
        ]

    def _too_few(self, props: Sequence[Shape], focus: _Focus) -> list[Result]:
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
                enough = distinct_values("?this", prop.path, prop.min_count, self.names)
                queries.append(f"BIND ({i} AS ?kgsh_i) FILTER NOT EXISTS {{ {enough} }}")
        results = []
        for query in queries:
            select = f"""SELECT DISTINCT {" ".join(focus.chain)} ?this ?kgsh_i
                WHERE {{ {focus.pattern()} {query} }}"""
            for row in self.select(select):
                chain, this = _chain(row, focus)
                prop = props[int(row["kgsh_i"].value)]
                results.append(Result.of(prop, SH.MinCountConstraintComponent, this, chain))
        return results

    def _node(self, shape: Shape, nested: Shape, focus: _Focus) -> list[Result]:
        """Wrapper results for the value nodes that do not conform to ``nested``."""
        inner = focus.step(shape.path) if shape.path else focus
        groups: dict[tuple[tuple[Term, ...], Term], list[Result]] = defaultdict(list)
        for result in self.check([nested], inner):
            groups[result.chain, result.focus].append(result)
        generic = Literal(f"Value does not conform to Shape {nested.node}.")
        wrappers = []
        for (chain, value), details in groups.items():
            outer, above = (chain[-1], chain[:-1]) if shape.path else (value, chain)
            wrapper = Result.of(shape, SH.NodeConstraintComponent, outer, above, value, generic)
            wrappers.append(replace(wrapper, details=tuple(details)))
        return wrappers

    def _sparql(self, shape: Shape, constraint: SparqlConstraint, focus: _Focus) -> list[Result]:
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
            result = Result(shape, component, this, chain, bound["value"], bound.get("path"))
            results.append(replace(result, messages=messages, constraint=constraint.node))
        return results


def _value_tests(prop: Shape) -> list[ValueTest]:
    """A property shape's value tests, with its ``sh:maxCount`` as one more."""
    tests: list[ValueTest] = list(prop.tests)
    if prop.max_count is not None:
        assert prop.path is not None
        tests.append(AtMost(prop.path, prop.max_count))
    return tests


def _target(kind: URIRef, obj: Node) -> str:
    """A SPARQL pattern binding ``?kgsh_root`` to the targets of one target declaration."""
    if kind == SH.targetClass:
        return f"?kgsh_root {TYPE}/{SUBCLASS}* {sparql_term(obj)} ."
    if kind == SH.targetSubjectsOf:
        return f"?kgsh_root {sparql_term(obj)} ?kgsh_o ."
    if kind == SH.targetObjectsOf:
        return f"?kgsh_s {sparql_term(obj)} ?kgsh_root ."
    return f"VALUES ?kgsh_root {{ {sparql_term(obj)} }}"


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

    def check(item: tuple[frozenset[tuple[URIRef, Node]], list[Shape]]) -> list[Result]:
        pattern = run.roots(item[0])
        return run.check(item[1], pattern) if pattern is not None else []

    with ThreadPoolExecutor(max_workers=workers) as pool:
        found = list(pool.map(check, groups.items()))
    return report_graph([r for results in found for r in results], compiled.graph)
