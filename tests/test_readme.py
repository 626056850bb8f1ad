"""The README's Python example runs as written."""

from __future__ import annotations

import doctest

from .conftest import REPO


def test_readme_examples() -> None:
    result = doctest.testfile(
        str(REPO / "README.md"), module_relative=False, optionflags=doctest.ELLIPSIS
    )
    assert result.attempted >= 5
    assert result.failed == 0
