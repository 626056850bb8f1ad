"""Apache Jena SHACL (Debian's ``libapache-jena-java``) as a second opinion on the shapes.

:func:`jena_reports` validates several data graphs in one JVM (``JenaShacl.java``, run by the
Java launcher from source) and returns Jena's validation report graphs. Blank nodes keep their
labels both ways, so a report points at the caller's nodes and shapes.

Debian's Jena 4.5.0 does not start as packaged: its jar relocates the bundled Xerces classes to
the package ``xerces`` but leaves their message bundles under ``org/apache/jena/ext/xerces``,
and every command dies in ``XSDDatatype``'s static initialiser. :func:`jena_classpath` copies
those bundles to ``xerces/`` in a folder of the cache and puts it on the classpath.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from kg.model.errors import EngineUnavailableError, ShapesError
from kg.model.resources import cache_dir
from kg.model.terms import to_rdflib

__all__ = ["JAR_DIR", "jena_classpath", "jena_reports"]

#: Where Debian installs Java libraries (``$CMR_KG_JAVA_LIBS`` to look elsewhere).
JAR_DIR = Path(os.environ.get("CMR_KG_JAVA_LIBS", "/usr/share/java"))
_PROGRAM = Path(__file__).with_name("JenaShacl.java")
_BUNDLES = "org/apache/jena/ext/xerces/"
#: What Jena SHACL needs besides the ``jena-*`` jars (all in Debian's ``/usr/share/java``).
_LIBRARIES = (
    *("commons-lang3", "commons-io", "commons-codec", "commons-compress", "commons-csv"),
    *("commons-cli", "caffeine", "dexx.collection", "gson", "guava", "httpclient", "httpcore"),
    *("jackson-annotations", "jackson-core", "jackson-databind", "jakarta.json-api"),
    *("jsonld-java", "titanium-json-ld", "thrift", "slf4j-api", "slf4j-nop"),
)
_VERSIONED = re.compile(r"-\d+(\.\d+)+$")  # jena-arq-4.5.0.jar; jena-arq.jar links to it
_INSTALL = "install Java 17 and Debian's libapache-jena-java (apt-get install libapache-jena-java)"


def jena_classpath(jars: Path | None = None) -> str:
    """The classpath that starts Jena SHACL, with the message-bundle fix made in the cache.

    ``jars`` is where the Java libraries are (default :data:`JAR_DIR`). Raises
    :class:`~kg.model.errors.EngineUnavailableError` saying what to install.
    """
    jars = jars or JAR_DIR
    if shutil.which("java") is None:
        raise EngineUnavailableError(f"the jena engine needs a Java runtime; {_INSTALL}")
    core = jars / "jena-core.jar"
    if not (jars / "jena-shacl.jar").exists() or not core.exists():
        raise EngineUnavailableError(f"Jena SHACL is not in {jars}; {_INSTALL}")
    missing = [name for name in _LIBRARIES if not (jars / f"{name}.jar").exists()]
    if missing:
        raise EngineUnavailableError(f"Jena SHACL needs {', '.join(missing)} in {jars}; {_INSTALL}")
    fix = cache_dir() / "jena" / f"xerces-{core.stat().st_size}"
    if not fix.is_dir():
        _extract_bundles(core, fix)
    own = sorted(p for p in jars.glob("jena-*.jar") if not _VERSIONED.search(p.stem))
    return os.pathsep.join(
        [str(fix), *map(str, own), *(str(jars / f"{n}.jar") for n in _LIBRARIES)]
    )


def _extract_bundles(core: Path, target: Path) -> None:
    """Copy Jena's Xerces message bundles to ``target/xerces/`` (atomically)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(dir=target.parent))
    with zipfile.ZipFile(core) as jar:
        for name in jar.namelist():
            if name.startswith(_BUNDLES) and not name.endswith((".class", "/")):
                out = scratch / "xerces" / name[len(_BUNDLES) :]
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(jar.read(name))
    try:
        scratch.rename(target)
    except OSError:  # made meanwhile by another process
        shutil.rmtree(scratch, ignore_errors=True)


def jena_reports(shapes: Graph, data: Sequence[bytes], *, timeout: float = 900) -> list[Graph]:
    """Jena's SHACL validation report for each N-Triples document of ``data``, in one JVM."""
    classpath = jena_classpath()
    with tempfile.TemporaryDirectory(prefix="kg-jena-") as folder:
        work = Path(folder)
        shapes.serialize(work / "shapes.nt", format="nt", encoding="utf-8")
        args = [str(work / "shapes.nt")]
        for i, text in enumerate(data):
            (work / f"data{i}.nt").write_bytes(text)
            args += [str(work / f"data{i}.nt"), str(work / f"report{i}.nt")]
        command = ["java", "-cp", classpath, str(_PROGRAM), *args]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise ShapesError(f"Jena SHACL took more than {timeout:.0f} s") from exc
        if done.returncode != 0:
            lines = (done.stderr or done.stdout).strip().splitlines()
            raise ShapesError(f"Jena SHACL failed: {lines[0] if lines else done.returncode}")
        return [_read(work / f"report{i}.nt") for i in range(len(data))]


def _read(path: Path) -> Graph:
    """A report written by ``JenaShacl.java``, blank node labels kept."""
    graph = Graph()
    for triple in ox.parse(path=path, format=ox.RdfFormat.N_TRIPLES):
        graph.add(
            (to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object))
        )
    return graph
