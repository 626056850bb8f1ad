"""Drawing and writing synthetic cohorts shaped like the curated one (``kg synth``).

Nothing here is clinical data. Every case is ``case:synth-S-NNNNNN`` (``S`` the seed), says so in
its ``cmr:description``, is ``cmr:describedIn`` the publication-like node ``pub:synthetic-S``
of the generated ``sources/synthetic-S.ttl`` and rests, node by node, on excerpts of that file
that state the statement is synthetic.

How a case is sampled, from the templates and pools of :mod:`kg.synth.cohort`:

1. **Template.** A curated case is drawn uniformly, so rich case reports and small table rows
   keep the cohort's proportion. Its structure is kept (:mod:`kg.synth.templates`).
2. **Primary.** A curated primary (classes, organ, side) is drawn. A template with nodes tied to
   its primary's organ (treatments, procedures, diagnoses, local recurrences: every full case
   report) draws among primaries of the same organ, so a gastrectomy stays with a gastric
   cancer; a table row draws among all primaries. Diagnoses name the drawn class.
3. **Lesions.** The sites are those of a curated lesion with the same signature (class and site
   kinds), so every site is one the cohort uses, stays allowed in the template's compartment
   and keeps its findings and routes plausible (a root for a root, a cord structure for a cord
   structure). A level range, where the template has one, is the span of the sites' own levels
   (``cmr:atLevel``), else the source lesion's (or the template's) range shifted by at most one
   level; it is ordered. Side and multiplicity come from curated lesions of the same signature,
   timing from all curated lesions; sizes are curated sizes with jitter.
4. **Values.** Age: a curated age +/- 5 years; sex: among curated patients with the same
   primary organ; durations: a curated duration between the same kinds of events (say,
   treatment to outcome) with +/-25 % jitter; outcome: a curated outcome class; stance: among
   curated assertions of the same route. Everything else is the template's: findings,
   procedures, treatments with their drugs and doses, markers, misdiagnoses, the routes
   asserted and their evidence codes.

Case ``i`` depends only on the seed and ``i``: the same seed and N give byte-identical files,
and the first 1,000 cases of a 100,000-case cohort are the 1,000-case cohort. Files are Turtle
written from string templates (:mod:`kg.synth.turtle`), one case at a time, so memory stays
bounded.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from tqdm import tqdm

from kg.model.errors import KGError
from kg.model.namespace import CMR
from kg.model.ontology import DATA_NS
from kg.model.progress import bar_disabled
from kg.synth.cohort import ANY, Cohort, PrimaryDraw, load_cohort
from kg.synth.templates import ROLES, CaseTemplate, NodeTemplate, Quantity
from kg.synth.turtle import (
    AGE,
    ASSERTED_BY,
    CASE,
    CASE_ID,
    COMPARTMENT,
    DESCRIBED_IN,
    DESCRIPTION,
    DIAGNOSED_AS,
    DURATION,
    LOWER,
    MULTIPLICITY,
    ORGAN,
    PREFIXES,
    PRIMARY_NEOPLASM,
    SEX,
    SIDE,
    SITE,
    SIZE,
    STANCE,
    SUPPORTED_BY,
    TIMING,
    UPPER,
    curie,
    statement,
    string_literal,
)

__all__ = ["OutputNotEmptyError", "SynthSummary", "generate", "synthetic_case_id"]

T = TypeVar("T")

_CASE_NS = DATA_NS + "case/"


class OutputNotEmptyError(KGError):
    """The output folder already holds files; nothing is overwritten."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        super().__init__(
            f"output folder {directory} is not empty; choose a new or empty folder "
            "(nothing was written)"
        )


@dataclass
class SynthSummary:
    """What :func:`generate` wrote."""

    directory: Path
    cases: int = 0
    lesions: int = 0
    route_assertions: int = 0
    templates: dict[str, int] = field(default_factory=dict)


@dataclass
class _Draw:
    """The random state and case-wide draws of one synthetic case."""

    rng: random.Random
    cohort: Cohort
    primary: PrimaryDraw
    seed: int

    def pick(self, pool: Sequence[T], default: T) -> T:
        """A value drawn from ``pool``, or ``default`` when the pool is empty."""
        return self.rng.choice(pool) if pool else default


def _draw_primary(template: CaseTemplate, cohort: Cohort, rng: random.Random) -> PrimaryDraw:
    key = template.organ if template.organ is not None else ANY
    return rng.choice(cohort.primaries.get(key) or cohort.primaries[ANY])


