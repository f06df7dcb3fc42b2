"""The build's record of a store generation: its documents, and what each says about which node.

A streaming build keeps it (SQLite, in the generation's directory, beside the graph) so that it
never holds the corpus in memory:

- ``documents``: one row per document (its *chunk* number, file name, content hash, items,
  skips, and the facts the corpus loaders gathered from it);
- ``subjects``: one row per node and chunk that describes it (has it as the subject of an
  asserted or inferred triple), with the chunk's asserted N-Triples about it; chunk
  :data:`CORPUS_CHUNK` is what the corpus loaders and the property chains add;
- ``reads``: a node whose description the validation of a document's node read, where another
  document's triples could change the answer;
- ``meta``: what the build depended on (its fingerprint), what the corpus loaders changed, and
  the validation results, for the next incremental build.

A node described by one chunk only is validated with that chunk; one several chunks describe,
or whose reads reach a node described elsewhere, is validated again on the staged store. An
incremental build reads the record to find what changed and what each document contributed.
"""

from __future__ import annotations

import pickle
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from loaders import CorpusFacts
from loaders.extraction import Skip

from .errors import StoreError

RECORD_FILE = "adcs-kg-documents.sqlite"
"""The record's file name in a generation's directory."""
CORPUS_CHUNK = 0
"""The chunk of the triples the corpus loaders and the property chains add."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    chunk INTEGER PRIMARY KEY, file TEXT UNIQUE NOT NULL, sha256 TEXT NOT NULL,
    items INTEGER NOT NULL, skipped BLOB NOT NULL, facts BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS subjects (subject TEXT NOT NULL, chunk INTEGER NOT NULL, asserted BLOB);
CREATE TABLE IF NOT EXISTS reads (focus TEXT NOT NULL, node TEXT NOT NULL, chunk INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS subjects_by_subject ON subjects (subject);
CREATE INDEX IF NOT EXISTS subjects_by_chunk ON subjects (chunk);
"""


@dataclass(frozen=True)
class DocumentEntry:
    """A document as the record holds it."""

    chunk: int
    file: str
    sha256: str
    items: int
    skipped: tuple[Skip, ...]
    facts: CorpusFacts


class BuildRecord:
    """The record of one generation (see the module's description)."""

    def __init__(self, generation: Path) -> None:
        self.path = generation / RECORD_FILE
        try:
            self._db = sqlite3.connect(self.path)
            self._db.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the build record {self.path}: {exc}") from exc

    @staticmethod
    def exists(generation: Path) -> bool:
        return (generation / RECORD_FILE).is_file()

    def close(self) -> None:
        self._db.commit()
        self._db.close()

    # -- documents ---------------------------------------------------------------------------

    def add_document(self, file: str, sha256: str, items: int, skipped: Iterable[Skip], facts: CorpusFacts) -> int:
        """Record a document; its chunk number."""
        cursor = self._db.execute(
            "INSERT INTO documents (file, sha256, items, skipped, facts) VALUES (?, ?, ?, ?, ?)",
            (file, sha256, items, pickle.dumps(tuple(skipped)), pickle.dumps(facts)),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def documents(self) -> Iterator[DocumentEntry]:
        for chunk, file, sha256, items, skipped, facts in self._db.execute(
            "SELECT chunk, file, sha256, items, skipped, facts FROM documents ORDER BY file"
        ):
            yield DocumentEntry(chunk, file, sha256, items, pickle.loads(skipped), pickle.loads(facts))

    def remove_document(self, chunk: int) -> None:
        for table in ("documents", "subjects", "reads"):
            self._db.execute(f"DELETE FROM {table} WHERE chunk = ?", (chunk,))

    # -- what each chunk describes ---------------------------------------------------------------

    def add_subjects(self, chunk: int, rows: Iterable[tuple[str, bytes | None]]) -> None:
        """Record the nodes ``chunk`` describes, each with its asserted N-Triples (or None)."""
        self._db.executemany(
            "INSERT INTO subjects (subject, chunk, asserted) VALUES (?, ?, ?)", ((s, chunk, a) for s, a in rows)
        )

    def clear_chunk(self, chunk: int) -> None:
        self._db.execute("DELETE FROM subjects WHERE chunk = ?", (chunk,))

    def add_reads(self, chunk: int, reads: Iterable[tuple[str, str]]) -> None:
        self._db.executemany(
            "INSERT INTO reads (focus, node, chunk) VALUES (?, ?, ?)", ((f, n, chunk) for f, n in reads)
        )

    def asserted_about(self, subject: str, *, besides: int | None = None) -> Iterator[bytes]:
        """The asserted N-Triples each chunk (but ``besides``) holds about ``subject``."""
        for (blob,) in self._db.execute(
            "SELECT asserted FROM subjects WHERE subject = ? AND chunk != ? AND asserted IS NOT NULL",
            (subject, -1 if besides is None else besides),
        ):
            yield blob

    def chunk_subjects(self, chunk: int) -> Iterator[tuple[str, bytes | None]]:
        yield from self._db.execute("SELECT subject, asserted FROM subjects WHERE chunk = ?", (chunk,))

    def to_validate_on_the_store(self) -> Iterator[str]:
        """The nodes a document alone cannot validate: described by several chunks or by the
        corpus chunk, or read, while validating them, where another chunk describes the read node."""
        yield from (
            row[0]
            for row in self._db.execute(
                "SELECT subject FROM subjects GROUP BY subject HAVING COUNT(*) > 1 OR MIN(chunk) = ? "
                "UNION SELECT r.focus FROM reads r WHERE EXISTS "
                "(SELECT 1 FROM subjects s WHERE s.subject = r.node AND s.chunk != r.chunk)",
                (CORPUS_CHUNK,),
            )
        )

    def set(self, key: str, value: object) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, pickle.dumps(value)))

    def get(self, key: str) -> Any:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise StoreError(f"the build record {self.path} has no {key}: build the store again")
        return pickle.loads(row[0])

    def commit(self) -> None:
        self._db.commit()
