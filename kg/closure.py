"""Lesion classification at scale: HermiT classifies the ontology once; SPARQL applies it.

HermiT (:mod:`kg.reasoner`) classifies the ontology alone: every named class's named ancestors
and every ontology individual's named classes. That result is cached on disk, keyed by the
ontology's hash. Each defined lesion class (``owl:equivalentClass`` of an intersection, union,
``someValuesFrom`` or ``hasValue`` expression) is then compiled into one SPARQL ``INSERT``:

- a named class becomes "typed with it or with one of its subclasses" (subclasses as HermiT
  classified them), or "is one of the ontology individuals HermiT puts in it";
- a property becomes a property path: its sub-properties and declared inverses as
  alternatives, ``+`` when transitive, and a chain ``P o Q -> P`` as ``P/Q*``.

The rules run in dependency order (a defined class after the defined classes it mentions), so
one pass reaches the fixpoint. Each rule adds the class and its lesion ancestors with
``rdf:type`` (so plain SPARQL sees them) and marks them with ``cmr:inferredType``.
``tests/test_closure.py`` checks that the rules and HermiT agree on the shipped cohort.

>>> rules = lesion_rules()
>>> any("IntraduralExtramedullaryMetastasis" in r.text for r in rules)
True
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from kg.cache import cache_dir
from kg.errors import OntologyError
from kg.formatting import write_atomically
from kg.namespace import CMR
from kg.ontology import ontology_graph
from kg.reasoner import named_ancestors, reasoned_world, unsatisfiable_classes
from kg.resources import ONTOLOGY_FILE

__all__ = [
    "LesionRule",
    "TBox",
    "classify_tbox",
    "lesion_classes",
    "lesion_rules",
    "shipped_lesion_rules",
    "tbox",
]

_THING = str(OWL.Thing)


@dataclass(frozen=True)
class TBox:
    """HermiT's classification of the ontology alone."""

    #: named class IRI -> its named ancestors (itself included, owl:Thing excluded)
    ancestors: dict[str, frozenset[str]]
    #: ontology individual IRI -> every named class it belongs to
    types: dict[str, frozenset[str]]
    #: classes that can have no instance
    unsatisfiable: tuple[str, ...] = ()

    def subclasses(self, cls: str) -> set[str]:
        """``cls`` and every named class below it."""
        return {c for c, anc in self.ancestors.items() if cls in anc} | {cls}

    def members(self, cls: str) -> set[str]:
        """The ontology individuals HermiT puts in ``cls``."""
        return {i for i, kinds in self.types.items() if cls in kinds}

    def to_json(self) -> str:
        """A stable JSON form, for the on-disk cache."""
        return json.dumps(
            {
                "ancestors": {k: sorted(v) for k, v in sorted(self.ancestors.items())},
                "types": {k: sorted(v) for k, v in sorted(self.types.items())},
                "unsatisfiable": list(self.unsatisfiable),
            },
            indent=0,
        )

    @classmethod
    def from_json(cls, text: str) -> TBox:
        """Read :meth:`to_json`'s output."""
        data = json.loads(text)
        return cls(
            {k: frozenset(v) for k, v in data["ancestors"].items()},
            {k: frozenset(v) for k, v in data["types"].items()},
            tuple(data.get("unsatisfiable", ())),
        )


def classify_tbox(ontology: Graph) -> TBox:
    """Run HermiT on the ontology alone (about 5 s); raise OntologyError if inconsistent."""
    with reasoned_world(ontology) as world:
        if world is None:
            raise OntologyError("the ontology is inconsistent; run `kg reason`")
        ancestors = {
            cls.iri: frozenset(named_ancestors([cls]))
            for cls in world.classes()
            if isinstance(cls.iri, str)
        }
        types = {ind.iri: frozenset(named_ancestors(ind.is_a)) for ind in world.individuals()}
        unsatisfiable = tuple(unsatisfiable_classes(world))
    return TBox(ancestors, types, unsatisfiable)


def _cache_file() -> Path:
    digest = hashlib.sha256(ONTOLOGY_FILE.read_bytes()).hexdigest()[:20]
    return cache_dir() / f"tbox-{digest}.json"


@lru_cache(maxsize=1)
def tbox() -> TBox:
    """The shipped ontology's classification (cached on disk while the ontology is unchanged)."""
    cached = _cache_file()
    if cached.is_file():
        return TBox.from_json(cached.read_text(encoding="utf-8"))
    result = classify_tbox(ontology_graph())
    cached.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(cached, result.to_json())
    return result


# -- compiling class expressions to SPARQL -------------------------------------------------


