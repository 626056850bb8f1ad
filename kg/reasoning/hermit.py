"""HermiT, through owlready2: consistency, unsatisfiable classes and the types of individuals.

owlready2 reads RDF/XML and N-Triples, not Turtle, so the graph is handed over as N-Triples.
HermiT runs on the Java virtual machine (``java`` on the ``PATH``).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import owlready2
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kg.model.errors import OntologyError

__all__ = [
    "ReasonerReport",
    "classify",
    "named_ancestors",
    "reasoned_world",
    "unsatisfiable_classes",
]


@dataclass
class ReasonerReport:
    """What HermiT concluded."""

    consistent: bool
    unsatisfiable: list[str] = field(default_factory=list)
    #: individual IRI -> IRIs of its named classes after reasoning (asserted and inferred)
    types: dict[str, set[str]] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def coherent(self) -> bool:
        """Consistent, with no unsatisfiable class."""
        return self.consistent and not self.unsatisfiable


def named_ancestors(classes: Iterable[object]) -> set[str]:
    """The IRIs of the named classes above ``classes`` (themselves included, owl:Thing not)."""
    out: set[str] = set()
    for cls in classes:
        if isinstance(cls, owlready2.ThingClass):
            for anc in cls.ancestors():
                iri = getattr(anc, "iri", None)
                if isinstance(iri, str) and iri != "http://www.w3.org/2002/07/owl#Thing":
                    out.add(iri)
    return out


def unsatisfiable_classes(world: owlready2.World) -> list[str]:
    """The classes HermiT found can have no instance."""
    return sorted(str(c.iri) for c in world.inconsistent_classes() if hasattr(c, "iri"))


@contextmanager
def reasoned_world(graph: Graph) -> Iterator[owlready2.World | None]:
    """HermiT's conclusions on ``graph`` as an owlready2 world (``None``: inconsistent).

    Raises :class:`OntologyError` when Java or HermiT cannot run.
    """
    with tempfile.TemporaryDirectory(prefix="kg-hermit-") as tmp:
        path = Path(tmp) / "graph.nt"
        path.write_bytes(graph.serialize(format="nt", encoding="utf-8"))
        world = owlready2.World()
        onto = world.get_ontology(path.as_uri()).load()
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            world.close()
            yield None
            return
        except (owlready2.OwlReadyError, OSError) as exc:
            world.close()
            raise OntologyError(f"HermiT could not run: {exc}") from exc
        try:
            yield world
        finally:
            world.close()


def _typed_subjects(graph: Graph) -> set[str]:
    """IRIs typed with a class of their own (not only with OWL's or RDFS's vocabulary)."""
    builtin = (str(OWL), str(RDFS))
    return {
        str(s)
        for s, o in graph.subject_objects(RDF.type)
        if isinstance(s, URIRef) and not str(o).startswith(builtin)
    }


def classify(graph: Graph, individuals: Iterable[URIRef] | None = None) -> ReasonerReport:
    """Run HermiT on ``graph``.

    ``individuals`` limits which individuals' types are reported (all when ``None``). Raises
    :class:`OntologyError` when Java or HermiT cannot run.
    """
    wanted = None if individuals is None else {str(i) for i in individuals}
    started = time.perf_counter()
    with reasoned_world(graph) as world:
        if world is None:
            return ReasonerReport(False, seconds=time.perf_counter() - started)
        types: dict[str, set[str]] = {}
        for iri in sorted(wanted if wanted is not None else _typed_subjects(graph)):
            ind = world[iri]
            if isinstance(ind, owlready2.Thing):
                types[iri] = named_ancestors(ind.is_a)
        unsat = unsatisfiable_classes(world)
    return ReasonerReport(True, unsat, types, time.perf_counter() - started)
