"""Lexicons: the word lists and name tables the extractors read, kept as data files.

Each lexicon is a tab-separated file ``loaders/lexicons/{name}.tsv``: one entry a line, fields
separated by tabs, ``#`` starting a comment line. The files are read once per process.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

LEXICONS = Path(__file__).resolve().parent / "lexicons"


@cache
def rows(name: str) -> tuple[tuple[str, ...], ...]:
    """The entries of lexicon ``name``, each as its tab-separated fields (surrounding space removed)."""
    path = LEXICONS / f"{name}.tsv"
    out: list[tuple[str, ...]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            out.append(tuple(field.strip() for field in line.split("\t")))
    return tuple(out)


def words(name: str) -> frozenset[str]:
    """The first field of every entry of lexicon ``name``, lower case."""
    return frozenset(row[0].lower() for row in rows(name))