class _Compiler:
    def __init__(self, onto: Graph, classes: TBox) -> None:
        self.onto = onto
        self.tbox = classes
        self.counter = 0
        self.mentioned: set[str] = set()

    def fresh(self) -> str:
        self.counter += 1
        return f"?v{self.counter}"

    def path(self, prop: Node) -> str:
        """A SPARQL property path for everything that entails ``prop``."""
        head, tail = self.split(prop)
        return head if tail is None else f"{head}/({tail})*"

    def split(self, prop: Node) -> tuple[str, str | None]:
        """The path of ``prop`` without its chain, and the chain's tail (``P o Q -> P``: Q)."""
        if isinstance(prop, BNode):
            inverse = self.onto.value(prop, OWL.inverseOf)
            if inverse is None:
                raise OntologyError(f"unsupported property expression {prop}")
            return f"^({self.path(inverse)})", None
        assert isinstance(prop, URIRef)
        alternatives = [f"<{prop}>"]
        for sub in sorted(self.onto.subjects(RDFS.subPropertyOf, prop), key=str):
            alternatives.append(self.path(sub))
        for inverse in sorted(
            set(self.onto.objects(prop, OWL.inverseOf))
            | set(self.onto.subjects(OWL.inverseOf, prop)),
            key=str,
        ):
            if isinstance(inverse, URIRef):
                alternatives.append(f"^<{inverse}>")
        base = "(" + "|".join(alternatives) + ")"
        if (prop, RDF.type, OWL.TransitiveProperty) in self.onto:
            base += "+"
        tail = None
        for chain_node in self.onto.objects(prop, OWL.propertyChainAxiom):
            chain = list(Collection(self.onto, chain_node))
            if len(chain) != 2 or chain[0] != prop or tail is not None:
                raise OntologyError(f"unsupported property chain on {prop}")
            tail = self.path(chain[1])
        return base, tail

    def reaching(self, tail: str, targets: set[str]) -> list[str]:
        """Ontology individuals from which ``tail*`` reaches one of ``targets``.

        Anatomy is fixed by the ontology, so a chain such as ``locatedIn o partOf`` is walked
        here once, not for every lesion of every case.
        """
        if not targets:
            return []
        listed = " ".join(f"<{t}>" for t in sorted(targets))
        rows = self.onto.query(
            f"SELECT DISTINCT ?y WHERE {{ VALUES ?t {{ {listed} }} ?y ({tail})* ?t }}"
        )
        return sorted({str(row[0]) for row in rows if isinstance(row[0], URIRef)} | targets)  # type: ignore[index]

    def filler_members(self, filler: Node) -> set[str] | None:
        """The ontology individuals in a named class or a union of named classes, else None."""
        if isinstance(filler, URIRef):
            self.mentioned.add(str(filler))
            return self.tbox.members(str(filler))
        if (filler, OWL.unionOf, None) in self.onto:
            parts = [self.filler_members(m) for m in self.members(filler, OWL.unionOf)]
            if all(p is not None for p in parts):
                return set().union(*[p for p in parts if p is not None])
        return None

    def named(self, cls: str, var: str) -> str:
        self.mentioned.add(cls)
        if cls == _THING:
            return ""
        kinds = " ".join(f"<{c}>" for c in sorted(self.tbox.subclasses(cls)))
        kind = self.fresh()
        typed = f"{{ {var} a {kind} . VALUES {kind} {{ {kinds} }} }}"
        members = sorted(self.tbox.members(cls))
        if not members:
            return typed
        listed = " ".join(f"<{m}>" for m in members)
        return f"{{ {typed} UNION {{ VALUES {var} {{ {listed} }} }} }}"

    def members(self, node: Node, prop: URIRef) -> list[Node]:
        """The RDF list that ``node`` has as its ``prop``."""
        head = self.onto.value(node, prop)
        if head is None:
            raise OntologyError(f"{node} has no {prop}")
        return list(Collection(self.onto, head))

    def expression(self, node: Node, var: str) -> str:
        """A group graph pattern true of ``var`` when it belongs to the class expression."""
        if isinstance(node, URIRef):
            return self.named(str(node), var)
        onto = self.onto
        if (node, OWL.intersectionOf, None) in onto:
            members = self.members(node, OWL.intersectionOf)
            return " ".join(self.expression(m, var) for m in members)
        if (node, OWL.unionOf, None) in onto:
            members = self.members(node, OWL.unionOf)
            return "{ " + " } UNION { ".join(self.expression(m, var) for m in members) + " }"
        prop = onto.value(node, OWL.onProperty)
        if prop is not None:
            value = onto.value(node, OWL.hasValue)
            filler = onto.value(node, OWL.someValuesFrom)
            head, tail = self.split(prop)
            targets = {str(value)} if isinstance(value, URIRef) else None
            if targets is None and filler is not None:
                targets = self.filler_members(filler)
            if tail is not None and targets is not None:
                # a chain whose tail runs through the anatomy: precomputed over the ontology
                other = self.fresh()
                listed = " ".join(f"<{y}>" for y in self.reaching(tail, targets))
                return f"{var} {head} {other} . VALUES {other} {{ {listed} }}"
            path = self.path(prop)
            if isinstance(value, URIRef):
                return f"{var} {path} <{value}> ."
            if filler is not None:
                other = self.fresh()
                return f"{var} {path} {other} . {self.expression(filler, other)}"
        if (node, OWL.oneOf, None) in onto:
            listed = " ".join(f"<{m}>" for m in self.members(node, OWL.oneOf))
            return f"VALUES {var} {{ {listed} }}"
        raise OntologyError(f"unsupported class expression in a lesion definition: {node}")


