"""Old import paths of modules that moved into subpackages, kept for one release.

``import kg.graphstore`` still works, gives the module now at :mod:`kg.engine.graphstore`, and
warns once with a :class:`DeprecationWarning` naming the new path. One finder on
``sys.meta_path`` does this for every moved module, so no stub files clutter the package.

>>> import sys, warnings
>>> _ = sys.modules.pop("kg.queries", None)  # as in a fresh process
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     import kg.queries as old
>>> import kg.sparql.catalogue as new
>>> old is new, caught[0].category.__name__
(True, 'DeprecationWarning')
>>> str(caught[0].message)
'kg.queries moved to kg.sparql.catalogue; the old path will be removed in cmr-kg 0.3'
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import warnings
from collections.abc import Sequence
from types import ModuleType

__all__ = ["MOVED", "install"]

#: Old module path to new module path (0.1 to 0.2).
MOVED: dict[str, str] = {
    "kg.errors": "kg.model.errors",
    "kg.resources": "kg.model.resources",
    "kg.cache": "kg.model.resources",
    "kg.ontology": "kg.model.ontology",
    "kg.vocabulary": "kg.model.vocabulary",
    "kg.terms": "kg.model.terms",
    "kg.canonical": "kg.model.canonical",
    "kg.queryfile": "kg.model.queryfile",
    "kg.devtools": "kg.model.codegen",
    "kg.graphstore": "kg.engine.graphstore",
    "kg.loader": "kg.validation.loader",
    "kg.checks": "kg.validation.checks",
    "kg.validate": "kg.validation.validate",
    "kg.shacl": "kg.validation.shacl",
    "kg.reporting": "kg.validation.reporting",
    "kg.quality": "kg.validation.quality",
    "kg.reasoner": "kg.reasoning.hermit",
    "kg.classexpr": "kg.reasoning.classexpr",
    "kg.closure": "kg.reasoning.closure",
    "kg.classify": "kg.reasoning.classify",
    "kg.routes": "kg.reasoning.routes",
    "kg.pipeline": "kg.store.pipeline",
    "kg.build": "kg.store.build",
    "kg.graph": "kg.store.cache",
    "kg.formatting": "kg.store.formatting",
    "kg.queries": "kg.sparql.catalogue",
    "kg.writers": "kg.sparql.writers",
    "kg.remote": "kg.sparql.remote",
    "kg.push": "kg.sparql.push",
    "kg.serve": "kg.sparql.serve",
    "kg.explain": "kg.api.explain",
}
_REMOVED_IN = "cmr-kg 0.3"


class _MovedModuleFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds an old module path and loads the module at its new path under the old name."""

    def __init__(self) -> None:
        self._specs: dict[str, importlib.machinery.ModuleSpec | None] = {}

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in MOVED:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        new = MOVED[spec.name]
        warnings.warn(
            f"{spec.name} moved to {new}; the old path will be removed in {_REMOVED_IN}",
            DeprecationWarning,
            stacklevel=2,
        )
        module = importlib.import_module(new)
        self._specs[module.__name__] = module.__spec__
        return module

    def exec_module(self, module: ModuleType) -> None:
        # The import system has just pointed the module's __spec__ at the old name: restore it.
        module.__spec__ = self._specs[module.__name__]


def install() -> None:
    """Put the finder on ``sys.meta_path`` (once)."""
    if not any(isinstance(f, _MovedModuleFinder) for f in sys.meta_path):
        sys.meta_path.append(_MovedModuleFinder())
