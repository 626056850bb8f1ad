"""Lesion classification at scale: HermiT classifies the ontology once; its result is compiled.

HermiT (:mod:`kg.reasoning.hermit`) classifies the ontology alone: every named class's named
ancestors and every ontology individual's named classes. That result is cached on disk, keyed by the
ontology's hash. Each defined lesion class (``owl:equivalentClass`` of an intersection, union,
``someValuesFrom``, ``hasValue`` or ``oneOf`` expression) is then compiled into an expression tree
(:mod:`kg.reasoning.classexpr`):

- a named class becomes "typed with it or with one of its subclasses" (subclasses as HermiT
  classified them), or "is one of the ontology individuals HermiT puts in it";
- a property becomes a property path: its sub-properties and declared inverses as
  alternatives, ``+`` when transitive, and a chain ``P o Q -> P`` as ``P/Q*`` (or, when the
  chain ends in anatomy, the ontology individuals it reaches, walked here once).

The rules run in dependency order (a defined class after the defined classes it mentions), so one
pass reaches the fixpoint; each adds the class and its lesion ancestors. A build evaluates them in
Python (:mod:`kg.reasoning.classify`); :func:`lesion_updates` gives them as SPARQL updates that add
the same triples in any store or endpoint: ``rdf:type`` (so plain SPARQL sees them) and
``cmr:inferredType``. ``tests/reasoning/test_closure.py`` checks that the updates and HermiT agree
on the shipped cohort.

>>> rules = lesion_rules()
>>> any("IntraduralExtramedullaryMetastasis" in r.text for r in rules)
True
"""

from __future__ import annotations

import hashlib
import itertools
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

from kg.model.errors import OntologyError
from kg.model.files import write_atomically
from kg.model.namespace import CMR
from kg.model.ontology import ontology_graph
from kg.model.resources import ONTOLOGY_FILE, cache_dir
from kg.reasoning.classexpr import THING, AllOf, AnyOf, Expr, HasValue, OneOf, Some, Typed, sparql
from kg.reasoning.hermit import named_ancestors, reasoned_world, unsatisfiable_classes

