"""Where the package keeps what it computes once: built stores and the ontology's classification.

``$CMR_KG_CACHE`` when set, else ``$XDG_CACHE_HOME/cmr-kg`` (``~/.cache/cmr-kg``).
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["cache_dir"]


def cache_dir() -> Path:
    """Where built graphs and the ontology's classification are cached."""
    if "CMR_KG_CACHE" in os.environ:
        return Path(os.environ["CMR_KG_CACHE"])
    base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return base / "cmr-kg"
