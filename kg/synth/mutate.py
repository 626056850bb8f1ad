r"""Seeded mutations of Turtle text, for fuzzing the case intake (``kg validate``, ``kg add``).

An operator is a small function ``(text, rng, context) -> text | None`` that does what a curator
or an attacker might: delete a line, misspell a term, put a lone surrogate in a literal, nest
blank nodes 150 deep, claim another case's node. ``None`` means "does not apply to this text";
the next operator of :data:`OPERATORS` is then tried. Mutant ``i`` depends only on the texts,
the seed and ``i``, so any mutant can be made again on its own (:func:`mutant`).

>>> texts = [("a.ttl", '@prefix cmr: <https://w3id.org/cmr/> .\ncmr:a cmr:caseId "a" .\n')]
>>> made = list(mutants(texts, 3, seed=7))
>>> made == list(mutants(texts, 3, seed=7))
True
>>> [(m.index, m.source, m.operator) for m in made]
[(0, 'a.ttl', 'delete_line'), (1, 'a.ttl', 'duplicate_line'), (2, 'a.ttl', 'swap_lines')]
>>> as_new_case('case:seed-001 cmr:caseId "seed-001" ; x:y case:seed-001-t1 .')
'case:fuzz-seed-001 cmr:caseId "fuzz-seed-001" ; x:y case:seed-001-t1 .'
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "OPERATORS",
    "Context",
    "Mutant",
    "as_new_case",
    "context_of",
    "mutant",
    "mutants",
    "read_texts",
]

CASE_NS = "https://w3id.org/cmr/data/case/"
CMR_NS = "https://w3id.org/cmr/"
XSD = "http://www.w3.org/2001/XMLSchema#"

_CASE_ID = re.compile(r'cmr:caseId\s+"([^"\\\n]*)"')
_PREFIX_IRI = re.compile(r"@prefix\s+[\w-]*:\s*<([^>\n]*)>", re.IGNORECASE)
_CURIE = re.compile(r"(?<![\w<@/#-])[A-Za-z][\w-]*:([A-Za-z][\w-]*)")
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"(?:\^\^\S+|@[A-Za-z][\w-]*)?')
_NUMBER = re.compile(r"(?<=\s)[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?=\s*[;,.\]])")
_TERM = re.compile(rf"{_CURIE.pattern}|<[^>\s]*>|{_STRING.pattern}|{_NUMBER.pattern}")


@dataclass(frozen=True)
class Mutant:
    """One mutated text: the name of its original, the operator that made it, its index."""

    source: str
    operator: str
    index: int
    text: str

    @property
    def name(self) -> str:
        """A file name for it: ``00042-weird_iri-seed-001.ttl``."""
        return f"{self.index:05d}-{self.operator}-{Path(self.source).stem}.ttl"


@dataclass(frozen=True)
class Context:
    """What operators may borrow from the other texts: every case identifier in them."""

    case_ids: tuple[str, ...] = ("seed-001",)

    def other(self, rng: random.Random, text: str) -> str:
        """A case identifier of another text than ``text`` (or a made-up one)."""
        own = set(_CASE_ID.findall(text))
        return rng.choice([i for i in self.case_ids if i not in own] or ["fuzz-other"])


Operator = Callable[[str, random.Random, Context], "str | None"]


def _splice(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]


def _pick_span(
    rng: random.Random, pattern: re.Pattern[str], text: str, group: int = 0
) -> tuple[int, int] | None:
    spans = [m.span(group) for m in pattern.finditer(text) if m.group(group)]
    return rng.choice(spans) if spans else None


def _lines(text: str) -> list[str] | None:
    lines = text.split("\n")
    return lines if len(lines) > 1 else None


def delete_line(text: str, rng: random.Random, ctx: Context) -> str | None:
    """Remove one line."""
    if (lines := _lines(text)) is None:
        return None
    del lines[rng.randrange(len(lines))]
    return "\n".join(lines)


def duplicate_line(text: str, rng: random.Random, ctx: Context) -> str | None:
    """Repeat one line."""
    if (lines := _lines(text)) is None:
        return None
    i = rng.randrange(len(lines))
    lines.insert(i, lines[i])
    return "\n".join(lines)


def swap_lines(text: str, rng: random.Random, ctx: Context) -> str | None:
    """Exchange two lines."""
    if (lines := _lines(text)) is None:
        return None
    i, j = rng.sample(range(len(lines)), 2)
    lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines)


def delete_char(text: str, rng: random.Random, ctx: Context) -> str | None:
    """Remove one character."""
    if not text:
        return None
    i = rng.randrange(len(text))
    return _splice(text, i, i + 1, "")


def insert_char(text: str, rng: random.Random, ctx: Context) -> str | None:
    """Insert one character that means something to Turtle (or a plain letter)."""
    i = rng.randrange(len(text) + 1)
    return _splice(text, i, i, rng.choice(".;,[]()<>\"'@:#\\^_ \n\tx0-"))


def prefix_typo(text: str, rng: random.Random, ctx: Context) -> str | None:
    """Change one character of a prefix's IRI: ``cmr:`` one character off."""
    if (span := _pick_span(rng, _PREFIX_IRI, text, 1)) is None:
        return None
    i = rng.randrange(*span)
    new = rng.choice([c for c in "abcdefghijklmnopqrstuvwxyz0123456789/#:." if c != text[i]])
    return _splice(text, i, i + 1, new)


