"""What a user sees when ``kg`` itself fails: one line, and the details in a file to report."""

from __future__ import annotations

import datetime
import os
import sys
import tempfile
import traceback
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

__all__ = ["internal_error_message", "write_crash_report"]

REPORT_TO = "the cmr-kg issue tracker (the project's repository, 'Issues')"


def write_crash_report(error: BaseException, directory: Path | None = None) -> Path | None:
    """Write the command, the versions and the traceback to a new file; None if it cannot."""
    try:
        kg_version = version("cmr-kg")
    except PackageNotFoundError:
        kg_version = "unknown"
    text = "".join(
        [
            f"command: {' '.join(['kg', *sys.argv[1:]])}\n",
            f"time: {datetime.datetime.now(datetime.UTC).isoformat()}\n",
            f"cmr-kg {kg_version}, Python {sys.version.split()[0]}, {sys.platform}\n\n",
            *traceback.format_exception(error),
        ]
    )
    try:
        where = directory or Path(tempfile.gettempdir())
        fd, name = tempfile.mkstemp(prefix="kg-crash-", suffix=".txt", dir=where)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError:
        return None
    return Path(name)


def internal_error_message(error: BaseException, directory: Path | None = None) -> str:
    """The one line shown for a bug of ``kg`` (its details go to a crash report file).

    >>> import tempfile
    >>> line = internal_error_message(ValueError("boom"), Path(tempfile.mkdtemp()))
    >>> line.startswith("kg: internal error (ValueError: boom). This is a bug in kg")
    True
    """
    report = write_crash_report(error, directory)
    details = f"; the details are in {report}" if report is not None else ""
    return (
        f"kg: internal error ({type(error).__name__}: {error}). This is a bug in kg, not a "
        f"problem with your data{details}. Please report it to {REPORT_TO}, with that file."
    )
