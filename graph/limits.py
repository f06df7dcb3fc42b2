"""Parse limits: what a SPARQL query or update may hold before any engine sees it.

SPARQL engines parse and plan recursively, so a text nested deeply enough exhausts the stack of
whatever process parses it: Oxigraph ends that process with a segmentation fault at about 3,000
nested groups, 5,000 nested parentheses or an operator chain of 10,000 terms. :func:`check`
reads the raw text once, with a lexer that knows SPARQL's comments, strings, IRIs and prefixed
names (brackets and keywords inside those do not count), and refuses a text over a limit with a
:class:`~graph.errors.QueryLimitError` naming the limit and where it was passed.

The limits (:class:`ParseLimits`, defaults far above any query this project's users write):

- ``length``: characters in the text (100,000);
- ``depth``: nesting of groups ``{}``, parentheses ``()`` and brackets ``[]`` (in expressions,
  property paths, collections and blank nodes alike), where a run of prefix operators (``!``,
  ``^``, ``+``, ``-``, as in ``!!!x`` or ``^^^:p``) counts one level per operator (64);
- ``operators``: chained operators, whose chains the engines also parse recursively: ``UNION``,
  ``MINUS``, ``OPTIONAL``, ``||``, ``&&``, property-path ``/`` and ``|``, and, inside
  parentheses, ``+``, ``-`` and ``*`` (2,000 in the whole text).

Property paths are bounded by ``depth`` (their nesting and inverse or negation runs) and by
``operators`` (their sequences and alternatives).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import QueryLimitError


@dataclass(frozen=True)
class ParseLimits:
    """The most a SPARQL text may hold; see the module documentation for what each counts."""

    length: int = 100_000
    depth: int = 64
    operators: int = 2_000


DEFAULT_LIMITS = ParseLimits()

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
    | (?P<comment>\#[^\n]*)
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<string>
        \"\"\"(?:[^"\\]|\\[\s\S]|"(?!""))*(?:\"\"\"|\Z)
      | '''(?:[^'\\]|\\[\s\S]|'(?!''))*(?:'''|\Z)
      | "(?:[^"\\\n]|\\[\s\S])*(?:"|$)
      | '(?:[^'\\\n]|\\[\s\S])*(?:'|$)
      )
    | (?P<name>
        [?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+
      | _:[\w.\-]*
      | @[A-Za-z]+(?:-[A-Za-z0-9]+)*
      | (?:[^\W\d][\w.\-]*)?:(?:[\w.\-:%]|\\[\s\S])*
      | [^\W\d][\w\-]*
      | \d+(?:\.\d*)?(?:[eE][+-]?\d+)? | \.\d+(?:[eE][+-]?\d+)?
      )
    | (?P<operator>\|\||&&|!=|<=|>=|[!^+\-*/|])
    | (?P<open>[{(\[])
    | (?P<close>[})\]])
    | (?P<other>.)
    """,
    re.VERBOSE,
)
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


def check(text: str, *, limits: ParseLimits = DEFAULT_LIMITS, source: str = "query") -> None:
    """Refuse ``text`` (a SPARQL query or update) if it passes one of ``limits``.

    Raises :class:`~graph.errors.QueryLimitError` (``source`` names what the text is) with the
    limit in the message and the line and column where it was passed. Reads the text once and
    never recurses, whatever the text holds.
    """
    if len(text) > limits.length:
        raise _refuse(
            text, limits.length, f"longer than the limit of {limits.length:,} characters ({len(text):,})", source
        )
    depth = parentheses = run = operators = 0
    for token in _TOKEN.finditer(text):
        kind, value = token.lastgroup, token[0]
        if kind in ("space", "comment"):
            continue
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
            kind == "name" and value.upper() in _CHAIN_KEYWORDS
        )
        operators += chained
        if operators > limits.operators:
            message = f"more chained operators than the limit of {limits.operators:,}"
            raise _refuse(text, token.start(), message, source)


def _inner_depth(iri: str) -> int:
    deepest = depth = 0
    for char in iri:
        if char in "([":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]":
            depth = max(depth - 1, 0)
    return deepest
