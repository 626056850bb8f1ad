"""Writing the package's files safely: whole or not at all, one writer at a time, as the umask says.

A file is written to a temporary name carrying the writer's process id, then renamed over the
target, so a crash leaves the old file or the new one, never half. Temporaries left by a killed
process are removed by the next writer (:func:`remove_leftovers`). Writers of one folder take
turns through :func:`exclusive_lock`.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> with exclusive_lock(folder / ".lock"):
...     write_atomically(folder / "a.ttl", "x")
>>> (folder / "a.ttl").read_text(), sorted(p.name for p in folder.iterdir())
('x', ['.lock', 'a.ttl'])
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from kg.model.errors import KGError

__all__ = [
    "BusyError",
    "current_umask",
    "exclusive_lock",
    "pid_alive",
    "remove_leftovers",
    "write_atomically",
]

#: How long a writer waits for another one to finish, in seconds (``$CMR_KG_LOCK_WAIT``).
LOCK_WAIT = 120.0
_LEFTOVER = re.compile(r"\.(?:tmp|staging)-(\d+)(?:\.|$)")


class BusyError(KGError):
    """Another process holds the lock for longer than a writer waits."""


def _lock_wait() -> float:
    try:
        return float(os.environ.get("CMR_KG_LOCK_WAIT", LOCK_WAIT))
    except ValueError:
        return LOCK_WAIT


def current_umask() -> int:
    """The process's umask (read without changing it where the system allows)."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def pid_alive(pid: int) -> bool:
    """True when a process with this id runs (on this machine)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return pid > 0
    return True


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text``: a crash leaves the old file or the new one.

    The file gets the mode a newly created file gets under the umask (``0o666 & ~umask``).
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.tmp-{os.getpid()}.", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~current_umask())
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_leftovers(folder: Path) -> list[Path]:
    """Remove temporary files and staging folders in ``folder`` whose writer no longer runs.

    They are named ``...tmp-PID...`` or ``...staging-PID``; those of a live process stay.
    """
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for entry in folder.iterdir():
        match = _LEFTOVER.search(entry.name)
        if match is None or pid_alive(int(match.group(1))):
            continue
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed.append(entry)
    return removed


@contextlib.contextmanager
def exclusive_lock(path: Path, *, wait: float | None = None, what: str = "") -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if missing), waiting up to ``wait`` seconds.

    ``wait`` defaults to ``$CMR_KG_LOCK_WAIT``, else :data:`LOCK_WAIT`.

    Raises :class:`BusyError` naming the holder when the wait runs out. The lock goes with the
    process, so a killed holder never leaves it taken.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+", encoding="utf-8") as handle:
        deadline = time.monotonic() + (_lock_wait() if wait is None else wait)
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    raise BusyError(
                        f"{what or path.parent}: {holder} is writing; nothing was changed. "
                        "Try again when it is done."
                    ) from None
                time.sleep(0.05)
        handle.seek(0)
        handle.truncate()
        handle.write(f"kg (pid {os.getpid()})")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            handle.flush()
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