__all__ = [
    "LesionRule",
    "TBox",
    "asserted_types_update",
    "classify_tbox",
    "implied_lesion_types",
    "lesion_classes",
    "lesion_rules",
    "lesion_updates",
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
        self.mentioned: set[str] = set()

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

    def reaching(self, tail: str, targets: set[str]) -> frozenset[str]:
        """Ontology individuals from which ``tail*`` reaches one of ``targets``.

        Anatomy is fixed by the ontology, so a chain such as ``locatedIn o partOf`` is walked
        here once, not for every lesion of every case.
        """
        if not targets:
            return frozenset()
        listed = " ".join(f"<{t}>" for t in sorted(targets))
        rows = self.onto.query(
            f"SELECT DISTINCT ?y WHERE {{ VALUES ?t {{ {listed} }} ?y ({tail})* ?t }}"
        )
        return frozenset({str(row[0]) for row in rows if isinstance(row[0], URIRef)} | targets)  # type: ignore[index]

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

    def named(self, cls: str) -> Expr:
        self.mentioned.add(cls)
        if cls == _THING:
            return THING
        return Typed(frozenset(self.tbox.subclasses(cls)), frozenset(self.tbox.members(cls)))

    def members(self, node: Node, prop: URIRef) -> list[Node]:
        """The RDF list that ``node`` has as its ``prop``."""
        head = self.onto.value(node, prop)
        if head is None:
            raise OntologyError(f"{node} has no {prop}")
        return list(Collection(self.onto, head))

    def expression(self, node: Node) -> Expr:
        """The class expression at ``node`` as a tree."""
        if isinstance(node, URIRef):
            return self.named(str(node))
        onto = self.onto
        if (node, OWL.intersectionOf, None) in onto:
            return AllOf(tuple(map(self.expression, self.members(node, OWL.intersectionOf))))
        if (node, OWL.unionOf, None) in onto:
            return AnyOf(tuple(map(self.expression, self.members(node, OWL.unionOf))))
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
                return Some(head, OneOf(self.reaching(tail, targets)))
            path = self.path(prop)
            if isinstance(value, URIRef):
                return HasValue(path, str(value))
            if filler is not None:
                return Some(path, self.expression(filler))
        if (node, OWL.oneOf, None) in onto:
            return OneOf(frozenset(str(m) for m in self.members(node, OWL.oneOf)))
        raise OntologyError(f"unsupported class expression in a lesion definition: {node}")


@dataclass(frozen=True)
class LesionRule:
    """One defined lesion class: its definition and the classes a member of it gains."""

    cls: str
    #: the named classes its definition mentions
    mentions: frozenset[str]
    definition: Expr
    #: the class and its lesion ancestors
    added: frozenset[str]

    @property
    def text(self) -> str:
        """The rule as a SPARQL update that adds ``added`` to the definition's members."""
        pattern = sparql(self.definition, "?x", itertools.count(1))
        return _insert(pattern, self.added)


def lesion_classes(classes: TBox) -> set[str]:
    """The named classes below ``cmr:MetastaticLesion`` (the classes a build adds)."""
    top = str(CMR.MetastaticLesion)
    return {c for c, anc in classes.ancestors.items() if top in anc and c != top}


def _insert(pattern: str, added: frozenset[str], head: str = "") -> str:
    listed = " ".join(f"<{c}>" for c in sorted(added))
    values = f"VALUES ?c {{ {listed} }}" if head == "" else head
    return (
        f"INSERT {{ ?x a ?c . ?x <{CMR.inferredType}> ?c }}\n"
        f"WHERE {{ {pattern}\n  {values}\n"
        "  FILTER NOT EXISTS { ?x a ?c } }"
    )


def implied_lesion_types(classes: TBox) -> dict[str, frozenset[str]]:
    """Each lesion class -> its lesion ancestors (what an asserted type brings along)."""
    wanted = lesion_classes(classes)
    implied = {
        c: frozenset(a for a in classes.ancestors.get(c, ()) if a in wanted and a != c)
        for c in sorted(wanted | {str(CMR.MetastaticLesion)})
    }
    return {c: ancestors for c, ancestors in implied.items() if ancestors}


def asserted_types_update(classes: TBox) -> str:
    """The SPARQL update that gives asserted lesion types their lesion ancestors."""
    pairs = " ".join(
        f"(<{c}> <{a}>)"
        for c, ancestors in implied_lesion_types(classes).items()
        for a in sorted(ancestors)
    )
    return _insert("?x a ?t .", frozenset(), head=f"VALUES (?t ?c) {{ {pairs} }}")


@lru_cache(maxsize=1)
def shipped_lesion_rules() -> tuple[LesionRule, ...]:
    """:func:`lesion_rules` for the shipped ontology, compiled once per process."""
    return tuple(lesion_rules())


def lesion_updates() -> list[str]:
    """Every SPARQL update that classifies lesions (shipped ontology), in the order to run.

    Run one after another in any store or endpoint, they add what :mod:`kg.reasoning.classify` adds.
    """
    return [asserted_types_update(tbox())] + [r.text for r in shipped_lesion_rules()]


def lesion_rules(onto: Graph | None = None, classes: TBox | None = None) -> list[LesionRule]:
    """The defined lesion classes as rules, each after the rules it depends on.

    Run them after :func:`asserted_types_update`.
    """
    onto = onto if onto is not None else ontology_graph()
    classes = classes if classes is not None else tbox()
    wanted = lesion_classes(classes)
    defined: dict[str, LesionRule] = {}
    for cls, expr in onto.subject_objects(OWL.equivalentClass):
        if str(cls) not in wanted or not isinstance(expr, BNode):
            continue
        compiler = _Compiler(onto, classes)
        definition = compiler.expression(expr)
        added = frozenset(({str(cls)} | set(classes.ancestors.get(str(cls), ()))) & wanted)
        defined[str(cls)] = LesionRule(str(cls), frozenset(compiler.mentioned), definition, added)
    return [defined[c] for c in _order(defined, classes)]


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
