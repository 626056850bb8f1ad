r"""SPARQL files with a header of ``# key: value`` comment lines.

>>> q = QueryFile.from_text("x", "# title: Roots\n# level: ERROR\nSELECT * WHERE { ?s ?p ?o }")
>>> q.title, q.header["level"]
('Roots', 'ERROR')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["FromQueryFile", "QueryFile", "read_query_dir"]

# "# key: value", where a key may carry a name: "# param region: ...", "# column case: ..."
_HEADER_LINE = re.compile(r"^#\s*([A-Za-z][\w\-]*(?:\s+[A-Za-z_][\w\-]*)?)\s*:\s*(.*)$")


@dataclass(frozen=True)
class QueryFile:
    """A named SPARQL query and the metadata in its header."""

    name: str
    text: str
    header: dict[str, str]

    @classmethod
    def from_text(cls, name: str, text: str) -> QueryFile:
        """Read the header: the leading comment lines of the form ``# key: value``."""
        header: dict[str, str] = {}
        last_key: str | None = None
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            # "#   more text" (two or more spaces) always continues the previous key
            match = None if line.startswith("#  ") else _HEADER_LINE.match(line)
            if match:
                last_key = match.group(1).lower()
                header[last_key] = match.group(2).strip()
            elif last_key is not None:  # continuation line: "#   more text"
                header[last_key] += " " + line.lstrip("#").strip()
        return cls(name, text, header)

    @classmethod
    def from_path(cls, path: Path) -> QueryFile:
        """Read a ``.rq`` file; its name is the file stem."""
        return cls.from_text(path.stem, path.read_text(encoding="utf-8"))

    @property
    def title(self) -> str:
        """The ``title`` header, or the name."""
        return self.header.get("title", self.name)

    @property
    def description(self) -> str:
        """The ``description`` header (what the query answers or looks for), or ''."""
        return self.header.get("description", "")


class FromQueryFile:
    """Name, title and description of something read from a query file (its ``file``)."""

    file: QueryFile

    @property
    def name(self) -> str:
        """The file stem."""
        return self.file.name

    @property
    def title(self) -> str:
        """The title from the header."""
        return self.file.title

    @property
    def description(self) -> str:
        """The description from the header."""
        return self.file.description


def read_query_dir(directory: Path) -> list[QueryFile]:
    """Every ``.rq`` file in ``directory``, sorted by name."""
    return [QueryFile.from_path(p) for p in sorted(directory.glob("*.rq"))]
