"""One SPARQL query answered on a pyoxigraph store, as an HTTP status, body and media type.

It runs wherever the store is open (the query worker of ``kg serve``, :mod:`kg.sparql.runner`),
so it takes plain values and gives back a plain, picklable :class:`Answer`. Results are
negotiated from the ``Accept`` header: SPARQL JSON (the default), XML, CSV or TSV for ``SELECT``
and ``ASK``; Turtle (the default), N-Triples or RDF/XML for ``CONSTRUCT`` and ``DESCRIBE``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

import pyoxigraph as ox

from kg.sparql.service import service_check

__all__ = ["GRAPH_FORMATS", "RESULT_FORMATS", "Answer", "answer", "negotiate"]

T = TypeVar("T")

_JSON = ox.QueryResultsFormat.JSON
#: The media types of ``SELECT`` and ``ASK`` results, and the formats they name.
RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": _JSON,
    "application/json": _JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    "text/xml": ox.QueryResultsFormat.XML,
}
#: The media types of ``CONSTRUCT`` and ``DESCRIBE`` results, and the formats they name.
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
TEXT = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class Answer:
    """What to send back: an HTTP status, the body and its media type."""

    status: int
    body: bytes
    media: str = TEXT

    @classmethod
    def text(cls, status: int, message: str) -> Answer:
        """A plain-text answer (a refusal or an error)."""
        return cls(status, message.encode("utf-8"))


def negotiate(accept: str, formats: dict[str, T], default: T) -> T | None:
    """The format the ``Accept`` header prefers among ``formats``; None when none is acceptable.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", RESULT_FORMATS, _JSON).name
    'SPARQL Results in XML'
    >>> negotiate("text/*", RESULT_FORMATS, _JSON).name
    'SPARQL Results in CSV'
    >>> negotiate("image/png", RESULT_FORMATS, _JSON) is None
    True
    """
    best: tuple[float, int, T] | None = None
    for rank, item in enumerate(accept.split(",") if accept.strip() else ["*/*"]):
        media, *params = (part.strip() for part in item.split(";"))
        weight = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        media = media.lower()
        if media == "*/*":
            found: T | None = default
        elif media.endswith("/*"):
            found = next((f for m, f in formats.items() if m.startswith(media[:-1])), None)
        else:
            found = formats.get(media)
        if found is not None and weight > 0 and (best is None or (weight, -rank) > best[:2]):
            best = (weight, -rank, found)
    return None if best is None else best[2]


def answer(store: ox.Store, query: str, accept: str, *, allow_service: bool = False) -> Answer:
    """The answer to ``query`` on ``store`` in the format ``accept`` prefers.

    A SERVICE clause is refused (400) unless ``allow_service``; a bad query is a 400 with the
    parser's message, no acceptable format a 406.

    >>> store = ox.Store()
    >>> answer(store, "ASK { ?s ?p ?o }", "text/csv").body
    b'false'
    >>> refused = answer(store, "SELECT * { SERVICE <http://example.org/> { ?s ?p ?o } }", "")
    >>> refused.status, b"--allow-service" in refused.body
    (400, True)
    """
    if not allow_service and (why := service_check(query)) is not None:
        return Answer.text(
            400, f"{why}: SERVICE is refused here (start kg serve with --allow-service to allow it)"
        )
    try:
        result = store.query(query)
        if isinstance(result, ox.QueryTriples):
            graph = negotiate(accept, GRAPH_FORMATS, ox.RdfFormat.TURTLE)
            if graph is None:
                return _unacceptable(GRAPH_FORMATS)
            return Answer(200, result.serialize(format=graph) or b"", graph.media_type)
        table = negotiate(accept, RESULT_FORMATS, _JSON)
        if table is None:
            return _unacceptable(RESULT_FORMATS)
        return Answer(200, result.serialize(format=table) or b"", table.media_type)
    except SyntaxError as exc:
        return Answer.text(400, f"SPARQL syntax error: {exc}")
    except (OSError, ValueError, RuntimeError) as exc:
        return Answer.text(500, f"the query failed: {exc}")


def _unacceptable(formats: dict[str, T]) -> Answer:
    return Answer.text(406, "acceptable result formats: " + ", ".join(formats))
