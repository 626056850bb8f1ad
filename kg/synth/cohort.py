"""The curated cohort as templates and the pools synthetic values are drawn from.

The distributions are read at run time from the shipped cohort (the curated case files and the
ontology); no clinical value is written in this package. Every value a template holds is pooled
under the key draws use: primaries by organ, lesion sites, sides and multiplicities by the
lesion's signature, sizes by role, sexes by primary organ, durations by the kinds of events
they separate, stances by route; ages, timings and outcomes form one pool each.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from rdflib import URIRef

from kg.model.errors import KGError
from kg.model.namespace import CMR
from kg.model.ontology import ontology_graph
from kg.model.resources import CASES_DIR
from kg.synth.templates import Anatomy, CaseTemplate, Key, NodeTemplate, Quantity, case_template
from kg.synth.turtle import (
    AGE,
    DURATION,
    LOWER,
    MULTIPLICITY,
    ORGAN,
    PRIMARY_NEOPLASM,
    SEX,
    SIDE,
    SITE,
    SIZE,
    STANCE,
    TIMING,
    UPPER,
)
from kg.validation.loader import case_files, load_files

__all__ = ["ANY", "Cohort", "LesionSource", "PrimaryDraw", "load_cohort"]

T = TypeVar("T")

#: the key of a pool that holds the values of every organ
ANY: Key = ("*",)


@dataclass(frozen=True)
class PrimaryDraw:
    """A curated primary: its neoplasm classes, organs and sides."""

    classes: tuple[str, ...]
    organs: Key
    sides: tuple[str, ...]


@dataclass(frozen=True)
class LesionSource:
    """A curated lesion's sites and level range (level indexes)."""

    sites: tuple[str, ...]
    site_span: tuple[int, int] | None
    levels: tuple[int, int] | None


@dataclass(frozen=True)
class Cohort:
    """The curated cohort as templates and the pools values are drawn from."""

    templates: tuple[CaseTemplate, ...]
    primaries: Mapping[Key, tuple[PrimaryDraw, ...]]
    lesions: Mapping[Key, tuple[LesionSource, ...]]
    sides: Mapping[Key, tuple[str, ...]]
    multiplicities: Mapping[Key, tuple[str, ...]]
    timings: tuple[str, ...]
    sizes: Mapping[Key, tuple[Quantity, ...]]
    ages: tuple[Quantity, ...]
    sexes: Mapping[Key, tuple[str, ...]]
    durations: Mapping[Key, tuple[Quantity, ...]]
    outcomes: tuple[tuple[str, ...], ...]
    stances: Mapping[Key, tuple[str, ...]]
    level_index: Mapping[str, int]
    level_names: Mapping[int, str]


def load_cohort(paths: Sequence[Path] | None = None) -> Cohort:
    """Read the curated cohort (default: the shipped cases) into templates and pools."""
    loaded = load_files(paths if paths is not None else case_files(CASES_DIR))
    if loaded.syntax_errors:
        raise loaded.syntax_errors[0]
    graph = loaded.graph()
    anatomy = Anatomy.of(ontology_graph())
    cases = sorted(
        (str(case_id), case)
        for case, case_id in graph.subject_objects(CMR.caseId)
        if isinstance(case, URIRef)
    )
    if not cases:
        raise KGError("the curated cohort holds no case to model synthetic cases on")
    templates = tuple(case_template(case_id, case, graph, anatomy) for case_id, case in cases)
    return _pools(templates, anatomy)


def _lists() -> defaultdict[Key, list[Any]]:
    return defaultdict(list)


@dataclass
class _Pools:
    """The values the templates hold, grouped by the key draws use."""

    primaries: defaultdict[Key, list[PrimaryDraw]] = field(default_factory=_lists)
    lesions: defaultdict[Key, list[LesionSource]] = field(default_factory=_lists)
    sides: defaultdict[Key, list[str]] = field(default_factory=_lists)
    multiplicities: defaultdict[Key, list[str]] = field(default_factory=_lists)
    timings: list[str] = field(default_factory=list)
    sizes: defaultdict[Key, list[Quantity]] = field(default_factory=_lists)
    ages: list[Quantity] = field(default_factory=list)
    sexes: defaultdict[Key, list[str]] = field(default_factory=_lists)
    durations: defaultdict[Key, list[Quantity]] = field(default_factory=_lists)
    outcomes: list[tuple[str, ...]] = field(default_factory=list)
    stances: defaultdict[Key, list[str]] = field(default_factory=_lists)

    def add(self, node: NodeTemplate, organ: Key, anatomy: Anatomy) -> None:
        """Add a template node's values."""
        for predicate, quantity in node.quantities:
            if predicate == SIZE:
                self.sizes[(node.role,)].append(quantity)
            elif predicate == AGE:
                self.ages.append(quantity)
            elif predicate == DURATION:
                self.durations[node.key].append(quantity)
        if node.role == "primary":
            classes = tuple(t for t in node.types if t != PRIMARY_NEOPLASM)
            draw = PrimaryDraw(classes, organ, node.values(SIDE))
            self.primaries[organ].append(draw)
            self.primaries[ANY].append(draw)
        elif node.role == "lesion":
            self.lesions[node.key].append(_lesion_source(node, anatomy))
            self.sides[node.key].extend(node.values(SIDE))
            self.multiplicities[node.key].extend(node.values(MULTIPLICITY))
            self.timings.extend(node.values(TIMING))
        elif node.role == "patient":
            self.sexes[organ].extend(node.values(SEX))
            self.sexes[ANY].extend(node.values(SEX))
        elif node.role == "outcome":
            self.outcomes.append(node.types)
        elif node.role == "route":
            self.stances[node.key].extend(node.values(STANCE))


def _frozen(pool: Mapping[Key, list[T]]) -> dict[Key, tuple[T, ...]]:
    return {key: tuple(values) for key, values in sorted(pool.items())}


def _pools(templates: tuple[CaseTemplate, ...], anatomy: Anatomy) -> Cohort:
    """The cohort: its templates and every value they hold, pooled."""
    pools = _Pools()
    for template in templates:
        primary = next((n for n in template.nodes if n.role == "primary"), None)
        organ = primary.values(ORGAN) if primary is not None else ()
        for node in template.nodes:
            pools.add(node, organ, anatomy)
    return Cohort(
        templates=templates,
        primaries=_frozen(pools.primaries),
        lesions=_frozen(pools.lesions),
        sides=_frozen(pools.sides),
        multiplicities=_frozen(pools.multiplicities),
        timings=tuple(pools.timings),
        sizes=_frozen(pools.sizes),
        ages=tuple(pools.ages),
        sexes=_frozen(pools.sexes),
        durations=_frozen(pools.durations),
        outcomes=tuple(pools.outcomes),
        stances=_frozen(pools.stances),
        level_index=dict(anatomy.level_index),
        level_names={i: name for name, i in anatomy.level_index.items()},
    )


def _lesion_source(node: NodeTemplate, anatomy: Anatomy) -> LesionSource:
    sites = node.values(SITE)
    site_levels = [anatomy.site_level(s) for s in sites]
    known = [level for level in site_levels if level is not None]
    span = (min(known), max(known)) if known and len(known) == len(sites) else None
    upper, lower = node.values(UPPER), node.values(LOWER)
    levels = None
    if upper and lower:
        levels = (anatomy.level_index[upper[0]], anatomy.level_index[lower[0]])
    return LesionSource(sites, span, levels)
