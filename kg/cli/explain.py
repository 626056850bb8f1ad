"""``kg explain`` and ``kg routes``: the rules' candidate routes beside the authors' routes."""

from __future__ import annotations

import textwrap
from pathlib import Path

import click

from kg.api.explain import CaseExplanation, LesionExplanation, explain_case
from kg.api.graph import load
from kg.cli.common import (
    EXIT_LOAD_ERROR,
    current_workspace,
    output_option,
    result_format_option,
    text_format_option,
)
from kg.cli.complete import complete_case_id
from kg.cli.query import query_command
from kg.cli.records import dump, explanation_record

_WIDTH = 100


def _wrap(text: str, indent: str, first: str = "") -> list[str]:
    return textwrap.wrap(
        text, _WIDTH, initial_indent=indent + first, subsequent_indent=indent + " " * len(first)
    )


def _lesion_lines(item: LesionExplanation) -> list[str]:
    name = item.lesion.iri.rsplit("/", 1)[-1]
    lines = [f"Lesion {name}", *_wrap(item.facts, "  ", "facts: ")]
    if not item.inferences:
        lines.append("  no rule infers a route for it")
    for number, inference in enumerate(item.inferences, start=1):
        lines.append(f"  candidate route {number}: {inference.route.label}")
        lines += [line for fact in inference.facts for line in _wrap(fact, "    ", "fact: ")]
        lines += _wrap(f"{inference.rule.label}: {inference.rationale}", "    ", "rule: ")
        lines.append(f"    => {inference.route.label} (inferred)")
        lines += [line for v in inference.verdicts for line in _wrap(v, "    ", "compared: ")]
    if not item.authors:
        lines.append("  the authors assert no route for it")
    for said in item.authors:
        by = ", ".join(said.publications)
        lines += _wrap(f"{said.route.label}: {said.stance.label} by {by}", "  ", "authors: ")
        lines += [line for v in said.verdicts for line in _wrap(v, "    ", "verdict: ")]
    return lines


def render(explanation: CaseExplanation) -> str:
    """The explanation as text: one block per lesion along the neuraxis."""
    lines = [f"Case {explanation.case.id}: primary {explanation.primary}", ""]
    for item in explanation.lesions:
        lines += [*_lesion_lines(item), ""]
    return "\n".join(lines)


@click.command("explain")
@click.argument("case_id", shell_complete=complete_case_id)
@text_format_option
@click.option("--rebuild", is_flag=True, help="Rebuild the graph instead of using the cache.")
def explain_command(case_id: str, fmt: str, rebuild: bool) -> None:
    """Explain how each lesion of case CASE_ID may have spread there.

    For each lesion: the facts, the rule and the candidate route it infers, then the routes the
    authors assert and whether they agree (see docs/route-inference.md).
    """
    try:
        explanation = explain_case(load(current_workspace().cases, cache=not rebuild), case_id)
    except KeyError as err:
        click.echo(f"kg: {err.args[0]}", err=True)
        raise SystemExit(EXIT_LOAD_ERROR) from err
    text = dump(explanation_record(explanation)) if fmt == "json" else render(explanation)
    click.echo(text, nl=False)


@click.command("routes")
@click.option(
    "--case",
    "case_id",
    metavar="ID",
    default=None,
    shell_complete=complete_case_id,
    help="Only this case (seed-001).",
)
@result_format_option
@output_option
@click.option("--rebuild", is_flag=True, help="Rebuild the graph instead of using the cache.")
@click.pass_context
def routes_command(
    ctx: click.Context, case_id: str | None, fmt: str, output: Path | None, rebuild: bool
) -> None:
    """Compare, per lesion, the routes the authors give with those the rules infer.

    This is the catalogue query route_agreement: agree, disagree, only inferred or only the
    authors (see docs/route-inference.md).
    """
    params: tuple[str, ...] = ()
    if case_id is not None:
        try:
            load(current_workspace().cases, cache=not rebuild).case(case_id)
        except KeyError as err:
            click.echo(f"kg: {err.args[0]}", err=True)
            raise SystemExit(EXIT_LOAD_ERROR) from err
        params = (f"case=case:{case_id}",)
    ctx.invoke(
        query_command,
        name="route_agreement",
        params=params,
        fmt=fmt,
        output=output,
        rebuild=rebuild,
        endpoint=None,
        timeout=60,
    )
