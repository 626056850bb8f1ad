"""Canonical Turtle: one stable text for one graph, so that diffs stay small.

Protégé, rdflib and hand edits each write Turtle their own way. ``kg fmt`` rewrites
a file in the form below, and the tests check that the shipped files already are in it:

- prefixes sorted by name; subjects sorted by kind (ontology header, classes,
  properties, individuals, other) and then by IRI;
- ``rdf:type`` first, then ``rdfs:label``, then the other predicates by prefixed name;
- objects sorted by their rendered text; blank nodes used once are written inline
  (``[ ... ]``), RDF lists as ``( ... )``.

>>> from rdflib import Graph
>>> g = Graph().parse(data="<http://e/b> <http://e/p> 2 . <http://e/a> <http://e/p> 1 .",
...                   format="turtle")
>>> print(to_canonical_turtle(g, {"e": "http://e/"}))
@prefix e: <http://e/> .
<BLANKLINE>
e:a e:p 1 .
<BLANKLINE>
e:b e:p 2 .
<BLANKLINE>
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

__all__ = ["CanonicalFormError", "to_canonical_turtle"]

_INDENT = "    "
_PN_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")
_SUBJECT_KIND_ORDER: tuple[URIRef, ...] = (
    OWL.Ontology,
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
)


class CanonicalFormError(ValueError):
    """The graph has a shape this writer does not render (a shared or cyclic blank node)."""


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )


class _Writer:
    def __init__(self, graph: Graph, prefixes: Mapping[str, str]) -> None:
        self.graph = graph
        # Longest namespace first, so that the most specific prefix wins.
        self.prefixes = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))
        self.used_prefixes: set[str] = set()
        self.refcount: dict[BNode, int] = {}
        for o in graph.objects():
            if isinstance(o, BNode):
                self.refcount[o] = self.refcount.get(o, 0) + 1

    def iri(self, node: URIRef) -> str:
        text = str(node)
        for name, ns in self.prefixes:
            if text.startswith(ns):
                local = text[len(ns) :]
                if local == "" or _PN_LOCAL.match(local):
                    self.used_prefixes.add(name)
                    return f"{name}:{local}"
        return f"<{text}>"

    def literal(self, lit: Literal) -> str:
        dt = lit.datatype
        lexical = str(lit)
        if dt == XSD.integer and re.fullmatch(r"[+-]?\d+", lexical):
            return lexical
        if dt == XSD.boolean and lexical in ("true", "false"):
            return lexical
        body = f'"{_escape(lexical)}"'
        if lit.language:
            return f"{body}@{lit.language}"
        if dt is not None and dt != XSD.string:
            return f"{body}^^{self.iri(dt)}"
        return body

    def as_list(self, node: BNode) -> list[Node] | None:
        """Return the members if ``node`` heads a well-formed RDF list used once."""
        items: list[Node] = []
        current: Node = node
        seen: set[Node] = set()
        while current != RDF.nil:
            if not isinstance(current, BNode) or current in seen:
                return None
            seen.add(current)
            preds = set(self.graph.predicates(current))
            if preds != {RDF.first, RDF.rest}:
                return None
            if current is not node and self.refcount.get(current, 0) != 1:
                return None
            items.append(self.graph.value(current, RDF.first))  # type: ignore[arg-type]
            current = self.graph.value(current, RDF.rest)  # type: ignore[assignment]
        return items

    def obj(self, node: Node, depth: int, stack: tuple[BNode, ...]) -> str:
        if isinstance(node, URIRef):
            return self.iri(node)
        if isinstance(node, Literal):
            return self.literal(node)
        if isinstance(node, BNode):
            if node in stack:
                raise CanonicalFormError(f"cyclic blank node {node.n3()}")
            if self.refcount.get(node, 0) > 1:
                raise CanonicalFormError(
                    f"blank node {node.n3()} is the object of more than one triple; give it an IRI"
                )
            members = self.as_list(node)
            if members is not None:
                inner = " ".join(self.obj(m, depth + 1, (*stack, node)) for m in members)
                return f"( {inner} )" if inner else "()"
            body = self.predicate_block(node, depth + 1, (*stack, node))
            return f"[ {body} ]" if body else "[]"
        raise CanonicalFormError(f"unsupported node {node!r}")

    def predicate_key(self, pred: URIRef) -> tuple[int, str]:
        if pred == RDF.type:
            return (0, "")
        if pred == RDFS.label:
            return (1, "")
        return (2, self.iri(pred))

    def predicate_block(self, subject: Node, depth: int, stack: tuple[BNode, ...]) -> str:
        preds = sorted(
            {p for p in self.graph.predicates(subject) if isinstance(p, URIRef)},
            key=self.predicate_key,
        )
        pad = _INDENT * (depth + 1)
        parts = []
        for pred in preds:
            objects = self.graph.objects(subject, pred)
            rendered = sorted(self.obj(o, depth + 1, stack) for o in objects)
            p_text = "a" if pred == RDF.type else self.iri(pred)
            joiner = ",\n" + pad + _INDENT
            parts.append(f"{p_text} {joiner.join(rendered)}")
        return (" ;\n" + pad).join(parts)

    def subject_key(self, subject: Node) -> tuple[int, str]:
        types = set(self.graph.objects(subject, RDF.type))
        for rank, kind in enumerate(_SUBJECT_KIND_ORDER):
            if kind in types:
                return (rank, str(subject))
        return (len(_SUBJECT_KIND_ORDER), str(subject))

    def write(self) -> str:
        subjects: Iterable[Node] = {s for s in self.graph.subjects()}
        named = sorted((s for s in subjects if isinstance(s, URIRef)), key=self.subject_key)
        top_bnodes = [s for s in subjects if isinstance(s, BNode) and self.refcount.get(s, 0) == 0]
        blocks = [f"{self.iri(s)} {self.predicate_block(s, 0, ())} ." for s in named]
        blocks += sorted(f"[] {self.predicate_block(b, 0, (b,))} ." for b in top_bnodes)
        header = [
            f"@prefix {name}: <{ns}> ."
            for name, ns in sorted(self.prefixes)
            if name in self.used_prefixes
        ]
        return "\n".join(header) + "\n\n" + "\n\n".join(blocks) + "\n"


def to_canonical_turtle(graph: Graph, prefixes: Mapping[str, str] | None = None) -> str:
    """Render ``graph`` as canonical Turtle.

    ``prefixes`` defaults to the prefixes bound in the graph; only those used are written.
    Raises :class:`CanonicalFormError` for a blank node shared by two triples or in a cycle.
    """
    if prefixes is None:
        prefixes = {name: str(ns) for name, ns in graph.namespaces() if name}
    return _Writer(graph, prefixes).write()