def _resample(node: NodeTemplate, draw: _Draw) -> tuple[tuple[str, ...], list[tuple[str, str]]]:
    """The node's types and properties for this case."""
    types, props = node.types, list(node.fixed)
    quantities = [(p, _draw_quantity(node, p, q, draw)) for p, q in node.quantities]
    if node.role == "primary":
        types = (PRIMARY_NEOPLASM, *draw.primary.classes)
        props += [(ORGAN, o) for o in draw.primary.organs]
        props += [(SIDE, s) for s in draw.primary.sides]
    elif node.role == "lesion":
        props += _lesion_props(node, draw)
    elif node.role == "patient":
        pool = draw.cohort.sexes.get(draw.primary.organs) or draw.cohort.sexes.get(ANY, ())
        props += [(SEX, draw.pick(pool, s)) for s in node.values(SEX)]
    elif node.role == "outcome":
        types = draw.pick(draw.cohort.outcomes, types)
    elif node.role == "route":
        pool = draw.cohort.stances.get(node.key, ())
        props += [(STANCE, draw.pick(pool, s)) for s in node.values(STANCE)]
        props.append((ASSERTED_BY, f"pub:synthetic-{draw.seed}"))
    elif node.role == "diagnosis":
        props += [(DIAGNOSED_AS, c) for c in draw.primary.classes[:1]]
    props += [(p, q.turtle()) for p, q in quantities]
    props.append((SUPPORTED_BY, f"synth:q-{node.role}"))
    return types, props


def _draw_quantity(node: NodeTemplate, predicate: str, own: Quantity, draw: _Draw) -> Quantity:
    """Age, size and duration drawn from the cohort with jitter; other quantities kept."""
    rng, cohort = draw.rng, draw.cohort
    if predicate == AGE:
        base = rng.choice(cohort.ages) if cohort.ages else own
        return Quantity(min(95, max(18, round(base.value) + rng.randint(-5, 5))), base.unit)
    if predicate == SIZE:
        base = rng.choice(cohort.sizes.get((node.role,), (own,)))
        return Quantity(max(0.1, round(base.value * rng.uniform(0.8, 1.25), 1)), base.unit)
    if predicate == DURATION:
        base = rng.choice(cohort.durations.get(node.key, (own,)))
        value = base.value * rng.uniform(0.75, 1.25)
        return Quantity(round(value) if value >= 3 else round(value, 1), base.unit)
    return own


def _lesion_props(node: NodeTemplate, draw: _Draw) -> list[tuple[str, str]]:
    rng, cohort = draw.rng, draw.cohort
    source = rng.choice(cohort.lesions[node.key])
    props = [(SITE, site) for site in source.sites]
    props += [(COMPARTMENT, c) for c in node.values(COMPARTMENT)]
    upper, lower = node.values(UPPER), node.values(LOWER)
    if upper and lower:
        own = (cohort.level_index[upper[0]], cohort.level_index[lower[0]])
        top, bottom = source.site_span or _shifted(source.levels or own, cohort, rng)
        props.append((UPPER, cohort.level_names[top]))
        props.append((LOWER, cohort.level_names[bottom]))
    for predicate, pool in (
        (SIDE, cohort.sides.get(node.key, ())),
        (MULTIPLICITY, cohort.multiplicities.get(node.key, ())),
        (TIMING, cohort.timings),
    ):
        props += [(predicate, draw.pick(pool, v)) for v in node.values(predicate)]
    return props


def _shifted(levels: tuple[int, int], cohort: Cohort, rng: random.Random) -> tuple[int, int]:
    """A level range moved up or down by at most one level, within the spine."""
    shift = rng.choice((-1, 0, 0, 1))
    top, bottom = levels[0] + shift, levels[1] + shift
    if top in cohort.level_names and bottom in cohort.level_names:
        return top, bottom
    return levels


# ------------------------------------------------------------------ writing


def _header(case_id: str, seed: int) -> str:
    return (
        f"@prefix : <{_CASE_NS}{case_id}/> .\n"
        f"@prefix case: <{_CASE_NS}> .\n"
        f"@prefix cmr: <{PREFIXES['cmr']}> .\n"
        f"@prefix obo: <{PREFIXES['obo']}> .\n"
        f"@prefix pub: <{DATA_NS}publication/> .\n"
        f"@prefix synth: <{DATA_NS}source/synthetic-{seed}/> .\n"
        f"@prefix unit: <{PREFIXES['unit']}> .\n\n"
    )