@dataclass(frozen=True)
class LesionRule:
    """One defined lesion class, as a SPARQL update."""

    cls: str
    #: the named classes its definition mentions
    mentions: frozenset[str]
    text: str


def lesion_classes(classes: TBox) -> set[str]:
    """The named classes below ``cmr:MetastaticLesion`` (the classes a build adds)."""
    top = str(CMR.MetastaticLesion)
    return {c for c, anc in classes.ancestors.items() if top in anc and c != top}


def _insert(cls: str, pattern: str, classes: TBox, wanted: set[str]) -> str:
    added = sorted(({cls} | set(classes.ancestors.get(cls, ()))) & wanted)
    listed = " ".join(f"<{c}>" for c in added)
    return (
        f"INSERT {{ ?x a ?c . ?x <{CMR.inferredType}> ?c }}\n"
        f"WHERE {{ {pattern}\n  VALUES ?c {{ {listed} }}\n"
        "  FILTER NOT EXISTS { ?x a ?c } }"
    )


def _superclass_rule(classes: TBox, wanted: set[str]) -> str:
    """Asserted lesion types bring their lesion ancestors along."""
    pairs = " ".join(
        f"(<{c}> <{a}>)"
        for c in sorted(wanted | {str(CMR.MetastaticLesion)})
        for a in sorted(classes.ancestors.get(c, ()))
        if a in wanted and a != c
    )
    return (
        f"INSERT {{ ?x a ?c . ?x <{CMR.inferredType}> ?c }}\n"
        f"WHERE {{ ?x a ?t . VALUES (?t ?c) {{ {pairs} }}\n"
        "  FILTER NOT EXISTS { ?x a ?c } }"
    )


@lru_cache(maxsize=1)
def shipped_lesion_rules() -> tuple[LesionRule, ...]:
    """:func:`lesion_rules` for the shipped ontology, compiled once per process."""
    return tuple(lesion_rules())


def lesion_rules(onto: Graph | None = None, classes: TBox | None = None) -> list[LesionRule]:
    """The SPARQL updates that classify lesions, in the order they must run."""
    onto = onto if onto is not None else ontology_graph()
    classes = classes if classes is not None else tbox()
    wanted = lesion_classes(classes)
    defined: dict[str, LesionRule] = {}
    for cls, expr in onto.subject_objects(OWL.equivalentClass):
        if str(cls) not in wanted or not isinstance(expr, BNode):
            continue
        compiler = _Compiler(onto, classes)
        pattern = compiler.expression(expr, "?x")
        text = _insert(str(cls), pattern, classes, wanted)
        defined[str(cls)] = LesionRule(str(cls), frozenset(compiler.mentioned), text)
    first = LesionRule("asserted lesion types", frozenset(), _superclass_rule(classes, wanted))
    return [first] + [defined[c] for c in _order(defined, classes)]


def _requires(rule: LesionRule, cls: str, classes: TBox) -> bool:
    return any(cls in classes.ancestors.get(m, frozenset({m})) for m in rule.mentions)


def _order(defined: dict[str, LesionRule], classes: TBox) -> Sequence[str]:
    """Each rule after the rules that can add members to a class it mentions.

    A defined class whose definition itself requires class ``m`` (or a subclass of it) cannot
    add members to ``m``, so it is not a dependency of the rules that mention ``m``.
    """
    graph: dict[str, set[str]] = {}
    for cls, rule in defined.items():
        graph[cls] = {
            d
            for m in rule.mentions
            for d in classes.subclasses(m)
            if d in defined and d != cls and not _requires(defined[d], m, classes)
        }
    try:
        return list(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        raise OntologyError(
            f"defined lesion classes depend on each other in a cycle: {exc}"
        ) from exc
