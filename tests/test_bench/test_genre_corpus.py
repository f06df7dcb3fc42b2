"""The benchmarks' scaled corpus: it grows with the scale instead of repeating, and it repeats itself."""

from __future__ import annotations

import importlib.util
import itertools
import re
import sys
from datetime import date
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _genre_corpus() -> ModuleType:
    spec = importlib.util.spec_from_file_location("genre_corpus", BENCH / "genre_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("genre_corpus", module)
    spec.loader.exec_module(module)
    return module


PRESIDENT = re.compile(r"([A-Z][a-z]+ [A-Z][a-z]+(?:-[A-Z][a-z]+)?), [A-Z]+ President, said")


def test_each_copy_has_five_documents_of_its_own(tmp_path: Path) -> None:
    written = _genre_corpus().write_corpus(tmp_path, 3)
    assert len(written) == 15
    texts = [path.read_text(encoding="utf-8") for path in written]
    assert len(set(texts)) == 15


def test_people_grow_with_the_scale(tmp_path: Path) -> None:
    genre = _genre_corpus()
    presidents = [set(PRESIDENT.findall("".join(genre.documents(copy).values()))) for copy in range(4)]
    assert all(presidents)
    for one, other in itertools.pairwise(presidents):
        assert not one & other


def test_the_same_scale_writes_the_same_corpus(tmp_path: Path) -> None:
    genre = _genre_corpus()
    first = [path.read_bytes() for path in genre.write_corpus(tmp_path / "a", 2)]
    second = [path.read_bytes() for path in genre.write_corpus(tmp_path / "b", 2)]
    assert first == second


def test_archive_items_are_newest_first() -> None:
    archive = _genre_corpus().documents(1)["00001_1_archive.txt"]
    months = [date(2000, month, 1).strftime("%B") for month in range(1, 13)]
    stated = re.findall(r"^(\d{1,2}) (" + "|".join(months) + r") (\d{4})$", archive, flags=re.M)
    keys = [(int(year), months.index(month), int(day)) for day, month, year in stated]
    assert len(keys) >= 90
    assert keys == sorted(keys, reverse=True)