def synthetic_case_id(seed: int, index: int) -> str:
    """The identifier of synthetic case ``index`` (from 1) of the cohort of ``seed``.

    >>> synthetic_case_id(7, 42)
    'synth-7-000042'
    """
    return f"synth-{seed}-{index:06d}"


def _case_text(seed: int, index: int, cohort: Cohort) -> tuple[str, CaseTemplate]:
    """The Turtle text of synthetic case ``index``, and the template it was modelled on."""
    rng = random.Random(f"kg-synth:{seed}:{index}")
    template = rng.choice(cohort.templates)
    draw = _Draw(rng, cohort, _draw_primary(template, cohort, rng), seed)
    identifier = synthetic_case_id(seed, index)
    description = (
        f"Synthetic case {index} of the cohort generated by `kg synth` with seed {seed}, "
        f"shaped like the curated case {template.case_id}; not clinical data."
    )
    case_props = [
        (CASE_ID, string_literal(identifier)),
        (DESCRIBED_IN, f"pub:synthetic-{seed}"),
        (DESCRIPTION, string_literal(description)),
        (SUPPORTED_BY, "synth:q-case"),
    ]
    body = []
    for node in template.nodes:
        link = ROLES[node.role]
        if link is not None:
            case_props.append((link, f":{node.name}"))
        types, props = _resample(node, draw)
        body.append(statement(f":{node.name}", types, props))
    head = statement(f"case:{identifier}", [CASE], case_props)
    return _header(identifier, seed) + head + "\n" + "\n".join(body), template


def _source_text(seed: int) -> str:
    """The publication-like node and the excerpts every synthetic statement cites."""
    pub = f"pub:synthetic-{seed}"
    lines = [
        f"@prefix cmr: <{PREFIXES['cmr']}> .\n"
        f"@prefix pub: <{DATA_NS}publication/> .\n"
        f"@prefix synth: <{DATA_NS}source/synthetic-{seed}/> .\n",
        statement(
            pub,
            [curie(CMR.Publication)],
            [
                (
                    curie(CMR.title),
                    string_literal(f"Synthetic cohort generated by `kg synth` (seed {seed})"),
                ),
                (
                    DESCRIPTION,
                    string_literal(
                        "Not a publication and not clinical data: synthetic cases generated by "
                        f"`kg synth` with seed {seed} from the structure and value distributions "
                        "of the curated cohort, for benchmarks. No case describes a real patient."
                    ),
                ),
            ],
        ),
    ]
    for role in ("case", *ROLES):
        text = (
            f"Synthetic statement ({role}) generated by `kg synth` with seed {seed}; "
            "it describes no real patient and quotes no publication."
        )
        props = [
            (curie(CMR.excerptText), string_literal(text)),
            (curie(CMR.inPublication), pub),
            (curie(CMR.locator), string_literal(f"Synthetic cohort, seed {seed}, {role}")),
        ]
        lines.append(statement(f"synth:q-{role}", [curie(CMR.SourceExcerpt)], props))
    return "\n".join(lines)


def _prepare(directory: Path) -> None:
    """Create ``directory`` (and ``sources/``), refusing one that already holds anything."""
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise OutputNotEmptyError(directory)
    (directory / "sources").mkdir(parents=True, exist_ok=True)


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8", newline="\n")


def generate(
    n: int,
    seed: int,
    directory: Path,
    *,
    progress: bool = True,
    cohort: Cohort | None = None,
) -> SynthSummary:
    """Write ``n`` synthetic cases and their source file into ``directory`` (new or empty).

    ``cohort`` defaults to the shipped cases (:func:`load_cohort`). Raises
    :class:`OutputNotEmptyError` rather than write into a folder that holds anything.
    """
    if n < 1 or seed < 0:
        raise KGError(f"need at least one case and a seed of 0 or more (got {n} and {seed})")
    _prepare(directory)
    cohort = cohort or load_cohort()
    _write(directory / "sources" / f"synthetic-{seed}.ttl", _source_text(seed))
    summary = SynthSummary(directory)
    for index in tqdm(range(1, n + 1), desc="synth", unit="case", disable=bar_disabled(progress)):
        text, template = _case_text(seed, index, cohort)
        _write(directory / f"{synthetic_case_id(seed, index)}.ttl", text)
        summary.cases += 1
        summary.lesions += sum(1 for node in template.nodes if node.role == "lesion")
        summary.route_assertions += sum(1 for node in template.nodes if node.role == "route")
        summary.templates[template.case_id] = summary.templates.get(template.case_id, 0) + 1
    return summary
