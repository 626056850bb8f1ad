"""Where the package's data lives (ontology, shapes, queries, rules, cases) and where it caches.

An installed wheel carries them under ``kg/_data/`` (see ``pyproject.toml``); a source checkout
has them at the top of the repository. Callers use the paths below and never care which.

>>> ONTOLOGY_FILE.name
'cmr.ttl'
>>> sorted(p.name for p in (SHAPES_DIR, QUERIES_DIR, CASES_DIR))
['cases', 'queries', 'shapes']
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

__all__ = [
    "CASES_DIR",
    "DATA_ROOT",
    "ONTOLOGY_DIR",
    "ONTOLOGY_FILE",
    "QUALITY_DIR",
    "QUERIES_DIR",
    "RULES_DIR",
    "SHAPES_DIR",
    "SOURCES_DIR",
    "cache_dir",
]


def _data_root() -> Path:
    packaged = Path(str(files("kg"))) / "_data"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent.parent


DATA_ROOT: Path = _data_root()
ONTOLOGY_DIR: Path = DATA_ROOT / "ontology"
ONTOLOGY_FILE: Path = ONTOLOGY_DIR / "cmr.ttl"
QUALITY_DIR: Path = ONTOLOGY_DIR / "quality"
SHAPES_DIR: Path = DATA_ROOT / "shapes"
QUERIES_DIR: Path = DATA_ROOT / "queries"
RULES_DIR: Path = DATA_ROOT / "rules"
CASES_DIR: Path = DATA_ROOT / "cases"
SOURCES_DIR: Path = CASES_DIR / "sources"


def cache_dir() -> Path:
    """Where built graphs and the ontology's classification are cached.

    ``$CMR_KG_CACHE`` when set, else ``$XDG_CACHE_HOME/cmr-kg`` (``~/.cache/cmr-kg``).
    """
    if "CMR_KG_CACHE" in os.environ:
        return Path(os.environ["CMR_KG_CACHE"])
    base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return base / "cmr-kg"
