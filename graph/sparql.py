"""The one SPARQL lexer of adcs-kg, and what is built on it: parse limits, keyword checks, parameter binding.

The lexer (:data:`TOKEN`) knows just enough of SPARQL's grammar to tell comments, strings,
IRIs, variables, words (keywords and prefixed names), numbers, operators and brackets apart, so
that a word or bracket inside a string, an IRI or a comment is never taken for one outside. It
reads any text in linear time: an unterminated string ends at the end of its line (long strings
at the end of the text), where the engine will refuse it.

- :func:`check_limits`: the parse limits, checked before any engine sees a text;
- :func:`keywords`: the bare words of a text, which the server checks for SERVICE and LOAD;
- :func:`bind_values`: a query with parameters bound as a ``VALUES`` block of terms each
  serialised by rdflib (``term.n3()``), for endpoints that have no substitution of their own;
- :func:`with_using`: an update with the protocol's ``using-graph-uri`` and
  ``using-named-graph-uri`` written as ``USING`` clauses of each of its operations.

from .errors import QueryLimitError, QueryParameterError, QuerySyntaxError, StoreError
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import XSD, BNode, Literal, URIRef
from rdflib.term import Identifier

from .errors import QueryLimitError, QueryParameterError, QuerySyntaxError, StoreError

TOKEN = re.compile(
    r"""
    (?P<space>\s+)
    | (?P<comment>\#[^\n]*)
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<string>
        \"\"\"(?:[^"\\]|\\[\s\S]|"(?!""))*+(?:\"\"\"|\\?\Z)
      | '''(?:[^'\\]|\\[\s\S]|'(?!''))*+(?:'''|\\?\Z)
      | "(?:[^"\\\n]|\\[\s\S])*+(?:"|(?=\n)|\\?\Z)
      | '(?:[^'\\\n]|\\[\s\S])*+(?:'|(?=\n)|\\?\Z)
      )
    | (?P<variable>[?$]\w+)
    | (?P<label>_:[\w.\-]*|@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<word>(?:[^\W\d][\w.\-]*)?:(?:[\w.\-:%]|\\[\s\S])*|[^\W\d][\w.\-]*)
    | (?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
    | (?P<operator>\|\||&&|!=|<=|>=|[!^+\-*/|])
    | (?P<open>[{(\[])
    | (?P<close>[})\]])
    | (?P<other>.)
    """,
    re.VERBOSE,
)
"""One token of SPARQL text; its group name (``lastgroup``) says what kind."""


# -- parse limits ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ParseLimits:
    """The most a SPARQL text may hold; see the module documentation for what each counts."""

    length: int = 100_000
    depth: int = 64
    operators: int = 2_000


DEFAULT_LIMITS = ParseLimits()

_PREFIX_OPERATORS = frozenset("!^+-")
_CHAIN_OPERATORS = frozenset({"||", "&&", "/", "|"})
_ARITHMETIC = frozenset("+-*")
_CHAIN_KEYWORDS = frozenset({"UNION", "MINUS", "OPTIONAL"})


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _refuse(text: str, offset: int, message: str, source: str) -> QueryLimitError:
    line, column = _position(text, offset)
    return QueryLimitError(message, line=line, column=column, source=source)


Token = tuple[str, str]
"""A token of SPARQL text, spaces and comments aside: its kind (a group name of :data:`TOKEN`) and its text."""


def tokens(sparql: str) -> list[Token]:
    """The tokens of a text, without spaces and comments."""
    return [(m.lastgroup or "", m[0]) for m in TOKEN.finditer(sparql) if m.lastgroup not in ("space", "comment")]


def check_limits(text: str, *, limits: ParseLimits = DEFAULT_LIMITS, source: str = "query") -> list[Token]:
    """Refuse ``text`` (a SPARQL query or update) if it passes one of ``limits``; else its :func:`tokens`.

    Raises :class:`~graph.errors.QueryLimitError` (``source`` names what the text is) with the
    limit in the message and the line and column where it was passed. Reads the text once and
    never recurses, whatever the text holds.
    """
    if len(text) > limits.length:
        raise _refuse(
            text, limits.length, f"longer than the limit of {limits.length:,} characters ({len(text):,})", source
        )
    depth = parentheses = run = operators = 0
    read: list[Token] = []
    for token in TOKEN.finditer(text):
        kind, value = token.lastgroup, token[0]
        if kind in ("space", "comment"):
            continue
        read.append((kind or "", value))
        level = depth
        if kind == "open":
            depth += 1
            parentheses += value == "("
            level = depth
        elif kind == "close":
            parentheses -= value == ")" and parentheses > 0
            depth = max(depth - 1, 0)
        elif kind == "iri":  # an IRI may hold brackets the engine reads as brackets when it sees `<` as less-than
            level += _inner_depth(value)
        if kind == "operator" and value in _PREFIX_OPERATORS:
            run += 1
            level += run
        else:
            run = 0
        if level > limits.depth:
            raise _refuse(text, token.start(), f"nested deeper than the limit of {limits.depth} levels", source)
        chained = (kind == "operator" and (value in _CHAIN_OPERATORS or (value in _ARITHMETIC and parentheses))) or (
            kind == "word" and value.upper() in _CHAIN_KEYWORDS
        )
        operators += chained
        if operators > limits.operators:
            message = f"more chained operators than the limit of {limits.operators:,}"
            raise _refuse(text, token.start(), message, source)
    return read


def _inner_depth(iri: str) -> int:
    deepest = depth = 0
    for char in iri:
        if char in "([":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]":
            depth = max(depth - 1, 0)
    return deepest


# -- keywords and parameters -------------------------------------------------------------


def keywords(sparql: str | Sequence[Token]) -> set[str]:
    """The bare words of a SPARQL text (upper-cased), outside comments, strings, IRIs and prefixed names.

    A word holding dots or hyphens (``true.SERVICE``) counts as each of its parts, so no keyword
    hides behind a neighbour. The text may be given as its :func:`tokens`.
    """
    found: set[str] = set()
    for kind, text in tokens(sparql) if isinstance(sparql, str) else sparql:
        if kind == "word" and ":" not in text:
            found.update(part.upper() for part in re.split(r"[.-]", text) if part.isalpha())
    return found


def row_limit(sparql: str | Sequence[Token]) -> int | None:
    """The ``LIMIT`` of the query itself (not of a subquery), or None when it has none.

    Only a ``LIMIT`` outside every bracket is the query's own: a subquery's is inside its group.
    The text may be given as its :func:`tokens`.
    """
    depth = 0
    limited = False
    for kind, text in tokens(sparql) if isinstance(sparql, str) else sparql:
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth = max(depth - 1, 0)
        elif limited:
            return int(text) if kind == "number" and text.isdigit() else None
        limited = depth == 0 and kind == "word" and text.upper() == "LIMIT"
    return None


def _term(read: Sequence[Token], at: int, position: int) -> int | None:
    """Where the term of a triple pattern starting at ``at`` ends (``position``: 0 subject, 1 predicate,
    2 object), or None when no plain term starts there: a variable, an IRI, a prefixed name, ``a`` as
    the predicate, or as the object a literal (with its language or datatype), a number or a boolean."""
    kind, text = read[at] if at < len(read) else ("", "")
    if kind in ("variable", "iri") or (kind == "word" and ":" in text):
        return at + 1
    if position == 1:
        return at + 1 if kind == "word" and text == "a" else None
    if position == 0:
        return None
    if kind == "number" or (kind == "word" and text.lower() in ("true", "false")):
        return at + 1
    if kind != "string":
        return None
    after = read[at + 1 : at + 4]
    if after[:1] and after[0][0] == "label" and after[0][1].startswith("@"):
        return at + 2
    if [t for _, t in after[:2]] == ["^", "^"] and len(after) == 3 and _term(read, at + 3, 0) is not None:
        return at + 4
    return at + 1


def single_pattern(sparql: str | Sequence[Token]) -> bool:
    """Whether a query is one triple pattern, selected or asked and nothing else.

    That is: an optional prologue, ``SELECT`` (``REDUCED`` allowed) of variables or ``*``, or
    ``ASK``; one group holding one triple pattern of plain terms whose variables all differ; an
    optional ``LIMIT``. No filter, join, path, optional, union, subquery, expression, ordering,
    grouping, ``DISTINCT``, ``OFFSET``, dataset or ``VALUES`` clause. Every match of such a
    pattern is a row, found by one index scan, so the work of running it grows with the rows it
    returns (the server stops at its row limit) and never runs away, whatever the graph. The text
    may be given as its :func:`tokens`.
    """
    read = tokens(sparql) if isinstance(sparql, str) else sparql
    at = 0
    while at < len(read) and read[at][0] == "word" and read[at][1].upper() in ("BASE", "PREFIX"):
        at += 3 if read[at][1].upper() == "PREFIX" else 2
    words = [t.upper() if k == "word" else t for k, t in read]
    if words[at : at + 1] == ["SELECT"]:
        at += 1 + (words[at + 1 : at + 2] == ["REDUCED"])
        if words[at : at + 1] == ["*"]:
            at += 1
        else:
            start = at
            while at < len(read) and read[at][0] == "variable":
                at += 1
            if at == start:
                return False
    elif words[at : at + 1] == ["ASK"]:
        at += 1
    else:
        return False
    at += words[at : at + 1] == ["WHERE"]
    if words[at : at + 1] != ["{"]:
        return False
    at += 1
    variables = []
    for position in range(3):
        end = _term(read, at, position)
        if end is None:
            return False
        variables += [t[1:] for k, t in read[at:end] if k == "variable"]
        at = end
    at += words[at : at + 1] == ["."]
    if words[at : at + 1] != ["}"] or len(set(variables)) < len(variables):
        return False
    at += 1
    if words[at : at + 1] == ["LIMIT"] and at + 1 < len(read) and read[at + 1][0] == "number":
        at += 2
    return at == len(read)


def _outer_group(sparql: str) -> int | None:
    """The offset just after the ``{`` opening the query's WHERE clause, or None if it has none."""
    depth = 0
    after_where = False
    first_group: int | None = None
    for match in TOKEN.finditer(sparql):
        kind = match.lastgroup
        if kind == "word" and depth == 0 and match[0].upper() == "WHERE":
            after_where = True
        elif kind == "open" and match[0] == "{":
            if depth == 0:
                if after_where:
                    return match.end()
                first_group = match.end() if first_group is None else first_group
            depth += 1
        elif kind == "close" and match[0] == "}":
            depth -= 1
    # SELECT and ASK may leave out the WHERE keyword; CONSTRUCT's first group is its template
    return first_group if re.match(r"\s*(SELECT|ASK)\b", _body(sparql), re.I) else None


def _body(sparql: str) -> str:
    """The query without its comments and prologue (BASE and PREFIX declarations)."""
    text = "".join(m[0] if m.lastgroup != "comment" else " " for m in TOKEN.finditer(sparql))
    return re.sub(r"^(\s*(BASE\s*<[^>]*>|PREFIX\s+[\w.-]*:\s*<[^>]*>))*", "", text, flags=re.I)


def _value_term(term: Identifier) -> str:
    """A term as SPARQL. A decimal is sent as the equal xsd:double: Virtuoso fails a query whose
    VALUES block holds a fractional xsd:decimal ("Numeric value out of range for <temporary space
    column>"); numeric comparisons give the same answers."""
    if isinstance(term, Literal) and term.datatype == XSD.decimal:
        return Literal(float(term.toPython()), datatype=XSD.double).n3()
    return term.n3()


def bind_values(sparql: str, bindings: Mapping[str, Identifier]) -> str:
    """The query with ``bindings`` as a ``VALUES`` block of rdflib-serialised terms.

    The block opens the outermost group of the WHERE clause, so the group's filters see the
    values (as with pyoxigraph's substitutions); a query without a WHERE group gets it as its
    trailing VALUES clause.
    """
    if not bindings:
        return sparql
    for name, term in bindings.items():
        if isinstance(term, BNode) or not isinstance(term, URIRef | Literal):
            raise StoreError(f"parameter ?{name}: only IRIs and literals can be bound on a remote store")
    return _with_values(sparql, list(bindings), [list(bindings.values())])


def bind_rows(sparql: str, name: str, terms: Sequence[Identifier]) -> str:
    """The query with ``?name`` bound to each of ``terms`` in turn (a ``VALUES`` block of rows),
    placed as :func:`bind_values` places it."""
    return _with_values(sparql, [name], [[term] for term in terms])


def _with_values(sparql: str, names: Sequence[str], rows: Sequence[Sequence[Identifier]]) -> str:
    header = " ".join(f"?{name}" for name in names)
    body = " ".join("(" + " ".join(_value_term(term) for term in row) + ")" for row in rows)
    block = f" VALUES ({header}) {{ {body} }} "
    position = _outer_group(sparql)
    if position is None:
        return f"{sparql}\n{block}\n"
    return sparql[:position] + block + sparql[position:]


def shortened(text: str, limit: int = 80) -> str:
    """``text`` cut to ``limit`` characters (with "..."), to quote user input in a message."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


_ABSOLUTE_IRI = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:[^\x00-\x20<>\"{}|\\^`\x7f]+")


def iri_problem(text: str) -> str | None:
    """Why ``text`` is not an absolute IRI, or None when it is one."""
    control = next((c for c in text if ord(c) < 0x20 or ord(c) == 0x7F), None)
    if control is not None:
        return f"it holds the control character U+{ord(control):04X}"
    if not _ABSOLUTE_IRI.fullmatch(text):
        return 'it is not absolute (scheme:...) or holds a space or one of <>"{}|\\^`'
    try:
        ox.NamedNode(text)
    except ValueError as exc:
        return str(exc)
    return None


def absolute_iri(text: str, what: str = "the value") -> str:
    """``text`` if it is an absolute IRI; else :class:`QueryParameterError` saying why, with the text shortened."""
    problem = iri_problem(text)
    if problem:
        raise QueryParameterError(f"{what} must be an absolute IRI, not {shortened(text)!r}: {problem}")
    return text


def with_using(update: str, default_graphs: Sequence[str], named_graphs: Sequence[str]) -> str:
    """``update`` with ``USING <g>`` and ``USING NAMED <g>`` before the WHERE of each DELETE/INSERT operation.

    This is what the protocol's ``using-graph-uri`` and ``using-named-graph-uri`` mean. An update
    that names its own dataset (``USING`` or ``WITH``) cannot take them as well:
    :class:`QueryParameterError`, as the protocol says. ``DELETE WHERE`` has no dataset clause.
    """
    if not default_graphs and not named_graphs:
        return update
    if keywords(update) & {"USING", "WITH"}:
        raise QueryParameterError(
            "an update with its own USING or WITH cannot also be given using-graph-uri or using-named-graph-uri"
        )
    clauses = [f"USING <{absolute_iri(g, 'using-graph-uri')}>" for g in default_graphs]
    clauses += [f"USING NAMED <{absolute_iri(g, 'using-named-graph-uri')}>" for g in named_graphs]
    dataset = " " + " ".join(clauses) + " "
    pieces: list[str] = []
    depth = 0
    previous = ""
    for match in TOKEN.finditer(update):
        kind, token = match.lastgroup, match[0]
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth -= 1
        elif kind == "word" and depth == 0 and token.upper() == "WHERE" and previous != "DELETE":
            pieces.append(dataset)
        pieces.append(token)
        if kind != "comment" and not token.isspace():
            previous = token.upper()
    return "".join(pieces)


_POSITION = re.compile(r"^error at (\d+):(\d+)(?:-\d+:\d+)?: ")
_EXPECTED = re.compile(r"^expected (?:one of )?(.*)$", re.DOTALL)
_GRAMMAR_TOKEN = re.compile(r""""(?:[^"\\]|\\.)*"|\[(?:'(?:[^'\\]|\\.)*'|[^\]'])*\]|[^,\s][^,]*""")
"""One item of the parser's list of what it expected: a quoted token, a character class or a rule's name."""
_TOKEN_WORDS = {
    '"$"': "a variable",
    '"?"': "a variable",
    '"\'"': "a string",
    "\"'''\"": "a string",
    '"\\""': "a string",
    '"\\"\\"\\""': "a string",
    '"<"': "an IRI",
    '":"': "a prefixed name",
    '"_:"': "a blank node",
    '"["': "a blank node",
    '"<<"': "a triple term",
    '"<<("': "a triple term",
    '"true"': "a boolean",
    '"false"': "a boolean",
    '"+"': "a number",
    '"-"': "a number",
    '"\\\\"': "an escape sequence",
    '"\\\\u"': "an escape sequence",
    '"\\\\U"': "an escape sequence",
    "[_]": "",  # any character: says nothing
}
"""What the grammar's tokens, as the parser lists them, stand for in a reader's words."""
_MOST_WORDS = 12


