"""The mapping release (``cmr.sssom.tsv``): the ontology's cross-references as SSSOM.

``oboInOwl:hasDbXref`` is read as ``skos:exactMatch``; ``skos:exactMatch``, ``closeMatch``,
``broadMatch``, ``narrowMatch`` and ``relatedMatch`` are kept as they are. Every mapping was
made by hand by the ontology's curators (``semapv:ManualMappingCuration``). The file is an
SSSOM/TSV document: the mapping set's metadata as YAML behind ``#``, then one mapping a row.
It is written here with the standard library (sssom-py would pull linkml and pandas into the
package for a tab-separated table); the tests validate it with sssom-py.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

from kg.model.errors import OntologyError
from kg.model.files import write_atomically
from kg.model.ontology import ONTOLOGY_IRI, TERM_NS
from kg.release.header import Header, ReleaseInfo
from kg.release.vocab import OIO, SKOS, curie

__all__ = ["Mapping", "read_mappings", "sssom_document", "write_sssom"]

_OBO = "http://purl.obolibrary.org/obo/"
#: The reference resources cross-references may name (``malformed_xref.rq``), as URI prefixes.
RESOURCES: dict[str, str] = {
    **{p: f"{_OBO}{p}_" for p in ("UBERON", "NCIT", "MONDO", "DOID", "HP", "ECO", "FMA")},
    **{p: f"{_OBO}{p}_" for p in ("PATO", "BFO", "RO")},
    "ONCOTREE": "https://bioregistry.io/oncotree:",
}
_PREDICATES = (
    (OIO.hasDbXref, SKOS.exactMatch),
    *((p, p) for p in (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch)),
    (SKOS.relatedMatch, SKOS.relatedMatch),
)
COLUMNS = (
    "subject_id",
    "subject_label",
    "predicate_id",
    "object_id",
    "mapping_justification",
)


@dataclass(frozen=True, order=True)
class Mapping:
    """One row: an ontology term, a SKOS match and a term of another resource (CURIEs)."""

    subject_id: str
    subject_label: str
    predicate_id: str
    object_id: str
    mapping_justification: str = "semapv:ManualMappingCuration"


def _object(subject: URIRef, value: object) -> str:
    text = curie(str(value)) if isinstance(value, URIRef) else str(value)
    prefix = text.partition(":")[0]
    if prefix not in RESOURCES:
        raise OntologyError(
            f"{curie(subject)}: the cross-reference {text!r} names no known resource "
            f"({', '.join(sorted(RESOURCES))}); write it as such a CURIE"
        )
    return text


def read_mappings(graph: Graph) -> list[Mapping]:
    """Every cross-reference and SKOS match of a ``cmr:`` term, sorted."""
    rows = set()
    for source, predicate in _PREDICATES:
        for subject, value in graph.subject_objects(source):
            if isinstance(subject, URIRef) and subject.startswith(TERM_NS):
                label = graph.value(subject, RDFS.label)
                rows.add(
                    Mapping(
                        subject_id=curie(subject),
                        subject_label=str(label) if label is not None else "",
                        predicate_id=curie(predicate),
                        object_id=_object(subject, value),
                    )
                )
    return sorted(rows)


def _metadata(header: Header, info: ReleaseInfo, used: set[str]) -> dict[str, object]:
    curie_map = {"cmr": TERM_NS, "skos": str(SKOS), "semapv": "https://w3id.org/semapv/vocab/"}
    curie_map |= {p: RESOURCES[p] for p in sorted(used)}
    return {
        "curie_map": curie_map,
        "mapping_set_id": str(info.version_iri("cmr.sssom.tsv")),
        "mapping_set_version": info.version,
        "mapping_set_title": f"{header.title}: mappings",
        "mapping_set_description": "The cross-references of the CMR ontology's terms. "
        "oboInOwl:hasDbXref is read as skos:exactMatch; SKOS matches are kept as stated.",
        "license": header.license,
        "creator_label": list(header.creators),
        "subject_source": str(ONTOLOGY_IRI),
        "subject_source_version": str(info.version_iri("cmr.owl")),
        "mapping_date": info.version,
    }


def _yaml(metadata: dict[str, object]) -> list[str]:
    """Block YAML for the metadata; every scalar a JSON string, which YAML reads as it is."""
    lines = []
    for key, value in metadata.items():
        if isinstance(value, dict):
            lines.append(f"{key}:")
            lines += [f"  {k}: {json.dumps(v)}" for k, v in value.items()]
        elif isinstance(value, list):
            lines.append(f"{key}:")
            lines += [f"  - {json.dumps(v)}" for v in value]
        else:
            lines.append(f"{key}: {json.dumps(value)}")
    return lines


def sssom_document(graph: Graph, header: Header, info: ReleaseInfo) -> str:
    """The SSSOM/TSV document of ``graph``'s mappings."""
    mappings = read_mappings(graph)
    used = {m.object_id.partition(":")[0] for m in mappings}
    out = io.StringIO()
    out.writelines(f"# {line}\n" for line in _yaml(_metadata(header, info, used)))
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([getattr(m, c) for c in COLUMNS] for m in mappings)
    return out.getvalue()


def write_sssom(graph: Graph, header: Header, info: ReleaseInfo, out: Path) -> Path:
    """Write ``cmr.sssom.tsv`` into ``out``."""
    path = out / "cmr.sssom.tsv"
    write_atomically(path, sssom_document(graph, header, info))
    return path
