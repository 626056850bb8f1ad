"""The package's architecture: layers imported one way, no cycles, small modules.

The layers and their contract are in ``pyproject.toml`` (``[tool.importlinter]``) and drawn in
``docs/design.md``; import-linter checks them.
"""

from __future__ import annotations

import ast
import importlib
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import grimp
import pytest

import kg
from kg._moved import MOVED
from tests.conftest import REPO

PACKAGE = REPO / "kg"
LAYERS = [
    "model",
    "engine",
    "validation",
    "reasoning",
    "store",
    "sparql",
    "api",
    "synth",
    "release",
    "cli",
]
LINE_LIMIT = 400


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` with the project's contract, on the package found under ``root``."""
    exe = shutil.which("lint-imports")
    assert exe is not None, "import-linter is a dev dependency: run `uv sync`"
    return subprocess.run(
        [exe, "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": str(Path(exe).parent)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_layering_contract_holds() -> None:
    result = lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


@pytest.mark.parametrize(
    ("module", "forbidden"),
    [
        ("model/files.py", "kg.store.build"),  # a lower layer reaching up
        ("validation/checks.py", "kg.reasoning.routes"),  # two independent layers
        ("engine/results.py", "kg.namespace"),  # a layer using the top-level public module
    ],
)
def test_the_contract_fails_on_a_forbidden_import(
    tmp_path: Path, module: str, forbidden: str
) -> None:
    shutil.copytree(PACKAGE, tmp_path / "kg", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "kg" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\nimport {forbidden}\n")
    result = lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    importer = "kg." + module.removesuffix(".py").replace("/", ".")
    assert f"{importer} -> {forbidden}" in result.stdout


def _cycles() -> list[set[str]]:
    """The strongly connected groups of two or more modules (Tarjan), run-time imports only."""
    graph = grimp.build_graph("kg", exclude_type_checking_imports=True, cache_dir=None)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.find_modules_directly_imported_by(node):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return groups


def test_no_import_cycles_anywhere() -> None:
    # Imports under `if TYPE_CHECKING:` are left out: they never run.
    assert _cycles() == []


def _generated(path: Path) -> bool:
    head = path.read_text(encoding="utf-8").splitlines()[:3]
    return any("GENERATED FILE" in line for line in head)


def test_no_hand_written_module_over_the_limit() -> None:
    long = {
        str(p.relative_to(REPO)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > LINE_LIMIT and not _generated(p)
    }
    assert long == {}


def test_generated_modules_say_how_to_regenerate() -> None:
    generated = [p for p in PACKAGE.rglob("*.py") if _generated(p)]
    assert generated, "kg/model/namespace.py is generated"
    for path in generated:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert "do not edit" in first and "regenerate with" in first, path


@pytest.mark.parametrize("layer", LAYERS)
def test_each_layer_says_what_it_owns_and_may_import(layer: str) -> None:
    init = PACKAGE / layer / "__init__.py"
    doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
    assert doc, f"{init} needs a docstring"
    assert "import" in doc, f"{init}: say which layers it may import"


@pytest.mark.parametrize("old", sorted(MOVED))
def test_old_import_paths_work_with_a_deprecation_warning(old: str) -> None:
    sys.modules.pop(old, None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        module = importlib.import_module(old)
    assert module is importlib.import_module(MOVED[old])
    assert module.__spec__ is not None and module.__spec__.name == MOVED[old]
    assert [w.category for w in caught] == [DeprecationWarning]
    assert MOVED[old] in str(caught[0].message)


def test_the_documented_public_names_stay_where_they_were() -> None:
    from kg.namespace import CMR

    assert callable(kg.load)
    assert str(CMR.NerveRootS1) == "https://w3id.org/cmr/NerveRootS1"