def misspell_term(text: str, rng: random.Random, ctx: Context) -> str | None:
    """Misspell a term's local name (``cmr:NerveRootS1`` as ``cmr:NerveRotS1``, ...)."""
    if (span := _pick_span(rng, _CURIE, text, 1)) is None:
        return None
    start, end = span
    word = text[start:end]
    i = rng.randrange(len(word))
    edits = [
        word[:i] + word[i + 1 :],
        word[:i] + word[i] + word[i:],
        word[:i] + word[i].swapcase() + word[i + 1 :],
        word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :] if i > 0 else word[::-1],
        word + "s",
    ]
    return _splice(text, start, end, rng.choice([e for e in edits if e and e != word] or ["x"]))


ODD_VALUES = (
    "-1", "-0", "0", "0.0", "1e309", "-1e309", "99999999999999999999999999999", "1.5", "+7",
    '""', '" "', '"x\\n"', '"""x\n"""', '"-5"', '"1e400"^^<http://www.w3.org/2001/XMLSchema#double>',
    '"NaN"^^<http://www.w3.org/2001/XMLSchema#double>', '"' + "a" * 20000 + '"', "true",
)  # fmt: skip


def literal_value(text: str, rng: random.Random, ctx: Context) -> str | None:
    """Replace a literal by a negative, huge, empty, newline-ended or odd value."""
    if (span := _pick_span(rng, re.compile(f"{_STRING.pattern}|{_NUMBER.pattern}"), text)) is None:
        return None
    return _splice(text, *span, rng.choice(ODD_VALUES))


ODD_TAGS = (
    "^^<http://www.w3.org/2001/XMLSchema#integer>", "^^<http://www.w3.org/2001/XMLSchema#date>",
    "^^<http://www.w3.org/2001/XMLSchema#boolean>", "^^<http://www.w3.org/2001/XMLSchema#nope>",
    "^^<http://www.w3.org/2001/XMLSchema#decimal>", "^^xsd:string", "^^cmr:Case", "@en",
    "@zz-Latn-x-a", "^^<https://w3id.org/cmr/NerveRootS1>", "@en-", "^^<>",
)  # fmt: skip


def literal_datatype(text: str, rng: random.Random, ctx: Context) -> str | None:
    """Give a literal another (or a wrong, or an unknown) datatype or a language tag."""
    if (span := _pick_span(rng, re.compile(f"{_STRING.pattern}|{_NUMBER.pattern}"), text)) is None:
        return None
    value = re.sub(r'(?<=")(\^\^\S+|@[\w-]+)$', "", text[span[0] : span[1]])
    if not value.startswith('"'):
        value = f'"{value}"'
    return _splice(text, *span, value + rng.choice(ODD_TAGS))


def other_case_id(text: str, rng: random.Random, ctx: Context) -> str | None:
    """Give the case the identifier of another case."""
    if (span := _pick_span(rng, _CASE_ID, text, 1)) is None:
        return None
    return _splice(text, *span, ctx.other(rng, text))


WEIRD_CHARS = (
    "\\uD800", "\\uDFFF", "\\u0000", "\\U0010FFFF", "\\U00110000", "\\u12", "\\q", "\x0b",
    "\x00", "\ufeff", "\u200f", "\u202e", "e\u0301\u0301\u0301", "\x85", "\u2028", "\r",
    "\x7f", "\U0001f600",
)  # fmt: skip


