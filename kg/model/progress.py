"""When to show a progress bar: on a terminal, unless turned off.

>>> import os
>>> os.environ["TQDM_DISABLE"] = "1"
>>> bar_disabled(True)
True
>>> del os.environ["TQDM_DISABLE"]
>>> bar_disabled(False), bar_disabled(True) is None
(True, True)
"""

from __future__ import annotations

import os

__all__ = ["bar_disabled"]


def bar_disabled(progress: bool) -> bool | None:
    """Tqdm's ``disable``: True when ``progress`` is off (``--quiet``) or ``$TQDM_DISABLE`` is set.

    Otherwise ``None``: tqdm then shows the bar only when standard error is a terminal, so no
    escape sequence reaches a log or a pipe.
    """
    if not progress or os.environ.get("TQDM_DISABLE", "").strip().lower() not in ("", "0", "false"):
        return True
    return None