def _in_words(listed: str) -> str:
    """The parser's list of expected grammar tokens as a short phrase (``a variable, an IRI or "}"``)."""
    tokens = [t.strip() for t in _GRAMMAR_TOKEN.findall(listed)]
    in_string = any(_TOKEN_WORDS.get(t) == "an escape sequence" for t in tokens)
    words: list[str] = []
    if "Prefix not found" in tokens:
        return "a declared prefix"
    for token in tokens:
        word = _TOKEN_WORDS.get(token, token)
        if token.startswith("[") and word:  # a character class: digits, the letters of a name, or the rest of it
            word = "a number" if "'0'..=" in token else "a prefixed name" if "'A'" in token else "the rest of the name"
        elif in_string and word == "a string":
            word = "the closing quote"
        if word and word not in words:
            words.append(word)
    if '"."' in words and "a number" in words:
        words.remove('"."')  # the decimal point of a number such as .5
    if len(words) > _MOST_WORDS:
        words = [*words[: _MOST_WORDS - 1], "another term"]
    return ", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else "".join(words)


def syntax_error(exc: SyntaxError, *, source: str = "query", lines_before: int = 0) -> QuerySyntaxError:
    """Translate pyoxigraph's parse error ("error at LINE:COLUMN: message") with its position.

    ``lines_before`` is how many lines were put before the text the user wrote, so that the
    position is the one in their text. The list of grammar tokens the parser expected (character
    classes and all) is said in words.
    """
    message = str(exc.msg or exc)
    match = _POSITION.match(message)
    if match is None:
        return QuerySyntaxError(message, source=source)
    reason = message[match.end() :]
    expected = _EXPECTED.match(reason)
    if expected and _in_words(expected[1]):
        reason = "expected " + _in_words(expected[1])
    line = max(1, int(match[1]) - lines_before)
    return QuerySyntaxError(reason, line=line, column=int(match[2]), source=source)
