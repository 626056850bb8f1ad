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
from typing import ClassVar

__all__ = [
    "BadReferenceError",
    "CaseIdMismatchError",
    "CrossCaseReferenceError",
    "DanglingReferenceError",
    "DuplicateCaseError",
    "DuplicateOwnerError",
    "EngineUnavailableError",
    "FileContentError",
    "ForeignSubjectError",
    "IllTypedValueError",
    "InputError",
    "KGError",
    "NamespaceTypoError",
    "NoOwnerError",
    "OntologyError",
    "OntologyStatementError",
    "ShapesError",
    "StoredOwnerError",
    "TurtleSyntaxError",
    "TwoOwnersError",
    "UnknownTermError",
    "UnreadableFileError",
]


class KGError(Exception):
    """Base class of the package's errors."""


class OntologyError(KGError):
    """The ontology itself is unusable (missing, inconsistent, not OWL 2 DL)."""


class ShapesError(KGError):
    """The SHACL shapes themselves cannot run."""


class EngineUnavailableError(ShapesError):
    """A SHACL engine asked for is not installed (Java, Debian's Jena)."""


class InputError(KGError):
    """A problem in an input file, at a place in it."""

    #: The rule broken, in plain words (the ``rule`` of the report's issue).
    rule: ClassVar[str] = "the file can be read"

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

    rule = "the file is valid Turtle"

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

    rule = "terms exist in the ontology"

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

    rule = "case identifiers are unique"

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

    rule = "a case node refers only to nodes of its own case"

    def message(self) -> str:  # noqa: D102
        return (
            f"{self.who} refers to {self.target}, a node of another case; "
            "point at a node of this case"
        )


class DanglingReferenceError(BadReferenceError):
    """A case node points at a data node that no file defines."""

    rule = "references point at defined nodes"

    def message(self) -> str:  # noqa: D102
        return (
            f"{self.who} refers to {self.target}, which no file defines; "
            "define that node or correct the name"
        )


class NamespaceTypoError(InputError):
    """A namespace IRI one edit away from a known one: its data would be invisible."""

    rule = "namespaces are the ontology's and the data's own"

    def __init__(
        self, path: str, line: int | None, column: int | None, *, namespace: str, known: str
    ) -> None:
        self.namespace = namespace
        self.known = known
        super().__init__(path, line, column)

    def message(self) -> str:  # noqa: D102
        return (
            f"namespace <{self.namespace}> is one character away from <{self.known}>; "
            f"did you mean <{self.known}>? (no query would see data written under it)"
        )


class FileContentError(InputError):
    """A file holds what it may not: each file holds one case, or one publication, and only it."""

    rule = "a file holds one case or one publication, and only its own nodes"

    def __init__(self, path: str, line: int | None, column: int | None, *, detail: str) -> None:
        self.detail = detail
        super().__init__(path, line, column)

    def message(self) -> str:  # noqa: D102
        return self.detail


class TwoOwnersError(FileContentError):
    """The file holds two or more cases (or publications)."""

    def __init__(
        self, path: str, line: int | None, column: int | None, *, owners: Sequence[str]
    ) -> None:
        what = " and ".join(owners)
        super().__init__(
            path, line, column, detail=f"the file holds {what}; put each in a file of its own"
        )


class NoOwnerError(FileContentError):
    """The file holds neither a case nor a publication."""

    def __init__(self, path: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(
            path,
            line,
            column,
            detail="the file holds no case (a node typed cmr:Case with its cmr:caseId) and no "
            "publication (a node typed cmr:Publication); statements about stored nodes are "
            "made in their own file (`kg update FILE`)",
        )


class ForeignSubjectError(FileContentError):
    """The file makes statements about a node that is not its own."""

    def __init__(
        self, path: str, line: int | None, column: int | None, *, subject: str, owner: str
    ) -> None:
        super().__init__(
            path,
            line,
            column,
            detail=f"statements about {subject}, which is not a node of {owner}; a file only "
            f"describes its own nodes (name them in {owner}'s namespace, or correct "
            "the other node in its own file)",
        )


class OntologyStatementError(FileContentError):
    """The file makes statements about an ontology term."""

    def __init__(self, path: str, line: int | None, column: int | None, *, term: str) -> None:
        super().__init__(
            path,
            line,
            column,
            detail=f"statements about the ontology term {term}; case and source files do not "
            "change the ontology (see 'A missing term' in docs/curation.md)",
        )


class CaseIdMismatchError(FileContentError):
    """The case's ``cmr:caseId`` is not the identifier in its IRI."""

    def __init__(
        self, path: str, line: int | None, column: int | None, *, case_id: str, key: str
    ) -> None:
        super().__init__(
            path,
            line,
            column,
            detail=f"cmr:caseId {case_id!r} differs from the case's IRI case:{key}; give the "
            "case IRI and every node of the case the identifier (case:ID, case/ID/...)",
        )


class DuplicateOwnerError(FileContentError):
    """Two files describe the same case or publication."""

    def __init__(
        self, path: str, line: int | None, column: int | None, *, owner: str, other: str
    ) -> None:
        super().__init__(
            path,
            line,
            column,
            detail=f"{owner} is described in {other} already; correct it there (or with "
            "`kg update FILE`), or give this one a new identifier and namespace",
        )


class StoredOwnerError(FileContentError):
    """A file describes a case or publication that is stored already."""

    def __init__(
        self, path: str, line: int | None, column: int | None, *, owner: str, other: str
    ) -> None:
        super().__init__(
            path,
            line,
            column,
            detail=f"{owner} is stored already, in {other}; to correct it, run "
            f"`kg update {path}`; to add another case, give it a new caseId and namespace",
        )


class IllTypedValueError(FileContentError):
    """A literal is not a valid value of its datatype (``"x"^^xsd:integer``)."""

    rule = "a value is written as its datatype requires"

    def __init__(
        self, path: str, line: int | None, column: int | None, *, value: str, datatype: str
    ) -> None:
        super().__init__(
            path,
            line,
            column,
            detail=f"{value!r} is not a valid {datatype}; write the value as {datatype} "
            "requires, or give it the datatype it has",
        )
