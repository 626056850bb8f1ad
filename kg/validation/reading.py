r"""Reading a case file's text: the rules every command applies before any parser sees it.

``kg validate``, ``kg add`` and ``kg build`` all read files through :func:`read_case_text`, so
they refuse the same files with the same message, at the same line. A file is refused when it
cannot be read, is not a ``.ttl`` file, is larger than the limit, is not UTF-8 (the first bad
byte is located), holds nothing but whitespace and comments, or nests brackets deeper than the
limit (a parser would recurse that deep). A UTF-8 byte-order mark is dropped, as Turtle allows.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "bom.ttl").write_bytes(b"\xef\xbb\xbf<https://e/a> <https://e/b> 1 .\n")
>>> read_case_text(folder / "bom.ttl")
'<https://e/a> <https://e/b> 1 .\n'
>>> _ = (folder / "bad.ttl").write_bytes(b"# ok\n<https://e/a> <https://e/b> \"caf\xe9\" .\n")
>>> try:
...     read_case_text(folder / "bad.ttl")
... except UnreadableFileError as err:
...     print(err.line, err.column, err.message())
2 33 the file is not UTF-8 text (byte 0xe9); save it as UTF-8
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from kg.model.errors import UnreadableFileError

__all__ = [
    "MAX_DEPTH",
    "display_path",
    "max_file_bytes",
    "read_case_text",
]

#: Brackets (``[`` and ``(``) a file may nest; more is refused rather than parsed.
MAX_DEPTH = 64
#: The size limit when ``CMR_KG_MAX_FILE_MB`` is not set.
DEFAULT_MAX_MB = 5.0
_EMPTY = re.compile(r"(?:\s|#[^\n]*)*")


def max_file_bytes() -> int:
    """The largest file taken: ``$CMR_KG_MAX_FILE_MB`` megabytes, 5 by default."""
    raw = os.environ.get("CMR_KG_MAX_FILE_MB", "")
    try:
        megabytes = float(raw) if raw.strip() else DEFAULT_MAX_MB
    except ValueError:
        megabytes = DEFAULT_MAX_MB
    return int(megabytes * 1_000_000)


def display_path(path: Path) -> str:
    """``path`` relative to the working directory if it lies below it, else as given."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column of byte ``offset``."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1


def _too_deep(text: str, limit: int) -> int | None:
    """The offset where bracket nesting first passes ``limit``, outside strings, IRIs, comments."""
    if text.count("[") + text.count("(") <= limit:
        return None  # cannot nest deeper than the brackets it has
    depth = 0
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "#":
            i = text.find("\n", i)
            i = n if i < 0 else i
        elif char == "<":
            end = text.find(">", i)
            i = n if end < 0 else end
        elif char in "\"'":
            quote = text[i : i + 3] if text[i : i + 3] in ('"""', "'''") else char
            i += len(quote)
            while i < n and not text.startswith(quote, i):
                i += 2 if text[i] == "\\" else 1
            i += len(quote) - 1
        elif char in "[(":
            depth += 1
            if depth > limit:
                return i
        elif char in "])":
            depth -= 1
        i += 1
    return None


def read_case_text(path: Path, *, max_bytes: int | None = None) -> str:
    """The text of ``path``, or :class:`UnreadableFileError` saying what is wrong and where."""
    limit = max_file_bytes() if max_bytes is None else max_bytes
    try:
        if path.is_dir():
            raise UnreadableFileError(
                display_path(path), detail="this is a folder, not a case file"
            )
        if path.suffix != ".ttl":
            raise UnreadableFileError(
                display_path(path),
                detail="only Turtle files (.ttl) are taken; save the case as a .ttl file",
            )
        size = path.stat().st_size
        if size > limit:
            raise UnreadableFileError(
                display_path(path),
                detail=f"the file has {size:,} bytes, more than the limit of {limit:,}; split "
                "it, or raise CMR_KG_MAX_FILE_MB",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFileError(
            display_path(path), detail=f"cannot read the file: {exc.strerror}"
        ) from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _position(data, exc.start)
        raise UnreadableFileError(
            display_path(path),
            line,
            column,
            detail=f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8",
        ) from exc
    text = text.removeprefix("\ufeff")
    if _EMPTY.fullmatch(text):
        raise UnreadableFileError(
            display_path(path),
            detail="the file holds no statements; write the case in it, or remove it",
        )
    deep = _too_deep(text, MAX_DEPTH)
    if deep is not None:
        line, column = _position(text.encode("utf-8"), len(text[:deep].encode("utf-8")))
        raise UnreadableFileError(
            display_path(path),
            line,
            column,
            detail=f"brackets nest more than {MAX_DEPTH} levels deep here; "
            "give the inner nodes IRIs of their own",
        )
    return text
