r"""The quality report written out: text for curators, JSON, and ROBOT's TSV columns.

>>> v = QualityViolation("WARN", "invalid_xref", "https://w3id.org/cmr/Brain",
...                      "http://www.geneontology.org/formats/oboInOwl#hasDbXref", "UBERON 1")
>>> for line in render_quality([v], "tsv").splitlines():
...     print(line.split("\t"))
['Level', 'Rule Name', 'Subject', 'Property', 'Value']
['WARN', 'invalid_xref', 'cmr:Brain', 'oboInOwl:hasDbXref', 'UBERON 1']
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from itertools import groupby

from kg.model.ontology import PREFIXES
from kg.model.queryfile import QueryFile
from kg.validation.quality import LEVELS, QualityViolation, quality_rules

__all__ = ["QUALITY_TSV_COLUMNS", "render_quality", "summary"]

#: The columns of ROBOT's TSV report.
QUALITY_TSV_COLUMNS: tuple[str, ...] = ("Level", "Rule Name", "Subject", "Property", "Value")


def _curie(iri: str) -> str:
    for name, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns):
            return f"{name}:{iri[len(ns) :]}"
    return iri if iri in ("", "blank node") else f"<{iri}>"


def _cells(v: QualityViolation) -> tuple[str, str, str, str, str]:
    value = _curie(v.value) if v.value_is_iri else v.value
    return v.level, v.rule, _curie(v.entity), _curie(v.property), value


def _tsv_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def summary(violations: Sequence[QualityViolation]) -> str:
    """ROBOT's console summary: the total, then the count at each level."""
    counts = Counter(v.level for v in violations)
    lines = [f"Violations: {len(violations)}", "-----------------"]
    lines += [f"{level + ':':<12}{counts.get(level, 0)}" for level in LEVELS]
    return "\n".join(lines) + "\n"


def _text(violations: Sequence[QualityViolation], rules: dict[str, QueryFile]) -> str:
    out: list[str] = []
    for (level, name), group in groupby(violations, key=lambda v: (v.level, v.rule)):
        rule = rules.get(name)
        out.append(f"{level} {name}: {rule.description if rule else ''}".rstrip())
        for v in group:
            out.append("  " + "  ".join(c for c in _cells(v)[2:] if c))
        if rule and rule.header.get("fix"):
            out.append(f"  fix: {rule.header['fix']}")
        out.append("")
    return "\n".join(out) + ("\n" if out else "") + summary(violations)


def render_quality(violations: Sequence[QualityViolation], fmt: str) -> str:
    """``violations``, in :func:`~kg.validation.quality.quality_report`'s order, as ``fmt``.

    ``fmt`` is ``text`` (by rule, with its fix, then ROBOT's summary), ``json`` or ``tsv``.
    """
    if fmt == "json":
        fields = ("level", "rule", "entity", "property", "value")
        rows = [{name: getattr(v, name) for name in fields} for v in violations]
        return json.dumps(rows, indent=2) + "\n"
    if fmt == "tsv":
        lines = ["\t".join(QUALITY_TSV_COLUMNS)]
        lines += ["\t".join(_tsv_cell(c) for c in _cells(v)) for v in violations]
        return "\n".join(lines) + "\n"
    if fmt == "text":
        return _text(violations, {rule.name: rule for rule in quality_rules()})
    raise ValueError(f"unknown quality report format {fmt!r}")