def weird_unicode(text: str, rng: random.Random, ctx: Context) -> str | None:
    """Put an odd character (lone surrogate escape, NUL, BOM, RTL mark, ...) in a literal."""
    span = _pick_span(rng, _STRING, text)
    at = rng.randrange(span[0] + 1, span[1]) if span and rng.random() < 0.8 else None
    i = at if at is not None else rng.randrange(len(text) + 1)
    return _splice(text, i, i, rng.choice(WEIRD_CHARS))


WEIRD_IRIS = (
    "<a b>", "<%ZZ>", "<<http://example.org/x>", "<relative>", "<>", "<#frag>", "<../up>",
    "<http://example.org/a\x0bb>", "<http://example.org/\\u0000>", "<http://example.org/\\u0020>",
    "<http://[::1>", "<javascript:alert(1)>", "<file:///etc/passwd>", "<http://example.org/\x00>",
    "<http://example.org/a{b}>", "<http://ex\u00e4mple.org/\u00e9>", "<urn:x:\\uD800>",
)  # fmt: skip


def weird_iri(text: str, rng: random.Random, ctx: Context) -> str | None:
    """Replace a term with an IRI that is malformed, relative or escaped oddly."""
    if (span := _pick_span(rng, _TERM, text)) is None:
        return None
    return _splice(text, *span, rng.choice(WEIRD_IRIS))


def weird_datatype(text: str, rng: random.Random, ctx: Context) -> str | None:
    """Give a literal a malformed datatype IRI (``"1"^^<%ZZ>``)."""
    if (span := _pick_span(rng, re.compile(f"{_STRING.pattern}|{_NUMBER.pattern}"), text)) is None:
        return None
    return _splice(text, *span, f'"1"^^{rng.choice(WEIRD_IRIS)}')


def weird_prefix_iri(text: str, rng: random.Random, ctx: Context) -> str | None:
    """Put a space, a control character or a bad escape into a prefix's IRI."""
    if (span := _pick_span(rng, _PREFIX_IRI, text, 1)) is None:
        return None
    i = rng.randint(*span)
    return _splice(text, i, i, rng.choice([" ", "\x0b", "\\u0000", "%ZZ", "<", "\\u0020", "|"]))


def deep_nesting(text: str, rng: random.Random, ctx: Context) -> str | None:
    """Replace an object by blank nodes or lists nested 100 to 200 deep (some unbalanced)."""
    depth = rng.randint(100, 200)
    if rng.random() < 0.5:
        nested = "[ cmr:description " * depth + '"deep"' + " ]" * depth
    else:
        nested = "( " * depth + "1" + " )" * depth
    if rng.random() < 0.2:
        nested = nested[:-2]
    objects = re.compile(rf"(?:{_TERM.pattern})(?=\s*[;.,]\s*$)", re.MULTILINE)
    if (span := _pick_span(rng, objects, text)) is None:
        return None
    return _splice(text, *span, nested)


def truncate(text: str, rng: random.Random, ctx: Context) -> str | None:
    """Cut the file at a random point."""
    return text[: rng.randrange(len(text))] if text else None


def other_case_prefix(text: str, rng: random.Random, ctx: Context) -> str | None:
    """Append the whole file again, moved into another case's namespace."""
    own = _CASE_ID.findall(text)
    if not own:
        return None
    other = ctx.other(rng, text)
    return text + "\n" + text.replace(f"case/{own[0]}/", f"case/{other}/")


def foreign_triple(text: str, rng: random.Random, ctx: Context) -> str | None:
    """Add a statement about another case's node."""
    other = f"{CASE_NS}{ctx.other(rng, text)}"
    own = _CASE_ID.findall(text)
    mine = f"{CASE_NS}{own[0]}" if own else f"{CASE_NS}fuzz-x"
    triple = rng.choice(
        [
            f"<{other}/patient> <{CMR_NS}sex> <{CMR_NS}Female> .",
            f"<{other}> <{CMR_NS}hasLesion> <{mine}/lesion-x> .",
            f'<{other}> <{CMR_NS}caseId> "{other.rsplit("/", 1)[1]}-2" .',
            f"<{mine}> <{CMR_NS}hasPatient> <{other}/patient> .",
        ]
    )
    return f"{text}\n{triple}\n"


