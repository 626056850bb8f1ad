"""The errors this package raises: each says where the problem is and what to do about it.

Every error derives from :class:`KGError`. Errors about an input file carry its path and, where
known, the line and column (1-based), like Python's own :class:`SyntaxError`.

>>> err = UnknownTermError("cases/x.ttl", 12, 5, term="cmr:NerveRootS9",
...                        suggestions=["cmr:NerveRootS2", "cmr:NerveRootS1"])
>>> print(err)
cases/x.ttl:12:5: unknown term cmr:NerveRootS9; did you mean cmr:NerveRootS2 or cmr:NerveRootS1?
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "BadReferenceError",
    "CrossCaseReferenceError",
    "DanglingReferenceError",
    "DuplicateCaseError",
    "InputError",
    "KGError",
    "OntologyError",
    "ShapesError",
    "TurtleSyntaxError",
    "UnknownTermError",
    "UnreadableFileError",
]


class KGError(Exception):
    """Base class of the package's errors."""


class OntologyError(KGError):
    """The ontology itself is unusable (missing, inconsistent, not OWL 2 DL)."""


class ShapesError(KGError):
    """The SHACL shapes themselves cannot run."""


class InputError(KGError):
    """A problem in an input file, at a place in it."""

    def __init__(self, path: str, line: int | None = None, column: int | None = None) -> None:
        self.path = path
        self.line = line
        self.column = column
        super().__init__(str(self))

    @property
    def place(self) -> str:
        """``path:line:column``, as far as they are known."""
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def message(self) -> str:
        """What is wrong and how to fix it; subclasses say it."""
        raise NotImplementedError

    def __str__(self) -> str:
        return f"{self.place}: {self.message()}"


class TurtleSyntaxError(InputError):
    """The file is not valid Turtle."""

    def __init__(self, path: str, line: int | None, column: int | None, *, detail: str) -> None:
        self.detail = detail
        super().__init__(path, line, column)

    def message(self) -> str:  # noqa: D102
        return f"Turtle syntax error: {self.detail}"


class UnreadableFileError(TurtleSyntaxError):
    """The file cannot be taken as a case file: unreadable, too large, not UTF-8, empty, ..."""

    def __init__(
        self, path: str, line: int | None = None, column: int | None = None, *, detail: str
    ) -> None:
        super().__init__(path, line, column, detail=detail)

    def message(self) -> str:  # noqa: D102
        return self.detail


class UnknownTermError(InputError):
    """The file uses an ontology term that the ontology does not define."""

    def __init__(
        self,
        path: str,
        line: int | None,
        column: int | None,
        *,
        term: str,
        suggestions: Sequence[str] = (),
    ) -> None:
        self.term = term
        self.suggestions = list(suggestions)
        super().__init__(path, line, column)

    def message(self) -> str:  # noqa: D102
        text = f"unknown term {self.term}"
        if self.suggestions:
            text += "; did you mean " + " or ".join(self.suggestions) + "?"
        else:
            text += "; look it up with `kg terms WORD`"
        return text


class DuplicateCaseError(InputError):
    """Two cases share one identifier."""

    def __init__(
        self, path: str, line: int | None, column: int | None, *, case_id: str, other: str
    ) -> None:
        self.case_id = case_id
        self.other = other
        super().__init__(path, line, column)

    def message(self) -> str:  # noqa: D102
        return (
            f"case identifier {self.case_id!r} is already used in {self.other}; "
            "give this case a new identifier"
        )


class BadReferenceError(InputError):
    """A case node points at a node it should not: ``subject`` refers to ``target``."""

    def __init__(
        self,
        path: str,
        line: int | None,
        column: int | None,
        *,
        subject: str,
        target: str,
        others: int = 0,
    ) -> None:
        self.subject = subject
        self.target = target
        self.others = others
        super().__init__(path, line, column)

    @property
    def who(self) -> str:
        """The referring node, and how many others refer the same way."""
        return self.subject + (f" (and {self.others} other nodes)" if self.others else "")


class CrossCaseReferenceError(BadReferenceError):
    """A node of one case points at a node of another case."""

    def message(self) -> str:  # noqa: D102
        return (
            f"{self.who} refers to {self.target}, a node of another case; "
            "point at a node of this case"
        )


class DanglingReferenceError(BadReferenceError):
    """A case node points at a data node that no file defines."""

    def message(self) -> str:  # noqa: D102
        return (
            f"{self.who} refers to {self.target}, which no file defines; "
            "define that node or correct the name"
        )
