"""Members of the API that changed shape, kept working for one release with a warning.

A method without arguments that became a property (``graph.cases()`` is now ``graph.cases``)
returns a :class:`CallableList`: the list itself, which may still be called as before, with a
:class:`DeprecationWarning` naming the new spelling.

>>> import warnings
>>> numbers = CallableList([1, 2], "numbers")
>>> numbers == [1, 2]
True
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     numbers()
[1, 2]
>>> str(caught[0].message)
'numbers() is now a property: write numbers; the call will be removed in cmr-kg 0.3'
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import TypeVar

__all__ = ["REMOVED_IN", "CallableList"]

#: The release that drops the old spellings.
REMOVED_IN = "cmr-kg 0.3"

T = TypeVar("T")


class CallableList(list[T]):
    """A property's list that the old method call ``name()`` still returns, with a warning."""

    def __init__(self, items: Iterable[T], name: str) -> None:
        super().__init__(items)
        self._name = name

    def __call__(self) -> list[T]:
        """The list itself, with a :class:`DeprecationWarning` (the old method call)."""
        warnings.warn(
            f"{self._name}() is now a property: write {self._name}; "
            f"the call will be removed in {REMOVED_IN}",
            DeprecationWarning,
            stacklevel=2,
        )
        return self
