"""Lexicons: the word lists and gazetteers of the extraction, kept as data files.

Each lexicon is a tab-separated file ``loaders/lexicons/{name}.tsv``: lines starting with ``#``
describe it, the first other line names its columns, and every further line is one entry.
Loaders read them through :func:`table` and :func:`words`, never by spelling the entries in code,
so a word can be added to the extraction without touching a rule.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def table(name: str) -> tuple[dict[str, str], ...]:
    """The entries of lexicon ``name``, each as {column: value} (a missing value is "")."""
    text = resources.files(__package__).joinpath("lexicons", f"{name}.tsv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    if not lines:
        raise ValueError(f"lexicon {name!r} has no header line")
    header = lines[0].split("\t")
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        if len(cells) > len(header):
            raise ValueError(f"lexicon {name!r}, entry {number}: {len(cells)} cells for {len(header)} columns")
        rows.append(dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=True)))
    return tuple(rows)


def words(name: str) -> frozenset[str]:
    """The first column of lexicon ``name``: a word list."""
    return frozenset(next(iter(row.values())) for row in table(name))


def listed(value: str) -> tuple[str, ...]:
    """A cell holding a list divided by ``|``."""
    return tuple(part for part in value.split("|") if part)


def flag(value: str) -> bool:
    """A yes/no cell."""
    if value not in ("yes", "no"):
        raise ValueError(f"lexicon flag {value!r} is neither 'yes' nor 'no'")
    return value == "yes"
