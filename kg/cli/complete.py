"""Shell completion of case identifiers and query names (click's ``shell_complete``).

Completion runs on every Tab, so it builds nothing: case identifiers are the names of the
workspace's case files (``kg add`` stores a case as ``<caseId>.ttl``), query names those of the
catalogue. Where nothing can be read (no workspace at ``--workspace``, an unreadable folder),
it offers nothing and prints nothing. Enable it with ``eval "$(_KG_COMPLETE=bash_source kg)"``
(``zsh_source``, ``fish_source``; see the README).
"""

from __future__ import annotations

from pathlib import Path

import click
from click.shell_completion import CompletionItem

from kg.model.errors import KGError
from kg.sparql.catalogue import catalogue
from kg.store.workspace import find_workspace

__all__ = ["complete_case_id", "complete_query_name", "complete_stored_case_id"]


def _workspace_option(ctx: click.Context) -> Path | None:
    value = ctx.find_root().params.get("workspace")
    return value if isinstance(value, Path) else None


def _case_ids(ctx: click.Context, incomplete: str, *, writable: bool) -> list[CompletionItem]:
    try:
        workspace = find_workspace(_workspace_option(ctx))
        if writable and workspace.read_only:
            return []
        files = workspace.cases.glob("*.ttl")
        names = sorted(p.stem for p in files if not p.name.startswith("."))
    except (KGError, OSError):
        return []
    return [CompletionItem(name) for name in names if name.startswith(incomplete)]


def complete_case_id(
    ctx: click.Context, _param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """The workspace's cases whose identifier starts with ``incomplete``."""
    return _case_ids(ctx, incomplete, writable=False)


def complete_stored_case_id(
    ctx: click.Context, _param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """:func:`complete_case_id` in a workspace one may write (none in the shipped cohort)."""
    return _case_ids(ctx, incomplete, writable=True)


def complete_query_name(
    _ctx: click.Context, _param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """The catalogue's queries whose name starts with ``incomplete``, with their titles."""
    try:
        queries = catalogue()
    except (KGError, OSError):
        return []
    return [
        CompletionItem(name, help=query.title)
        for name, query in queries.items()
        if name.startswith(incomplete)
    ]
