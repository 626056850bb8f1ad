"""A curator's workspace: a folder of case files that every command reads and writes.

A workspace is a folder holding ``kg-workspace.toml`` (the marker), ``cases/`` and
``cases/sources/``. Commands use, in this order: the folder given with ``--workspace`` (or to
:func:`find_workspace`), ``$CMR_KG_WORKSPACE``, the first workspace found from the current
directory upward (as git finds its repository), else the shipped cohort, read-only. Nothing is
ever written inside an installed package.

>>> import tempfile
>>> home = init_workspace(Path(tempfile.mkdtemp()) / "my-cohort")
>>> sorted(p.name for p in home.root.iterdir())
['.gitignore', 'cases', 'kg-workspace.toml']
>>> find_workspace(start=home.cases / "sources") == home
True
>>> find_workspace(start=Path("/")).read_only
True
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from kg.model.errors import KGError
from kg.model.resources import CASES_DIR

__all__ = [
    "ENV_VARIABLE",
    "MARKER",
    "Workspace",
    "WorkspaceError",
    "find_workspace",
    "init_workspace",
]

MARKER = "kg-workspace.toml"
ENV_VARIABLE = "CMR_KG_WORKSPACE"
_CONFIG = """# A kg workspace: `kg` commands run in this folder or below it use its cases/.
# Settings (all optional):
#   max_file_mb = 5      # a case file larger than this is refused (also $CMR_KG_MAX_FILE_MB)
[workspace]
"""
_IGNORE = """# written by kg while it works (removed when done); never part of the cohort
.*.tmp-*
"""


class WorkspaceError(KGError):
    """A workspace cannot be found, made or written."""


@dataclass(frozen=True)
class Workspace:
    """Where the cases are; ``read_only`` for the shipped cohort outside any workspace."""

    root: Path
    cases: Path
    read_only: bool = False

    @classmethod
    def shipped(cls) -> Workspace:
        """The cohort that ships with the package, read-only."""
        return cls(CASES_DIR.parent, CASES_DIR, read_only=True)

    @classmethod
    def at(cls, root: Path) -> Workspace:
        """The workspace whose marker is in ``root``; :class:`WorkspaceError` if none is."""
        if not (root / MARKER).is_file():
            raise WorkspaceError(
                f"{root} is not a kg workspace (it has no {MARKER}); make one with `kg init {root}`"
            )
        return cls(root.resolve(), root.resolve() / "cases")

    def writable_cases(self) -> Path:
        """The case folder to write to; refuses the shipped cohort."""
        if self.read_only:
            raise WorkspaceError(
                "no workspace here: the shipped cohort is read-only. Make one with "
                "`kg init DIR` (add --from-shipped to start from the shipped cases), then run "
                f"kg inside it, or give --workspace DIR (or set ${ENV_VARIABLE})"
            )
        return self.cases


def find_workspace(explicit: Path | None = None, *, start: Path | None = None) -> Workspace:
    """The workspace commands use (see the module's docstring for the order)."""
    if explicit is not None:
        return Workspace.at(explicit)
    named = os.environ.get(ENV_VARIABLE, "").strip()
    if named:
        return Workspace.at(Path(named))
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / MARKER).is_file():
            return Workspace.at(folder)
    return Workspace.shipped()


def init_workspace(root: Path, *, from_shipped: bool = False) -> Workspace:
    """Make a workspace at ``root`` (a new or empty folder), optionally with the shipped cases."""
    if (root / MARKER).exists():
        raise WorkspaceError(f"{root} is already a kg workspace")
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise WorkspaceError(f"{root} is not an empty folder; give a new or empty one")
    try:
        root.mkdir(parents=True, exist_ok=True)
        if from_shipped:
            shutil.copytree(CASES_DIR, root / "cases")
        (root / "cases" / "sources").mkdir(parents=True, exist_ok=True)
        (root / ".gitignore").write_text(_IGNORE, encoding="utf-8")
        (root / MARKER).write_text(_CONFIG, encoding="utf-8")
    except OSError as exc:
        raise WorkspaceError(f"{root}: cannot make the workspace: {exc.strerror}") from exc
    return Workspace.at(root)
