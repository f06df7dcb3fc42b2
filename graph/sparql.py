"""The one SPARQL lexer of adcs-kg, and what is built on it: keyword checks and parameter binding.

The lexer (:data:`TOKEN`) knows just enough of SPARQL's grammar to tell comments, strings,
IRIs, variables, words (keywords and prefixed names) and braces apart, so that a word inside a
string, an IRI or a comment is never taken for a keyword:

- :func:`keywords`: the bare words of a text, which the server checks for SERVICE and LOAD;
- :func:`bind_values`: a query with parameters bound as a ``VALUES`` block of terms each
  serialised by rdflib (``term.n3()``), for endpoints that have no substitution of their own;
- :func:`with_using`: an update with the protocol's ``using-graph-uri`` and
  ``using-named-graph-uri`` written as ``USING`` clauses of each of its operations.

:func:`absolute_iri` is the one check of an IRI given as text (a parameter, a graph name).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier

from .errors import QueryParameterError, StoreError

TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
      | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                  |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<variable>[?$]\w+)
      | (?P<word>[A-Za-z_][\w.-]*(?::[\w.:%-]*)?|:[\w.:%-]*)
      | (?P<open>\{) | (?P<close>\}) | .""",
    re.VERBOSE | re.DOTALL,
)
"""One token of SPARQL text; its group name (``lastgroup``) says what kind."""


def keywords(sparql: str) -> set[str]:
    """The bare words of a SPARQL text (upper-cased), outside comments, strings, IRIs and prefixed names.

    A word holding dots or hyphens (``true.SERVICE``) counts as each of its parts, so no keyword
    hides behind a neighbour.
    """
    found: set[str] = set()
    for match in TOKEN.finditer(sparql):
        if match.lastgroup == "word" and ":" not in match[0]:
            found.update(part.upper() for part in re.split(r"[.-]", match[0]) if part.isalpha())
    return found


def _outer_group(sparql: str) -> int | None:
    """The offset just after the ``{`` opening the query's WHERE clause, or None if it has none."""
    depth = 0
    after_where = False
    first_group: int | None = None
    for match in TOKEN.finditer(sparql):
        kind = match.lastgroup
        if kind == "word" and depth == 0 and match[0].upper() == "WHERE":
            after_where = True
        elif kind == "open":
            if depth == 0:
                if after_where:
                    return match.end()
                first_group = match.end() if first_group is None else first_group
            depth += 1
        elif kind == "close":
            depth -= 1
    # SELECT and ASK may leave out the WHERE keyword; CONSTRUCT's first group is its template
    return first_group if re.match(r"\s*(SELECT|ASK)\b", _body(sparql), re.I) else None


def _body(sparql: str) -> str:
    """The query without its comments and prologue (BASE and PREFIX declarations)."""
    text = "".join(m[0] if m.lastgroup != "comment" else " " for m in TOKEN.finditer(sparql))
    return re.sub(r"^(\s*(BASE\s*<[^>]*>|PREFIX\s+[\w.-]*:\s*<[^>]*>))*", "", text, flags=re.I)


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
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(term.n3() for term in bindings.values())
    block = f" VALUES ({names}) {{ ({terms}) }} "
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
