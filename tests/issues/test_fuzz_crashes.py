"""Regression: inputs on which ``kg validate`` or ``kg add`` crashed (exit 3, "internal error").

Found by the intake fuzz harness (``bench/fuzz.py``; mutants of ``kg.synth.mutate``), then cut
down by hand to a few lines. One input per distinct crash signature (exception type, message and
last frame of kg's crash report, or of a traceback printed, shown next to each); the bad IRIs
are ones rdflib's Turtle parser takes (with at most a warning) and Oxigraph refuses. Each must
get a clean verdict: exit 1 or 2, a message naming the file, no traceback, no crash report,
nothing stored.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

KG = str(Path(sys.executable).parent / "kg")
HEAD = "@prefix cmr: <https://w3id.org/cmr/> .\n"
NODE = "<https://w3id.org/cmr/data/case/fuzz-1>"
PATIENT = "<https://w3id.org/cmr/data/case/fuzz-1/patient>"


def case(statements: str) -> str:
    """A tiny (non-conforming) new case ``fuzz-1`` with ``statements`` about its node."""
    return f'{HEAD}{NODE} a cmr:Case ; cmr:caseId "fuzz-1" ; {statements} .\n'


#: name: (command, input, the signature it crashed with)
CRASHES = {
    "surrogate-in-iri": (
        "validate",
        case("cmr:describedIn <urn:x:\\uD800>"),
        "UnicodeEncodeError (surrogates not allowed) in kg/cli/common.py:write_output",
    ),
    "surrogate-in-case-id": (
        "validate",
        f'{HEAD}{NODE} a cmr:Case ; cmr:caseId "fuzz\\uD800" .\n',
        "UnicodeEncodeError (surrogates not allowed) in kg/cli/common.py:write_output",
    ),
    "bad-predicate-on-a-blank-node-with-a-violation": (
        "validate",
        f'{HEAD}{NODE} a cmr:Case ; cmr:caseId "fuzz-1" ; cmr:hasPatient {PATIENT} .\n'
        f"{PATIENT} a cmr:Patient ; cmr:age [ a cmr:Quantity ; <http://example.org/a{{b}}> 1 ] .\n",
        "Exception (... does not look like a valid URI, I cannot serialize this as N3/Turtle) in "
        "rdflib/term.py:n3 (from kg/validation/validate.py:_shacl_results), via pyshacl's "
        "stringify_blank_node",
    ),
    "surrogate-in-literal-add": (
        "add",
        case('cmr:description "a\\uD800b"'),
        "ValueError (The literal value must be a str, ...) in kg/model/terms.py:from_rdflib",
    ),
    "surrogate-in-case-id-add": (
        "add",
        f'{HEAD}{NODE} a cmr:Case ; cmr:caseId "fuzz\\uD800" .\n',
        "UnicodeEncodeError (surrogates not allowed) in kg/engine/graphstore.py:_run",
    ),
    "surrogate-in-iri-add": (
        "add",
        case("cmr:describedIn <urn:x:\\uD800>"),
        "UnicodeEncodeError (surrogates not allowed) in kg/model/terms.py:from_rdflib",
    ),
    "space-in-object-iri-add": (
        "add",
        case("cmr:describedIn <http://example.org/a b>"),
        "ValueError (Invalid IRI code point ' ') in kg/model/terms.py:from_rdflib",
    ),
    "nul-escape-in-object-iri-add": (
        "add",
        case("cmr:describedIn <http://example.org/\\u0000>"),
        "ValueError (Invalid IRI code point '\\x00') in kg/model/terms.py:from_rdflib",
    ),
    "vertical-tab-in-object-iri-add": (
        "add",
        case("cmr:describedIn <http://example.org/a\x0bb>"),
        "ValueError (Invalid IRI code point '\\x0b') in kg/model/terms.py:from_rdflib",
    ),
    "angle-bracket-in-object-iri-add": (
        "add",
        case("cmr:describedIn <<http://example.org/x>"),
        "ValueError (Invalid IRI code point '<') in kg/model/terms.py:from_rdflib",
    ),
    "bad-percent-datatype-add": (
        "add",
        case('cmr:description "1"^^<%ZZ>'),
        "ValueError (Invalid IRI percent encoding '%ZZ') in kg/model/terms.py:from_rdflib",
    ),
    "bad-percent-predicate-iri-add": (
        "add",
        case("<http://example.org/%ZZ> 1"),
        "ValueError (Invalid IRI percent encoding '%ZZ') in kg/engine/graphstore.py:<genexpr>",
    ),
    "bracket-in-host-add": (
        "add",
        case("cmr:describedIn <http://[::1>"),
        "ValueError (Invalid character '[' in host) in kg/model/terms.py:from_rdflib",
    ),
    "letter-as-port-add": (
        "add",
        case("cmr:describedIn <http://example.org:g/x>"),
        "ValueError (Invalid character 'g') in kg/model/terms.py:from_rdflib",
    ),
    "surrogate-in-predicate-iri-add": (
        "add",
        case("<urn:x:\\uD800> 1"),
        "UnicodeEncodeError (surrogates not allowed) in kg/engine/graphstore.py:<genexpr>",
    ),
    "relative-iri-without-scheme-add": (
        "add",
        case("cmr:describedIn <#ttp://example.org/x>"),
        "ValueError (No scheme found in an absolute IRI) in kg/model/terms.py:from_rdflib",
    ),
    "bad-percent-in-prefix-iri-add": (
        "add",
        HEAD
        + "@prefix : <https://w3id.org/cmr/data/case/fuzz-1/%ZZ> .\n"
        + f'{NODE} a cmr:Case ; cmr:caseId "fuzz-1" ; cmr:hasLesion :lesion .\n'
        + ":lesion a cmr:MetastaticLesion .\n",
        "ValueError (Invalid IRI percent encoding '%ZZ') in kg/model/terms.py:subject_term",
    ),
    "space-in-predicate-iri-add": (
        "add",
        case("<http://example.org/a b> 1"),
        "ValueError (Invalid IRI code point ' ') in kg/engine/graphstore.py:<genexpr>",
    ),
    "space-in-prefix-iri-add": (
        "add",
        HEAD
        + "@prefix : <https://w3id.org/cmr/data/case/ fuzz-1/> .\n"
        + f'{NODE} a cmr:Case ; cmr:caseId "fuzz-1" ; cmr:hasLesion :lesion .\n'
        + ":lesion a cmr:MetastaticLesion .\n",
        "ValueError (Invalid IRI code point ' ') in kg/model/terms.py:subject_term",
    ),
}

#: rdflib logs a traceback (to standard error, via logging) for a literal its datatype's
#: converter refuses; kg leaves that logger on. Datatype: the exception in the traceback.
ILL_TYPED = {
    "integer": "ValueError (invalid literal for int() ...) in rdflib/term.py:_castLexicalToPython",
    "decimal": "decimal.InvalidOperation in rdflib/term.py:_castLexicalToPython",
    "double": "ValueError (could not convert string to float) in rdflib/term.py",
    "dateTime": "ValueError (Invalid isoformat string) in rdflib/term.py:_castLexicalToPython",
    "date": "ValueError (XSD Date string must contain ...) in rdflib/xsd_datetime.py",
    "duration": "ValueError (Unable to parse duration string) in rdflib/xsd_datetime.py",
    "hexBinary": "binascii.Error (Odd-length string) in rdflib/term.py:_unhexlify",
    "base64Binary": "binascii.Error (Incorrect padding) in base64.py:b64decode",
}
DATE = "http://www.w3.org/2001/XMLSchema#date"
CRASHES["ill-typed-date-with-dashes"] = (
    "validate",
    case(f'cmr:description "fuzz-bad-1"^^<{DATE}>'),
    "traceback printed: ValueError (Invalid isoformat string) in rdflib/xsd_datetime.py",
)
for datatype, seen in ILL_TYPED.items():
    ill_typed = case(f'cmr:description "x y"^^<http://www.w3.org/2001/XMLSchema#{datatype}>')
    CRASHES[f"ill-typed-{datatype}"] = ("validate", ill_typed, f"traceback printed: {seen}")
CRASHES["ill-typed-integer-add"] = ("add", CRASHES["ill-typed-integer"][1], ILL_TYPED["integer"])


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty workspace (the session's build cache, from tests/conftest.py)."""
    root = tmp_path_factory.mktemp("fuzz-crashes") / "ws"
    subprocess.run([KG, "init", str(root)], check=True, capture_output=True)
    return root


@pytest.mark.parametrize("name", sorted(CRASHES))
def test_a_fuzzed_input_gets_a_clean_verdict(workspace: Path, tmp_path: Path, name: str) -> None:
    command, text, _signature = CRASHES[name]
    path = tmp_path / f"{name}.ttl"
    path.write_text(text, encoding="utf-8")
    before = sorted(p.name for p in (workspace / "cases").rglob("*"))
    run = subprocess.run(
        [KG, "--workspace", str(workspace), command, str(path)],
        capture_output=True,
        text=True,
        errors="replace",
        timeout=300,
        check=False,
        env=os.environ | {"TMPDIR": str(tmp_path)},  # where a crash report would go
    )
    said = run.stdout + run.stderr
    assert run.returncode in {1, 2}, said
    assert "internal error" not in said and "Traceback" not in said, said
    assert path.name in said, said
    assert not list(tmp_path.glob("kg-crash-*.txt"))
    assert sorted(p.name for p in (workspace / "cases").rglob("*")) == before