def empty(text: str, rng: random.Random, ctx: Context) -> str | None:
    """Nothing at all."""
    return ""


def only_comments(text: str, rng: random.Random, ctx: Context) -> str | None:
    """Every line commented out."""
    return "\n".join(f"# {line}" for line in text.split("\n"))


def duplicate_file(text: str, rng: random.Random, ctx: Context) -> str | None:
    """The file twice in a row."""
    return f"{text}\n{text}"


def line_endings(text: str, rng: random.Random, ctx: Context) -> str | None:
    """Windows (CRLF) or old Mac (CR) line endings."""
    return text.replace("\n", rng.choice(["\r\n", "\r"])) if "\n" in text else None


def drop_prefix(text: str, rng: random.Random, ctx: Context) -> str | None:
    """Remove one prefix declaration (its terms become undeclared)."""
    if (span := _pick_span(rng, re.compile(r"^@prefix[^\n]*\n?", re.MULTILINE), text)) is None:
        return None
    return _splice(text, *span, "")


#: Every operator, by name, in the order mutants cycle through them.
OPERATORS: dict[str, Operator] = {
    op.__name__: op
    for op in (
        delete_line, duplicate_line, swap_lines, delete_char, insert_char, prefix_typo,
        misspell_term, literal_value, literal_datatype, other_case_id, weird_unicode, weird_iri,
        weird_datatype, weird_prefix_iri, deep_nesting, truncate, other_case_prefix,
        foreign_triple, empty, only_comments, duplicate_file, line_endings, drop_prefix,
    )
}  # fmt: skip


def context_of(texts: Sequence[tuple[str, str]]) -> Context:
    """The case identifiers of ``texts`` (the :class:`Context` operators borrow from)."""
    ids = sorted({i for _, text in texts for i in _CASE_ID.findall(text)})
    return Context(tuple(ids)) if ids else Context()


def mutant(
    texts: Sequence[tuple[str, str]], index: int, seed: int, context: Context | None = None
) -> Mutant:
    """Mutant ``index`` of ``texts`` (``(name, text)`` pairs) for ``seed``.

    Text ``f = index % len(texts)`` gets operator ``(index // len(texts) + f) % len(OPERATORS)``,
    so every block of ``len(texts) * len(OPERATORS)`` mutants applies every operator to every
    text; an operator that does not apply hands over to the next one.
    """
    name, text = texts[index % len(texts)]
    ctx = context if context is not None else context_of(texts)
    rng = random.Random(f"{seed}/{index}")
    names = list(OPERATORS)
    first = (index // len(texts) + index % len(texts)) % len(names)
    for op in names[first:] + names[:first]:
        new = OPERATORS[op](text, rng, ctx)
        if new is not None:
            return Mutant(name, op, index, new)
    raise AssertionError("unreachable: `empty` always applies")


def mutants(
    texts: Sequence[tuple[str, str]], count: int, seed: int, context: Context | None = None
) -> Iterator[Mutant]:
    """The first ``count`` mutants of ``texts`` for ``seed`` (see :func:`mutant`).

    ``context`` defaults to the case identifiers of ``texts``; give the stored cases' own to
    have mutants claim those.
    """
    ctx = context if context is not None else context_of(texts)
    for index in range(count):
        yield mutant(texts, index, seed, ctx)


def as_new_case(text: str, prefix: str = "fuzz-") -> str:
    """``text`` with its case identifiers renamed ``prefix + id`` (in IRIs and in ``caseId``).

    A copy of a stored case is then new to a workspace, so ``kg add`` checks it all the way.
    """
    for case_id in set(_CASE_ID.findall(text)):
        if case_id:
            text = re.sub(rf"(?<![\w-]){re.escape(case_id)}(?![\w-])", prefix + case_id, text)
    return text


def read_texts(*folders: Path, new_cases: bool = True) -> list[tuple[str, str]]:
    """The ``.ttl`` files directly in ``folders``, as ``("folder/file.ttl", text)`` pairs.

    With ``new_cases``, each text is passed through :func:`as_new_case`.
    """
    pairs = []
    for path in (p for folder in folders for p in sorted(folder.glob("*.ttl"))):
        text = path.read_text(encoding="utf-8")
        pairs.append((f"{path.parent.name}/{path.name}", as_new_case(text) if new_cases else text))
    return pairs
