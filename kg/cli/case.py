"""``kg case``: one case as a readable clinical summary."""

from __future__ import annotations

import click

from kg.api import Case, KnowledgeGraph
from kg.cli.common import EXIT_LOAD_ERROR, current_workspace, text_format_option
from kg.cli.complete import complete_case_id
from kg.cli.records import case_record, dump
from kg.store.cache import open_store


def case_summary(case: Case) -> str:
    """Patient, primary, lesions along the neuraxis, routes with stance and source."""
    lines = [f"Case {case.id}"]
    source = case.source
    via = case.reported_via
    lines.append(f"  Source: {source.label}" + (f" (as cited in {via.label})" if via else ""))
    patient = case.patient
    if patient is not None:
        facts = [x for x in (patient.age, patient.sex.label if patient.sex else None) if x]
        lines.append(f"  Patient: {', '.join(facts) or 'not described'}")
    organ = case.organ
    lines.append(f"  Primary: {case.primary.label}" + (f" of the {organ.label}" if organ else ""))
    lines.append("  Lesions (along the neuraxis):")
    for lesion in case.lesions:
        where = ", ".join(s.label for s in lesion.sites)
        details = []
        if lesion.levels:
            upper, lower = lesion.levels
            span = upper.label.split()[0] + (
                "" if upper.iri == lower.iri else "-" + lower.label.split()[0]
            )
            details.append(span)
        if lesion.laterality:
            details.append(lesion.laterality.label)
        if lesion.compartment:
            details.append(lesion.compartment.label)
        details += lesion.size
        kinds = [k.label for k in lesion.classes if "nervous system" not in k.label]
        lines.append(f"    - {where}" + (f" ({'; '.join(details)})" if details else ""))
        if kinds:
            lines.append(f"      classes: {', '.join(sorted(kinds))}")
        for assertion in lesion.route_assertions:
            by = ", ".join(p.label for p in assertion.by) or "the graph's rules"
            lines.append(f"      route: {assertion.route.label}: {assertion.stance.label} by {by}")
    if case.findings:
        kinds = sorted({k.label for f in case.findings for k in f.kinds})
        lines.append(f"  Findings: {', '.join(kinds)}")
    if case.treatments:
        kinds = sorted({k.label for t in case.treatments for k in t.kinds})
        lines.append(f"  Treatments: {', '.join(kinds)}")
    if case.outcome:
        lines.append(f"  Outcome: {case.outcome.label}")
    return "\n".join(lines) + "\n"


@click.command("case")
@click.argument("case_id", shell_complete=complete_case_id)
@text_format_option
@click.option("--rebuild", is_flag=True, help="Rebuild the graph instead of using the cache.")
def case_command(case_id: str, fmt: str, rebuild: bool) -> None:
    """Print case CASE_ID (for example seed-000) as a clinical summary."""
    graph = KnowledgeGraph(store=open_store(current_workspace().cases, rebuild=rebuild))
    try:
        case = graph.case(case_id)
    except KeyError as err:
        click.echo(f"kg: {err.args[0]}", err=True)
        raise SystemExit(EXIT_LOAD_ERROR) from err
    click.echo(dump(case_record(case)) if fmt == "json" else case_summary(case), nl=False)
