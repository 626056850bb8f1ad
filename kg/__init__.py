"""Knowledge graph of cancers, metastatic dissemination routes and anatomy.

>>> import kg
>>> graph = kg.load()                      # the shipped cases, built once and cached
>>> [c.id for c in graph.cases][:2]
['seed-000', 'seed-000-t01']

The package is layered (``docs/design.md``): :mod:`kg.model`, :mod:`kg.engine`,
:mod:`kg.validation` and :mod:`kg.reasoning`, :mod:`kg.store`, :mod:`kg.sparql`, :mod:`kg.api`
and :mod:`kg.synth`, :mod:`kg.cli`. Modules that moved there keep their old import path for one
release, with a deprecation warning (:mod:`kg._moved`).
"""

from kg import _moved
from kg.api import *  # noqa: F403 (the package's public names are kg.api's)
from kg.api import __all__ as __all__

_moved.install()
